// Shared by the kernel files only (not part of the engine's API): the per-instruction-set
// function tables and the loop that walks a MatMul in tiles.
#pragma once
#include <cstddef>

#include "kernels/kernels.h"
#include "kernels/threads.h"

namespace attn::kernels {

namespace detail {

// A supported weight type, and cols a multiple of 32 for the block types.
bool MatMulShapeOk(const Matrix& w);
void FillNaN(float* out, size_t n);

// Walks out (T, rows) in tiles of R weight rows × NT activation rows and calls
// k.template Run<R, NT>(o, t0) for the tile whose first weight row is o and first activation
// row is t0. A tile computes R·NT dot products in registers while reading each weight once
// (the tiles themselves: kernels_matmul.h).
//
//   T = 1 (decode):   kRowsDecode weight rows at a time against the one activation row, so
//                     the weights stream from memory exactly once. (One row at a time is
//                     fastest on the machines measured: a single sequential stream is what
//                     the hardware prefetcher follows best; see bench.cpp.)
//   T > 1 (prefill):  kRowsPrefill weight rows × kTileT activation rows. The outer loop is over
//                     weight rows, so a row's weights are read from memory once and then
//                     served from L1 for every tile of activation rows.
template <int R, int NT, class K>
void RunTile(const K& k, size_t o, size_t t0) {
  k.template Run<R, NT>(o, t0);
}

// The ragged end of T: nt < kTileT activation rows, dispatched to the matching tile height.
template <int R, int NT, class K>
void RunRaggedTile(const K& k, size_t o, size_t t0, size_t nt) {
  if constexpr (NT > 0) {
    if (nt == NT) return RunTile<R, NT>(k, o, t0);
    RunRaggedTile<R, NT - 1>(k, o, t0, nt);
  }
}

template <int R, int kTileT, class K>
void RunRowBlock(const K& k, size_t o, size_t T) {
  size_t t0 = 0;
  for (; t0 + kTileT <= T; t0 += kTileT) RunTile<R, kTileT>(k, o, t0);
  RunRaggedTile<R, kTileT - 1>(k, o, t0, T - t0);
}

// Weight rows [first, last): the loops above.
template <int kRowsDecode, int kRowsPrefill, int kTileT, class K>
void ForEachTileIn(const K& k, size_t first, size_t last, size_t T) {
  size_t o = first;
  if (T == 1) {
    for (; o + kRowsDecode <= last; o += kRowsDecode) RunTile<kRowsDecode, 1>(k, o, 0);
  } else {
    for (; o + kRowsPrefill <= last; o += kRowsPrefill) RunRowBlock<kRowsPrefill, kTileT>(k, o, T);
  }
  for (; o < last; ++o) RunRowBlock<1, kTileT>(k, o, T);  // the ragged end of rows
}

// All `rows` weight rows (`cols` wide), split among the threads (kernels/threads.h). Pieces
// start at multiples of both row blocks, so each row meets the same tile as on one thread:
// the same bits for any thread count.
template <int kRowsDecode, int kRowsPrefill, int kTileT, class K>
void ForEachTile(const K& k, size_t rows, size_t cols, size_t T) {
  ParallelRanges(rows, static_cast<size_t>(kRowsDecode) * kRowsPrefill, static_cast<double>(rows) * cols * T,
                 [&](size_t first, size_t last) { ForEachTileIn<kRowsDecode, kRowsPrefill, kTileT>(k, first, last, T); });
}

// Independent accumulator chains per output in a tile of R × NT outputs: a float add or FMA
// takes ~4 cycles before its result can be added to again, so a tile with fewer than ~4
// outputs splits each sum into U interleaved partial sums (columns i, i+8, i+16, ...).
template <int R, int NT>
inline constexpr int kChains = R * NT >= 4 ? 1 : 4 / (R * NT);

}  // namespace detail

// x86-64 builds with GCC or Clang compile the AVX2 kernels (kernels_avx2.cpp, under a target
// pragma) whatever the global flags; kernels.cpp uses them only on a CPU that has AVX2.
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(__EMSCRIPTEN__)
#define ATTN_KERNELS_HAVE_AVX2 1
#else
#define ATTN_KERNELS_HAVE_AVX2 0
#endif

// The same functions, one namespace per instruction set (each compiled only where its
// instructions can be built; kernels.cpp picks one at run time).
#define ATTN_KERNELS_DECLARE_TABLE                                                            \
  void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T);    \
  void QuantizeRowQ8_0(const float* x, quant::BlockQ8_0* y, size_t n);                        \
  void LayerNorm(float* out, const float* inp, const float* weight, const float* bias,        \
                 size_t T, size_t C, float eps);                                              \
  void Gelu(float* x, size_t n);                                                              \
  void Softmax(float* x, size_t n);                                                           \
  void Add(float* out, const float* a, const float* b, size_t n);                             \
  float Dot(const float* a, const float* b, size_t n);                                        \
  void Axpy(float* out, float w, const float* v, size_t n);

namespace avx2 {
ATTN_KERNELS_DECLARE_TABLE
}
namespace wasm {
ATTN_KERNELS_DECLARE_TABLE
}
// AVX-512 VNNI replaces only MatMul's Q8_0 / Q4_0 tiles (kernels_avx512.cpp); the rest is AVX2's.
namespace avx512 {
void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T);
std::vector<uint8_t> Pack(const Matrix& w);  // Q4_0: 16 rows interleaved; other types: nothing
}

#undef ATTN_KERNELS_DECLARE_TABLE

}  // namespace attn::kernels
