// Keys, typed text and mouse buttons, delivered to Dear ImGui in the order they came.
//
// Dear ImGui 1.86 (Debian's) reads key state once a frame and takes typed characters from a
// separate queue, so within one frame it cannot tell "Enter, then h" from "h, then Enter", and
// it never sees a key pressed and released between two frames. Slow frames hid this; fast ones
// (a real GPU, or no GPU round trip) lost a student's newlines and Backspaces: "relation:" Enter
// "head" came out as "relation:head\n". So every key and character waits here, and each frame
// takes the longest run of them that ImGui can still read in order (the rule Dear ImGui 1.87
// calls trickling). Only editing keys take part, the keys ImGui acts on: everything but the
// printable keys and the modifiers, a printable key with Ctrl, Alt or Super held (Ctrl+A), and
// Space unless a text field is active (it opens what has the keyboard focus). Any other
// printable key only types its character, which comes as a character event, so its press and
// release pass freely. The run stops before
//   - a second change of the same editing key (pressed and released: two frames),
//   - a character after an editing key changed (Enter then "h": two frames),
//   - an editing key change after a character ("h" then Backspace: two frames).
// Mouse buttons wait in the same queue, so a click right after fast typing lands after the
// last key, not in the middle of the text (ImGui acts on a frame's clicks before its keys: an
// Enter still queued would go to whatever the click focused). A button change gets a frame of
// its own, apart from any key or character change and from its own press or release; the
// main loop then tells ImGui the buttons as the queue has delivered them (MouseDown), not as
// they are now. Wheel and pointer position are not queued: they order nothing.
//
// Plain policy, no ImGui or GLFW calls here: the main loop feeds it and applies what it gives;
// the unit tests drive it.
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

namespace attn::app {

struct InputEvent {
  enum Kind { Key, Char, MouseButton } kind = Key;
  int key = 0, scancode = 0, action = 0, mods = 0;  // Key: GLFW's values; MouseButton: key = button
  unsigned codepoint = 0;                           // Char
};

class InputQueue {
 public:
  // GLFW's numbers (glfw3.h), repeated so that this header needs no GLFW.
  static constexpr int kRelease = 0, kPress = 1, kRepeat = 2;
  static constexpr int kModShift = 0x1, kModControl = 0x2, kModAlt = 0x4, kModSuper = 0x8;
  static constexpr int kSpace = 32, kLastPrintableKey = 162;      // GLFW_KEY_SPACE, GLFW_KEY_WORLD_2
  static constexpr int kFirstModifier = 340, kLastModifier = 347;  // GLFW_KEY_LEFT_SHIFT … RIGHT_SUPER

  void PushKey(int key, int scancode, int action, int mods) { queue_.push_back({InputEvent::Key, key, scancode, action, mods, 0}); }
  void PushChar(unsigned codepoint) { queue_.push_back({InputEvent::Char, 0, 0, 0, 0, codepoint}); }
  void PushMouseButton(int button, int action) { queue_.push_back({InputEvent::MouseButton, button, 0, action, 0, 0}); }
  // The button as the delivered events left it (GLFW's button numbers, 0 = left).
  bool MouseDown(int button) const { return Contains(buttons_down_, button); }
  bool empty() const { return queue_.empty(); }
  size_t size() const { return queue_.size(); }

  // `typing`: a text field is active (Dear ImGui's io.WantTextInput).
  static bool IsEditingKey(int key, int mods, bool typing) {
    if (key >= kFirstModifier && key <= kLastModifier) return false;
    if (mods & (kModControl | kModAlt | kModSuper)) return true;
    if (key == kSpace) return !typing;
    return key < 0 || key > kLastPrintableKey;
  }

  // This frame's events, oldest first; the rest wait for the next frame.
  std::vector<InputEvent> TakeFrame(bool typing) {
    std::vector<InputEvent> out;
    std::vector<int> changed;  // editing keys whose state this frame's events change
    std::vector<int> clicked;  // mouse buttons likewise
    bool editing_changed = false, typed = false;
    while (!queue_.empty()) {
      const InputEvent& e = queue_.front();
      if (e.kind == InputEvent::Char) {
        if (editing_changed || !clicked.empty()) break;
        typed = true;
      } else if (e.kind == InputEvent::MouseButton) {
        if (Changes(buttons_down_, e)) {
          if (Contains(clicked, e.key) || typed || editing_changed) break;
          clicked.push_back(e.key);
          SetDown(buttons_down_, e.key, e.action != kRelease);
        }
      } else if (Changes(down_, e)) {
        if (IsEditingKey(e.key, e.mods, typing)) {
          if (Contains(changed, e.key) || typed || !clicked.empty()) break;
          changed.push_back(e.key);
          editing_changed = true;
        }
        SetDown(down_, e.key, e.action != kRelease);
      }
      out.push_back(e);
      queue_.pop_front();
    }
    return out;
  }

 private:
  static bool Contains(const std::vector<int>& keys, int key) {
    for (int k : keys)
      if (k == key) return true;
    return false;
  }
  // A press of a key or button already down (a repeat) or a release of one already up changes
  // nothing. `down`: the keys or buttons down as ImGui has been told.
  static bool Changes(const std::vector<int>& down, const InputEvent& e) { return (e.action != kRelease) != Contains(down, e.key); }
  static void SetDown(std::vector<int>& set, int key, bool down) {
    if (down) {
      set.push_back(key);
      return;
    }
    for (size_t i = 0; i < set.size(); ++i)
      if (set[i] == key) set.erase(set.begin() + static_cast<long>(i));
  }

  std::deque<InputEvent> queue_;
  std::vector<int> down_;          // keys pressed as ImGui has been told
  std::vector<int> buttons_down_;  // mouse buttons likewise
};

}  // namespace attn::app
