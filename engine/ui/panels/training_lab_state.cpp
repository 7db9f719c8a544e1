// 训练实验室's state for the tests and the page (--dump-state, window.attnlab.state()):
//
//   "training_lab": {"task", "playing", "compare", "target", "shown_run", "budget_ms",
//                    "frame_train_ms", "frame_slowest_step_ms", "steps_per_second",
//                    "step", "loss", "accuracy"      (the shown run),
//                    "probe_tokens": [...],
//                    "runs": [{"config": {...}, "label", "step", "loss", "accuracy",
//                              "eval_accuracy" (null until finished),
//                              "history": {"step": [...], "loss": [...], "accuracy": [...]},
//                              "events": [{"step", "layer", "head", "kind", "value"}],
//                              "best": {"prev_token": {"layer", "head", "value"}, "induction": {...}},
//                              "verdict"}]}
//
// Layers and heads are 0-based here (as attnlab-cli train-toy prints them); the UI words them 1-based.
#include <cmath>
#include <cstdio>
#include <string>

#include "formats/json.h"
#include "ui/panels/training_lab_parts.h"

namespace attn::ui::lab {

//-----------------------------------------------------------------------------
// [SECTION] State JSON
//-----------------------------------------------------------------------------

static void AppendFloat(std::string& out, float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.7g", std::isfinite(v) ? v : 0.0f);
  out += buf;
}

static std::string Floats(const std::vector<float>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ",";
    AppendFloat(out, v[i]);
  }
  return out + "]";
}

static const char* EventKindName(train::EventKind k) {  // the same names as attnlab-cli train-toy
  switch (k) {
    case train::EventKind::PrevTokenHead: return "prev_token_head";
    case train::EventKind::InductionHead: return "induction_head";
    case train::EventKind::AccuracyReached90: return "accuracy_90";
  }
  return "?";
}

static std::string RunJson(const LabState& st, const LabRun& run) {
  const train::ToyTrainer& t = *run.trainer;
  const train::ToyConfig& c = t.config();
  std::string j = "{\"config\":{\"task\":\"" + std::string(train::TaskName(c.task)) + "\"";
  j += ",\"layers\":" + std::to_string(c.layers) + ",\"heads\":" + std::to_string(c.heads);
  j += ",\"d_model\":" + std::to_string(c.d_model) + ",\"pe\":\"" + train::PosEncodingName(c.pe) + "\"";
  j += std::string(",\"bidirectional\":") + (c.bidirectional ? "true" : "false");
  j += ",\"seed\":" + std::to_string(c.seed) + ",\"lr\":";
  AppendFloat(j, c.lr);
  j += ",\"batch\":" + std::to_string(c.batch) + ",\"every\":" + std::to_string(c.every);
  j += ",\"symbols\":" + std::to_string(c.symbols) + ",\"seq_len\":" + std::to_string(c.seq_len) + "}";
  j += ",\"label\":" + json::Quote(st.compare ? RunLabel(st, run) : "");
  j += ",\"step\":" + std::to_string(t.step()) + ",\"loss\":";
  AppendFloat(j, t.last_loss());
  j += ",\"accuracy\":";
  AppendFloat(j, t.accuracy());
  j += ",\"eval_accuracy\":";
  if (run.eval_accuracy >= 0) AppendFloat(j, run.eval_accuracy);
  else j += "null";
  j += ",\"history\":{\"step\":" + Floats(run.steps) + ",\"loss\":" + Floats(run.loss) + ",\"accuracy\":" + Floats(run.accuracy) + "}";
  j += ",\"events\":[";
  for (size_t i = 0; i < t.events().size(); ++i) {
    const train::Event& e = t.events()[i];
    j += (i ? ",{" : "{") + std::string("\"step\":") + std::to_string(e.step) + ",\"layer\":" + std::to_string(e.layer);
    j += ",\"head\":" + std::to_string(e.head) + ",\"kind\":\"" + EventKindName(e.kind) + "\",\"value\":";
    AppendFloat(j, e.value);
    j += "}";
  }
  j += "],\"best\":{";
  const BestHead prev = BestPrevToken(run), ind = BestInduction(run);
  j += "\"prev_token\":{\"layer\":" + std::to_string(prev.layer) + ",\"head\":" + std::to_string(prev.head) + ",\"value\":";
  AppendFloat(j, prev.value);
  j += "},\"induction\":{\"layer\":" + std::to_string(ind.layer) + ",\"head\":" + std::to_string(ind.head) + ",\"value\":";
  AppendFloat(j, ind.value);
  j += "}},\"verdict\":" + json::Quote(st.compare ? Verdict(st, run) : "");
  return j + "}";
}

void Publish(const LabState& st) {
  std::string j = "{\"task\":\"" + std::string(train::TaskName(st.config.task)) + "\"";
  j += std::string(",\"playing\":") + (st.playing ? "true" : "false");
  j += std::string(",\"compare\":") + (st.compare ? "true" : "false");
  j += ",\"target\":" + std::to_string(st.target) + ",\"shown_run\":" + std::to_string(st.shown_run);
  j += ",\"budget_ms\":";
  AppendFloat(j, st.budget_ms);
  j += ",\"frame_train_ms\":";
  AppendFloat(j, static_cast<float>(st.frame_train_ms));
  j += ",\"frame_slowest_step_ms\":";
  AppendFloat(j, static_cast<float>(st.frame_slowest_step_ms));
  j += ",\"steps_per_second\":";
  AppendFloat(j, static_cast<float>(st.steps_per_second));
  const LabRun& shown = st.runs[st.shown_run];
  j += ",\"step\":" + std::to_string(shown.trainer->step()) + ",\"loss\":";
  AppendFloat(j, shown.trainer->last_loss());
  j += ",\"accuracy\":";
  AppendFloat(j, shown.trainer->accuracy());
  j += ",\"probe_tokens\":[";
  for (int i = 0; i < shown.probe.T; ++i) {
    if (i) j += ",";
    j += json::Quote(shown.trainer->TokenLabel(shown.probe.tokens[i]));
  }
  j += "],\"runs\":[";
  for (size_t i = 0; i < st.runs.size(); ++i) {
    if (i) j += ",";
    j += RunJson(st, st.runs[i]);
  }
  j += "]}";
  PublishPanelState("training_lab", std::move(j));
}

}  // namespace attn::ui::lab
