"""Readers for the two model file formats, written from their public specs (numpy only).

These are deliberately independent of the writers in tools/make-tiny-gpt2.py, so that the
self-check (check_reference.py) compares two implementations, not one with itself.

    read_safetensors(path)  -> (tensors: {name: np.ndarray}, metadata: {str: str})
    read_gguf(path)         -> GGUF(version, metadata, tensors)
    load_hf_gpt2(folder)    -> (config dict, {canonical name: np.ndarray})

Canonical names are Hugging Face's without the "transformer." prefix ("wte.weight",
"h.0.attn.c_attn.weight", ...); the attention-mask buffers and a tied lm_head.weight are
checked and dropped.
"""
import json
import os
import struct
from dataclasses import dataclass, field

import numpy as np

# ---------------------------------------------------------------------------------------------
# safetensors: u64 header length N | N bytes of JSON | data. Offsets in the JSON are relative
# to the first data byte. https://github.com/huggingface/safetensors (README, "Format").
# ---------------------------------------------------------------------------------------------

SAFETENSORS_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4",
                      "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}


def bf16_to_f32(raw_u16):
    """bfloat16 is the top half of a float32."""
    return (raw_u16.astype(np.uint32) << 16).view(np.float32)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack_from("<Q", data, 0)
    if n > len(data) - 8:
        raise ValueError(f"{path}: header length {n} past the end of the file")
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        shape = tuple(info["shape"])
        count = int(np.prod(shape)) if shape else 1
        if info["dtype"] == "BF16":
            raw = np.frombuffer(data, dtype="<u2", count=count, offset=base + begin)
            a = bf16_to_f32(raw)
        else:
            dtype = np.dtype(SAFETENSORS_DTYPES[info["dtype"]])
            if end - begin != count * dtype.itemsize:
                raise ValueError(f"{path}: {name}: {end - begin} bytes for shape {shape}")
            a = np.frombuffer(data, dtype=dtype, count=count, offset=base + begin)
        if base + end > len(data):
            raise ValueError(f"{path}: {name} runs past the end of the file")
        tensors[name] = a.reshape(shape).copy()
    return tensors, metadata

# ---------------------------------------------------------------------------------------------
# GGUF v3: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
# Dims are listed innermost first (ne[0] = length of a contiguous row), so a tensor with dims
# [ne0, ne1] is the row-major numpy array of shape (ne1, ne0). For a linear layer y = W x the
# file holds W as [out][in] rows: dims [in, out]. See tools/make-tiny-gpt2.py [GGUF WRITER].
# ---------------------------------------------------------------------------------------------

GGUF_SCALARS = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
                10: "<Q", 11: "<q", 12: "<d"}
GGUF_STRING, GGUF_ARRAY = 8, 9
GGML_TYPES = {0: ("F32", np.dtype("<f4")), 1: ("F16", np.dtype("<f2"))}
GGML_Q8_0 = 8   # blocks of 34 bytes: an f16 scale d and 32 int8 q; x = d · q (read as float32)


def dequantize_q8_0(data, offset, count):
    blocks = np.frombuffer(data, np.uint8, count // 32 * 34, offset).reshape(-1, 34)
    d = blocks[:, :2].copy().view("<f2").astype(np.float32)
    q = blocks[:, 2:].copy().view(np.int8).astype(np.float32)
    return (d * q).reshape(-1)


@dataclass
class GGUFTensor:
    name: str
    dims: list          # ggml order: innermost first
    ggml_type: str      # "F32" / "F16" / "Q8_0" (dequantized to float32)
    offset: int         # in the file
    array: np.ndarray   # shape = reversed(dims)


@dataclass
class GGUF:
    version: int
    metadata: dict = field(default_factory=dict)
    tensors: dict = field(default_factory=dict)     # name -> GGUFTensor, in file order
    alignment: int = 32
    data_offset: int = 0


class _Cursor:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def scalar(self, fmt):
        (v,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return v

    def string(self):
        n = self.scalar("<Q")
        s = self.data[self.pos:self.pos + n].decode("utf-8")
        self.pos += n
        return s

    def value(self, vtype):
        if vtype == GGUF_STRING:
            return self.string()
        if vtype == GGUF_ARRAY:
            item_type, n = self.scalar("<I"), self.scalar("<Q")
            if item_type in GGUF_SCALARS:                       # numbers: one numpy read
                dtype = np.dtype(GGUF_SCALARS[item_type])
                a = np.frombuffer(self.data, dtype=dtype, count=n, offset=self.pos)
                self.pos += n * dtype.itemsize
                return a.tolist()
            return [self.value(item_type) for _ in range(n)]
        return self.scalar(GGUF_SCALARS[vtype])


def read_gguf(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"GGUF":
        raise ValueError(f"{path}: not a GGUF file")
    c = _Cursor(data)
    c.pos = 4
    g = GGUF(version=c.scalar("<I"))
    n_tensors, n_kv = c.scalar("<Q"), c.scalar("<Q")
    for _ in range(n_kv):
        key = c.string()
        g.metadata[key] = c.value(c.scalar("<I"))
    g.alignment = g.metadata.get("general.alignment", 32)
    infos = []
    for _ in range(n_tensors):
        name = c.string()
        dims = [c.scalar("<Q") for _ in range(c.scalar("<I"))]
        ggml_type, offset = c.scalar("<I"), c.scalar("<Q")
        infos.append((name, dims, ggml_type, offset))
    g.data_offset = c.pos + (-c.pos % g.alignment)
    for name, dims, ggml_type, offset in infos:
        if ggml_type not in GGML_TYPES and ggml_type != GGML_Q8_0:
            raise ValueError(f"{path}: {name}: ggml type {ggml_type} not supported here")
        if offset % g.alignment:
            raise ValueError(f"{path}: {name}: offset {offset} not aligned to {g.alignment}")
        count = int(np.prod(dims))
        start = g.data_offset + offset
        if ggml_type == GGML_Q8_0:
            type_name, a = "Q8_0", dequantize_q8_0(data, start, count)
        else:
            type_name, dtype = GGML_TYPES[ggml_type]
            a = np.frombuffer(data, dtype=dtype, count=count, offset=start)
        g.tensors[name] = GGUFTensor(name, dims, type_name, start,
                                     a.reshape(tuple(reversed(dims))).copy())
    return g

# ---------------------------------------------------------------------------------------------
# A Hugging Face GPT-2 folder: config.json + model.safetensors
# ---------------------------------------------------------------------------------------------

def load_hf_gpt2(folder):
    """(config, weights) with canonical names; checks shapes, drops buffers and a tied head."""
    with open(os.path.join(folder, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    raw, _ = read_safetensors(os.path.join(folder, "model.safetensors"))
    weights, lm_head = {}, None
    for name, a in raw.items():
        if name == "lm_head.weight":
            lm_head = a
            continue
        if name.startswith("transformer."):
            name = name[len("transformer."):]
        if name.endswith((".attn.bias", ".attn.masked_bias")):
            continue                        # HF's causal-mask buffers (not c_attn.bias), not weights
        weights[name] = a
    if lm_head is not None and not np.array_equal(lm_head, weights["wte.weight"]):
        raise ValueError(f"{folder}: lm_head.weight is not tied to wte.weight")
    C, L = config["n_embd"], config["n_layer"]
    V, P = config["vocab_size"], config["n_positions"]
    expected = {"wte.weight": (V, C), "wpe.weight": (P, C), "ln_f.weight": (C,), "ln_f.bias": (C,)}
    for i in range(L):
        p = f"h.{i}."
        expected.update({p + "ln_1.weight": (C,), p + "ln_1.bias": (C,),
                         p + "attn.c_attn.weight": (C, 3 * C), p + "attn.c_attn.bias": (3 * C,),
                         p + "attn.c_proj.weight": (C, C), p + "attn.c_proj.bias": (C,),
                         p + "ln_2.weight": (C,), p + "ln_2.bias": (C,),
                         p + "mlp.c_fc.weight": (C, 4 * C), p + "mlp.c_fc.bias": (4 * C,),
                         p + "mlp.c_proj.weight": (4 * C, C), p + "mlp.c_proj.bias": (C,)})
    if set(weights) != set(expected):
        raise ValueError(f"{folder}: unexpected tensors {sorted(set(weights) ^ set(expected))}")
    for name, shape in expected.items():
        if weights[name].shape != shape:
            raise ValueError(f"{folder}: {name} has shape {weights[name].shape}, expected {shape}")
    return config, weights
