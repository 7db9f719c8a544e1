// `attnlab-cli bench`: speed of the forward pass on a GPT-2-124M-shaped model with random
// weights (no download), at f32 / q8_0 / q4_0, against the machine's memory bandwidth.
#pragma once

namespace attn::app {

// Prints the figures and ratios to stdout. `quick` uses a 2-layer model (for tests);
// `kernels_too` adds the MatMul micro-benchmark per weight format (kernels/bench.h).
int RunBench(bool quick, bool kernels_too);

// `bench --train`: the training lab's steps/s per task and the time until an induction head
// forms (bench_train.cpp). `quick`: a few steps only (tests).
int RunTrainBench(bool quick);

}  // namespace attn::app
