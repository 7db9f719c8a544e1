#!/usr/bin/python3
"""Draw on demand in the real desktop app (Xvfb): a window nobody touches draws nothing.

The app runs with --frame-log (a line per frame drawn; the state file rewritten after each) on
its own Xvfb display. After it has settled, 5 s without input must draw at most a handful of
frames; then the pointer is moved onto a word of 11.2's figure (XWarpPointer through libX11,
the way a real mouse moves it) and the figure must select that word — the hover answers on the
first move — and go back to sleep.
"""
import ctypes
import ctypes.util
import json
import os
import signal
import subprocess
import sys
import threading
import time

from harness import check, finish, parse_args

SIZE = (1280, 800)


class X11:
    """Just enough Xlib to find the app's window and move the pointer over it."""

    def __init__(self, display):
        self.lib = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        L, ul, p = self.lib, ctypes.c_ulong, ctypes.c_void_p
        L.XOpenDisplay.restype, L.XOpenDisplay.argtypes = p, [ctypes.c_char_p]
        L.XDefaultRootWindow.restype, L.XDefaultRootWindow.argtypes = ul, [p]
        L.XQueryTree.argtypes = [p, ul, ctypes.POINTER(ul), ctypes.POINTER(ul), ctypes.POINTER(ctypes.POINTER(ul)),
                                 ctypes.POINTER(ctypes.c_uint)]
        L.XTranslateCoordinates.argtypes = [p, ul, ul, ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                                            ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ul)]
        L.XWarpPointer.argtypes = [p, ul, ul, ctypes.c_int, ctypes.c_int, ctypes.c_uint, ctypes.c_uint, ctypes.c_int,
                                   ctypes.c_int]
        L.XFlush.argtypes = [p]
        self.dpy = L.XOpenDisplay(display.encode())
        if not self.dpy:
            raise RuntimeError(f"cannot open display {display}")
        self.root = L.XDefaultRootWindow(self.dpy)

    def window_origin(self):
        """Root coordinates of the last top-level window (the app's: nothing else runs here)."""
        r, parent, children, n = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.POINTER(ctypes.c_ulong)(), ctypes.c_uint()
        self.lib.XQueryTree(self.dpy, self.root, ctypes.byref(r), ctypes.byref(parent), ctypes.byref(children),
                            ctypes.byref(n))
        if n.value == 0:
            return 0, 0
        x, y, child = ctypes.c_int(), ctypes.c_int(), ctypes.c_ulong()
        self.lib.XTranslateCoordinates(self.dpy, children[n.value - 1], self.root, 0, 0, ctypes.byref(x),
                                       ctypes.byref(y), ctypes.byref(child))
        return x.value, y.value

    def move_pointer(self, x, y):
        self.lib.XWarpPointer(self.dpy, 0, self.root, 0, 0, 0, 0, int(x), int(y))
        self.lib.XFlush(self.dpy)


class FrameLog:
    """Reads the app's "[attnlab] frame N" lines as they come."""

    def __init__(self, stream):
        self.frames, self.sleeps, self.lines = 0, 0, []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for line in stream:
            self.lines.append(line)
            if line.startswith("[attnlab] frame "):
                self.frames += 1
                self.sleeps += "(then sleeps)" in line


def wait_for(what, timeout):
    end = time.time() + timeout
    while time.time() < end:
        if what():
            return True
        time.sleep(0.05)
    return False


def read_state(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def main():
    args = parse_args(with_model=False)
    state_path = os.path.join(args.out, "idle-state.json")
    if os.path.exists(state_path):
        os.remove(state_path)
    # Our own X server, so that this test knows the display it moves the pointer on.
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten", "tcp"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    display = ":" + xvfb.stdout.readline().strip()
    app = subprocess.Popen([args.app, "--section", "self-attention", "--lang", "en", "--option", "sa.mode=toy",
                            "--size", f"{SIZE[0]}x{SIZE[1]}", "--frame-log", "--dump-state", state_path],
                           env={**os.environ, "DISPLAY": display}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, start_new_session=True)
    log = FrameLog(app.stdout)
    try:
        check(wait_for(lambda: log.sleeps >= 1, 60), f"the app settles and sleeps after {log.frames} frames")
        time.sleep(1.0)
        before = log.frames
        time.sleep(5.0)
        idle = log.frames - before
        check(idle <= 3, f"5 s without input draw at most a handful of frames (drew {idle})")

        st = read_state(state_path)
        check(st is not None, "the state file is written as frames are drawn")
        sa = (st or {}).get("panels", {}).get("self_attention", {})
        tokens = sa.get("tokens", [])
        target = next((j for j in range(len(tokens) - 1, -1, -1) if j != sa.get("selected")), None)
        rect = (st or {}).get("hotspots", {}).get(f"sa-token-{target}")
        check(rect is not None, f"11.2 shows its words ({tokens}) with hotspots")
        if rect is None:
            return finish()
        x11 = X11(display)
        ox, oy = x11.window_origin()
        frames_before, sleeps_before = log.frames, log.sleeps
        x11.move_pointer(ox + (rect[0] + rect[2]) / 2 - 4, oy + (rect[1] + rect[3]) / 2)
        x11.move_pointer(ox + (rect[0] + rect[2]) / 2, oy + (rect[1] + rect[3]) / 2)
        answered = wait_for(lambda: ((read_state(state_path) or {}).get("panels", {}).get("self_attention", {})
                                     .get("selected") == target), 10)
        check(answered, f"the first pointer move over '{tokens[target]}' selects it "
              f"({log.frames - frames_before} frames drawn)")
        check(wait_for(lambda: log.sleeps > sleeps_before, 10), "and the app goes back to sleep")
    finally:
        os.killpg(app.pid, signal.SIGTERM)
        app.wait(timeout=20)
        xvfb.terminate()
        xvfb.wait(timeout=20)
    print("".join(log.lines[-3:]), end="")
    return finish()

if __name__ == "__main__":
    sys.exit(main())
