#include "lab/rnn.h"

#include <Eigen/QR>
#include <Eigen/SVD>
#include <cmath>

namespace attn::lab {

// Deterministic normal samples (SplitMix64 + Box–Muller), the same natively and in wasm.
static Eigen::MatrixXf RandomMatrix(int rows, int cols, uint64_t& state) {
  auto next = [&state] {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return static_cast<double>((z ^ (z >> 31)) >> 11) * 0x1.0p-53;
  };
  Eigen::MatrixXf m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j)
      m(i, j) = static_cast<float>(std::sqrt(-2.0 * std::log(1.0 - next())) * std::cos(6.283185307179586 * next()));
  return m;
}

TinyRnn TinyRnn::Make(int hidden, int input, float recurrent_scale, uint64_t seed) {
  uint64_t state = seed;
  TinyRnn rnn;
  rnn.w_h = RandomMatrix(hidden, hidden, state);
  const float norm = Eigen::JacobiSVD<Eigen::MatrixXf>(rnn.w_h).singularValues()(0);
  rnn.w_h *= recurrent_scale / norm;
  rnn.w_x = RandomMatrix(hidden, input, state) / std::sqrt(static_cast<float>(input));
  rnn.b = RandomMatrix(hidden, 1, state).col(0) * 0.1f;
  return rnn;
}

TinyRnn TinyRnn::MakeOrthogonal(int hidden, int input, float recurrent_scale, uint64_t seed) {
  TinyRnn rnn = Make(hidden, input, 1.0f, seed);
  // Q of a Gaussian matrix's QR decomposition is a random orthogonal matrix.
  const Eigen::MatrixXf q = Eigen::HouseholderQR<Eigen::MatrixXf>(rnn.w_h).householderQ();
  rnn.w_h = recurrent_scale * q;
  return rnn;
}

Eigen::VectorXf TinyRnn::Step(const Eigen::VectorXf& h_prev, const Eigen::VectorXf& x) const {
  return (w_h * h_prev + w_x * x + b).array().tanh().matrix();
}

std::vector<Eigen::VectorXf> TinyRnn::Run(const std::vector<Eigen::VectorXf>& inputs) const {
  std::vector<Eigen::VectorXf> states;
  Eigen::VectorXf h = Eigen::VectorXf::Zero(w_h.rows());
  for (const Eigen::VectorXf& x : inputs) {
    h = Step(h, x);
    states.push_back(h);
  }
  return states;
}

std::vector<float> TinyRnn::FirstTokenSensitivity(const std::vector<Eigen::VectorXf>& inputs) const {
  const std::vector<Eigen::VectorXf> states = Run(inputs);
  std::vector<float> out;
  if (states.empty()) return out;
  auto tanh_grad = [](const Eigen::VectorXf& h) { return (1.0f - h.array().square()).matrix().asDiagonal(); };
  // ∂h_1/∂x_1 = diag(1 − h_1²) W_x, then each step multiplies by J_t = diag(1 − h_t²) W_h.
  Eigen::MatrixXf d = tanh_grad(states[0]) * w_x;
  out.push_back(d.norm());
  for (size_t t = 1; t < states.size(); ++t) {
    d = tanh_grad(states[t]) * (w_h * d);
    out.push_back(d.norm());
  }
  return out;
}

std::vector<Eigen::VectorXf> RandomInputs(int count, int dim, uint64_t seed) {
  uint64_t state = seed;
  std::vector<Eigen::VectorXf> xs;
  for (int i = 0; i < count; ++i) xs.push_back(RandomMatrix(dim, 1, state).col(0));
  return xs;
}

}  // namespace attn::lab
