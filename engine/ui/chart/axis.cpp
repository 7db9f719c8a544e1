#include "ui/chart/axis.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace attn::ui::chart {

namespace {

constexpr const char* kMinus = "\xE2\x88\x92";  // U+2212, the typographic minus sign

// "-12" → "−12": labels use the true minus, which lines up with the digits.
std::string WithTrueMinus(std::string s) {
  if (!s.empty() && s[0] == '-') s.replace(0, 1, kMinus);
  return s;
}

std::string ExponentText(int e) { return (e < 0 ? std::string(kMinus) : std::string()) + std::to_string(std::abs(e)); }

}  // namespace

float Axis::ToPixel(double v) const {
  double t;
  if (log) {
    if (!(v > 0.0) || !(lo > 0.0) || !(hi > 0.0)) return NAN;
    const double a = std::log10(lo), b = std::log10(hi);
    t = b == a ? 0.5 : (std::log10(v) - a) / (b - a);
  } else {
    if (std::isnan(v)) return NAN;
    t = hi == lo ? 0.5 : (v - lo) / (hi - lo);
  }
  return static_cast<float>(px_lo + t * (px_hi - px_lo));
}

double Axis::FromPixel(float px) const {
  const double t = px_hi == px_lo ? 0.0 : (px - px_lo) / static_cast<double>(px_hi - px_lo);
  if (log) return std::pow(10.0, std::log10(lo) + t * (std::log10(hi) - std::log10(lo)));
  return lo + t * (hi - lo);
}

std::vector<Tick> LinearTicks(double lo, double hi, int max_ticks, double min_step) {
  std::vector<Tick> ticks;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  max_ticks = std::max(max_ticks, 2);
  // The smallest 1-2-5 step that needs no more than max_ticks marks.
  const double raw = std::max((hi - lo) / (max_ticks - 1), min_step);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10.0 * mag;
  for (double m : {1.0, 2.0, 5.0})
    if (m * mag >= raw * (1.0 - 1e-9)) { step = m * mag; break; }
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
  const double eps = step * 1e-9;
  for (double k = std::ceil((lo - eps) / step); k * step <= hi + eps && static_cast<int>(ticks.size()) < max_ticks; k += 1.0) {
    double v = k * step;
    if (std::fabs(v) < eps) v = 0.0;  // no "-0"
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    ticks.push_back({v, WithTrueMinus(buf), ""});
  }
  if (ticks.empty()) {  // a short range between two round numbers: label its two ends
    const int d = std::max(0, 1 - static_cast<int>(std::floor(std::log10(hi - lo))));
    for (double v : {lo, hi}) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.*f", d, v);
      ticks.push_back({v, WithTrueMinus(buf), ""});
    }
  }
  return ticks;
}

std::vector<Tick> LogTicks(double lo, double hi, int max_ticks) {
  std::vector<Tick> ticks;
  if (!(lo > 0.0) || !(hi > lo) || !std::isfinite(hi)) return ticks;
  max_ticks = std::max(max_ticks, 2);
  const int e_lo = static_cast<int>(std::ceil(std::log10(lo) - 1e-9));
  const int e_hi = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
  if (e_hi - e_lo < 1) return LinearTicks(lo, hi, max_ticks);  // less than a decade: plain numbers
  // Every k-th decade, aligned to multiples of k so that 10^0 = 1 is a tick whenever in range.
  int k = 1;
  while ((e_hi - e_lo) / k + 1 > max_ticks) ++k;
  int first = e_lo;
  while (((first % k) + k) % k != 0) ++first;
  for (int e = first; e <= e_hi; e += k) {
    Tick t;
    t.value = std::pow(10.0, e);
    if (e == 0) t.text = "1";
    else if (e == 1) t.text = "10";
    else { t.text = "10"; t.exponent = ExponentText(e); }
    ticks.push_back(t);
  }
  return ticks;
}

void NiceRange(double* lo, double* hi, bool log) {
  if (*lo > *hi) std::swap(*lo, *hi);
  if (log) {
    if (!(*hi > 0.0)) *hi = 1.0;
    if (!(*lo > 0.0)) *lo = *hi * 1e-3;
    *lo = std::pow(10.0, std::floor(std::log10(*lo) + 1e-9));
    *hi = std::pow(10.0, std::ceil(std::log10(*hi) - 1e-9));
    if (*hi <= *lo) *hi = *lo * 10.0;
    return;
  }
  if (*hi == *lo) {
    const double pad = *lo == 0.0 ? 1.0 : std::fabs(*lo) * 0.5;
    *lo -= pad;
    *hi += pad;
  }
  const std::vector<Tick> ticks = LinearTicks(*lo, *hi, 6);
  const double step = ticks.size() >= 2 ? ticks[1].value - ticks[0].value : (*hi - *lo);
  *lo = std::floor(*lo / step + 1e-9) * step;
  *hi = std::ceil(*hi / step - 1e-9) * step;
}

std::string FormatValue(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "\xE2\x88\x9E" : std::string(kMinus) + "\xE2\x88\x9E";  // ∞
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  std::string s = buf;
  const size_t e = s.find('e');
  if (e == std::string::npos) return WithTrueMinus(s);
  return WithTrueMinus(s.substr(0, e)) + "e" + ExponentText(std::atoi(s.c_str() + e + 1));
}

int NearestPoint(const float* px, const float* py, int count, float x, float y, float* dist2) {
  int best = -1;
  float best_d = 0.0f;
  for (int i = 0; i < count; ++i) {
    if (std::isnan(px[i]) || std::isnan(py[i])) continue;
    const float d = (px[i] - x) * (px[i] - x) + (py[i] - y) * (py[i] - y);
    if (best < 0 || d < best_d) { best = i; best_d = d; }
  }
  if (dist2) *dist2 = best_d;
  return best;
}

}  // namespace attn::ui::chart
