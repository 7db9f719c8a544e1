// One finger on a touch screen, read the way a phone's own pages read it: a tap is a click,
// a drag up or down scrolls what is under the finger (and coasts on after a flick), a drag
// sideways or a press held still works the control under it (a slider). Plain C++, no ImGui:
// ui/touch_input.cpp turns each frame's answer into ImGui's mouse and scroll state.
//
//   touch down ─▶ undecided ─ moved ≥ kSlop, mostly up/down ─▶ scroll ─ lift ─▶ coast ─▶ idle
//                     │      ─ moved ≥ kSlop sideways, or held kHoldSeconds ─▶ press ─ lift ─▶ idle
//                     └─ lifted before either ─▶ tap (one frame down, one frame up) ─▶ idle
//
// Until the gesture is decided nothing is hovered: a swipe that starts on a token must not
// select it, only a tap does.
#pragma once

namespace attn::ui::input {

struct TouchGesture {
  static constexpr float kSlop = 10.0f;            // pixels (device): less is a tap that wobbled
  // A press held this long works the control (iOS's long press is 0.5 s too). On a busy page
  // the first move can come 100–300 ms after the touch, a round trip through the browser away:
  // a shorter hold turned such swipes into presses.
  static constexpr double kHoldSeconds = 0.5;
  static constexpr double kCoastSeconds = 0.325;   // a flick's speed falls by e in this time
  static constexpr float kCoastStopSpeed = 30.0f;  // pixels per second: stop coasting below this

  enum class Mode { kIdle, kUndecided, kScroll, kPress, kTapDown, kTapUp, kCoast };

  // What the frame should do with the mouse and the scroll position.
  struct Frame {
    bool mouse = false;           // override the mouse this frame: at (x, y), button `down`,
    float x = 0, y = 0;           //   or, with `hide`, nowhere (nothing hovered)
    bool down = false;
    bool hide = false;
    float scroll_x = 0, scroll_y = 0;  // scroll the content by this much (pixels; +y = content up)
    bool pick_target = false;     // a scroll starts here: find the scrollable window at (x, y)
    bool animating = false;       // more frames are needed even without new touches
  };

  // Touch events, in device pixels; t is the event's own time stamp (speeds come from it),
  // `arrived` when the app received it, on NextFrame's clock (-1: the same as t). A second
  // finger is ignored.
  void Begin(float x, float y, double t, double arrived = -1);
  void Move(float x, float y, double t, double arrived = -1);
  void End(float x, float y, double t);
  void Cancel();  // the browser took the touch back: no click

  // Called once per frame, after the events that arrived since the last one.
  Frame NextFrame(double t);

  Mode mode() const { return mode_; }
  bool active() const { return mode_ != Mode::kIdle; }

 private:
  void TrackVelocity(float x, float y, double t);
  Mode mode_ = Mode::kIdle;
  float start_x_ = 0, start_y_ = 0, x_ = 0, y_ = 0;
  double start_t_ = 0;
  double last_arrived_ = 0;  // on NextFrame's clock: a hold counts the silence since the last
                             // event arrived, so moves delivered late are not a hold
  float applied_x_ = 0, applied_y_ = 0;  // the finger position the scroll already followed
  bool pick_ = false;
  float vx_ = 0, vy_ = 0;                // pixels per second, smoothed over the last moves
  float last_x_ = 0, last_y_ = 0;
  double last_t_ = 0, coast_t_ = 0;
  bool ended_ = false;                   // lifted while pressing: one more frame with the button up
};

}  // namespace attn::ui::input
