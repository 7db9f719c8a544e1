#include "app/x11_touch.h"  // (project headers before X's: Xlib defines Status, None, Bool, ...)

#include <poll.h>
#include <unistd.h>

#include <cstdio>

#include <GLFW/glfw3.h>
#include <X11/Xlib.h>
#include <X11/extensions/XInput2.h>

// From <GLFW/glfw3native.h>, which with GLFW_EXPOSE_NATIVE_X11 also wants Xrandr's headers for
// functions not used here.
extern "C" Window glfwGetX11Window(GLFWwindow* window);

namespace attn::app {

namespace {

// X reports a refused request later, to an error handler; Start catches it around one XSync.
int g_x_error = 0;
int RecordXError(Display*, XErrorEvent* e) {
  g_x_error = e->error_code;
  return 0;
}

int CountTouchScreens(Display* display) {
  int n = 0, screens = 0;
  XIDeviceInfo* devices = XIQueryDevice(display, XIAllDevices, &n);
  for (int i = 0; i < n; ++i)
    for (int c = 0; c < devices[i].num_classes; ++c)
      if (devices[i].classes[c]->type == XITouchClass &&
          reinterpret_cast<XITouchClassInfo*>(devices[i].classes[c])->mode == XIDirectTouch && devices[i].use == XISlavePointer)
        ++screens;
  XIFreeDeviceInfo(devices);
  return screens;
}

}  // namespace

bool X11Touch::Start(GLFWwindow* window, std::string* why) {
  const Window target = glfwGetX11Window(window);
  if (!target) return *why = "the window is not an X11 window", false;
  Display* display = XOpenDisplay(nullptr);  // $DISPLAY, the one GLFW opened
  if (!display) return *why = "cannot open the X display", false;
  int event = 0, error = 0, major = 2, minor = 2;
  if (!XQueryExtension(display, "XInputExtension", &xi_opcode_, &event, &error) ||
      XIQueryVersion(display, &major, &minor) != Success || major < 2 || (major == 2 && minor < 2)) {
    XCloseDisplay(display);
    return *why = "the X server has no XInput 2.2 (touch events)", false;
  }
  // Begin, update and end must be asked for together.
  unsigned char bits[XIMaskLen(XI_LASTEVENT)] = {};
  XISetMask(bits, XI_TouchBegin);
  XISetMask(bits, XI_TouchUpdate);
  XISetMask(bits, XI_TouchEnd);
  XIEventMask mask{XIAllMasterDevices, static_cast<int>(sizeof bits), bits};
  g_x_error = 0;
  XErrorHandler previous = XSetErrorHandler(RecordXError);
  XISelectEvents(display, target, &mask, 1);
  XSync(display, False);
  XSetErrorHandler(previous);
  if (g_x_error) {
    XCloseDisplay(display);
    char text[96];
    std::snprintf(text, sizeof text, "X refused the window's touch events (X error %d)", g_x_error);
    return *why = text, false;
  }
  if (pipe(stop_pipe_) != 0) {
    XCloseDisplay(display);
    stop_pipe_[0] = stop_pipe_[1] = -1;
    return *why = "cannot create a pipe for the waker thread", false;
  }
  display_ = display;
  touch_screens_ = CountTouchScreens(display);
  waker_ = std::thread(&X11Touch::WakeLoop, this);
  return true;
}

// The app sleeps in glfwWaitEvents while nothing changes, and touches arrive on this connection,
// not GLFW's. The waker thread sleeps in poll() on the connection's socket (no Xlib calls: Xlib
// is used from the main thread only), wakes the main loop with glfwPostEmptyEvent (thread-safe)
// when something arrives, and waits for Poll to have read it before it polls again.
void X11Touch::WakeLoop() {
  pollfd fds[2] = {{ConnectionNumber(display_), POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
  while (true) {
    if (poll(fds, 2, -1) < 0) continue;  // EINTR
    if (fds[1].revents) return;  // Stop
    if (fds[0].revents & (POLLHUP | POLLERR)) return;
    if (!(fds[0].revents & POLLIN)) continue;
    glfwPostEmptyEvent();
    std::unique_lock<std::mutex> lock(mutex_);
    drained_cv_.wait(lock, [this] { return drained_ || !display_; });
    drained_ = false;
    if (!display_) return;
  }
}

void X11Touch::Poll(const std::function<void(int phase, float x, float y)>& deliver) {
  if (!display_) return;
  while (XPending(display_) > 0) {
    XEvent ev;
    XNextEvent(display_, &ev);
    XGenericEventCookie* cookie = &ev.xcookie;
    if (cookie->type != GenericEvent || cookie->extension != xi_opcode_ || !XGetEventData(display_, cookie)) continue;
    const auto* e = static_cast<const XIDeviceEvent*>(cookie->data);
    const int phase = cookie->evtype == XI_TouchBegin ? 0 : cookie->evtype == XI_TouchUpdate ? 1
                    : cookie->evtype == XI_TouchEnd ? 2 : -1;
    if (phase >= 0)
      if (const auto followed = tracker_.Follow(static_cast<ui::TouchPhase>(phase), e->detail))
        deliver(static_cast<int>(*followed), static_cast<float>(e->event_x), static_cast<float>(e->event_y));
    XFreeEventData(display_, cookie);
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    drained_ = true;
  }
  drained_cv_.notify_one();
}

void X11Touch::Stop() {
  if (!display_) return;
  if (stop_pipe_[1] >= 0) (void)!write(stop_pipe_[1], "x", 1);
  Display* display = display_;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    display_ = nullptr;
  }
  drained_cv_.notify_one();
  if (waker_.joinable()) waker_.join();
  XCloseDisplay(display);
  for (int& fd : stop_pipe_) {
    if (fd >= 0) close(fd);
    fd = -1;
  }
}

}  // namespace attn::app
