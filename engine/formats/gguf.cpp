// [SECTION] Index
//   - Type tables
//   - Reader (a bounds-checked cursor) and Parse
//   - File getters
//   - File access (mmap natively, a buffer in the browser)
//   - Writer
#include "formats/gguf.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_set>

#ifndef __EMSCRIPTEN__
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "quant/quant.h"

namespace attn::gguf {

//-----------------------------------------------------------------------------
// [SECTION] Type tables
//-----------------------------------------------------------------------------

const char* ValueTypeName(ValueType t) {
  static const char* names[] = {"uint8", "int8", "uint16", "int16", "uint32", "int32", "float32",
                                "bool", "string", "array", "uint64", "int64", "float64"};
  const auto i = static_cast<uint32_t>(t);
  return i < 13 ? names[i] : "unknown";
}

const char* GgmlTypeName(uint32_t type) {
  static const char* names[] = {"F32", "F16", "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0", "Q5_1", "Q8_0",
                                "Q8_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS",
                                "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ2_S", "IQ4_XS", "I8",
                                "I16", "I32", "I64", "F64", "IQ1_M", "BF16"};
  return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

uint64_t GgmlRowBytes(uint32_t type, uint64_t n) {
  const quant::TypeTraits* t = quant::FindType(type);
  if (!t || n % t->block_values) return 0;
  const uint64_t blocks = n / t->block_values;
  return blocks > UINT64_MAX / t->block_bytes ? 0 : blocks * t->block_bytes;
}

uint64_t TensorInfo::Elements() const {
  uint64_t n = 1;
  for (uint64_t d : dims) n *= d;
  return n;
}

//-----------------------------------------------------------------------------
// [SECTION] Reader and Parse
//-----------------------------------------------------------------------------

namespace {

constexpr uint64_t kMaxStringBytes = 1u << 24;  // 16 MB: no key or token is anywhere near

class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  size_t pos() const { return pos_; }
  size_t remaining() const { return size_ - pos_; }
  const std::string& error() const { return error_; }
  bool failed() const { return !error_.empty(); }

  bool Fail(const std::string& what) {
    if (error_.empty()) error_ = what;
    return false;
  }

  template <typename T>
  bool Read(T* out, const char* what) {
    if (failed()) return false;
    if (remaining() < sizeof(T))
      return Fail(Where(what) + ": the file ends early (truncated download?)");
    std::memcpy(out, data_ + pos_, sizeof(T));  // the format is little-endian, like our targets
    pos_ += sizeof(T);
    return true;
  }

  bool ReadString(std::string* out, const char* what) {
    uint64_t n = 0;
    if (!Read(&n, what)) return false;
    if (n > kMaxStringBytes || n > remaining())
      return Fail(Where(what) + ": string length " + std::to_string(n) + " is larger than the file");
    out->assign(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return true;
  }

  std::string Where(const char* what) const { return std::string(what) + " at byte " + std::to_string(pos_); }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  std::string error_;
};

size_t ScalarSize(ValueType t) {
  switch (t) {
    case ValueType::U8: case ValueType::I8: case ValueType::BOOL: return 1;
    case ValueType::U16: case ValueType::I16: return 2;
    case ValueType::U32: case ValueType::I32: case ValueType::F32: return 4;
    case ValueType::U64: case ValueType::I64: case ValueType::F64: return 8;
    default: return 0;
  }
}

// Reads one scalar of type t into v (u / i / f by kind). `number` also receives it as double.
bool ReadScalar(Reader& r, ValueType t, Value* v, double* number) {
  switch (t) {
    case ValueType::U8: { uint8_t x; if (!r.Read(&x, "uint8")) return false; v->u = x; *number = x; return true; }
    case ValueType::I8: { int8_t x; if (!r.Read(&x, "int8")) return false; v->i = x; *number = x; return true; }
    case ValueType::U16: { uint16_t x; if (!r.Read(&x, "uint16")) return false; v->u = x; *number = x; return true; }
    case ValueType::I16: { int16_t x; if (!r.Read(&x, "int16")) return false; v->i = x; *number = x; return true; }
    case ValueType::U32: { uint32_t x; if (!r.Read(&x, "uint32")) return false; v->u = x; *number = x; return true; }
    case ValueType::I32: { int32_t x; if (!r.Read(&x, "int32")) return false; v->i = x; *number = x; return true; }
    case ValueType::F32: { float x; if (!r.Read(&x, "float32")) return false; v->f = x; *number = x; return true; }
    case ValueType::U64: { uint64_t x; if (!r.Read(&x, "uint64")) return false; v->u = x; *number = static_cast<double>(x); return true; }
    case ValueType::I64: { int64_t x; if (!r.Read(&x, "int64")) return false; v->i = x; *number = static_cast<double>(x); return true; }
    case ValueType::F64: { double x; if (!r.Read(&x, "float64")) return false; v->f = x; *number = x; return true; }
    case ValueType::BOOL: {
      uint8_t x;
      if (!r.Read(&x, "bool")) return false;
      if (x > 1) return r.Fail(r.Where("bool") + ": value " + std::to_string(x) + " is not 0 or 1");
      v->u = x;
      *number = x;
      return true;
    }
    default: return r.Fail(r.Where("value") + ": not a scalar type");
  }
}

bool ReadValue(Reader& r, ValueType t, Value* v, const std::string& key) {
  v->type = t;
  double ignored;
  if (t == ValueType::STRING) return r.ReadString(&v->s, "string value");
  if (t != ValueType::ARRAY) {
    if (ScalarSize(t) == 0)
      return r.Fail("metadata '" + key + "' has unknown value type " + std::to_string(static_cast<uint32_t>(t)));
    return ReadScalar(r, t, v, &ignored);
  }
  uint32_t elem = 0;
  uint64_t count = 0;
  if (!r.Read(&elem, "array type") || !r.Read(&count, "array length")) return false;
  v->array_type = static_cast<ValueType>(elem);
  if (v->array_type == ValueType::ARRAY)
    return r.Fail("metadata '" + key + "' is an array of arrays, which GPT-2 files never use");
  // Every element takes at least one byte (a string at least 8): check before reserving.
  const uint64_t min_size = v->array_type == ValueType::STRING ? 8 : ScalarSize(v->array_type);
  if (min_size == 0)
    return r.Fail("metadata '" + key + "' is an array of unknown type " + std::to_string(elem));
  if (count > r.remaining() / min_size)
    return r.Fail(r.Where("array") + ": metadata '" + key + "' claims " + std::to_string(count) +
                  " elements, more than the file holds");
  if (v->array_type == ValueType::STRING) {
    v->strings.resize(count);
    for (uint64_t k = 0; k < count; ++k)
      if (!r.ReadString(&v->strings[k], "array string")) return false;
  } else {
    v->numbers.resize(count);
    Value scratch;
    for (uint64_t k = 0; k < count; ++k)
      if (!ReadScalar(r, v->array_type, &scratch, &v->numbers[k])) return false;
  }
  return true;
}

}  // namespace

Result<File> Parse(const uint8_t* data, size_t size) {
  Reader r(data, size);
  File file;
  uint32_t magic = 0;
  if (!r.Read(&magic, "magic")) return MakeError<Msg::GgufTooShort>();
  if (std::memcmp(&magic, "GGUF", 4) != 0)
    return MakeError<Msg::GgufNoMagic>();
  if (!r.Read(&file.version, "version")) return MakeError<Msg::GgufHeaderUnreadable>(r.error());
  if (file.version != 2 && file.version != 3)
    return MakeError<Msg::GgufVersion>(file.version);

  uint64_t tensor_count = 0, kv_count = 0;
  if (!r.Read(&tensor_count, "tensor count") || !r.Read(&kv_count, "metadata count")) return MakeError<Msg::GgufHeaderUnreadable>(r.error());
  // Each key-value pair takes ≥ 12 bytes and each tensor info ≥ 24: reject impossible counts.
  if (kv_count > r.remaining() / 12 || tensor_count > r.remaining() / 24)
    return MakeError<Msg::GgufCounts>(tensor_count, kv_count);

  for (uint64_t k = 0; k < kv_count; ++k) {
    std::string key;
    uint32_t type = 0;
    Value value;
    if (!r.ReadString(&key, "metadata key") || !r.Read(&type, "metadata type") ||
        !ReadValue(r, static_cast<ValueType>(type), &value, key))
      return MakeError<Msg::GgufMetadataUnreadable>(r.error());
    file.metadata.emplace_back(std::move(key), std::move(value));
  }
  if (const Value* a = file.Find("general.alignment")) {
    if (a->type != ValueType::U32 || a->u == 0 || (a->u & (a->u - 1)) != 0 || a->u > 65536)
      return MakeError<Msg::GgufAlignment>();
    file.alignment = static_cast<uint32_t>(a->u);
  }

  std::unordered_set<std::string> names;
  for (uint64_t k = 0; k < tensor_count; ++k) {
    TensorInfo t;
    uint32_t n_dims = 0;
    if (!r.ReadString(&t.name, "tensor name") || !r.Read(&n_dims, "tensor dims"))
      return MakeError<Msg::GgufTensorListUnreadable>(r.error());
    if (n_dims == 0 || n_dims > 4) return MakeError<Msg::TensorDims>(t.name, n_dims);
    t.dims.resize(n_dims);
    for (uint32_t d = 0; d < n_dims; ++d)
      if (!r.Read(&t.dims[d], "tensor dim")) return MakeError<Msg::GgufTensorListUnreadable>(r.error());
    if (!r.Read(&t.type, "tensor type") || !r.Read(&t.offset, "tensor offset"))
      return MakeError<Msg::GgufTensorListUnreadable>(r.error());
    if (!names.insert(t.name).second) return MakeError<Msg::TensorTwice>(t.name);
    uint64_t rows = 1;
    for (uint32_t d = 1; d < n_dims; ++d) {
      if (t.dims[d] == 0 || rows > UINT64_MAX / t.dims[d]) return MakeError<Msg::TensorImpossibleDims>(t.name);
      rows *= t.dims[d];
    }
    if (t.dims[0] == 0) return MakeError<Msg::TensorEmptyRow>(t.name);
    const quant::TypeTraits* type = quant::FindType(t.type);
    if (!type)
      return MakeError<Msg::TensorUnsupportedType>(t.name, t.type, GgmlTypeName(t.type));
    const uint64_t row_bytes = GgmlRowBytes(t.type, t.dims[0]);
    if (row_bytes == 0)
      return MakeError<Msg::TensorRowBlocks>(t.name, GgmlTypeName(t.type), t.dims[0], type->block_values);
    if (rows > UINT64_MAX / row_bytes) return MakeError<Msg::TensorTooLarge>(t.name);
    t.size = rows * row_bytes;
    file.tensors.push_back(std::move(t));
  }

  // The data section starts at the next multiple of the alignment.
  const uint64_t data_start = (r.pos() + file.alignment - 1) / file.alignment * file.alignment;
  for (TensorInfo& t : file.tensors) {
    if (t.offset % file.alignment != 0)
      return MakeError<Msg::TensorAlignment>(t.name, t.offset, file.alignment);
    if (data_start > size || t.offset > size - data_start || t.size > size - data_start - t.offset)
      return MakeError<Msg::TensorPastEnd>(t.name, size);
    t.data = data + data_start + t.offset;
  }
  return file;
}

//-----------------------------------------------------------------------------
// [SECTION] File getters
//-----------------------------------------------------------------------------

const Value* File::Find(const std::string& key) const {
  for (const auto& kv : metadata)
    if (kv.first == key) return &kv.second;
  return nullptr;
}

const TensorInfo* File::FindTensor(const std::string& name) const {
  for (const TensorInfo& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

static Error Missing(const std::string& key) { return MakeError<Msg::MetadataMissing>(key); }
template <Msg want>
static Error WrongType(const std::string& key, ValueType t) {
  return MakeError<want>(key, ValueTypeName(t));
}

Result<uint64_t> File::GetUInt(const std::string& key) const {
  const Value* v = Find(key);
  if (!v) return Missing(key);
  switch (v->type) {
    case ValueType::U8: case ValueType::U16: case ValueType::U32: case ValueType::U64: return v->u;
    case ValueType::I8: case ValueType::I16: case ValueType::I32: case ValueType::I64:
      if (v->i >= 0) return static_cast<uint64_t>(v->i);
      return MakeError<Msg::MetadataNegative>(key, v->i);
    default: return WrongType<Msg::MetadataNotInteger>(key, v->type);
  }
}

Result<double> File::GetFloat(const std::string& key) const {
  const Value* v = Find(key);
  if (!v) return Missing(key);
  if (v->type != ValueType::F32 && v->type != ValueType::F64) return WrongType<Msg::MetadataNotFloat>(key, v->type);
  return v->f;
}

Result<std::string> File::GetString(const std::string& key) const {
  const Value* v = Find(key);
  if (!v) return Missing(key);
  if (v->type != ValueType::STRING) return WrongType<Msg::MetadataNotString>(key, v->type);
  return v->s;
}

Result<const std::vector<std::string>*> File::GetStringArray(const std::string& key) const {
  const Value* v = Find(key);
  if (!v) return Missing(key);
  if (v->type != ValueType::ARRAY || v->array_type != ValueType::STRING) return WrongType<Msg::MetadataNotStrings>(key, v->type);
  return &v->strings;
}

//-----------------------------------------------------------------------------
// [SECTION] File access
//-----------------------------------------------------------------------------

Bytes FromVector(std::vector<uint8_t> bytes) {
  auto owner = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
  Bytes b;
  b.data = owner->data();
  b.size = owner->size();
  b.owner = std::move(owner);
  return b;
}

Result<Bytes> OpenFile(const std::string& path) {
#ifdef __EMSCRIPTEN__
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return MakeError<Msg::FileCannotOpen>(path, std::strerror(errno));
  // One allocation of the file's size: growing a vector chunk by chunk would peak at twice
  // the model in the wasm heap.
  std::vector<uint8_t> bytes;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    const long size = std::ftell(f);
    if (size > 0) bytes.resize(static_cast<size_t>(size));
    std::rewind(f);
  }
  size_t got = 0, n;
  while (got < bytes.size() && (n = std::fread(bytes.data() + got, 1, bytes.size() - got, f)) > 0) got += n;
  bytes.resize(got);
  std::fclose(f);
  if (bytes.empty()) return MakeError<Msg::FileEmpty>(path);
  return FromVector(std::move(bytes));
#else
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) return MakeError<Msg::FileCannotOpen>(path, std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return MakeError<Msg::FileNotRegular>(path);
  }
  if (st.st_size == 0) {
    close(fd);
    return MakeError<Msg::FileEmpty>(path);
  }
  void* map = mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);  // the mapping stays valid
  if (map == MAP_FAILED) return MakeError<Msg::FileCannotMap>(path, std::strerror(errno));
  const size_t size = static_cast<size_t>(st.st_size);
  Bytes b;
  b.data = static_cast<const uint8_t*>(map);
  b.size = size;
  b.owner = std::shared_ptr<const void>(map, [size](const void* p) { munmap(const_cast<void*>(p), size); });
  return b;
#endif
}

//-----------------------------------------------------------------------------
// [SECTION] Writer
//-----------------------------------------------------------------------------

void Writer::Set(const std::string& key, Value value) {
  if (key == "general.alignment" && value.type == ValueType::U32 && value.u) alignment_ = static_cast<uint32_t>(value.u);
  for (auto& kv : metadata_)
    if (kv.first == key) { kv.second = std::move(value); return; }
  metadata_.emplace_back(key, std::move(value));
}

void Writer::SetUInt32(const std::string& key, uint32_t v) { Value x; x.type = ValueType::U32; x.u = v; Set(key, x); }
void Writer::SetFloat32(const std::string& key, float v) { Value x; x.type = ValueType::F32; x.f = v; Set(key, x); }
void Writer::SetString(const std::string& key, const std::string& v) { Value x; x.type = ValueType::STRING; x.s = v; Set(key, x); }
void Writer::SetStringArray(const std::string& key, std::vector<std::string> v) {
  Value x;
  x.type = ValueType::ARRAY;
  x.array_type = ValueType::STRING;
  x.strings = std::move(v);
  Set(key, std::move(x));
}
void Writer::SetInt32Array(const std::string& key, const std::vector<int32_t>& v) {
  Value x;
  x.type = ValueType::ARRAY;
  x.array_type = ValueType::I32;
  x.numbers.assign(v.begin(), v.end());
  Set(key, std::move(x));
}

Status Writer::AddTensor(const std::string& name, std::vector<uint64_t> dims, uint32_t type, const void* data,
                         size_t bytes) {
  if (dims.empty() || dims.size() > 4) return Errorf("Tensor '%s' needs 1 to 4 dimensions.", name.c_str());
  uint64_t rows = 1;
  for (size_t d = 1; d < dims.size(); ++d) rows *= dims[d];
  const uint64_t expected = GgmlRowBytes(type, dims[0]) * rows;
  if (expected == 0 || expected != bytes)
    return Errorf("Tensor '%s': %zu bytes given, %llu expected for %s.", name.c_str(), bytes,
                  static_cast<unsigned long long>(expected), GgmlTypeName(type));
  const auto* p = static_cast<const uint8_t*>(data);
  tensors_.push_back({name, std::move(dims), type, std::vector<uint8_t>(p, p + bytes)});
  return {};
}

namespace {
template <typename T>
void Put(std::vector<uint8_t>& out, T v) {
  const size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &v, sizeof(T));  // little-endian, like every target we build for
}
void PutString(std::vector<uint8_t>& out, const std::string& s) {
  Put<uint64_t>(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}
void PutScalar(std::vector<uint8_t>& out, ValueType t, uint64_t u, int64_t i, double f) {
  switch (t) {
    case ValueType::U8: case ValueType::BOOL: Put<uint8_t>(out, static_cast<uint8_t>(u)); break;
    case ValueType::I8: Put<int8_t>(out, static_cast<int8_t>(i)); break;
    case ValueType::U16: Put<uint16_t>(out, static_cast<uint16_t>(u)); break;
    case ValueType::I16: Put<int16_t>(out, static_cast<int16_t>(i)); break;
    case ValueType::U32: Put<uint32_t>(out, static_cast<uint32_t>(u)); break;
    case ValueType::I32: Put<int32_t>(out, static_cast<int32_t>(i)); break;
    case ValueType::F32: Put<float>(out, static_cast<float>(f)); break;
    case ValueType::U64: Put<uint64_t>(out, u); break;
    case ValueType::I64: Put<int64_t>(out, i); break;
    case ValueType::F64: Put<double>(out, f); break;
    default: break;
  }
}
}  // namespace

std::vector<uint8_t> Writer::Serialize() const {
  std::vector<uint8_t> out;
  Put<uint32_t>(out, 0x46554747);  // "GGUF" read as a little-endian u32
  Put<uint32_t>(out, 3);
  Put<uint64_t>(out, tensors_.size());
  Put<uint64_t>(out, metadata_.size());
  for (const auto& [key, v] : metadata_) {
    PutString(out, key);
    Put<uint32_t>(out, static_cast<uint32_t>(v.type));
    if (v.type == ValueType::STRING) {
      PutString(out, v.s);
    } else if (v.type == ValueType::ARRAY) {
      Put<uint32_t>(out, static_cast<uint32_t>(v.array_type));
      if (v.array_type == ValueType::STRING) {
        Put<uint64_t>(out, v.strings.size());
        for (const std::string& s : v.strings) PutString(out, s);
      } else {
        Put<uint64_t>(out, v.numbers.size());
        for (double x : v.numbers)
          PutScalar(out, v.array_type, static_cast<uint64_t>(x), static_cast<int64_t>(x), x);
      }
    } else {
      PutScalar(out, v.type, v.u, v.i, v.f);
    }
  }
  uint64_t offset = 0;
  for (const Tensor& t : tensors_) {
    PutString(out, t.name);
    Put<uint32_t>(out, static_cast<uint32_t>(t.dims.size()));
    for (uint64_t d : t.dims) Put<uint64_t>(out, d);
    Put<uint32_t>(out, t.type);
    Put<uint64_t>(out, offset);
    offset += (t.bytes.size() + alignment_ - 1) / alignment_ * alignment_;
  }
  for (const Tensor& t : tensors_) {
    out.resize((out.size() + alignment_ - 1) / alignment_ * alignment_, 0);
    out.insert(out.end(), t.bytes.begin(), t.bytes.end());
  }
  return out;
}

Status Writer::WriteFile(const std::string& path) const {
  const std::vector<uint8_t> bytes = Serialize();
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Errorf("Cannot write '%s': %s.", path.c_str(), std::strerror(errno));
  const size_t written = std::fwrite(bytes.data(), 1, bytes.size(), f);
  const bool closed = std::fclose(f) == 0;
  if (written != bytes.size() || !closed) return Errorf("Writing '%s' failed (disk full?).", path.c_str());
  return {};
}

}  // namespace attn::gguf
