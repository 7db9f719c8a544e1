// The model passes of 练习与作业's three exercises. Each exercise runs the loaded model on its
// own sentence with its own interventions, beside the session's pass and never changing it
// (the session's text and interventions stay the student's). The panels say what they want
// run; these keep the results and run again only when the model (Session::model_id), the
// token ids or the interventions change:
//
//   Exercise 1  all heads vs one head:  ExercisePass(sentence, {}) and (sentence, KeepOnlyHead),
//                                       ExerciseLoss(kHeldOutText, {}) and (…, KeepOnlyHead)
//   Exercise 2  positions:              ExercisePass(ids, iv) and (shuffled ids, iv)
//   Exercise 3  ambiguity:              ExercisePass(the telescope sentence, {})
//
// The maths of each reveal is in session/experiments.h.
#pragma once
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "model/gpt2.h"
#include "model/sampling.h"
#include "session/experiments.h"
#include "session/session.h"

namespace attn::session {

// A sentence as an exercise runs it: the loaded tokenizer's ids, cut to the context.
std::vector<int> ExerciseIds(Session& s, const std::string& text);

// One forward pass (RunModel) and its top-5 next tokens.
class ExercisePass {
 public:
  // Runs when the model, `ids` or `iv` differ from the last run; true if it ran now.
  bool Update(Session& s, const std::vector<int>& ids, const model::Interventions& iv);
  const ModelRun& run() const { return run_; }
  const std::vector<model::TokenProb>& top5() const { return top5_; }
  int passes_run() const { return passes_run_; }  // what tests read

 private:
  uint64_t model_id_ = 0;
  std::vector<int> ids_;
  model::Interventions iv_;
  ModelRun run_;
  std::vector<model::TokenProb> top5_;
  int passes_run_ = 0;
};

// The mean next-token loss of a text (TextLoss), NaN until it ran.
class ExerciseLoss {
 public:
  bool Update(Session& s, const std::vector<int>& ids, const model::Interventions& iv);
  float loss() const { return loss_; }
  int passes_run() const { return passes_run_; }

 private:
  uint64_t model_id_ = 0;
  std::vector<int> ids_;
  model::Interventions iv_;
  float loss_ = NAN;
  int passes_run_ = 0;
};

}  // namespace attn::session
