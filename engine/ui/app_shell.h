// The app shell: top bar (title, language, theme), the chapter navigation, and the current
// section's panel. Same code natively and in the browser; the platform layer (app/) owns
// the window, fonts and GL, and calls DrawAppShell once per frame.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "ui/i18n/i18n.h"
#include "session/session.h"
#include "ui/theme.h"

namespace attn::ui {

struct AppState {
  i18n::Lang lang = i18n::Lang::Zh;
  Theme theme = Theme::Light;
  int section = 0;        // index into kSections
  float scale = 1.0f;     // UI scale: device pixel ratio (web) or monitor content scale (native)
  float text_size = 1.0f; // the reader's text-size setting (A− / A+ in the top bar): multiplies
                          // `scale` for fonts and spacing, so everything grows together
  long long frame = 0;    // frames drawn
  float page_scroll = 0;  // how far the section's page is scrolled (pixels), for the tests
  int figure_layer = -1;  // the layer / head the figure on screen shows, set by its panel each
  int figure_head = -1;   // frame (-1: none): "Embed this figure" keeps them in its snippet
  double frame_ms = 0.0;  // CPU time of the last frame (UI + model work + GL submission), for benchmarks
  long redrawn_px = 0;    // pixels the last frame drew again (the whole window, or the tiles it changed)
  double ui_ms = 0.0;     // of which building the UI (panels, model work)
  int input_pending = 0;  // keys and characters still waiting for a frame (app/input_queue.h)
  // Touches: the page's touch events on the web; natively XInput 2.2 (app/x11_touch.h), and
  // touch_error says why a desktop gets none. For the tests and the curious (state JSON).
  bool touch_listening = false;
  int touch_screens = 0;
  std::string touch_error;
  bool embed = false;     // one figure only (an <iframe> in the textbook): no top bar or navigation
  // Start-up choices inside panels, "key=value" (--option natively, URL parameters on the
  // web): e.g. "sa.mode=model", "sa.token=7". Panels read them once with TakeOption.
  std::vector<std::pair<std::string, std::string>> options;
};

inline constexpr float kTextSizes[] = {0.85f, 1.0f, 1.15f, 1.3f, 1.5f, 1.75f, 2.0f};  // the A− / A+ steps
float UiScale(const AppState& state);  // scale × text_size: what fonts and style are built for

// The value of option `key` (and forgets it), or "" when it was not given.
std::string TakeOption(AppState& state, const std::string& key);
// The same for a whole number ("sa.token=7"): sets *out and returns true when the option was
// given; leaves *out as it is otherwise. Callers clamp it to their slider's range.
bool TakeIntOption(AppState& state, const std::string& key, int* out);

// A panel that animates calls RequestAnimation() while it does; the desktop app otherwise
// sleeps between input events. Reset at the start of each frame.
void RequestAnimation();
bool WantsAnimation();  // requested during the last frame

// Parses a section id ("self-attention") or 1-based number ("2"); false if unknown.
bool ParseSection(const std::string& text, int* section);

// Draws one frame of UI filling a `width` × `height` pixel viewport. Changes the state in
// response to the user (section, language, theme); the caller applies theme/scale changes.
void DrawAppShell(AppState& state, session::Session& session, float width, float height);

// What the app shows, as JSON, for tests and the page: language, theme, section, the
// navigation labels as drawn, the hotspot rectangles of the last frame and which of them
// has the keyboard focus.
std::string UiStateJson(const AppState& state, session::Session& session);

// The part of UiStateJson that web/loader.js reads after every frame the app draws (the text
// field over the canvas, the screen-reader mirror, the embed API's hover events), under the
// same names: lang, section, nav, text, the sentence fields' hotspots (sa_sentence,
// vis_sentence) and the self_attention and visualize panels. Nothing that changes every frame
// (frame counter, timings), so the page re-reads it only when what it shows has changed.
std::string PageStateJson(const AppState& state, session::Session& session);

// What a panel shows, for the state API: each panel publishes one JSON object under its key
// while it is drawn ("self_attention": {"hovered": 2, "weights": [...]}); the last value of
// every key stays in the state after the panel is left.
void PublishPanelState(const std::string& key, std::string json);

}  // namespace attn::ui
