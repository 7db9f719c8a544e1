#include "session/architect_runs.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "model/requantize.h"
#include "session/experiments.h"

namespace attn::session {

VariantRun RunVariant(const model::Model& m, const std::vector<int>& ids, const model::Interventions& iv) {
  ModelRun r = RunModel(m, ids, iv);  // says so when the numbers are NaN
  VariantRun v;
  v.error = std::move(r.error);
  if (!r.ok()) return v;
  v.trace = std::move(r.trace);
  v.top5 = TopNext(r.logits, 5);
  return v;
}

float MaxAbsDifference(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0.0f;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) m = std::max(m, std::fabs(a[i] - b[i]));
  return m;
}

static uint64_t PassBytes(Session& s, int passes) {
  const int T = std::max(1, static_cast<int>(s.tokens().size()));
  return passes * model::EstimatePassBytes(s.info().config, 0, T, {}).total();
}

//-----------------------------------------------------------------------------
// [SECTION] K/V sharing
//-----------------------------------------------------------------------------

uint64_t KvSharingRuns::BytesNeeded(Session& s) { return s.HasModel() ? PassBytes(s, 2) : 0; }

void KvSharingRuns::Update(Session& s, int groups) {
  if (!s.HasModel()) return;
  const std::vector<int>& tokens = s.tokens();
  if (model_id_ == s.model_id() && version_ == s.version() && groups_ == groups) return;
  model::Interventions iv = s.interventions();  // a copy: the session keeps its own
  base_ = shared_ = VariantRun{};               // the old traces go before the new ones are made
  iv.kv_groups = 0;
  base_ = RunVariant(s.model(), tokens, iv);
  iv.kv_groups = groups;
  shared_ = RunVariant(s.model(), tokens, iv);
  passes_run_ += 2;
  model_id_ = s.model_id();
  version_ = s.version();
  groups_ = groups;
}

//-----------------------------------------------------------------------------
// [SECTION] Quantization lens
//-----------------------------------------------------------------------------

uint64_t QuantLens::BytesNeeded(Session& s) {
  if (!s.HasModel()) return 0;
  return s.info().parameters * (128 + 34 + 18) / 32 + PassBytes(s, kVariants);
}

void QuantLens::Build(Session& s) {
  Drop();  // the old model's copies go first
  if (!s.HasModel()) return;
  for (int i = 0; i < kVariants; ++i) variants_[i] = model::Requantize(s.model(), kTypes[i]);
  built_for_ = s.model_id();
}

void QuantLens::Drop() {
  for (auto& v : variants_) v.reset();
  for (VariantRun& r : runs_) r = VariantRun{};
  built_for_ = 0;
  ran_ = false;
}

void QuantLens::Update(Session& s) {
  if (!built(s)) return;
  const std::vector<int>& tokens = s.tokens();
  if (ran_ && run_version_ == s.version()) return;
  for (VariantRun& r : runs_) r = VariantRun{};
  for (int i = 0; i < kVariants; ++i) runs_[i] = RunVariant(*variants_[i], tokens, model::Interventions{});
  ran_ = true;
  run_version_ = s.version();
}

}  // namespace attn::session
