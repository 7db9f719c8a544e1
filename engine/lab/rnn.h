// A tiny real RNN for 11.1 序列的挑战: why a conveyor belt forgets.
//
//   h_t = tanh(W_h · h_{t−1} + W_x · x_t + b)
//
// Information from the first token reaches step n only through n − 1 multiplications by the
// Jacobian J_t = diag(1 − h_t²) · W_h, so its influence ‖∂h_n/∂x_1‖ shrinks (or explodes)
// roughly geometrically — the vanishing-gradient problem. Self-attention connects position n
// to position 1 directly, in one step.
#pragma once
#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace attn::lab {

struct TinyRnn {
  Eigen::MatrixXf w_h;  // (H, H) recurrent weights
  Eigen::MatrixXf w_x;  // (H, D) input weights
  Eigen::VectorXf b;    // (H)

  // Random weights, W_h scaled to spectral norm ≈ `recurrent_scale` (< 1: memories fade).
  static TinyRnn Make(int hidden, int input, float recurrent_scale, uint64_t seed);

  // The same, but W_h = recurrent_scale · Q with Q orthogonal: every singular value and every
  // |eigenvalue| of W_h equals the scale, so without tanh the signal would be multiplied by
  // exactly `recurrent_scale` per step (< 1 vanishes, > 1 explodes). tanh′ ≤ 1 only shrinks it.
  static TinyRnn MakeOrthogonal(int hidden, int input, float recurrent_scale, uint64_t seed);

  // One step of the belt: h_t from h_{t−1} and x_t.
  Eigen::VectorXf Step(const Eigen::VectorXf& h_prev, const Eigen::VectorXf& x) const;

  // The hidden state after each input: states[t] = h_{t+1} (h_0 = 0).
  std::vector<Eigen::VectorXf> Run(const std::vector<Eigen::VectorXf>& inputs) const;

  // ‖∂h_n/∂x_1‖ (Frobenius norm) for n = 1 .. inputs.size(): the first token's surviving
  // influence, computed as the product of the step Jacobians.
  std::vector<float> FirstTokenSensitivity(const std::vector<Eigen::VectorXf>& inputs) const;
};

// `count` random input vectors of size `dim` (a toy sentence), deterministic in `seed`.
std::vector<Eigen::VectorXf> RandomInputs(int count, int dim, uint64_t seed);

}  // namespace attn::lab
