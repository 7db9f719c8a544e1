// JSON and safetensors readers (GGUF has its own file, gguf_test.cpp).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>

#include <cstring>
#include <string>
#include <vector>

#include "formats/json.h"
#include "formats/safetensors.h"

using namespace attn;

TEST_CASE("json: values, escapes and surrogate pairs") {
  auto v = json::Parse(R"({"a": [1, -2.5e3, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00", "e": {}})");
  REQUIRE_MESSAGE(v.ok(), v.error());
  const json::Value* a = v->Find("a");
  REQUIRE(a);
  REQUIRE(a->array.size() == 5);
  CHECK(a->array[0].IsInteger());
  CHECK(a->array[1].number == -2500.0);
  CHECK(a->array[2].boolean);
  CHECK(a->array[4].type == json::Value::Type::Null);
  CHECK(v->Find("s")->string == "x\"\\/\né😀");
  CHECK(v->Find("e")->object.empty());
  CHECK(v->Find("missing") == nullptr);
}

TEST_CASE("json: errors say where") {
  for (const char* bad : {"{\"a\": }", "[1, 2", "\"\\ud83d\"", "01", "{\"a\" 1}", "[1,]", "\"\x01\"", "tru", "[] x"}) {
    auto v = json::Parse(bad);
    CAPTURE(bad);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().find("at byte") != std::string::npos);
  }
  std::string deep(1000, '[');
  CHECK(json::Parse(deep).error().find("deeply") != std::string::npos);
  CHECK_FALSE(json::Parse("\"\xC0\xAF\"").ok());  // invalid UTF-8 inside a string
}

namespace {
std::vector<uint8_t> Safetensors(const std::string& header, size_t data_bytes) {
  std::string bytes(8, '\0');
  const uint64_t n = header.size();
  std::memcpy(bytes.data(), &n, 8);  // u64 little-endian header length
  bytes += header;
  for (size_t i = 0; i < data_bytes; ++i) bytes += static_cast<char>(i);
  return std::vector<uint8_t>(bytes.begin(), bytes.end());
}
}  // namespace

TEST_CASE("safetensors: a file built by hand from the spec") {
  std::vector<uint8_t> f = Safetensors(
      R"({"__metadata__": {"format": "pt"}, "w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},)"
      R"( "h": {"dtype": "F16", "shape": [2], "data_offsets": [16, 20]}})", 20);
  const float values[4] = {1.5f, -2.0f, 0.25f, 8.0f};
  std::memcpy(f.data() + f.size() - 20, values, 16);
  const uint16_t halves[2] = {0x3C00, 0xC000};  // 1.0, -2.0
  std::memcpy(f.data() + f.size() - 4, halves, 4);
  auto st = safetensors::Parse(f.data(), f.size());
  REQUIRE_MESSAGE(st.ok(), st.error());
  REQUIRE(st->tensors.size() == 2);
  const safetensors::Tensor* w = st->Find("w");
  REQUIRE(w);
  CHECK(w->shape == std::vector<uint64_t>{2, 2});
  CHECK(safetensors::ElementAsFloat(*w, 3) == 8.0f);
  CHECK(safetensors::ElementAsFloat(*st->Find("h"), 1) == -2.0f);
}

TEST_CASE("safetensors: bad files are rejected with a reason") {
  auto expect = [](const std::vector<uint8_t>& f, const char* needle) {
    auto st = safetensors::Parse(f.data(), f.size());
    REQUIRE_FALSE(st.ok());
    CAPTURE(st.error());
    CHECK(st.error().find(needle) != std::string::npos);
  };
  expect({1, 2, 3}, "shorter");
  std::vector<uint8_t> huge(16, 0);
  huge[6] = 1;  // header length 2^48
  expect(huge, "does not fit");
  expect(Safetensors(R"({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})", 8), "truncated");
  expect(Safetensors(R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}})", 16), "bytes for shape");
  expect(Safetensors(R"({"w": {"dtype": "I64", "shape": [2], "data_offsets": [0, 16]}})", 16), "I64");
  expect(Safetensors(R"({"w": {"dtype": "F32", "shape": [2]}})", 8), "lacks");
  expect(Safetensors("{not json", 0), "header");
}

TEST_CASE("json: NonFiniteToNull turns printf's nan and inf into null, never inside strings") {
  using attn::json::NonFiniteToNull;
  char buf[128];
  std::snprintf(buf, sizeof buf, "{\"a\":%g,\"b\":[%g,%g,1e-5,-2],\"c\":%f}", NAN, INFINITY, -INFINITY, -NAN);
  const std::string fixed = NonFiniteToNull(buf);
  CHECK(fixed == "{\"a\":null,\"b\":[null,null,1e-5,-2],\"c\":null}");
  CHECK(attn::json::Parse(fixed).ok());
  CHECK_FALSE(attn::json::Parse(buf).ok());  // what it was before: not JSON
  // Words inside strings, escaped quotes, and null / true / false are left alone.
  const std::string keep = "{\"nan\":\"inf \\\" nan\",\"x\":null,\"y\":true,\"z\":false,\"Infinity\":0}";
  CHECK(NonFiniteToNull(keep) == keep);
}

TEST_CASE("json: Quote escapes and always gives valid JSON") {
  CHECK(json::Quote("a\"b\\c\n") == "\"a\\\"b\\\\c\\u000a\"");
  CHECK(json::Quote("注意") == "\"注意\"");
  const std::string piece = "\xE6\xB3";  // two of the three bytes of 注: a GPT-2 byte piece
  const std::string quoted = json::Quote(piece);
  CHECK(quoted == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");  // two U+FFFD
  auto back = json::Parse(quoted);
  REQUIRE(back.ok());
  CHECK(back->string == "\xEF\xBF\xBD\xEF\xBF\xBD");
}
