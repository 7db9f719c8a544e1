// The model commands of attnlab-cli: info, run, generate, attention, convert.
#pragma once
#include <string>

#include "core/result.h"
#include "tokenizer/gpt2_tokenizer.h"

namespace attn::app {

int CmdInfo(int argc, char** argv);
int CmdRun(int argc, char** argv);
int CmdGenerate(int argc, char** argv);
int CmdAttention(int argc, char** argv);
int CmdConvert(int argc, char** argv);
int CmdPerplexity(int argc, char** argv);
// The tokenizer inside a GPT-2 GGUF (tokenize MODEL.gguf …); the error says why not.
Result<tokenizer::Gpt2Tokenizer> ModelTokenizer(const std::string& path);

}  // namespace attn::app
