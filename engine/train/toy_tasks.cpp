#include "train/toy_tasks.h"

#include <algorithm>

namespace attn::train {

//-----------------------------------------------------------------------------
// [SECTION] induction
//-----------------------------------------------------------------------------
// Each sequence draws its own random successor order over the symbols (a permutation π) and
// walks it: x_{t+1} = π(x_t), except that with probability kJump (0.2) it jumps to a random
// symbol. So runs of the same order come back again and again, entered at random places:
// repeated segments at random offsets with random lengths, several per sequence.
//
// Position t's target is x_{t+1}, scored only where the repeat predicts it: x_t occurred
// before and, at its latest earlier occurrence j, was followed by the same symbol
// (x_{j+1} = x_{t+1}). Everywhere else the next symbol is noise (a jump, or a first visit)
// whose loss no model can lower; leaving it out keeps the loss curve about the mechanism.
//
// Why this design, and not one segment copied once (tried first, see the report): with long
// periodic copies the 2-layer model also learns SHIFTED circuits (a layer-0 head looking 2–3
// back, a layer-1 head on j+3), which predict as well but score ~0 on the induction definition.
// The jumps break any alignment longer than one step, so the only reliable cue is the pair
// (x_j, x_{j+1}): a previous-token head in layer 0 and a head on j+1 in layer 1 — the textbook
// induction circuit, which then forms within a few hundred steps.
static constexpr float kJump = 0.2f;

void ToyTask::SampleInduction(Rng& rng, int* tokens, int* targets) const {
  int successor[64];
  for (int i = 0; i < n_; ++i) successor[i] = i;
  for (int i = n_ - 1; i > 0; --i) std::swap(successor[i], successor[rng.Below(i + 1)]);
  tokens[0] = rng.Below(n_);
  for (int t = 1; t < T_; ++t) tokens[t] = rng.Unit() < kJump ? rng.Below(n_) : successor[tokens[t - 1]];
  for (int t = 0; t < T_; ++t) {
    targets[t] = -1;
    if (t + 1 >= T_) continue;
    for (int j = t - 1; j >= 0; --j)  // the latest earlier occurrence of x_t
      if (tokens[j] == tokens[t]) {
        if (tokens[j + 1] == tokens[t + 1]) targets[t] = tokens[t + 1];
        break;
      }
  }
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
// [ random … A x … random … B y … | ? ]  → target at "?": the pair token (x, y). Not symmetric in
// x, y, so the model must know which symbol followed which marker.
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
  targets[T_ - 1] = pair_token(x, y);
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
  // As tools/train/evaluate.py: one random symbol, then L distinct symbols twice (and on: the
  // walk keeps cycling, as a training sequence without jumps would). Token 1+L+k repeats 1+k; the induction target 2+k must lie in the first copy.
  const int L = std::min(n_, (T_ - 1) / 2);
  std::vector<int> perm(n_);
  for (int i = 0; i < n_; ++i) perm[i] = i;
  for (int i = n_ - 1; i > 0; --i) std::swap(perm[i], perm[rng.Below(i + 1)]);
  (*tokens)[0] = rng.Below(n_);
  for (int k = 0; k < L; ++k) (*tokens)[1 + k] = perm[k];
  for (int t = 1 + L; t < T_; ++t) (*tokens)[t] = (*tokens)[t - L];
  for (int k = 0; k + 1 < L; ++k) (*repeat_of)[1 + L + k] = 1 + k;
}

std::string ToyTask::Label(int token) const {
  if (task_ != Task::Induction) {
    if (token == marker_a()) return "A";
    if (token == marker_b()) return "B";
    if (token == query()) return "?";
    if (token > query()) {
      const int pair = token - query() - 1;
      return std::to_string(pair / n_) + "," + std::to_string(pair % n_);
    }
  }
  return std::to_string(token);
}

}  // namespace attn::train
