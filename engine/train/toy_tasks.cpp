#include "train/toy_tasks.h"

#include <algorithm>
#include <cstdlib>

namespace attn::train {

//-----------------------------------------------------------------------------
// [SECTION] induction
//-----------------------------------------------------------------------------
// [ random prefix | s₁ … s_L | s₁ … s_L | s₁ … ]   the segment repeats until the end
//   P                 P+L
// P uniform in [0, T/4], L uniform in [4, T/2] (capped by the number of symbols: the segment's
// symbols are distinct, so "the earlier occurrence" is unique). Position i's target is token
// i+1, scored from i = P+L on: there the current symbol occurred before and an induction head
// (find it, look one to the right) predicts the next one. Because L changes from sequence to
// sequence, no fixed positional offset does the job (with one fixed offset a head solves it
// by position alone and no induction head forms); because every period after the first is
// scored, each sequence gives many examples of the rule, which is what makes it form fast.
static void SampleSingleRepeat(Rng& rng, int n_, int T_, int* tokens, int* targets) {
  for (int t = 0; t < T_; ++t) {
    tokens[t] = rng.Below(n_);
    targets[t] = -1;
  }
  const int L = rng.Between(std::max(2, T_ / 4), std::max(2, T_ / 2 - 1));
  const int a = rng.Between(0, T_ - 2 * L);
  const int b = rng.Between(a + L, T_ - L);
  for (int k = 0; k < L; ++k) tokens[b + k] = tokens[a + k];
  for (int i = b; i <= b + L - 2; ++i) targets[i] = tokens[i + 1];
}

void ToyTask::SampleInduction(Rng& rng, int* tokens, int* targets) const {
  if (std::getenv("ATTNLAB_SINGLE")) { SampleSingleRepeat(rng, n_, T_, tokens, targets); return; }
  const int P = rng.Between(0, T_ / 4);
  const int L = rng.Between(std::min(4, n_), std::min(n_, T_ / 2));
  for (int t = 0; t < P; ++t) tokens[t] = rng.Below(n_);
  for (int k = 0; k < L; ++k) {  // L distinct symbols: a partial Fisher–Yates draw
    int s;
    bool fresh;
    do {
      s = rng.Below(n_);
      fresh = true;
      for (int m = 0; m < k; ++m) fresh &= tokens[P + m] != s;
    } while (!fresh);
    tokens[P + k] = s;
  }
  for (int t = P + L; t < T_; ++t) tokens[t] = tokens[t - L];
  for (int t = 0; t < T_; ++t) targets[t] = t >= P + L && t + 1 < T_ ? tokens[t + 1] : -1;
}

//-----------------------------------------------------------------------------
// [SECTION] order
//-----------------------------------------------------------------------------
// [ random … A … random … B … random | ? ]  → target at "?": A (A came first) or B.
void ToyTask::SampleOrder(Rng& rng, int* tokens, int* targets) const {
  for (int t = 0; t < T_; ++t) {
    tokens[t] = rng.Below(n_);
    targets[t] = -1;
  }
  const int pa = rng.Below(T_ - 1);
  int pb = rng.Below(T_ - 2);
  if (pb >= pa) ++pb;  // distinct places in [0, T−2]
  tokens[pa] = marker_a();
  tokens[pb] = marker_b();
  tokens[T_ - 1] = query();
  targets[T_ - 1] = pa < pb ? marker_a() : marker_b();
}

//-----------------------------------------------------------------------------
// [SECTION] two-lookups
//-----------------------------------------------------------------------------
// [ random … A x … random … B y … | ? ]  → target at "?": (x − y) mod n. Not symmetric in x, y,
// so the model must know which symbol followed which marker.
void ToyTask::SampleTwoLookups(Rng& rng, int* tokens, int* targets) const {
  for (int t = 0; t < T_; ++t) {
    tokens[t] = rng.Below(n_);
    targets[t] = -1;
  }
  // Two non-overlapping pairs in [0, T−2]: pair starts pa, pb with |pa − pb| ≥ 2.
  const int slots = T_ - 2;  // a pair starting at p occupies p, p+1 ≤ T−2
  const int pa = rng.Below(slots);
  int pb;
  do pb = rng.Below(slots);
  while (pb > pa - 2 && pb < pa + 2);
  tokens[pa] = marker_a();
  tokens[pb] = marker_b();
  const int x = tokens[pa + 1], y = tokens[pb + 1];
  tokens[T_ - 1] = query();
  targets[T_ - 1] = ((x - y) % n_ + n_) % n_;
}

//-----------------------------------------------------------------------------
// [SECTION] Dispatch, probe, labels
//-----------------------------------------------------------------------------

void ToyTask::Sample(Rng& rng, int* tokens, int* targets) const {
  switch (task_) {
    case Task::Induction: SampleInduction(rng, tokens, targets); break;
    case Task::Order: SampleOrder(rng, tokens, targets); break;
    case Task::TwoLookups: SampleTwoLookups(rng, tokens, targets); break;
  }
}

void ToyTask::Probe(std::vector<int>* tokens, std::vector<int>* repeat_of) const {
  tokens->assign(T_, 0);
  repeat_of->assign(T_, -1);
  std::vector<int> targets(T_);
  Rng rng(0x9E0BE5EEDull);  // fixed: the same probe for every seed
  if (task_ != Task::Induction) {
    Sample(rng, tokens->data(), targets.data());
    return;
  }
  // As tools/train/evaluate.py: one random symbol, then L distinct symbols twice (and on, as
  // in training). Token 1+L+k repeats 1+k; the induction target 2+k must lie in the first copy.
  const int L = std::min(n_, (T_ - 1) / 2);
  std::vector<int> perm(n_);
  for (int i = 0; i < n_; ++i) perm[i] = i;
  for (int i = n_ - 1; i > 0; --i) std::swap(perm[i], perm[rng.Below(i + 1)]);
  (*tokens)[0] = rng.Below(n_);
  for (int k = 0; k < L; ++k) (*tokens)[1 + k] = perm[k];
  for (int t = 1 + L; t < T_; ++t) (*tokens)[t] = (*tokens)[t - L];  // periodic, as in training
  for (int k = 0; k + 1 < L; ++k) (*repeat_of)[1 + L + k] = 1 + k;
}

std::string ToyTask::Label(int token) const {
  if (task_ != Task::Induction) {
    if (token == marker_a()) return "A";
    if (token == marker_b()) return "B";
    if (token == query()) return "?";
  }
  return std::to_string(token);
}

}  // namespace attn::train
