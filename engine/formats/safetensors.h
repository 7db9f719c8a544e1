// Hugging Face safetensors (the format of model.safetensors):
//
//   u64 N (little-endian) | N bytes of JSON header | tensor data
//   header: {"name": {"dtype": "F32", "shape": [768, 2304], "data_offsets": [begin, end]}, …,
//            "__metadata__": {…}}   offsets are relative to the start of the data
//
// Read-only; every offset and size is checked against the file.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace attn::safetensors {

enum class DType { F32, F16, BF16 };

struct Tensor {
  std::string name;
  DType dtype = DType::F32;
  std::vector<uint64_t> shape;  // row-major, outermost first (PyTorch order)
  const uint8_t* data = nullptr;
  uint64_t size = 0;            // bytes
  uint64_t Elements() const;
};

struct File {
  std::vector<Tensor> tensors;  // in header order
  const Tensor* Find(const std::string& name) const;
};

// The tensors reference `data`, which must outlive the File.
Result<File> Parse(const uint8_t* data, size_t size);

// Element i of a tensor as f32 (F16 and BF16 widened).
float ElementAsFloat(const Tensor& t, uint64_t i);

}  // namespace attn::safetensors
