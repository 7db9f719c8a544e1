// 训练实验室 / Training lab (issue 14): a tiny Transformer trained live on a toy task
// (train/toy_trainer.h), so the student watches heads divide the work "by themselves" — a
// previous-token head, then an induction head — and checks the exercises' claims by experiment:
// several heads against one (two lookups), positions on and off (order).
//
// Training is time-sliced: each frame spends at most budget_ms in ToyTrainer::Step (one step
// at a time, the variants of compare mode in turn) and asks for the next frame while it trains
// (RequestAnimation), so the page keeps answering input. The figures are in
// training_lab_figures.cpp.
//
// Options (--option / URL ?task=…&play=1): lab.task=induction|order|two-lookups, lab.play=1,
// lab.compare=1, lab.seed=N, lab.steps=N (steps to train), lab.layers, lab.heads, lab.d,
// lab.pe=learned|sin|none, lab.bidirectional=1, lab.lr=X, lab.every=N, lab.budget=MS, lab.pin=1
// (pins the run to the report once it reached its steps).
// State API: "training_lab" (training_lab_state.cpp).
//
// [SECTION] Index
//   - State and runs
//   - Options
//   - Time-sliced training
//   - Controls
//   - Panel, and the exercises' link
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <type_traits>

#include "session/report_lab.h"
#include "ui/fonts.h"
#include "ui/panels/architecture_parts.h"
#include "ui/panels/exercises_parts.h"
#include "ui/panels/panels.h"
#include "ui/panels/training_lab_parts.h"
#include "ui/theme.h"
#include "ui/widgets/callout.h"
#include "ui/widgets/hotspots.h"
#include "ui/widgets/layout.h"
#include "ui/widgets/paragraph.h"

namespace attn::ui {

using i18n::Str;
using i18n::Tr;

namespace lab {

//-----------------------------------------------------------------------------
// [SECTION] State and runs
//-----------------------------------------------------------------------------

// Steps each task trains by default: enough for its effect to show on the default model
// (train/toy_trainer.cpp's measurements: induction heads at ~400–700, order solved by ~250;
// two lookups: 4 heads pass 90 % at ~1300, 1 head only at ~2250, so compare mode shows the gap).
static int DefaultTarget(train::Task task) {
  switch (task) {
    case train::Task::Induction: return 1000;
    case train::Task::Order: return 400;
    case train::Task::TwoLookups: return 2500;
  }
  return 1000;
}

LabState& State() {
  static LabState st = [] {
    LabState s;
    s.config = train::DefaultConfig(train::Task::Induction);
    s.target = DefaultTarget(s.config.task);
    return s;
  }();
  return st;
}

bool Finished(const LabRun& run, const LabState& st) { return run.trainer->step() >= st.target; }
bool CompareAvailable(train::Task task) { return task != train::Task::Induction; }

// The comparison's heads: the chosen count, or 4 when one head is chosen (1 vs 1 shows nothing).
static int CompareHeads(const train::ToyConfig& c) {
  for (int h : {c.heads, 4, 2})
    if (h > 1 && c.d_model % h == 0) return h;
  return 2;
}

// Fresh runs from the controls' settings: the one model, or the comparison's variants, all
// with the same seed (so the same data and the same kind of start).
static void Reset(LabState& st) {
  st.config = train::Sanitized(st.config);
  std::vector<train::ToyConfig> configs;
  if (st.compare && st.config.task == train::Task::Order) {
    for (bool bidirectional : {false, true})
      for (train::PosEncoding pe : {train::PosEncoding::Learned, train::PosEncoding::None}) {
        train::ToyConfig c = st.config;
        if (pe == train::PosEncoding::Learned && st.config.pe != train::PosEncoding::None) c.pe = st.config.pe;
        else c.pe = pe;
        c.bidirectional = bidirectional;
        configs.push_back(c);
      }
  } else if (st.compare && st.config.task == train::Task::TwoLookups) {
    train::ToyConfig one = st.config, many = st.config;
    one.heads = 1;
    many.heads = CompareHeads(st.config);
    configs = {one, many};
  } else {
    configs = {st.config};
  }
  st.runs.clear();
  for (const train::ToyConfig& c : configs) {
    LabRun run;
    run.trainer = std::make_unique<train::ToyTrainer>(c);
    run.config = run.trainer->config();
    st.runs.push_back(std::move(run));
  }
  st.next_run = 0;
  st.shown_run = std::min(st.shown_run, static_cast<int>(st.runs.size()) - 1);
  if (st.compare && st.config.task == train::Task::TwoLookups) st.shown_run = 1;  // the many heads
  st.open_layer = st.open_head = 0;
  st.steps_per_second = st.window_ms = 0.0;
  st.window_steps = 0;
}

static void SetTask(LabState& st, train::Task task) {
  const train::ToyConfig old = st.config;
  st.config = train::DefaultConfig(task);
  st.config.seed = old.seed;
  st.target = DefaultTarget(task);
  if (!CompareAvailable(task)) st.compare = false;
  Reset(st);
}

// Copies the new history points into the charts' arrays and re-reads the probe after steps.
static void Sync(LabRun& run) {
  const std::vector<train::HistoryPoint>& h = run.trainer->history();
  for (size_t i = run.steps.size(); i < h.size(); ++i) {
    run.steps.push_back(static_cast<float>(h[i].step));
    run.loss.push_back(h[i].loss);
    run.accuracy.push_back(h[i].accuracy);
    run.prev.resize(h[i].heads.size());
    run.induction.resize(h[i].heads.size());
    for (size_t k = 0; k < h[i].heads.size(); ++k) {
      run.prev[k].push_back(h[i].heads[k].prev_token);
      run.induction[k].push_back(h[i].heads[k].induction);
    }
  }
  if (run.probe_step != run.trainer->step()) {  // one forward pass of one sequence
    run.probe = run.trainer->probe();
    run.probe_step = run.trainer->step();
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Options
//-----------------------------------------------------------------------------

static void ReadOptions(AppState& app, LabState& st) {
  bool reset = false;
  if (const std::string v = TakeOption(app, "lab.task"); !v.empty()) {
    train::Task task;
    if (train::ParseTask(v, &task) && (task != st.config.task || st.runs.empty())) SetTask(st, task);
  }
  auto number = [&](const char* key, auto* out) {
    const std::string v = TakeOption(app, key);
    if (v.empty()) return;
    *out = static_cast<std::remove_pointer_t<decltype(out)>>(std::atof(v.c_str()));
    reset = true;
  };
  uint64_t seed = st.config.seed;
  number("lab.seed", &seed);
  st.config.seed = seed;
  number("lab.layers", &st.config.layers);
  number("lab.heads", &st.config.heads);
  number("lab.d", &st.config.d_model);
  number("lab.lr", &st.config.lr);
  number("lab.every", &st.config.every);
  if (const std::string v = TakeOption(app, "lab.steps"); !v.empty()) st.target = std::clamp(std::atoi(v.c_str()), 1, 20000);
  if (const std::string v = TakeOption(app, "lab.budget"); !v.empty())
    st.budget_ms = std::clamp(static_cast<float>(std::atof(v.c_str())), 1.0f, 30.0f);
  if (const std::string v = TakeOption(app, "lab.pe"); !v.empty()) reset |= train::ParsePosEncoding(v, &st.config.pe);
  if (const std::string v = TakeOption(app, "lab.bidirectional"); !v.empty()) {
    st.config.bidirectional = v == "1";
    reset = true;
  }
  if (const std::string v = TakeOption(app, "lab.compare"); !v.empty()) {
    st.compare = v == "1" && CompareAvailable(st.config.task);
    reset = true;
  }
  if (reset || st.runs.empty()) Reset(st);
  if (TakeOption(app, "lab.play") == "1") st.playing = true;
  if (TakeOption(app, "lab.pin") == "1") st.pin_when_done = true;
}

//-----------------------------------------------------------------------------
// [SECTION] Time-sliced training
//-----------------------------------------------------------------------------

// Steps the runs in turn, one step at a time, until budget_ms of this frame are used (at least
// one step, so even a slow machine advances). A run that reaches the target gets its accuracy
// on fresh sequences once, and training stops when every run is there.
static void TrainSlice(LabState& st) {
  st.frame_train_ms = st.frame_slowest_step_ms = 0.0;
  if (!st.playing) return;
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const int n = static_cast<int>(st.runs.size());
  int steps = 0;
  for (;;) {
    int pick = -1;
    for (int k = 0; k < n && pick < 0; ++k) {
      const int i = (st.next_run + k) % n;
      if (!Finished(st.runs[i], st)) pick = i;
    }
    if (pick < 0) {
      st.playing = false;
      break;
    }
    const auto step_start = Clock::now();
    st.runs[pick].trainer->Step(1);
    st.frame_slowest_step_ms = std::max(st.frame_slowest_step_ms,
                                        std::chrono::duration<double, std::milli>(Clock::now() - step_start).count());
    ++steps;
    st.next_run = (pick + 1) % n;
    if (std::chrono::duration<double, std::milli>(Clock::now() - start).count() >= st.budget_ms) break;
  }
  const double train_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  for (LabRun& run : st.runs)
    if (Finished(run, st) && run.eval_accuracy < 0) run.eval_accuracy = run.trainer->EvaluateAccuracy(512);
  st.frame_train_ms = train_ms;
  st.window_ms += train_ms;
  st.window_steps += steps;
  // Steps per second of training time, over about a second (a first estimate after 10 steps).
  if (st.window_ms >= 1000.0 || (st.steps_per_second == 0.0 && st.window_steps >= 10) ||
      (!st.playing && st.window_steps > 0)) {
    st.steps_per_second = st.window_steps / (st.window_ms / 1000.0);
    st.window_ms = 0.0;
    st.window_steps = 0;
  }
}

//-----------------------------------------------------------------------------
// [SECTION] Controls
//-----------------------------------------------------------------------------

static void Tooltip(const char* text) {
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}

// Task, model, seed, learning rate, speed, steps; play / pause / step / reset. Any change of
// the model's settings starts a fresh run with them (training goes on if it was on).
static void DrawControls(LabState& st) {
  const float em = ImGui::GetFontSize();
  const float avail = ImGui::GetContentRegionAvail().x;
  bool reset = false;

  // Buttons first: on a phone they are the first row.
  const std::string play = IdLabel(st.playing ? Str::LabPause : Str::LabPlay, "lab-play");
  if (ImGui::Button(play.c_str())) {
    if (!st.playing && std::all_of(st.runs.begin(), st.runs.end(), [&](const LabRun& r) { return Finished(r, st); }))
      st.target += DefaultTarget(st.config.task);  // at the end: train on
    st.playing = !st.playing;
  }
  Hotspot("lab_play");
  ImGui::SameLine();
  if (ImGui::Button(IdLabel(Str::LabStep, "lab-step").c_str())) {
    st.playing = false;
    for (LabRun& run : st.runs) {
      run.trainer->Step(1);
      st.target = std::max(st.target, run.trainer->step());
    }
  }
  Hotspot("lab_step");
  ImGui::SameLine();
  if (ImGui::Button(IdLabel(Str::LabReset, "lab-reset").c_str())) reset = true;
  Hotspot("lab_reset");
  Tooltip(Tr(Str::LabResetTooltip));
  if (CompareAvailable(st.config.task)) {
    const std::string compare = IdLabel(Str::LabCompare, "lab-compare");
    SameLineIfFits(LabelledWidth(ImGui::GetFrameHeight(), compare.c_str()));
    if (ImGui::Checkbox(compare.c_str(), &st.compare)) reset = true;
    Hotspot("lab_compare");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", st.config.task == train::Task::Order
                                  ? Tr(Str::LabCompareTooltipOrder)
                                  : StrFormat(Tr(Str::LabCompareTooltipLookups), CompareHeads(st.config)).c_str());
  }

  // The task.
  const float combo_w = std::min(16.0f * em, avail * 0.7f);
  ImGui::SetNextItemWidth(combo_w);
  static const train::Task kTasks[] = {train::Task::Induction, train::Task::Order, train::Task::TwoLookups};
  if (ImGui::BeginCombo(IdLabel(Str::LabTask, "lab-task").c_str(), TaskTitle(st.config.task))) {
    for (train::Task task : kTasks)
      if (ImGui::Selectable((std::string(TaskTitle(task)) + "###lab-task-" + train::TaskName(task)).c_str(),
                            task == st.config.task) && task != st.config.task)
        SetTask(st, task);
    ImGui::EndCombo();
  }
  Hotspot("lab_task");

  // The model: compact sliders that wrap on narrow screens.
  const float slider_w = std::min(6.0f * em, avail * 0.4f);
  train::ToyConfig& c = st.config;
  auto slider = [&](Str name, const char* id, int* v, int lo, int hi, bool first = false) {
    const std::string label = IdLabel(name, id);
    if (!first) SameLineIfFits(LabelledWidth(slider_w, label.c_str()));
    ImGui::SetNextItemWidth(slider_w);
    if (ImGui::SliderInt(label.c_str(), v, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp)) reset = true;
    Hotspot((std::string("lab_") + (id + 4)).c_str());
  };
  slider(Str::LabLayers, "lab-layers", &c.layers, 1, 4, true);
  int head_exp = static_cast<int>(std::round(std::log2(static_cast<float>(c.heads))));
  {
    const std::string label = IdLabel(Str::LabHeads, "lab-heads");
    SameLineIfFits(LabelledWidth(slider_w, label.c_str()));
    ImGui::SetNextItemWidth(slider_w);
    if (ImGui::SliderInt(label.c_str(), &head_exp, 0, 3, std::to_string(1 << head_exp).c_str(), ImGuiSliderFlags_AlwaysClamp)) {
      c.heads = 1 << head_exp;
      while (c.d_model % c.heads) c.d_model += 8;  // d_model must split evenly into heads
      reset = true;
    }
    Hotspot("lab_heads");
  }
  {
    int d_step = c.d_model / 16;  // 16, 32, 48, 64
    const std::string label = IdLabel(Str::LabDModel, "lab-d");
    SameLineIfFits(LabelledWidth(slider_w, label.c_str()));
    ImGui::SetNextItemWidth(slider_w);
    if (ImGui::SliderInt(label.c_str(), &d_step, 1, 4, std::to_string(d_step * 16).c_str(), ImGuiSliderFlags_AlwaysClamp)) {
      c.d_model = d_step * 16;
      while (c.d_model % c.heads) c.heads /= 2;
      reset = true;
    }
    Hotspot("lab_d");
  }
  // Positions and mask (the order comparison sets them itself, one variant each).
  const bool variants_set_them = st.compare && c.task == train::Task::Order;
  ImGui::BeginDisabled(variants_set_them);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(Tr(Str::LabPositions));
  static const std::pair<train::PosEncoding, Str> kPe[] = {{train::PosEncoding::Learned, Str::LabPosLearned},
                                                           {train::PosEncoding::Sinusoidal, Str::LabPosSin},
                                                           {train::PosEncoding::None, Str::LabPosNone}};
  for (const auto& [pe, name] : kPe) {
    const std::string label = IdLabel(name, (std::string("lab-pe-") + train::PosEncodingName(pe)).c_str());
    SameLineIfFits(LabelledWidth(ImGui::GetFrameHeight(), label.c_str()));
    if (ImGui::RadioButton(label.c_str(), c.pe == pe) && c.pe != pe) {
      c.pe = pe;
      reset = true;
    }
    Hotspot((std::string("lab_pe_") + train::PosEncodingName(pe)).c_str());
  }
  bool causal = !c.bidirectional;
  const std::string causal_label = IdLabel(Str::LabCausal, "lab-causal");
  SameLineIfFits(LabelledWidth(ImGui::GetFrameHeight(), causal_label.c_str()));
  if (ImGui::Checkbox(causal_label.c_str(), &causal)) {
    c.bidirectional = !causal;
    reset = true;
  }
  Hotspot("lab_causal");
  ImGui::EndDisabled();

  // Seed, learning rate, steps, speed.
  int seed = static_cast<int>(c.seed);
  const std::string seed_label = IdLabel(Str::LabSeed, "lab-seed");
  ImGui::SetNextItemWidth(std::min(7.0f * em, avail * 0.4f));
  if (ImGui::InputInt(seed_label.c_str(), &seed, 1, 10)) {
    c.seed = static_cast<uint64_t>(std::clamp(seed, 0, 999999));
    reset = true;
  }
  Hotspot("lab_seed");
  const std::string lr_label = IdLabel(Str::LabLearningRate, "lab-lr");
  SameLineIfFits(LabelledWidth(slider_w * 1.3f, lr_label.c_str()));
  ImGui::SetNextItemWidth(slider_w * 1.3f);
  if (ImGui::SliderFloat(lr_label.c_str(), &c.lr, 1e-4f, 3e-2f, "%.4f", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    reset = true;
  Hotspot("lab_lr");
  const std::string target_label = IdLabel(Str::LabTarget, "lab-target");
  SameLineIfFits(LabelledWidth(slider_w * 1.3f, target_label.c_str()));
  ImGui::SetNextItemWidth(slider_w * 1.3f);
  ImGui::SliderInt(target_label.c_str(), &st.target, 100, 6000, "%d", ImGuiSliderFlags_AlwaysClamp);
  Hotspot("lab_target");
  const std::string speed_label = IdLabel(Str::LabSpeed, "lab-speed");
  SameLineIfFits(LabelledWidth(slider_w * 1.3f, speed_label.c_str()));
  ImGui::SetNextItemWidth(slider_w * 1.3f);
  ImGui::SliderFloat(speed_label.c_str(), &st.budget_ms, 2.0f, 16.0f, "%.0f ms", ImGuiSliderFlags_AlwaysClamp);
  Hotspot("lab_speed");
  Tooltip(Tr(Str::LabSpeedTooltip));

  if (reset) Reset(st);
}

// "第 420 / 1500 步 · 损失 … · 训练中 · 每秒 180 步", and the model's size.
static void DrawStatus(const LabState& st) {
  const LabRun& run = st.runs[std::min(st.shown_run, static_cast<int>(st.runs.size()) - 1)];
  const train::ToyTrainer& t = *run.trainer;
  const bool done = std::all_of(st.runs.begin(), st.runs.end(), [&](const LabRun& r) { return Finished(r, st); });
  const char* state = Tr(st.playing ? Str::LabStatusPlaying : done ? Str::LabStatusDone : Str::LabStatusPaused);
  std::string line = StrFormat(Tr(Str::LabStatus), t.step(), st.target, t.last_loss(), 100.0f * t.accuracy(), state);
  if (st.steps_per_second > 0) line += " · " + StrFormat(Tr(Str::LabSpeedReadout), st.steps_per_second);
  Paragraph(line, GetPalette().accent);
  Hotspot("lab_status");
  Paragraph(StrFormat(Tr(Str::LabParams), t.parameter_count(), t.vocab(), t.config().seq_len), GetPalette().muted_text);
}

//-----------------------------------------------------------------------------
// [SECTION] Panel
//-----------------------------------------------------------------------------

// The pinned figure: the shown run with its settings, numbers, events, curve and maps.
static session::PinnedFigure RunFigure(const LabState& st, const LabRun& run) {
  const train::ToyTrainer& t = *run.trainer;
  const train::ToyConfig& c = t.config();
  session::TrainingRunText text;
  text.title = StrFormat(Tr(Str::LabReportTitle), TaskTitle(c.task), t.step());
  if (st.compare) text.title += " · " + RunLabel(st, run);
  text.settings = Tr(Str::LabReportConfig);
  text.settings_value = StrFormat("%s · %s %d · %s %d · d_model %d · %s %s · %s · %s %llu · %s %g", TaskTitle(c.task),
                                  Tr(Str::LabLayers), c.layers, Tr(Str::LabHeads), c.heads, c.d_model,
                                  Tr(Str::LabPositions), PosLabel(c.pe),
                                  Tr(c.bidirectional ? Str::LabBidiShort : Str::LabCausalShort), Tr(Str::LabSeed),
                                  static_cast<unsigned long long>(c.seed), Tr(Str::LabLearningRate), c.lr);
  text.final_numbers = Tr(Str::LabReportFinal);
  text.final_value = StrFormat("%.4f / %.1f%%", t.last_loss(), 100.0f * (run.eval_accuracy >= 0 ? run.eval_accuracy : t.accuracy()));
  text.events = Tr(Str::LabReportEvents);
  text.event_lines = EventLines(t);
  text.loss_curve = Tr(Str::LabReportLoss);
  text.head_maps = Tr(Str::LabReportMaps);
  text.none = Tr(Str::LabReportNone);
  for (int l = 0; l < c.layers; ++l)
    for (int h = 0; h < c.heads; ++h) text.head_names.push_back(StrFormat(Tr(Str::LabHeadName), l + 1, h + 1));
  return session::TrainingRunFigure(t, text);
}

// "Pin to report" (the figure is built only when pressed: it runs the probe and writes every map).
static void DrawPinButton(LabState& st) {
  static int pinned = 0;
  const bool done = std::all_of(st.runs.begin(), st.runs.end(), [&](const LabRun& r) { return Finished(r, st); });
  const bool pin_now = st.pin_when_done && done;
  if (pin_now) st.pin_when_done = false;
  if (ImGui::Button(IdLabel(Str::LabPin, "lab-pin").c_str()) || pin_now) {
    session::PinnedFigure figure = RunFigure(st, st.runs[st.shown_run]);
    figure.section = Tr(Str::NavTrainingLab);  // the report groups it under the lab
    ExerciseNotes().figures.push_back(std::move(figure));
    NotesChanged(true);
    ++pinned;
  }
  Hotspot("lab_pin");
  if (pinned > 0) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", StrFormat(Tr(Str::LabPinned), static_cast<int>(ExerciseNotes().figures.size())).c_str());
  }
}

static const char* TaskHelp(train::Task task) {
  switch (task) {
    case train::Task::Induction: return Tr(Str::LabTaskHelpInduction);
    case train::Task::Order: return Tr(Str::LabTaskHelpOrder);
    case train::Task::TwoLookups: return Tr(Str::LabTaskHelpTwoLookups);
  }
  return "";
}

}  // namespace lab

void DrawTrainingLabPanel(AppState& app, session::Session&) {
  using namespace lab;
  LabState& st = State();
  ReadOptions(app, st);
  TrainSlice(st);
  if (st.playing) RequestAnimation();  // keep drawing (the desktop app otherwise sleeps)
  for (LabRun& run : st.runs) Sync(run);

  ImGui::PushFont(ActiveFonts().heading);
  Paragraph(Tr(Str::NavTrainingLab));
  ImGui::PopFont();
  Paragraph(Tr(Str::LabIntro));
  Callout(Tr(Str::KeyIdeaHeading), Tr(Str::LabKeyIdea));
  ImGui::Spacing();
  DrawControls(st);
  for (LabRun& run : st.runs) Sync(run);  // Step or Reset may have changed them
  Paragraph(TaskHelp(st.config.task), GetPalette().muted_text);
  DrawStatus(st);
  ImGui::Separator();
  if (st.compare) DrawComparison(st);
  else DrawLossChart(st);
  DrawEvents(st);
  DrawHeadMaps(st);
  DrawHeadScoreChart(st);
  ImGui::Spacing();
  DrawPinButton(st);
  Publish(st);
}

// The exercises' link: opens this section with the exercise's task chosen.
void TrainingLabLink(AppState& app, const char* task, const char* hotspot) {
  if (ImGui::Button((std::string(Tr(Str::LabTryIt)) + "###" + hotspot).c_str())) {
    for (int i = 0; i < kSectionCount; ++i)
      if (std::string(kSections[i].id) == "training-lab") app.section = i;
    app.options.emplace_back("lab.task", task);
  }
  Hotspot(hotspot);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", Tr(Str::LabTryItTooltip));
}

}  // namespace attn::ui
