// `attnlab-cli train-toy`: the training lab (engine/train) on the command line.
#pragma once

namespace attn::app {

int CmdTrainToy(int argc, char** argv);

}  // namespace attn::app
