// The memory budget. Every forward pass the app makes is sized before it runs (model bytes +
// KV cache + trace + scratch, model::EstimatePassBytes), so a text or a model too big for
// memory gets a clear message and the app keeps running, instead of `Aborted()` in the browser
// or std::bad_alloc natively.
//
// The trace grows with L·H·T²: GPT-2 small on a 1024-token text keeps 604 MB of attention
// weights alone. A pass that does not fit first gives up the buffers only one figure reads:
//   kFull            every buffer (11.3's residual tab reads the LayerNorm and MLP outputs)
//   kNoBlockOutputs  without those (the residual tab says why)
//   kNoQkv           without q, k, v too (11.2's step-by-step vectors say why)
// and only then runs fewer tokens (text_cut says how many, and why).
#pragma once
#include <cstdint>

#include "model/gpt2.h"

namespace attn::session {

// Natively: half of physical memory, or of the address-space / data-size limit (`ulimit -v`,
// `ulimit -d`) when that is lower. On the web: kWebMemoryBudget.
uint64_t DefaultMemoryBudget();
// 900 MiB: GPT-2 small (Q8_0) on a full 1024-token text then fits under a 1 GB wasm heap,
// with room for the app itself (fonts, ImGui, the tokenizer: about 60 MB).
constexpr uint64_t kWebMemoryBudget = 900ull << 20;
// The smallest budget anyone may set (a typo such as --memory-budget 1 would refuse every model).
constexpr uint64_t kMinMemoryBudget = 64ull << 20;

// "--memory-budget 1500" / "?memory=1500": a whole number of MiB, at least kMinMemoryBudget
// and at most 1 TiB. False (and *bytes unchanged) for anything else.
bool ParseMemoryBudgetMiB(const char* text, uint64_t* bytes);

enum class TraceDetail { kFull, kNoBlockOutputs, kNoQkv };
model::TraceOptions TraceOptionsFor(TraceDetail detail);

struct PassPlan {
  int tokens = 0;                   // tokens that run (≤ those asked for)
  TraceDetail detail = TraceDetail::kFull;
  model::TraceOptions options;      // TraceOptionsFor(detail)
  uint64_t bytes = 0;               // model + pass, as planned
  bool fits = false;                // false: not even one token fits (the model alone is too big)
  // The longest texts (≤ n_ctx) that fit: with every buffer, with q/k/v, at all.
  int longest_full = 0, longest_with_qkv = 0, longest = 0;
};

// The pass for `tokens` tokens of a model occupying `model_bytes`, under `budget`: the most
// detail that fits, else the most tokens (never more than the context, n_ctx).
PassPlan PlanPass(const model::Config& c, uint64_t model_bytes, int tokens, uint64_t budget);

}  // namespace attn::session
