#include <doctest/doctest.h>

#include <cmath>

#include "lab/positional_encoding.h"

using attn::lab::SinusoidalEncoding;

TEST_CASE("positional encoding: position 0 is (0, 1, 0, 1, ...)") {
  const Eigen::MatrixXf pe = SinusoidalEncoding(4, 8);
  REQUIRE(pe.rows() == 4);
  REQUIRE(pe.cols() == 8);
  for (int i = 0; i < 8; ++i) CHECK(pe(0, i) == doctest::Approx(i % 2 ? 1.0f : 0.0f));
}

TEST_CASE("positional encoding: matches the formula of Vaswani et al.") {
  const int d = 16;
  const Eigen::MatrixXf pe = SinusoidalEncoding(50, d);
  for (int pos : {1, 7, 49}) {
    for (int i = 0; i < d / 2; ++i) {
      const double angle = pos / std::pow(10000.0, 2.0 * i / d);
      CHECK(pe(pos, 2 * i) == doctest::Approx(std::sin(angle)).epsilon(1e-5));
      CHECK(pe(pos, 2 * i + 1) == doctest::Approx(std::cos(angle)).epsilon(1e-5));
    }
  }
}

TEST_CASE("positional encoding: PE(m)·PE(n) depends only on m − n") {
  // Each (sin, cos) pair has unit length, so every row has norm sqrt(d/2), and the dot
  // product of two rows is sum_i cos((m − n)·w_i): a relative-position signal.
  const int d = 64;
  const Eigen::MatrixXf pe = SinusoidalEncoding(120, d);
  for (int pos = 0; pos < 120; pos += 13) CHECK(pe.row(pos).norm() == doctest::Approx(std::sqrt(d / 2.0)));
  for (int k : {1, 5, 20}) {
    const float reference = pe.row(0).dot(pe.row(k));
    for (int m = 10; m + k < 120; m += 17) CHECK(pe.row(m).dot(pe.row(m + k)) == doctest::Approx(reference).epsilon(1e-3));
  }
  // ... and nearby positions are more alike than distant ones.
  CHECK(pe.row(50).dot(pe.row(51)) > pe.row(50).dot(pe.row(90)));
}
