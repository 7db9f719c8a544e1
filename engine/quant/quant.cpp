// Scalar reference implementations of the block formats in quant.h.
#include "quant/quant.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace attn::quant {

const char* TypeName(Type t) {
  switch (t) {
    case Type::F32: return "f32";
    case Type::F16: return "f16";
    case Type::Q4_0: return "q4_0";
    case Type::Q8_0: return "q8_0";
  }
  return "?";
}

bool IsSupported(uint32_t ggml_type) {
  return ggml_type == 0 || ggml_type == 1 || ggml_type == 2 || ggml_type == 8;
}

size_t RowBytes(Type t, size_t n) {
  switch (t) {
    case Type::F32: return n * 4;
    case Type::F16: return n * 2;
    case Type::Q4_0: return n / kBlock * sizeof(BlockQ4_0);
    case Type::Q8_0: return n / kBlock * sizeof(BlockQ8_0);
  }
  return 0;
}

// binary16: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits.
float F16ToF32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000) << 16;
  const uint32_t exp = (h >> 10) & 0x1F;
  uint32_t mant = h & 0x3FF;
  uint32_t bits;
  if (exp == 0x1F) {
    bits = sign | 0x7F800000 | (mant << 13);              // inf / NaN (payload kept)
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);     // normal: rebias 15 -> 127
  } else if (mant == 0) {
    bits = sign;                                          // ±0
  } else {                                                // subnormal: normalize
    int e = 113;
    while (!(mant & 0x400)) { mant <<= 1; --e; }
    bits = sign | (static_cast<uint32_t>(e) << 23) | ((mant & 0x3FF) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

uint16_t F32ToF16(float f) {
  uint32_t x;
  std::memcpy(&x, &f, 4);
  const uint16_t sign = static_cast<uint16_t>((x >> 16) & 0x8000);
  const uint32_t abs = x & 0x7FFFFFFF;
  if (abs >= 0x7F800000)                                  // inf or NaN (keep NaN a NaN)
    return sign | 0x7C00 | (abs > 0x7F800000 ? 0x200 | ((abs >> 13) & 0x3FF) : 0);
  if (abs >= 0x477FF000) return sign | 0x7C00;            // rounds past 65504: inf
  if (abs < 0x38800000) {                                 // below the smallest normal half
    if (abs < 0x33000000) return sign;                    // rounds to ±0
    const uint32_t e = abs >> 23;
    const uint32_t mant = (abs & 0x7FFFFF) | 0x800000;    // with the implicit 1
    const uint32_t shift = 126 - e;                       // 14..24
    uint32_t half = mant >> shift;
    const uint32_t rest = mant & ((1u << shift) - 1), mid = 1u << (shift - 1);
    if (rest > mid || (rest == mid && (half & 1))) ++half;  // round to nearest even
    return sign | static_cast<uint16_t>(half);
  }
  uint32_t half = ((abs >> 13) - (112u << 10));           // rebias 127 -> 15
  const uint32_t rest = abs & 0x1FFF;
  if (rest > 0x1000 || (rest == 0x1000 && (half & 1))) ++half;  // may carry into the exponent: fine
  return sign | static_cast<uint16_t>(half);
}

void QuantizeRowQ8_0(const float* x, BlockQ8_0* y, size_t n) {
  for (size_t b = 0; b < n / kBlock; ++b, x += kBlock) {
    float amax = 0.0f;
    for (int i = 0; i < kBlock; ++i) amax = std::fmax(amax, std::fabs(x[i]));
    const float d = amax / 127.0f;
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = F32ToF16(d);
    for (int i = 0; i < kBlock; ++i) y[b].qs[i] = static_cast<int8_t>(std::round(x[i] * id));
  }
}

void QuantizeRowQ4_0(const float* x, BlockQ4_0* y, size_t n) {
  for (size_t b = 0; b < n / kBlock; ++b, x += kBlock) {
    float amax = 0.0f, max = 0.0f;  // the value of largest magnitude, with its sign
    for (int i = 0; i < kBlock; ++i) {
      if (std::fabs(x[i]) > amax) { amax = std::fabs(x[i]); max = x[i]; }
    }
    const float d = max / -8.0f;  // so that `max` maps to q = 0 (−8 after the offset)
    const float id = d != 0.0f ? 1.0f / d : 0.0f;
    y[b].d = F32ToF16(d);
    for (int j = 0; j < kBlock / 2; ++j) {
      const int q0 = std::min(15, static_cast<int>(static_cast<int8_t>(x[j] * id + 8.5f)));
      const int q1 = std::min(15, static_cast<int>(static_cast<int8_t>(x[j + kBlock / 2] * id + 8.5f)));
      y[b].qs[j] = static_cast<uint8_t>(q0 | (q1 << 4));
    }
  }
}

void DequantizeRowQ8_0(const BlockQ8_0* x, float* y, size_t n) {
  for (size_t b = 0; b < n / kBlock; ++b) {
    const float d = F16ToF32(x[b].d);
    for (int i = 0; i < kBlock; ++i) y[b * kBlock + i] = d * x[b].qs[i];
  }
}

void DequantizeRowQ4_0(const BlockQ4_0* x, float* y, size_t n) {
  for (size_t b = 0; b < n / kBlock; ++b) {
    const float d = F16ToF32(x[b].d);
    for (int j = 0; j < kBlock / 2; ++j) {
      y[b * kBlock + j] = d * ((x[b].qs[j] & 0x0F) - 8);
      y[b * kBlock + j + kBlock / 2] = d * ((x[b].qs[j] >> 4) - 8);
    }
  }
}

void ConvertRowF16(const float* x, uint16_t* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = F32ToF16(x[i]);
}

void DequantizeRowF16(const uint16_t* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = F16ToF32(x[i]);
}

void DequantizeRow(Type t, const void* row, float* y, size_t n) {
  switch (t) {
    case Type::F32: std::memcpy(y, row, n * sizeof(float)); break;
    case Type::F16: DequantizeRowF16(static_cast<const uint16_t*>(row), y, n); break;
    case Type::Q8_0: DequantizeRowQ8_0(static_cast<const BlockQ8_0*>(row), y, n); break;
    case Type::Q4_0: DequantizeRowQ4_0(static_cast<const BlockQ4_0*>(row), y, n); break;
  }
}

}  // namespace attn::quant
