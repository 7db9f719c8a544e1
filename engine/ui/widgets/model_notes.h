// What a figure says instead of drawing when the model cannot give it numbers:
//   NoModelNote      no model yet: "loading the model, n %" with a bar while the page is still
//                    downloading it (the app starts before the model arrives), else the
//                    panel's own "no model" sentence;
//   TextProblemNote  the model ran but the text was cut, or its numbers are NaN;
//   TraceDetailNote  the memory budget left out the buffers this figure draws.
#pragma once
#include <string>

#include "session/session.h"
#include "ui/i18n/i18n.h"

namespace attn::ui {

// "45 %", or the megabytes so far while the size is unknown.
std::string ModelArrivalText(const session::Session::ModelArrival& a);

// Draws the loading note (when a model is on its way) or `no_model` in `color`.
void NoModelNote(const session::Session& session, i18n::Str no_model, unsigned color);

// Why the current text shows less than it should (cut to the context or the memory budget,
// NaN at layer L), or nothing when all is well. Returns whether it drew a note.
bool TextProblemNote(session::Session& session, unsigned color);

// "Type a sentence" where a figure has no trace to draw — unless TextProblemNote already said
// why (NaN, a long pass about to run).
void EmptyTraceNote(session::Session& session, unsigned color);

// The last failed load, in the UI's language: "file: why".
std::string LoadErrorText(const session::Session& session);

// When the memory budget made the trace leave out a buffer this figure `needs` (q/k/v, the
// block outputs): says so, with the longest text that keeps it. Returns whether it drew.
bool TraceDetailNote(session::Session& session, model::TraceOptions needs, unsigned color);

}  // namespace attn::ui
