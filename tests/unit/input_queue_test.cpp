// app/input_queue.h: keys and typed text reach Dear ImGui in the order they came.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/input_queue.h"

using attn::app::InputEvent;
using attn::app::InputQueue;

namespace {
constexpr int kSpace = 32, kEnter = 257, kBackspace = 259, kLeft = 263, kLeftShift = 340, kLeftControl = 341, kA = 65;

// What ImGui 1.86 would make of the events, frame by frame: a text field that first inserts
// the frame's characters, then acts on the editing keys pressed this frame (as InputTextEx
// does), with Backspace deleting the last character and Enter adding a newline.
struct Field {
  std::u32string text;
  std::vector<bool> down = std::vector<bool>(400, false);

  void Frame(const std::vector<InputEvent>& events) {
    std::vector<int> pressed;
    for (const InputEvent& e : events) {
      if (e.kind == InputEvent::Char) {
        text += static_cast<char32_t>(e.codepoint);
        continue;
      }
      const bool now = e.action != InputQueue::kRelease;
      if (now && !down[e.key]) pressed.push_back(e.key);
      down[e.key] = now;
    }
    for (int key : pressed) {
      if (key == kEnter) text += U'\n';
      if (key == kBackspace && !text.empty()) text.pop_back();
    }
  }
};

void Tap(InputQueue& q, int key, int mods = 0) {
  q.PushKey(key, 0, InputQueue::kPress, mods);
  q.PushKey(key, 0, InputQueue::kRelease, mods);
}

void Type(InputQueue& q, const std::u32string& s) {  // a letter key's press, its character, its release
  for (char32_t c : s) {
    const int key = c >= U'a' && c <= U'z' ? static_cast<int>(c - U'a' + 'A') : 32;
    q.PushKey(key, 0, InputQueue::kPress, 0);
    q.PushChar(static_cast<unsigned>(c));
    q.PushKey(key, 0, InputQueue::kRelease, 0);
  }
}

// Frames until the queue is empty (at most `limit`).
int RunFrames(InputQueue& q, Field& f, int limit = 1000) {
  int frames = 0;
  while (!q.empty() && frames < limit) {
    f.Frame(q.TakeFrame(/*typing=*/true));
    ++frames;
  }
  return frames;
}
}  // namespace

TEST_CASE("input queue: Enter typed between two words stays between them") {
  InputQueue q;
  Field f;
  Type(q, U"relation");
  Tap(q, kEnter);
  Type(q, U"head");
  RunFrames(q, f);
  CHECK(f.text == U"relation\nhead");

  // Everything in one frame, as a frame that came late would have seen it: wrong order.
  InputQueue all_at_once;
  Field g;
  Type(all_at_once, U"ab");
  Tap(all_at_once, kEnter);
  Type(all_at_once, U"cd");
  std::vector<InputEvent> everything;
  while (!all_at_once.empty())
    for (const InputEvent& e : all_at_once.TakeFrame(true)) everything.push_back(e);
  g.Frame(everything);
  CHECK(g.text == U"abcd\n");  // the bug the queue exists for, reproduced by the model field
}

TEST_CASE("input queue: every Backspace counts, even pressed and released between two frames") {
  InputQueue q;
  Field f;
  for (char32_t c : std::u32string(U"多头注意力")) q.PushChar(static_cast<unsigned>(c));  // an input method's text
  for (int i = 0; i < 3; ++i) Tap(q, kBackspace);
  const int frames = RunFrames(q, f);
  CHECK(f.text == U"多头");
  CHECK(frames == 7);  // the text; then each Backspace's press, and its release, in frames of their own
}

TEST_CASE("input queue: plain typing and an input method's text take one frame") {
  InputQueue q;
  Field f;
  Type(q, U"abc ab");  // letter keys (and Space) are not editing keys: their presses pass freely
  CHECK(RunFrames(q, f) == 1);
  CHECK(f.text == U"abc ab");
  for (char32_t c : std::u32string(U"一二三四")) q.PushChar(static_cast<unsigned>(c));
  CHECK(RunFrames(q, f) == 1);
  CHECK(f.text == U"abc ab一二三四");
}

TEST_CASE("input queue: which keys are editing keys") {
  for (bool typing : {false, true}) {
    CHECK(InputQueue::IsEditingKey(kEnter, 0, typing));
    CHECK(InputQueue::IsEditingKey(kBackspace, 0, typing));
    CHECK(InputQueue::IsEditingKey(kLeft, InputQueue::kModShift, typing));
    CHECK_FALSE(InputQueue::IsEditingKey(kA, 0, typing));
    CHECK_FALSE(InputQueue::IsEditingKey(kA, InputQueue::kModShift, typing));  // a capital letter
    CHECK(InputQueue::IsEditingKey(kA, InputQueue::kModControl, typing));      // Ctrl+A selects all
    CHECK_FALSE(InputQueue::IsEditingKey(kLeftShift, 0, typing));
    CHECK_FALSE(InputQueue::IsEditingKey(kLeftControl, InputQueue::kModControl, typing));
  }
  CHECK(InputQueue::IsEditingKey(kSpace, 0, /*typing=*/false));  // opens the focused item
  CHECK_FALSE(InputQueue::IsEditingKey(kSpace, 0, /*typing=*/true));
}

TEST_CASE("input queue: a quick Space opens the focused item, and types a space in a text field") {
  InputQueue q;
  Tap(q, kSpace);
  CHECK(q.TakeFrame(/*typing=*/false).size() == 1);  // the press alone: ImGui sees Space down
  CHECK(q.TakeFrame(/*typing=*/false).size() == 1);
  CHECK(q.empty());
  Tap(q, kSpace);
  q.PushChar(U' ');
  CHECK(q.TakeFrame(/*typing=*/true).size() == 3);
}

TEST_CASE("input queue: a repeated press of a held key, and modifiers, never split a frame") {
  InputQueue q;
  q.PushKey(kLeftShift, 0, InputQueue::kPress, InputQueue::kModShift);
  q.PushKey(kLeft, 0, InputQueue::kPress, InputQueue::kModShift);
  q.PushKey(kLeft, 0, InputQueue::kRepeat, InputQueue::kModShift);
  q.PushKey(kLeft, 0, InputQueue::kPress, InputQueue::kModShift);  // Emscripten repeats as presses
  CHECK(q.TakeFrame(true).size() == 4);
  q.PushKey(kLeft, 0, InputQueue::kRelease, InputQueue::kModShift);
  q.PushKey(kLeftShift, 0, InputQueue::kRelease, 0);
  CHECK(q.TakeFrame(true).size() == 2);
  CHECK(q.empty());
}

TEST_CASE("input queue: a key released before any frame saw it pressed is still pressed for a frame") {
  InputQueue q;
  Field f;
  f.text = U"ab";
  Tap(q, kBackspace);
  const std::vector<InputEvent> first = q.TakeFrame(true);
  REQUIRE(first.size() == 1);
  CHECK(first[0].action == InputQueue::kPress);
  f.Frame(first);
  CHECK(f.text == U"a");
  CHECK(q.size() == 1);  // the release, next frame
}

TEST_CASE("input queue: a click right after fast typing comes after the last key, in frames of its own") {
  InputQueue q;
  Field f;
  Type(q, U"ab");
  Tap(q, kEnter);
  q.PushMouseButton(0, InputQueue::kPress);  // clicked before a frame saw any of it
  q.PushMouseButton(0, InputQueue::kRelease);
  Type(q, U"c");
  std::vector<std::u32string> text;  // after each frame
  std::vector<bool> button;
  while (!q.empty()) {
    const std::vector<InputEvent> frame = q.TakeFrame(true);
    bool clicks = false, keys = false;
    for (const InputEvent& e : frame) (e.kind == InputEvent::MouseButton ? clicks : keys) |= e.kind != InputEvent::Key || e.key == kEnter;
    CHECK_FALSE((clicks && keys));  // ImGui could not tell their order within one frame
    f.Frame(frame);
    text.push_back(f.text);
    button.push_back(q.MouseDown(0));
  }
  REQUIRE(text.size() == 6);
  CHECK(text[1] == U"ab\n");  // the Enter's press
  CHECK(button == std::vector<bool>{false, false, false, true, false, false});  // down after the Enter's release
  CHECK(text[4] == U"ab\n");  // "c" waits until the button is up
  CHECK(text[5] == U"ab\nc");
}

TEST_CASE("input queue: with nothing queued a click reaches ImGui at once, and a quick one is down for a frame") {
  InputQueue q;
  q.PushMouseButton(0, InputQueue::kPress);
  q.PushMouseButton(1, InputQueue::kPress);  // another button may change in the same frame
  CHECK(q.TakeFrame(false).size() == 2);
  CHECK((q.MouseDown(0) && q.MouseDown(1)));
  q.PushMouseButton(0, InputQueue::kRelease);
  q.PushMouseButton(0, InputQueue::kPress);
  q.PushMouseButton(0, InputQueue::kRelease);
  CHECK(q.TakeFrame(false).size() == 1);
  CHECK_FALSE(q.MouseDown(0));
  CHECK(q.TakeFrame(false).size() == 1);
  CHECK(q.MouseDown(0));  // the second click is seen down for a frame
  CHECK(q.TakeFrame(false).size() == 1);
  CHECK_FALSE(q.MouseDown(0));
  CHECK(q.empty());
}
