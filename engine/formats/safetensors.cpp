#include "formats/safetensors.h"

#include <cstring>

#include "formats/json.h"
#include "quant/quant.h"

namespace attn::safetensors {

uint64_t Tensor::Elements() const {
  uint64_t n = 1;
  for (uint64_t d : shape) n *= d;
  return n;
}

const Tensor* File::Find(const std::string& name) const {
  for (const Tensor& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

Result<File> Parse(const uint8_t* data, size_t size) {
  uint64_t header_len = 0;
  if (size < 8) return Error{"This is not a safetensors file: it is shorter than its 8-byte header length."};
  std::memcpy(&header_len, data, 8);
  if (header_len == 0 || header_len > (100u << 20) || header_len > size - 8)
    return Errorf("safetensors header length %llu does not fit the file (%zu bytes): truncated or not safetensors.",
                  static_cast<unsigned long long>(header_len), size);
  Result<json::Value> header = json::Parse(std::string_view(reinterpret_cast<const char*>(data + 8), header_len));
  if (!header.ok()) return Error{"safetensors header: " + header.error()};
  if (header->type != json::Value::Type::Object) return Error{"safetensors header must be a JSON object."};

  const uint8_t* body = data + 8 + header_len;
  const uint64_t body_size = size - 8 - header_len;
  File file;
  for (const auto& [name, info] : header->object) {
    if (name == "__metadata__") continue;
    const json::Value* dtype = info.Find("dtype");
    const json::Value* shape = info.Find("shape");
    const json::Value* offsets = info.Find("data_offsets");
    if (!dtype || dtype->type != json::Value::Type::String || !shape || shape->type != json::Value::Type::Array ||
        !offsets || offsets->type != json::Value::Type::Array || offsets->array.size() != 2)
      return Errorf("safetensors tensor '%s' lacks dtype, shape or data_offsets.", name.c_str());
    Tensor t;
    t.name = name;
    uint64_t elem_size = 0;
    if (dtype->string == "F32") { t.dtype = DType::F32; elem_size = 4; }
    else if (dtype->string == "F16") { t.dtype = DType::F16; elem_size = 2; }
    else if (dtype->string == "BF16") { t.dtype = DType::BF16; elem_size = 2; }
    else return Errorf("safetensors tensor '%s' has dtype %s; supported: F32, F16, BF16.", name.c_str(), dtype->string.c_str());
    uint64_t elements = 1;
    for (const json::Value& d : shape->array) {
      if (!d.IsInteger() || d.number < 0 || d.number > 1e12) return Errorf("safetensors tensor '%s' has a bad shape.", name.c_str());
      t.shape.push_back(static_cast<uint64_t>(d.number));
      elements *= t.shape.back();
      if (elements > (1ull << 40)) return Errorf("safetensors tensor '%s' is impossibly large.", name.c_str());
    }
    const json::Value &b = offsets->array[0], &e = offsets->array[1];
    if (!b.IsInteger() || !e.IsInteger() || b.number < 0 || e.number < b.number)
      return Errorf("safetensors tensor '%s' has bad data_offsets.", name.c_str());
    const auto begin = static_cast<uint64_t>(b.number), end = static_cast<uint64_t>(e.number);
    if (end > body_size)
      return Errorf("safetensors tensor '%s' reaches past the end of the file: the file is truncated.", name.c_str());
    if (end - begin != elements * elem_size)
      return Errorf("safetensors tensor '%s': %llu bytes for shape of %llu %s values.", name.c_str(),
                    static_cast<unsigned long long>(end - begin), static_cast<unsigned long long>(elements),
                    dtype->string.c_str());
    t.data = body + begin;
    t.size = end - begin;
    file.tensors.push_back(std::move(t));
  }
  return file;
}

float ElementAsFloat(const Tensor& t, uint64_t i) {
  switch (t.dtype) {
    case DType::F32: { float x; std::memcpy(&x, t.data + 4 * i, 4); return x; }
    case DType::F16: { uint16_t h; std::memcpy(&h, t.data + 2 * i, 2); return quant::F16ToF32(h); }
    case DType::BF16: {  // bfloat16 is the top half of an f32
      uint16_t h;
      std::memcpy(&h, t.data + 2 * i, 2);
      const uint32_t bits = static_cast<uint32_t>(h) << 16;
      float x;
      std::memcpy(&x, &bits, 4);
      return x;
    }
  }
  return 0.0f;
}

}  // namespace attn::safetensors
