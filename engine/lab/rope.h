// Rotary position embedding (RoPE; Su et al., 2021), the 11.3 architect's view.
//
// Each pair of dimensions (2i, 2i+1) of a query or key at position m is rotated by the angle
// m·θᵢ with θᵢ = base^(−2i/d). Rotations compose, so
//     (R(m)q)·(R(n)k) = q·R(n−m)k
// — the attention score depends only on the relative position m − n, not on m or n alone.
#pragma once
#include <vector>

namespace attn::lab {

// Rotates x (d values, d even) in place as if it sat at position `pos`.
void ApplyRope(float* x, int d, float pos, float base = 10000.0f);

// q·k after rotating q to position m and k to position n.
float RopeScore(const std::vector<float>& q, const std::vector<float>& k, float m, float n,
                float base = 10000.0f);

}  // namespace attn::lab
