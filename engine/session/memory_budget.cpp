#include "session/memory_budget.h"

#include <algorithm>
#include <cstdint>

#if !defined(__EMSCRIPTEN__) && defined(__unix__)
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace attn::session {

uint64_t DefaultMemoryBudget() {
#if defined(__EMSCRIPTEN__) || !defined(__unix__)
  return kWebMemoryBudget;
#else
  uint64_t limit = static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGE_SIZE));
  for (int resource : {RLIMIT_AS, RLIMIT_DATA}) {
    rlimit r{};
    if (getrlimit(resource, &r) == 0 && r.rlim_cur != RLIM_INFINITY) limit = std::min<uint64_t>(limit, r.rlim_cur);
  }
  return std::max(kMinMemoryBudget, limit / 2);
#endif
}

bool ParseMemoryBudgetMiB(const char* text, uint64_t* bytes) {
  if (!text || !*text) return false;
  uint64_t mib = 0;
  for (const char* p = text; *p; ++p) {
    if (*p < '0' || *p > '9' || mib > (1ull << 20)) return false;
    mib = mib * 10 + static_cast<uint64_t>(*p - '0');
  }
  if (mib > (1ull << 20) || (mib << 20) < kMinMemoryBudget) return false;
  *bytes = mib << 20;
  return true;
}

model::TraceOptions TraceOptionsFor(TraceDetail detail) {
  model::TraceOptions o;
  o.residual = true;  // always: 11.3's residual stream and the NaN check read it (L·T·C, small)
  o.qkv = detail != TraceDetail::kNoQkv;
  o.block_outputs = detail == TraceDetail::kFull;
  return o;
}

// The longest text (≤ max_tokens) whose pass at `detail` fits; 0 if not even one token does.
static int Longest(const model::Config& c, uint64_t model_bytes, int max_tokens, uint64_t budget, TraceDetail detail) {
  const model::TraceOptions o = TraceOptionsFor(detail);
  auto fits = [&](int T) { return model_bytes + model::EstimatePassBytes(c, 0, T, o).total() <= budget; };
  int lo = 0, hi = max_tokens;  // fits(lo) or lo == 0; bytes grow with T, so bisect
  while (lo < hi) {
    const int mid = lo + (hi - lo + 1) / 2;
    if (fits(mid)) lo = mid; else hi = mid - 1;
  }
  return lo;
}

PassPlan PlanPass(const model::Config& c, uint64_t model_bytes, int tokens, uint64_t budget) {
  PassPlan p;
  p.longest_full = Longest(c, model_bytes, c.n_ctx, budget, TraceDetail::kFull);
  p.longest_with_qkv = Longest(c, model_bytes, c.n_ctx, budget, TraceDetail::kNoBlockOutputs);
  p.longest = Longest(c, model_bytes, c.n_ctx, budget, TraceDetail::kNoQkv);
  p.fits = p.longest > 0;
  p.tokens = std::clamp(tokens, 0, p.longest);
  p.detail = p.tokens <= p.longest_full ? TraceDetail::kFull
             : p.tokens <= p.longest_with_qkv ? TraceDetail::kNoBlockOutputs : TraceDetail::kNoQkv;
  p.options = TraceOptionsFor(p.detail);
  p.bytes = model_bytes + model::EstimatePassBytes(c, 0, std::max(p.tokens, 1), p.options).total();
  return p;
}

}  // namespace attn::session
