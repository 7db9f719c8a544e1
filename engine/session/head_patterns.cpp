#include "session/head_patterns.h"

#include <algorithm>
#include <cmath>

namespace attn::session {

float UniformEntropy(int rows, int cols, int first) {
  if (rows <= 0 || cols <= 0) return 0.0f;
  double h = 0.0;
  for (int r = 0; r < rows; ++r) h += std::log(static_cast<double>(std::min(first + r + 1, cols)));
  return static_cast<float>(h / rows);
}

float InductionScore(const float* w, int rows, int cols, const std::vector<int>& ids, int first) {
  double sum = 0.0;
  int scored = 0;
  for (int r = 0; r < rows; ++r) {
    const int p = first + r;
    if (p >= static_cast<int>(ids.size())) break;
    int j = -1;  // the latest earlier copy of this token
    for (int k = p - 1; k >= 0; --k)
      if (ids[k] == ids[p]) { j = k; break; }
    // j + 1 == p would be the previous token: that is a previous-token head, not induction.
    if (j < 0 || j + 1 >= p || j + 1 >= cols) continue;
    sum += w[static_cast<size_t>(r) * cols + j + 1];
    ++scored;
  }
  return scored ? static_cast<float>(sum / scored) : -1.0f;
}

std::vector<HeadPattern> ClassifyHeads(const model::Trace& t, const std::vector<int>& ids) {
  std::vector<HeadPattern> out;
  if (t.count <= 0) return out;
  const int cols = t.first + t.count;
  const float uniform = UniformEntropy(t.count, cols, t.first);
  for (int l = 0; l < t.n_layer; ++l)
    for (int h = 0; h < t.n_head; ++h) {
      const float* w = t.HeadWeights(l, h);
      HeadPattern p;
      p.stats = ComputeHeadStats(w, t.count, cols, t.first);
      p.stats.layer = l;
      p.stats.head = h;
      p.induction = InductionScore(w, t.count, cols, ids, t.first);
      p.uniformity = uniform > 0.0f ? std::clamp(p.stats.entropy / uniform, 0.0f, 1.0f) : 0.0f;
      p.prev = p.stats.prev_token >= kPrevTokenThreshold;
      p.first = p.stats.first_token >= kFirstTokenThreshold;
      p.induct = p.induction >= kInductionThreshold;
      p.uniform = uniform > 0.0f && p.uniformity >= kUniformThreshold;
      out.push_back(p);
    }
  return out;
}

// The head with the highest `score` (ties: the first in layer-major order) and how many pass.
template <typename Score, typename Pass>
static PatternFact Fact(const std::vector<HeadPattern>& heads, Score score, Pass pass) {
  PatternFact f;
  for (const HeadPattern& p : heads) {
    const float v = score(p);
    if (v < 0.0f) continue;  // not measurable
    if (pass(p)) ++f.count;
    if (f.layer < 0 || v > f.value) {
      f.layer = p.stats.layer;
      f.head = p.stats.head;
      f.value = v;
    }
  }
  return f;
}

HeadNarration Narrate(const std::vector<HeadPattern>& heads, int n_layer, int n_head, int tokens) {
  HeadNarration n;
  n.n_layer = n_layer;
  n.n_head = n_head;
  n.tokens = tokens;
  n.prev = Fact(heads, [](const HeadPattern& p) { return p.stats.prev_token; }, [](const HeadPattern& p) { return p.prev; });
  n.first = Fact(heads, [](const HeadPattern& p) { return p.stats.first_token; }, [](const HeadPattern& p) { return p.first; });
  n.induction = Fact(heads, [](const HeadPattern& p) { return p.induction; }, [](const HeadPattern& p) { return p.induct; });
  n.uniform = Fact(heads, [](const HeadPattern& p) { return p.uniformity; }, [](const HeadPattern& p) { return p.uniform; });
  n.induction_measurable = n.induction.layer >= 0;
  double sum = 0.0;
  for (const HeadPattern& p : heads) sum += p.uniformity;
  n.mean_uniformity = heads.empty() ? 0.0f : static_cast<float>(sum / heads.size());
  n.max_prev = n.prev.value;
  return n;
}

HeadNarration Narrate(const model::Trace& t, const std::vector<int>& ids) {
  return Narrate(ClassifyHeads(t, ids), t.n_layer, t.n_head, t.count);
}

}  // namespace attn::session
