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
  if (!s.ok()) {
    run.error = s.error();
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
