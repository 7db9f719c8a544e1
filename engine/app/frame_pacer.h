// Draw on demand: a figure that is only being read costs nothing.
//
// A frame is drawn when something may have changed what it shows — input, a resize, a model
// or a sentence arriving, a message from the host page — and while a panel animates (it calls
// ui::RequestAnimation). Dear ImGui needs a few frames after an event to settle (the hover is
// seen one frame, the layout it causes the next), so after a wake the loop keeps drawing until
// two frames in a row come out identical (same draw lists, same textures), then sleeps: natively
// in glfwWaitEvents, on the web with the requestAnimationFrame loop paused. A figure that is
// hidden (a background tab, an embed scrolled out of view) draws nothing until it is shown.
//
// Plain policy, no ImGui or GLFW here: the main loop feeds it, the unit tests drive it.
#pragma once

#include <algorithm>
#include <cstdint>

namespace attn::app {

struct FramePacer {
  static constexpr int kSameFramesToSleep = 2;  // identical frames in a row before sleeping
  static constexpr int kFramesPerWake = 3;      // at least this many after input: hover, press, release

  bool drawing = true;     // the next frame is needed
  bool visible = true;     // on screen (page visible, embed in view)
  int owed = kFramesPerWake;
  int same_in_a_row = 0;
  uint64_t last_signature = 0;

  // Something happened that may change the picture.
  void Wake() {
    owed = std::max(owed, kFramesPerWake);
    same_in_a_row = 0;
    drawing = visible;
  }

  void SetVisible(bool on) {
    if (on == visible) return;
    visible = on;
    if (on) Wake();  // whatever changed while hidden is drawn now
    else drawing = false;
  }

  // After each drawn frame: a fingerprint of what it drew and whether a panel asked to keep
  // animating. Returns whether another frame is needed.
  bool AfterFrame(uint64_t signature, bool animating) {
    if (owed > 0) --owed;
    same_in_a_row = signature == last_signature ? same_in_a_row + 1 : 0;
    last_signature = signature;
    drawing = visible && (animating || owed > 0 || same_in_a_row < kSameFramesToSleep);
    return drawing;
  }
};

}  // namespace attn::app
