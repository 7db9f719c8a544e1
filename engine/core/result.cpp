#include "core/result.h"

#include <cstdarg>
#include <cstdio>

namespace attn {

Error Errorf(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  va_list copy;
  va_copy(copy, args);
  const int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  std::string message(n > 0 ? static_cast<size_t>(n) : 0, '\0');
  if (n > 0) std::vsnprintf(message.data(), message.size() + 1, fmt, args);
  va_end(args);
  return Error{std::move(message)};
}

}  // namespace attn
