// The app's main loop, natively (GLFW + OpenGL 3.3) and in the browser (Emscripten's GLFW +
// WebGL2). Everything a person sees is drawn by ui::DrawAppShell; this file owns the window,
// the fonts' texture and the screen scale.
//
// [SECTION] Index
//   - Keys (no tap is lost between two frames)
//   - Draw on demand (wake on input; sleep when two frames come out the same)
//   - Redraw what changed (web: only the tiles a frame changed are drawn again)
//   - Frame (one frame: size, scale, style, UI, render)
//   - Web bridge (functions the page calls)
//   - main
//
// The command line, the font and the first model: app/options.h.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <emscripten.h>
#include <emscripten/html5.h>
#else
#include <unistd.h>
#endif

#include "app/frame_damage.h"
#include "app/frame_pacer.h"
#include "app/heatmap_gpu.h"
#include "app/input_queue.h"
#include "app/options.h"
#include "app/screenshot.h"
#include "app/storage.h"
#ifndef __EMSCRIPTEN__
#include "app/x11_touch.h"
#endif
#include "core/utf8.h"
#include "ui/app_shell.h"
#include "ui/figure_png.h"
#include "ui/fonts.h"
#include "formats/json.h"
#include "session/session.h"
#include "ui/widgets/model_notes.h"
#include "ui/panels/panels.h"
#include "ui/save_file.h"
#include "ui/touch_input.h"

using namespace attn;
using app::Options;

//-----------------------------------------------------------------------------
// [SECTION] Keys
//-----------------------------------------------------------------------------

// Keys, characters and mouse buttons wait in one queue (app/input_queue.h) and reach Dear ImGui
// in the order they came, a frame's worth at a time: 1.86 reads key state once a frame, and
// typed text apart from it, so a fast frame could see "h" before the Enter typed ahead of it.
static app::InputQueue g_input;

static void WakeApp();

static void KeyCallback(GLFWwindow*, int key, int scancode, int action, int mods) {
  g_input.PushKey(key, scancode, action, mods);
  WakeApp();
}

static void CharCallback(GLFWwindow*, unsigned int codepoint) {
  g_input.PushChar(codepoint);
  WakeApp();
}

static void MouseButtonCallback(GLFWwindow*, int button, int action, int) {
  g_input.PushMouseButton(button, action);
  WakeApp();
}

// After the backend's NewFrame, before ImGui::NewFrame. The backend polled the buttons as they
// are now; ImGui is told them as the queue has delivered them.
static void DeliverInput(GLFWwindow* window) {
  ImGuiIO& io = ImGui::GetIO();
  for (const app::InputEvent& e : g_input.TakeFrame(io.WantTextInput)) {
    if (e.kind == app::InputEvent::Char) io.AddInputCharacter(e.codepoint);
    else if (e.kind == app::InputEvent::Key) ImGui_ImplGlfw_KeyCallback(window, e.key, e.scancode, e.action, e.mods);
  }
  for (int b = 0; b < IM_ARRAYSIZE(io.MouseDown); ++b) io.MouseDown[b] = g_input.MouseDown(b);
}

//-----------------------------------------------------------------------------
// [SECTION] Frame
//-----------------------------------------------------------------------------

#ifdef __EMSCRIPTEN__
// Text that no key press carries — an input method's Chinese, a phone's on-screen keyboard —
// reaches the page through a transparent <textarea> (web/loader.js) that holds the focus while
// one of our text fields is active, at its caret so that the input method opens there.
static int g_caret_x = 0, g_caret_y = 0;  // ImGui's caret of the active text field, canvas pixels

static void SyncTextInput() {
  static bool sent_on = false;
  static int sent_x = -1, sent_y = -1;
  const bool on = ImGui::GetIO().WantTextInput;
  if (on == sent_on && (!on || (g_caret_x == sent_x && g_caret_y == sent_y))) return;
  sent_on = on;
  sent_x = g_caret_x;
  sent_y = g_caret_y;
  EM_ASM({ if (Module.attnlabTextInput) Module.attnlabTextInput($0, $1, $2); }, on ? 1 : 0, g_caret_x, g_caret_y);
}
#endif

struct App {
  GLFWwindow* window = nullptr;
  Options options;
  ui::AppState state;
  session::Session session;
  std::vector<std::string> fonts;
  float fonts_scale = 0.0f;  // scale the font atlas was built for
  ui::Theme styled_theme = ui::Theme::Light;
  float styled_scale = 0.0f;
  i18n::Lang announced_lang = i18n::Lang::Zh;
  int exit_code = -1;        // >= 0: the native loop stops
  app::FramePacer pacer;     // draw on demand
  app::FrameDamage damage;   // web: which tiles the frame changed
  bool partial_redraw = false;  // redraw changed tiles only (the drawing buffer is kept between frames)
  unsigned long long heatmap_uploads = 0;
  bool loop_paused = false;  // web: the requestAnimationFrame loop is paused until a wake
#ifndef __EMSCRIPTEN__
  app::X11Touch touch;       // a touch screen's fingers (the web page sends its own)
#endif
  // web: what the page reads after each frame (ui::PageStateJson) and a counter that moves
  // when it changes; loader.js fetches and parses the JSON only then.
  std::string page_state;
  int page_state_version = 0;
  // --screenshot / --dump-state at frame N: draw every frame until then (no input will come).
  // --frame-log is the idle test: drawn on demand, as a person would see it.
  bool Scripted() const { return (!options.screenshot.empty() || !options.dump_state.empty()) && !options.frame_log; }
};

static App* g_app = nullptr;

//-----------------------------------------------------------------------------
// [SECTION] Draw on demand
//-----------------------------------------------------------------------------
// A page that is only being read costs nothing (app/frame_pacer.h has the policy). Every
// input callback, resize and page call wakes the loop; after each frame the pacer compares a
// fingerprint of what was drawn with the frame before.

static void WakeApp() {
  if (!g_app) return;
  g_app->pacer.Wake();
#ifdef __EMSCRIPTEN__
  if (g_app->loop_paused && g_app->pacer.drawing) {
    g_app->loop_paused = false;
    emscripten_resume_main_loop();
  }
#endif
}

// FNV-1a over 8-byte words (then the last bytes one by one): the frame's signature below and
// the partial redraw's tiles hash with it.
static constexpr uint64_t kHashStart = 14695981039346656037ull;
static uint64_t MixWord(uint64_t h, uint64_t word) { return (h ^ word) * 1099511628211ull; }

static uint64_t HashBytes(uint64_t h, const void* data, size_t bytes) {
  const unsigned char* p = static_cast<const unsigned char*>(data);
  for (; bytes >= 8; bytes -= 8, p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = MixWord(h, w);
  }
  for (; bytes > 0; --bytes, ++p) h = MixWord(h, *p);
  return h;
}

// Everything the frame drew: vertices, indices, draw commands (clip rectangles, textures,
// callbacks) and the heatmap textures uploaded. ~0.1 ms a frame.
static uint64_t FrameSignature(const ImDrawData* draw, int fb_w, int fb_h) {
  const uint64_t header[3] = {static_cast<uint64_t>(fb_w), static_cast<uint64_t>(fb_h), app::HeatmapUploadCount()};
  uint64_t h = HashBytes(kHashStart, header, sizeof header);
  for (int i = 0; draw && i < draw->CmdListsCount; ++i) {
    const ImDrawList* list = draw->CmdLists[i];
    h = HashBytes(h, list->VtxBuffer.Data, list->VtxBuffer.size_in_bytes());
    h = HashBytes(h, list->IdxBuffer.Data, list->IdxBuffer.size_in_bytes());
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      const uint64_t fields[6] = {reinterpret_cast<uint64_t>(cmd.TextureId), cmd.VtxOffset, cmd.IdxOffset, cmd.ElemCount,
                                  reinterpret_cast<uint64_t>(cmd.UserCallback), reinterpret_cast<uint64_t>(cmd.UserCallbackData)};
      h = HashBytes(h, fields, sizeof fields);
      h = HashBytes(h, &cmd.ClipRect, sizeof cmd.ClipRect);
    }
  }
  return h;
}

//-----------------------------------------------------------------------------
// [SECTION] Redraw what changed
//-----------------------------------------------------------------------------
// app/frame_damage.h has the policy. Each triangle ImGui submits is hashed with what decides
// its pixels (vertices, texture, clip rectangle, the heatmap program set by a callback before
// it) into the tiles its bounding box touches; the changed tiles come back as a few bands, and
// the frame is drawn once per band with every clip rectangle cut to it. The rest of the canvas
// keeps last frame's pixels (the page made the context with preserveDrawingBuffer).

// Three words a vertex (HashBytes would take its 4-byte colour a byte at a time: the hot loop).
static uint64_t MixVertex(uint64_t h, const ImDrawVert& v) {
  static_assert(sizeof(ImDrawVert) == 20, "ImDrawVert is pos, uv, col: hash every field");
  uint64_t pos = 0, uv = 0;
  std::memcpy(&pos, &v.pos, 8);
  std::memcpy(&uv, &v.uv, 8);
  return MixWord(MixWord(MixWord(h, pos), uv), v.col);
}

static void RecordDamage(app::FrameDamage& damage, const ImDrawData* draw, int fb_w, int fb_h) {
  damage.BeginFrame(fb_w, fb_h);
  for (int n = 0; draw && n < draw->CmdListsCount; ++n) {
    const ImDrawList* list = draw->CmdLists[n];
    uint64_t state = 0;  // a callback's render state (the heatmap program), until ImGui's is back
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        const uint64_t fields[2] = {reinterpret_cast<uint64_t>(cmd.UserCallback), reinterpret_cast<uint64_t>(cmd.UserCallbackData)};
        state = cmd.UserCallback == ImDrawCallback_ResetRenderState ? 0 : HashBytes(state + 1, fields, sizeof fields);
        continue;
      }
      const ImVec4 clip = cmd.ClipRect;
      const uint64_t base = MixWord(HashBytes(kHashStart ^ state, &clip, sizeof clip), reinterpret_cast<uint64_t>(cmd.TextureId));
      const ImDrawIdx* idx = list->IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = list->VtxBuffer.Data + cmd.VtxOffset;
      for (unsigned int i = 0; i + 2 < cmd.ElemCount; i += 3) {
        const ImDrawVert* v[3] = {&vtx[idx[i]], &vtx[idx[i + 1]], &vtx[idx[i + 2]]};
        uint64_t h = base;
        float x0 = clip.z, y0 = clip.w, x1 = clip.x, y1 = clip.y;
        for (const ImDrawVert* p : v) {
          h = MixVertex(h, *p);  // position, texture coordinate, colour
          x0 = std::min(x0, p->pos.x);
          y0 = std::min(y0, p->pos.y);
          x1 = std::max(x1, p->pos.x);
          y1 = std::max(y1, p->pos.y);
        }
        damage.Add(std::max(x0, clip.x), std::max(y0, clip.y), std::min(x1, clip.z), std::min(y1, clip.w), h);
      }
    }
  }
}

// Clears and draws the frame inside each band only. Returns the pixels drawn.
static long RenderBands(ImDrawData* draw, const std::vector<app::DamageRect>& bands, ImVec4 background, int fb_h) {
  std::vector<ImVec4> clips;  // every command's own clip rectangle, put back after each band
  for (int n = 0; n < draw->CmdListsCount; ++n)
    for (const ImDrawCmd& cmd : draw->CmdLists[n]->CmdBuffer) clips.push_back(cmd.ClipRect);
  long pixels = 0;
  glClearColor(background.x, background.y, background.z, 1.0f);
  for (const app::DamageRect& band : bands) {
    glEnable(GL_SCISSOR_TEST);
    glScissor(band.x0, fb_h - band.y1, band.x1 - band.x0, band.y1 - band.y0);  // GL counts rows from the bottom
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_SCISSOR_TEST);
    size_t k = 0;
    for (int n = 0; n < draw->CmdListsCount; ++n)
      for (ImDrawCmd& cmd : draw->CmdLists[n]->CmdBuffer) {
        const ImVec4 c = clips[k++];
        cmd.ClipRect = ImVec4(std::max(c.x, static_cast<float>(band.x0)), std::max(c.y, static_cast<float>(band.y0)),
                              std::min(c.z, static_cast<float>(band.x1)), std::min(c.w, static_cast<float>(band.y1)));
      }
    ImGui_ImplOpenGL3_RenderDrawData(draw);  // commands cut to nothing are skipped
    pixels += band.Area();
  }
  size_t k = 0;
  for (int n = 0; n < draw->CmdListsCount; ++n)
    for (ImDrawCmd& cmd : draw->CmdLists[n]->CmdBuffer) cmd.ClipRect = clips[k++];
  return pixels;
}

// Every input GLFW reports wakes the loop. Installed before ImGui's backend, which calls them
// after its own handlers (the key, character and mouse button callbacks are ours: they wake it themselves).
static void InstallWakeCallbacks(GLFWwindow* window) {
  glfwSetScrollCallback(window, [](GLFWwindow*, double, double) { WakeApp(); });
  glfwSetWindowFocusCallback(window, [](GLFWwindow*, int) { WakeApp(); });
  glfwSetCursorEnterCallback(window, [](GLFWwindow*, int) { WakeApp(); });
  glfwSetCursorPosCallback(window, [](GLFWwindow*, double, double) { WakeApp(); });
  glfwSetWindowSizeCallback(window, [](GLFWwindow*, int, int) { WakeApp(); });
  glfwSetFramebufferSizeCallback(window, [](GLFWwindow*, int, int) { WakeApp(); });
#ifndef __EMSCRIPTEN__
  glfwSetWindowRefreshCallback(window, [](GLFWwindow*) { WakeApp(); });  // uncovered: redraw
  glfwSetWindowContentScaleCallback(window, [](GLFWwindow*, float, float) { WakeApp(); });
  glfwSetWindowIconifyCallback(window, [](GLFWwindow*, int iconified) {
    if (g_app) g_app->pacer.SetVisible(!iconified);
  });
#endif
}

// The steps before the first frame, as the page's performance marks (tools/bench-page.mjs
// prints how long each took); nothing natively.
static void StartupMark(const char* name) {
#ifdef __EMSCRIPTEN__
  EM_ASM({ performance.mark(UTF8ToString($0)); }, name);
#else
  (void)name;
#endif
}

// Rebuilds fonts and style only when the scale or theme changed (a DPI change, browser
// zoom, or the theme button), never every frame.
static void SyncStyle(App& app) {
  const float scale = ui::UiScale(app.state);  // screen scale × the reader's text size
  if (scale != app.fonts_scale || ui::GlyphsPending()) {  // DPI or text-size change, or new typed characters
    const ui::UiFonts fonts = ui::LoadUiFonts(app.fonts.data(), static_cast<int>(app.fonts.size()), scale);
    ui::SetActiveFonts(fonts);
    if (app.fonts_scale != 0.0f) {  // a rebuild: the first texture was made before the loop (main)
      ImGui_ImplOpenGL3_DestroyFontsTexture();
      ImGui_ImplOpenGL3_CreateFontsTexture();
      app.damage.Invalidate();  // new glyph pixels, perhaps under the same texture name
    }
    if (app.fonts_scale == 0.0f) {
      StartupMark("attnlab-fonts");
      if (!app.options.font.empty() && fonts.source != app.options.font)
        std::printf("[attnlab] cannot read --font %s; using another font\n", app.options.font.c_str());
      std::printf("[attnlab] font: %s\n", fonts.source.c_str());
    }
    app.fonts_scale = scale;
  }
  if (app.state.theme != app.styled_theme || scale != app.styled_scale) {
    ui::ApplyTheme(app.state.theme, scale);
    app.styled_theme = app.state.theme;
    app.styled_scale = scale;
  }
}

// "Export PNG": the figure a panel drew off screen this frame (ui/figure_png.h), rendered into
// a framebuffer object of its own size after the frame; then the frame's viewport again.
static void SaveRequestedFigure(int fb_w, int fb_h) {
  ui::FigurePngRequest r;
  if (!ui::TakeFigurePngRequest(&r)) return;
  std::string png, where;
  const std::string error = app::RenderDrawListPng(r.list, r.size, r.background, &png);
  glViewport(0, 0, fb_w, fb_h);
  const bool ok = error.empty() && ui::SaveUserFile(r.name, "image/png", png, &where);
  ui::ReportFigurePng(ok ? where : r.name, ok);
  if (!ok) std::printf("[attnlab] cannot save %s: %s\n", r.name.c_str(), error.empty() ? "write failed" : error.c_str());
}

// The clock of touch events: the page's performance.now() (event timeStamps use it), natively
// GLFW's.
static double TouchClock() {
#ifdef __EMSCRIPTEN__
  return emscripten_get_now() / 1000.0;
#else
  return glfwGetTime();
#endif
}

// The framebuffer's size in pixels, and the screen's scale into app.state.scale.
static void MeasureFramebuffer(App& app, int& fb_w, int& fb_h) {
#ifdef __EMSCRIPTEN__
  // The canvas fills the page (CSS); give it one pixel per device pixel so text is sharp
  // on high-DPI screens, and scale the UI by the device pixel ratio.
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  const double dpr = emscripten_get_device_pixel_ratio();
  fb_w = std::max(1, static_cast<int>(std::lround(css_w * dpr)));
  fb_h = std::max(1, static_cast<int>(std::lround(css_h * dpr)));
  int cur_w = 0, cur_h = 0;
  emscripten_get_canvas_element_size("#canvas", &cur_w, &cur_h);
  if (cur_w != fb_w || cur_h != fb_h) emscripten_set_canvas_element_size("#canvas", fb_w, fb_h);
  app.state.scale = static_cast<float>(dpr);
#else
  // X11/Windows: window size == framebuffer size and the monitor's content scale says how
  // big things should be. (macOS reports points; there fb/window already carries the scale.)
  int win_w = 0, win_h = 0;
  float xscale = 1.0f, yscale = 1.0f;
  glfwGetFramebufferSize(app.window, &fb_w, &fb_h);
  glfwGetWindowSize(app.window, &win_w, &win_h);
  glfwGetWindowContentScale(app.window, &xscale, &yscale);
  const float fb_ratio = win_w > 0 ? static_cast<float>(fb_w) / win_w : 1.0f;
  app.state.scale = std::max(0.5f, xscale / std::max(1.0f, fb_ratio));
#endif
}

static void Frame(App& app) {
  if (app.state.frame == 0) StartupMark("attnlab-loop");
#ifdef __EMSCRIPTEN__
  glfwPollEvents();  // the browser paces frames (requestAnimationFrame)
#endif
  int fb_w = 0, fb_h = 0;
  MeasureFramebuffer(app, fb_w, fb_h);
  const double frame_start = glfwGetTime();
  SyncStyle(app);

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
#ifdef __EMSCRIPTEN__
  io.DisplaySize = ImVec2(static_cast<float>(fb_w), static_cast<float>(fb_h));
  io.DisplayFramebufferScale = ImVec2(1, 1);  // mouse events arrive in canvas pixels
#endif
  DeliverInput(app.window);
  const bool touch_animating = ui::ApplyTouch(TouchClock());  // a finger's tap, drag or scroll (over the mouse)
  ImGui::NewFrame();
  const double ui_start = glfwGetTime();
  ui::DrawAppShell(app.state, app.session, io.DisplaySize.x, io.DisplaySize.y);
  ImGui::Render();
  app.state.ui_ms = (glfwGetTime() - ui_start) * 1000.0;
  if (app.state.frame == 1) StartupMark("attnlab-ui");  // (DrawAppShell counted it)
#ifdef __EMSCRIPTEN__
  SyncTextInput();
#endif

  glViewport(0, 0, fb_w, fb_h);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  const uint64_t signature = FrameSignature(ImGui::GetDrawData(), fb_w, fb_h);
  if (app.partial_redraw) {
    if (app::HeatmapUploadCount() != app.heatmap_uploads) app.damage.Invalidate();  // new values under the same texture
    app.heatmap_uploads = app::HeatmapUploadCount();
    RecordDamage(app.damage, ImGui::GetDrawData(), fb_w, fb_h);
    app.state.redrawn_px = RenderBands(ImGui::GetDrawData(), app.damage.EndFrame(), bg, fb_h);
  } else {
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    app.state.redrawn_px = static_cast<long>(fb_w) * fb_h;
  }
  SaveRequestedFigure(fb_w, fb_h);
  app::HeatmapRendererEndFrame();
  app.state.frame_ms = (glfwGetTime() - frame_start) * 1000.0;
  app.pacer.AfterFrame(signature, ui::WantsAnimation() || touch_animating || !g_input.empty());
  if (app.options.frame_log) std::printf("[attnlab] frame %lld%s\n", static_cast<long long>(app.state.frame), app.pacer.drawing ? "" : " (then sleeps)");
  if (app.options.frame_log) std::fflush(stdout);

  if (!app.options.screenshot.empty() && app.state.frame == app.options.frames) {
    const std::string error = app::SaveFramebufferPng(app.options.screenshot, fb_w, fb_h);
    if (error.empty()) std::printf("[attnlab] screenshot %dx%d -> %s\n", fb_w, fb_h, app.options.screenshot.c_str());
    else std::fprintf(stderr, "[attnlab] screenshot failed: %s\n", error.c_str());
    app.exit_code = error.empty() ? 0 : 1;
  }
  // --dump-state: at frame N, then exit; with --frame-log after every frame drawn (renamed
  // into place, so a reader never sees half a file), and the app runs on.
  if (!app.options.dump_state.empty() && (app.state.frame == app.options.frames || app.options.frame_log)) {
    const std::string tmp = app.options.dump_state + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "wb");
    const std::string json = ui::UiStateJson(app.state, app.session);
    bool ok = f && std::fwrite(json.data(), 1, json.size(), f) == json.size();
    if (f) ok = std::fclose(f) == 0 && ok;
    ok = ok && std::rename(tmp.c_str(), app.options.dump_state.c_str()) == 0;
    if (!ok) std::fprintf(stderr, "[attnlab] cannot write --dump-state %s\n", app.options.dump_state.c_str());
    if (!app.options.frame_log) app.exit_code = std::max(app.exit_code, ok ? 0 : 1);
  }
  glfwSwapBuffers(app.window);

#ifdef __EMSCRIPTEN__
  std::string page_state = ui::PageStateJson(app.state, app.session);
  if (page_state != app.page_state) {
    app.page_state = std::move(page_state);
    ++app.page_state_version;
  }
  if (app.state.frame == 1) EM_ASM(if (Module.onFirstFrame) Module.onFirstFrame(););
  EM_ASM(if (Module.attnlabAfterFrame) Module.attnlabAfterFrame(););  // the page's overlay and embed events
  if (!app.pacer.drawing && !app.Scripted()) {  // nothing moves: no requestAnimationFrame until a wake
    app.loop_paused = true;
    emscripten_pause_main_loop();
  }
  if (app.state.lang != app.announced_lang || app.state.frame == 1) {
    // Screen readers and the browser's translate offer read <html lang>.
    EM_ASM({ document.documentElement.lang = UTF8ToString($0); }, i18n::LangCode(app.state.lang));
    app.announced_lang = app.state.lang;
  }
#endif
}

//-----------------------------------------------------------------------------
// [SECTION] Web bridge
//-----------------------------------------------------------------------------

extern "C" {
// The UI's state as JSON (see ui::UiStateJson): the browser tests read it.
#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
const char* attnlab_ui_state_json() {
  static std::string json;
  if (g_app) g_app->state.input_pending = static_cast<int>(g_input.size());
  json = g_app ? ui::UiStateJson(g_app->state, g_app->session) : "{}";
  return json.c_str();
}

// What the page reads after every frame (see ui::PageStateJson), and its change counter: the
// page asks for the counter after each frame and for the JSON only when the counter moved.
#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
int attnlab_page_state_version() { return g_app ? g_app->page_state_version : 0; }

#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
const char* attnlab_page_state_json() { return g_app && !g_app->page_state.empty() ? g_app->page_state.c_str() : "{}"; }

// Loads a GPT-2 GGUF the page wrote into the in-memory file system (file picker, drag and
// drop, ?model=URL). Returns {"ok":true,...} or {"ok":false,"error":"..."}; on error the
// current model stays. The file is deleted afterwards: the model keeps its own copy.
#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
const char* attnlab_load_model(const char* path, const char* source) {
  static std::string json;
  if (!g_app) return "{\"ok\":false,\"error\":\"not started\"}";
  const Status s = g_app->session.LoadModelFile(path);
  if (s.ok() && source && *source) g_app->session.SetModelSource(source);
  WakeApp();
  json = s.ok() ? "{\"ok\":true,\"name\":" + json::Quote(g_app->session.info().name) + "}"
                : "{\"ok\":false,\"error\":" + json::Quote(ui::LoadErrorText(g_app->session)) + "}";
  std::printf("[attnlab] load %s: %s\n", path, s.ok() ? "ok" : s.error().c_str());
  return json.c_str();
}

// The chapter section on screen, by id ("self-attention") or number: the embed API.
#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
int attnlab_set_section(const char* id) {
  WakeApp();
  return g_app && id && ui::ParseSection(id, &g_app->state.section) ? 1 : 0;
}

// Saves the exercises' notes now if they changed: the page calls it when it is hidden or
// unloaded, so that a reload right after typing loses nothing.
#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
void attnlab_flush_notes() { ui::FlushExerciseNotes(); }

// The sentence under study, set by the page (the HTML text field over the canvas, the
// embed API) or the tests.
#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
void attnlab_set_text(const char* text) {
  if (g_app && text) g_app->session.SetText(text);
  WakeApp();
}

// Characters for the active text field that came without a key press (an input method's
// composed text, an on-screen keyboard): the page's text-input <textarea> sends them here.
#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
void attnlab_input_text(const char* text) {
  if (!g_app || !text) return;
  for (char32_t c : utf8::ToCodepoints(text)) g_input.PushChar(static_cast<unsigned>(c));
  WakeApp();
}

// The model's download, reported by the page while it runs (the app starts before the model
// has arrived; attnlab_load_model follows). pending 0: it failed or there is none.
#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
void attnlab_model_arrival(int pending, double loaded, double total) {
  if (!g_app) return;
  g_app->session.SetModelArrival({pending != 0 && !g_app->session.HasModel(), loaded, total});
  WakeApp();
}

// Draw on demand: the page wakes the app on what GLFW does not report (the canvas resized, the
// device pixel ratio changed), and says whether the figure can be seen at all (a background
// tab or an embed scrolled out of view draws nothing).
#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
void attnlab_wake() { WakeApp(); }

// A finger on the canvas (web/loader.js): phase 0 down, 1 move, 2 up, 3 cancelled; x, y in
// canvas pixels; t the event's timeStamp in seconds (performance.now()'s clock, TouchClock),
// so that a flick's speed comes from when the finger moved, not when the app heard of it.
#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
void attnlab_touch(int phase, float x, float y, double t) {
  if (phase < 0 || phase > 3) return;
  const double now = TouchClock();
  ui::OnTouch(static_cast<ui::TouchPhase>(phase), x, y, t > 0 ? t : now, now);
  WakeApp();
}

#ifdef __EMSCRIPTEN__
EMSCRIPTEN_KEEPALIVE
#endif
void attnlab_set_visible(int visible) {
  if (!g_app) return;
  g_app->pacer.SetVisible(visible != 0);
  WakeApp();  // resumes the loop when shown; a no-op while hidden
}
}

//-----------------------------------------------------------------------------
// [SECTION] main
//-----------------------------------------------------------------------------

static void GlfwError(int code, const char* text) {
  std::fprintf(stderr, "[attnlab] GLFW error %d: %s\n", code, text);
}

int main(int argc, char** argv) {
  static App app;  // lives for the whole page: the web main loop outlives main()
  g_app = &app;
  StartupMark("attnlab-cpp-main");
  app.options = app::ParseOptions(argc, argv);
  app.state = app.options.initial;
  app.fonts = app::FontCandidates(app.options);
  if (app.options.memory_budget) app.session.SetMemoryBudget(app.options.memory_budget);
  app.session.SetSliceLongPasses(true);  // a long pass in pieces: the app keeps responding
  app::LoadFirstModel(app.session, app.options);
  if (app.options.model_arriving && !app.session.HasModel()) app.session.SetModelArrival({true, 0, 0});
#ifdef __EMSCRIPTEN__
  ui::SetNotesStorage(app::WebNotesStorage());
#else
  ui::SetNotesStorage(app::NativeNotesStorage(app.options.notes.empty() ? app::DefaultNotesPath() : app.options.notes));
#endif
  if (!app.options.text.empty()) app.session.SetText(app.options.text);

  glfwSetErrorCallback(GlfwError);
  if (!glfwInit()) {
    std::fprintf(stderr, "[attnlab] cannot initialise GLFW: is there a display? (try xvfb-run)\n");
    return 1;
  }
#ifdef __EMSCRIPTEN__
  const char* glsl_version = "#version 300 es";  // WebGL2
  // ImGui needs no depth or stencil, and an opaque canvas is cheaper for the browser to
  // composite: in headless Chromium (SwiftShader) this took ~15% off a hover frame.
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  glfwWindowHint(GLFW_ALPHA_BITS, 0);
#else
  const char* glsl_version = "#version 330 core";
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
#endif
  const std::string title = std::string(i18n::Tr(i18n::Str::AppName, app.state.lang)) + " · " +
                            i18n::Tr(i18n::Str::ChapterTitle, app.state.lang);
  int window_w = app.options.width, window_h = app.options.height;
#ifdef __EMSCRIPTEN__
  // The page sized the canvas for its first frame already (web/loader.js); a window of another
  // size would reallocate its drawing buffer twice before that frame.
  emscripten_get_canvas_element_size("#canvas", &window_w, &window_h);
  window_w = std::max(1, window_w);
  window_h = std::max(1, window_h);
#endif
  app.window = glfwCreateWindow(window_w, window_h, title.c_str(), nullptr, nullptr);
  if (!app.window) {
    std::fprintf(stderr, "[attnlab] cannot open an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(app.window);
  glfwSwapInterval(1);
  StartupMark("attnlab-window");

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is fixed; nothing to remember between runs
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.ConfigInputTextCursorBlink = false;  // a blinking caret would be a frame every 0.4 s
  InstallWakeCallbacks(app.window);       // before the backend, which chains to them
  ImGui_ImplGlfw_InitForOpenGL(app.window, true);
  glfwSetKeyCallback(app.window, KeyCallback);                  // in place of the backend's: all
  glfwSetCharCallback(app.window, CharCallback);                // three go into the input queue,
  glfwSetMouseButtonCallback(app.window, MouseButtonCallback);  // and DeliverInput hands them on
  ImGui_ImplOpenGL3_Init(glsl_version);
  // Dense heatmaps as textures coloured by shaders/heatmap.frag; heatmap.gpu=0 keeps them as
  // ImGui rectangles (the fallback, and the reference the desktop test compares with).
  if (ui::TakeOption(app.state, "heatmap.gpu") != "0") app::InstallHeatmapRenderer();
  // Redraw only the tiles a frame changed, where the drawing buffer outlives the frame: the
  // page's WebGL context (web/loader.js asks for preserveDrawingBuffer). A native window's back
  // buffer is undefined after a swap, so the desktop draws every frame whole, as does
  // redraw.partial=0 (the reference the browser test compares with).
  const bool partial_allowed = ui::TakeOption(app.state, "redraw.partial") != "0";
#ifdef __EMSCRIPTEN__
  app.partial_redraw = partial_allowed && EM_ASM_INT({ return GLctx.getContextAttributes().preserveDrawingBuffer ? 1 : 0; }) == 1;
#else
  (void)partial_allowed;
#endif
  StartupMark("attnlab-imgui");
#ifdef __EMSCRIPTEN__
  io.ImeSetInputScreenPosFn = [](int x, int y) { g_caret_x = x; g_caret_y = y; };
  // The wheel: Emscripten 3.1.6's GLFW hands ImGui the browser's raw deltaY (pixels, and the
  // wrong way round), so one notch of a mouse wheel threw the page to its top. The browser's
  // own event is read instead: 100 px (a notch) or 3 lines = one ImGui wheel step, down = down.
  glfwSetScrollCallback(app.window, nullptr);
  emscripten_set_wheel_callback("#canvas", nullptr, true, [](int, const EmscriptenWheelEvent* e, void*) -> EM_BOOL {
    const double per_step = e->deltaMode == DOM_DELTA_PIXEL ? 100.0 : e->deltaMode == DOM_DELTA_LINE ? 3.0 : 1.0;
    ImGuiIO& wheel = ImGui::GetIO();
    wheel.MouseWheel -= static_cast<float>(e->deltaY / per_step);
    wheel.MouseWheelH -= static_cast<float>(e->deltaX / per_step);
    WakeApp();
    return EM_TRUE;  // the page around the canvas does not scroll too
  });
#endif
#ifdef __EMSCRIPTEN__
  app.state.touch_listening = true;  // web/loader.js sends the canvas's touches
#else
  app.state.touch_listening = app.touch.Start(app.window, &app.state.touch_error);
  app.state.touch_screens = app.touch.touch_screens();
  if (!app.state.touch_listening) std::printf("[attnlab] no touch input: %s\n", app.state.touch_error.c_str());
  // Drop a .gguf on the window to load it (the web page has its own picker and drop zone).
  glfwSetDropCallback(app.window, [](GLFWwindow*, int count, const char** paths) {
    if (count > 0 && g_app) {
      const Status s = g_app->session.LoadModelFile(paths[0]);
      std::printf("[attnlab] load %s: %s\n", paths[0], s.ok() ? "ok" : s.error().c_str());
      WakeApp();
    }
  });
#endif

  // The font atlas, the shaders and the atlas's texture before the loop, not in the first
  // frame: in headless Chromium the first animation frame then comes 30–50 ms after them
  // instead of 100–150 ms after the window, and the first frame only builds and draws the UI.
  {
    int fb_w = 0, fb_h = 0;
    MeasureFramebuffer(app, fb_w, fb_h);
    SyncStyle(app);
    ImGui_ImplOpenGL3_CreateDeviceObjects();
    StartupMark("attnlab-gl-ready");
  }

#ifdef __EMSCRIPTEN__
  emscripten_set_main_loop_arg([](void* a) { Frame(*static_cast<App*>(a)); }, &app, 0, true);
#else
  while (!glfwWindowShouldClose(app.window) && app.exit_code < 0) {
    // Draw on demand: while nothing changes, sleep until an event (its callback wakes the
    // pacer); a panel that animates keeps the loop drawing at the display's rate.
    const bool asleep = !app.pacer.drawing && !app.Scripted();
    if (asleep) glfwWaitEvents();
    else glfwPollEvents();
    // Touches come over a connection of their own (app/x11_touch.h); attnlab_touch wakes the pacer.
    app.touch.Poll([](int phase, float x, float y) { attnlab_touch(phase, x, y, 0); });
    if (asleep && !app.pacer.drawing) continue;  // an event no figure cares about (or minimised)
    Frame(app);
  }
  ui::FlushExerciseNotes();  // typed in the last moment before closing
  app.touch.Stop();
  app::ShutdownHeatmapRenderer();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(app.window);
  glfwTerminate();
  return app.exit_code < 0 ? 0 : app.exit_code;
#endif
}
