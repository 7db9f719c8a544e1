// The quantization lens of 11.3: the same GPT-2 with its weight matrices stored in another
// format, made in memory from a loaded model.
//
//   W (any format) ──dequantize──▶ f32 ──quantize──▶ W′ (f32, f16, Q8_0 or Q4_0)
//
// Every matrix (token and position embeddings, the four of each block, a separate output
// head) is converted with quant/'s ggml rounding; LayerNorm gains and biases stay f32, as in
// a GGUF file. A head tied to the token embeddings stays tied (one copy). The new model owns
// all its memory: the source may be freed afterwards.
//
// Quantizing never brings precision back: the "f32" model made from a Q8_0 file holds exactly
// the Q8_0 values, in f32 (the difference to the Q8_0 model is then only that MatMul rounds
// the activations to Q8 for Q8_0 / Q4_0 weights, see kernels.h).
#pragma once
#include <memory>

#include "model/gpt2.h"
#include "quant/quant.h"

namespace attn::model {

// `source` with every weight matrix stored as `type`. Matrices whose input width is not a
// multiple of 32 cannot hold blocks of 32 and stay f32 (GPT-2's widths always are).
std::unique_ptr<Model> Requantize(const Model& source, quant::Type type);

}  // namespace attn::model
