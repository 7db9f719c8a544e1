#include "ui/input/touch_gesture.h"

#include <algorithm>
#include <cmath>

namespace attn::ui::input {

void TouchGesture::Begin(float x, float y, double t, double arrived) {
  if (mode_ != Mode::kIdle && mode_ != Mode::kCoast) return;  // a second finger
  mode_ = Mode::kUndecided;  // a finger on a coasting page stops it, as on a phone
  start_x_ = x_ = applied_x_ = last_x_ = x;
  start_y_ = y_ = applied_y_ = last_y_ = y;
  start_t_ = last_t_ = t;
  last_arrived_ = arrived < 0 ? t : arrived;
  vx_ = vy_ = 0;
  pick_ = false;
  ended_ = false;
}

void TouchGesture::TrackVelocity(float x, float y, double t) {
  const double dt = t - last_t_;
  if (dt <= 1e-4) return;  // same timestamp: keep the estimate
  // Mostly the latest move, a little of the earlier ones: a flick's speed at the moment it ends.
  vx_ = static_cast<float>(0.8 * (x - last_x_) / dt + 0.2 * vx_);
  vy_ = static_cast<float>(0.8 * (y - last_y_) / dt + 0.2 * vy_);
  last_x_ = x;
  last_y_ = y;
  last_t_ = t;
}

void TouchGesture::Move(float x, float y, double t, double arrived) {
  if (mode_ == Mode::kIdle || mode_ == Mode::kCoast || mode_ == Mode::kTapDown || mode_ == Mode::kTapUp) return;
  last_arrived_ = arrived < 0 ? t : arrived;
  x_ = x;
  y_ = y;
  TrackVelocity(x, y, t);
  if (mode_ != Mode::kUndecided) return;
  const float dx = x - start_x_, dy = y - start_y_;
  if (std::hypot(dx, dy) < kSlop) return;
  if (std::fabs(dy) >= std::fabs(dx)) {
    mode_ = Mode::kScroll;  // the content follows the finger from where it first touched
    pick_ = true;
  } else {
    mode_ = Mode::kPress;   // sideways: a slider, a splitter
  }
}

void TouchGesture::End(float x, float y, double t) {
  if (mode_ != Mode::kUndecided && mode_ != Mode::kScroll && mode_ != Mode::kPress) return;
  // Where the finger lifted. It repeats the last move's position, so it says nothing about
  // the speed (no TrackVelocity).
  x_ = x;
  y_ = y;
  if (mode_ == Mode::kUndecided) {
    mode_ = Mode::kTapDown;
  } else if (mode_ == Mode::kScroll) {
    if (t - last_t_ > 0.1) vx_ = vy_ = 0;  // the finger stopped before it lifted: no flick
    coast_t_ = t;
    mode_ = Mode::kCoast;
  } else {
    ended_ = true;  // pressing: one more frame with the button up
  }
}

void TouchGesture::Cancel() {
  if (mode_ == Mode::kPress) {
    ended_ = true;  // let go of the control where it is
    return;
  }
  if (mode_ != Mode::kCoast) mode_ = Mode::kIdle;
}

TouchGesture::Frame TouchGesture::NextFrame(double t) {
  Frame f;
  // Held still: known to be down inside the slop for the hold time, and nothing heard from the
  // finger for a moment (moves still on their way would make it a drag). What is known is the
  // finger's own clock up to its last event, then the silence since that event arrived: on a
  // busy page every event comes late, and the gaps between late arrivals are not a hold (a slow
  // swipe's moves 40 ms apart, each 250 ms late, reached the slop only with its second move).
  const double known_still = (last_t_ - start_t_) + (t - last_arrived_);
  if (mode_ == Mode::kUndecided && known_still >= kHoldSeconds && t - last_arrived_ >= 0.1) mode_ = Mode::kPress;
  switch (mode_) {
    case Mode::kIdle: break;
    case Mode::kUndecided:
      f.mouse = f.hide = true;
      f.animating = true;  // a frame when the hold time is up
      break;
    case Mode::kPress:
      f.mouse = true;
      f.x = x_;
      f.y = y_;
      f.down = !ended_;
      if (ended_) mode_ = Mode::kIdle;
      break;
    case Mode::kTapDown:
    case Mode::kTapUp:
      f.mouse = true;
      f.x = x_;
      f.y = y_;
      f.down = mode_ == Mode::kTapDown;
      f.animating = mode_ == Mode::kTapDown;  // the release comes next frame
      mode_ = mode_ == Mode::kTapDown ? Mode::kTapUp : Mode::kIdle;
      break;
    case Mode::kScroll:
    case Mode::kCoast: {
      f.mouse = f.hide = true;
      f.x = start_x_;
      f.y = start_y_;
      f.pick_target = pick_;
      pick_ = false;
      // The content moves with the finger: a finger moving up (y falls) scrolls further down.
      f.scroll_x = applied_x_ - x_;
      f.scroll_y = applied_y_ - y_;
      applied_x_ = x_;
      applied_y_ = y_;
      if (mode_ == Mode::kCoast) {
        // The distance an exponentially slowing page covers in dt, exactly (v·τ·(1 − e^(−dt/τ))):
        // the same path at any frame rate, and a late first frame cannot overshoot.
        const double dt = std::max(0.0, t - coast_t_);
        coast_t_ = t;
        const float decay = static_cast<float>(std::exp(-dt / kCoastSeconds));
        const float travel = static_cast<float>(kCoastSeconds) * (1.0f - decay);
        f.scroll_x -= vx_ * travel;
        f.scroll_y -= vy_ * travel;
        vx_ *= decay;
        vy_ *= decay;
        if (std::hypot(vx_, vy_) < kCoastStopSpeed) mode_ = Mode::kIdle;
        f.animating = mode_ == Mode::kCoast;
      }
      break;
    }
  }
  return f;
}

}  // namespace attn::ui::input
