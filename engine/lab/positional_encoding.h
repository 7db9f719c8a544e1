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

// How alike the rows of x (positions × dims) are, as a (positions × positions) matrix:
//   DotSimilarity     x_m · x_n                 (for the sinusoidal code: Σ_i cos((m−n)·ω_i))
//   CosineSimilarity  x_m · x_n / (‖x_m‖ ‖x_n‖)  in [−1, 1]; a zero row gives 0 (1 on its diagonal)
// The 11.3 figure puts the formula's similarities beside those of GPT-2's learned positions.
Eigen::MatrixXf DotSimilarity(const Eigen::MatrixXf& x);
Eigen::MatrixXf CosineSimilarity(const Eigen::MatrixXf& x);

}  // namespace attn::lab
