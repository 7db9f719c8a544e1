// Keys and typed text, delivered to Dear ImGui in the order they came.
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
//
// Plain policy, no ImGui or GLFW calls here: the main loop feeds it and applies what it gives;
// the unit tests drive it.
#pragma once

#include <cstddef>
#include <deque>
#include <vector>

namespace attn::app {

struct InputEvent {
  enum Kind { Key, Char } kind = Key;
  int key = 0, scancode = 0, action = 0, mods = 0;  // Key: GLFW's values
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
    bool editing_changed = false, typed = false;
    while (!queue_.empty()) {
      const InputEvent& e = queue_.front();
      if (e.kind == InputEvent::Char) {
        if (editing_changed) break;
        typed = true;
      } else if (Changes(e)) {
        if (IsEditingKey(e.key, e.mods, typing)) {
          if (Contains(changed, e.key) || typed) break;
          changed.push_back(e.key);
          editing_changed = true;
        }
        SetDown(e.key, e.action != kRelease);
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
  // A press of a key already down (a repeat) or a release of one already up changes nothing.
  bool Changes(const InputEvent& e) const { return (e.action != kRelease) != Contains(down_, e.key); }
  void SetDown(int key, bool down) {
    if (down) {
      down_.push_back(key);
      return;
    }
    for (size_t i = 0; i < down_.size(); ++i)
      if (down_[i] == key) down_.erase(down_.begin() + static_cast<long>(i));
  }

  std::deque<InputEvent> queue_;
  std::vector<int> down_;  // keys pressed as ImGui has been told
};

}  // namespace attn::app
