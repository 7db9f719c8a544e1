#include "train/toy_trainer.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "session/head_stats.h"
#include "train/toy_model.h"
#include "train/toy_tasks.h"

namespace attn::train {

//-----------------------------------------------------------------------------
// [SECTION] Configuration
//-----------------------------------------------------------------------------

// The defaults, measured (native, one thread; see the branch's report for the numbers):
//   induction    2 layers × 2 heads, d 32, 16 symbols, T 32, batch 32, AdamW lr 3e-3 (β 0.9/0.95,
//                wd 0.1), learned positions. A previous-token head (layer 0) and induction heads
//                (layer 1, score ≥ 0.5) form together at steps ~400–700 (seeds 1–6), a few
//                seconds of training. Two layers is the minimum for the circuit; 2 heads leave a
//                spare in each layer; 16 symbols keep repeats frequent within 32 positions; lr
//                6e-3 stalled on the plateau in our runs, 3e-3 did not; batch 16 was slower in steps.
//   order        2 × 2, d 32, 8 symbols + A B ?, T 12: 100 % within ~250 steps with positions
//                (learned or sine) and also without them under the causal mask (A sees whether
//                B came before it); without positions and bidirectional it stays at 50 %.
//   two-lookups  2 layers × 4 heads, d 32, 6 symbols (36 pair answers), T 32. Measured: 4 heads pass
//                90 % at step ~1300 (97.6 % at 1500), 1 head is still at 6.7 % (chance 2.8 %) at
//                1500 and 52 % at 2000, and passes 90 % only at ~2250: a delay of ~1000 steps, not
//                a ceiling. With T 12 (few distractors) 1 head learns it as fast as 4 (~300 steps):
//                the gap comes from one softmax having to stay sharp on two places among many.
ToyConfig DefaultConfig(Task task) {
  ToyConfig c;
  c.task = task;
  switch (task) {
    case Task::Induction:
      c.symbols = 16;
      c.seq_len = 32;
      break;
    case Task::Order:
      c.symbols = 8;
      c.seq_len = 12;
      break;
    case Task::TwoLookups:
      c.symbols = 6;
      c.seq_len = 32;
      c.heads = 4;
      break;
  }
  return Sanitized(c);
}

bool ParseTask(const std::string& name, Task* out) {
  if (name == "induction") *out = Task::Induction;
  else if (name == "order") *out = Task::Order;
  else if (name == "two-lookups") *out = Task::TwoLookups;
  else return false;
  return true;
}

bool ParsePosEncoding(const std::string& name, PosEncoding* out) {
  if (name == "learned") *out = PosEncoding::Learned;
  else if (name == "sin") *out = PosEncoding::Sinusoidal;
  else if (name == "none") *out = PosEncoding::None;
  else return false;
  return true;
}

const char* TaskName(Task t) {
  switch (t) {
    case Task::Induction: return "induction";
    case Task::Order: return "order";
    case Task::TwoLookups: return "two-lookups";
  }
  return "?";
}

const char* PosEncodingName(PosEncoding p) {
  switch (p) {
    case PosEncoding::Learned: return "learned";
    case PosEncoding::Sinusoidal: return "sin";
    case PosEncoding::None: return "none";
  }
  return "?";
}

ToyConfig Sanitized(ToyConfig c) {
  c.layers = std::clamp(c.layers, 1, 4);
  c.d_model = std::clamp(c.d_model, 16, 64) & ~1;  // even: the sine code pairs dimensions
  c.heads = std::clamp(c.heads, 1, 8);
  while (c.d_model % c.heads) --c.heads;            // heads must split d_model evenly
  if (c.symbols <= 0) c.symbols = c.task == Task::Induction ? 16 : c.task == Task::Order ? 8 : 6;
  // The vocabulary stays ≤ 64: order adds 3 tokens, two-lookups 3 + symbols² answers.
  c.symbols = std::clamp(c.symbols, c.task == Task::TwoLookups ? 4 : 8,
                         c.task == Task::Induction ? 64 : c.task == Task::Order ? 61 : 7);
  if (c.seq_len <= 0) c.seq_len = c.task == Task::Induction ? 32 : 12;
  c.seq_len = std::clamp(c.seq_len, c.task == Task::Induction ? 8 : 6, 64);
  c.batch = std::clamp(c.batch, 1, 256);
  c.lr = std::clamp(c.lr, 1e-5f, 0.1f);
  c.beta1 = std::clamp(c.beta1, 0.0f, 0.999f);
  c.beta2 = std::clamp(c.beta2, 0.0f, 0.9999f);
  c.weight_decay = std::clamp(c.weight_decay, 0.0f, 1.0f);
  c.warmup = std::max(c.warmup, 0);
  c.every = std::max(c.every, 1);
  return c;
}

//-----------------------------------------------------------------------------
// [SECTION] ToyTrainer
//-----------------------------------------------------------------------------

struct ToyTrainer::Workspace {
  Activations train, probe;
  std::vector<int> tokens, targets;               // (B,T) the current batch
  std::vector<int> probe_tokens, probe_repeat_of;  // (T)
  std::vector<int> probe_targets;                 // (T) all −1
  Rng data;
  explicit Workspace(uint64_t seed) : data(seed) {}
};

static ModelShape ShapeOf(const ToyConfig& c, int vocab) {
  ModelShape s;
  s.vocab = vocab;
  s.max_T = c.seq_len;
  s.d_model = c.d_model;
  s.layers = c.layers;
  s.heads = c.heads;
  s.pe = c.pe;
  s.bidirectional = c.bidirectional;
  return s;
}

ToyTrainer::ToyTrainer(const ToyConfig& config) : config_(Sanitized(config)) {
  task_ = std::make_unique<ToyTask>(config_);
  const ModelShape shape = ShapeOf(config_, task_->vocab());
  model_ = std::make_unique<ToyModel>(shape, config_.seed);
  work_ = std::make_unique<Workspace>(config_.seed * 0x2545F4914F6CDD1Dull + 1);
  const int T = config_.seq_len;
  work_->train.Resize(shape, config_.batch, T);
  work_->probe.Resize(shape, 1, T);
  work_->tokens.resize(static_cast<size_t>(config_.batch) * T);
  work_->targets.resize(static_cast<size_t>(config_.batch) * T);
  task_->Probe(&work_->probe_tokens, &work_->probe_repeat_of);
  work_->probe_targets.assign(T, -1);
  Record();  // step 0: the untrained model (loss on the evaluation stream's first batch)
}

ToyTrainer::~ToyTrainer() = default;

int ToyTrainer::vocab() const { return task_->vocab(); }
int ToyTrainer::parameter_count() const { return static_cast<int>(model_->params().size()); }
std::string ToyTrainer::TokenLabel(int token) const { return task_->Label(token); }

void ToyTrainer::Step(int n) {
  const int B = config_.batch, T = config_.seq_len;
  Workspace& w = *work_;
  for (int s = 0; s < n; ++s) {
    for (int b = 0; b < B; ++b)
      task_->Sample(w.data, w.tokens.data() + static_cast<size_t>(b) * T, w.targets.data() + static_cast<size_t>(b) * T);
    int correct = 0, scored = 0;
    const float loss = model_->Forward(w.train, w.tokens.data(), w.targets.data(), B, T, &correct, &scored);
    model_->ZeroGrad();
    model_->Backward(w.train, w.tokens.data(), w.targets.data(), B, T);
    model_->ClipGradients(config_.grad_clip);
    ++step_;
    const float lr = config_.warmup > 0 && step_ <= config_.warmup
                         ? config_.lr * static_cast<float>(step_) / config_.warmup
                         : config_.lr;
    model_->AdamW(lr, config_.beta1, config_.beta2, 1e-8f, config_.weight_decay, step_);
    last_loss_ = loss;
    last_accuracy_ = scored ? static_cast<float>(correct) / scored : 0.0f;
    loss_sum_ += loss;
    accuracy_sum_ += last_accuracy_;
    ++since_point_;
    if (step_ % config_.every == 0) Record();
  }
}

int ToyTrainer::StepFor(double milliseconds) {
  const auto start = std::chrono::steady_clock::now();
  int n = 0;
  do {
    Step(1);
    ++n;
  } while (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() < milliseconds);
  return n;
}

ProbeAttention ToyTrainer::probe() const {
  Workspace& w = *work_;
  const int T = config_.seq_len, L = config_.layers, NH = config_.heads;
  model_->Forward(w.probe, w.probe_tokens.data(), w.probe_targets.data(), 1, T);
  ProbeAttention p;
  p.layers = L;
  p.heads = NH;
  p.T = T;
  p.tokens = w.probe_tokens;
  p.repeat_of = w.probe_repeat_of;
  p.weights = w.probe.att;  // (L, 1, NH, T, T) = (L, NH, T, T)
  return p;
}

std::vector<HeadScore> ToyTrainer::scores() const {
  const ProbeAttention p = probe();
  std::vector<HeadScore> out;
  for (int l = 0; l < p.layers; ++l)
    for (int h = 0; h < p.heads; ++h) {
      const float* map = p.Map(l, h);
      HeadScore s;
      s.layer = l;
      s.head = h;
      s.prev_token = session::ComputeHeadStats(map, p.T, p.T).prev_token;
      s.induction = session::InductionScore(map, p.T, p.T, p.repeat_of.data());
      out.push_back(s);
    }
  return out;
}

float ToyTrainer::EvaluateAccuracy(int sequences) const {
  const int B = config_.batch, T = config_.seq_len;
  Workspace& w = *work_;
  Rng rng(config_.seed ^ 0xE7A1E7A1E7A1ull);  // its own stream: the same sequences every call
  std::vector<int> tokens(static_cast<size_t>(B) * T), targets(tokens.size());
  long correct_all = 0, scored_all = 0;
  for (int done = 0; done < sequences; done += B) {
    const int n = std::min(B, sequences - done);
    for (int b = 0; b < n; ++b)
      task_->Sample(rng, tokens.data() + static_cast<size_t>(b) * T, targets.data() + static_cast<size_t>(b) * T);
    int correct = 0, scored = 0;
    model_->Forward(w.train, tokens.data(), targets.data(), n, T, &correct, &scored);
    correct_all += correct;
    scored_all += scored;
  }
  return scored_all ? static_cast<float>(correct_all) / scored_all : 0.0f;
}

void ToyTrainer::Record() {
  HistoryPoint p;
  p.step = step_;
  if (since_point_ > 0) {
    p.loss = static_cast<float>(loss_sum_ / since_point_);
    p.accuracy = static_cast<float>(accuracy_sum_ / since_point_);
  } else {  // step 0: one batch of the evaluation stream through the untrained model
    const int B = config_.batch, T = config_.seq_len;
    Workspace& w = *work_;
    Rng rng(config_.seed ^ 0xE7A1E7A1E7A1ull);
    for (int b = 0; b < B; ++b)
      task_->Sample(rng, w.tokens.data() + static_cast<size_t>(b) * T, w.targets.data() + static_cast<size_t>(b) * T);
    int correct = 0, scored = 0;
    p.loss = model_->Forward(w.train, w.tokens.data(), w.targets.data(), B, T, &correct, &scored);
    p.accuracy = scored ? static_cast<float>(correct) / scored : 0.0f;
    last_loss_ = p.loss;
    last_accuracy_ = p.accuracy;
  }
  p.heads = scores();
  loss_sum_ = accuracy_sum_ = 0.0;
  since_point_ = 0;
  // Events: the first point at which a head's score (or the accuracy) reached the threshold.
  auto seen = [&](EventKind kind, int l, int h) {
    for (const Event& e : events_)
      if (e.kind == kind && e.layer == l && e.head == h) return true;
    return false;
  };
  for (const HeadScore& s : p.heads) {
    if (s.prev_token >= config_.head_threshold && !seen(EventKind::PrevTokenHead, s.layer, s.head))
      events_.push_back({p.step, s.layer, s.head, EventKind::PrevTokenHead, s.prev_token});
    if (s.induction >= config_.head_threshold && !seen(EventKind::InductionHead, s.layer, s.head))
      events_.push_back({p.step, s.layer, s.head, EventKind::InductionHead, s.induction});
  }
  if (p.step > 0 && p.accuracy >= 0.9f && !seen(EventKind::AccuracyReached90, -1, -1))
    events_.push_back({p.step, -1, -1, EventKind::AccuracyReached90, p.accuracy});
  history_.push_back(std::move(p));
}

}  // namespace attn::train
