// What a figure that needs the model shows without one: "loading the model, n %" with a bar
// while the page is still downloading it (the app starts before the model arrives), else the
// panel's own "no model" sentence.
#pragma once

#include "session/session.h"
#include "ui/i18n/i18n.h"

namespace attn::ui {

// "45 %", or the megabytes so far while the size is unknown.
std::string ModelArrivalText(const session::Session::ModelArrival& a);

// Draws the loading note (when a model is on its way) or `no_model` in `color`.
void NoModelNote(const session::Session& session, i18n::Str no_model, unsigned color);

}  // namespace attn::ui
