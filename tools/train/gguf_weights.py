"""Read a GPT-2 GGUF file (F32, F16 or Q8_0 tensors) back into Hugging Face-named float32 arrays.

    from gguf_weights import read_gpt2_gguf
    weights, shape = read_gpt2_gguf("assets/attnlab-demo-gpt2-q8_0.gguf")
    weights["h.0.attn.c_attn.weight"]   # [C, 3C], HF Conv1D layout (y = x @ W)

Used to warm-start training from a shipped model (train_gpt2.py --init-gguf). The file itself
is read by the tests' reader (tests/reference/model_files.py, written from the public GGUF
description); this adds only the mapping from llama.cpp's tensor names and layout back to
Hugging Face's (linear weights are stored [out][in], the transpose of HF's Conv1D).
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                                "tests", "reference"))
from model_files import read_gguf  # noqa: E402

# GGUF name -> HF name, per block (the same table as tests/reference/check_reference.py)
BLOCK_NAMES = [("attn_norm", "ln_1"), ("attn_qkv", "attn.c_attn"), ("attn_output", "attn.c_proj"),
               ("ffn_norm", "ln_2"), ("ffn_up", "mlp.c_fc"), ("ffn_down", "mlp.c_proj")]


def read_gpt2_gguf(path):
    """-> (weights {HF name: float32 array}, shape {"n_layer", "n_head", "n_embd", "n_ctx", "vocab"})."""
    g = read_gguf(path)
    if g.version != 3:
        raise ValueError("%s: GGUF version %d (3 expected)" % (path, g.version))
    t = {name: tensor.array.astype(np.float32) for name, tensor in g.tensors.items()}
    n_layer = g.metadata["gpt2.block_count"]
    w = {"wte.weight": t["token_embd.weight"], "wpe.weight": t["position_embd.weight"],
         "ln_f.weight": t["output_norm.weight"], "ln_f.bias": t["output_norm.bias"]}
    for i in range(n_layer):
        for gg, hf in BLOCK_NAMES:
            weight = t["blk.%d.%s.weight" % (i, gg)]
            w["h.%d.%s.weight" % (i, hf)] = weight.T.copy() if weight.ndim == 2 else weight
            w["h.%d.%s.bias" % (i, hf)] = t["blk.%d.%s.bias" % (i, gg)]
    shape = {"n_layer": n_layer, "n_head": g.metadata["gpt2.attention.head_count"],
             "n_embd": g.metadata["gpt2.embedding_length"], "n_ctx": g.metadata["gpt2.context_length"],
             "vocab": w["wte.weight"].shape[0]}
    return w, shape
