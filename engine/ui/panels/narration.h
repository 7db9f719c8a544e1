// Sentences about what the loaded model's heads do, built from measurement (session/
// head_patterns.h) and the translated templates Narr* in strings.inc — never fixed claims.
// Used by 11.3 (heads tab, the untrained twin) and 11.4 (attention sink), and published
// through the state API with the numbers they were built from.
#pragma once
#include <string>
#include <vector>

#include "session/head_patterns.h"

namespace attn::session { class Session; }

namespace attn::ui {

// "L3 H6": the display name of a head, counted from 1 (the state JSON keeps 0-based indices).
std::string HeadDisplayName(int layer, int head);

// One sentence per pattern (previous word, first token, induction, near uniform), and a
// closing line when no head meets any pattern. Percentages are the facts × 100.
std::vector<std::string> NarrationLines(const session::HeadNarration& n);

// {"prev":{"count","layer","head","value"},"first":…,"induction":…,"uniform":…,
//  "induction_measurable","mean_uniformity","n_layer","n_head","tokens",
//  "thresholds":{"prev_token","first_token","induction","uniform"},"text":[…]} — layer and
// head 0-based (-1: none), values as fractions (the text shows them as percentages).
std::string NarrationJson(const session::HeadNarration& n, const std::vector<std::string>& lines);

// The lines as paragraphs (hotspot `id`).
void DrawNarration(const std::vector<std::string>& lines, const char* id);

// When the session's sentence has byte pieces (a Chinese sentence): how GPT-2's byte-level
// BPE split it (bytes and tokens per character, from session::CountByteSplits) and what the
// loaded model was trained on (GGUF general.languages, else "unknown" with the model's name).
// Draws nothing for a sentence without non-ASCII characters. Hotspot "byte_note".
void ByteSplitNote(session::Session& session);
// The same facts for the state API: {"chars","bytes","tokens","byte_pieces","languages"}.
std::string ByteSplitJson(session::Session& session);

}  // namespace attn::ui
