#!/usr/bin/env python3
"""Serves the web build on http://localhost:8080 (WebAssembly needs the application/wasm type).

  tools/serve.py                      # build/web/site on port 8080
  tools/serve.py --dir DIR --port 0   # any free port; the first line printed names it

The app's code, page and font go out gzip-compressed to browsers that accept it (compressed
once per file version and kept in memory): attnlab.wasm shrinks from 1.5 MB to 0.6 MB, which
on a slow school link is a second sooner to a working page. The model is sent as it is (Q8_0
weights hardly compress, and its download shows a percentage, which needs its real size).
Every file is revalidated on each visit (Cache-Control: no-cache), so a new build always wins.
--isolate adds the COOP + COEP headers that make the page cross-origin isolated, and
web/loader.js then starts the threaded app (attnlab-mt.*; CORP cross-origin keeps the figures
embeddable). Without them, as on most hosts and inside a textbook page, it runs the
single-thread app, whose start is about 0.3 s sooner (the workers load before the first frame).
"""
import argparse
import functools
import gzip
import http.server
import io
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))

TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".otf": "font/otf",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".gguf": "application/octet-stream",
    ".webmanifest": "application/manifest+json",
}


COMPRESSED = {".wasm", ".js", ".mjs", ".html", ".css", ".json", ".svg", ".otf", ".ttf", ".webmanifest"}
_gzip_cache = {}  # (path, mtime, size) -> gzip bytes
_gzip_lock = threading.Lock()


def gzipped(path, st):
    key = (path, st.st_mtime_ns, st.st_size)
    with _gzip_lock:
        if key not in _gzip_cache:
            with open(path, "rb") as f:
                _gzip_cache[key] = gzip.compress(f.read(), compresslevel=9, mtime=0)
        return _gzip_cache[key]


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def send_head(self):
        """A compressible file to a browser that accepts gzip: the compressed bytes, with
        Content-Encoding and Vary; anything else as SimpleHTTPRequestHandler sends it."""
        path = self.translate_path(self.path)
        ext = os.path.splitext(path)[1].lower()
        if ext not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not os.path.isfile(path):
            return super().send_head()
        try:
            body = gzipped(path, os.stat(path))
        except OSError:
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self):
        # Always revalidate: a rebuilt attnlab.wasm must never meet a cached attnlab.js.
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.server.isolate:  # SharedArrayBuffer, hence Web Worker threads, for the page
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
            self.send_header("Cross-Origin-Resource-Policy", "cross-origin")
        super().end_headers()

    def copyfile(self, source, outputfile):
        try:
            super().copyfile(source, outputfile)
        except (ConnectionResetError, BrokenPipeError):
            pass  # the browser went away mid-download (a closed tab, a test that is done)

    def log_message(self, fmt, *args):
        if not self.server.quiet:
            super().log_message(fmt, *args)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=os.path.join(HERE, "..", "build", "web", "site"))
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--host", default="127.0.0.1", help="127.0.0.1 (default) or 0.0.0.0 to share on a network")
    ap.add_argument("--quiet", action="store_true", help="do not log requests")
    ap.add_argument("--isolate", action="store_true",
                    help="send COOP/COEP headers: the page is cross-origin isolated and runs the threaded app")
    args = ap.parse_args()
    site = os.path.abspath(args.dir)
    if not os.path.exists(os.path.join(site, "index.html")):
        sys.exit(f"serve: no web build in {site} (run tools/build.sh web first)")
    handler = functools.partial(Handler, directory=site)
    try:
        server = http.server.ThreadingHTTPServer((args.host, args.port), handler)
    except OSError as e:
        sys.exit(f"serve: cannot listen on {args.host}:{args.port}: {e.strerror} (another server running? try --port)")
    server.quiet = args.quiet
    server.isolate = args.isolate
    host = "localhost" if args.host in ("127.0.0.1", "0.0.0.0") else args.host
    print(f"Serving {site} on http://{host}:{server.server_address[1]}/ (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
