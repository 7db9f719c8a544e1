#include "lab/kv_cache_memory.h"

namespace attn::lab {

double KvCacheBytes(const KvCacheShape& s) {
  return 2.0 * s.layers * s.kv_heads * s.head_dim * static_cast<double>(s.tokens) * s.bytes_per_value;
}

}  // namespace attn::lab
