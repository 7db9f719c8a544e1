// quant/: F16 conversion, Q8_0 and Q4_0 blocks (bytes as ggml writes them), type table.
//
// [SECTION] Index
//   [SECTION] F16
//   [SECTION] Q8_0
//   [SECTION] Q4_0
//   [SECTION] Type table
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "quant/quant.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define ATTN_TEST_F16C 1
// The CPU's own float → half conversion, where it has one (the build is baseline x86-64).
__attribute__((target("f16c"))) static uint16_t HardwareHalf(float f) {
  return static_cast<uint16_t>(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT));
}
#endif

using namespace attn::quant;

namespace {

float FromBits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// The value of a half, computed independently of the converter: (−1)^s · m · 2^(e−25) with
// the implicit bit for normals, m · 2^−24 for subnormals.
double HalfValue(uint16_t h) {
  const int s = h >> 15, e = (h >> 10) & 31, m = h & 1023;
  const double v = e == 0 ? std::ldexp(m, -24) : std::ldexp(1024 + m, e - 25);
  return s ? -v : v;
}

template <class Block>
std::vector<unsigned char> Bytes(const Block& b) {
  std::vector<unsigned char> v(sizeof b);
  std::memcpy(v.data(), &b, sizeof b);
  return v;
}

}  // namespace

//-----------------------------------------------------------------------------------------
// [SECTION] F16
//-----------------------------------------------------------------------------------------

TEST_CASE("f16: every one of the 65536 halves converts exactly and round-trips") {
  int nans = 0;
  for (uint32_t i = 0; i < 65536; ++i) {
    const uint16_t h = static_cast<uint16_t>(i);
    const float f = F16ToF32(h);
    const int e = (h >> 10) & 31, m = h & 1023;
    if (e == 31 && m != 0) {
      ++nans;
      REQUIRE(std::isnan(f));
      REQUIRE(std::signbit(f) == ((h & 0x8000) != 0));
    } else if (e == 31) {
      REQUIRE(std::isinf(f));
      REQUIRE((f < 0) == ((h & 0x8000) != 0));
    } else {
      REQUIRE(static_cast<double>(f) == HalfValue(h));
      REQUIRE(std::signbit(f) == ((h & 0x8000) != 0));  // −0 stays −0
    }
    REQUIRE(F32ToF16(f) == h);  // bit-exact, NaN payloads included
  }
  CHECK(nans == 2 * 1023);
}

TEST_CASE("f16: special values and rounding to nearest even") {
  CHECK(F32ToF16(0.0f) == 0x0000);
  CHECK(F32ToF16(-0.0f) == 0x8000);
  CHECK(F32ToF16(1.0f) == 0x3c00);
  CHECK(F32ToF16(-2.0f) == 0xc000);
  CHECK(F32ToF16(0.1f) == 0x2e66);           // 0.0999755859375
  CHECK(F32ToF16(65504.0f) == 0x7bff);       // largest finite half
  CHECK(F32ToF16(65519.996f) == 0x7bff);     // just below the halfway point to 65536
  CHECK(F32ToF16(65520.0f) == 0x7c00);       // halfway: ties to "even" 65536 = overflow -> inf
  CHECK(F32ToF16(1e10f) == 0x7c00);
  CHECK(F32ToF16(-1e10f) == 0xfc00);
  CHECK(F32ToF16(INFINITY) == 0x7c00);
  CHECK(F32ToF16(-INFINITY) == 0xfc00);
  CHECK(F32ToF16(std::ldexp(1.0f, -14)) == 0x0400);  // smallest normal
  CHECK(F32ToF16(std::ldexp(1.0f, -24)) == 0x0001);  // smallest subnormal
  CHECK(F32ToF16(std::ldexp(1023.0f, -24)) == 0x03ff);  // largest subnormal
  CHECK(F32ToF16(std::ldexp(1.0f, -25)) == 0x0000);  // halfway between 0 and 2^−24: to even 0
  CHECK(F32ToF16(std::nextafter(std::ldexp(1.0f, -25), 1.0f)) == 0x0001);
  CHECK(F32ToF16(std::ldexp(3.0f, -25)) == 0x0002);  // 1.5 · 2^−24: tie, to even 2
  CHECK(F32ToF16(std::ldexp(5.0f, -25)) == 0x0002);  // 2.5 · 2^−24: tie, to even 2
  CHECK(F32ToF16(std::ldexp(2047.0f, -25)) == 0x0400);  // rounds up into the smallest normal
  CHECK(F32ToF16(1.0f + std::ldexp(1.0f, -11)) == 0x3c00);       // tie: 1 (even) wins
  CHECK(F32ToF16(1.0f + std::ldexp(3.0f, -11)) == 0x3c02);       // tie: 1 + 2^−9 (even) wins
  CHECK(F32ToF16(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)) == 0x3c01);  // above the tie
  CHECK(F32ToF16(std::ldexp(1.0f, -40)) == 0x0000);  // underflow keeps the sign
  CHECK(F32ToF16(-std::ldexp(1.0f, -40)) == 0x8000);
  CHECK(F32ToF16(std::numeric_limits<float>::denorm_min()) == 0x0000);

  const uint16_t qnan = F32ToF16(NAN);
  CHECK((qnan & 0x7c00) == 0x7c00);
  CHECK((qnan & 0x03ff) != 0);
  CHECK(F32ToF16(FromBits(0x7f800001u)) != 0x7c00);  // payload only in the dropped bits: still NaN
  CHECK((F32ToF16(FromBits(0x7f800001u)) & 0x3ff) != 0);
  CHECK((F32ToF16(-NAN) & 0x8000) != 0);
  CHECK(std::isnan(F16ToF32(0x7e00)));
  CHECK(F16ToF32(0x7c00) == INFINITY);
  CHECK(F16ToF32(0xfc00) == -INFINITY);
  CHECK(F16ToF32(0x3555) == doctest::Approx(0.33325195));
}

TEST_CASE("f16: random floats go to the nearest half (ties to even)") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<uint32_t> bits(0, 0x477fefffu);  // |f| below the overflow point
#if ATTN_TEST_F16C
  const bool has_f16c = __builtin_cpu_supports("f16c");
#endif
  for (int i = 0; i < 200000; ++i) {
    const uint32_t u = bits(rng) | (i & 1u) << 31;
    const float f = FromBits(u);
    const uint16_t h = F32ToF16(f);
    const double err = std::fabs(HalfValue(h) - static_cast<double>(f));
    // Neighbours of h in the same sign: none may be closer, and on a tie h must be even.
    for (int step : {-1, 1}) {
      const int n = static_cast<int>(h & 0x7fff) + step;
      if (n < 0 || n >= 0x7c00) continue;
      const double nerr = std::fabs(HalfValue(static_cast<uint16_t>((h & 0x8000) | n)) - static_cast<double>(f));
      REQUIRE(err <= nerr);
      if (err == nerr) REQUIRE((h & 1) == 0);
    }
#if ATTN_TEST_F16C
    if (has_f16c) REQUIRE(h == HardwareHalf(f));  // the hardware agrees
#endif
  }
}

TEST_CASE("f16: row conversion") {
  const float x[5] = {1.0f, -0.5f, 65504.0f, 0.0f, 3.0f};
  uint16_t h[5];
  float y[5];
  ConvertRowF16(x, h, 5);
  DequantizeRowF16(h, y, 5);
  CHECK(h[0] == 0x3c00);
  CHECK(h[1] == 0xb800);
  for (int i = 0; i < 5; ++i) CHECK(y[i] == x[i]);
}

//-----------------------------------------------------------------------------------------
// [SECTION] Q8_0
//-----------------------------------------------------------------------------------------

TEST_CASE("q8_0: a block with d = 1 (max |x| = 127), bytes as ggml writes them") {
  // amax = 127 -> d = 127/127 = 1 (f16 0x3c00, stored little-endian), id = 1, q = roundf(x):
  // halves round away from zero (2.5 -> 3, −2.5 -> −3), not to even.
  float x[32] = {127, -127, 2.5f, -2.5f, 0.5f, -0.5f, 1.49f, -1.51f, 0, 3.7f};
  for (int j = 10; j < 32; ++j) x[j] = static_cast<float>(j - 10);
  BlockQ8_0 b;
  QuantizeRowQ8_0(x, &b, 32);
  std::vector<unsigned char> want = {0x00, 0x3c, 127, 0x81, 3, 0xfd, 1, 0xff, 1, 0xfe, 0, 4};
  for (int j = 10; j < 32; ++j) want.push_back(static_cast<unsigned char>(j - 10));
  CHECK(Bytes(b) == want);
}

TEST_CASE("q8_0: a block with d = 2, and an all-zero block") {
  // amax = 254 -> d = 2 (f16 0x4000), id = 0.5: 3 -> 1.5 -> 2, −5 -> −2.5 -> −3, 1 -> 0.5 -> 1,
  // 0.9998 -> 0.4999 -> 0, −254 -> −127.
  float x[64] = {254, 3, -5, 1, -1, 0.9998f, -254};
  BlockQ8_0 b[2];
  QuantizeRowQ8_0(x, b, 64);
  std::vector<unsigned char> want = {0x00, 0x40, 127, 2, 0xfd, 1, 0xff, 0, 0x81};
  want.resize(34, 0);
  CHECK(Bytes(b[0]) == want);
  CHECK(Bytes(b[1]) == std::vector<unsigned char>(34, 0));  // d = 0, id = 0: all zeros
  float y[64];
  DequantizeRowQ8_0(b, y, 64);
  const float expect[7] = {254, 4, -6, 2, -2, 0, -254};
  for (int j = 0; j < 7; ++j) CHECK(y[j] == expect[j]);
  for (int j = 32; j < 64; ++j) CHECK(y[j] == 0.0f);
}

TEST_CASE("q8_0: round trip error is at most half a step (plus the f16 rounding of d)") {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const size_t n = 32 * 200;
  std::vector<float> x(n), y(n);
  for (size_t i = 0; i < n; ++i) x[i] = normal(rng) * (i % 64 < 32 ? 1.0f : 1e-3f);
  std::vector<BlockQ8_0> q(n / 32);
  QuantizeRowQ8_0(x.data(), q.data(), n);
  DequantizeRowQ8_0(q.data(), y.data(), n);
  for (size_t b = 0; b < n / 32; ++b) {
    float amax = 0;
    for (int j = 0; j < 32; ++j) amax = std::fmax(amax, std::fabs(x[b * 32 + j]));
    const float d = amax / 127;
    REQUIRE(q[b].d == F32ToF16(d));
    // |x − q·d16| ≤ |x − q·d| + |q|·|d − d16| ≤ d/2 + 127·|d − d16|. For normal halves
    // |d − d16| ≤ d·2^−11 (11 significant bits); the 1e-3 blocks have d ≈ 3e-5, below f16's
    // smallest normal 6.1e-5, where d16 keeps fewer bits: a real limit of Q8_0 for tiny values.
    const float d16 = F16ToF32(q[b].d);
    if (d >= 6.2e-5f) REQUIRE(std::fabs(d - d16) <= d / 2048.0f);
    const float bound = (d / 2 + 127.0f * std::fabs(d - d16)) * 1.0001f;
    for (int j = 0; j < 32; ++j) REQUIRE(std::fabs(x[b * 32 + j] - y[b * 32 + j]) <= bound);
  }
}

//-----------------------------------------------------------------------------------------
// [SECTION] Q4_0
//-----------------------------------------------------------------------------------------

TEST_CASE("q4_0: nibble order — value j in the low nibble of byte j, value j+16 in the high") {
  // q_j = j for j < 16 and q_(16+j) = 15 − j; x = q − 8 with d = 1: the largest |x| is the first
  // value, −8, so d = −8 / −8 = 1, id = 1, and x + 8.5 truncates back to q.
  float x[32];
  for (int j = 0; j < 16; ++j) {
    x[j] = static_cast<float>(j - 8);
    x[16 + j] = static_cast<float>(15 - j - 8);
  }
  BlockQ4_0 b;
  QuantizeRowQ4_0(x, &b, 32);
  std::vector<unsigned char> want = {0x00, 0x3c};
  for (int j = 0; j < 16; ++j) want.push_back(static_cast<unsigned char>(j | (15 - j) << 4));
  CHECK(want[2] == 0xf0);
  CHECK(want[17] == 0x0f);
  CHECK(Bytes(b) == want);
  float y[32];
  DequantizeRowQ4_0(&b, y, 32);
  for (int j = 0; j < 32; ++j) CHECK(y[j] == x[j]);
}

TEST_CASE("q4_0: rounding is half up, and the top is clamped to 15") {
  // d = 1 again (first value −8): q = min(15, trunc(x + 8.5)).
  //   −0.5 -> 8.0 -> 8,  0.5 -> 9,  −1.5 -> 7.0 -> 7,  1.5 -> 10,  7.4 -> 15.9 -> 15,
  //   7.6 -> 16.1 -> 16 -> clamped to 15;  the other 25 values are 0 -> 8.
  float x[32] = {-8, -0.5f, 0.5f, -1.5f, 1.5f, 7.4f, 7.6f};
  BlockQ4_0 b;
  QuantizeRowQ4_0(x, &b, 32);
  std::vector<unsigned char> want = {0x00, 0x3c, 0x80, 0x88, 0x89, 0x87, 0x8a, 0x8f, 0x8f};
  want.resize(18, 0x88);
  CHECK(Bytes(b) == want);
}

TEST_CASE("q4_0: the scale takes the sign of the first largest value") {
  // +8 comes first, so d = 8 / −8 = −1 (f16 0xbc00): 8 -> −8 + 8.5 -> 0 and −8 -> 16.5 -> 16,
  // clamped to 15, which dequantizes to −7: the one value that loses a whole step.
  float x[32] = {};
  x[0] = 8;
  x[5] = -8;
  BlockQ4_0 b;
  QuantizeRowQ4_0(x, &b, 32);
  std::vector<unsigned char> want(18, 0x88);
  want[0] = 0x00;
  want[1] = 0xbc;
  want[2] = 0x80;
  want[7] = 0x8f;
  CHECK(Bytes(b) == want);
  float y[32];
  DequantizeRowQ4_0(&b, y, 32);
  CHECK(y[0] == 8.0f);
  CHECK(y[5] == -7.0f);
  CHECK(y[1] == 0.0f);
}

TEST_CASE("q4_0: x·id and + 8.5 round separately, as in ggml's reference (no fused multiply-add)") {
  // d = −8.8 / −8 = 1.1 (f16 0x3c66), id = 1/1.1 is inexact. x = −2.75 − 2 ulp: x·id rounds to
  // exactly −2.5, + 8.5 = 6.0 -> 6; fused into one rounding it would be 5.9999… -> 5. Likewise
  // 2.75 − 2 ulp -> 11 (fused: 10). Found with an independent numpy model of the reference;
  // compiled with -mfma, GCC fuses the two unless the code prevents it.
  float x[32] = {-8.8f, FromBits(0xc0300002u), FromBits(0x402ffffeu)};
  BlockQ4_0 b;
  QuantizeRowQ4_0(x, &b, 32);
  std::vector<unsigned char> want(18, 0x88);
  want[0] = 0x66;
  want[1] = 0x3c;
  want[2] = 0x80;  // −8.8 -> −8 + 8.5 -> 0
  want[3] = 0x86;
  want[4] = 0x8b;
  CHECK(Bytes(b) == want);
}

TEST_CASE("q4_0: round trip error is at most one step |d| = max|x|/8") {
  std::mt19937 rng(12);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  const size_t n = 32 * 200;
  std::vector<float> x(n), y(n);
  for (float& v : x) v = normal(rng);
  std::vector<BlockQ4_0> q(n / 32);
  QuantizeRowQ4_0(x.data(), q.data(), n);
  DequantizeRowQ4_0(q.data(), y.data(), n);
  double sq = 0;
  for (size_t b = 0; b < n / 32; ++b) {
    float amax = 0;
    for (int j = 0; j < 32; ++j) amax = std::fmax(amax, std::fabs(x[b * 32 + j]));
    // Half a step inside the range; a whole step for the values clamped at q = 15; plus
    // 8·|d|·2^−11 from storing d as f16.
    const float bound = amax / 8 * (1.0f + 8.0f / 2048.0f) * 1.0001f;
    for (int j = 0; j < 32; ++j) {
      REQUIRE(std::fabs(x[b * 32 + j] - y[b * 32 + j]) <= bound);
      sq += std::pow(x[b * 32 + j] - y[b * 32 + j], 2);
    }
  }
  CHECK(std::sqrt(sq / n) < 0.15);  // ≈ step/√12 for N(0, 1) data with amax ≈ 2.2
}

//-----------------------------------------------------------------------------------------
// [SECTION] Type table
//-----------------------------------------------------------------------------------------

TEST_CASE("quant: type names, ids, row sizes") {
  CHECK(std::string(TypeName(Type::F32)) == "f32");
  CHECK(std::string(TypeName(Type::F16)) == "f16");
  CHECK(std::string(TypeName(Type::Q4_0)) == "q4_0");
  CHECK(std::string(TypeName(Type::Q8_0)) == "q8_0");
  for (uint32_t t : {0u, 1u, 2u, 8u}) CHECK(IsSupported(t));
  for (uint32_t t : {3u, 6u, 7u, 9u, 10u, 12u, 30u, 1000u}) CHECK_FALSE(IsSupported(t));
  CHECK(RowBytes(Type::F32, 768) == 3072);
  CHECK(RowBytes(Type::F16, 768) == 1536);
  CHECK(RowBytes(Type::Q8_0, 768) == 24 * 34);
  CHECK(RowBytes(Type::Q4_0, 768) == 24 * 18);
}

TEST_CASE("quant: DequantizeRow dispatches on the type") {
  std::vector<float> x(64);
  for (int i = 0; i < 64; ++i) x[i] = static_cast<float>(i % 16) - 8.0f;
  std::vector<float> y(64);
  DequantizeRow(Type::F32, x.data(), y.data(), 64);
  CHECK(y == x);
  std::vector<uint16_t> h(64);
  ConvertRowF16(x.data(), h.data(), 64);
  DequantizeRow(Type::F16, h.data(), y.data(), 64);
  CHECK(y == x);
  std::vector<BlockQ8_0> q8(2);
  QuantizeRowQ8_0(x.data(), q8.data(), 64);
  DequantizeRow(Type::Q8_0, q8.data(), y.data(), 64);
  for (int i = 0; i < 64; ++i) CHECK(y[i] == doctest::Approx(x[i]).epsilon(0.01));
  std::vector<BlockQ4_0> q4(2);
  QuantizeRowQ4_0(x.data(), q4.data(), 64);
  DequantizeRow(Type::Q4_0, q4.data(), y.data(), 64);
  CHECK(y == x);  // integers −8..7 with max |x| = 8 are exact in Q4_0
}

TEST_CASE("type table: one row per type, its sizes, names and row functions agree with the block structs") {
  using namespace attn::quant;
  CHECK(AllTypes().size() == 4);
  for (const TypeTraits& t : AllTypes()) {
    CAPTURE(t.name);
    CHECK(FindType(static_cast<uint32_t>(t.type)) == &t);
    CHECK(FindType(std::string_view(t.name)) == &t);
    CHECK(std::string(TypeName(t.type)) == t.name);
    CHECK(IsSupported(static_cast<uint32_t>(t.type)));
    CHECK(RowBytes(t.type, 64) == 64 / t.block_values * t.block_bytes);
    // A row through the table comes back within the type's error, and is finite.
    std::vector<float> x(64), y(64);
    for (int i = 0; i < 64; ++i) x[i] = std::sin(0.37f * i) * 3.0f;
    std::vector<uint8_t> bytes(RowBytes(t.type, 64));
    QuantizeRow(t.type, x.data(), bytes.data(), 64);
    DequantizeRow(t.type, bytes.data(), y.data(), 64);
    float err = 0;
    for (int i = 0; i < 64; ++i) err = std::max(err, std::fabs(x[i] - y[i]));
    // f16: relative 2^-11; Q8_0: half a step of max|x|/127; Q4_0: up to one step of max|x|/8
    // (the side opposite the largest value reaches only 7 steps).
    const float bound = t.type == Type::Q4_0 ? 3.0f / 8 * 1.01f : t.type == Type::Q8_0 ? 3.0f / 127 : 0.002f;
    CHECK(err <= bound);
    CHECK(t.all_finite(bytes.data(), 64));
    // A NaN in the first value (block types: in the first block's scale) is found.
    x[0] = NAN;
    QuantizeRow(t.type, x.data(), bytes.data(), 64);
    if (t.block_values > 1) {
      const uint16_t nan_scale = 0x7E00;
      std::memcpy(bytes.data(), &nan_scale, 2);
    }
    CHECK_FALSE(t.all_finite(bytes.data(), 64));
  }
  CHECK(sizeof(BlockQ8_0) == FindType("q8_0")->block_bytes);
  CHECK(sizeof(BlockQ4_0) == FindType("q4_0")->block_bytes);
  CHECK(FindType(8)->file_type == 7);  // llama.cpp's MOSTLY_Q8_0
  CHECK(FindType(12u) == nullptr);     // Q4_K: not read by Attention Lab
  CHECK(FindType("q4_k") == nullptr);
  CHECK(RowBytes(Type::Q8_0, 40) == 0);  // not a whole number of blocks
  CHECK_FALSE(IsSupported(3));
}
