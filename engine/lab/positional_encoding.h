// Sinusoidal positional encoding — "Attention Is All You Need" (Vaswani et al., 2017), §3.5.
//
//   PE(pos, 2i)   = sin(pos / 10000^(2i / d_model))
//   PE(pos, 2i+1) = cos(pos / 10000^(2i / d_model))
//
// Each pair of dimensions is a clock hand turning at its own speed, so PE(pos + k) is a
// rotation of PE(pos) and the dot product PE(m)·PE(n) depends only on m − n.
// Used by the 11.3 positional-encoding plots; GPT-2 itself learns its position embeddings.
#pragma once
#include <Eigen/Core>

namespace attn::lab {

// (length × d_model) matrix: row pos is the encoding of position pos. d_model must be even.
Eigen::MatrixXf SinusoidalEncoding(int length, int d_model);

}  // namespace attn::lab
