// The one thing the UI talks to (DESIGN.md, "Data flow"): it owns the loaded model and its
// tokenizer, the sentence being studied and the Trace of running the model on it.
//
//   text ──Tokenizer──▶ token ids ──Model::Forward(ids, Interventions)──▶ Trace
//
// The Trace is recomputed only when the text, the model or the interventions change; panels
// read it every frame for free. Loading a model never loses anything: a broken or wrong file
// leaves the current model, the sentence and the interventions as they were, and the error
// is kept for the UI to show.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "formats/gguf.h"
#include "model/gpt2.h"
#include "model/load_gguf.h"
#include "session/head_patterns.h"
#include "session/memory_budget.h"
#include "session/token_labels.h"
#include "tokenizer/gpt2_tokenizer.h"

namespace attn::session {

struct ModelInfo {
  std::string name;         // general.name, else the file name
  std::string source;       // the path or URL it came from
  std::string weight_type;  // "q8_0", "f32", …
  uint64_t file_bytes = 0;
  uint64_t parameters = 0;  // weights and biases (tied output head counted once)
  model::Config config;
  std::string languages;    // training languages from the GGUF (general.languages), "" when unknown
  bool is_demo = false;     // the bundled demo model (its card says what it can and cannot do)
};

class Session {
 public:
  // Replaces the model if `bytes` hold a GPT-2 GGUF; otherwise returns the error and keeps
  // everything as it was. The trace is recomputed for the current text.
  Status LoadModel(gguf::Bytes bytes, const std::string& source);
  Status LoadModelFile(const std::string& path);

  bool HasModel() const { return model_ != nullptr; }
  // Which model is loaded: 0 before any, then a new number with every model that loads. What
  // panels and caches key on (an address can come back for another model).
  uint64_t model_id() const { return model_id_; }
  const model::Model& model() const { return *model_; }
  const tokenizer::Gpt2Tokenizer& tokenizer() const { return *tokenizer_; }
  const ModelInfo& info() const { return info_; }
  void SetModelSource(const std::string& source) { info_.source = source; }  // e.g. the URL

  // A model on its way: the web page starts the app before the model has downloaded and
  // reports its progress here, so that figures needing a model say "loading, n %" instead of
  // "no model". Cleared when a model loads, or by the page when the download fails.
  struct ModelArrival {
    bool pending = false;
    double loaded = 0, total = 0;  // bytes; total 0 while the size is unknown
  };
  void SetModelArrival(const ModelArrival& a) { arrival_ = a; }
  const ModelArrival& model_arrival() const { return arrival_; }

  // The sentence under study. Texts longer than the context, or than the memory budget allows,
  // are cut (text_cut() and text_error() report it); invalid UTF-8 is kept and shown as U+FFFD by labels.
  void SetText(std::string text);
  static constexpr const char* kDefaultText = "The cat sat on the mat.";  // before anyone types
  const std::string& text() const { return text_; }
  // Appends one token the model chose (11.4's generation): the text grows by its bytes and the
  // tokens by exactly `id`. Encoding the longer text again could split it differently (BPE
  // pieces do not come back unchanged: "ys" + "s" reads as "yss"), and the model would then
  // read something other than what it wrote. Typing a different text encodes it afresh.
  // The new token runs through the KV cache the last trace left (one position, not the whole
  // text), and its trace is appended; the result equals running the longer text afresh.
  void AppendToken(int id);
  // Token positions the model has run in this session: +n for a text of n tokens, +1 for each
  // token appended through the KV cache (what tests and the bench read).
  uint64_t positions_run() const { return positions_run_; }
  void SetPrependEndOfText(bool on);  // <|endoftext|> first: the attention-sink experiment
  bool prepend_end_of_text() const { return prepend_eot_; }
  // Asked for, but this model's vocabulary has no <|endoftext|>: nothing is put in front, and
  // text_failure() says why.
  bool end_of_text_missing();

  void SetInterventions(const model::Interventions& iv);
  const model::Interventions& interventions() const { return interventions_; }

  // Tokens, their labels and the trace of the current text and model; recomputed on demand.
  const std::vector<int>& tokens();
  const std::vector<TokenLabel>& labels();
  const model::Trace& trace();          // attention, all logits, q/k/v: what panels draw
  const std::vector<float>& last_logits();
  uint64_t version();                   // changes whenever tokens or trace change

  // What kind of head each head is on the current sentence (head_patterns.h), layer-major;
  // computed once per version. Every sentence the UI says about heads comes from these.
  const std::vector<HeadPattern>& head_patterns();
  HeadNarration narration();

  // 11.3's untrained twin: a GPT-2 of the loaded model's shape with GPT-2's initialisation
  // (model::RandomInit::kGpt2Init, seed kTwinSeed), built in memory on first use and run on the
  // same tokens (no interventions). Students compare it with the trained model: structure in
  // the attention comes only from training. Models with more than kTwinMaxParameters get no
  // twin: twin_too_big() and nullptr. Drawing GPT-2 small's 124 M weights takes about 10 s on
  // one core (longer in the browser) and a second copy in memory — too long for a frame, so
  // the cap sits between the demo model (16 M) and distilgpt2 (82 M).
  static constexpr uint64_t kTwinMaxParameters = 50000000;
  static constexpr uint64_t kTwinSeed = 20241;
  bool twin_too_big() const { return info_.parameters > kTwinMaxParameters; }
  bool twin_over_budget();  // the twin and its trace would not fit beside the model's own pass
  const model::Trace* twin_trace();
  const std::vector<HeadPattern>* twin_patterns();
  HeadNarration twin_narration();

  // The last failed load: the file's name, why (an Error the UI shows in its language) and,
  // when it was refused for memory, what the model needs (else 0). Cleared by a good load.
  struct LoadFailure {
    std::string file;  // "" when the reason names the file itself (it could not be opened)
    Error error;
    uint64_t refused_bytes = 0;
  };
  const LoadFailure& load_failure() const { return load_failure_; }
  const std::string& load_error() const { return load_error_; }  // the same in English ("file: why"), or ""
  uint64_t load_refused_bytes() const { return load_failure_.refused_bytes; }
  // Keeps a failed load after the app fell back to another model (a broken --model at start,
  // then the bundled one): the student still sees why their file is not the one shown.
  void KeepLoadFailure(LoadFailure failure);
  const std::string& text_error();      // why the text could not be run as typed (English), or ""
  const Error& text_failure();          // the same, with its message id for the UI

  // The memory budget (memory_budget.h): the model plus every pass must fit in it. A model that
  // cannot is refused at load (the previous one stays); a text that cannot is traced with less
  // detail, then cut (text_cut()). Defaults to DefaultMemoryBudget(); the options that set it
  // (--memory-budget, ?memory=) keep it at least kMinMemoryBudget.
  void SetMemoryBudget(uint64_t bytes);
  uint64_t memory_budget() const { return budget_; }
  // The model's memory: its file, and natively the kernels' packed copies of its matrices.
  uint64_t model_bytes() const { return info_.file_bytes + (model_ ? model_->PackedBytes() : 0); }
  const PassPlan& pass_plan();          // how the current text runs: tokens, detail, bytes
  // What is left of the budget beside the model and the current pass: panels that run more
  // passes (11.3's K/V sharing and quantization lens) check theirs against it first.
  uint64_t headroom();
  struct TextCut {
    int typed = 0, kept = 0;            // tokens: as typed, and those that run
    bool by_memory = false;             // false: cut to the context, true: to the memory budget
    bool any() const { return kept < typed; }
  };
  const TextCut& text_cut();

  // A long pass (GPT-2 small on a long text: tens of seconds in the page) would block the app.
  // With slicing on, a pass estimated above `flops` runs in pieces of about kPieceFlops through
  // the KV cache (Model::ForwardInto), a few per frame: the app calls ContinuePass each frame,
  // keeps drawing and taking input, and the figures say how far it is (pass_progress) until the
  // last piece; only then do trace() and last_logits() show it, equal to one whole pass. Off
  // (the default: tests, the CLI) or with attention both ways, every pass runs at once.
  // A piece must not be too small either: each one reads all the weights again (GPT-2 small:
  // 134 MB at Q8_0), so a few tokens per piece would run at decoding speed. About 16 tokens of
  // GPT-2 small keep prefill speed and take a few hundred milliseconds in the page.
#ifdef __EMSCRIPTEN__
  static constexpr double kLongPassFlops = 20e9;   // about 2 s of wasm on one core
  static constexpr double kPieceFlops = 3e9;       // about 0.3 s
#else
  static constexpr double kLongPassFlops = 100e9;  // about 2 s natively on a few cores
  static constexpr double kPieceFlops = 10e9;
#endif
  void SetSliceLongPasses(bool on, double flops = kLongPassFlops, double piece_flops = kPieceFlops) {
    slice_long_ = on;
    long_pass_flops_ = flops;
    piece_flops_ = piece_flops;
  }
  struct PassProgress {
    int done = 0, total = 0;  // tokens
  };
  bool pass_in_progress();
  PassProgress pass_progress();
  // Runs pieces of the pass in progress for about `seconds` (at least one piece).
  void ContinuePass(double seconds);
  // The longest text that can run: the context, or less when the memory budget says so
  // (11.4's generation stops there).
  int max_tokens();
  // Where this model's numbers stop being finite on the current text (NaN or ±inf): 0 = the
  // embeddings, L = the output of block L (1-based), n_layer + 1 = the logits; -1: all finite.
  // When >= 0 the trace is empty and text_error() says so.
  int non_finite_stage();

 private:
  void Refresh();
  void RunPass();     // the forward pass of the planned tokens, at once
  void FinishPass();  // after the last piece or the whole pass: NaN check, or the error
  Status RefuseForMemory(const std::string& source, uint64_t needed);

  std::unique_ptr<model::Model> model_;
  uint64_t model_id_ = 0;
  std::unique_ptr<tokenizer::Gpt2Tokenizer> tokenizer_;
  ModelInfo info_;
  ModelArrival arrival_;
  int non_finite_stage_ = -1;
  std::string text_ = kDefaultText;
  std::string exact_text_;           // the text AppendToken made, whose tokens are exact_ids_
  std::vector<int> exact_ids_;       // (without the <|endoftext|> in front)
  bool prepend_eot_ = false;
  bool eot_missing_ = false;
  bool slice_long_ = false;
  double long_pass_flops_ = kLongPassFlops, piece_flops_ = kPieceFlops;
  bool pass_pending_ = false;        // a sliced pass has run pass_done_ of tokens_ into trace_
  int pass_done_ = 0;
  model::Interventions interventions_;

  bool dirty_ = true;
  uint64_t version_ = 0;
  std::vector<int> tokens_;
  std::vector<TokenLabel> labels_;
  model::Trace trace_;
  model::KvCache cache_;             // the keys and values behind trace_, for AppendToken
  uint64_t positions_run_ = 0;
  std::vector<float> last_logits_;
  Status Fail(LoadFailure failure);  // keeps it, returns it in English
  LoadFailure load_failure_;
  std::string load_error_;
  Error text_failure_;
  uint64_t budget_ = DefaultMemoryBudget();
  PassPlan plan_;
  TextCut text_cut_;
  uint64_t patterns_version_ = ~0ull;
  std::vector<HeadPattern> patterns_;
  std::unique_ptr<model::Model> twin_;  // built on first use, dropped with the model
  uint64_t twin_version_ = ~0ull;
  model::Trace twin_trace_;
  std::vector<HeadPattern> twin_patterns_;
};

// Parameter count of a GPT-2 with this shape (the tied output head counted once).
uint64_t ParameterCount(const model::Config& c);
// Floating-point operations of one pass over T tokens (multiply-adds count two): the blocks'
// matrix products, causal attention, and the last token's output head.
double PassFlops(const model::Config& c, int T);

}  // namespace attn::session
