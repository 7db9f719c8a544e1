// Errors as values: bad input (a truncated model file, invalid UTF-8, a prompt past the
// context) gets a clear message and the program keeps running. The engine never throws and
// never aborts on input; callers check `ok()` and show `error()` to the person.
//
//   Result<Model> m = LoadModel(bytes);
//   if (!m.ok()) { ShowError(m.error()); return; }
//   Use(*m);
#pragma once
#include <string>
#include <utility>
#include <variant>

namespace attn {

struct Error {
  std::string message;  // one sentence a student can act on: what, where, what to do
};

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

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing but can fail.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error.message)), failed_(true) {}  // NOLINT
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
  bool failed_ = false;
};

// Error{"..."} with printf-style formatting.
Error Errorf(const char* fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

}  // namespace attn
