// A small strict JSON parser (RFC 8259) for the few JSON files a model comes with:
// safetensors headers, Hugging Face config.json and vocab.json.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace attn::json {

struct Member;

struct Value {
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type = Type::Null;
  bool boolean = false;
  double number = 0.0;
  std::string string;
  std::vector<Value> array;
  std::vector<Member> object;  // in file order

  const Value* Find(std::string_view key) const;  // objects only; nullptr if absent
  bool IsInteger() const;                          // a Number with no fractional part, |x| <= 2^53
};

struct Member {
  std::string key;
  Value value;
};

// `text` as a JSON string literal, quotes included. Bytes that are not valid UTF-8 (a GPT-2
// token can be part of a character) become U+FFFD, so the output is always valid JSON.
std::string Quote(std::string_view text);

// Errors name the byte offset: "invalid JSON at byte 123: expected ':'".
Result<Value> Parse(std::string_view text);

// A parsed value as compact JSON again: what the student's notes keep of keys this version
// does not know (session/report.h). Numbers print with 17 significant digits (the same double
// back), non-finite ones as null.
std::string Write(const Value& value);

// JSON written with printf-style numbers as it is: every bare nan, -nan, inf or -inf outside
// strings (what %g and std::to_string print for non-finite values) becomes null, so the text
// stays valid JSON whatever a model computed.
std::string NonFiniteToNull(std::string_view json);

}  // namespace attn::json
