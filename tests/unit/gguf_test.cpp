#include <doctest/doctest.h>

#include <cstdlib>

#include <cstring>
#include <string>
#include <vector>

#include "formats/gguf.h"
#include "quant/quant.h"

using namespace attn;
using namespace attn::gguf;

namespace {

// Little helpers to write bytes exactly as the spec lays them out.
struct Bytes8 {
  std::vector<uint8_t> b;
  template <typename T>
  Bytes8& put(T v) {
    const auto* p = reinterpret_cast<const uint8_t*>(&v);
    b.insert(b.end(), p, p + sizeof(T));
    return *this;
  }
  Bytes8& str(const std::string& s) {
    put<uint64_t>(s.size());
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  Bytes8& pad(size_t alignment) {
    while (b.size() % alignment) b.push_back(0);
    return *this;
  }
};

std::vector<uint8_t> SmallFile() {
  Writer w;
  w.SetString("general.architecture", "gpt2");
  w.SetUInt32("gpt2.block_count", 2);
  w.SetFloat32("gpt2.attention.layer_norm_epsilon", 1e-5f);
  w.SetStringArray("tokenizer.ggml.tokens", {"a", "b", "Ġthe", ""});
  w.SetInt32Array("tokenizer.ggml.token_type", {1, 1, 1, 3});
  Value big;
  big.type = ValueType::U64;
  big.u = 0x123456789ABCDEFull;
  w.Set("test.u64", big);
  Value neg;
  neg.type = ValueType::I64;
  neg.i = -42;
  w.Set("test.i64", neg);
  Value flag;
  flag.type = ValueType::BOOL;
  flag.u = 1;
  w.Set("test.bool", flag);
  Value dbl;
  dbl.type = ValueType::F64;
  dbl.f = 3.141592653589793;
  w.Set("test.f64", dbl);
  std::vector<float> f32(64);
  for (int i = 0; i < 64; ++i) f32[i] = 0.25f * (i - 30);
  REQUIRE(w.AddTensor("w.f32", {32, 2}, 0, f32.data(), 64 * 4).ok());
  std::vector<quant::BlockQ8_0> q8(2);
  quant::QuantizeRowQ8_0(f32.data(), q8.data(), 64);
  REQUIRE(w.AddTensor("w.q8", {64, 1}, 8, q8.data(), sizeof(quant::BlockQ8_0) * 2).ok());
  std::vector<quant::BlockQ4_0> q4(2);
  quant::QuantizeRowQ4_0(f32.data(), q4.data(), 64);
  REQUIRE(w.AddTensor("w.q4", {64}, 2, q4.data(), sizeof(quant::BlockQ4_0) * 2).ok());
  std::vector<uint16_t> f16(32);
  quant::ConvertRowF16(f32.data(), f16.data(), 32);
  REQUIRE(w.AddTensor("w.f16", {32}, 1, f16.data(), 64).ok());
  return w.Serialize();
}

}  // namespace

TEST_CASE("gguf: what the writer writes reads back exactly") {
  const std::vector<uint8_t> bytes = SmallFile();
  Result<File> f = Parse(bytes.data(), bytes.size());
  REQUIRE_MESSAGE(f.ok(), f.error());
  CHECK(f->version == 3);
  CHECK(*f->GetString("general.architecture") == "gpt2");
  CHECK(*f->GetUInt("gpt2.block_count") == 2);
  CHECK(*f->GetFloat("gpt2.attention.layer_norm_epsilon") == doctest::Approx(1e-5));
  CHECK(*f->GetUInt("test.u64") == 0x123456789ABCDEFull);
  CHECK(f->Find("test.i64")->i == -42);
  CHECK(f->Find("test.bool")->u == 1);
  CHECK(f->Find("test.f64")->f == 3.141592653589793);
  const auto* tokens = *f->GetStringArray("tokenizer.ggml.tokens");
  CHECK(*tokens == std::vector<std::string>{"a", "b", "Ġthe", ""});
  CHECK(f->Find("tokenizer.ggml.token_type")->numbers == std::vector<double>{1, 1, 1, 3});
  REQUIRE(f->tensors.size() == 4);
  const TensorInfo* t = f->FindTensor("w.f32");
  REQUIRE(t);
  CHECK(t->dims == std::vector<uint64_t>{32, 2});
  CHECK(t->size == 256);
  CHECK((t->data - bytes.data()) % 32 == 0);
  float x;
  std::memcpy(&x, t->data + 4 * 5, 4);
  CHECK(x == 0.25f * (5 - 30));
  CHECK(f->FindTensor("w.q8")->size == 68);
  CHECK(f->FindTensor("w.q4")->size == 36);
  CHECK(f->FindTensor("w.f16")->size == 64);
  // Writing what we read gives the same bytes again.
  Writer again;
  for (const auto& [k, v] : f->metadata) again.Set(k, v);
  for (const TensorInfo& ti : f->tensors) REQUIRE(again.AddTensor(ti.name, ti.dims, ti.type, ti.data, ti.size).ok());
  CHECK(again.Serialize() == bytes);
}

TEST_CASE("gguf: a file written by hand from the spec, byte by byte") {
  Bytes8 f;
  f.put<uint32_t>(0x46554747);          // magic "GGUF"
  f.put<uint32_t>(3);                   // version
  f.put<uint64_t>(1);                   // tensor_count
  f.put<uint64_t>(3);                   // metadata_kv_count
  f.str("general.architecture").put<uint32_t>(8).str("gpt2");          // string
  f.str("general.alignment").put<uint32_t>(4).put<uint32_t>(64);       // uint32 = 64
  f.str("x.list").put<uint32_t>(9).put<uint32_t>(5).put<uint64_t>(2)   // array of int32
      .put<int32_t>(-7).put<int32_t>(9);
  f.str("output_norm.weight").put<uint32_t>(1).put<uint64_t>(4)        // 1-D, 4 values
      .put<uint32_t>(0).put<uint64_t>(0);                              // F32 at offset 0
  f.pad(64);                                                           // data aligned to 64
  f.put<float>(1.0f).put<float>(-2.0f).put<float>(0.5f).put<float>(8.0f);

  Result<File> file = Parse(f.b.data(), f.b.size());
  REQUIRE_MESSAGE(file.ok(), file.error());
  CHECK(file->alignment == 64);
  CHECK(*file->GetString("general.architecture") == "gpt2");
  CHECK(file->Find("x.list")->numbers == std::vector<double>{-7, 9});
  const TensorInfo* t = file->FindTensor("output_norm.weight");
  REQUIRE(t);
  CHECK(t->data == f.b.data() + (f.b.size() - 16));
  float v[4];
  std::memcpy(v, t->data, 16);
  CHECK(v[1] == -2.0f);
  CHECK(v[3] == 8.0f);
}

TEST_CASE("gguf: every truncation is an error, never a crash") {
  const std::vector<uint8_t> bytes = SmallFile();
  for (size_t n = 0; n < bytes.size(); ++n) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + n);  // its own buffer: ASan sees overreads
    Result<File> f = Parse(cut.data(), cut.size());
    CAPTURE(n);
    REQUIRE_FALSE(f.ok());
    CHECK_FALSE(f.error().empty());
  }
}

TEST_CASE("gguf: corrupted files get messages that say what is wrong") {
  auto expect = [](std::vector<uint8_t> bytes, const char* needle) {
    Result<File> f = Parse(bytes.data(), bytes.size());
    REQUIRE_FALSE(f.ok());
    CAPTURE(f.error());
    CHECK(f.error().find(needle) != std::string::npos);
  };
  std::vector<uint8_t> good = SmallFile();

  auto bad_magic = good;
  bad_magic[0] = 'X';
  expect(bad_magic, "not a GGUF");

  auto v1 = good;
  v1[4] = 1;
  expect(v1, "version 1");

  auto huge_count = good;
  const uint64_t lots = 1ull << 60;
  std::memcpy(huge_count.data() + 8, &lots, 8);
  expect(huge_count, "more than the file");

  Bytes8 unknown;  // one tensor of type 12 (Q4_K)
  unknown.put<uint32_t>(0x46554747).put<uint32_t>(3).put<uint64_t>(1).put<uint64_t>(0);
  unknown.str("blk.0.ffn_up.weight").put<uint32_t>(2).put<uint64_t>(256).put<uint64_t>(4).put<uint32_t>(12).put<uint64_t>(0);
  unknown.pad(32);
  unknown.b.resize(unknown.b.size() + 4096);
  expect(unknown.b, "Q4_K");

  Bytes8 five_dims;
  five_dims.put<uint32_t>(0x46554747).put<uint32_t>(3).put<uint64_t>(1).put<uint64_t>(0);
  five_dims.str("t").put<uint32_t>(5);
  for (int i = 0; i < 5; ++i) five_dims.put<uint64_t>(1);
  five_dims.put<uint32_t>(0).put<uint64_t>(0);
  five_dims.b.resize(five_dims.b.size() + 64);
  expect(five_dims.b, "5 dimensions");

  Bytes8 twice;
  twice.put<uint32_t>(0x46554747).put<uint32_t>(3).put<uint64_t>(2).put<uint64_t>(0);
  for (int i = 0; i < 2; ++i) twice.str("same").put<uint32_t>(1).put<uint64_t>(4).put<uint32_t>(0).put<uint64_t>(0);
  twice.pad(32);
  twice.b.resize(twice.b.size() + 32);
  expect(twice.b, "appears twice");

  Bytes8 past_end;
  past_end.put<uint32_t>(0x46554747).put<uint32_t>(3).put<uint64_t>(1).put<uint64_t>(0);
  past_end.str("t").put<uint32_t>(1).put<uint64_t>(1024).put<uint32_t>(0).put<uint64_t>(0);
  past_end.pad(32);
  expect(past_end.b, "truncated");

  Bytes8 odd_q8;  // Q8_0 rows must be a multiple of 32 values
  odd_q8.put<uint32_t>(0x46554747).put<uint32_t>(3).put<uint64_t>(1).put<uint64_t>(0);
  odd_q8.str("t").put<uint32_t>(1).put<uint64_t>(33).put<uint32_t>(8).put<uint64_t>(0);
  odd_q8.pad(32);
  odd_q8.b.resize(odd_q8.b.size() + 64);
  expect(odd_q8.b, "multiple of 32");
}

TEST_CASE("gguf: getters report missing keys and wrong types") {
  const std::vector<uint8_t> bytes = SmallFile();
  Result<File> f = Parse(bytes.data(), bytes.size());
  REQUIRE(f.ok());
  CHECK(f->GetUInt("gpt2.context_length").error().find("no metadata key 'gpt2.context_length'") != std::string::npos);
  CHECK(f->GetUInt("general.architecture").error().find("type string") != std::string::npos);
  CHECK_FALSE(f->GetStringArray("gpt2.block_count").ok());
}

TEST_CASE("gguf: files on disk (mapped natively, read into memory in wasm)") {
  Writer w;
  w.SetString("general.name", "disk");
  const std::string path = "gguf_test_tmp.gguf";
  REQUIRE(w.WriteFile(path).ok());
  Result<Bytes> b = OpenFile(path);
  REQUIRE_MESSAGE(b.ok(), b.error());
  Result<File> f = Parse(b->data, b->size);
  REQUIRE(f.ok());
  CHECK(*f->GetString("general.name") == "disk");
  std::remove(path.c_str());
  CHECK_FALSE(OpenFile("no/such/model.gguf").ok());
  CHECK(OpenFile("no/such/model.gguf").error().find("Cannot open") != std::string::npos);
}

// The keys llama.cpp's GPT-2 loader reads (its public GGUF description: general.*, gpt2.*,
// tokenizer.ggml.*), in a file our converter wrote (tools/make-test-models.sh).
TEST_SUITE("golden") {
TEST_CASE("gguf: our converter writes what llama.cpp's GPT-2 loader reads, pre-tokenizer included") {
  const char* dir = std::getenv("ATTNLAB_TINY_DIR");
  const std::string path = (dir ? std::string(dir) : std::string(ATTNLAB_BINARY_DIR) + "/tiny-gpt2") + "/ours-q8_0.gguf";
  Result<Bytes> b = OpenFile(path);
  REQUIRE_MESSAGE(b.ok(), b.error());
  Result<File> f = Parse(b->data, b->size);
  REQUIRE(f.ok());
  CHECK(*f->GetString("general.architecture") == "gpt2");
  CHECK(*f->GetUInt("general.file_type") == 7);  // MOSTLY_Q8_0
  CHECK(*f->GetString("tokenizer.ggml.model") == "gpt2");
  CHECK(*f->GetString("tokenizer.ggml.pre") == "gpt-2");
  CHECK(*f->GetUInt("tokenizer.ggml.bos_token_id") == 50256);
  CHECK(*f->GetUInt("tokenizer.ggml.eos_token_id") == 50256);
  for (const char* key : {"gpt2.context_length", "gpt2.embedding_length", "gpt2.feed_forward_length", "gpt2.block_count",
                          "gpt2.attention.head_count"})
    CHECK_MESSAGE(f->GetUInt(key).ok(), key);
  CHECK(f->GetFloat("gpt2.attention.layer_norm_epsilon").ok());
  CHECK((*f->GetStringArray("tokenizer.ggml.tokens"))->size() == 50257);
  CHECK((*f->GetStringArray("tokenizer.ggml.merges"))->size() == 50000);
}
}
