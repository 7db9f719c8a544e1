#include "ui/touch_input.h"

#include <cfloat>

#include "imgui.h"
#include "imgui_internal.h"  // ImGuiWindow: the scroll position of the window under the finger
#include "ui/input/touch_gesture.h"

namespace attn::ui {
namespace {

input::TouchGesture g_gesture;
ImGuiID g_scroll_target = 0;
// After a touch the mouse stays where the finger left it (a tapped token stays hovered, as on
// a phone's web page; a scroll leaves nothing hovered) until a real mouse moves.
bool g_touch_owns_mouse = false;
ImVec2 g_left_at = ImVec2(-FLT_MAX, -FLT_MAX);
ImVec2 g_backend_mouse;  // where the platform's mouse was when the touch took over

bool Scrolls(const ImGuiWindow* w, bool vertical) {
  if (w->Flags & ImGuiWindowFlags_NoScrollWithMouse) return false;
  return vertical ? w->ScrollMax.y > 0.0f : w->ScrollMax.x > 0.0f;
}

// The front-most window under p (as ImGui's own hover test finds it, from last frame's
// windows), then up through its parents to the first that can scroll that way.
ImGuiID ScrollableWindowAt(ImVec2 p, bool vertical) {
  ImGuiContext& g = *GImGui;
  for (int i = g.Windows.Size - 1; i >= 0; --i) {
    ImGuiWindow* w = g.Windows[i];
    if (!w->Active || w->Hidden || (w->Flags & ImGuiWindowFlags_NoMouseInputs)) continue;
    if (!w->OuterRectClipped.Contains(p)) continue;
    for (; w; w = w->ParentWindow)
      if (Scrolls(w, vertical)) return w->ID;
    return 0;
  }
  return 0;
}

}  // namespace

void OnTouch(TouchPhase phase, float x, float y, double t, double now) {
  switch (phase) {
    case TouchPhase::kBegin: g_gesture.Begin(x, y, t, now); break;
    case TouchPhase::kMove: g_gesture.Move(x, y, t, now); break;
    case TouchPhase::kEnd: g_gesture.End(x, y, t); break;
    case TouchPhase::kCancel: g_gesture.Cancel(); break;
  }
}

bool ApplyTouch(double t) {
  ImGuiIO& io = ImGui::GetIO();
  const input::TouchGesture::Frame f = g_gesture.NextFrame(t);
  if (f.mouse) {
    if (!g_touch_owns_mouse) g_backend_mouse = io.MousePos;
    g_touch_owns_mouse = true;
    g_left_at = f.hide ? ImVec2(-FLT_MAX, -FLT_MAX) : ImVec2(f.x, f.y);
    io.MousePos = g_left_at;
    io.MouseDown[0] = f.down;
  } else if (g_touch_owns_mouse) {
    const bool mouse_moved = io.MousePos.x != g_backend_mouse.x || io.MousePos.y != g_backend_mouse.y;
    if (mouse_moved || io.MouseDown[0]) {
      g_touch_owns_mouse = false;  // a real mouse is back
    } else {
      io.MousePos = g_left_at;
    }
  }
  if (f.pick_target) g_scroll_target = ScrollableWindowAt(ImVec2(f.x, f.y), f.scroll_y != 0 || f.scroll_x == 0);
  if ((f.scroll_x != 0 || f.scroll_y != 0) && g_scroll_target != 0) {
    if (ImGuiWindow* w = ImGui::FindWindowByID(g_scroll_target)) {
      if (f.scroll_y != 0) ImGui::SetScrollY(w, ImClamp(w->Scroll.y + f.scroll_y, 0.0f, w->ScrollMax.y));
      if (f.scroll_x != 0) ImGui::SetScrollX(w, ImClamp(w->Scroll.x + f.scroll_x, 0.0f, w->ScrollMax.x));
    }
  }
  return f.animating;
}

}  // namespace attn::ui
