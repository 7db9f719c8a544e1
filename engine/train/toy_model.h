// A tiny GPT-2 with a hand-written backward pass, for the training lab (in the spirit of
// Karpathy's llm.c: each layer a short XxxForward / XxxBackward pair, shapes in comments).
//
//   tokens (B,T) → embed (+ positions) → L × [x += Attn(LN₁(x)); x += MLP(LN₂(x))] → LN_f
//                → logits = LN_f(x) · W_teᵀ (B,T,V) → softmax cross-entropy on scored positions
//
// The output head is TIED to the token embedding, as in GPT-2: fewer parameters to learn, the
// same layout the rest of the app reads, and for the copying tasks (induction) the attended
// token's embedding already points at its own logit — the lab learns faster.
//
// Parameters live in one float buffer in the order of Layout() (the golden test and
// tests/reference/make_toy_golden.py rely on that order); the gradients and AdamW's moments
// are buffers of the same size. Nothing is allocated after construction.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "train/toy_trainer.h"

namespace attn::train {

struct ModelShape {
  int vocab = 16;      // V
  int max_T = 32;      // context
  int d_model = 32;    // C
  int layers = 2;      // L
  int heads = 2;       // NH, divides C
  PosEncoding pe = PosEncoding::Learned;
  bool bidirectional = false;
};

// One parameter tensor in the flat buffer.
struct TensorInfo {
  std::string name;
  size_t offset = 0, size = 0;
  bool decay = false;  // AdamW's weight decay: matrices yes; LayerNorm, biases, embeddings no
};
// In order: wte (V,C); wpe (maxT,C) — learned positions only; ln1w, ln1b (L,C); qkvw (L,3C,C);
// qkvb (L,3C); attprojw (L,C,C); attprojb (L,C); ln2w, ln2b (L,C); fcw (L,4C,C); fcb (L,4C);
// fcprojw (L,C,4C); fcprojb (L,C); lnfw, lnfb (C). Linear weights are (out, in), row-major.
std::vector<TensorInfo> Layout(const ModelShape& s);

// Pointers into a flat parameter (or gradient) buffer, by name.
struct ParameterTensors {
  float* wte = nullptr;       // (V, C)
  float* wpe = nullptr;       // (maxT, C) or nullptr
  float* ln1w = nullptr;      // (L, C)
  float* ln1b = nullptr;      // (L, C)
  float* qkvw = nullptr;      // (L, 3C, C)
  float* qkvb = nullptr;      // (L, 3C)
  float* attprojw = nullptr;  // (L, C, C)
  float* attprojb = nullptr;  // (L, C)
  float* ln2w = nullptr;      // (L, C)
  float* ln2b = nullptr;      // (L, C)
  float* fcw = nullptr;       // (L, 4C, C)
  float* fcb = nullptr;       // (L, 4C)
  float* fcprojw = nullptr;   // (L, C, 4C)
  float* fcprojb = nullptr;   // (L, C)
  float* lnfw = nullptr;      // (C)
  float* lnfb = nullptr;      // (C)
};
ParameterTensors PointTensors(const ModelShape& s, float* buffer);

// Everything the forward pass keeps for the backward pass, for B sequences of T tokens, and
// the backward pass's scratch. Sized once.
struct Activations {
  int B = 0, T = 0;
  std::vector<float> encoded;    // (B,T,C) token + position embedding
  std::vector<float> ln1;        // (L,B,T,C)
  std::vector<float> ln1_mean;   // (L,B,T)
  std::vector<float> ln1_rstd;   // (L,B,T)
  std::vector<float> qkv;        // (L,B,T,3C)
  std::vector<float> atty;       // (L,B,T,C) heads' outputs, concatenated
  std::vector<float> att;        // (L,B,NH,T,T) softmax weights (0 where masked)
  std::vector<float> residual2;  // (L,B,T,C) after the attention sub-layer
  std::vector<float> ln2;        // (L,B,T,C)
  std::vector<float> ln2_mean;   // (L,B,T)
  std::vector<float> ln2_rstd;   // (L,B,T)
  std::vector<float> fch;        // (L,B,T,4C) before GELU
  std::vector<float> fch_gelu;   // (L,B,T,4C)
  std::vector<float> residual3;  // (L,B,T,C) after the MLP sub-layer = the block's output
  std::vector<float> lnf;        // (B,T,C)
  std::vector<float> lnf_mean;   // (B,T)
  std::vector<float> lnf_rstd;   // (B,T)
  std::vector<float> probs;      // (B,T,V) softmax of the logits; the backward turns it into dlogits
  std::vector<float> losses;     // (B,T) −ln p(target), 0 where not scored
  // backward scratch
  std::vector<float> dresidual;  // (B,T,C) gradient flowing down the residual stream
  std::vector<float> dtmp;       // (B,T,C)
  std::vector<float> dqkv;       // (B,T,3C)
  std::vector<float> dfch;       // (B,T,4C)
  std::vector<float> dpreatt;    // (T)
  void Resize(const ModelShape& s, int B, int T);
};

class ToyModel {
 public:
  ToyModel(const ModelShape& shape, uint64_t seed);
  const ModelShape& shape() const { return shape_; }
  const std::vector<TensorInfo>& layout() const { return layout_; }
  std::vector<float>& params() { return params_; }
  const std::vector<float>& params() const { return params_; }
  const std::vector<float>& grads() const { return grads_; }

  // Mean cross-entropy over the positions whose target ≥ 0 (0 if none), a.probs and a.losses
  // filled. `correct` / `scored` count argmax hits. T ≤ max_T, B ≤ a.B.
  float Forward(Activations& a, const int* tokens, const int* targets, int B, int T,
                int* correct = nullptr, int* scored = nullptr) const;
  // Gradients of that mean loss, added to grads() (call ZeroGrad first). Needs a.probs from
  // the Forward of the same batch; overwrites them.
  void Backward(Activations& a, const int* tokens, const int* targets, int B, int T);
  void ZeroGrad();
  // Global L2 norm of the gradient; scales it down to max_norm if larger (max_norm ≤ 0: no clip).
  float ClipGradients(float max_norm);
  // One AdamW step (t = 1, 2, …: bias correction).
  void AdamW(float lr, float beta1, float beta2, float eps, float weight_decay, int t);

 private:
  ModelShape shape_;
  std::vector<TensorInfo> layout_;
  std::vector<float> params_, grads_, m_, v_;
  std::vector<float> sin_table_;  // (maxT, C) the sinusoidal code, when pe == Sinusoidal
};

}  // namespace attn::train
