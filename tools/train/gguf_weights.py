"""Read a GPT-2 GGUF file (F32, F16 or Q8_0 tensors) back into Hugging Face-named float32 arrays.

    from gguf_weights import read_gpt2_gguf
    weights, shape = read_gpt2_gguf("assets/attnlab-demo-gpt2-q8_0.gguf")
    weights["h.0.attn.c_attn.weight"]   # [C, 3C], HF Conv1D layout (y = x @ W)

Used to warm-start training from a shipped model (train_gpt2.py --init-gguf). Written from the
public GGUF description (ggml docs/gguf.md, version 3); tools/make-tiny-gpt2.py has the writer
and explains the layout (GGUF dims are innermost first, linear weights are stored [out][in], the
transpose of HF's Conv1D).
"""
import struct

import numpy as np

GGML_F32, GGML_F16, GGML_Q8_0 = 0, 1, 8
SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
GGUF_STRING, GGUF_ARRAY = 8, 9
# GGUF name -> HF name, per block (the same table as tests/reference/check_reference.py)
BLOCK_NAMES = [("attn_norm", "ln_1"), ("attn_qkv", "attn.c_attn"), ("attn_output", "attn.c_proj"),
               ("ffn_norm", "ln_2"), ("ffn_up", "mlp.c_fc"), ("ffn_down", "mlp.c_proj")]


class _Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        v = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return v[0]

    def string(self):
        n = self.take("<Q")
        s = self.data[self.pos:self.pos + n].decode("utf-8", "replace")
        self.pos += n
        return s

    def value(self, vtype):
        if vtype == GGUF_STRING:
            return self.string()
        if vtype == GGUF_ARRAY:
            item, n = self.take("<I"), self.take("<Q")
            return [self.value(item) for _ in range(n)]
        return self.take(SCALARS[vtype])


def _dequantize(raw, ggml_type, count):
    if ggml_type == GGML_F32:
        return np.frombuffer(raw, "<f4", count).astype(np.float32)
    if ggml_type == GGML_F16:
        return np.frombuffer(raw, "<f2", count).astype(np.float32)
    if ggml_type == GGML_Q8_0:  # blocks of 34 bytes: f16 scale d, 32 int8 q; x = d * q
        blocks = np.frombuffer(raw, np.uint8, count // 32 * 34).reshape(-1, 34)
        d = blocks[:, :2].copy().view("<f2").astype(np.float32)
        q = blocks[:, 2:].copy().view(np.int8).astype(np.float32)
        return (d * q).reshape(-1)
    raise ValueError("tensor type %d is not supported here (F32, F16, Q8_0 are)" % ggml_type)


def _nbytes(ggml_type, count):
    return {GGML_F32: 4 * count, GGML_F16: 2 * count, GGML_Q8_0: count // 32 * 34}[ggml_type]


def read_gpt2_gguf(path):
    """-> (weights {HF name: float32 array}, shape {"n_layer", "n_head", "n_embd", "n_ctx", "vocab"})."""
    data = open(path, "rb").read()
    r = _Reader(data)
    if data[:4] != b"GGUF":
        raise ValueError(path + ": not a GGUF file")
    r.pos = 4
    version, n_tensors, n_kv = r.take("<I"), r.take("<Q"), r.take("<Q")
    if version != 3:
        raise ValueError("%s: GGUF version %d (3 expected)" % (path, version))
    kv = {}
    for _ in range(n_kv):
        key = r.string()
        kv[key] = r.value(r.take("<I"))
    infos = []
    for _ in range(n_tensors):
        name = r.string()
        dims = [r.take("<Q") for _ in range(r.take("<I"))]
        infos.append((name, dims, r.take("<I"), r.take("<Q")))
    align = kv.get("general.alignment", 32)
    base = r.pos + (-r.pos % align)
    tensors = {}
    for name, dims, ggml_type, offset in infos:
        count = int(np.prod(dims))
        raw = data[base + offset:base + offset + _nbytes(ggml_type, count)]
        tensors[name] = _dequantize(raw, ggml_type, count).reshape(list(reversed(dims)))
    n_layer = kv["gpt2.block_count"]
    w = {"wte.weight": tensors["token_embd.weight"], "wpe.weight": tensors["position_embd.weight"],
         "ln_f.weight": tensors["output_norm.weight"], "ln_f.bias": tensors["output_norm.bias"]}
    for i in range(n_layer):
        for gg, hf in BLOCK_NAMES:
            weight = tensors["blk.%d.%s.weight" % (i, gg)]
            w["h.%d.%s.weight" % (i, hf)] = weight.T.copy() if weight.ndim == 2 else weight
            w["h.%d.%s.bias" % (i, hf)] = tensors["blk.%d.%s.bias" % (i, gg)]
    shape = {"n_layer": n_layer, "n_head": kv["gpt2.attention.head_count"], "n_embd": kv["gpt2.embedding_length"],
             "n_ctx": kv["gpt2.context_length"], "vocab": w["wte.weight"].shape[0]}
    return w, shape
