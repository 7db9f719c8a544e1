// Errors as values: bad input (a truncated model file, invalid UTF-8, a prompt past the
// context) gets a clear message and the program keeps running. The engine never throws and
// never aborts on input; callers check `ok()`. `error()` is the English sentence (the CLI
// prints it); `failure()` also carries the message's id and arguments, which the UI shows in
// the language on screen (i18n::Tr(const Error&)).
//
//   Result<Model> m = LoadModel(bytes);
//   if (!m.ok()) { ShowError(i18n::Tr(m.failure())); return; }
//   Use(*m);
//   return m.failure();   // passing it up keeps the id
#pragma once
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/message.h"

namespace attn {

struct Error {
  std::string message;            // one sentence a student can act on: what, where, what to do (English)
  Msg id = Msg::None;             // its row in core/messages.inc, or None for a developer's error
  std::vector<std::string> args = {};  // the row's {0}, {1}, …
};

// An error from a row of messages.inc; the compiler checks the number of arguments.
template <Msg id, typename... Args>
Error MakeError(const Args&... args) {
  static_assert(sizeof...(Args) == PlaceholderCount(kEnglishFormats[static_cast<int>(id)]),
                "the message names a different number of {n} arguments");
  std::vector<std::string> text{MessageArg(args)...};
  std::string english = FormatMessage(id, text, Lang::En);
  return Error{std::move(english), id, std::move(text)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT: implicit on purpose
  Result(Error error) : v_(std::move(error)) {}         // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return std::get<1>(v_).message; }
  const Error& failure() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing but can fail.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return error_.message; }
  const Error& failure() const { return error_; }

 private:
  Error error_;
  bool failed_ = false;
};

// Error{"..."} with printf-style formatting: for errors only a developer meets (English only).
Error Errorf(const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

}  // namespace attn
