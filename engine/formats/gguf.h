// GGUF, the model container of ggml / llama.cpp and the Hugging Face hub's quantized models
// (spec: ggml's docs/gguf.md). Layout, all little-endian:
//
//   "GGUF"  u32 version (2 or 3)  u64 tensor_count  u64 metadata_kv_count
//   metadata_kv_count × { string key, u32 value_type, value }
//   tensor_count × { string name, u32 n_dims, u64 dims[n_dims], u32 ggml_type, u64 offset }
//   padding to `general.alignment` (default 32)
//   tensor data (each tensor at data_start + offset, offsets aligned)
//   string = u64 length + bytes (no terminator); array = u32 elem_type, u64 count, elements
//
// dims[0] is the innermost (row length): a weight of ggml dims [in, out] is stored row-major
// as out rows of in values. Everything read from a file is checked against its size first:
// a truncated or hostile file gives an Error, never a crash or a huge allocation.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace attn::gguf {

enum class ValueType : uint32_t {
  U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, BOOL = 7,
  STRING = 8, ARRAY = 9, U64 = 10, I64 = 11, F64 = 12,
};
const char* ValueTypeName(ValueType t);

// One metadata value. Scalars keep their exact value in the matching field; arrays keep
// their elements as strings (string arrays) or numbers (numeric and bool arrays).
struct Value {
  ValueType type = ValueType::U32;
  ValueType array_type = ValueType::U32;  // element type when type == ARRAY
  uint64_t u = 0;                         // U8..U64, BOOL
  int64_t i = 0;                          // I8..I64
  double f = 0.0;                         // F32, F64
  std::string s;                          // STRING
  std::vector<std::string> strings;       // ARRAY of STRING
  std::vector<double> numbers;            // ARRAY of numbers or bools (exact up to 2^53)
};

struct TensorInfo {
  std::string name;
  std::vector<uint64_t> dims;  // dims[0] = row length
  uint32_t type = 0;           // ggml type id (0 F32, 1 F16, 2 Q4_0, 8 Q8_0, …)
  uint64_t offset = 0;         // from the start of the data section
  const uint8_t* data = nullptr;
  uint64_t size = 0;           // bytes
  uint64_t Elements() const;
};

// A parsed file. Tensor data points into the bytes it was parsed from: keep them alive.
struct File {
  uint32_t version = 3;
  uint32_t alignment = 32;
  std::vector<std::pair<std::string, Value>> metadata;  // in file order
  std::vector<TensorInfo> tensors;                      // in file order

  const Value* Find(const std::string& key) const;
  const TensorInfo* FindTensor(const std::string& name) const;
  // Typed getters with messages like "metadata key 'gpt2.block_count' is missing".
  Result<uint64_t> GetUInt(const std::string& key) const;  // any unsigned or non-negative int
  Result<double> GetFloat(const std::string& key) const;   // F32 / F64
  Result<std::string> GetString(const std::string& key) const;
  Result<const std::vector<std::string>*> GetStringArray(const std::string& key) const;
};

// ggml's name for a type id ("Q4_K" for 12), or "unknown".
const char* GgmlTypeName(uint32_t type);
// Bytes of one row of n elements (quant.h's type table); 0 for types Attention Lab cannot
// compute with, or n not a whole number of blocks.
uint64_t GgmlRowBytes(uint32_t type, uint64_t n);

Result<File> Parse(const uint8_t* data, size_t size);

// The bytes of a file: memory-mapped natively, read into memory in the browser (Emscripten).
struct Bytes {
  std::shared_ptr<const void> owner;  // unmaps / frees when the last user lets go
  const uint8_t* data = nullptr;
  size_t size = 0;
};
Result<Bytes> OpenFile(const std::string& path);
Bytes FromVector(std::vector<uint8_t> bytes);

// Builds a GGUF v3 file in memory.
class Writer {
 public:
  void Set(const std::string& key, Value value);  // replaces an existing key
  void SetUInt32(const std::string& key, uint32_t v);
  void SetFloat32(const std::string& key, float v);
  void SetString(const std::string& key, const std::string& v);
  void SetStringArray(const std::string& key, std::vector<std::string> v);
  void SetInt32Array(const std::string& key, const std::vector<int32_t>& v);
  // `dims` innermost first; `bytes` must be exactly GgmlRowBytes(type, dims[0]) × rows.
  Status AddTensor(const std::string& name, std::vector<uint64_t> dims, uint32_t type, const void* data,
                   size_t bytes);
  std::vector<uint8_t> Serialize() const;
  Status WriteFile(const std::string& path) const;

 private:
  struct Tensor {
    std::string name;
    std::vector<uint64_t> dims;
    uint32_t type;
    std::vector<uint8_t> bytes;
  };
  std::vector<std::pair<std::string, Value>> metadata_;
  std::vector<Tensor> tensors_;
  uint32_t alignment_ = 32;
};

}  // namespace attn::gguf
