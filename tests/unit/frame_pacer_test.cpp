// app/frame_pacer.h: when the main loop draws, and when it sleeps.
#include <doctest/doctest.h>

#include "app/frame_pacer.h"

using attn::app::FramePacer;

// Frames drawn with an unchanging picture until the pacer says stop (at most `limit`).
static int FramesUntilSleep(FramePacer& p, uint64_t signature, bool animating = false, int limit = 100) {
  int n = 0;
  while (p.drawing && n < limit) {
    p.AfterFrame(signature, animating);
    ++n;
  }
  return n;
}

TEST_CASE("frame pacer: a still picture stops the loop after a few frames") {
  FramePacer p;
  const int n = FramesUntilSleep(p, 42);
  CHECK(n >= FramePacer::kFramesPerWake);
  CHECK(n <= FramePacer::kFramesPerWake + FramePacer::kSameFramesToSleep);
  CHECK_FALSE(p.drawing);
}

TEST_CASE("frame pacer: a changing picture keeps drawing until it settles") {
  FramePacer p;
  for (uint64_t s = 1; s <= 20; ++s) CHECK(p.AfterFrame(s, false));  // each frame differs
  CHECK(FramesUntilSleep(p, 20) == FramePacer::kSameFramesToSleep);
  CHECK_FALSE(p.drawing);
}

TEST_CASE("frame pacer: input wakes it, and it owes a few frames even if nothing changes") {
  FramePacer p;
  FramesUntilSleep(p, 7);
  REQUIRE_FALSE(p.drawing);
  p.Wake();
  CHECK(p.drawing);
  CHECK(FramesUntilSleep(p, 7) == FramePacer::kFramesPerWake);
}

TEST_CASE("frame pacer: an animation draws every frame, however still") {
  FramePacer p;
  CHECK(FramesUntilSleep(p, 5, true, 50) == 50);
  CHECK(p.drawing);
  p.AfterFrame(5, false);  // the animation ended: a still picture sleeps soon after
  CHECK(FramesUntilSleep(p, 5) <= FramePacer::kSameFramesToSleep);
}

TEST_CASE("frame pacer: a hidden figure draws nothing, and catches up when shown") {
  FramePacer p;
  p.SetVisible(false);
  CHECK_FALSE(p.drawing);
  p.Wake();  // a message from the host while scrolled out of view
  CHECK_FALSE(p.drawing);
  CHECK_FALSE(p.AfterFrame(1, true));  // not even an animation
  p.SetVisible(true);
  CHECK(p.drawing);
}
