// Touch screens on the Linux desktop. GLFW 3.3 has no touch events: X turns a touch into an
// emulated mouse, so a swipe drags a selection where a phone would scroll the page. This asks
// the X server for XInput 2.2 touch events on the app's window, over a connection of its own
// (GLFW's event loop drops events it did not ask for). Once a client takes a window's touches,
// X no longer emulates the mouse for touches there; each touch then goes the way the web page's
// touches go: attnlab_touch -> ui::OnTouch -> the gesture (ui/input/touch_gesture.h).
#pragma once
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "ui/input/touch_tracker.h"

struct GLFWwindow;
struct _XDisplay;

namespace attn::app {

class X11Touch {
 public:
  X11Touch() = default;
  X11Touch(const X11Touch&) = delete;
  X11Touch& operator=(const X11Touch&) = delete;
  ~X11Touch() { Stop(); }

  // Takes the touches of `window`. False, with the reason in *why, without an X display, without
  // XInput 2.2 or when X refuses (another client already takes this window's touches).
  bool Start(GLFWwindow* window, std::string* why);
  // Hands the touches that arrived since the last call to `deliver` (phase as ui::TouchPhase,
  // x, y in window pixels: on X11 the framebuffer's). Call once per frame.
  void Poll(const std::function<void(int phase, float x, float y)>& deliver);
  void Stop();

  bool listening() const { return display_ != nullptr; }
  int touch_screens() const { return touch_screens_; }  // direct-touch devices at Start

 private:
  void WakeLoop();  // the waker thread: see x11_touch.cpp

  _XDisplay* display_ = nullptr;
  int xi_opcode_ = 0;
  int touch_screens_ = 0;
  ui::input::TouchTracker tracker_;
  std::thread waker_;
  int stop_pipe_[2] = {-1, -1};
  std::mutex mutex_;
  std::condition_variable drained_cv_;
  bool drained_ = false;
};

}  // namespace attn::app
