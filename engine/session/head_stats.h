// Per-head summaries of an attention pattern, for 11.3's "different heads look from different
// angles": three numbers say at a glance what kind of head it is.
//
//   entropy      mean over query rows of −Σ_j w_ij ln w_ij (nats). 0: every row puts all its
//                weight on one token (a sharp head); ln(p+1): the row of position p spreads
//                evenly over the p+1 tokens the causal mask allows (a "bag of words" head).
//   prev_token   mean over query positions p ≥ 1 of w(p, p−1). 1: a perfect previous-token head.
//   first_token  mean over query positions p ≥ 1 of w(p, 0). High: the head parks its weight
//                on the first token (an "attention sink") when it has nothing better to do.
//
// Position 0 is left out of the two scores: it has no previous token and, under the causal
// mask, may only look at itself (weight 1 on position 0 whatever the head does). With a single
// token both scores are 0. The entropy averages every row.
#pragma once
#include <vector>

#include "model/gpt2.h"

namespace attn::session {

struct HeadStats {
  int layer = 0, head = 0;
  float entropy = 0.0f;      // nats
  float prev_token = 0.0f;   // in [0, 1]
  float first_token = 0.0f;  // in [0, 1]
};

// −Σ w ln w of one row of n weights (entries ≤ 0 count as 0), in nats.
float RowEntropy(const float* w, int n);

// The statistics of one head. `w` is rows × cols, row-major: row r holds the weights of the
// query at position first + r over the key positions 0 .. cols−1 (a Trace with a KV cache
// has first > 0 and cols = first + rows).
HeadStats ComputeHeadStats(const float* w, int rows, int cols, int first = 0);

// Every head of `layer` (head order), or of every layer (layer-major) from a Trace.
std::vector<HeadStats> LayerHeadStats(const model::Trace& t, int layer);
std::vector<HeadStats> AllHeadStats(const model::Trace& t);

}  // namespace attn::session

namespace attn::session {

// Induction score (tools/train/evaluate.py's definition): for the queries i whose token repeats
// an earlier position j = repeat_of[i] (≥ 0; −1: not a repeat), the mean of w(i, j+1) — the
// weight on the token that FOLLOWED the earlier occurrence, which an induction head copies.
// `w` as in ComputeHeadStats (row r = query position first + r); repeat_of is indexed by
// position and must cover first + rows entries. 0 when no query qualifies.
float InductionScore(const float* w, int rows, int cols, const int* repeat_of, int first = 0);

}  // namespace attn::session
