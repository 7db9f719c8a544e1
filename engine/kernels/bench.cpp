// Method
//   - Reference: single-thread memcpy of a large buffer (copy_bytes), best of `repeats`;
//     reported as bytes copied per second (each byte is read once and written once).
//   - For each weight format: a rows × cols random matrix, replicated into enough distinct
//     copies that one run reads at least `working_set` bytes of weights (64 MiB by default,
//     more than a typical last-level cache), the way a forward pass reads each layer's
//     weights once. A run multiplies every copy by T activation rows; the figure is the best
//     run divided by the number of copies.
//   - GB/s = weight bytes read per second. T = 1 (decode) should be bound by memory, so the
//     ratio to the memcpy figure is what to compare across machines; a ratio above 1 is
//     possible because the matrix product only reads, while memcpy also writes.
//   - T = 8 (prefill) reads each weight once for 8 activation rows: it reports GFLOP/s
//     (2·rows·cols·T) and the time per activation row.
// The machine may be shared and noisy, hence best-of-N and ratios rather than absolutes.
#include "kernels/bench.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "kernels/kernels.h"
#include "quant/quant.h"

namespace attn::kernels {

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Best (smallest) time of `repeats` runs of fn(), in seconds.
template <class Fn>
double BestOf(int repeats, Fn&& fn) {
  double best = 1e300;
  for (int i = 0; i < (repeats > 0 ? repeats : 1); ++i) {
    const auto t0 = Clock::now();
    fn();
    const double s = Seconds(t0, Clock::now());
    best = s < best ? s : best;
  }
  return best;
}

double CopyBandwidth(size_t bytes, int repeats) {
  std::vector<unsigned char> src(bytes, 1), dst(bytes, 0);  // touched: no page faults timed
  std::memcpy(dst.data(), src.data(), bytes);
  const double s = BestOf(repeats, [&] { std::memcpy(dst.data(), src.data(), bytes); });
  return static_cast<double>(bytes) / s;
}

// One rows × cols matrix of random weights in `type`, as raw bytes.
std::vector<unsigned char> MakeWeights(quant::Type type, size_t rows, size_t cols, std::mt19937& rng) {
  std::normal_distribution<float> normal(0.0f, 0.02f);  // GPT-2's initialisation scale
  std::vector<float> row(cols);
  const size_t row_bytes = quant::RowBytes(type, cols);
  std::vector<unsigned char> data(rows * row_bytes);
  for (size_t r = 0; r < rows; ++r) {
    for (float& v : row) v = normal(rng);
    unsigned char* dst = data.data() + r * row_bytes;
    quant::QuantizeRow(type, row.data(), dst, cols);
  }
  return data;
}

void Append(std::string& s, const char* fmt, double a = 0, double b = 0, double c = 0, double d = 0,
            double e = 0, double f = 0, double g = 0) {
  char line[256];
  std::snprintf(line, sizeof line, fmt, a, b, c, d, e, f, g);
  s += line;
}

}  // namespace

std::string BenchKernels(const BenchOptions& opt) {
  const size_t rows = opt.rows, cols = opt.cols - opt.cols % quant::kBlock;
  std::string s;
  if (rows == 0 || cols == 0) return "bench: empty matrix\n";
  std::mt19937 rng(1234);

  const double copy_bw = CopyBandwidth(opt.copy_bytes, opt.repeats);
  char head[512];
  std::snprintf(head, sizeof head,
                "kernels: %s, single thread; W is %zu x %zu (out x in); best of %d runs\n"
                "memcpy: %.2f GB/s (%zu MiB buffer)\n"
                "T=1: decode (one activation row), GB/s of weights read, and / memcpy\n"
                "T=8: prefill (8 rows at once), GFLOP/s and time per row\n\n",
                SimdName(), rows, cols, opt.repeats, copy_bw / 1e9, opt.copy_bytes >> 20);
  s += head;
  s += opt.scalar ? "format  MiB/W  copies  T=1 ms  T=1 GB/s  /memcpy  T=8 GFLOP/s  T=8 ms/row  scalar T=1 ms  speed-up\n"
                  : "format  MiB/W  copies  T=1 ms  T=1 GB/s  /memcpy  T=8 GFLOP/s  T=8 ms/row\n";

  const size_t T8 = 8;
  std::vector<float> inp(T8 * cols), out(T8 * rows), bias(rows);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (float& v : inp) v = normal(rng);
  for (float& v : bias) v = normal(rng);

  for (quant::Type type : {quant::Type::F32, quant::Type::F16, quant::Type::Q8_0, quant::Type::Q4_0}) {
    const std::vector<unsigned char> one = MakeWeights(type, rows, cols, rng);
    const size_t bytes = one.size();
    const size_t copies = opt.working_set > bytes ? (opt.working_set + bytes - 1) / bytes : 1;
    std::vector<unsigned char> all(copies * bytes);
    for (size_t c = 0; c < copies; ++c) std::memcpy(all.data() + c * bytes, one.data(), bytes);
    auto run = [&](size_t T, bool use_scalar) {
      for (size_t c = 0; c < copies; ++c) {
        const Matrix w{type, all.data() + c * bytes, rows, cols};
        if (use_scalar) scalar::MatMul(out.data(), inp.data(), w, bias.data(), T);
        else MatMul(out.data(), inp.data(), w, bias.data(), T);
      }
    };
    run(1, false);  // warm-up: code, allocator, page tables
    const double t1 = BestOf(opt.repeats, [&] { run(1, false); }) / static_cast<double>(copies);
    const double t8 = BestOf(opt.repeats, [&] { run(T8, false); }) / static_cast<double>(copies);
    const double bw1 = static_cast<double>(bytes) / t1;
    const double gflops8 = 2.0 * static_cast<double>(rows * cols * T8) / t8 / 1e9;
    char name[16];
    std::snprintf(name, sizeof name, "%-6s", quant::TypeName(type));
    s += name;
    Append(s, "  %5.2f  %6.0f  %6.3f  %8.2f  %7.2f  %11.2f  %10.3f", static_cast<double>(bytes) / (1 << 20),
           static_cast<double>(copies), t1 * 1e3, bw1 / 1e9, bw1 / copy_bw, gflops8, t8 * 1e3 / T8);
    if (opt.scalar) {
      const double ts = BestOf(opt.repeats < 3 ? opt.repeats : 3, [&] { run(1, true); }) / static_cast<double>(copies);
      Append(s, "  %13.3f  %7.1fx", ts * 1e3, ts / t1);
    }
    s += "\n";
  }
  return s;
}

}  // namespace attn::kernels
