// The model commands of attnlab-cli: info, run, generate, attention, convert.
#pragma once

namespace attn::app {

int CmdInfo(int argc, char** argv);
int CmdRun(int argc, char** argv);
int CmdGenerate(int argc, char** argv);
int CmdAttention(int argc, char** argv);
int CmdConvert(int argc, char** argv);
int CmdPerplexity(int argc, char** argv);

}  // namespace attn::app
