#include "session/exercise_runs.h"

#include <cmath>

namespace attn::session {

std::vector<int> ExerciseIds(Session& s, const std::string& text) {
  if (!s.HasModel()) return {};
  std::vector<int> ids = s.tokenizer().Encode(text);
  const int n_ctx = s.info().config.n_ctx;
  if (static_cast<int>(ids.size()) > n_ctx) ids.resize(n_ctx);
  return ids;
}

// Whether a cached result still answers (model, ids, iv); model id 0 is "never ran".
static bool Current(const Session& s, uint64_t model_id, const std::vector<int>& old_ids, const model::Interventions& old_iv,
                    const std::vector<int>& ids, const model::Interventions& iv) {
  return model_id != 0 && model_id == s.model_id() && old_ids == ids && old_iv == iv;
}

bool ExercisePass::Update(Session& s, const std::vector<int>& ids, const model::Interventions& iv) {
  if (!s.HasModel() || Current(s, model_id_, ids_, iv_, ids, iv)) return false;
  run_ = ModelRun{};  // the old trace goes before the new one is made
  run_ = RunModel(s.model(), ids, iv);
  top5_ = TopNext(run_.logits, 5);
  model_id_ = s.model_id();
  ids_ = ids;
  iv_ = iv;
  ++passes_run_;
  return true;
}

bool ExerciseLoss::Update(Session& s, const std::vector<int>& ids, const model::Interventions& iv) {
  if (!s.HasModel() || Current(s, model_id_, ids_, iv_, ids, iv)) return false;
  loss_ = TextLoss(s.model(), ids, iv);
  model_id_ = s.model_id();
  ids_ = ids;
  iv_ = iv;
  ++passes_run_;
  return true;
}

}  // namespace attn::session
