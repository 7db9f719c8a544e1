// The one-finger gesture reader (ui/input/touch_gesture.h): taps click, vertical drags scroll
// and never press, sideways drags and held presses press, flicks coast and stop.
#include <doctest/doctest.h>

#include <cmath>

#include "ui/input/touch_gesture.h"

using attn::ui::input::TouchGesture;
using Mode = TouchGesture::Mode;

TEST_CASE("touch: a tap is one frame pressed and one released, at the finger") {
  TouchGesture g;
  g.Begin(100, 200, 0.0);
  TouchGesture::Frame f = g.NextFrame(0.016);
  CHECK(f.mouse);
  CHECK(f.hide);  // undecided: nothing hovered yet
  CHECK_FALSE(f.down);
  g.Move(104, 203, 0.05);  // a wobble under the slop
  g.End(104, 203, 0.08);
  f = g.NextFrame(0.09);
  CHECK((f.mouse && !f.hide && f.down && f.x == 104 && f.y == 203));
  CHECK(f.animating);  // the release needs a frame of its own
  f = g.NextFrame(0.1);
  CHECK((f.mouse && !f.down && f.x == 104));
  CHECK(g.mode() == Mode::kIdle);
  CHECK_FALSE(g.NextFrame(0.2).mouse);  // the platform's mouse again
}

TEST_CASE("touch: a drag up scrolls by the distance moved and never presses") {
  TouchGesture g;
  g.Begin(100, 500, 0.0);
  g.Move(101, 495, 0.016);
  CHECK(g.mode() == Mode::kUndecided);
  g.Move(102, 480, 0.032);
  CHECK(g.mode() == Mode::kScroll);
  TouchGesture::Frame f = g.NextFrame(0.033);
  CHECK(f.pick_target);
  CHECK((f.x == 100 && f.y == 500));  // the window is looked up where the finger first touched
  CHECK(f.scroll_y == doctest::Approx(20));  // content up: the scroll position grows
  CHECK((f.hide && !f.down));
  g.Move(102, 380, 0.048);
  f = g.NextFrame(0.05);
  CHECK_FALSE(f.pick_target);
  CHECK(f.scroll_y == doctest::Approx(100));
  float total = 120;
  g.Move(102, 390, 0.2);  // back down a little, then held still before lifting: no flick
  g.End(102, 390, 0.5);
  for (int i = 0; i < 10 && g.active(); ++i) {
    f = g.NextFrame(0.51 + i * 0.016);
    total += f.scroll_y;
    CHECK_FALSE(f.down);
  }
  CHECK(g.mode() == Mode::kIdle);
  CHECK(total == doctest::Approx(110));  // exactly what the finger travelled
}

TEST_CASE("touch: a flick coasts on in the same direction, slows down and stops") {
  TouchGesture g;
  g.Begin(100, 600, 0.0);
  double t = 0.0;
  float y = 600;
  float moved = 0;
  for (int i = 0; i < 10; ++i) {  // 1500 px/s upwards
    t += 0.016;
    y -= 24;
    g.Move(100, y, t);
    moved += g.NextFrame(t).scroll_y;
  }
  g.End(100, y, t);
  CHECK(g.mode() == Mode::kCoast);
  float coast = 0, last_step = 1e9f;
  int frames = 0;
  while (g.active() && frames < 1000) {
    t += 0.016;
    const TouchGesture::Frame f = g.NextFrame(t);
    CHECK(f.scroll_y >= 0);            // on in the same direction
    CHECK(f.scroll_y <= last_step + 1e-3f);  // never faster
    last_step = f.scroll_y;
    coast += f.scroll_y;
    ++frames;
  }
  CHECK(moved == doctest::Approx(240));
  CHECK(g.mode() == Mode::kIdle);
  CHECK(frames * 0.016 < 2.5);  // stops within a couple of seconds
  // speed × time constant, less the tail below the stop speed
  CHECK(coast > 0.8 * 1500 * TouchGesture::kCoastSeconds);
  CHECK(coast < 1.05 * 1500 * TouchGesture::kCoastSeconds);

  // the same flick with the app's first frame 5 s late: one jump of at most speed × τ, then still
  TouchGesture late;
  late.Begin(100, 600, 0.0);
  for (int i = 1; i <= 10; ++i) late.Move(100, 600 - 24.0f * i, 0.016 * i);
  late.End(100, 360, 0.16);
  const TouchGesture::Frame jump = late.NextFrame(5.16);
  CHECK(jump.scroll_y - 240 <= 1500 * TouchGesture::kCoastSeconds + 1);
  CHECK(jump.scroll_y - 240 == doctest::Approx(coast).epsilon(0.05));
  CHECK(late.mode() == Mode::kIdle);

  g.Begin(100, 300, t);  // a new touch on a coasting page stops it
  t += 0.016;
  CHECK(g.NextFrame(t).scroll_y == 0);
}

TEST_CASE("touch: a sideways drag or a held press works the control under the finger") {
  TouchGesture g;
  g.Begin(50, 100, 0.0);
  g.Move(70, 103, 0.02);
  CHECK(g.mode() == Mode::kPress);
  TouchGesture::Frame f = g.NextFrame(0.03);
  CHECK((f.mouse && f.down && f.x == 70));
  g.Move(120, 140, 0.05);  // once pressing, it follows the finger anywhere
  f = g.NextFrame(0.06);
  CHECK((f.down && f.x == 120 && f.y == 140 && f.scroll_y == 0));
  g.End(125, 140, 0.1);
  f = g.NextFrame(0.11);
  CHECK((f.mouse && !f.down && f.x == 125));
  CHECK(g.mode() == Mode::kIdle);

  g.Begin(10, 10, 1.0);
  CHECK(g.NextFrame(1.2).hide);  // still undecided
  f = g.NextFrame(1.0 + TouchGesture::kHoldSeconds);
  CHECK((f.down && !f.hide && g.mode() == Mode::kPress));
  g.Move(10, 60, 1.5);  // held, then dragged down: the control, not the page
  f = g.NextFrame(1.51);
  CHECK((f.down && f.y == 60 && f.scroll_y == 0));
  g.Cancel();
  CHECK_FALSE(g.NextFrame(1.6).down);
  CHECK(g.mode() == Mode::kIdle);
}

TEST_CASE("touch: moves that arrive late (a busy machine) are a drag, not a hold") {
  TouchGesture g;
  g.Begin(100, 300, 0.0, 0.0);
  // the frames run 0.5 s after the touch began, and the first move has only just arrived
  g.Move(100, 306, 0.04, 0.45);
  CHECK(g.NextFrame(0.5).hide);  // not a press: a move arrived 50 ms ago
  g.Move(100, 320, 0.08, 0.55);
  CHECK(g.mode() == Mode::kScroll);
  CHECK(g.NextFrame(0.56).scroll_y == doctest::Approx(-20));
}

TEST_CASE("touch: a slow swipe whose moves each arrive late is a drag, not a hold") {
  TouchGesture g;
  g.Begin(100, 300, 0.0, 0.0);
  g.Move(100, 306, 0.04, 0.22);  // inside the slop, 180 ms late
  // the hold time and more after the touch arrived, 0.38 s after the move did, but the finger
  // is known still for only 0.04 + 0.38 s: the next move may be on its way
  const double frame = TouchGesture::kHoldSeconds + 0.1;
  CHECK(g.NextFrame(frame).hide);
  CHECK(g.mode() == Mode::kUndecided);
  g.Move(100, 312, 0.08, frame + 0.02);
  CHECK(g.mode() == Mode::kScroll);
  CHECK(g.NextFrame(frame + 0.03).scroll_y == doctest::Approx(-12));
  // the same moves followed by silence: held long enough, it is a press after all
  TouchGesture h;
  h.Begin(100, 300, 0.0, 0.0);
  h.Move(100, 306, 0.04, 0.22);
  const double held = 0.22 + TouchGesture::kHoldSeconds - 0.04;  // known still: 0.04 + the silence
  CHECK(h.NextFrame(held - 0.01).hide);
  CHECK(h.NextFrame(held + 1e-6).down);
}

TEST_CASE("touch: a second finger is ignored") {
  TouchGesture g;
  g.Begin(10, 10, 0.0);
  g.Begin(300, 300, 0.01);
  g.End(10, 10, 0.02);
  const TouchGesture::Frame f = g.NextFrame(0.03);
  CHECK((f.down && f.x == 10 && f.y == 10));
}

// A touch screen's fingers (ui/input/touch_tracker.h): the first one down drives the gesture.
#include "ui/input/touch_tracker.h"

TEST_CASE("touch: the first finger down is followed, a second one ignored until it lifts") {
  using attn::ui::TouchPhase;
  attn::ui::input::TouchTracker fingers;
  CHECK(fingers.Follow(TouchPhase::kMove, 5) == std::nullopt);  // a move with no finger down
  CHECK(fingers.Follow(TouchPhase::kBegin, 5) == TouchPhase::kBegin);
  CHECK(fingers.Follow(TouchPhase::kBegin, 9) == std::nullopt);  // a second finger lands
  CHECK(fingers.Follow(TouchPhase::kMove, 9) == std::nullopt);
  CHECK(fingers.Follow(TouchPhase::kMove, 5) == TouchPhase::kMove);
  CHECK(fingers.Follow(TouchPhase::kEnd, 9) == std::nullopt);   // the second lifts: nothing
  CHECK(fingers.Follow(TouchPhase::kEnd, 5) == TouchPhase::kEnd);
  CHECK(fingers.finger == -1);
  CHECK(fingers.Follow(TouchPhase::kBegin, 9) == TouchPhase::kBegin);  // the next touch is followed
  CHECK(fingers.Follow(TouchPhase::kCancel, 9) == TouchPhase::kCancel);
  CHECK(fingers.Follow(TouchPhase::kMove, 9) == std::nullopt);  // cancelled: no longer followed
}
