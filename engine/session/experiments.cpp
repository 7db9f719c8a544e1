#include "session/experiments.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <utility>

namespace attn::session {

ModelRun RunModel(const model::Model& m, const std::vector<int>& ids, const model::Interventions& iv) {
  ModelRun run;
  if (ids.empty()) return run;
  model::KvCache cache = m.NewCache();
  const Status s = m.Forward(ids, cache, iv, &run.logits, &run.trace);
  const bool finite = std::all_of(run.logits.begin(), run.logits.end(), [](float x) { return std::isfinite(x); });
  if (!s.ok() || !finite) {  // a NaN model: no figure may show its numbers as if they meant something
    run.error = s.ok() ? MakeError<Msg::NanInRun>() : s.failure();
    run.trace = model::Trace{};
    run.logits.clear();
  }
  return run;
}

std::vector<model::TokenProb> TopNext(const std::vector<float>& logits, int k) {
  std::vector<model::TokenProb> d = model::NextTokenDistribution(logits, {1.0f, 0, 1.0f});
  if (static_cast<int>(d.size()) > k) d.resize(k);
  return d;
}

model::Interventions KeepOnlyHead(const model::Config& c, int layer, int keep) {
  model::Interventions iv;
  for (int l = 0; l < c.n_layer; ++l) {
    if (layer >= 0 && l != layer) continue;
    for (int h = 0; h < c.n_head; ++h)
      if (h != keep) iv.ablated_heads.emplace_back(l, h);
  }
  return iv;
}

std::vector<int> ShuffleOrder(int n, uint64_t seed, bool keep_last) {
  std::vector<int> order(std::max(n, 0));
  for (int i = 0; i < n; ++i) order[i] = i;
  const int movable = keep_last ? n - 1 : n;
  if (movable < 2) return order;
  // Fisher–Yates, drawn again (from the same generator) while fewer than half of the words
  // moved: a shuffle that swaps two words shows little. The best of 16 draws is kept.
  model::Rng rng(seed);
  std::vector<int> best;
  int best_moved = -1;
  for (int attempt = 0; attempt < 16 && best_moved * 2 < movable; ++attempt) {
    std::vector<int> o = order;
    for (int i = movable - 1; i > 0; --i) std::swap(o[i], o[static_cast<int>(rng.Next() % (i + 1))]);
    int moved = 0;
    for (int i = 0; i < movable; ++i) moved += o[i] != i;
    if (moved > best_moved) {
      best = std::move(o);
      best_moved = moved;
    }
  }
  if (best_moved == 0) std::swap(best[0], best[1]);  // never the identity
  return best;
}

float MaxDiffAfterUnpermuting(const model::Trace& a, const model::Trace& b, const std::vector<int>& order) {
  const int n = static_cast<int>(order.size());
  if (a.count != n || b.count != n || a.first || b.first || a.n_layer != b.n_layer || a.n_head != b.n_head) return INFINITY;
  float worst = 0.0f;
  for (int l = 0; l < a.n_layer; ++l)
    for (int h = 0; h < a.n_head; ++h)
      for (int k = 0; k < n; ++k)
        for (int m = 0; m < n; ++m)
          worst = std::max(worst, std::fabs(b.Attention(l, h, k, m) - a.Attention(l, h, order[k], order[m])));
  return worst;
}

//-----------------------------------------------------------------------------
// [SECTION] Reveals that measure the lesson
//-----------------------------------------------------------------------------

// Softmax in double: the tails of a 50 257-token distribution matter for TV and KL.
static std::vector<double> Softmax(const std::vector<float>& logits) {
  std::vector<double> p(logits.size());
  if (logits.empty()) return p;
  const double mx = *std::max_element(logits.begin(), logits.end());
  double sum = 0.0;
  for (size_t i = 0; i < p.size(); ++i) sum += p[i] = std::exp(static_cast<double>(logits[i]) - mx);
  for (double& x : p) x /= sum;
  return p;
}

DistributionChange CompareDistributions(const std::vector<float>& logits_p, const std::vector<float>& logits_q) {
  DistributionChange d;
  if (logits_p.empty() || logits_p.size() != logits_q.size()) return d;
  const std::vector<double> p = Softmax(logits_p), q = Softmax(logits_q);
  double tv = 0.0, kl = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    tv += std::fabs(p[i] - q[i]);
    if (p[i] > 0.0) kl += p[i] * (std::log(p[i]) - std::log(std::max(q[i], 1e-300)));
  }
  d.total_variation = static_cast<float>(tv / 2);
  d.kl = static_cast<float>(std::max(kl, 0.0));
  const std::vector<model::TokenProb> a = TopNext(logits_p, 5), b = TopNext(logits_q, 5);
  for (const auto& x : a)
    for (const auto& y : b) d.top5_overlap += x.id == y.id;
  d.top1_same = !a.empty() && !b.empty() && a[0].id == b[0].id;
  return d;
}

float TextLoss(const model::Model& m, const std::vector<int>& ids, const model::Interventions& iv) {
  if (ids.size() < 2) return NAN;
  model::KvCache cache = m.NewCache();
  model::Trace t;
  t.options.all_logits = true;
  std::vector<float> last;
  if (!m.Forward(ids, cache, iv, &last, &t).ok() || t.logits.size() < ids.size() * static_cast<size_t>(t.vocab)) return NAN;
  double loss = 0.0;
  for (size_t i = 0; i + 1 < ids.size(); ++i) {
    const float* row = t.logits.data() + i * t.vocab;
    const double mx = *std::max_element(row, row + t.vocab);
    double sum = 0.0;
    for (int v = 0; v < t.vocab; ++v) sum += std::exp(row[v] - mx);
    loss += std::log(sum) + mx - row[ids[i + 1]];
  }
  return static_cast<float>(loss / (ids.size() - 1));
}

ShuffleEffect MeasureShuffle(const ModelRun& original, const ModelRun& shuffled, const std::vector<int>& order) {
  ShuffleEffect e;
  e.attention_diff = MaxDiffAfterUnpermuting(original.trace, shuffled.trace, order);
  e.next = CompareDistributions(original.logits, shuffled.logits);
  e.output_shows_it = e.next.total_variation >= kClearDistributionChange;
  e.order_matters = e.attention_diff > kOrderAttentionTolerance || e.output_shows_it;
  return e;
}

OneHeadEffect MeasureOneHead(float loss_all, float loss_one, const std::vector<float>& logits_all,
                             const std::vector<float>& logits_one) {
  OneHeadEffect e;
  e.loss_all = loss_all;
  e.loss_one = loss_one;
  e.next = CompareDistributions(logits_all, logits_one);
  const float delta = loss_one - loss_all;
  e.clear = std::isfinite(delta) && std::fabs(delta) >= kClearLossChange;
  e.outcome = !e.clear ? HeadsOutcome::kSame : delta > 0 ? HeadsOutcome::kWorse : HeadsOutcome::kBetter;
  return e;
}

TargetVote VoteTargets(const model::Trace& t, int source, const std::vector<int>& targets) {
  TargetVote v;
  const int n = static_cast<int>(targets.size());
  if (n == 0 || source < 0 || source >= t.count) return v;
  for (int x : targets)
    if (x < 0 || x >= t.first + t.count) return v;
  v.mean.assign(n, 0.0f);
  v.wins.assign(n, 0);
  std::vector<double> sum(n, 0.0);
  for (int l = 0; l < t.n_layer; ++l)
    for (int h = 0; h < t.n_head; ++h) {
      int top = 0;
      for (int k = 0; k < n; ++k) {
        const float w = t.Attention(l, h, source, targets[k]);
        sum[k] += w;
        if (w > t.Attention(l, h, source, targets[top])) top = k;
      }
      ++v.wins[top];
    }
  const int heads = std::max(t.n_layer * t.n_head, 1);
  for (int k = 0; k < n; ++k) v.mean[k] = static_cast<float>(sum[k] / heads);
  v.best = static_cast<int>(std::max_element(v.mean.begin(), v.mean.end()) - v.mean.begin());
  float second = -1.0f;
  for (int k = 0; k < n; ++k)
    if (k != v.best) second = std::max(second, v.mean[k]);
  v.margin = n > 1 ? v.mean[v.best] - second : v.mean[v.best];
  v.clear = v.margin >= kClearTargetMargin;
  return v;
}

Verdict ScoreGuess(int guess, int answer, bool clear) {
  if (!clear) return Verdict::kNotScored;
  return guess == answer ? Verdict::kRight : Verdict::kWrong;
}

static std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int FindWordToken(const std::vector<TokenLabel>& labels, const std::string& word, int from) {
  const std::string want = Lower(word);
  for (int i = std::max(from, 0); i < static_cast<int>(labels.size()); ++i)
    if (Lower(labels[i].text) == want) return i;
  return -1;
}

}  // namespace attn::session
