// A GPT-2 with random weights of realistic scale, made in memory — for tests and for the
// speed benchmark (a GPT-2-124M-shaped model needs no download).
#pragma once
#include <cstdint>
#include <memory>

#include "model/gpt2.h"

namespace attn::model {

// Config::GPT2Small() is GPT-2 124M's shape (12 layers, 12 heads, 768 wide, context 1024).
Config Gpt2SmallConfig();

// How the weights are drawn.
//   kTest      weights ~ N(0, 0.02), LayerNorm gains 1 ± 0.1 and biases ± 0.1 (so LayerNorm
//              bugs show in tests)
//   kGpt2Init  exactly GPT-2's initialisation (an untrained GPT-2, 11.3's "untrained twin"):
//              every matrix and embedding ~ N(0, 0.02), the two residual projections (attention
//              c_proj, MLP c_proj) ~ N(0, 0.02/√(2·n_layer)), biases 0, LayerNorm gain 1, shift 0
enum class RandomInit { kTest, kGpt2Init };

// Matrices stored as `type`. Deterministic in `seed`.
std::unique_ptr<Model> MakeRandomModel(const Config& config, quant::Type type, uint64_t seed,
                                       RandomInit init = RandomInit::kTest);

}  // namespace attn::model
