// A GPT-2 with random weights of realistic scale, made in memory — for tests and for the
// speed benchmark (a GPT-2-124M-shaped model needs no download).
#pragma once
#include <cstdint>
#include <memory>

#include "model/gpt2.h"

namespace attn::model {

// Config::GPT2Small() is GPT-2 124M's shape (12 layers, 12 heads, 768 wide, context 1024).
Config Gpt2SmallConfig();

// Weights ~ N(0, 0.02) like GPT-2's initialization, LayerNorm gains 1 ± 0.1 and biases ± 0.1
// (so LayerNorm bugs show), matrices stored as `type`. Deterministic in `seed`.
std::unique_ptr<Model> MakeRandomModel(const Config& config, quant::Type type, uint64_t seed);

}  // namespace attn::model
