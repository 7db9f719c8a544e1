// 11.3 架构师视角's two experiments on the loaded model. They run beside the session's own pass
// and never change it:
//
//   K/V sharing    the session's text twice: as trained, and with each group of heads reading
//                  the mean of its K and V (Interventions::kv_groups), MQA/GQA imposed on a model
//                  trained without it
//   Quantization   the loaded weights requantized to f32, Q8_0 and Q4_0 (model/requantize.h),
//                  each copy run on the session's text
//
// Each keeps its results until the model (Session::model_id), the text (Session::version) or
// its own setting changes. The panel checks BytesNeeded against Session::headroom first.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/gpt2.h"
#include "model/sampling.h"
#include "quant/quant.h"
#include "session/session.h"

namespace attn::session {

// One pass of one model variant: every head's attention and the five likeliest next tokens.
struct VariantRun {
  Error error;                          // why it could not run (empty message when it ran)
  model::Trace trace;                   // attention only (no q/k/v)
  std::vector<model::TokenProb> top5;   // softmax probabilities, likeliest first
  bool ok() const { return error.message.empty() && trace.count > 0; }
};
VariantRun RunVariant(const model::Model& m, const std::vector<int>& ids, const model::Interventions& iv);

// max_i |a_i − b_i|: how far one attention map moved from another.
float MaxAbsDifference(const std::vector<float>& a, const std::vector<float>& b);

class KvSharingRuns {
 public:
  // What the two passes allocate on the session's text.
  static uint64_t BytesNeeded(Session& s);
  // Runs both passes when the model, the text or `groups` changed since the last call. They use
  // the session's interventions (a copy) with kv_groups 0 and `groups`.
  void Update(Session& s, int groups);
  const VariantRun& base() const { return base_; }      // every head its own K and V
  const VariantRun& shared() const { return shared_; }  // `groups` shared K/V pairs
  int passes_run() const { return passes_run_; }        // what tests read

 private:
  uint64_t model_id_ = 0, version_ = 0;
  int groups_ = -1, passes_run_ = 0;
  VariantRun base_, shared_;
};

class QuantLens {
 public:
  static constexpr int kVariants = 3;
  static constexpr quant::Type kTypes[kVariants] = {quant::Type::F32, quant::Type::Q8_0, quant::Type::Q4_0};
  // Bigger models wait for a click: three copies of GPT-2 small take seconds and ~1 GB.
  static constexpr uint64_t kAutoBuildParameters = 60000000;
  // The three copies (f32 4 bytes a weight, Q8_0 34/32, Q4_0 18/32) and a pass of each.
  static uint64_t BytesNeeded(Session& s);

  bool built(const Session& s) const { return built_for_ == s.model_id() && variants_[0] != nullptr; }
  void Build(Session& s);  // requantizes the loaded model, dropping the old copies first
  void Drop();             // frees the copies and their runs
  // Runs the three copies on the session's text when it changed; needs built(s).
  void Update(Session& s);
  const VariantRun& run(int i) const { return runs_[i]; }
  uint64_t weight_bytes(int i) const { return variants_[i] ? variants_[i]->WeightBytes() : 0; }

 private:
  uint64_t built_for_ = 0, run_version_ = 0;
  bool ran_ = false;
  std::unique_ptr<model::Model> variants_[kVariants];
  VariantRun runs_[kVariants];
};

}  // namespace attn::session
