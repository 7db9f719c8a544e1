// 训练实验室 / Training lab: what training_lab.cpp (state, controls, time slicing, state API)
// and training_lab_figures.cpp (charts, head maps, events, comparison) share.
//
// The lab trains one model, or in compare mode two or four variants of it in turn (the order
// task: positions on / off × causal / bidirectional; two lookups: 1 head vs h heads). Each
// frame spends at most `budget_ms` milliseconds in ToyTrainer::Step, one step at a time, so
// the page keeps answering while it trains. Training happens only while the section is on
// screen: another section pauses it (and costs nothing); coming back resumes it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "train/toy_trainer.h"
#include "ui/app_shell.h"

namespace attn::ui::lab {

// One model being trained and its numbers, copied into float arrays for the charts.
struct LabRun {
  train::ToyConfig config;
  std::unique_ptr<train::ToyTrainer> trainer;
  std::vector<float> steps, loss, accuracy;         // one entry per history point
  std::vector<std::vector<float>> prev, induction;  // per head (layer-major), one entry per point
  float eval_accuracy = -1.0f;                      // on fresh sequences once finished; -1: not yet
  train::ProbeAttention probe;                      // after probe_step steps
  int probe_step = -1;
};

struct LabState {
  train::ToyConfig config;     // the controls (applied to the runs by Reset)
  bool config_changed = false; // the controls differ from the runs' settings
  int target = 1500;           // steps each run trains
  float budget_ms = 7.0f;      // training time per frame
  bool playing = false;
  bool compare = false;
  std::vector<LabRun> runs;    // one, or the comparison's variants
  int next_run = 0;            // round robin: the run that trains first in the next frame
  int shown_run = 0;           // whose heads the maps show
  int open_layer = 0, open_head = 0;  // the enlarged head
  bool pin_when_done = false;  // lab.pin=1: pin the run to the report once it finished (tests)
  double frame_train_ms = 0.0; // time spent in Step() in the last frame
  double frame_slowest_step_ms = 0.0;  // its slowest single step (a frame may overrun by one)
  double steps_per_second = 0.0;  // measured: steps / time in Step() over the last second or so
  double window_ms = 0.0;
  int window_steps = 0;
};

LabState& State();
bool Finished(const LabRun& run, const LabState& st);
bool CompareAvailable(train::Task task);  // order and two-lookups

// ---- training_lab_state.cpp: the state API's "training_lab" object -------------------------
void Publish(const LabState& st);

// ---- training_lab_figures.cpp -------------------------------------------------------------
const char* TaskTitle(train::Task task);
const char* PosLabel(train::PosEncoding pe);                      // "可学习" / "learned"
std::string RunLabel(const LabState& st, const LabRun& run);      // compare mode's legend
std::vector<std::string> EventLines(const train::ToyTrainer& t);  // worded, 1-based layers / heads
// The best head so far for each score: (layer, head, value) 0-based.
struct BestHead { int layer = -1, head = -1; float value = 0.0f; };
BestHead BestPrevToken(const LabRun& run);
BestHead BestInduction(const LabRun& run);
std::string Verdict(const LabState& st, const LabRun& run);  // compare mode: one computed line
float ChanceAccuracy(const train::ToyConfig& c);

void DrawLossChart(LabState& st);
void DrawHeadMaps(LabState& st);
void DrawHeadScoreChart(LabState& st);
void DrawEvents(LabState& st);
void DrawComparison(LabState& st);

}  // namespace attn::ui::lab
