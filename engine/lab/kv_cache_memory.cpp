#include "lab/kv_cache_memory.h"

#include <cstdlib>

namespace attn::lab {

std::vector<int> Divisors(int n) {
  std::vector<int> d;
  for (int i = 1; i <= n; ++i)
    if (n % i == 0) d.push_back(i);
  return d;
}

int ClosestDivisor(int n, int wanted) {
  int best = 1;
  for (int d : Divisors(n))
    if (std::abs(d - wanted) <= std::abs(best - wanted)) best = d;  // ascending: ties to the larger
  return best;
}

double KvCacheBytes(const KvCacheShape& s) {
  return 2.0 * s.layers * s.kv_heads * s.head_dim * static_cast<double>(s.tokens) * s.bytes_per_value;
}

}  // namespace attn::lab
