// Block-quantized number formats, bit-compatible with ggml (and so with llama.cpp's GGUF):
//
//   F16   IEEE half precision
//   Q8_0  blocks of 32 values: one f16 scale d, 32 int8 q;       x ≈ d · q
//   Q4_0  blocks of 32 values: one f16 scale d, 32 4-bit q (0..15); x ≈ d · (q − 8)
//         byte j of qs holds value j in its low nibble and value j+16 in its high nibble
//
// A weight matrix of `rows × cols` (cols = the input dimension, ggml's ne0) is stored row by
// row; each row is cols/32 blocks, so cols must be a multiple of 32 for Q8_0 and Q4_0.
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace attn::quant {

inline constexpr int kBlock = 32;  // values per Q8_0 / Q4_0 block (ggml's QK8_0 = QK4_0 = 32)

struct BlockQ8_0 {
  uint16_t d;          // scale, as f16 bits
  int8_t qs[kBlock];   // quantized values
};
static_assert(sizeof(BlockQ8_0) == 34, "Q8_0 block must be 34 bytes, as in ggml");

struct BlockQ4_0 {
  uint16_t d;               // scale, as f16 bits
  uint8_t qs[kBlock / 2];   // nibbles: low = value j, high = value j + 16
};
static_assert(sizeof(BlockQ4_0) == 18, "Q4_0 block must be 18 bytes, as in ggml");

enum class Type : uint32_t {  // ggml's type ids (as stored in GGUF)
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q8_0 = 8,
};

// Everything the rest of the engine asks about a type, one row per type (the table is in
// quant.cpp). A new type: its block struct above, its two row functions below, its table row,
// and its dot product in the kernels (docs/ARCHITECTURE.md, "A quant type").
struct TypeTraits {
  Type type;
  const char* name;       // "q8_0": the CLI's --type, the UI, ModelInfo::weight_type
  int block_values;       // values per block (1 for F32 / F16)
  size_t block_bytes;     // bytes per block
  uint32_t file_type;     // llama.cpp's general.file_type for a model mostly of this type
  void (*quantize_row)(const float* x, void* y, size_t n);    // n a multiple of block_values
  void (*dequantize_row)(const void* x, float* y, size_t n);
  // False when any of n values is NaN or ±inf: for block types, any block's scale (the
  // integers inside cannot be). The loader refuses such weights with a message.
  bool (*all_finite)(const void* x, size_t n);
};
std::span<const TypeTraits> AllTypes();
const TypeTraits* FindType(uint32_t ggml_type);   // nullptr: not supported
const TypeTraits* FindType(std::string_view name);

const char* TypeName(Type t);      // "f32", "f16", "q4_0", "q8_0"
bool IsSupported(uint32_t ggml_type);
// Bytes for one row of `n` values; 0 when n is not a whole number of blocks.
size_t RowBytes(Type t, size_t n);

// IEEE 754 binary16 <-> binary32, round to nearest even, subnormals, ±inf and NaN exact.
float F16ToF32(uint16_t h);
uint16_t F32ToF16(float f);

// Quantize / dequantize n values (n a multiple of 32), with ggml's reference rounding
// (quantize_row_q8_0_ref / quantize_row_q4_0_ref), per block of 32, in f32 arithmetic:
//   Q8_0: d = max|x| / 127,               q = roundf(x · id)                 (ties away from 0)
//   Q4_0: d = (value with max |x|) / −8,  q = min(15, (int8)(x · id + 8.5))  (first max on ties)
// with id = 1/d (0 when d = 0) computed from the unrounded f32 d; d is stored as f16.
void QuantizeRowQ8_0(const float* x, BlockQ8_0* y, size_t n);
void QuantizeRowQ4_0(const float* x, BlockQ4_0* y, size_t n);
void DequantizeRowQ8_0(const BlockQ8_0* x, float* y, size_t n);
void DequantizeRowQ4_0(const BlockQ4_0* x, float* y, size_t n);
void ConvertRowF16(const float* x, uint16_t* y, size_t n);
void DequantizeRowF16(const uint16_t* x, float* y, size_t n);

// f32 -> any supported row format, and back (embedding lookups, conversion, requantizing).
void QuantizeRow(Type t, const float* x, void* y, size_t n);
void DequantizeRow(Type t, const void* row, float* y, size_t n);

}  // namespace attn::quant
