// A touch screen reports every finger, each with an id; the app's gesture (touch_gesture.h)
// follows one. The first finger down is followed until it lifts or is cancelled, and fingers
// that land meanwhile are ignored, as a phone's page ignores a second finger while one scrolls.
// (The web page does the same in web/loader.js; the desktop's touch screens use this.)
#pragma once
#include <cstdint>
#include <optional>

#include "ui/touch_input.h"

namespace attn::ui::input {

struct TouchTracker {
  int64_t finger = -1;  // the followed finger's id; −1 while none is down

  // What the gesture hears of an event of finger `id`: the same phase, or nothing.
  std::optional<TouchPhase> Follow(TouchPhase phase, int64_t id) {
    if (phase == TouchPhase::kBegin) {
      if (finger >= 0) return std::nullopt;  // a second finger
      finger = id;
      return phase;
    }
    if (id != finger) return std::nullopt;
    if (phase == TouchPhase::kEnd || phase == TouchPhase::kCancel) finger = -1;
    return phase;
  }
};

}  // namespace attn::ui::input
