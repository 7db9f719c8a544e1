#include "session/session.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/file.h"
#include "model/random_model.h"

namespace attn::session {

uint64_t ParameterCount(const model::Config& c) {
  const uint64_t C = c.n_embd, F = c.n_ff;
  const uint64_t per_layer = 2 * 2 * C                  // two LayerNorms (scale, shift)
                             + C * 3 * C + 3 * C        // q, k, v projection
                             + C * C + C                // attention output projection
                             + C * F + F + F * C + C;   // MLP up and down
  return uint64_t(c.vocab_size) * C + uint64_t(c.n_ctx) * C + c.n_layer * per_layer + 2 * C;
}

static std::string FileName(const std::string& path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void Session::KeepLoadFailure(LoadFailure failure) {
  load_failure_ = std::move(failure);
  const Error& e = load_failure_.error;
  load_error_ = load_failure_.file.empty() || e.message.empty() ? e.message
                : FormatMessage(Msg::InFile, {load_failure_.file, e.message}, Lang::En);
}

Status Session::Fail(LoadFailure failure) {
  KeepLoadFailure(std::move(failure));
  return Error{load_error_};
}

Status Session::RefuseForMemory(const std::string& source, uint64_t needed) {
  return Fail({FileName(source), MakeError<Msg::ModelOverBudget>(ByteSize{double(needed)}, ByteSize{double(budget_)}),
               needed});
}

Status Session::LoadModel(gguf::Bytes bytes, const std::string& source) {
  const uint64_t size = bytes.size;
  Result<model::LoadedModel> loaded = model::LoadGpt2(std::move(bytes));
  if (!loaded.ok()) return Fail({FileName(source), loaded.failure()});
  // The model must leave room for at least a one-token pass; a refused model frees its bytes
  // here and the previous one stays.
  if (const PassPlan p = PlanPass(loaded->model->config(), size, 1, budget_); !p.fits)
    return RefuseForMemory(source, p.bytes);
  Result<tokenizer::Gpt2Tokenizer> tok = tokenizer::Gpt2Tokenizer::FromTokensAndMerges(loaded->tokens, loaded->merges);
  if (!tok.ok()) return Fail({FileName(source), tok.failure()});
  model_ = std::move(loaded->model);
  ++model_id_;
  tokenizer_ = std::make_unique<tokenizer::Gpt2Tokenizer>(std::move(*tok));
  info_ = ModelInfo{};
  info_.name = loaded->name.empty() ? FileName(source) : loaded->name;
  info_.source = source;
  info_.weight_type = loaded->weight_type;
  info_.languages = loaded->languages;
  info_.file_bytes = size;
  info_.config = model_->config();
  info_.parameters = ParameterCount(info_.config);
  info_.is_demo = info_.name.rfind("attnlab-demo", 0) == 0;
  // Interventions that name heads or groups the new model does not have are dropped.
  model::Interventions& iv = interventions_;
  iv.ablated_heads.erase(std::remove_if(iv.ablated_heads.begin(), iv.ablated_heads.end(),
                                        [&](auto lh) { return lh.first >= info_.config.n_layer || lh.second >= info_.config.n_head; }),
                         iv.ablated_heads.end());
  if (iv.kv_groups > info_.config.n_head || (iv.kv_groups > 0 && info_.config.n_head % iv.kv_groups)) iv.kv_groups = 0;
  KeepLoadFailure({});
  arrival_ = ModelArrival{};  // it is here
  twin_.reset();  // another shape: the twin is built again when asked for
  twin_version_ = patterns_version_ = ~0ull;
  exact_text_.clear();  // another vocabulary: encode the text afresh
  exact_ids_.clear();
  dirty_ = true;
  return {};
}

Status Session::LoadModelFile(const std::string& path) {
  // A file larger than the budget is refused before it is read: in the browser reading it
  // would fill the heap (a 2 GB file aborted the page).
  if (const uint64_t size = FileSize(path); size > budget_) return RefuseForMemory(path, size);
  Result<gguf::Bytes> bytes = gguf::OpenFile(path);
  if (!bytes.ok()) return Fail({"", bytes.failure()});
  return LoadModel(std::move(*bytes), path);
}

void Session::SetText(std::string text) {
  if (text == text_) return;
  text_ = std::move(text);
  dirty_ = true;
}

// Where a forward pass first stops being numbers (NaN or ±inf): 0 = the embeddings (the
// residual stream into block 1), L = the output of block L, n_layer + 1 = the logits; -1 when
// everything is finite. A NaN epsilon or overflowing weights make every later number NaN, and
// a figure drawn from those would show a plausible-looking but meaningless picture.
static int NonFiniteStage(const model::Trace& t, const std::vector<float>& logits) {
  const size_t per_layer = static_cast<size_t>(t.count) * t.n_embd;
  for (int l = 0; per_layer > 0 && l <= t.n_layer && (l + 1) * per_layer <= t.residual.size(); ++l) {
    const float* x = t.residual.data() + l * per_layer;
    if (!std::all_of(x, x + per_layer, [](float v) { return std::isfinite(v); })) return l;
  }
  if (!std::all_of(logits.begin(), logits.end(), [](float v) { return std::isfinite(v); })) return t.n_layer + 1;
  return -1;
}

void Session::AppendToken(int id) {
  if (!model_ || id < 0 || id >= tokenizer_->VocabSize()) return;
  Refresh();
  const int n = static_cast<int>(tokens_.size());
  if (n >= plan_.longest) return;  // the context (or the memory budget) is full
  std::vector<int> ids(tokens_.begin() + (prepend_eot_ && !eot_missing_ && !tokens_.empty() ? 1 : 0), tokens_.end());
  ids.push_back(id);
  text_ += tokenizer_->TokenBytes(id);
  exact_text_ = text_;
  exact_ids_ = std::move(ids);
  // Through the KV cache: only the new token runs, its trace is joined onto the old one. Not
  // when attention looks both ways (every earlier position would see the new token) or the
  // old trace is missing; then, or if anything fails, the whole text runs again.
  // AppendTrace holds the old trace and the longer one at once; the budget must allow both,
  // and the longer text must keep the same detail.
  const PassPlan next = PlanPass(model_->config(), model_bytes(), n + 1, budget_);
  const bool room = next.detail == plan_.detail &&
                    plan_.bytes + model::EstimatePassBytes(model_->config(), 0, n + 1, plan_.options).trace <= budget_;
  if (trace_.count == 0 || interventions_.bidirectional || cache_.length != trace_.count || !room) {
    dirty_ = true;
    return;
  }
  model::Trace step;
  step.options = trace_.options;
  std::vector<float> logits;
  if (!model_->Forward({id}, cache_, interventions_, &logits, &step).ok() || NonFiniteStage(step, logits) >= 0 ||
      !model::AppendTrace(trace_, step)) {
    dirty_ = true;
    return;
  }
  positions_run_ += 1;
  ++version_;
  plan_ = next;
  text_cut_ = TextCut{n + 1, n + 1, false};
  tokens_.push_back(id);
  labels_ = MakeTokenLabels(*tokenizer_, tokens_);
  last_logits_ = std::move(logits);
}

void Session::SetPrependEndOfText(bool on) {
  if (on == prepend_eot_) return;
  prepend_eot_ = on;
  dirty_ = true;
}

void Session::SetInterventions(const model::Interventions& iv) {
  interventions_ = iv;
  dirty_ = true;
}

void Session::SetMemoryBudget(uint64_t bytes) {
  if (bytes == budget_) return;
  budget_ = bytes;
  dirty_ = true;
}

const PassPlan& Session::pass_plan() { Refresh(); return plan_; }
const Session::TextCut& Session::text_cut() { Refresh(); return text_cut_; }
uint64_t Session::headroom() {
  Refresh();
  const uint64_t used = model_ ? std::max(plan_.bytes, model_bytes()) : 0;
  return used < budget_ ? budget_ - used : 0;
}
bool Session::end_of_text_missing() { Refresh(); return eot_missing_; }
int Session::max_tokens() { Refresh(); return model_ ? plan_.longest : 0; }

void Session::Refresh() {
  if (!dirty_) return;
  dirty_ = false;
  ++version_;
  tokens_.clear();
  labels_.clear();
  trace_ = model::Trace{};  // freed before the next pass allocates: never two traces at once
  cache_ = model::KvCache{};
  twin_trace_ = model::Trace{};
  plan_ = PassPlan{};
  text_cut_ = TextCut{};
  eot_missing_ = false;
  pass_pending_ = false;
  pass_done_ = 0;
  last_logits_.clear();
  text_failure_ = Error{};
  non_finite_stage_ = -1;
  if (!model_) return;
  eot_missing_ = prepend_eot_ && tokenizer_->EndOfTextId() < 0;
  if (prepend_eot_ && !eot_missing_) tokens_.push_back(tokenizer_->EndOfTextId());
  const std::vector<int> ids = text_ == exact_text_ ? exact_ids_ : tokenizer_->Encode(text_);
  tokens_.insert(tokens_.end(), ids.begin(), ids.end());
  // Cut to the context, then to what the memory budget allows (with less detail first).
  const int typed = static_cast<int>(tokens_.size());
  const int n_ctx = model_->config().n_ctx;
  plan_ = PlanPass(model_->config(), model_bytes(), std::min(typed, n_ctx), budget_);
  text_cut_ = TextCut{typed, plan_.tokens, plan_.tokens < std::min(typed, n_ctx)};
  if (text_cut_.by_memory)
    text_failure_ = MakeError<Msg::TextCutMemory>(typed, ByteSize{double(budget_)}, plan_.tokens);
  else if (text_cut_.any())
    text_failure_ = MakeError<Msg::TextCutContext>(typed, n_ctx);
  if (eot_missing_ && text_failure_.message.empty()) text_failure_ = MakeError<Msg::NoEndOfText>();
  tokens_.resize(plan_.tokens);
  labels_ = MakeTokenLabels(*tokenizer_, tokens_);
  if (tokens_.empty()) return;  // nothing typed (or nothing fits): no trace, panels say so
  // A pass long enough to freeze the page for seconds runs in pieces (ContinuePass, called by
  // the app every frame); the trace is sized for all the tokens once.
  if (slice_long_ && !interventions_.bidirectional &&
      PassFlops(model_->config(), static_cast<int>(tokens_.size())) >= long_pass_flops_) {
    pass_pending_ = true;
    cache_ = model_->NewCache();
    trace_.options = plan_.options;
    model_->StartTrace(trace_, cache_, static_cast<int>(tokens_.size()));
    return;
  }
  RunPass();
}

double PassFlops(const model::Config& c, int T) {
  const double C = c.n_embd, L = c.n_layer, F = c.n_ff;
  const double per_token = L * (2 * (4 * C * C + 2 * C * F));  // q, k, v, projection, MLP up and down
  const double attention = L * 2.0 * 2.0 * static_cast<double>(T) * T * C / 2;  // q·k and w·v, causal
  return T * per_token + attention + 2.0 * c.vocab_size * C;   // and the last token's logits
}

// Tokens of the next piece: as many as cost about `flops` from position `first` on (each
// token's matrix products, plus its attention over the positions before it).
static int PieceTokens(const model::Config& c, int first, int left, double flops) {
  const double per_token = PassFlops(c, 1) - 2.0 * c.vocab_size * c.n_embd;
  const double attention_per_key = 2.0 * 2.0 * c.n_layer * c.n_embd;
  int k = 0;
  for (double spent = 0; k < left && (k == 0 || spent < flops); ++k) spent += per_token + attention_per_key * (first + k + 1);
  return k;
}

bool Session::pass_in_progress() { Refresh(); return pass_pending_; }

Session::PassProgress Session::pass_progress() {
  Refresh();
  return pass_pending_ ? PassProgress{pass_done_, static_cast<int>(tokens_.size())} : PassProgress{};
}

void Session::ContinuePass(double seconds) {
  Refresh();
  const auto start = std::chrono::steady_clock::now();
  while (pass_pending_) {
    const int total = static_cast<int>(tokens_.size());
    const int k = PieceTokens(model_->config(), pass_done_, total - pass_done_, piece_flops_);
    const std::vector<int> piece(tokens_.begin() + pass_done_, tokens_.begin() + pass_done_ + k);
    const Status st = model_->ForwardInto(piece, cache_, interventions_, &last_logits_, trace_);
    positions_run_ += k;
    pass_done_ += k;
    if (!st.ok() || pass_done_ >= total) {
      pass_pending_ = false;
      if (!st.ok()) {
        text_failure_ = st.failure();
        trace_ = model::Trace{};
        last_logits_.clear();
      } else {
        FinishPass();
      }
      ++version_;  // the figures' numbers changed
      return;
    }
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= seconds) return;
  }
}

void Session::RunPass() {
  cache_ = model_->NewCache();
  trace_.options = plan_.options;  // q/k/v for 11.2, residual and block outputs for 11.3
  const Status s = model_->Forward(tokens_, cache_, interventions_, &last_logits_, &trace_);
  positions_run_ += tokens_.size();
  if (!s.ok()) {
    text_failure_ = s.failure();
    trace_ = model::Trace{};
    return;
  }
  FinishPass();
}

void Session::FinishPass() {
  non_finite_stage_ = NonFiniteStage(trace_, last_logits_);
  if (non_finite_stage_ >= 0) {  // no figure may pretend: the trace goes, the reason stays
    const int n_layer = trace_.n_layer;
    text_failure_ = non_finite_stage_ == 0         ? MakeError<Msg::NanInEmbeddings>()
                    : non_finite_stage_ > n_layer  ? MakeError<Msg::NanInOutput>()
                                                   : MakeError<Msg::NanAtLayer>(non_finite_stage_);
    trace_ = model::Trace{};
    last_logits_.clear();
  }
}

int Session::non_finite_stage() { Refresh(); return non_finite_stage_; }

const std::vector<int>& Session::tokens() { Refresh(); return tokens_; }
const std::vector<TokenLabel>& Session::labels() { Refresh(); return labels_; }
// While a sliced pass is in progress its trace is only partly filled: the figures get none yet.
static const model::Trace kNoTrace;
static const std::vector<float> kNoLogits;
const model::Trace& Session::trace() { Refresh(); return pass_pending_ ? kNoTrace : trace_; }
const std::vector<float>& Session::last_logits() { Refresh(); return pass_pending_ ? kNoLogits : last_logits_; }
uint64_t Session::version() { Refresh(); return version_; }
const std::string& Session::text_error() { Refresh(); return text_failure_.message; }
const Error& Session::text_failure() { Refresh(); return text_failure_; }

const std::vector<HeadPattern>& Session::head_patterns() {
  Refresh();
  if (patterns_version_ != version_) {
    patterns_ = ClassifyHeads(trace(), tokens_);
    patterns_version_ = version_;
  }
  return patterns_;
}

HeadNarration Session::narration() {
  const std::vector<HeadPattern>& p = head_patterns();
  const model::Trace& t = trace();
  return Narrate(p, t.n_layer, t.n_head, t.count);
}

const model::Trace* Session::twin_trace() {
  Refresh();
  if (!model_ || twin_too_big() || tokens_.empty() || pass_pending_ || twin_over_budget()) return nullptr;
  if (twin_version_ == version_) return twin_trace_.count > 0 ? &twin_trace_ : nullptr;
  twin_version_ = version_;
  twin_trace_ = model::Trace{};
  twin_patterns_.clear();
  // Q8_0 keeps the twin at about a quarter of an f32 copy; the patterns do not depend on it.
  if (!twin_) twin_ = model::MakeRandomModel(info_.config, quant::Type::Q8_0, kTwinSeed, model::RandomInit::kGpt2Init);
  model::KvCache cache = twin_->NewCache();
  std::vector<float> logits;
  if (!twin_->Forward(tokens_, cache, {}, &logits, &twin_trace_).ok()) {
    twin_trace_ = model::Trace{};
    return nullptr;
  }
  twin_patterns_ = ClassifyHeads(twin_trace_, tokens_);
  return &twin_trace_;
}

// The twin (Q8_0: 34 bytes per 32 weights) and its attention-only trace, beside the model and
// the pass that is already in memory.
bool Session::twin_over_budget() {
  Refresh();
  if (!model_ || tokens_.empty()) return false;
  const uint64_t twin_bytes = info_.parameters * 34 / 32 +
                              model::EstimatePassBytes(info_.config, 0, static_cast<int>(tokens_.size()), {}).total();
  return plan_.bytes + twin_bytes > budget_;
}

const std::vector<HeadPattern>* Session::twin_patterns() {
  return twin_trace() ? &twin_patterns_ : nullptr;
}

HeadNarration Session::twin_narration() {
  if (!twin_trace()) return HeadNarration{};
  return Narrate(twin_patterns_, twin_trace_.n_layer, twin_trace_.n_head, twin_trace_.count);
}

}  // namespace attn::session
