// Touch on the web page (and wherever a platform reports touches): the finger's gesture
// (ui/input/touch_gesture.h) becomes ImGui's mouse and the scroll position of the window
// under the finger. The app feeds the touch events and calls ApplyTouch once per frame,
// after the platform backend's NewFrame and before ImGui::NewFrame.
#pragma once

namespace attn::ui {

enum class TouchPhase { kBegin = 0, kMove = 1, kEnd = 2, kCancel = 3 };

// A touch event at (x, y) in framebuffer pixels; t its time stamp and `now` when it arrived,
// in seconds on ApplyTouch's clock.
void OnTouch(TouchPhase phase, float x, float y, double t, double now);

// Sets this frame's mouse and scrolling; returns true while the gesture needs more frames
// (a flick coasting, a tap's release, a press not yet decided).
bool ApplyTouch(double t);

}  // namespace attn::ui
