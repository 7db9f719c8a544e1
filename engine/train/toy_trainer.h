// The training lab (issue 14): a tiny GPT-2-style decoder trained live on a toy task, so the
// student watches attention heads being learned — a previous-token head, then an induction head.
//
// Everything the UI needs is here; the network (toy_model.h) and the tasks (toy_tasks.h) are
// behind it. The API is immediate and time-sliceable: the UI calls Step() for a few
// milliseconds per frame and reads the cheap accessors whenever it draws.
//
//   train::ToyTrainer t(train::DefaultConfig(train::Task::Induction));
//   while (t.step() < 2000) t.Step(10);        // or: per frame, Step() until ~5 ms are used
//   t.last_loss(); t.accuracy(); t.history(); t.events(); t.probe(); t.scores();
//
// Deterministic: the same ToyConfig (seed included) gives the same numbers, natively and in
// the browser (own RNG, no std:: distributions; transcendental functions differ by a few ULPs
// between libm's, far below what the tests compare).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace attn::train {

//-----------------------------------------------------------------------------
// [SECTION] Configuration
//-----------------------------------------------------------------------------

enum class Task {
  Induction,   // a random successor order walked with random jumps: continue what repeats
  Order,       // two markers A and B among random symbols: which came first? (needs positions)
  TwoLookups,  // the symbols right after marker A and after marker B: output the pair (x, y)
};
enum class PosEncoding { Learned, Sinusoidal, None };

struct ToyConfig {
  Task task = Task::Induction;
  // Network: GPT-2's block (pre-LayerNorm, causal or bidirectional multi-head attention, tanh-GELU
  // MLP 4×, residuals), final LayerNorm, output head tied to the token embedding.
  int layers = 2;          // 1..4
  int heads = 2;           // 1..8, must divide d_model
  int d_model = 32;        // 16..64
  PosEncoding pe = PosEncoding::Learned;
  bool bidirectional = false;
  // Task shape: 0 takes the task's default (DefaultConfig fills them in).
  int symbols = 0;         // ordinary symbols: induction 8..64, order 8..61, two-lookups 4..7 (vocabulary ≤ 64)
  int seq_len = 0;         // context T, ≤ 64
  // Optimiser: AdamW, weight decay on the matrices only (not LayerNorm, biases, embeddings).
  int batch = 32;
  float lr = 3e-3f;
  float beta1 = 0.9f, beta2 = 0.95f;
  float weight_decay = 0.1f;
  float grad_clip = 1.0f;  // global gradient-norm clip; ≤ 0: off
  int warmup = 0;          // steps of linear lr warm-up
  uint64_t seed = 1;       // weights and data
  // Recording: a history point (and head scores on the probe) every `every` steps.
  int every = 25;
  float head_threshold = 0.5f;  // a head "forms" when its score first reaches this
};

// The lab's defaults for a task (chosen so the effect shows within seconds; toy_trainer.cpp
// says why). `seq_len`/`symbols` are filled in.
ToyConfig DefaultConfig(Task task);

// "induction" | "order" | "two-lookups", "learned" | "sin" | "none" (false: unknown name).
bool ParseTask(const std::string& name, Task* out);
bool ParsePosEncoding(const std::string& name, PosEncoding* out);
const char* TaskName(Task t);
const char* PosEncodingName(PosEncoding p);

// Clamps every field into its documented range and fills the task defaults; the trainer
// uses the result (read it back with ToyTrainer::config()).
ToyConfig Sanitized(ToyConfig c);

//-----------------------------------------------------------------------------
// [SECTION] What the trainer reports
//-----------------------------------------------------------------------------

// One head's scores on the probe sequence (the definitions of tools/train/evaluate.py, in
// session/head_stats.h): prev_token = mean over query p ≥ 1 of w(p, p−1); induction = mean
// over the second copy's queries i (repeating position j) of w(i, j+1).
struct HeadScore {
  int layer = 0, head = 0;
  float prev_token = 0.0f;
  float induction = 0.0f;
};

struct HistoryPoint {
  int step = 0;
  float loss = 0.0f;       // mean of the training loss since the previous point
  float accuracy = 0.0f;   // mean training accuracy (argmax = target on scored positions) since then
  std::vector<HeadScore> heads;  // layer-major, on the probe, after `step` steps
};

// "At step S head L·H started looking at the previous symbol": the first history point at which
// a head's score reached config.head_threshold. Data only; the UI words it.
enum class EventKind { PrevTokenHead, InductionHead, AccuracyReached90 };
struct Event {
  int step = 0;
  int layer = -1, head = -1;  // −1 for AccuracyReached90
  EventKind kind = EventKind::PrevTokenHead;
  float value = 0.0f;         // the score (or accuracy) at that point
};

// The fixed probe sequence of the task and every head's attention on it (after the latest step).
struct ProbeAttention {
  int layers = 0, heads = 0, T = 0;
  std::vector<int> tokens;     // (T) token ids; ToyTrainer::TokenLabel names them
  std::vector<int> repeat_of;  // (T) induction probe: earlier position this token repeats, else −1
  std::vector<float> weights;  // (layers, heads, T, T), row = query, column = key
  const float* Map(int layer, int head) const {
    return weights.data() + (static_cast<size_t>(layer) * heads + head) * T * T;
  }
};

//-----------------------------------------------------------------------------
// [SECTION] ToyTrainer
//-----------------------------------------------------------------------------

class ToyModel;  // toy_model.h
class ToyTask;   // toy_tasks.h

class ToyTrainer {
 public:
  explicit ToyTrainer(const ToyConfig& config);
  ~ToyTrainer();
  ToyTrainer(const ToyTrainer&) = delete;
  ToyTrainer& operator=(const ToyTrainer&) = delete;

  // n optimiser steps, a fresh batch each. Allocates nothing, except one history point every
  // config().every steps. ~7 ms per step for the induction default natively (bench --train).
  void Step(int n = 1);

  // Steps until `milliseconds` of wall time have been used (at least one step); returns how
  // many it took. For the UI's frame loop: StepFor(6) keeps a 60 fps page responsive.
  int StepFor(double milliseconds);

  int step() const { return step_; }
  float last_loss() const { return last_loss_; }
  float accuracy() const { return last_accuracy_; }   // of the latest batch
  const std::vector<HistoryPoint>& history() const { return history_; }
  const std::vector<Event>& events() const { return events_; }
  const ToyConfig& config() const { return config_; }
  int vocab() const;                      // symbols + the task's markers
  int parameter_count() const;
  std::string TokenLabel(int token) const;  // "0".."n−1" symbols, "A" "B" "?" markers, "x,y" pair answers

  // Attention on the probe (one forward pass of one sequence: cheap) and its head scores.
  // These and EvaluateAccuracy are const but use the trainer's scratch buffers: one thread.
  ProbeAttention probe() const;
  std::vector<HeadScore> scores() const;

  // Accuracy on `sequences` fresh sequences from a separate, fixed evaluation stream.
  float EvaluateAccuracy(int sequences = 512) const;

 private:
  struct Workspace;  // activations, batch, data RNG (toy_trainer.cpp)
  void Record();

  ToyConfig config_;
  std::unique_ptr<ToyTask> task_;
  std::unique_ptr<ToyModel> model_;
  std::unique_ptr<Workspace> work_;
  int step_ = 0;
  float last_loss_ = 0.0f, last_accuracy_ = 0.0f;
  double loss_sum_ = 0.0, accuracy_sum_ = 0.0;  // since the last history point
  int since_point_ = 0;
  std::vector<HistoryPoint> history_;
  std::vector<Event> events_;
};

}  // namespace attn::train
