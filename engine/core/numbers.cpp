#include "core/numbers.h"

#include <cmath>
#include <cstdio>

namespace attn {

std::string GroupDigits(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string GroupDigits(double n) {
  if (!std::isfinite(n) || n < 0) return "0";
  if (n >= 1.8e19) n = 1.8e19;  // the largest uint64 is about 1.84e19
  return GroupDigits(static_cast<uint64_t>(std::llround(n)));
}

std::string BinaryBytes(double bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  if (!std::isfinite(bytes) || bytes < 0) bytes = 0;
  int u = 0;
  // "%.1f" would print 1023.96 KiB as "1024.0 KiB": such values move up a unit too.
  while ((bytes >= 1024.0 || (u > 0 && bytes >= 1023.95)) && u < 5) {
    bytes /= 1024.0;
    ++u;
  }
  char buf[32];
  if (u == 0) std::snprintf(buf, sizeof buf, "%.0f B", bytes);
  else std::snprintf(buf, sizeof buf, "%.1f %s", bytes, kUnits[u]);
  return buf;
}

}  // namespace attn
