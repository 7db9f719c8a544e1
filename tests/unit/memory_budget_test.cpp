// The memory budget: a pass's bytes are known before it runs (model::EstimatePassBytes), and
// PlanPass trades detail, then tokens, for memory.
#include <doctest/doctest.h>

#include <vector>

#include "model/random_model.h"
#include "session/memory_budget.h"

using namespace attn;
using session::PassPlan;
using session::PlanPass;
using session::TraceDetail;

namespace {
uint64_t Bytes(const std::vector<float>& v) { return v.size() * sizeof(float); }

uint64_t TraceBytes(const model::Trace& t) {
  return Bytes(t.attention) + Bytes(t.q) + Bytes(t.k) + Bytes(t.v) + Bytes(t.residual) + Bytes(t.ln1) +
         Bytes(t.ln2) + Bytes(t.mlp_act) + Bytes(t.logits);
}
}  // namespace

TEST_CASE("memory: EstimatePassBytes is what a pass allocates, for every trace detail") {
  model::Config c;
  c.vocab_size = 300;
  c.n_ctx = 40;
  c.n_embd = 32;
  c.n_head = 4;
  c.n_layer = 3;
  c.n_ff = 128;
  const auto m = model::MakeRandomModel(c, quant::Type::F32, 7);
  const std::vector<int> tokens = {1, 5, 9, 200, 33, 4, 17};
  for (TraceDetail d : {TraceDetail::kFull, TraceDetail::kNoBlockOutputs, TraceDetail::kNoQkv}) {
    model::TraceOptions o = session::TraceOptionsFor(d);
    for (bool all_logits : {false, true}) {
      o.all_logits = all_logits;
      model::KvCache cache = m->NewCache();
      model::Trace t;
      t.options = o;
      std::vector<float> logits;
      REQUIRE(m->Forward(tokens, cache, {}, &logits, &t).ok());
      const model::PassBytes b = model::EstimatePassBytes(c, 0, static_cast<int>(tokens.size()), o);
      CHECK(b.trace == TraceBytes(t));
      CHECK(b.cache == Bytes(cache.k) + Bytes(cache.v));
      // One more token through the cache: its trace spans the whole text's keys.
      model::Trace step;
      step.options = o;
      REQUIRE(m->Forward({3}, cache, {}, &logits, &step).ok());
      CHECK(model::EstimatePassBytes(c, static_cast<int>(tokens.size()), 1, o).trace == TraceBytes(step));
    }
  }
  // Less detail is fewer bytes; q/k/v and the block outputs are what the ladder gives up.
  const auto at = [&](TraceDetail d) { return model::EstimatePassBytes(c, 0, 40, session::TraceOptionsFor(d)).total(); };
  CHECK(at(TraceDetail::kFull) > at(TraceDetail::kNoBlockOutputs));
  CHECK(at(TraceDetail::kNoBlockOutputs) > at(TraceDetail::kNoQkv));
}

TEST_CASE("memory: GPT-2 small on a full 1024-token text fits the web budget without q/k/v") {
  const model::Config c = model::Gpt2SmallConfig();
  const uint64_t q8_model = 124439808ull * 34 / 32;  // GPT-2 small's weights in Q8_0
  const PassPlan p = PlanPass(c, q8_model, 1024, session::kWebMemoryBudget);
  CHECK(p.fits);
  CHECK(p.tokens == 1024);
  CHECK(p.detail == TraceDetail::kNoQkv);     // the attention weights alone are 604 MB
  CHECK(p.bytes <= session::kWebMemoryBudget);
  CHECK(p.bytes > 800ull * 1000 * 1000);      // attention + residual + cache + model
  CHECK(p.longest_full < p.longest_with_qkv);
  CHECK(p.longest_with_qkv < 1024);
  // The same text with every buffer would not fit: that is why the ladder exists.
  CHECK(q8_model + model::EstimatePassBytes(c, 0, 1024, session::TraceOptionsFor(TraceDetail::kFull)).total() >
        session::kWebMemoryBudget);
  // A short sentence keeps everything.
  const PassPlan short_text = PlanPass(c, q8_model, 12, session::kWebMemoryBudget);
  CHECK(short_text.detail == TraceDetail::kFull);
  CHECK(short_text.tokens == 12);
}

TEST_CASE("memory: PlanPass gives up detail first, then tokens; never more than budget or context") {
  const model::Config c = model::Gpt2SmallConfig();
  const uint64_t model_bytes = 130ull << 20;
  int last_tokens = 0;
  TraceDetail last_detail = TraceDetail::kNoQkv;
  for (uint64_t mib = 120; mib <= 4096; mib += 37) {  // a growing budget never gives less
    const PassPlan p = PlanPass(c, model_bytes, 1024, mib << 20);
    if (!p.fits) {
      CHECK(p.tokens == 0);
      continue;
    }
    CHECK(p.bytes <= (mib << 20));
    CHECK(p.tokens <= 1024);
    CHECK(p.tokens >= last_tokens);
    if (p.tokens == last_tokens) CHECK(static_cast<int>(p.detail) <= static_cast<int>(last_detail));
    if (p.tokens < 1024) CHECK(p.detail == TraceDetail::kNoQkv);  // cut only when the least detail is too big
    CHECK(p.tokens == p.longest);
    last_tokens = p.tokens;
    last_detail = p.detail;
    // One more token would not fit: the cut is the longest text, not a guess.
    if (p.tokens < 1024)
      CHECK(model_bytes + model::EstimatePassBytes(c, 0, p.tokens + 1, p.options).total() > (mib << 20));
  }
  CHECK(last_tokens == 1024);
  CHECK(last_detail == TraceDetail::kFull);
  // A model larger than the budget fits nothing.
  CHECK_FALSE(PlanPass(c, 2ull << 30, 5, 1ull << 30).fits);
  // Natively the default is a real share of this machine's memory.
  CHECK(session::DefaultMemoryBudget() >= session::kMinMemoryBudget);
}

TEST_CASE("memory: --memory-budget / ?memory= take whole MiB within sane limits") {
  uint64_t b = 7;
  CHECK(session::ParseMemoryBudgetMiB("1500", &b));
  CHECK(b == 1500ull << 20);
  for (const char* bad : {"", "1", "63", "-5", "1.5", "12a", "99999999999999999999", "2000000"}) {
    uint64_t keep = 7;
    CHECK_FALSE(session::ParseMemoryBudgetMiB(bad, &keep));
    CHECK(keep == 7);
  }
  CHECK_FALSE(session::ParseMemoryBudgetMiB(nullptr, &b));
}
