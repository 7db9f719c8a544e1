#include "train/toy_model.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

#include "lab/positional_encoding.h"
#include "train/rng.h"

namespace attn::train {

namespace {
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;
using RowVectorMap = Eigen::Map<Eigen::RowVectorXf>;
using ConstRowVectorMap = Eigen::Map<const Eigen::RowVectorXf>;
}  // namespace

//-----------------------------------------------------------------------------
// [SECTION] Parameter layout
//-----------------------------------------------------------------------------

std::vector<TensorInfo> Layout(const ModelShape& s) {
  const size_t V = s.vocab, C = s.d_model, L = s.layers, T = s.max_T;
  const bool learned = s.pe == PosEncoding::Learned;
  const struct { const char* name; size_t size; bool decay; } spec[] = {
      {"wte", V * C, false},         {"wpe", learned ? T * C : 0, false},
      {"ln1w", L * C, false},        {"ln1b", L * C, false},
      {"qkvw", L * 3 * C * C, true}, {"qkvb", L * 3 * C, false},
      {"attprojw", L * C * C, true}, {"attprojb", L * C, false},
      {"ln2w", L * C, false},        {"ln2b", L * C, false},
      {"fcw", L * 4 * C * C, true},  {"fcb", L * 4 * C, false},
      {"fcprojw", L * C * 4 * C, true}, {"fcprojb", L * C, false},
      {"lnfw", C, false},            {"lnfb", C, false},
  };
  std::vector<TensorInfo> out;
  size_t offset = 0;
  for (const auto& t : spec) {
    out.push_back({t.name, offset, t.size, t.decay});
    offset += t.size;
  }
  return out;
}

ParameterTensors PointTensors(const ModelShape& s, float* buffer) {
  const std::vector<TensorInfo> layout = Layout(s);
  ParameterTensors p;
  float** order[] = {&p.wte, &p.wpe, &p.ln1w, &p.ln1b, &p.qkvw, &p.qkvb, &p.attprojw, &p.attprojb,
                     &p.ln2w, &p.ln2b, &p.fcw, &p.fcb, &p.fcprojw, &p.fcprojb, &p.lnfw, &p.lnfb};
  for (size_t i = 0; i < layout.size(); ++i)
    *order[i] = layout[i].size ? buffer + layout[i].offset : nullptr;
  return p;
}

void Activations::Resize(const ModelShape& s, int B_, int T_) {
  B = B_;
  T = T_;
  const size_t BT = static_cast<size_t>(B) * T, C = s.d_model, L = s.layers;
  encoded.assign(BT * C, 0.0f);
  for (auto* v : {&ln1, &atty, &residual2, &ln2, &residual3}) v->assign(L * BT * C, 0.0f);
  for (auto* v : {&ln1_mean, &ln1_rstd, &ln2_mean, &ln2_rstd}) v->assign(L * BT, 0.0f);
  qkv.assign(L * BT * 3 * C, 0.0f);
  att.assign(L * B * s.heads * static_cast<size_t>(T) * T, 0.0f);
  fch.assign(L * BT * 4 * C, 0.0f);
  fch_gelu.assign(L * BT * 4 * C, 0.0f);
  lnf.assign(BT * C, 0.0f);
  lnf_mean.assign(BT, 0.0f);
  lnf_rstd.assign(BT, 0.0f);
  probs.assign(BT * s.vocab, 0.0f);
  losses.assign(BT, 0.0f);
  dresidual.assign(BT * C, 0.0f);
  dtmp.assign(BT * C, 0.0f);
  dqkv.assign(BT * 3 * C, 0.0f);
  dfch.assign(BT * 4 * C, 0.0f);
  dpreatt.assign(T, 0.0f);
}

//-----------------------------------------------------------------------------
// [SECTION] Layers: forward and backward
//-----------------------------------------------------------------------------
// N = B·T rows. Every Backward ADDS into the gradients it is given (parameters and inputs), so
// a residual connection is just two layers adding into the same dinp.

// tokens (N) → out (N,C) = wte[token] + pos[t]; pos = learned wpe, the sine table, or nothing.
static void EncoderForward(float* out, const int* tokens, const float* wte, const float* pos, int B,
                           int T, int C) {
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      float* o = out + (static_cast<size_t>(b) * T + t) * C;
      const float* e = wte + static_cast<size_t>(tokens[b * T + t]) * C;
      for (int c = 0; c < C; ++c) o[c] = e[c] + (pos ? pos[static_cast<size_t>(t) * C + c] : 0.0f);
    }
}

static void EncoderBackward(float* dwte, float* dwpe, const float* dout, const int* tokens, int B, int T,
                            int C) {
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t) {
      const float* d = dout + (static_cast<size_t>(b) * T + t) * C;
      float* de = dwte + static_cast<size_t>(tokens[b * T + t]) * C;
      for (int c = 0; c < C; ++c) de[c] += d[c];
      if (dwpe)
        for (int c = 0; c < C; ++c) dwpe[static_cast<size_t>(t) * C + c] += d[c];
    }
}

// inp (N,C) → out (N,C) = (x − mean) · rstd · w + b; keeps mean, rstd (N) for the backward.
static void LayerNormForward(float* out, float* mean, float* rstd, const float* inp, const float* w,
                             const float* b, int N, int C) {
  constexpr float kEps = 1e-5f;
  for (int n = 0; n < N; ++n) {
    const float* x = inp + static_cast<size_t>(n) * C;
    float m = 0.0f;
    for (int c = 0; c < C; ++c) m += x[c];
    m /= C;
    float var = 0.0f;
    for (int c = 0; c < C; ++c) var += (x[c] - m) * (x[c] - m);
    const float s = 1.0f / std::sqrt(var / C + kEps);
    float* o = out + static_cast<size_t>(n) * C;
    for (int c = 0; c < C; ++c) o[c] = (x[c] - m) * s * w[c] + b[c];
    mean[n] = m;
    rstd[n] = s;
  }
}

// With x̂ = (x − mean)·rstd and g = dout·w:  dx = rstd · (g − mean(g) − x̂ · mean(g·x̂)).
static void LayerNormBackward(float* dinp, float* dw, float* db, const float* dout, const float* inp,
                              const float* w, const float* mean, const float* rstd, int N, int C) {
  for (int n = 0; n < N; ++n) {
    const float* x = inp + static_cast<size_t>(n) * C;
    const float* d = dout + static_cast<size_t>(n) * C;
    float* dx = dinp + static_cast<size_t>(n) * C;
    float g_mean = 0.0f, gx_mean = 0.0f;
    for (int c = 0; c < C; ++c) {
      const float xhat = (x[c] - mean[n]) * rstd[n];
      const float g = d[c] * w[c];
      g_mean += g;
      gx_mean += g * xhat;
    }
    g_mean /= C;
    gx_mean /= C;
    for (int c = 0; c < C; ++c) {
      const float xhat = (x[c] - mean[n]) * rstd[n];
      db[c] += d[c];
      dw[c] += xhat * d[c];
      dx[c] += rstd[n] * (d[c] * w[c] - g_mean - xhat * gx_mean);
    }
  }
}

// inp (N,C) → out (N,OC) = inp · wᵀ + bias;  w (OC,C), bias (OC) or nullptr. Eigen does the
// blocking and SIMD; these are the only dense products besides attention.
static void MatmulForward(float* out, const float* inp, const float* w, const float* bias, int N, int C,
                          int OC) {
  MatrixMap o(out, N, OC);
  o.noalias() = ConstMatrixMap(inp, N, C) * ConstMatrixMap(w, OC, C).transpose();
  if (bias) o.rowwise() += ConstRowVectorMap(bias, OC);
}

// dinp (N,C) += dout · w;  dw (OC,C) += doutᵀ · inp;  dbias (OC) += Σ_n dout.
static void MatmulBackward(float* dinp, float* dw, float* dbias, const float* dout, const float* inp,
                           const float* w, int N, int C, int OC) {
  const ConstMatrixMap d(dout, N, OC);
  MatrixMap(dinp, N, C).noalias() += d * ConstMatrixMap(w, OC, C);
  MatrixMap(dw, OC, C).noalias() += d.transpose() * ConstMatrixMap(inp, N, C);
  if (dbias) RowVectorMap(dbias, OC) += d.colwise().sum();
}

// qkv (B,T,3C) → out (B,T,C), att (B,NH,T,T):  out_h = softmax(q_h k_hᵀ / √d_h + mask) v_h, per
// head h (its d_h = C/NH columns of q, k and v). Causal: query i sees keys j ≤ i; bidirectional:
// all. Masked weights are stored as 0.
static void AttentionForward(float* out, float* att, const float* qkv, int B, int T, int C, int NH,
                             bool causal) {
  const int hd = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  const size_t row = 3 * static_cast<size_t>(C);
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h)
      for (int i = 0; i < T; ++i) {
        const float* q = qkv + (static_cast<size_t>(b) * T + i) * row + h * hd;
        float* w = att + ((static_cast<size_t>(b) * NH + h) * T + i) * T;
        const int last = causal ? i : T - 1;
        float max_score = -INFINITY;
        for (int j = 0; j <= last; ++j) {  // scores: q·k / √d
          const float* k = qkv + (static_cast<size_t>(b) * T + j) * row + C + h * hd;
          float s = 0.0f;
          for (int d = 0; d < hd; ++d) s += q[d] * k[d];
          w[j] = s * scale;
          max_score = std::max(max_score, w[j]);
        }
        float sum = 0.0f;  // softmax over the visible keys
        for (int j = 0; j <= last; ++j) {
          w[j] = std::exp(w[j] - max_score);
          sum += w[j];
        }
        for (int j = 0; j <= last; ++j) w[j] /= sum;
        for (int j = last + 1; j < T; ++j) w[j] = 0.0f;
        float* o = out + (static_cast<size_t>(b) * T + i) * C + h * hd;  // Σ_j w_j v_j
        for (int d = 0; d < hd; ++d) o[d] = 0.0f;
        for (int j = 0; j <= last; ++j) {
          const float* v = qkv + (static_cast<size_t>(b) * T + j) * row + 2 * C + h * hd;
          for (int d = 0; d < hd; ++d) o[d] += w[j] * v[d];
        }
      }
}

// dout (B,T,C) → dqkv (B,T,3C) +=. For one query row with weights w = softmax(s):
//   dw_j = dout·v_j;  ds_j = w_j (dw_j − Σ_k w_k dw_k);  dq += Σ_j ds_j k_j/√d;
//   dk_j += ds_j q/√d;  dv_j += w_j dout.
static void AttentionBackward(float* dqkv, float* dpreatt, const float* dout, const float* qkv,
                              const float* att, int B, int T, int C, int NH, bool causal) {
  const int hd = C / NH;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  const size_t row = 3 * static_cast<size_t>(C);
  for (int b = 0; b < B; ++b)
    for (int h = 0; h < NH; ++h)
      for (int i = 0; i < T; ++i) {
        const float* w = att + ((static_cast<size_t>(b) * NH + h) * T + i) * T;
        const float* d_o = dout + (static_cast<size_t>(b) * T + i) * C + h * hd;
        const float* q = qkv + (static_cast<size_t>(b) * T + i) * row + h * hd;
        float* dq = dqkv + (static_cast<size_t>(b) * T + i) * row + h * hd;
        const int last = causal ? i : T - 1;
        float dot = 0.0f;  // Σ_k w_k dw_k
        for (int j = 0; j <= last; ++j) {
          const float* v = qkv + (static_cast<size_t>(b) * T + j) * row + 2 * C + h * hd;
          float* dv = dqkv + (static_cast<size_t>(b) * T + j) * row + 2 * C + h * hd;
          float dw = 0.0f;
          for (int d = 0; d < hd; ++d) {
            dw += d_o[d] * v[d];
            dv[d] += w[j] * d_o[d];
          }
          dpreatt[j] = dw;
          dot += w[j] * dw;
        }
        for (int j = 0; j <= last; ++j) {
          const float ds = w[j] * (dpreatt[j] - dot) * scale;
          const float* k = qkv + (static_cast<size_t>(b) * T + j) * row + C + h * hd;
          float* dk = dqkv + (static_cast<size_t>(b) * T + j) * row + C + h * hd;
          for (int d = 0; d < hd; ++d) {
            dq[d] += ds * k[d];
            dk[d] += ds * q[d];
          }
        }
      }
}

// GPT-2's tanh approximation: GELU(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³))).  (N) → (N)
static constexpr float kGeluScale = 0.7978845608028654f;  // √(2/π)

// tanh through one expf: (e^{2u} − 1)/(e^{2u} + 1). glibc's tanhf goes through expm1f and took
// half of a training step; this is within ~1e-7 of it (absolute), far below what training or the
// tests can see. |u| > 9 saturates (tanh(9) = 1 − 3e-8).
static inline float Tanh(float u) {
  u = std::clamp(u, -9.0f, 9.0f);
  const float e = std::exp(2.0f * u);
  return (e - 1.0f) / (e + 1.0f);
}
static void GeluForward(float* out, const float* inp, size_t N) {
  for (size_t i = 0; i < N; ++i) {
    const float x = inp[i];
    out[i] = 0.5f * x * (1.0f + Tanh(kGeluScale * (x + 0.044715f * x * x * x)));
  }
}

// d (N): on entry d/d(out), on return d/d(inp) = d · GELU'(inp) (in place: no extra buffer).
static void GeluBackward(float* d, const float* inp, size_t N) {
  for (size_t i = 0; i < N; ++i) {
    const float x = inp[i];
    const float th = Tanh(kGeluScale * (x + 0.044715f * x * x * x));
    const float du = kGeluScale * (1.0f + 3.0f * 0.044715f * x * x);
    d[i] *= 0.5f * (1.0f + th) + 0.5f * x * (1.0f - th * th) * du;
  }
}

// logits (N,V) → probs (N,V) in place; losses (N) = −ln p(target) where target ≥ 0.
static void SoftmaxCrossEntropyForward(float* probs, float* losses, const int* targets, int N, int V,
                                       int* correct, int* scored) {
  for (int n = 0; n < N; ++n) {
    float* p = probs + static_cast<size_t>(n) * V;
    int best = 0;
    float max_logit = p[0];
    for (int v = 1; v < V; ++v)
      if (p[v] > max_logit) { max_logit = p[v]; best = v; }
    float sum = 0.0f;
    for (int v = 0; v < V; ++v) {
      p[v] = std::exp(p[v] - max_logit);
      sum += p[v];
    }
    for (int v = 0; v < V; ++v) p[v] /= sum;
    losses[n] = 0.0f;
    if (targets[n] < 0) continue;
    losses[n] = -std::log(std::max(p[targets[n]], 1e-30f));
    *scored += 1;
    *correct += best == targets[n];
  }
}

// probs (N,V) → dlogits (N,V) in place: (p − onehot(target)) / scored, 0 on unscored rows.
static void SoftmaxCrossEntropyBackward(float* probs, const int* targets, int N, int V, int scored) {
  const float inv = scored > 0 ? 1.0f / scored : 0.0f;
  for (int n = 0; n < N; ++n) {
    float* p = probs + static_cast<size_t>(n) * V;
    if (targets[n] < 0) {
      std::fill(p, p + V, 0.0f);
      continue;
    }
    for (int v = 0; v < V; ++v) p[v] *= inv;
    p[targets[n]] -= inv;
  }
}

//-----------------------------------------------------------------------------
// [SECTION] The model
//-----------------------------------------------------------------------------

ToyModel::ToyModel(const ModelShape& shape, uint64_t seed) : shape_(shape), layout_(Layout(shape)) {
  const size_t n = layout_.back().offset + layout_.back().size;
  params_.assign(n, 0.0f);
  grads_.assign(n, 0.0f);
  m_.assign(n, 0.0f);
  v_.assign(n, 0.0f);
  if (shape.pe == PosEncoding::Sinusoidal) {
    const Eigen::MatrixXf pe = lab::SinusoidalEncoding(shape.max_T, shape.d_model);
    sin_table_.resize(static_cast<size_t>(shape.max_T) * shape.d_model);
    for (int t = 0; t < shape.max_T; ++t)
      for (int c = 0; c < shape.d_model; ++c) sin_table_[static_cast<size_t>(t) * shape.d_model + c] = pe(t, c);
  }
  // Initialisation, drawn uniform (no transcendental functions: the same bits everywhere).
  // Matrices: PyTorch's nn.Linear default, U(±1/√fan_in). GPT-2's σ 0.02 is tuned for d = 768;
  // at d = 32 it makes q·k so small that attention stays uniform for hundreds of steps (the
  // gradient of each of W_q, W_k is proportional to the other). Embeddings σ 0.1, LayerNorm
  // gains 1, biases 0.
  Rng rng(seed ^ 0x5EEDC0DEull);
  for (const TensorInfo& t : layout_) {
    const int fan_in = t.name == "fcprojw" ? 4 * shape.d_model : shape.d_model;
    float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
    if (t.name == "wte" || t.name == "wpe") bound = 0.1f * std::sqrt(3.0f);
    float* p = params_.data() + t.offset;
    const bool gain = t.name == "ln1w" || t.name == "ln2w" || t.name == "lnfw";
    const bool bias = !gain && (t.name.back() == 'b');
    for (size_t i = 0; i < t.size; ++i) p[i] = gain ? 1.0f : bias ? 0.0f : rng.Symmetric(bound);
  }
}

float ToyModel::Forward(Activations& a, const int* tokens, const int* targets, int B, int T, int* correct,
                        int* scored) const {
  const ModelShape& s = shape_;
  const int C = s.d_model, L = s.layers, NH = s.heads, V = s.vocab, N = B * T;
  const ParameterTensors p = PointTensors(s, const_cast<float*>(params_.data()));
  const size_t NC = static_cast<size_t>(N) * C;
  const float* pos = s.pe == PosEncoding::Learned ? p.wpe : s.pe == PosEncoding::Sinusoidal ? sin_table_.data() : nullptr;
  EncoderForward(a.encoded.data(), tokens, p.wte, pos, B, T, C);
  // Slices of the activations are laid out for a.B × a.T; a smaller batch uses their start.
  const size_t lstride = static_cast<size_t>(a.B) * a.T;
  for (int l = 0; l < L; ++l) {
    const float* residual = l == 0 ? a.encoded.data() : a.residual3.data() + (l - 1) * lstride * C;
    float* ln1 = a.ln1.data() + l * lstride * C;
    float* qkv = a.qkv.data() + l * lstride * 3 * C;
    float* atty = a.atty.data() + l * lstride * C;
    float* att = a.att.data() + l * static_cast<size_t>(a.B) * NH * a.T * a.T;
    float* res2 = a.residual2.data() + l * lstride * C;
    float* ln2 = a.ln2.data() + l * lstride * C;
    float* fch = a.fch.data() + l * lstride * 4 * C;
    float* gelu = a.fch_gelu.data() + l * lstride * 4 * C;
    float* res3 = a.residual3.data() + l * lstride * C;
    LayerNormForward(ln1, a.ln1_mean.data() + l * lstride, a.ln1_rstd.data() + l * lstride, residual,
                     p.ln1w + l * C, p.ln1b + l * C, N, C);
    MatmulForward(qkv, ln1, p.qkvw + static_cast<size_t>(l) * 3 * C * C, p.qkvb + l * 3 * C, N, C, 3 * C);
    AttentionForward(atty, att, qkv, B, T, C, NH, !s.bidirectional);
    MatmulForward(res2, atty, p.attprojw + static_cast<size_t>(l) * C * C, p.attprojb + l * C, N, C, C);
    for (size_t i = 0; i < NC; ++i) res2[i] += residual[i];
    LayerNormForward(ln2, a.ln2_mean.data() + l * lstride, a.ln2_rstd.data() + l * lstride, res2,
                     p.ln2w + l * C, p.ln2b + l * C, N, C);
    MatmulForward(fch, ln2, p.fcw + static_cast<size_t>(l) * 4 * C * C, p.fcb + l * 4 * C, N, C, 4 * C);
    GeluForward(gelu, fch, NC * 4);
    MatmulForward(res3, gelu, p.fcprojw + static_cast<size_t>(l) * 4 * C * C, p.fcprojb + l * C, N, 4 * C, C);
    for (size_t i = 0; i < NC; ++i) res3[i] += res2[i];
  }
  const float* last = L ? a.residual3.data() + (L - 1) * lstride * C : a.encoded.data();
  LayerNormForward(a.lnf.data(), a.lnf_mean.data(), a.lnf_rstd.data(), last, p.lnfw, p.lnfb, N, C);
  MatmulForward(a.probs.data(), a.lnf.data(), p.wte, nullptr, N, C, V);  // tied head: logits = lnf · wteᵀ
  int hit = 0, count = 0;
  SoftmaxCrossEntropyForward(a.probs.data(), a.losses.data(), targets, N, V, &hit, &count);
  if (correct) *correct = hit;
  if (scored) *scored = count;
  double sum = 0.0;
  for (int n = 0; n < N; ++n) sum += a.losses[n];
  return count ? static_cast<float>(sum / count) : 0.0f;
}

void ToyModel::Backward(Activations& a, const int* tokens, const int* targets, int B, int T) {
  const ModelShape& s = shape_;
  const int C = s.d_model, L = s.layers, NH = s.heads, V = s.vocab, N = B * T;
  const ParameterTensors p = PointTensors(s, params_.data());
  const ParameterTensors g = PointTensors(s, grads_.data());
  const size_t NC = static_cast<size_t>(N) * C;
  const size_t lstride = static_cast<size_t>(a.B) * a.T;
  int scored = 0;
  for (int n = 0; n < N; ++n) scored += targets[n] >= 0;
  SoftmaxCrossEntropyBackward(a.probs.data(), targets, N, V, scored);
  float* dres = a.dresidual.data();
  float* dtmp = a.dtmp.data();
  std::fill(dtmp, dtmp + NC, 0.0f);
  MatmulBackward(dtmp, g.wte, nullptr, a.probs.data(), a.lnf.data(), p.wte, N, C, V);
  std::fill(dres, dres + NC, 0.0f);
  const float* last = L ? a.residual3.data() + (L - 1) * lstride * C : a.encoded.data();
  LayerNormBackward(dres, g.lnfw, g.lnfb, dtmp, last, p.lnfw, a.lnf_mean.data(), a.lnf_rstd.data(), N, C);
  for (int l = L - 1; l >= 0; --l) {
    const float* residual = l == 0 ? a.encoded.data() : a.residual3.data() + (l - 1) * lstride * C;
    const float* ln1 = a.ln1.data() + l * lstride * C;
    const float* qkv = a.qkv.data() + l * lstride * 3 * C;
    const float* atty = a.atty.data() + l * lstride * C;
    const float* att = a.att.data() + l * static_cast<size_t>(a.B) * NH * a.T * a.T;
    const float* res2 = a.residual2.data() + l * lstride * C;
    const float* ln2 = a.ln2.data() + l * lstride * C;
    const float* fch = a.fch.data() + l * lstride * 4 * C;
    const float* gelu = a.fch_gelu.data() + l * lstride * 4 * C;
    // dres holds d/d(res3). MLP: res3 = res2 + fcproj(gelu(fc(ln2(res2)))).
    float* dfch = a.dfch.data();
    std::fill(dfch, dfch + NC * 4, 0.0f);
    MatmulBackward(dfch, g.fcprojw + static_cast<size_t>(l) * 4 * C * C, g.fcprojb + l * C, dres, gelu,
                   p.fcprojw + static_cast<size_t>(l) * 4 * C * C, N, 4 * C, C);
    GeluBackward(dfch, fch, NC * 4);
    std::fill(dtmp, dtmp + NC, 0.0f);
    MatmulBackward(dtmp, g.fcw + static_cast<size_t>(l) * 4 * C * C, g.fcb + l * 4 * C, dfch, ln2,
                   p.fcw + static_cast<size_t>(l) * 4 * C * C, N, C, 4 * C);
    LayerNormBackward(dres, g.ln2w + l * C, g.ln2b + l * C, dtmp, res2, p.ln2w + l * C,
                      a.ln2_mean.data() + l * lstride, a.ln2_rstd.data() + l * lstride, N, C);
    // dres now holds d/d(res2). Attention: res2 = residual + attproj(attn(qkv(ln1(residual)))).
    std::fill(dtmp, dtmp + NC, 0.0f);  // d/d(atty)
    MatmulBackward(dtmp, g.attprojw + static_cast<size_t>(l) * C * C, g.attprojb + l * C, dres, atty,
                   p.attprojw + static_cast<size_t>(l) * C * C, N, C, C);
    float* dqkv = a.dqkv.data();
    std::fill(dqkv, dqkv + NC * 3, 0.0f);
    AttentionBackward(dqkv, a.dpreatt.data(), dtmp, qkv, att, B, T, C, NH, !s.bidirectional);
    std::fill(dtmp, dtmp + NC, 0.0f);  // d/d(ln1)
    MatmulBackward(dtmp, g.qkvw + static_cast<size_t>(l) * 3 * C * C, g.qkvb + l * 3 * C, dqkv, ln1,
                   p.qkvw + static_cast<size_t>(l) * 3 * C * C, N, C, 3 * C);
    LayerNormBackward(dres, g.ln1w + l * C, g.ln1b + l * C, dtmp, residual, p.ln1w + l * C,
                      a.ln1_mean.data() + l * lstride, a.ln1_rstd.data() + l * lstride, N, C);
  }
  EncoderBackward(g.wte, g.wpe, dres, tokens, B, T, C);
}

void ToyModel::ZeroGrad() { std::fill(grads_.begin(), grads_.end(), 0.0f); }

float ToyModel::ClipGradients(float max_norm) {
  double sq = 0.0;
  for (float g : grads_) sq += static_cast<double>(g) * g;
  const float norm = static_cast<float>(std::sqrt(sq));
  if (max_norm > 0.0f && norm > max_norm) {
    const float k = max_norm / norm;
    for (float& g : grads_) g *= k;
  }
  return norm;
}

void ToyModel::AdamW(float lr, float beta1, float beta2, float eps, float weight_decay, int t) {
  const float c1 = 1.0f - std::pow(beta1, static_cast<float>(t));
  const float c2 = 1.0f - std::pow(beta2, static_cast<float>(t));
  for (const TensorInfo& info : layout_) {
    const float wd = info.decay ? weight_decay : 0.0f;
    float* p = params_.data() + info.offset;
    const float* g = grads_.data() + info.offset;
    float* m = m_.data() + info.offset;
    float* v = v_.data() + info.offset;
    for (size_t i = 0; i < info.size; ++i) {
      m[i] = beta1 * m[i] + (1.0f - beta1) * g[i];
      v[i] = beta2 * v[i] + (1.0f - beta2) * g[i] * g[i];
      const float mhat = m[i] / c1, vhat = v[i] / c2;
      p[i] -= lr * (mhat / (std::sqrt(vhat) + eps) + wd * p[i]);
    }
  }
}

}  // namespace attn::train
