// The forward pass on a small random GPT-2 built in memory (model/random_model.h): KV cache consistency, the causal
// mask, and what each intervention must do. (Exact agreement with an independent PyTorch
// implementation is checked against golden files in gpt2_golden_test.cpp.)
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>

#include "kernels/threads.h"
#include "model/gpt2.h"
#include "model/random_model.h"

using namespace attn;
using namespace attn::model;

namespace {

Config SmallConfig() {
  Config c;
  c.vocab_size = 96;
  c.n_ctx = 24;
  c.n_embd = 64;
  c.n_head = 4;
  c.n_layer = 2;
  c.n_ff = 256;
  return c;
}

float MaxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0.0f;
  for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

}  // namespace

TEST_CASE("gpt2: decoding token by token through the KV cache equals one batched pass") {
  auto model = MakeRandomModel(SmallConfig(), quant::Type::F32, 1);
  const std::vector<int> tokens = {5, 17, 3, 88, 42, 9, 60, 1};
  KvCache batched = model->NewCache();
  std::vector<float> logits_batched;
  Trace trace;
  REQUIRE(model->Forward(tokens, batched, {}, &logits_batched, &trace).ok());
  CHECK(batched.length == 8);

  KvCache stepwise = model->NewCache();
  std::vector<float> logits_step;
  Trace last;
  for (int t : tokens) REQUIRE(model->Forward({t}, stepwise, {}, &logits_step, &last).ok());
  CHECK(MaxAbsDiff(logits_batched, logits_step) < 1e-4f);
  const size_t stored = 8 * batched.RowFloats();  // the buffers may have grown differently
  REQUIRE(batched.k.size() >= stored);
  REQUIRE(stepwise.k.size() >= stored);
  CHECK(MaxAbsDiff({batched.k.begin(), batched.k.begin() + stored}, {stepwise.k.begin(), stepwise.k.begin() + stored}) < 1e-5f);
  CHECK(batched.k.size() < 24 * batched.RowFloats());  // grown to the text, not the whole context
  // The last token's attention row is the same either way.
  for (int h = 0; h < 4; ++h)
    for (int j = 0; j < 8; ++j) CHECK(trace.Attention(1, h, 7, j) == doctest::Approx(last.Attention(1, h, 0, j)).epsilon(1e-4));
}

TEST_CASE("gpt2: a pass in pieces (StartTrace + ForwardInto) fills the same trace as one pass") {
  auto model = MakeRandomModel(SmallConfig(), quant::Type::Q8_0, 11);
  const std::vector<int> tokens = {5, 17, 3, 88, 42, 9, 60, 1, 33, 7};
  Trace whole_pass;
  whole_pass.options = {true, true, true, true};  // every buffer, logits at every position
  KvCache c1 = model->NewCache();
  std::vector<float> want;
  REQUIRE(model->Forward(tokens, c1, {}, &want, &whole_pass).ok());

  Trace pieces;
  pieces.options = whole_pass.options;
  KvCache c2 = model->NewCache();
  model->StartTrace(pieces, c2, 10);
  std::vector<float> got;
  for (auto [from, to] : {std::pair{0, 3}, {3, 4}, {4, 10}})
    REQUIRE(model->ForwardInto({tokens.begin() + from, tokens.begin() + to}, c2, {}, &got, pieces).ok());
  CHECK(pieces.count == 10);
  for (auto [a, b] : {std::pair{&pieces.attention, &whole_pass.attention}, {&pieces.q, &whole_pass.q},
                      {&pieces.residual, &whole_pass.residual}, {&pieces.mlp_act, &whole_pass.mlp_act},
                      {&pieces.logits, &whole_pass.logits}, {&got, &want}}) {
    REQUIRE(a->size() == b->size());
    CHECK(MaxAbsDiff(*a, *b) < 1e-4f);
  }
  // A piece past the trace it was started for, or with attention both ways, is refused.
  CHECK_FALSE(model->ForwardInto({1}, c2, {}, &got, pieces).ok());
  Interventions both;
  both.bidirectional = true;
  KvCache c3 = model->NewCache();
  model->StartTrace(pieces, c3, 4);
  CHECK_FALSE(model->ForwardInto({1, 2}, c3, both, &got, pieces).ok());
}

TEST_CASE("gpt2: a pass on several threads gives the same bits as on one") {
  // Big enough that both the matrix products and the attention heads are split (threads.h).
  attn::model::Config c;
  c.vocab_size = 600;
  c.n_ctx = 64;
  c.n_embd = 256;
  c.n_head = 4;
  c.n_layer = 2;
  c.n_ff = 1024;
  const auto m = attn::model::MakeRandomModel(c, attn::quant::Type::Q8_0, 5);
  std::vector<int> tokens(48);
  for (size_t i = 0; i < tokens.size(); ++i) tokens[i] = static_cast<int>((i * 37) % 600);
  const int before = attn::kernels::Threads();
  attn::model::Trace traces[2];
  std::vector<float> logits[2];
  for (int k = 0; k < 2; ++k) {
    attn::kernels::SetThreads(k == 0 ? 1 : 3);
    attn::model::KvCache cache = m->NewCache();
    traces[k].options.residual = true;
    REQUIRE(m->Forward(tokens, cache, {}, &logits[k], &traces[k]).ok());
  }
  attn::kernels::SetThreads(before);
  CHECK(traces[0].attention == traces[1].attention);
  CHECK(traces[0].residual == traces[1].residual);
  CHECK(logits[0] == logits[1]);
}

TEST_CASE("gpt2: attention rows are distributions and respect the causal mask") {
  auto model = MakeRandomModel(SmallConfig(), quant::Type::F32, 2);
  KvCache cache = model->NewCache();
  Trace trace;
  std::vector<float> logits;
  REQUIRE(model->Forward({1, 2, 3, 4, 5, 6}, cache, {}, &logits, &trace).ok());
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 4; ++h)
      for (int i = 0; i < 6; ++i) {
        float sum = 0.0f;
        for (int j = 0; j < 6; ++j) {
          const float w = trace.Attention(l, h, i, j);
          CHECK(w >= 0.0f);
          if (j > i) CHECK(w == 0.0f);  // GPT-2 cannot look ahead
          sum += w;
        }
        CHECK(sum == doctest::Approx(1.0f).epsilon(1e-5));
      }
  CHECK(trace.Attention(0, 0, 0, 0) == doctest::Approx(1.0f));  // the first token sees only itself

  Interventions bi;
  bi.bidirectional = true;
  KvCache cache2 = model->NewCache();
  REQUIRE(model->Forward({1, 2, 3, 4, 5, 6}, cache2, bi, &logits, &trace).ok());
  CHECK(trace.Attention(0, 0, 0, 5) > 0.0f);  // now the first token sees the last
}

TEST_CASE("gpt2: without positions and mask, attention cannot tell word order") {
  // The chapter's exercise 2: with no positional embeddings (and no causal mask, which also
  // leaks order), shuffling the words only shuffles the outputs.
  auto model = MakeRandomModel(SmallConfig(), quant::Type::F32, 3);
  Interventions iv;
  iv.drop_positions = true;
  iv.bidirectional = true;
  Trace a, b;
  a.options.all_logits = b.options.all_logits = true;
  std::vector<float> logits;
  KvCache c1 = model->NewCache(), c2 = model->NewCache();
  REQUIRE(model->Forward({10, 20, 30, 40}, c1, iv, &logits, &a).ok());
  REQUIRE(model->Forward({30, 10, 40, 20}, c2, iv, &logits, &b).ok());
  constexpr int V = 96;
  auto row = [](const Trace& t, int i) { return std::vector<float>(t.logits.begin() + i * V, t.logits.begin() + (i + 1) * V); };
  CHECK(MaxAbsDiff(row(a, 0), row(b, 1)) < 1e-5f);  // token 10
  CHECK(MaxAbsDiff(row(a, 2), row(b, 0)) < 1e-5f);  // token 30
  // With positions the same shuffle changes what token 10 computes.
  Interventions with_pos;
  with_pos.bidirectional = true;
  KvCache c3 = model->NewCache(), c4 = model->NewCache();
  REQUIRE(model->Forward({10, 20, 30, 40}, c3, with_pos, &logits, &a).ok());
  REQUIRE(model->Forward({30, 10, 40, 20}, c4, with_pos, &logits, &b).ok());
  CHECK(MaxAbsDiff(row(a, 0), row(b, 1)) > 1e-4f);
}

TEST_CASE("gpt2: ablating every head leaves each token on its own") {
  auto model = MakeRandomModel(SmallConfig(), quant::Type::F32, 4);
  Interventions iv;
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 4; ++h) iv.ablated_heads.push_back({l, h});
  std::vector<float> a, b;
  KvCache c1 = model->NewCache(), c2 = model->NewCache();
  REQUIRE(model->Forward({7, 8, 9, 50}, c1, iv, &a).ok());
  REQUIRE(model->Forward({70, 1, 2, 50}, c2, iv, &b).ok());
  CHECK(MaxAbsDiff(a, b) < 1e-6f);  // no attention: earlier words cannot matter
  std::vector<float> c, d;
  KvCache c3 = model->NewCache(), c4 = model->NewCache();
  REQUIRE(model->Forward({7, 8, 9, 50}, c3, {}, &c).ok());
  REQUIRE(model->Forward({70, 1, 2, 50}, c4, {}, &d).ok());
  CHECK(MaxAbsDiff(c, d) > 1e-5f);  // with attention they do
}

TEST_CASE("gpt2: K/V sharing gives every head of a group the same keys and values") {
  auto model = MakeRandomModel(SmallConfig(), quant::Type::F32, 5);
  Interventions mqa;
  mqa.kv_groups = 1;
  Trace t;
  t.options.qkv = true;
  std::vector<float> logits;
  KvCache cache = model->NewCache();
  REQUIRE(model->Forward({3, 1, 4, 1, 5}, cache, mqa, &logits, &t).ok());
  const int C = 64, hd = 16;
  for (int l = 0; l < 2; ++l)
    for (int i = 0; i < 5; ++i)
      for (int d = 0; d < hd; ++d) {
        const float k0 = t.k[(l * 5 + i) * C + d];
        for (int h = 1; h < 4; ++h) CHECK(t.k[(l * 5 + i) * C + h * hd + d] == k0);
      }
  Interventions gqa;
  gqa.kv_groups = 2;  // heads {0,1} and {2,3}
  KvCache cache2 = model->NewCache();
  REQUIRE(model->Forward({3, 1, 4, 1, 5}, cache2, gqa, &logits, &t).ok());
  CHECK(t.v[hd + 3] == t.v[3]);
  CHECK(t.v[3 * hd + 3] == t.v[2 * hd + 3]);
  CHECK(t.v[2 * hd + 3] != t.v[3]);
}

TEST_CASE("gpt2: bad input gets a clear error and leaves the cache usable") {
  auto model = MakeRandomModel(SmallConfig(), quant::Type::F32, 6);
  KvCache cache = model->NewCache();
  std::vector<float> logits;
  Status empty = model->Forward({}, cache, {}, &logits);
  CHECK_FALSE(empty.ok());
  CHECK(empty.error().find("empty") != std::string::npos);
  Status bad_id = model->Forward({1, 96}, cache, {}, &logits);
  CHECK_FALSE(bad_id.ok());
  CHECK(bad_id.error().find("outside the vocabulary") != std::string::npos);
  std::vector<int> too_long(25, 1);
  Status long_text = model->Forward(too_long, cache, {}, &logits);
  CHECK_FALSE(long_text.ok());
  CHECK(long_text.error().find("at most 24") != std::string::npos);
  CHECK(cache.length == 0);
  CHECK(model->Forward({1, 2}, cache, {}, &logits).ok());
  Interventions wrong;
  wrong.kv_groups = 5;
  CHECK_FALSE(model->Forward({3}, cache, wrong, &logits).ok());
}

TEST_CASE("gpt2: quantized weights stay close to f32") {
  const std::vector<int> tokens = {11, 22, 33, 44, 55, 66};
  std::vector<float> ref, q8, q4;
  {
    auto model = MakeRandomModel(SmallConfig(), quant::Type::F32, 7);
    KvCache c = model->NewCache();
    REQUIRE(model->Forward(tokens, c, {}, &ref).ok());
  }
  struct Case { quant::Type type; std::vector<float>* out; float tolerance; };
  for (const Case& q : {Case{quant::Type::Q8_0, &q8, 0.02f}, Case{quant::Type::Q4_0, &q4, 0.15f}}) {
    auto model = MakeRandomModel(SmallConfig(), q.type, 7);
    KvCache c = model->NewCache();
    REQUIRE(model->Forward(tokens, c, {}, q.out).ok());
    CAPTURE(quant::TypeName(q.type));
    CHECK(MaxAbsDiff(ref, *q.out) < q.tolerance);
  }
}
