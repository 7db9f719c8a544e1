// Block quantization formats (see quant.h), written from the format description:
//
//   F16   sign(1) exponent(5, bias 15) mantissa(10); exponent 0 = zero/subnormal, 31 = inf/NaN
//   Q8_0  per 32 values: d = f16(amax / 127), q_j = roundf(x_j · (1/d))          x ≈ d · q
//   Q4_0  per 32 values: d = f16(m / −8) where m is the value of largest |x| (the first one
//         on ties), q_j = min(15, trunc(x_j · (1/d) + 8.5)), stored as nibbles  x ≈ d·(q − 8)
//
// "Bit-compatible with ggml" means: for the same floats we write the same bytes as ggml's
// reference quantizers, which llama.cpp uses to create GGUF files. The details that matter:
//   - the scale is computed in f32 and rounded to f16 (round to nearest even) only for
//     storage; the quantized values are computed with the unrounded f32 scale,
//   - x is multiplied by the reciprocal id = 1/d (not divided by d); id = 0 when d = 0,
//   - Q8_0 rounds half away from zero (roundf); Q4_0 truncates x·id + 8.5 toward zero,
//   - every operation is a separately rounded f32 operation (no fused multiply-add).
#include "quant/quant.h"

#include <cassert>
#include <cmath>
#include <cstring>

namespace attn::quant {

namespace {

uint32_t FloatBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

float BitsFloat(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

// Keeps a product rounded to f32 before it is added to something: GCC contracts a·b + c
// into one fused multiply-add when FMA is enabled (-mfma), which rounds once instead of
// twice and can move x·id + 8.5 across an integer boundary. ggml's reference rounds twice.
float Rounded(float v) {
  volatile float r = v;
  return r;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// F16 <-> F32 (by hand: integer operations only, so it does not depend on the FPU's
// subnormal mode or on F16C)
// ---------------------------------------------------------------------------------------

float F16ToF32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  int exp = (h >> 10) & 0x1f;  // biased by 15
  uint32_t mant = h & 0x3ffu;
  if (exp == 0x1f) return BitsFloat(sign | 0x7f800000u | (mant << 13));  // inf, NaN (payload kept)
  if (exp == 0) {
    if (mant == 0) return BitsFloat(sign);  // ±0
    // Subnormal: mant · 2^−24 = (mant / 2^10) · 2^(1 − 15). Shift the mantissa up until its
    // leading 1 reaches the implicit-bit position (bit 10), lowering the exponent once per
    // shift; f32's wider exponent range holds the result as a normal number.
    exp = 1;
    while ((mant & 0x400u) == 0) {
      mant <<= 1;
      --exp;
    }
    mant &= 0x3ffu;
  }
  // Normal: rebias the exponent (15 -> 127) and widen the mantissa (10 -> 23 bits).
  return BitsFloat(sign | static_cast<uint32_t>(exp + 127 - 15) << 23 | (mant << 13));
}

uint16_t F32ToF16(float f) {
  const uint32_t x = FloatBits(f);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000u);
  const uint32_t a = x & 0x7fffffffu;  // |f| as bits; ordered like the magnitudes

  if (a >= 0x7f800000u) {  // inf or NaN
    if (a == 0x7f800000u) return sign | 0x7c00u;
    // NaN: keep the top 10 payload bits (so F32ToF16(F16ToF32(h)) == h for every NaN h);
    // if they are all zero, set the quiet bit so the result is still a NaN, not infinity.
    uint16_t payload = static_cast<uint16_t>((a >> 13) & 0x3ffu);
    if (payload == 0) payload = 0x200u;
    return sign | 0x7c00u | payload;
  }
  // 65520 = 0x477ff000 is halfway between 65504 (largest half) and 65536; the tie goes to
  // the even neighbour 65536, which does not exist in f16: everything from there up is inf.
  if (a >= 0x477ff000u) return sign | 0x7c00u;

  const uint32_t exp = a >> 23;             // biased by 127
  const uint32_t mant = (a & 0x7fffffu) | 0x800000u;  // with the implicit leading 1 (24 bits)
  if (exp < 113) {  // |f| < 2^−14: a subnormal half (or zero), value = m · 2^−24
    // |f| = mant · 2^(exp − 150), so m = |f| · 2^24 = mant >> (126 − exp), rounded.
    const uint32_t shift = 126 - exp;  // ≥ 14
    if (shift > 24) return sign;       // |f| < 2^−25: below half the smallest subnormal
    const uint32_t m = mant >> shift;
    const uint32_t rest = mant & ((1u << shift) - 1);
    const uint32_t half = 1u << (shift - 1);
    // Round to nearest, ties to even. m may round up to 0x400, the smallest normal: the bit
    // pattern is right as it is.
    return sign | static_cast<uint16_t>(m + (rest > half || (rest == half && (m & 1u))));
  }
  // Normal: rebias the exponent (127 → 15) and keep the top 10 mantissa bits; the 13 dropped
  // bits decide the rounding. A carry out of the mantissa correctly bumps the exponent.
  const uint32_t h = ((exp - 112) << 10) | ((a >> 13) & 0x3ffu);
  const uint32_t rest = a & 0x1fffu;
  return sign | static_cast<uint16_t>(h + (rest > 0x1000u || (rest == 0x1000u && (h & 1u))));
}

void ConvertRowF16(const float* x, uint16_t* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = F32ToF16(x[i]);
}

void DequantizeRowF16(const uint16_t* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = F16ToF32(x[i]);
}

// ---------------------------------------------------------------------------------------
// Q8_0: x (n) -> n/32 blocks { d, q[32] },   x_j ≈ d · q_j
// ---------------------------------------------------------------------------------------

void QuantizeRowQ8_0(const float* x, BlockQ8_0* y, size_t n) {
  assert(n % kBlock == 0);
  for (size_t b = 0; b < n / kBlock; ++b, x += kBlock) {
    float amax = 0.0f;  // max |x_j| over the block
    for (int j = 0; j < kBlock; ++j) amax = std::fmax(amax, std::fabs(x[j]));
    const float d = amax / 127.0f;  // the largest |x| maps to ±127
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = F32ToF16(d);
    for (int j = 0; j < kBlock; ++j) y[b].qs[j] = static_cast<int8_t>(std::roundf(x[j] * id));
  }
}

void DequantizeRowQ8_0(const BlockQ8_0* x, float* y, size_t n) {
  assert(n % kBlock == 0);
  for (size_t b = 0; b < n / kBlock; ++b, y += kBlock) {
    const float d = F16ToF32(x[b].d);
    for (int j = 0; j < kBlock; ++j) y[j] = d * static_cast<float>(x[b].qs[j]);
  }
}

// ---------------------------------------------------------------------------------------
// Q4_0: x (n) -> n/32 blocks { d, 16 bytes of nibbles },   x_j ≈ d · (q_j − 8)
// ---------------------------------------------------------------------------------------

void QuantizeRowQ4_0(const float* x, BlockQ4_0* y, size_t n) {
  assert(n % kBlock == 0);
  for (size_t b = 0; b < n / kBlock; ++b, x += kBlock) {
    // The value of largest magnitude, with its sign (the first one wins a tie).
    float amax = 0.0f, max = 0.0f;
    for (int j = 0; j < kBlock; ++j) {
      if (amax < std::fabs(x[j])) {
        amax = std::fabs(x[j]);
        max = x[j];
      }
    }
    // d = max / −8 puts that value exactly on q = 0 (x = −8·d): the signed choice uses the
    // full range −8..7 on the side where the largest value lies.
    const float d = max / -8.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = F32ToF16(d);
    for (int j = 0; j < kBlock / 2; ++j) {
      // + 8.5 then truncation = round half up, shifted to 0..16; 16 (x within half a step of
      // −max) is clamped to 15. Values outside int8 cannot occur: |x·id| ≤ 8.
      const int q0 = static_cast<int8_t>(Rounded(x[j] * id) + 8.5f);
      const int q1 = static_cast<int8_t>(Rounded(x[j + kBlock / 2] * id) + 8.5f);
      y[b].qs[j] = static_cast<uint8_t>((q0 < 15 ? q0 : 15) | (q1 < 15 ? q1 : 15) << 4);
    }
  }
}

void DequantizeRowQ4_0(const BlockQ4_0* x, float* y, size_t n) {
  assert(n % kBlock == 0);
  for (size_t b = 0; b < n / kBlock; ++b, y += kBlock) {
    const float d = F16ToF32(x[b].d);
    for (int j = 0; j < kBlock / 2; ++j) {
      y[j] = d * static_cast<float>((x[b].qs[j] & 0x0f) - 8);               // low nibble: j
      y[j + kBlock / 2] = d * static_cast<float>((x[b].qs[j] >> 4) - 8);    // high: j + 16
    }
  }
}

// ---------------------------------------------------------------------------------------
// [SECTION] The type table: one row per type (ggml's type_traits)
// ---------------------------------------------------------------------------------------

namespace {

void CopyRowF32(const float* x, void* y, size_t n) { std::memcpy(y, x, n * sizeof(float)); }
void ReadRowF32(const void* x, float* y, size_t n) { std::memcpy(y, x, n * sizeof(float)); }
void QuantizeF16(const float* x, void* y, size_t n) { ConvertRowF16(x, static_cast<uint16_t*>(y), n); }
void DequantizeF16(const void* x, float* y, size_t n) { DequantizeRowF16(static_cast<const uint16_t*>(x), y, n); }
void QuantizeQ8_0(const float* x, void* y, size_t n) { QuantizeRowQ8_0(x, static_cast<BlockQ8_0*>(y), n); }
void DequantizeQ8_0(const void* x, float* y, size_t n) { DequantizeRowQ8_0(static_cast<const BlockQ8_0*>(x), y, n); }
void QuantizeQ4_0(const float* x, void* y, size_t n) { QuantizeRowQ4_0(x, static_cast<BlockQ4_0*>(y), n); }
void DequantizeQ4_0(const void* x, float* y, size_t n) { DequantizeRowQ4_0(static_cast<const BlockQ4_0*>(x), y, n); }

bool F16Finite(uint16_t h) { return (h & 0x7C00) != 0x7C00; }  // exponent all ones: inf or NaN
bool FiniteF32(const void* x, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    float v;
    std::memcpy(&v, static_cast<const uint8_t*>(x) + 4 * i, 4);  // a file's bytes need not be aligned
    if (!std::isfinite(v)) return false;
  }
  return true;
}
bool FiniteF16(const void* x, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    uint16_t h;
    std::memcpy(&h, static_cast<const uint8_t*>(x) + 2 * i, 2);
    if (!F16Finite(h)) return false;
  }
  return true;
}
template <typename Block>
bool FiniteBlocks(const void* x, size_t n) {  // the f16 scale d leads every block
  for (size_t b = 0; b < n / kBlock; ++b) {
    uint16_t d;
    std::memcpy(&d, static_cast<const uint8_t*>(x) + b * sizeof(Block), 2);
    if (!F16Finite(d)) return false;
  }
  return true;
}

//  type        name    values/block  bytes/block   file_type  quantize      dequantize      all_finite
constexpr TypeTraits kTypes[] = {
    {Type::F32,  "f32",  1,      sizeof(float),     0, CopyRowF32,   ReadRowF32,     FiniteF32},
    {Type::F16,  "f16",  1,      sizeof(uint16_t),  1, QuantizeF16,  DequantizeF16,  FiniteF16},
    {Type::Q4_0, "q4_0", kBlock, sizeof(BlockQ4_0), 2, QuantizeQ4_0, DequantizeQ4_0, FiniteBlocks<BlockQ4_0>},
    {Type::Q8_0, "q8_0", kBlock, sizeof(BlockQ8_0), 7, QuantizeQ8_0, DequantizeQ8_0, FiniteBlocks<BlockQ8_0>},
};

}  // namespace

std::span<const TypeTraits> AllTypes() { return kTypes; }

const TypeTraits* FindType(uint32_t ggml_type) {
  for (const TypeTraits& t : kTypes)
    if (static_cast<uint32_t>(t.type) == ggml_type) return &t;
  return nullptr;
}

const TypeTraits* FindType(std::string_view name) {
  for (const TypeTraits& t : kTypes)
    if (name == t.name) return &t;
  return nullptr;
}

const char* TypeName(Type t) {
  const TypeTraits* tt = FindType(static_cast<uint32_t>(t));
  return tt ? tt->name : "unknown";
}

bool IsSupported(uint32_t ggml_type) { return FindType(ggml_type) != nullptr; }

size_t RowBytes(Type t, size_t n) {
  const TypeTraits* tt = FindType(static_cast<uint32_t>(t));
  return tt && n % tt->block_values == 0 ? n / tt->block_values * tt->block_bytes : 0;
}

void QuantizeRow(Type t, const float* x, void* y, size_t n) {
  const TypeTraits* tt = FindType(static_cast<uint32_t>(t));
  assert(tt && n % tt->block_values == 0);
  if (tt) tt->quantize_row(x, y, n);
}

void DequantizeRow(Type t, const void* row, float* y, size_t n) {
  const TypeTraits* tt = FindType(static_cast<uint32_t>(t));
  if (tt) tt->dequantize_row(row, y, n);
  else for (size_t i = 0; i < n; ++i) y[i] = NAN;  // unknown type: make it visible, never crash
}

}  // namespace attn::quant
