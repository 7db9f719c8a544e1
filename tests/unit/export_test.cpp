// session/export: the attention JSON (attnlab-cli's format), CSV and the Python snippet.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "formats/json.h"
#include "session/export.h"

using namespace attn;

namespace {
// A hand-made trace: 2 layers × 2 heads over 3 tokens, causal rows that sum to 1.
model::Trace SmallTrace() {
  model::Trace t;
  t.count = 3;
  t.n_layer = 2;
  t.n_head = 2;
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 2; ++h) {
      const float a = 0.1f * (1 + l * 2 + h);  // 0.1, 0.2, 0.3, 0.4
      const float rows[3][3] = {{1, 0, 0}, {a, 1 - a, 0}, {a / 2, a / 2, 1 - a}};
      for (auto& r : rows)
        for (float w : r) t.attention.push_back(w);
    }
  return t;
}
}  // namespace

TEST_CASE("export: AttentionJson has attnlab-cli's layout and parses back") {
  const model::Trace t = SmallTrace();
  const std::string j = session::AttentionJson({"The", " \"cat\"", "\xff"}, {464, 3797, 999}, t);
  CHECK(j.rfind("{\"tokens\":[\"The\",\" \\\"cat\\\"\",\"\xEF\xBF\xBD\"],\"ids\":[464,3797,999],\"attention\":[{\"layer\":0,\"head\":0,\"weights\":[[1,0,0],[0.1,0.9,0],", 0) == 0);
  Result<json::Value> v = json::Parse(j);
  REQUIRE(v.ok());
  const json::Value* att = v->Find("attention");
  REQUIRE(att);
  REQUIRE(att->array.size() == 4);  // every layer and head, layer-major
  CHECK(att->array[3].Find("layer")->number == 1);
  CHECK(att->array[3].Find("head")->number == 1);
  const json::Value& w = *att->array[2].Find("weights");  // layer 1, head 0: a = 0.3
  REQUIRE(w.array.size() == 3);
  CHECK(w.array[2].array[2].number == doctest::Approx(0.7));
  CHECK(w.array[1].array[0].number == doctest::Approx(0.3));
}

TEST_CASE("export: AttentionJson keeps only the asked layer and head") {
  const model::Trace t = SmallTrace();
  Result<json::Value> v = json::Parse(session::AttentionJson({"a", "b", "c"}, {1, 2, 3}, t, 1, 0));
  REQUIRE(v.ok());
  const json::Value* att = v->Find("attention");
  REQUIRE(att->array.size() == 1);
  CHECK(att->array[0].Find("layer")->number == 1);
  CHECK(att->array[0].Find("head")->number == 0);
  CHECK(att->array[0].Find("weights")->array[1].array[0].number == doctest::Approx(0.3));
  CHECK(session::AttentionJson({"a", "b", "c"}, {1, 2, 3}, t, 0, -1).find("\"layer\":1") == std::string::npos);
}

TEST_CASE("export: the JSON streams in pieces equal to the whole, within its size bound") {
  // 300 tokens, one layer and head, weights with the longest %.6g form: the streamed pieces are
  // bounded and join to AttentionJson; AttentionJsonMaxBytes is never below the real length.
  model::Trace t;
  t.count = 300;
  t.n_layer = 1;
  t.n_head = 2;
  for (int k = 0; k < 2 * 300 * 300; ++k) t.attention.push_back(-1.23456789e-5f * (1 + k % 7));
  std::vector<std::string> bytes(300, "\x01\x02");
  std::vector<int> ids(300, 50256);
  std::string joined;
  size_t pieces = 0, largest = 0;
  session::WriteAttentionJson(bytes, ids, t, -1, -1, [&](const std::string& p) {
    joined += p;
    ++pieces;
    largest = std::max(largest, p.size());
  });
  const std::string whole = session::AttentionJson(bytes, ids, t);
  CHECK(joined == whole);
  CHECK(pieces > 10);
  CHECK(largest < (1u << 17));
  CHECK(whole.size() <= session::AttentionJsonMaxBytes(t));
  CHECK(whole.size() > session::AttentionJsonMaxBytes(t) / 2);  // a bound, not a wild guess
  CHECK(session::AttentionJson(bytes, ids, t, 0, 1).size() <= session::AttentionJsonMaxBytes(t, 0, 1));
  CHECK(session::AttentionJsonMaxBytes(t, 0, 1) < session::AttentionJsonMaxBytes(t));
}

TEST_CASE("export: a JSON too big for the memory left keeps the layer or head on screen") {
  model::Trace t;  // 12 layers x 12 heads x 1024 tokens, as GPT-2 small on a full context
  t.count = 1024;
  t.n_layer = 12;
  t.n_head = 12;
  const uint64_t whole = session::AttentionJsonMaxBytes(t), layer = session::AttentionJsonMaxBytes(t, 3);
  CHECK(whole > 1000000000ull);  // why: all heads are over a gigabyte of text
  CHECK(session::ChooseJsonScope(t, whole, 3, 5, false).whole());
  const session::JsonScope one = session::ChooseJsonScope(t, whole - 1, 3, 5, false);
  CHECK(one.layer == 3);
  CHECK(one.head == 5);
  const session::JsonScope mean = session::ChooseJsonScope(t, layer, 3, 5, true);
  CHECK(mean.layer == 3);
  CHECK(mean.head == -1);  // the mean's layer: all of its heads
  const session::JsonScope tight = session::ChooseJsonScope(t, layer - 1, 3, 5, true);
  CHECK(tight.layer == 3);
  CHECK(tight.head == 0);
  CHECK(session::AttentionJsonMaxBytes(t, 3, 0) < (32ull << 20) / 2);  // the smallest export always fits the floor
}

TEST_CASE("export: AttentionMatrix is one head, or the mean of the layer's heads") {
  const model::Trace t = SmallTrace();
  const std::vector<float> h1 = session::AttentionMatrix(t, 0, 1);
  REQUIRE(h1.size() == 9);
  CHECK(h1[3] == doctest::Approx(0.2f));  // row 1, col 0
  const std::vector<float> mean = session::AttentionMatrix(t, 1, -1);
  CHECK(mean[3] == doctest::Approx(0.35f));  // (0.3 + 0.4) / 2
  for (int i = 0; i < 3; ++i)
    CHECK(mean[i * 3] + mean[i * 3 + 1] + mean[i * 3 + 2] == doctest::Approx(1.0f));
  CHECK(session::AttentionMatrix(t, 5, 0) == std::vector<float>(9, 0.0f));  // past the model: zeros
}

TEST_CASE("export: CSV quotes what spreadsheets would misread") {
  CHECK(session::CsvField("cat") == "cat");
  CHECK(session::CsvField(" cat") == "\" cat\"");
  CHECK(session::CsvField("a,b") == "\"a,b\"");
  CHECK(session::CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(session::CsvField("⏎\n") == "\"⏎\n\"");
  const std::string csv = session::AttentionCsv({"The", " cat", ","}, session::AttentionMatrix(SmallTrace(), 0, 0));
  CHECK(csv == "query \\ key,The,\" cat\",\",\"\n"
               "The,1,0,0\n"
               "\" cat\",0.1,0.9,0\n"
               "\",\",0.05,0.05,0.9\n");
}

TEST_CASE("export: Python string literals escape what would break the code") {
  CHECK(session::PythonString("The cat") == "\"The cat\"");
  CHECK(session::PythonString("say \"hi\"") == "\"say \\\"hi\\\"\"");
  CHECK(session::PythonString("a\\b") == "\"a\\\\b\"");
  CHECK(session::PythonString("line\nnext\ttab\x01") == "\"line\\nnext\\ttab\\x01\"");
  CHECK(session::PythonString("注意力") == "\"注意力\"");
  CHECK(session::PythonString("bad\xff") == "\"bad\\ufffd\"");
}

TEST_CASE("export: the Python snippet names the sentence, layer and head") {
  session::PythonSnippetOptions o;
  o.text = "The robot said \"hi\".";
  o.layer = 3;
  o.head = 5;
  std::string py = session::PythonSnippet(o);
  CHECK(py.find("text = \"The robot said \\\"hi\\\".\"\n") != std::string::npos);
  CHECK(py.find("out.attentions[3][0, 5]") != std::string::npos);
  CHECK(py.find("(L4 H6 in the app)") != std::string::npos);  // code counts from 0, the screen from 1
  CHECK(py.find("output_attentions=True") != std::string::npos);
  CHECK(py.find("GPT2Tokenizer.from_pretrained(\"gpt2\")") != std::string::npos);
  CHECK(py.find("eos_token_id") == std::string::npos);
  o.mean_heads = true;
  o.prepend_eot = true;
  py = session::PythonSnippet(o);
  CHECK(py.find("out.attentions[3][0].mean(dim=0)") != std::string::npos);
  CHECK(py.find("ids = [tokenizer.eos_token_id] + ids") != std::string::npos);
}
