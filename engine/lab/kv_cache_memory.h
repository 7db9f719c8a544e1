// How much memory a KV cache needs — the 11.3 MQA/GQA calculator.
//
//   bytes = 2 (K and V) × layers × kv_heads × head_dim × tokens × bytes_per_value
// Multi-head attention keeps kv_heads = n_heads; grouped-query attention (GQA) shares each
// K/V head among n_heads / kv_heads query heads; multi-query attention (MQA) keeps one.
#pragma once
#include <cstdint>
#include <vector>

namespace attn::lab {

struct KvCacheShape {
  int layers = 12;
  int n_heads = 12;
  int kv_heads = 12;        // = n_heads: MHA; 1: MQA; in between: GQA
  int head_dim = 64;
  int64_t tokens = 1024;    // sequence length × batch
  double bytes_per_value = 2.0;  // f16 = 2, f32 = 4, q8 ≈ 1.0625 (34 bytes / 32 values)
};

double KvCacheBytes(const KvCacheShape& s);

// The divisors of n (n ≥ 1), ascending: the group counts GQA allows for n query heads.
std::vector<int> Divisors(int n);

// The divisor of n nearest to `wanted` (a tie goes to the larger: more K/V heads, closer to
// MHA). When the head count changes, the calculator keeps the student's choice this way
// instead of falling to the next smaller divisor (8 heads in 2 groups, then 9 heads: 3, not 1).
int ClosestDivisor(int n, int wanted);

}  // namespace attn::lab
