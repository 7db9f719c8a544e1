#include "lab/positional_encoding.h"

#include <cassert>
#include <cmath>

namespace attn::lab {

Eigen::MatrixXf SinusoidalEncoding(int length, int d_model) {
  assert(length >= 0 && d_model > 0 && d_model % 2 == 0);
  Eigen::MatrixXf pe(length, d_model);
  for (int pos = 0; pos < length; ++pos) {
    for (int i = 0; i < d_model / 2; ++i) {
      // Angular frequency of the i-th pair: 1 / 10000^(2i/d_model), in double for accuracy.
      const double angle = pos / std::pow(10000.0, 2.0 * i / d_model);
      pe(pos, 2 * i) = static_cast<float>(std::sin(angle));
      pe(pos, 2 * i + 1) = static_cast<float>(std::cos(angle));
    }
  }
  return pe;
}

Eigen::MatrixXf DotSimilarity(const Eigen::MatrixXf& x) {
  return (x.cast<double>() * x.cast<double>().transpose()).cast<float>();
}

Eigen::MatrixXf CosineSimilarity(const Eigen::MatrixXf& x) {
  const Eigen::MatrixXd xd = x.cast<double>();
  Eigen::VectorXd inv = xd.rowwise().norm();
  for (Eigen::Index r = 0; r < inv.size(); ++r) inv(r) = inv(r) > 0.0 ? 1.0 / inv(r) : 0.0;
  const Eigen::MatrixXd unit = inv.asDiagonal() * xd;  // rows scaled to length 1
  Eigen::MatrixXf cos = (unit * unit.transpose()).cast<float>();
  for (Eigen::Index r = 0; r < cos.rows(); ++r) cos(r, r) = 1.0f;
  return cos;
}

}  // namespace attn::lab
