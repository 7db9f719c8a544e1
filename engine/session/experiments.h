// The maths behind the three exercises of 练习与作业, apart from any UI: run the model on a
// sentence with chosen interventions (never touching the Session's own), shuffle a sentence
// deterministically, and measure whether attention only permutes with the words.
//
//   Exercise 1  multi-head:  next-token top-5 with every head vs with one head per layer
//   Exercise 2  positions:   order = ShuffleOrder(n, seed);  shuffled[k] = ids[order[k]]
//                            without positions (and the causal mask) the model is a function
//                            of the *set* of words, so  B[k][m] = A[order[k]][order[m]]  and
//                            MaxDiffAfterUnpermuting(A, B, order) is rounding noise (~1e-7)
//   Exercise 3  ambiguity:   w(source → target) for every layer and head
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "model/gpt2.h"
#include "model/sampling.h"
#include "session/token_labels.h"

namespace attn::session {

// One forward pass from an empty cache: every layer's and head's attention, the last logits.
struct ModelRun {
  model::Trace trace;
  std::vector<float> logits;  // of the last token
  std::string error;          // the forward pass's error ("" when it ran)
  bool ok() const { return error.empty() && trace.count > 0; }
};
ModelRun RunModel(const model::Model& m, const std::vector<int>& ids, const model::Interventions& iv);

// The k most likely next tokens (softmax at temperature 1), most likely first.
std::vector<model::TokenProb> TopNext(const std::vector<float>& logits, int k);

// Interventions that keep only head `keep` (all others zeroed): in `layer`, or in every
// layer when layer < 0.
model::Interventions KeepOnlyHead(const model::Config& c, int layer, int keep);

// A deterministic shuffle of positions 0..n-1 (Fisher–Yates driven by model::Rng(seed), the
// same natively and in wasm): order[k] = the original position of the word now at k. With
// keep_last the last position stays (the next-token prediction stays comparable). At least
// half of the movable words move (drawn again otherwise), and never none when two can move.
std::vector<int> ShuffleOrder(int n, uint64_t seed, bool keep_last);

// max over layers, heads, k, m of |b(k, m) − a(order[k], order[m])|: 0 when the shuffled run
// `b` is exactly the original run `a` with its rows and columns permuted.
float MaxDiffAfterUnpermuting(const model::Trace& a, const model::Trace& b, const std::vector<int>& order);

// The first token at or after `from` whose label reads `word` (any case; labels carry no
// leading space), or -1.
int FindWordToken(const std::vector<TokenLabel>& labels, const std::string& word, int from = 0);

}  // namespace attn::session
