// The engine's messages to a person, in both languages (the table is messages.inc).
//
//   return MakeError<Msg::TensorTwice>(name);     // Error{"Tensor 'x' appears twice …", id, {"x"}}
//   FormatMessage(Msg::TensorTwice, {"x"}, Lang::Zh)   // "张量 “x” 在文件里出现了两次。"
//
// An Error keeps the message id and its arguments beside the English text, so the UI can show
// it in the language on screen, even after the student switches language.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace attn {

enum class Lang { Zh, En };

enum class Msg {
  None,  // a developer's error: English only (Errorf)
#define M(id, zh, en) id,
#include "core/messages.inc"
#undef M
  Count
};

// The format of a message in one language, with {0}, {1}, … for its arguments.
const char* MessageFormat(Msg id, Lang lang);
const char* MessageIdName(Msg id);  // "TensorTwice": for tests and diagnostics

// Replaces each {n} by args[n] (a missing argument stays "{n}", so a mistake shows).
std::string FormatMessage(Msg id, const std::vector<std::string>& args, Lang lang);

// The n of a "{n}" starting at format[i], else -1.
constexpr int PlaceholderAt(std::string_view format, size_t i) {
  return i + 2 < format.size() && format[i] == '{' && format[i + 1] >= '0' && format[i + 1] <= '9' &&
                 format[i + 2] == '}'
             ? format[i + 1] - '0'
             : -1;
}

// How many arguments a format names: one more than its highest {n}.
constexpr int PlaceholderCount(std::string_view format) {
  int n = 0;
  for (size_t i = 0; i < format.size(); ++i)
    if (const int k = PlaceholderAt(format, i); k + 1 > n) n = k + 1;
  return n;
}

inline constexpr std::string_view kEnglishFormats[] = {
    "",
#define M(id, zh, en) en,
#include "core/messages.inc"
#undef M
};

// A size in bytes, shown as "12.0 MiB" (core/numbers.h).
struct ByteSize {
  double bytes;
};

// Arguments become text when the error is made: integers in decimal, sizes in binary units.
// (Floating-point numbers are not accepted: each message decides its rounding, so the caller
// formats them.)
inline std::string MessageArg(std::string s) { return s; }
inline std::string MessageArg(const char* s) { return s ? s : ""; }
std::string MessageArg(ByteSize size);
template <typename T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
std::string MessageArg(T n) {
  return std::to_string(n);
}

}  // namespace attn
