// What kind of head is it? The ONE place where the module decides that a head "looks at the
// previous word", "parks on the first token", "copies after a repeat" (induction) or "spreads
// evenly". Every sentence the UI says about heads (11.3, 11.4, the exercises) is built from
// these facts, measured on the loaded model and the current sentence — never fixed text —
// and tools/train/evaluate.py reads the thresholds below from this file (keep the
// `constexpr float kName = value;` lines as they are: one per line, a plain number).
//
//   previous-token head   prev_token  ≥ kPrevTokenThreshold    (head_stats.h)
//   first-token / sink    first_token ≥ kFirstTokenThreshold   (head_stats.h)
//   induction head        induction   ≥ kInductionThreshold    (below; needs a repeated token)
//   near uniform          uniformity  ≥ kUniformThreshold      entropy ÷ the entropy of spreading
//                                                               evenly over every allowed token
//
// A head can match several patterns (a sharp previous-token head is never near uniform, but
// a head can be both previous-token and first-token on a two-token sentence).
#pragma once
#include <vector>

#include "model/gpt2.h"
#include "session/head_stats.h"

namespace attn::session {

// [thresholds] — parsed by tools/train/evaluate.py
constexpr float kPrevTokenThreshold = 0.5f;
constexpr float kFirstTokenThreshold = 0.5f;
constexpr float kInductionThreshold = 0.3f;
constexpr float kUniformThreshold = 0.9f;
// [/thresholds]

// Mean over query rows of ln(number of keys the causal mask allows): the entropy a head has
// when every row spreads evenly. Rows with one key contribute 0.
float UniformEntropy(int rows, int cols, int first = 0);

// Induction score of one head: over query positions p whose token appeared before (at the
// latest earlier position j < p with ids[j] == ids[p], and j + 1 < p), the mean weight on
// j + 1 — the token that followed the earlier copy ("… A B … A → B"). −1 when no position
// qualifies (nothing repeats in the sentence: the score cannot be measured).
float InductionScore(const float* w, int rows, int cols, const std::vector<int>& ids, int first = 0);

struct HeadPattern {
  HeadStats stats;           // layer, head, entropy, prev_token, first_token (head_stats.h)
  float induction = -1.0f;   // −1: not measurable on this sentence
  float uniformity = 0.0f;   // entropy ÷ UniformEntropy, in [0, 1]; 0 when undefined (1 token)
  bool prev = false, first = false, induct = false, uniform = false;  // over the thresholds
};

// One fact per pattern: the strongest head and how many heads pass the threshold.
struct PatternFact {
  int count = 0;              // heads at or over the threshold
  int layer = -1, head = -1;  // the head with the highest score (−1: none measured)
  float value = 0.0f;         // its score
};

// Everything a narration says about the model on this sentence, as numbers.
struct HeadNarration {
  int n_layer = 0, n_head = 0, tokens = 0;
  PatternFact prev, first, induction, uniform;  // uniform: value = the highest uniformity
  bool induction_measurable = false;            // some token repeats in the sentence
  float mean_uniformity = 0.0f;                 // over every head
  float max_prev = 0.0f;                        // == prev.value (kept for readability)
};

// Every head of a Trace (layer-major), classified. `ids`: the Trace's tokens (for induction).
std::vector<HeadPattern> ClassifyHeads(const model::Trace& t, const std::vector<int>& ids);
HeadNarration Narrate(const std::vector<HeadPattern>& heads, int n_layer, int n_head, int tokens);
HeadNarration Narrate(const model::Trace& t, const std::vector<int>& ids);

}  // namespace attn::session
