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

TEST_CASE("position similarity: dot products and cosines of hand-made rows") {
  Eigen::MatrixXf x(3, 2);
  x << 3, 4,
       0, 2,
       0, 0;
  const Eigen::MatrixXf dot = attn::lab::DotSimilarity(x);
  CHECK(dot(0, 0) == doctest::Approx(25.0f));
  CHECK(dot(0, 1) == doctest::Approx(8.0f));
  CHECK(dot(1, 0) == doctest::Approx(8.0f));
  const Eigen::MatrixXf cos = attn::lab::CosineSimilarity(x);
  CHECK(cos(0, 1) == doctest::Approx(0.8f));
  CHECK(cos(1, 1) == doctest::Approx(1.0f));
  CHECK(cos(0, 2) == 0.0f);  // a zero row is like nothing, but itself
  CHECK(cos(2, 2) == 1.0f);
}

TEST_CASE("position similarity: the sinusoidal code's dot product is Σ cos((m − n) ω_i)") {
  const int d = 32, n = 40;
  const Eigen::MatrixXf pe = SinusoidalEncoding(n, d);
  const Eigen::MatrixXf dot = attn::lab::DotSimilarity(pe), cos = attn::lab::CosineSimilarity(pe);
  for (int m : {0, 9, 39})
    for (int k : {0, 3, 17, 39}) {
      double want = 0.0;
      for (int i = 0; i < d / 2; ++i) want += std::cos((m - k) / std::pow(10000.0, 2.0 * i / d));
      CHECK(dot(m, k) == doctest::Approx(want).epsilon(1e-4));
      CHECK(cos(m, k) == doctest::Approx(want / (d / 2)).epsilon(1e-4));
    }
}
