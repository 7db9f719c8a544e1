// session/report_lab.h: a training-lab run pinned to the student report.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "session/report_lab.h"

using namespace attn;

// The cells of the Markdown table's row named `name` (the value column, line breaks as <br>).
static std::string RowValue(const std::string& table, const std::string& name) {
  const std::string start = "| " + name + " | ";
  const size_t at = table.find(start);
  if (at == std::string::npos) return "";
  const size_t from = at + start.size(), end = table.find(" |\n", from);
  return table.substr(from, end - from);
}

TEST_CASE("report_lab: a pinned run has its settings, events, thinned loss curve and every head's map") {
  train::ToyConfig c = train::DefaultConfig(train::Task::Order);
  c.layers = 1;
  c.heads = 2;
  c.every = 5;
  train::ToyTrainer t(c);
  t.Step(60);
  session::TrainingRunText text;
  text.title = "Lab";
  text.settings = "Settings";
  text.settings_value = "order";
  text.final_numbers = "Final";
  text.final_value = "0.1 / 100%";
  text.events = "Events";
  text.event_lines = {"first | line", "second"};
  text.loss_curve = "Loss";
  text.head_maps = "Map";
  text.none = "none";
  text.head_names = {"L1H1", "L1H2"};
  const session::PinnedFigure f = session::TrainingRunFigure(t, text, 6);
  CHECK(f.title == "Lab");
  CHECK(RowValue(f.table, "Settings") == "order");
  CHECK(RowValue(f.table, "Events") == "first \\| line<br>second");  // escaped, one cell

  // 13 history points (steps 0, 5, …, 60) thinned to 6: the first and the last kept.
  const std::string curve = RowValue(f.table, "Loss");
  const auto& h = t.history();
  REQUIRE(h.size() == 13);
  int points = 1;
  for (char ch : curve) points += ch == ',';
  CHECK(points == 6);
  char first[64], last[64];
  std::snprintf(first, sizeof first, "%d: %.4f,", h.front().step, h.front().loss);
  std::snprintf(last, sizeof last, "%d: %.4f", h.back().step, h.back().loss);
  CHECK(curve.rfind(first, 0) == 0);
  CHECK(curve.size() >= std::string(last).size());
  CHECK(curve.substr(curve.size() - std::string(last).size()) == last);

  // Each head: the probe's tokens, then T rows of T weights equal to the probe's (2 decimals).
  const train::ProbeAttention p = t.probe();
  for (int head = 0; head < 2; ++head) {
    std::string map = RowValue(f.table, "Map · " + text.head_names[head]);
    REQUIRE(!map.empty());
    std::vector<std::string> lines;
    for (size_t from = 0;;) {
      const size_t br = map.find("<br>", from);
      lines.push_back(map.substr(from, br == std::string::npos ? std::string::npos : br - from));
      if (br == std::string::npos) break;
      from = br + 4;
    }
    REQUIRE(static_cast<int>(lines.size()) == p.T + 1);
    CHECK(lines[0].rfind(t.TokenLabel(p.tokens[0]), 0) == 0);
    for (int q = 0; q < p.T; ++q) {
      std::istringstream in(lines[q + 1]);
      float sum = 0.0f;
      for (int k = 0; k < p.T; ++k) {
        float w = -1.0f;
        in >> w;
        CHECK(std::fabs(w - p.Map(0, head)[q * p.T + k]) <= 0.0051f);
        sum += w;
      }
      CHECK(sum == doctest::Approx(1.0f).epsilon(0.06));  // rows of a softmax, rounded
    }
  }
}
