// 11.4 可视化注意力: what the panel's files share — the student's choices (VisualizeState) and
// the functions each file gives the others.
//   visualize_attention.cpp  state, options, token choices, controls, map and row, publish, panel
//   visualize_evidence.cpp   the evidence figure: layers × heads, row → A vs row → B
//   visualize_export.cpp     the Hugging Face snippet; CSV, JSON and PNG export
#pragma once
#include <imgui.h>

#include <string>
#include <utility>
#include <vector>

#include "model/gpt2.h"
#include "session/session.h"
#include "ui/widgets/text_field.h"

namespace attn::ui {

// A token the student chose, kept while the sentence changes: its index, and its text and
// which occurrence of that text it is, so that an <|endoftext|> in front or a generated tail
// does not lose it.
struct TokenRef {
  int index = -1;
  std::string text;
  int occurrence = 0;
  bool chosen = false;  // by the student (kept through edits); else a default, chosen afresh
};

struct VisualizeState {
  bool opened = false;                 // the default sentence is offered once
  SentenceField sentence;              // the session's text, edited here
  int layer = 0, head = 0;
  bool mean_heads = false;
  TokenRef row, a, b;                  // the selected row; the two tokens compared
  int requested_row = -1, requested_a = -1, requested_b = -1;  // vis.row / vis.a / vis.b
  int last_focused = -1;               // token strip keyboard focus, to act on changes only
  uint64_t seen_version = 0;
  bool export_on_start = false;        // vis.export=1: write both files at the first frame
  int png_at_frame = -1;               // vis.png=N: "Export PNG" at the N-th frame (tests)
  bool png_requested = false;          // "Export PNG": the map is drawn off screen next frame
  ImVec2 png_on_screen, png_size;      // where that PNG's pixels sit on screen (tests compare), its size
  std::string export_path[2];          // CSV, JSON: what was written last
  bool export_failed[2] = {false, false};
  std::string export_part;             // why the JSON holds one layer or head only, or ""
  double copied_at = -100.0;
  std::string python;                  // the snippet on screen (a buffer for InputTextMultiline)
};


// [SECTION] Token choices (visualize_attention.cpp)
// Makes r token i of `labels`; `chosen`: by the student (kept through edits), not a default.
void PickToken(TokenRef& r, const std::vector<session::TokenLabel>& labels, int i, bool chosen = true);

// [SECTION] Evidence (visualize_evidence.cpp)
// weights[l][h] = {row → A, row → B}, what the table shows and the state publishes.
using PairTable = std::vector<std::vector<std::pair<float, float>>>;
PairTable AttentionPairs(const model::Trace& t, const VisualizeState& v);
// The figure: its title, the two token pickers, the grid (a click opens that head in the map
// above) and the counts. `twin`: the same table in the untrained twin, or empty.
void DrawEvidence(VisualizeState& v, const std::vector<session::TokenLabel>& labels, const PairTable& pairs,
                  const PairTable& twin, bool causal);

// [SECTION] Python and export (visualize_export.cpp)
std::string PngFileName(const VisualizeState& v);
void ExportCsv(VisualizeState& v, const std::vector<std::string>& names, const std::vector<float>& matrix);
void ExportJson(VisualizeState& v, session::Session& session);
void ExportPng(VisualizeState& v);
void DrawPythonAndExport(VisualizeState& v, session::Session& session, const std::vector<std::string>& names,
                         const std::vector<float>& matrix);

}  // namespace attn::ui
