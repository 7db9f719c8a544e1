#!/usr/bin/python3
"""tools/fetch-model without the network: a tiny random GPT-2 served by a local HTTP server.

  /usr/bin/python3 tests/tools/fetch_model_test.py build/native/attnlab-cli

1. The fixture: `tools/make-tiny-gpt2.py --formats hf` (2 layers), laid out as Hugging Face
   serves it (SITE/openai-community/gpt2/resolve/main/FILE) and served on 127.0.0.1:<free port>.
2. fetch-model gpt2 against it: exit 0, OUT/gpt2-q8_0.gguf exists, `attnlab-cli info` says q8_0
   and 2 layers, the downloaded files are byte copies of the fixture, no .part files, the last
   line says how to open the model; a second run downloads nothing (cached) and still converts.
3. A closed port: exit 3, the offline message in English and Chinese; a repository the server
   does not have (distilgpt2): exit 4.
4. A truncated model.safetensors: the converter fails, fetch-model exits non-zero with the
   converter's message, and no .gguf (nor .part) is left in OUT.
"""
import filecmp
import functools
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FETCH = os.path.join(REPO, "tools", "fetch-model")
FILES = ["config.json", "vocab.json", "merges.txt", "model.safetensors"]
PY = "/usr/bin/python3"

failures = []


def check(cond, what, detail=""):
    print(("PASS: " if cond else "FAIL: ") + what, flush=True)
    if not cond:
        failures.append(what)
        if detail:
            print("---- details ----\n" + detail + "\n-----------------", flush=True)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        self.server.requests.append(self.path)


def serve(root):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=root))
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "http://127.0.0.1:%d" % server.server_address[1]


def closed_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def lay_out(site, files_from, truncate_model=False):
    dest = os.path.join(site, "openai-community", "gpt2", "resolve", "main")
    os.makedirs(dest)
    for f in FILES:
        shutil.copyfile(os.path.join(files_from, f), os.path.join(dest, f))
    if truncate_model:
        path = os.path.join(dest, "model.safetensors")
        with open(path, "r+b") as fh:
            fh.truncate(os.path.getsize(path) // 2)


def fetch(cli, *args):
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}   # 127.0.0.1 direct
    p = subprocess.run([PY, FETCH, *args, "--cli", cli], capture_output=True, text=True,
                       env=env, timeout=300)
    return p.returncode, p.stdout, p.stderr


def dump(rc, out, err):
    return "exit %d\n[stdout]\n%s\n[stderr]\n%s" % (rc, out, err[-4000:])


def main():
    if len(sys.argv) != 2:
        print("usage: fetch_model_test.py PATH/TO/attnlab-cli")
        return 2
    cli = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="fetch-model-test-")
    try:
        return run(cli, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run(cli, tmp):
    # 1. Fixture and server.
    fixture = os.path.join(tmp, "fixture")
    subprocess.run([PY, os.path.join(REPO, "tools", "make-tiny-gpt2.py"), "--out", fixture,
                    "--formats", "hf"], check=True)
    with open(os.path.join(fixture, "config.json")) as fh:
        n_layer = int(re.search(r'"n_layer"\s*:\s*(\d+)', fh.read()).group(1))
    site = os.path.join(tmp, "site")
    lay_out(site, fixture)
    server, base = serve(site)

    # 2. A good download and conversion.
    out, cache = os.path.join(tmp, "out"), os.path.join(tmp, "cache", "gpt2")
    rc, so, se = fetch(cli, "gpt2", "--base-url", base, "--out", out, "--cache", cache)
    gguf = os.path.join(out, "gpt2-q8_0.gguf")
    check(rc == 0, "fetch-model gpt2 from the local server exits 0", dump(rc, so, se))
    check(os.path.isfile(gguf), "it wrote OUT/gpt2-q8_0.gguf", dump(rc, so, se))
    check(sorted(server.requests) == sorted("/openai-community/gpt2/resolve/main/" + f for f in FILES),
          "it asked for the four files at {base}/{repo}/resolve/main/{file}", repr(server.requests))
    check("MB/s" in se, "it shows download progress (MB/s) on stderr", se[-2000:])
    if os.path.isfile(gguf):
        info = subprocess.run([cli, "info", gguf], capture_output=True, text=True)
        check(info.returncode == 0 and re.search(r"weights +q8_0", info.stdout) is not None,
              "attnlab-cli info reports q8_0", info.stdout + info.stderr)
        check(re.search(r"layers +%d\b" % n_layer, info.stdout) is not None,
              "attnlab-cli info reports the fixture's %d layers" % n_layer, info.stdout)
    for f in FILES:
        got = os.path.join(cache, f)
        check(os.path.isfile(got) and filecmp.cmp(got, os.path.join(fixture, f), shallow=False),
              "downloaded %s equals the fixture byte for byte" % f)
    leftovers = [n for d in (out, cache) if os.path.isdir(d) for n in os.listdir(d) if n.endswith(".part")]
    check(not leftovers, "no .part files left", repr(leftovers))
    last = so.strip().splitlines()[-1] if so.strip() else ""
    check("attnlab --model" in last and "gpt2-q8_0.gguf" in last and "?model=" in last,
          "the last line says how to open it (desktop --model, web ?model=)", so)

    # ... and again: everything is cached, nothing is downloaded, the model is converted again.
    server.requests.clear()
    os.remove(gguf)
    rc, so, se = fetch(cli, "gpt2", "--base-url", base, "--out", out, "--cache", cache)
    check(rc == 0 and os.path.isfile(gguf) and not server.requests,
          "a second run uses the cached files (no requests) and converts again",
          dump(rc, so, se) + "\nrequests: %r" % server.requests)

    # 3. Offline (a closed port) and an HTTP error (a repository the server does not have).
    out3 = os.path.join(tmp, "out-offline")
    rc, so, se = fetch(cli, "gpt2", "--base-url", "http://127.0.0.1:%d" % closed_port(),
                       "--out", out3, "--cache", os.path.join(tmp, "cache-offline"))
    check(rc == 3, "a closed port: exit code 3", dump(rc, so, se))
    check("offline" in se and "离线" in se, "the message says offline in English and Chinese", se)
    check("convert" in se and "model.safetensors" in se,
          "the message says how to copy the files and convert by hand", se)
    check(not os.path.exists(os.path.join(out3, "gpt2-q8_0.gguf")), "offline: no .gguf written")

    rc, so, se = fetch(cli, "distilgpt2", "--base-url", base, "--out", os.path.join(tmp, "out-404"),
                       "--cache", os.path.join(tmp, "cache-404"))
    check(rc == 4, "a repository the server lacks (distilgpt2): exit code 4", dump(rc, so, se))
    check("404" in se, "the HTTP message names the status (404)", se)
    server.shutdown()

    # 4. A truncated model.safetensors: the converter's error, and no output left behind.
    site4 = os.path.join(tmp, "site-truncated")
    lay_out(site4, fixture, truncate_model=True)
    server4, base4 = serve(site4)
    out4 = os.path.join(tmp, "out-truncated")
    rc, so, se = fetch(cli, "gpt2", "--base-url", base4, "--out", out4,
                       "--cache", os.path.join(tmp, "cache-truncated"))
    server4.shutdown()
    check(rc != 0, "a truncated model.safetensors: fetch-model exits non-zero", dump(rc, so, se))
    check("attnlab-cli convert:" in se and "truncated" in se,
          "stderr carries the converter's message", se)
    left = os.listdir(out4) if os.path.isdir(out4) else []
    check(not [n for n in left if n.endswith((".gguf", ".part"))],
          "no .gguf (or .part) left in OUT", repr(left))

    print("fetch_model_test: %s" % ("%d failed" % len(failures) if failures else "all passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
