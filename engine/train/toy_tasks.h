// The training lab's tasks: batches generated from a seed (no files), each built so that
// attention is necessary and its effect measurable.
//
//   induction    each sequence walks its own random successor order of the symbols, jumping to
//                a random symbol with probability 0.2: segments repeat at random offsets with
//                random lengths. The loss is taken only where the repeat predicts the next symbol
//                (the current symbol occurred before and was followed by the same one); elsewhere
//                the next symbol is noise no model can predict. Nothing is at a fixed position,
//                so no head can solve it by position alone.
//   order        random symbols with markers A and B at random places and "?" last: the target
//                at "?" is whichever marker came first. A bag of symbols is the same either
//                way, so without positions a bidirectional model stays at chance (50 %).
//   two-lookups  markers A and B each followed by a symbol (x after A, y after B), "?" last: the
//                target at "?" is the PAIR (x, y), one of n² answer tokens. Two lookups at once:
//                one head can attend to both places, but then x and y arrive mixed in one
//                weighted sum. (A first version asked for (x − y) mod n: knowing x alone says
//                nothing about it, so neither 1 nor 4 heads left chance in 3000 steps — the pair
//                rewards each lookup on its own.)
#pragma once
#include <string>
#include <vector>

#include "train/rng.h"
#include "train/toy_trainer.h"

namespace attn::train {

class ToyTask {
 public:
  explicit ToyTask(const ToyConfig& c) : task_(c.task), n_(c.symbols), T_(c.seq_len) {}
  // Induction: the symbols. Order: + A, B, ?. Two-lookups: + A, B, ? + the n² pair answers.
  int vocab() const {
    return task_ == Task::Induction ? n_ : task_ == Task::Order ? n_ + 3 : n_ + 3 + n_ * n_;
  }
  int pair_token(int x, int y) const { return n_ + 3 + x * n_ + y; }
  int T() const { return T_; }
  int marker_a() const { return n_; }
  int marker_b() const { return n_ + 1; }
  int query() const { return n_ + 2; }

  // One sequence: tokens (T) and targets (T); target −1: no loss at that position.
  void Sample(Rng& rng, int* tokens, int* targets) const;
  // The fixed probe sequence (the same for every seed) and, for induction, the earlier
  // position each token of the second copy repeats (−1 elsewhere; see session/head_stats.h).
  void Probe(std::vector<int>* tokens, std::vector<int>* repeat_of) const;
  std::string Label(int token) const;

 private:
  void SampleInduction(Rng& rng, int* tokens, int* targets) const;
  void SampleOrder(Rng& rng, int* tokens, int* targets) const;
  void SampleTwoLookups(Rng& rng, int* tokens, int* targets) const;

  Task task_;
  int n_, T_;
};

}  // namespace attn::train
