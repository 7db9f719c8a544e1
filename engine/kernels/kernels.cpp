// The public kernels: each forwards to the best version this machine runs. The native build
// compiles the AVX2 versions in their own file with a target pragma (the rest of the program
// stays baseline x86-64, so it starts on any x86-64 CPU) and picks them at run time when CPUID
// says AVX2 + FMA + F16C are there; the web build has simd128 (a browser without it cannot load
// the module at all); anything else gets the plain loops.
//
// Where threads would go (native only; the browser build has none): MatMul splits its output
// rows into one contiguous range per thread (each thread streams its own slice of W, and the
// activation rows are shared read-only), which is how ggml parallelizes. The other kernels are
// too small per call to be worth it; the model would rather run attention heads in parallel.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>

#include "kernels/kernels.h"
#include "kernels/kernels_internal.h"

#if ATTN_KERNELS_HAVE_AVX2
#include <cpuid.h>
#endif

namespace attn::kernels {

//-----------------------------------------------------------------------------------------
// [SECTION] Choosing the kernels: one table row per instruction set
//-----------------------------------------------------------------------------------------

namespace {

struct KernelTable {
  const char* name;
  bool (*runs_here)();  // does this CPU execute these instructions?
  decltype(&scalar::MatMul) matmul;
  decltype(&scalar::QuantizeRowQ8_0) quantize_row_q8_0;
  decltype(&scalar::LayerNorm) layer_norm;
  decltype(&scalar::Gelu) gelu;
  decltype(&scalar::Softmax) softmax;
  decltype(&scalar::Add) add;
  decltype(&scalar::Dot) dot;
  decltype(&scalar::Axpy) axpy;
  decltype(&PackForThisCpu) pack;  // the layout this row's MatMul reads from Matrix::packed
};

#define ATTN_KERNEL_TABLE_ROW(ns, name, runs_here)                                                  \
  KernelTable {                                                                                  \
    name, runs_here, ns::MatMul, ns::QuantizeRowQ8_0, ns::LayerNorm, ns::Gelu, ns::Softmax, ns::Add, \
        ns::Dot, ns::Axpy, NoPacking                                                              \
  }

bool Always() { return true; }
std::vector<uint8_t> NoPacking(const Matrix&) { return {}; }
#if ATTN_KERNELS_HAVE_AVX2
bool CpuHasAvx2() {
  // The compiler runtime's CPUID check also asks the OS whether it saves the AVX registers.
  // F16C from CPUID leaf 1 directly (clang's builtin does not know the name).
  __builtin_cpu_init();
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  const bool f16c = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_F16C);
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && f16c;
}
bool CpuHasAvx512Vnni() {
  // libgcc's and compiler-rt's checks include the OS saving the 512-bit registers (XCR0).
  return CpuHasAvx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vnni");
}
#endif

// Best first; the last row always runs.
const KernelTable kTables[] = {
#if ATTN_KERNELS_HAVE_AVX2
    KernelTable{"avx512-vnni", CpuHasAvx512Vnni, avx512::MatMul, avx2::QuantizeRowQ8_0, avx2::LayerNorm, avx2::Gelu,
                avx2::Softmax, avx2::Add, avx2::Dot, avx2::Axpy, avx512::Pack},
    ATTN_KERNEL_TABLE_ROW(avx2, "avx2", CpuHasAvx2),
#endif
#if defined(__wasm_simd128__)
    ATTN_KERNEL_TABLE_ROW(wasm, "wasm-simd128", Always),
#endif
    ATTN_KERNEL_TABLE_ROW(scalar, "scalar", Always),
};
#undef ATTN_KERNEL_TABLE_ROW

const KernelTable* Choose() {
  const char* forced = std::getenv("ATTNLAB_SIMD");
  for (const KernelTable& t : kTables)
    if (t.runs_here() && (!forced || std::strcmp(forced, t.name) == 0)) return &t;
  return &kTables[std::size(kTables) - 1];  // an unknown or unusable name: the plain loops
}

const KernelTable*& Active() {
  static const KernelTable* active = Choose();
  return active;
}

}  // namespace

const char* SimdName() { return Active()->name; }

bool UseSimd(const char* name) {
  for (const KernelTable& t : kTables)
    if (std::strcmp(t.name, name) == 0 && t.runs_here()) {
      Active() = &t;
      return true;
    }
  return false;
}

std::vector<const char*> AvailableSimd() {
  std::vector<const char*> names;
  for (const KernelTable& t : kTables)
    if (t.runs_here()) names.push_back(t.name);
  return names;
}

//-----------------------------------------------------------------------------------------
// [SECTION] The public kernels
//-----------------------------------------------------------------------------------------

bool MatrixRow(const Matrix& m, size_t row, float* out) {
  if (row >= m.rows || !detail::MatMulShapeOk(m)) return false;  // a known type; whole blocks
  const size_t row_bytes = quant::RowBytes(m.type, m.cols);
  quant::DequantizeRow(m.type, static_cast<const uint8_t*>(m.data) + row * row_bytes, out, m.cols);
  return true;
}

void MatMul(float* out, const float* inp, const Matrix& w, const float* bias, size_t T) {
  Active()->matmul(out, inp, w, bias, T);
}
std::vector<uint8_t> PackForThisCpu(const Matrix& w) { return Active()->pack(w); }
void QuantizeRowQ8_0(const float* x, quant::BlockQ8_0* y, size_t n) {
  Active()->quantize_row_q8_0(x, y, n);
}
void LayerNorm(float* out, const float* inp, const float* weight, const float* bias, size_t T,
               size_t C, float eps) {
  Active()->layer_norm(out, inp, weight, bias, T, C, eps);
}
void Gelu(float* x, size_t n) { Active()->gelu(x, n); }
void Softmax(float* x, size_t n) { Active()->softmax(x, n); }
void Add(float* out, const float* a, const float* b, size_t n) { Active()->add(out, a, b, n); }
float Dot(const float* a, const float* b, size_t n) { return Active()->dot(a, b, n); }
void Axpy(float* out, float w, const float* v, size_t n) { Active()->axpy(out, w, v, n); }

namespace detail {

bool MatMulShapeOk(const Matrix& w) {
  const quant::TypeTraits* t = quant::FindType(static_cast<uint32_t>(w.type));
  return t && w.cols % t->block_values == 0;  // rows of whole blocks
}

void FillNaN(float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = NAN;
}

}  // namespace detail

}  // namespace attn::kernels
