// session/head_patterns (the thresholds that name a head's pattern, and the facts a narration
// is built from) and the measuring reveals of session/experiments: each on a case where the
// effect exists and one where it does not.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "model/random_model.h"
#include "session/experiments.h"
#include "session/head_patterns.h"

using namespace attn;
using session::HeadNarration;

namespace {

// A Trace of `n` tokens, `layers` × `heads`, every head uniform over the allowed keys.
model::Trace UniformTrace(int layers, int heads, int n) {
  model::Trace t;
  t.count = n;
  t.n_layer = layers;
  t.n_head = heads;
  t.attention.assign(static_cast<size_t>(layers) * heads * n * n, 0.0f);
  for (int l = 0; l < layers; ++l)
    for (int h = 0; h < heads; ++h)
      for (int i = 0; i < n; ++i)
        for (int j = 0; j <= i; ++j) t.attention[((static_cast<size_t>(l) * heads + h) * n + i) * n + j] = 1.0f / (i + 1);
  return t;
}

float* Row(model::Trace& t, int l, int h, int i) {
  return t.attention.data() + ((static_cast<size_t>(l) * t.n_head + h) * t.count + i) * t.count;
}

void SetRow(model::Trace& t, int l, int h, int i, int target) {
  float* r = Row(t, l, h, i);
  for (int j = 0; j < t.count; ++j) r[j] = j == target ? 1.0f : 0.0f;
}

model::Config Small() {
  model::Config c;
  c.vocab_size = 96;
  c.n_ctx = 24;
  c.n_embd = 64;
  c.n_head = 4;
  c.n_layer = 2;
  c.n_ff = 256;
  return c;
}

// Test-only: scale an f32 matrix of a random model in place (its arena is ours to change).
void Scale(const kernels::Matrix& m, float s) {
  float* d = static_cast<float*>(const_cast<void*>(m.data));
  for (size_t i = 0; i < m.rows * m.cols; ++i) d[i] *= s;
}

}  // namespace

TEST_CASE("head patterns: a uniform model has no named head; every head is near uniform") {
  const model::Trace t = UniformTrace(2, 3, 8);
  const std::vector<int> ids = {1, 2, 3, 4, 5, 6, 7, 8};
  const HeadNarration n = session::Narrate(t, ids);
  CHECK(n.prev.count == 0);
  CHECK(n.first.count == 0);
  CHECK(n.uniform.count == 6);
  CHECK(n.mean_uniformity == doctest::Approx(1.0f));
  CHECK_FALSE(n.induction_measurable);  // nothing repeats
  CHECK(n.prev.value < session::kPrevTokenThreshold);
}

TEST_CASE("head patterns: a previous-token head, a sink head and an induction head are found and counted") {
  model::Trace t = UniformTrace(2, 3, 8);
  // L1 H2 (0-based (1, 1)): previous token; L0 H2 (0, 1): first token; (1, 2): induction.
  for (int i = 1; i < 8; ++i) SetRow(t, 1, 1, i, i - 1);
  for (int i = 1; i < 8; ++i) SetRow(t, 0, 1, i, 0);
  // ids: A B C D A B C D — at positions 4..7 the token repeats; induction looks at j + 1.
  const std::vector<int> ids = {10, 11, 12, 13, 10, 11, 12, 13};
  for (int p = 4; p < 8; ++p) SetRow(t, 1, 2, p, p - 4 + 1);
  const std::vector<session::HeadPattern> heads = session::ClassifyHeads(t, ids);
  const HeadNarration n = session::Narrate(heads, 2, 3, 8);
  CHECK(n.prev.count == 1);
  CHECK(n.prev.layer == 1);
  CHECK(n.prev.head == 1);
  CHECK(n.prev.value == doctest::Approx(1.0f));
  CHECK(n.first.layer == 0);
  CHECK(n.first.head == 1);
  CHECK(n.first.value == doctest::Approx(1.0f));
  CHECK(n.induction_measurable);
  CHECK(n.induction.layer == 1);
  CHECK(n.induction.head == 2);
  CHECK(n.induction.value == doctest::Approx(1.0f));
  CHECK(n.induction.count == 1);
  // The narration's numbers are the head statistics (head_stats.h) of the same heads.
  const session::HeadStats s = session::ComputeHeadStats(Row(t, 1, 1, 0), 8, 8);
  CHECK(n.prev.value == s.prev_token);
  CHECK(heads[1 * 3 + 1].prev);
  CHECK_FALSE(heads[1 * 3 + 1].uniform);
  CHECK(n.uniform.count == 3);  // the three untouched heads
}

TEST_CASE("head patterns: thresholds sit where the header says") {
  CHECK(session::kPrevTokenThreshold == 0.5f);
  CHECK(session::kFirstTokenThreshold == 0.5f);
  CHECK(session::kInductionThreshold == 0.3f);
  CHECK(session::kUniformThreshold == 0.9f);
  CHECK(session::UniformEntropy(3, 3) == doctest::Approx((std::log(1.0) + std::log(2.0) + std::log(3.0)) / 3));
}

TEST_CASE("head patterns: an untrained GPT-2 (GPT-2's initialisation) is near uniform") {
  model::Config c = Small();
  auto twin = model::MakeRandomModel(c, quant::Type::F32, 20241, model::RandomInit::kGpt2Init);
  const std::vector<int> ids = {5, 17, 33, 2, 61, 8, 40, 12, 77, 3};
  const session::ModelRun run = session::RunModel(*twin, ids, {});
  REQUIRE(run.ok());
  const HeadNarration n = session::Narrate(run.trace, ids);
  CHECK(n.prev.count == 0);
  CHECK(n.uniform.count == c.n_layer * c.n_head);
  CHECK(n.mean_uniformity > 0.99f);
}

TEST_CASE("reveals: distribution change — identical logits, and a moved distribution") {
  const std::vector<float> a = {1, 2, 3, 4, 5, 0, 0, 0};
  session::DistributionChange same = session::CompareDistributions(a, a);
  CHECK(same.total_variation == doctest::Approx(0.0f));
  CHECK(same.kl == doctest::Approx(0.0f));
  CHECK(same.top5_overlap == 5);
  CHECK(same.top1_same);
  const std::vector<float> b = {5, 4, 3, 2, 1, 0, 0, 0};
  session::DistributionChange moved = session::CompareDistributions(a, b);
  CHECK(moved.total_variation > 0.5f);
  CHECK(moved.kl > 0.5f);
  CHECK_FALSE(moved.top1_same);
}

TEST_CASE("reveals: exercise 2 — with positions the order matters; without positions and mask it cannot") {
  auto m = model::MakeRandomModel(Small(), quant::Type::F32, 3);
  Scale(m->weights().wte, 12.0f);  // a spread next-token distribution (wte is also the output head)
  Scale(m->weights().wpe, 30.0f);  // positions loud enough to move the prediction (the effect exists)
  for (const auto& L : m->weights().layers) Scale(L.attn_proj, 40.0f);  // and what attention mixes in
  const std::vector<int> ids = {5, 17, 33, 2, 61, 8, 40, 12, 77, 3};
  const std::vector<int> order = session::ShuffleOrder(static_cast<int>(ids.size()), 7, true);
  std::vector<int> shuffled(ids.size());
  for (size_t k = 0; k < ids.size(); ++k) shuffled[k] = ids[order[k]];
  // The effect exists: positions on.
  {
    const session::ShuffleEffect e =
        session::MeasureShuffle(session::RunModel(*m, ids, {}), session::RunModel(*m, shuffled, {}), order);
    CHECK(e.attention_diff > 0.05f);
    CHECK(e.order_matters);
    CHECK(e.output_shows_it);
    CHECK(e.next.total_variation >= session::kClearDistributionChange);
    // The reveal's answer is "it changes" (0): that guess is right, "it stays" (1) wrong.
    const int answer = e.order_matters ? 0 : 1;
    CHECK(session::ScoreGuess(0, answer, true) == session::Verdict::kRight);
    CHECK(session::ScoreGuess(1, answer, true) == session::Verdict::kWrong);
  }
  // It does not: no positions, no causal mask — a bag of words.
  {
    model::Interventions iv;
    iv.drop_positions = true;
    iv.bidirectional = true;
    const session::ShuffleEffect e =
        session::MeasureShuffle(session::RunModel(*m, ids, iv), session::RunModel(*m, shuffled, iv), order);
    CHECK(e.attention_diff < session::kOrderAttentionTolerance);
    CHECK(e.next.total_variation < 1e-4f);
    CHECK_FALSE(e.order_matters);
    CHECK_FALSE(e.output_shows_it);
    const int answer = e.order_matters ? 0 : 1;  // "it stays"
    CHECK(session::ScoreGuess(1, answer, true) == session::Verdict::kRight);
    CHECK(session::ScoreGuess(0, answer, true) == session::Verdict::kWrong);
  }
}

TEST_CASE("reveals: exercise 1 — one head vs all is scored only where the heads matter") {
  const std::vector<int> ids = {5, 17, 33, 2, 61, 8, 40, 12, 77, 3, 5, 17, 33};
  const model::Config c = Small();
  const model::Interventions one = session::KeepOnlyHead(c, -1, 0);
  // Heads matter: the attention outputs are loud.
  {
    auto m = model::MakeRandomModel(c, quant::Type::F32, 11);
    Scale(m->weights().wte, 50.0f);  // sharp next-token distributions (wte is also the output head)
    for (const auto& L : m->weights().layers) Scale(L.attn_proj, 40.0f);
    const float all = session::TextLoss(*m, ids, {}), only = session::TextLoss(*m, ids, one);
    REQUIRE(std::isfinite(all));
    const session::OneHeadEffect e = session::MeasureOneHead(all, only, session::RunModel(*m, ids, {}).logits,
                                                             session::RunModel(*m, ids, one).logits);
    CHECK(std::fabs(only - all) >= session::kClearLossChange);
    CHECK(e.clear);
    CHECK(e.outcome == (only > all ? session::HeadsOutcome::kWorse : session::HeadsOutcome::kBetter));
    CHECK(session::ScoreGuess(static_cast<int>(e.outcome), static_cast<int>(e.outcome), e.clear) == session::Verdict::kRight);
    CHECK(session::ScoreGuess(static_cast<int>(session::HeadsOutcome::kSame), static_cast<int>(e.outcome), e.clear) ==
          session::Verdict::kWrong);
  }
  // Heads do not matter: every attention output projection is zero.
  {
    auto m = model::MakeRandomModel(c, quant::Type::F32, 11);
    Scale(m->weights().wte, 50.0f);
    for (const auto& L : m->weights().layers) Scale(L.attn_proj, 0.0f);
    const float all = session::TextLoss(*m, ids, {}), only = session::TextLoss(*m, ids, one);
    const session::OneHeadEffect e = session::MeasureOneHead(all, only, session::RunModel(*m, ids, {}).logits,
                                                             session::RunModel(*m, ids, one).logits);
    CHECK(std::fabs(only - all) < 1e-4f);
    CHECK_FALSE(e.clear);
    CHECK(e.next.total_variation < 1e-4f);
    // The student who predicted "worse" (what the chapter teaches) is not scored wrong.
    CHECK(session::ScoreGuess(static_cast<int>(session::HeadsOutcome::kWorse), static_cast<int>(e.outcome), e.clear) ==
          session::Verdict::kNotScored);
  }
}

TEST_CASE("reveals: exercise 3 — the vote across every layer and head") {
  model::Trace t = UniformTrace(2, 2, 6);
  const std::vector<int> targets = {1, 2, 3};
  session::TargetVote flat = session::VoteTargets(t, 5, targets);
  CHECK_FALSE(flat.clear);  // uniform: no target stands out
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 2; ++h) SetRow(t, l, h, 5, 2);
  session::TargetVote sharp = session::VoteTargets(t, 5, targets);
  CHECK(sharp.clear);
  CHECK(sharp.best == 1);
  CHECK(sharp.wins[1] == 4);
  CHECK(sharp.mean[1] == doctest::Approx(1.0f));
}
