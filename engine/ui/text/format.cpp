#include "ui/text/format.h"

#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace attn::ui {

std::string StrFormat(const char* fmt, ...) {
  char small[512];
  va_list args, again;
  va_start(args, fmt);
  va_copy(again, args);
  const int n = std::vsnprintf(small, sizeof small, fmt, args);
  va_end(args);
  std::string out;
  if (n < 0) {
    out = fmt;  // a broken format: show it rather than nothing
  } else if (n < static_cast<int>(sizeof small)) {
    out.assign(small, n);
  } else {
    out.resize(n + 1);
    std::vsnprintf(out.data(), out.size(), fmt, again);
    out.resize(n);
  }
  va_end(again);
  return out;
}

std::string JsonNumber(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", std::isfinite(v) ? v : 0.0);
  return buf;
}

std::string JsonFloats(const std::vector<float>& v) {
  std::string out = "[";
  char buf[32];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%s%.9g", i ? "," : "", std::isfinite(v[i]) ? v[i] : 0.0f);
    out += buf;
  }
  return out + "]";
}

}  // namespace attn::ui
