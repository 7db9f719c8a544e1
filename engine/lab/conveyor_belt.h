// The conveyor belt of 11.1 序列的挑战 as plain data (no UI): a sentence cut to n words, one
// input vector per word, a tiny real RNN (lab/rnn.h) and everything it computes on them.
//
//   h_0 = 0,   h_t = tanh(W_h · h_{t−1} + W_x · x_t + b)          the belt moves one box a step
//   ∂h_t/∂x_1 = J_t ⋯ J_2 · ∂h_1/∂x_1,   J_t = diag(1 − h_t²) · W_h
//   ‖∂h_t/∂x_1‖ ≤ ‖W_h‖^(t−1) · ‖∂h_1/∂x_1‖                       (tanh′ ≤ 1)
//
// W_h is `recurrent_scale` times an orthogonal matrix, so ‖W_h‖ = recurrent_scale exactly and
// the bound is what the signal would do without tanh's saturation.
#pragma once
#include <Eigen/Core>
#include <string>
#include <string_view>
#include <vector>

#include "lab/rnn.h"

namespace attn::lab {

inline constexpr int kBeltHidden = 8;      // hidden units: the bars on the cart
inline constexpr int kBeltInputDim = 4;    // size of a word's input vector x_t
inline constexpr int kBeltMinLength = 2;
inline constexpr int kBeltMaxLength = 64;

// The first n words of the demo sentence ("The cat sat on the mat because it was tired …"),
// starting again from the beginning as often as n needs.
std::vector<std::string> BeltWords(int n);

// A word's input vector x (size `dim`), deterministic in the word and blind to its case: a
// word that comes back ("the") gets the same vector again.
Eigen::VectorXf WordVector(std::string_view word, int dim);

struct ConveyorBelt {
  int n = 0;                             // sequence length
  float recurrent_scale = 1.0f;          // ‖W_h‖
  std::vector<std::string> words;        // (n) the tokens on the belt
  std::vector<Eigen::VectorXf> inputs;   // (n) x_1 … x_n, one per word
  TinyRnn rnn;
  std::vector<Eigen::VectorXf> states;   // (n + 1) h_0 … h_n: states[t] is the cart after box t
  std::vector<float> sensitivity;        // (n) ‖∂h_t/∂x_1‖ for t = 1 … n (index t − 1)
  std::vector<float> bound;              // (n) ‖W_h‖^(t−1) · ‖∂h_1/∂x_1‖, the same indexing

  // The cart's hidden state after `step` boxes (0 … n; clamped).
  const Eigen::VectorXf& StateAt(int step) const;
};

// Builds the belt for length n (clamped to kBeltMinLength … kBeltMaxLength). The weights come
// from one fixed seed, so changing the scale only rescales W_h: the same network, stronger or
// weaker memory. The states are computed one step at a time, the way the belt shows them.
ConveyorBelt MakeConveyorBelt(int n, float recurrent_scale);

}  // namespace attn::lab
