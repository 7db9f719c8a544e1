// The training lab's "Pin to report": one run (task, settings, final loss and accuracy, the
// events, the loss curve and every head's attention map on the probe) as a PinnedFigure for the
// student report (session/report.h). Kept apart from report.cpp so the lab adds to the report
// without touching how the exercises build it.
#pragma once
#include <string>
#include <vector>

#include "session/report.h"
#include "train/toy_trainer.h"

namespace attn::session {

// The words, in the reader's language (the panel fills them from the string table).
struct TrainingRunText {
  std::string title;                     // "训练实验室 · 归纳 · 第 1500 步"
  std::string settings, final_numbers, events, loss_curve, head_maps;  // row names
  std::string settings_value;            // "2 层 × 2 头 …" as the panel words it
  std::string final_value;               // "损失 0.12 · 准确率 96 %"
  std::vector<std::string> event_lines;  // one sentence per event, already worded
  std::string none;                      // for an empty row
  std::vector<std::string> head_names;   // layer-major, "第 1 层第 1 个头"
};

// A two-column Markdown table: the settings, the final numbers, the events, the loss curve
// (at most `max_points` history points, evenly picked, the last always kept) and every head's
// probe map (rows = queries, two decimals, the probe's tokens as the first line).
PinnedFigure TrainingRunFigure(const train::ToyTrainer& trainer, const TrainingRunText& text, int max_points = 40);

}  // namespace attn::session
