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
  Error error;                // the forward pass's error (empty message when it ran)
  bool ok() const { return error.message.empty() && trace.count > 0; }
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

//-----------------------------------------------------------------------------
// [SECTION] Reveals that measure the lesson on any model
//-----------------------------------------------------------------------------
// A reveal must not hang on one number that a weak model gets by chance (the top-1 token of
// a near-flat distribution). These compare whole distributions, losses and attention maps,
// and say when the loaded model is too weak to show an effect, so the student is not scored
// wrong for predicting what the chapter teaches.

// Thresholds of the reveals (one place; the unit tests use them too).
constexpr float kOrderAttentionTolerance = 1e-3f;  // max |Δ attention| after unpermuting: above = order matters
constexpr float kClearDistributionChange = 0.05f;  // total variation of the next-token distribution
constexpr float kClearLossChange = 0.05f;          // nats per token on the held-out text
constexpr float kClearTargetMargin = 0.02f;        // mean attention weight: best − second best

// A short English text the exercises never show or let the student edit: the "held-out"
// text on which one head vs all heads is scored.
constexpr const char* kHeldOutText =
    "The old man walked slowly to the station. When the train came, he found a seat by the window and opened his book.";

struct DistributionChange {
  float total_variation = 0.0f;  // ½ Σ |p − q| over the whole vocabulary, in [0, 1]
  float kl = 0.0f;               // KL(p ‖ q) in nats (p: the first distribution)
  int top5_overlap = 0;          // tokens the two top-5 lists share (0..5)
  bool top1_same = false;
};
DistributionChange CompareDistributions(const std::vector<float>& logits_p, const std::vector<float>& logits_q);

// Mean cross-entropy (nats per token) of predicting ids[i+1] from ids[0..i], over the text.
// NaN when the text has fewer than 2 tokens or the pass fails.
float TextLoss(const model::Model& m, const std::vector<int>& ids, const model::Interventions& iv);

// Exercise 2: does shuffling change what the model computes?
struct ShuffleEffect {
  float attention_diff = 0.0f;  // MaxDiffAfterUnpermuting of the two runs
  DistributionChange next;      // original vs shuffled next-token distribution
  bool order_matters = false;   // attention_diff > tolerance, or the distribution moved clearly
  bool output_shows_it = false; // the next-token distribution moved clearly (TV ≥ threshold)
};
ShuffleEffect MeasureShuffle(const ModelRun& original, const ModelRun& shuffled, const std::vector<int>& order);

// Exercise 1: one head vs all heads, on the held-out text (loss) and the sentence (distribution).
enum class HeadsOutcome { kWorse = 0, kSame = 1, kBetter = 2 };
struct OneHeadEffect {
  float loss_all = 0.0f, loss_one = 0.0f;  // nats per token on the held-out text
  DistributionChange next;                 // the sentence's next token: all heads vs one head
  HeadsOutcome outcome = HeadsOutcome::kSame;
  bool clear = false;                      // |loss_one − loss_all| ≥ kClearLossChange
};
OneHeadEffect MeasureOneHead(float loss_all, float loss_one, const std::vector<float>& logits_all,
                             const std::vector<float>& logits_one);

// Exercise 3: which target gets the most attention from `source`, across every layer and head.
struct TargetVote {
  std::vector<float> mean;  // per target: mean weight over all layers and heads
  std::vector<int> wins;    // per target: heads in which it gets the most of the targets
  int best = -1;            // index into targets with the highest mean
  float margin = 0.0f;      // best mean − second best mean
  bool clear = false;       // margin ≥ kClearTargetMargin
};
TargetVote VoteTargets(const model::Trace& t, int source, const std::vector<int>& targets);

// The score of a predict-then-reveal: kNotScored when the loaded model does not show the
// effect clearly (the student is not marked wrong for the chapter's answer).
enum class Verdict { kRight, kWrong, kNotScored };
Verdict ScoreGuess(int guess, int answer, bool clear);

// The first token at or after `from` whose label reads `word` (any case; labels carry no
// leading space), or -1.
int FindWordToken(const std::vector<TokenLabel>& labels, const std::string& word, int from = 0);

}  // namespace attn::session
