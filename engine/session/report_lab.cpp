#include "session/report_lab.h"

#include <algorithm>
#include <cstdio>

namespace attn::session {

static std::string Fixed(float v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

static void Row(std::string& table, const std::string& name, const std::string& value, const std::string& none) {
  table += "| " + MarkdownCell(name) + " | " + MarkdownCell(value.empty() ? none : value) + " |\n";
}

PinnedFigure TrainingRunFigure(const train::ToyTrainer& trainer, const TrainingRunText& text, int max_points) {
  std::string table = "| | |\n|---|---|\n";
  Row(table, text.settings, text.settings_value, text.none);
  Row(table, text.final_numbers, text.final_value, text.none);
  std::string events;
  for (const std::string& line : text.event_lines) events += (events.empty() ? "" : "\n") + line;
  Row(table, text.events, events, text.none);

  // The loss curve, thinned to max_points evenly spaced history points (the last one kept).
  const std::vector<train::HistoryPoint>& h = trainer.history();
  std::string curve;
  const int n = static_cast<int>(h.size()), keep = std::max(2, max_points);
  for (int k = 0; k < std::min(n, keep); ++k) {
    const int i = n <= keep ? k : static_cast<int>(static_cast<long long>(k) * (n - 1) / (keep - 1));
    curve += (k ? ", " : "") + std::to_string(h[i].step) + ": " + Fixed(h[i].loss, 4);
  }
  Row(table, text.loss_curve, curve, text.none);

  // Every head's map on the probe: the tokens, then one line of weights per query.
  const train::ProbeAttention p = trainer.probe();
  std::string tokens;
  for (int i = 0; i < p.T; ++i) tokens += (i ? " " : "") + trainer.TokenLabel(p.tokens[i]);
  for (int l = 0; l < p.layers; ++l)
    for (int hd = 0; hd < p.heads; ++hd) {
      const size_t index = static_cast<size_t>(l) * p.heads + hd;
      const std::string name = text.head_maps + " · " +
                               (index < text.head_names.size() ? text.head_names[index] : std::to_string(index));
      std::string map = tokens;
      const float* w = p.Map(l, hd);
      for (int q = 0; q < p.T; ++q) {
        map += "\n";
        for (int k = 0; k < p.T; ++k) map += (k ? " " : "") + Fixed(w[q * p.T + k], 2);
      }
      Row(table, name, map, text.none);
    }
  return {text.title, table};
}

}  // namespace attn::session
