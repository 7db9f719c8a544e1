// kernels/: every public kernel (the SIMD version this build chose: AVX2 natively, simd128
// under node) against its scalar version, and both against an exact double-precision
// computation of the same maths.
//
// Tolerances are worst-case rounding bounds, written with u = 2^−24 (half an f32 ulp at 1):
// a float sum of K terms in any order is off by at most ≈ K·u·Σ|terms| (Higham's γ_K), so
// a kernel that is correct passes whatever its summation order, while a kernel that drops,
// duplicates or misplaces even one term of a short row, or mixes up nibbles, misses by far.
// [SECTION] Index
//   [SECTION] Helpers
//   [SECTION] MatMul
//   [SECTION] Softmax
//   [SECTION] LayerNorm
//   [SECTION] Gelu
//   [SECTION] Add, Dot, Axpy
//   [SECTION] MatrixRow
//   [SECTION] Dispatch and bench
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "kernels/bench.h"
#include "kernels/kernels.h"
#include "kernels/threads.h"
#include "quant/quant.h"

namespace kernels = attn::kernels;
namespace quant = attn::quant;
using quant::Type;

namespace {

//-----------------------------------------------------------------------------------------
// [SECTION] Helpers
//-----------------------------------------------------------------------------------------

constexpr double kU = 0x1p-24;  // unit roundoff of f32

std::vector<float> Random(size_t n, std::mt19937& rng, float mean = 0.0f, float stddev = 1.0f) {
  std::normal_distribution<float> normal(mean, stddev);
  std::vector<float> v(n);
  for (float& x : v) x = normal(rng);
  return v;
}

// A rows × cols weight matrix in `type`, and the exact f32 values it holds.
struct Weights {
  Type type;
  size_t rows, cols;
  std::vector<unsigned char> data;
  std::vector<float> values;  // (rows, cols), dequantized
  kernels::Matrix M() const { return {type, data.data(), rows, cols}; }
};

Weights MakeWeights(Type type, size_t rows, size_t cols, std::mt19937& rng) {
  Weights w{type, rows, cols, std::vector<unsigned char>(rows * quant::RowBytes(type, cols)),
            std::vector<float>(rows * cols)};
  const size_t rb = quant::RowBytes(type, cols);
  for (size_t r = 0; r < rows; ++r) {
    const std::vector<float> x = Random(cols, rng, 0.0f, 0.5f);
    unsigned char* dst = w.data.data() + r * rb;
    switch (type) {
      case Type::F32: std::memcpy(dst, x.data(), rb); break;
      case Type::F16: quant::ConvertRowF16(x.data(), reinterpret_cast<uint16_t*>(dst), cols); break;
      case Type::Q8_0: quant::QuantizeRowQ8_0(x.data(), reinterpret_cast<quant::BlockQ8_0*>(dst), cols); break;
      case Type::Q4_0: quant::QuantizeRowQ4_0(x.data(), reinterpret_cast<quant::BlockQ4_0*>(dst), cols); break;
    }
    quant::DequantizeRow(type, dst, &w.values[r * cols], cols);
  }
  return w;
}

bool IsQuantized(Type t) { return t == Type::Q8_0 || t == Type::Q4_0; }

// The activations MatMul really multiplies: as given for f32 / f16 weights; rounded to Q8_0
// (by the reference quantizer) for the block formats.
std::vector<float> EffectiveInput(Type t, const std::vector<float>& inp, size_t T, size_t cols) {
  if (!IsQuantized(t)) return inp;
  std::vector<float> out(T * cols);
  std::vector<quant::BlockQ8_0> q(cols / 32);
  for (size_t i = 0; i < T; ++i) {
    quant::QuantizeRowQ8_0(&inp[i * cols], q.data(), cols);
    quant::DequantizeRowQ8_0(q.data(), &out[i * cols], cols);
  }
  return out;
}

// pack: the SIMD side multiplies the weights in the active kernels' packed layout
// (kernels::PackForThisCpu), which must then exist.
void CheckMatMul(Type type, size_t rows, size_t cols, size_t T, bool with_bias, std::mt19937& rng, bool pack = false) {
  CAPTURE(quant::TypeName(type));
  CAPTURE(rows);
  CAPTURE(cols);
  CAPTURE(T);
  CAPTURE(pack);
  const Weights w = MakeWeights(type, rows, cols, rng);
  const std::vector<float> inp = Random(T * cols, rng);
  const std::vector<float> bias = Random(rows, rng);
  const float* b = with_bias ? bias.data() : nullptr;
  std::vector<float> out_s(T * rows, -1.0f), out_v(T * rows, -2.0f);
  kernels::scalar::MatMul(out_s.data(), inp.data(), w.M(), b, T);
  kernels::Matrix m = w.M();
  const std::vector<uint8_t> packed = pack ? kernels::PackForThisCpu(m) : std::vector<uint8_t>{};
  REQUIRE(packed.empty() != pack);
  m.packed = pack ? packed.data() : nullptr;
  kernels::MatMul(out_v.data(), inp.data(), m, b, T);

  // Exact: Σ_i W[o][i]·x[t][i] in double over the values the kernel multiplies. The float
  // kernels sum cols products (f32 / f16) or cols/32 block terms, each scaled by dw·dx with
  // two roundings (quantized); +4 covers those, the product rounding and the bias add.
  const std::vector<float> x = EffectiveInput(type, inp, T, cols);
  const double K = static_cast<double>(IsQuantized(type) ? cols / 32 : cols) + 4;
  int bad = 0;
  for (size_t t = 0; t < T; ++t) {
    for (size_t o = 0; o < rows; ++o) {
      double ref = b ? b[o] : 0.0, mag = b ? std::fabs(b[o]) : 0.0;
      for (size_t i = 0; i < cols; ++i) {
        const double p = static_cast<double>(w.values[o * cols + i]) * x[t * cols + i];
        ref += p;
        mag += std::fabs(p);
      }
      const double tol = K * kU * mag + 1e-30;
      const double es = std::fabs(out_s[t * rows + o] - ref), ev = std::fabs(out_v[t * rows + o] - ref);
      const double ed = std::fabs(static_cast<double>(out_v[t * rows + o]) - out_s[t * rows + o]);
      if (es > tol || ev > tol || ed > 2 * tol) {
        if (++bad <= 3) {  // report the first few in full
          CAPTURE(t);
          CAPTURE(o);
          CAPTURE(ref);
          CAPTURE(tol);
          CAPTURE(out_s[t * rows + o]);
          CAPTURE(out_v[t * rows + o]);
          FAIL_CHECK("matmul output outside the rounding bound");
        }
      }
    }
  }
  CHECK(bad == 0);
}

}  // namespace

//-----------------------------------------------------------------------------------------
// [SECTION] MatMul
//-----------------------------------------------------------------------------------------

TEST_CASE("matmul f32 / f16: SIMD and scalar equal the exact product, ragged shapes") {
  std::mt19937 rng(1);
  // cols: below, at and around the 8- (AVX2) and 4-wide (simd128) steps, and GPT-2 sizes + a tail.
  for (Type type : {Type::F32, Type::F16})
    for (size_t cols : {1, 3, 4, 7, 8, 9, 15, 17, 31, 33, 100, 773})
      for (size_t rows : {1, 2, 3, 5, 7, 64})
        for (size_t T : {1, 2, 5, 17}) CheckMatMul(type, rows, cols, T, (rows + T) % 2 == 0, rng);
}

TEST_CASE("matmul q8_0 / q4_0: SIMD and scalar equal the exact quantized product") {
  std::mt19937 rng(2);
  for (Type type : {Type::Q8_0, Type::Q4_0}) {
    for (size_t cols : {32, 96, 768, 3072})
      for (size_t rows : {1, 2, 3, 5, 32, 96})
        for (size_t T : {1, 2, 5, 17}) CheckMatMul(type, rows, cols, T, (rows + T) % 2 == 1, rng);
    // The real layer shapes of GPT-2 small: attention/MLP projections and the MLP down-projection.
    CheckMatMul(type, 768, 768, 1, true, rng);
    CheckMatMul(type, 3072, 768, 5, true, rng);
    CheckMatMul(type, 768, 3072, 2, false, rng);
  }
  CheckMatMul(Type::F32, 3072, 768, 2, true, rng);
  CheckMatMul(Type::F16, 768, 3072, 5, true, rng);
}

TEST_CASE("matmul q8_0 / q4_0 packed: AVX-512 VNNI's 16-row layout equals the exact quantized product") {
  // Only the AVX-512 VNNI kernels pack (16 rows interleaved, one output per lane); every other
  // set reads the weights as stored and packs nothing.
  std::mt19937 rng(31);
  const std::string before = kernels::SimdName();
  for (const char* set : kernels::AvailableSimd()) {
    CAPTURE(set);
    REQUIRE(kernels::UseSimd(set));
    const bool packs = std::string(set) == "avx512-vnni";
    for (Type type : {Type::Q8_0, Type::Q4_0}) {
      CAPTURE(quant::TypeName(type));
      CHECK(kernels::PackForThisCpu(MakeWeights(type, 32, 64, rng).M()).empty() != packs);
      CHECK(kernels::PackForThisCpu(MakeWeights(type, 15, 64, rng).M()).empty());  // under 16 rows: nothing to pack
      if (!packs) continue;
      // Whole groups of 16 rows, and groups plus a tail of 1–15 rows that the pair tiles
      // finish; T through the tile heights and past them.
      for (size_t rows : {16, 17, 31, 48, 50})
        for (size_t cols : {32, 96, 768})
          for (size_t T : {1, 2, 5, 6, 7, 13}) CheckMatMul(type, rows, cols, T, (rows + T) % 2 == 1, rng, true);
      CheckMatMul(type, 3072, 768, 5, true, rng, true);
      CheckMatMul(type, 768, 3072, 1, false, rng, true);
    }
    CHECK(kernels::PackForThisCpu(MakeWeights(Type::F16, 32, 64, rng).M()).empty());
  }
  REQUIRE(kernels::UseSimd(before.c_str()));
}

TEST_CASE("matmul threads: the same bits for 1, 2, 3 and 7 threads, every format, decode and prefill") {
  // Each thread takes a contiguous range of output rows; every row goes through the same tiles
  // as on one thread, so no sum is reassociated. 301 rows: ranges that split unevenly.
  std::mt19937 rng(29);
  const int before = kernels::Threads();
  for (Type type : {Type::F32, Type::F16, Type::Q8_0, Type::Q4_0}) {
    const Weights w = MakeWeights(type, 301, 1024, rng);  // 301 x 1024 x T is above the parallel threshold
    for (size_t T : {1u, 9u}) {
      CAPTURE(quant::TypeName(type));
      CAPTURE(T);
      const std::vector<float> inp = Random(T * w.cols, rng), bias = Random(w.rows, rng);
      std::vector<float> one(T * w.rows), many(T * w.rows);
      kernels::Matrix m = w.M();
      const std::vector<uint8_t> packed = kernels::PackForThisCpu(m);  // the layout the model would use
      if (!packed.empty()) m.packed = packed.data();
      kernels::SetThreads(1);
      kernels::MatMul(one.data(), inp.data(), m, bias.data(), T);
      for (int threads : {2, 3, 7}) {
        kernels::SetThreads(threads);
        std::fill(many.begin(), many.end(), -1.0f);
        kernels::MatMul(many.data(), inp.data(), m, bias.data(), T);
        CAPTURE(threads);
        CHECK(std::memcmp(one.data(), many.data(), one.size() * sizeof(float)) == 0);
      }
    }
  }
  kernels::SetThreads(before);
  CHECK(kernels::Threads() == before);
}

TEST_CASE("matmul f16: every finite half is widened exactly; inf and NaN propagate") {
  // W holds all 63488 finite halves (62 rows × 1024); multiplying by the identity (T = 1024
  // one-hot rows) gives out[t][o] = W[o][t]: one exact product plus exact zeros. This pins
  // the SIMD f16 -> f32 conversion (F16C natively, bit tricks in wasm) on subnormals and ±0.
  const size_t rows = 62, cols = 1024;
  std::vector<uint16_t> w;
  for (uint32_t h = 0; h < 65536; ++h)
    if (((h >> 10) & 31) != 31) w.push_back(static_cast<uint16_t>(h));
  REQUIRE(w.size() == rows * cols);
  std::vector<float> eye(cols * cols, 0.0f), out(cols * rows);
  for (size_t t = 0; t < cols; ++t) eye[t * cols + t] = 1.0f;
  kernels::MatMul(out.data(), eye.data(), {Type::F16, w.data(), rows, cols}, nullptr, cols);
  int bad = 0;
  for (size_t t = 0; t < cols; ++t)
    for (size_t o = 0; o < rows; ++o) bad += out[t * rows + o] != quant::F16ToF32(w[o * cols + t]);
  CHECK(bad == 0);

  // Rows of 11 (a vector step and a tail) with one special value each, times all-ones.
  const uint16_t specials[4] = {0x7c00, 0xfc00, 0x7e00, 0x7d01};  // +inf, −inf, qNaN, sNaN
  for (size_t pos : {2, 9}) {
    std::vector<uint16_t> ws(4 * 11, 0x3c00);  // 1.0
    for (int r = 0; r < 4; ++r) ws[r * 11 + pos] = specials[r];
    const std::vector<float> ones(11, 1.0f);
    float os[4], ov[4];
    kernels::scalar::MatMul(os, ones.data(), {Type::F16, ws.data(), 4, 11}, nullptr, 1);
    kernels::MatMul(ov, ones.data(), {Type::F16, ws.data(), 4, 11}, nullptr, 1);
    for (const float* o : {os, ov}) {
      CHECK(o[0] == INFINITY);
      CHECK(o[1] == -INFINITY);
      CHECK(std::isnan(o[2]));
      CHECK(std::isnan(o[3]));
    }
  }
}

TEST_CASE("matmul: the activation quantizer is bit-identical to the reference one") {
  std::mt19937 rng(3);
  for (float scale : {1.0f, 1e-3f, 300.0f, 1e-30f}) {
    std::vector<float> x = Random(32 * 37, rng, 0.0f, scale);
    // Exact ties: a block whose max is 127 has id = 1, so k + 0.5 must round away from zero.
    x[0] = 127.0f;
    for (int j = 1; j < 32; ++j) x[j] = static_cast<float>(j - 16) + 0.5f;
    for (int j = 32; j < 64; ++j) x[j] = 0.0f;  // an all-zero block
    std::vector<quant::BlockQ8_0> a(37), b(37);
    quant::QuantizeRowQ8_0(x.data(), a.data(), x.size());
    kernels::QuantizeRowQ8_0(x.data(), b.data(), x.size());
    CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof a[0]) == 0);
    CHECK(a[0].qs[1] == -15);  // x[1] = −14.5 -> −15 (away from 0; ties to even would give −14)
    CHECK(a[0].qs[31] == 16);  // x[31] = 15.5 -> 16
  }
}

TEST_CASE("matmul: quantized weights cost accuracy as documented in kernels.h") {
  // Same random weights and activations in f32 vs Q8_0 / Q4_0 (activations then go through
  // Q8_0 as well). Relative RMS error over the outputs, for N(0, 1)-like data.
  std::mt19937 rng(4);
  const size_t rows = 256, cols = 768;
  const std::vector<float> wf = Random(rows * cols, rng), x = Random(cols, rng);
  std::vector<float> exact(rows), out(rows);
  kernels::MatMul(exact.data(), x.data(), {Type::F32, wf.data(), rows, cols}, nullptr, 1);
  auto rel_rms = [&](Type type) {
    std::vector<unsigned char> data(rows * quant::RowBytes(type, cols));
    for (size_t r = 0; r < rows; ++r) {
      void* dst = data.data() + r * quant::RowBytes(type, cols);
      if (type == Type::Q8_0) quant::QuantizeRowQ8_0(&wf[r * cols], static_cast<quant::BlockQ8_0*>(dst), cols);
      else quant::QuantizeRowQ4_0(&wf[r * cols], static_cast<quant::BlockQ4_0*>(dst), cols);
    }
    kernels::MatMul(out.data(), x.data(), {type, data.data(), rows, cols}, nullptr, 1);
    double num = 0, den = 0;
    for (size_t o = 0; o < rows; ++o) {
      num += std::pow(out[o] - exact[o], 2);
      den += std::pow(exact[o], 2);
    }
    return std::sqrt(num / den);
  };
  const double q8 = rel_rms(Type::Q8_0), q4 = rel_rms(Type::Q4_0);
  MESSAGE("relative RMS error vs f32: q8_0 " << q8 << ", q4_0 " << q4);
  // Q8_0 rounds both sides to steps of max|x|/127 (≈ 2.5σ/127 in a block of 32 normal values):
  // about 0.6 % of σ per value each, ≈ 0.8 % together. Q4_0 weights use steps of max|x|/8:
  // ≈ 9 %. Wider than that means the kernel is wrong; much narrower, that the test is.
  CHECK(q8 > 0.002);
  CHECK(q8 < 0.015);
  CHECK(q4 > 0.04);
  CHECK(q4 < 0.15);
}

TEST_CASE("matmul: unsupported shapes give NaN, never a read out of bounds") {
  std::vector<unsigned char> data(1024);
  std::vector<float> x(40, 1.0f), out(2, 0.0f);
  kernels::MatMul(out.data(), x.data(), {Type::Q8_0, data.data(), 2, 40}, nullptr, 1);  // 40 % 32 ≠ 0
  CHECK(std::isnan(out[0]));
  CHECK(std::isnan(out[1]));
  out.assign(2, 0.0f);
  kernels::scalar::MatMul(out.data(), x.data(), {static_cast<Type>(7), data.data(), 2, 32}, nullptr, 1);
  CHECK(std::isnan(out[0]));
}

//-----------------------------------------------------------------------------------------
// [SECTION] Softmax
//-----------------------------------------------------------------------------------------

TEST_CASE("softmax: SIMD and scalar match the exact softmax; masked entries are exactly 0") {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  for (size_t n : {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 255, 1024}) {
    for (int rep = 0; rep < 6; ++rep) {
      CAPTURE(n);
      CAPTURE(rep);
      std::vector<float> x = Random(n, rng, rep == 5 ? 1000.0f : 0.0f, rep < 3 ? 3.0f : 30.0f);
      // Mask like attention does: a causal cut-off (keeping at least entry 0) and a few holes.
      const size_t visible = 1 + static_cast<size_t>(unit(rng) * static_cast<float>(n));
      for (size_t i = visible; i < n; ++i) x[i] = -INFINITY;
      for (size_t i = 1; i < n; ++i)
        if (unit(rng) < 0.1f) x[i] = -INFINITY;
      std::vector<float> ys = x, yv = x;
      kernels::scalar::Softmax(ys.data(), n);
      kernels::Softmax(yv.data(), n);
      double max = -INFINITY, sum = 0;
      for (float v : x) max = v > max ? v : max;
      for (float v : x) sum += std::exp(v - max);
      // Relative error per entry: x − max rounds to within u·|x − max|, which e^(·) turns
      // into that relative error; exp (≤ 3 ulp for the SIMD polynomial), a float sum of n
      // terms (≤ n·u), one reciprocal and one product; e^(x−max) below e^−87 ≈ 1.6e-38 may
      // flush to 0.
      double total_s = 0, total_v = 0;
      for (size_t i = 0; i < n; ++i) {
        const double ref = std::exp(x[i] - max) / sum;
        const double arg = x[i] == -INFINITY ? 0.0 : std::fabs(x[i] - max);
        const double tol = (static_cast<double>(n) + 8 + arg) * kU * ref + 2e-38;
        if (x[i] == -INFINITY) {
          REQUIRE(ys[i] == 0.0f);
          REQUIRE(yv[i] == 0.0f);
        }
        REQUIRE(std::fabs(ys[i] - ref) <= tol);
        REQUIRE(std::fabs(yv[i] - ref) <= tol);
        total_s += ys[i];
        total_v += yv[i];
      }
      CHECK(total_s == doctest::Approx(1.0).epsilon(1e-5));
      CHECK(total_v == doctest::Approx(1.0).epsilon(1e-5));
    }
  }
}

TEST_CASE("softmax: a fully masked row becomes all zeros, not NaN") {
  for (size_t n : {1, 3, 8, 13}) {
    std::vector<float> ys(n, -INFINITY), yv(n, -INFINITY);
    kernels::scalar::Softmax(ys.data(), n);
    kernels::Softmax(yv.data(), n);
    for (size_t i = 0; i < n; ++i) {
      CHECK(ys[i] == 0.0f);
      CHECK(yv[i] == 0.0f);
    }
  }
  kernels::Softmax(nullptr, 0);  // n = 0: nothing to do, nothing touched
  kernels::scalar::Softmax(nullptr, 0);
  float one = -3.0f;
  kernels::Softmax(&one, 1);
  CHECK(one == 1.0f);
}

//-----------------------------------------------------------------------------------------
// [SECTION] LayerNorm
//-----------------------------------------------------------------------------------------

TEST_CASE("layernorm: SIMD and scalar match a double-precision LayerNorm") {
  std::mt19937 rng(6);
  const float eps = 1e-5f;
  for (size_t C : {1, 2, 3, 7, 8, 9, 31, 64, 768, 3075}) {
    CAPTURE(C);
    const size_t T = 3;
    // A mean well away from 0 (like the residual stream) makes the centring matter.
    const std::vector<float> x = Random(T * C, rng, 5.0f, 2.0f);
    const std::vector<float> w = Random(C, rng, 1.0f, 0.2f), b = Random(C, rng, 0.0f, 0.5f);
    std::vector<float> ys(T * C), yv(T * C);
    kernels::scalar::LayerNorm(ys.data(), x.data(), w.data(), b.data(), T, C, eps);
    kernels::LayerNorm(yv.data(), x.data(), w.data(), b.data(), T, C, eps);
    for (size_t t = 0; t < T; ++t) {
      const float* xt = &x[t * C];
      double mean = 0, abs_mean = 0, var = 0;
      for (size_t i = 0; i < C; ++i) mean += xt[i], abs_mean += std::fabs(xt[i]);
      mean /= static_cast<double>(C);
      abs_mean /= static_cast<double>(C);
      for (size_t i = 0; i < C; ++i) var += (xt[i] - mean) * (xt[i] - mean);
      var /= static_cast<double>(C);
      const double rstd = 1.0 / std::sqrt(var + eps);
      for (size_t i = 0; i < C; ++i) {
        const double z = (xt[i] - mean) * rstd;
        const double ref = z * w[i] + b[i];
        // The float mean is off by ≤ (C+1)·u·mean|x|, which moves z by that times rstd; the
        // variance (a sum of C squares) by ≤ (C+2)·u relative, rstd by half that; then a
        // few roundings per element. Small C catches a wrong divisor (C − 1 changes z by
        // 1/(2C)), large C the vector loops and their tails.
        const double tol = (static_cast<double>(C) + 8) * kU *
                           (std::fabs(w[i]) * (abs_mean * rstd + std::fabs(z)) + std::fabs(b[i]));
        REQUIRE(std::fabs(ys[t * C + i] - ref) <= tol);
        REQUIRE(std::fabs(yv[t * C + i] - ref) <= tol);
      }
    }
  }
}

TEST_CASE("layernorm: a constant row gives exactly the bias") {
  for (size_t C : {1, 5, 16, 37}) {
    std::vector<float> x(2 * C, 0.25f), w(C, 3.0f), b(C);
    for (size_t i = 0; i < C; ++i) b[i] = static_cast<float>(i) - 2.0f;
    std::vector<float> ys(2 * C), yv(2 * C);
    kernels::scalar::LayerNorm(ys.data(), x.data(), w.data(), b.data(), 2, C, 1e-5f);
    kernels::LayerNorm(yv.data(), x.data(), w.data(), b.data(), 2, C, 1e-5f);
    for (size_t i = 0; i < 2 * C; ++i) {
      CHECK(ys[i] == b[i % C]);
      CHECK(yv[i] == b[i % C]);
    }
  }
}

//-----------------------------------------------------------------------------------------
// [SECTION] Gelu
//-----------------------------------------------------------------------------------------

TEST_CASE("gelu: SIMD (exp form) and scalar (std::tanh) match the exact tanh-form GELU") {
  std::vector<float> x;
  for (int i = -12 * 256; i <= 12 * 256; ++i) x.push_back(static_cast<float>(i) / 256.0f);  // 6145 values
  for (float v : {0.0f, -0.0f, 1e-20f, -1e-20f, 1e-3f, -1e-3f, 30.0f, -30.0f, 1e4f, -1e4f, 3e38f}) x.push_back(v);
  std::mt19937 rng(8);
  for (float v : Random(1001, rng, 0.0f, 3.0f)) x.push_back(v);
  // Run several lengths so every tail length of the vector loop is exercised.
  for (size_t n : {x.size(), size_t{1}, size_t{2}, size_t{3}, size_t{5}, size_t{6}, size_t{7}}) {
    std::vector<float> ys(x.begin(), x.begin() + n), yv = ys;
    kernels::scalar::Gelu(ys.data(), n);
    kernels::Gelu(yv.data(), n);
    for (size_t i = 0; i < n; ++i) {
      CAPTURE(x[i]);
      const double v = x[i];
      const double u = static_cast<double>(0.7978845608028654f) * (v + static_cast<double>(0.044715f) * v * v * v);
      const double ref = 0.5 * v * (1.0 + std::tanh(u));
      // Both forms lose a few ulps of |x| at most: the argument u carries ≈ 3 roundings
      // (its effect on GELU is ≤ 0.11·|x|·|Δu/u|), exp or tanh ≤ 3 ulp, and 1 + tanh u
      // rounds at the scale of 1 (so ≈ u·|x| absolute for negative x). 1e-6·|x| ≈ 17 ulp.
      const double tol = 1e-6 * std::fabs(v) + 1e-37;
      REQUIRE(std::fabs(ys[i] - ref) <= tol);
      REQUIRE(std::fabs(yv[i] - ref) <= tol);
    }
  }
}

//-----------------------------------------------------------------------------------------
// [SECTION] Add, Dot, Axpy
//-----------------------------------------------------------------------------------------

TEST_CASE("add, dot, axpy: SIMD and scalar, every tail length") {
  std::mt19937 rng(9);
  for (size_t n : {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 768, 1000, 3075}) {
    CAPTURE(n);
    const std::vector<float> a = Random(n, rng), b = Random(n, rng);

    std::vector<float> ss(n), sv(n, -1.0f);
    kernels::scalar::Add(ss.data(), a.data(), b.data(), n);
    kernels::Add(sv.data(), a.data(), b.data(), n);
    for (size_t i = 0; i < n; ++i) {
      REQUIRE(ss[i] == a[i] + b[i]);  // one rounding, the same in any instruction set
      REQUIRE(sv[i] == ss[i]);
    }

    double ref = 0, mag = 0;
    for (size_t i = 0; i < n; ++i) ref += static_cast<double>(a[i]) * b[i], mag += std::fabs(static_cast<double>(a[i]) * b[i]);
    const double tol = (static_cast<double>(n) + 2) * kU * mag;  // γ_n on a sum of n products
    CHECK(std::fabs(kernels::scalar::Dot(a.data(), b.data(), n) - ref) <= tol);
    CHECK(std::fabs(kernels::Dot(a.data(), b.data(), n) - ref) <= tol);

    const float w = 0.37f;
    std::vector<float> ys = b, yv = b;
    kernels::scalar::Axpy(ys.data(), w, a.data(), n);
    kernels::Axpy(yv.data(), w, a.data(), n);
    for (size_t i = 0; i < n; ++i) {
      const double r = b[i] + static_cast<double>(w) * a[i];
      const double t = 2 * kU * (std::fabs(b[i]) + std::fabs(static_cast<double>(w) * a[i]));  // ≤ 2 roundings
      REQUIRE(std::fabs(ys[i] - r) <= t);
      REQUIRE(std::fabs(yv[i] - r) <= t);
    }
  }
}

//-----------------------------------------------------------------------------------------
// [SECTION] MatrixRow
//-----------------------------------------------------------------------------------------

TEST_CASE("matrix row: each format gives back its row, within the format's rounding") {
  // Rows that differ from one another (a wrong row offset cannot pass), values in [−1, 1].
  const size_t rows = 5, cols = 64;
  std::vector<float> x(rows * cols);
  for (size_t r = 0; r < rows; ++r)
    for (size_t c = 0; c < cols; ++c) x[r * cols + c] = std::sin(0.37 * c + 1.3 * r) * (0.5f + 0.1f * r);
  for (Type type : {Type::F32, Type::F16, Type::Q8_0, Type::Q4_0}) {
    CAPTURE(quant::TypeName(type));
    const size_t rb = quant::RowBytes(type, cols);
    std::vector<unsigned char> data(rows * rb);
    for (size_t r = 0; r < rows; ++r) {
      unsigned char* dst = data.data() + r * rb;
      const float* src = &x[r * cols];
      switch (type) {
        case Type::F32: std::memcpy(dst, src, rb); break;
        case Type::F16: quant::ConvertRowF16(src, reinterpret_cast<uint16_t*>(dst), cols); break;
        case Type::Q8_0: quant::QuantizeRowQ8_0(src, reinterpret_cast<quant::BlockQ8_0*>(dst), cols); break;
        case Type::Q4_0: quant::QuantizeRowQ4_0(src, reinterpret_cast<quant::BlockQ4_0*>(dst), cols); break;
      }
    }
    const kernels::Matrix m{type, data.data(), rows, cols};
    for (size_t r = 0; r < rows; ++r) {
      CAPTURE(r);
      float max_abs = 0.0f;
      for (size_t c = 0; c < cols; ++c) max_abs = std::max(max_abs, std::fabs(x[r * cols + c]));
      // Half a quantization step (the block's max / 127) for Q8_0; a whole one (max / 8) for
      // Q4_0, whose 16 levels reach −8·d but only +7·d; plus the f16 scale's rounding.
      const double tol = type == Type::F32   ? 0.0
                         : type == Type::F16 ? 0x1p-11 * max_abs
                         : type == Type::Q8_0 ? max_abs / 127.0 * (0.5 + 0x1p-11 * 127)
                                              : max_abs / 8.0 * (1.0 + 0x1p-11 * 8);
      std::vector<float> out(cols, 99.0f);
      REQUIRE(kernels::MatrixRow(m, r, out.data()));
      for (size_t c = 0; c < cols; ++c) REQUIRE(std::fabs(out[c] - x[r * cols + c]) <= tol + 1e-7);
    }
  }
}

TEST_CASE("matrix row: a row past the end or a broken block shape writes nothing") {
  std::vector<float> values(3 * 32, 1.0f);
  const kernels::Matrix f32{Type::F32, values.data(), 3, 32};
  std::vector<float> out(32, 7.0f);
  CHECK_FALSE(kernels::MatrixRow(f32, 3, out.data()));
  std::vector<unsigned char> q(2 * sizeof(quant::BlockQ8_0));
  const kernels::Matrix ragged{Type::Q8_0, q.data(), 1, 48};  // 48 is not a multiple of 32
  CHECK_FALSE(kernels::MatrixRow(ragged, 0, out.data()));
  for (float v : out) CHECK(v == 7.0f);
  CHECK(kernels::MatrixRow(f32, 2, out.data()));
  CHECK(out[31] == 1.0f);
}

//-----------------------------------------------------------------------------------------
// [SECTION] Dispatch and bench
//-----------------------------------------------------------------------------------------

TEST_CASE("kernels: chosen at run time, and each available set can be forced") {
  const std::vector<const char*> sets = kernels::AvailableSimd();
  REQUIRE(!sets.empty());
  CHECK(std::string(sets.back()) == "scalar");  // the plain loops run everywhere
#if defined(__wasm_simd128__)
  CHECK(std::string(sets.front()) == "wasm-simd128");
#endif
  const char* forced = std::getenv("ATTNLAB_SIMD");
  CHECK(std::string(kernels::SimdName()) == (forced ? forced : sets.front()));
  const std::string before = kernels::SimdName();
  CHECK_FALSE(kernels::UseSimd("no-such-set"));
  CHECK(kernels::SimdName() == before);
  // The same MatMul (Q8_0 weights, prefill and decode shapes) and attention kernels on every set
  std::mt19937 rng(9);
  const size_t rows = 40, cols = 96;
  const std::vector<float> inp = Random(5 * cols, rng);
  const Weights weights = MakeWeights(Type::Q8_0, rows, cols, rng);
  const kernels::Matrix w = weights.M();
  std::vector<float> reference;
  float dot_reference = 0;
  for (const char* set : sets) {
    CAPTURE(set);
    REQUIRE(kernels::UseSimd(set));
    CHECK(std::string(kernels::SimdName()) == set);
    std::vector<float> out(5 * rows);
    kernels::MatMul(out.data(), inp.data(), w, nullptr, 5);
    const float dot = kernels::Dot(inp.data(), inp.data() + cols, cols);
    if (reference.empty()) {
      reference = out;
      dot_reference = dot;
      continue;
    }
    for (size_t i = 0; i < out.size(); ++i) CHECK(out[i] == doctest::Approx(reference[i]).epsilon(1e-3));
    CHECK(dot == doctest::Approx(dot_reference).epsilon(1e-4));
  }
  REQUIRE(kernels::UseSimd(before.c_str()));
}

TEST_CASE("bench: runs and reports every format (tiny size, no timing checked)") {
  kernels::BenchOptions opt;
  opt.rows = 40;
  opt.cols = 64;
  opt.repeats = 1;
  opt.working_set = 1 << 16;
  opt.copy_bytes = 1 << 16;
  const std::string report = kernels::BenchKernels(opt);
  CHECK(report.find("memcpy") != std::string::npos);
  for (const char* name : {"f32", "f16", "q8_0", "q4_0"}) CHECK(report.find(name) != std::string::npos);
  CHECK(report.find("nan") == std::string::npos);
}
