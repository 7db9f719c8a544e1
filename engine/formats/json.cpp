#include "formats/json.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/utf8.h"

namespace attn::json {

const Value* Value::Find(std::string_view key) const {
  for (const Member& m : object)
    if (m.key == key) return &m.value;
  return nullptr;
}

bool Value::IsInteger() const {
  return type == Type::Number && std::floor(number) == number && std::fabs(number) <= 9007199254740992.0;
}

namespace {

constexpr int kMaxDepth = 128;

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Result<Value> Document() {
    Value v;
    if (!ParseValue(v, 0)) return Error{error_};
    SkipSpace();
    if (pos_ != s_.size()) {
      Fail("unexpected text after the end");
      return Error{error_};
    }
    return v;
  }

 private:
  bool Fail(const char* what) {
    if (error_.empty()) error_ = "invalid JSON at byte " + std::to_string(pos_) + ": " + what;
    return false;
  }
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool Literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return Fail("unknown literal");
    pos_ += word.size();
    return true;
  }

  bool ParseValue(Value& v, int depth) {
    if (depth > kMaxDepth) return Fail("nested too deeply");
    SkipSpace();
    if (pos_ >= s_.size()) return Fail("unexpected end");
    const char c = s_[pos_];
    if (c == '{') return ParseObject(v, depth);
    if (c == '[') return ParseArray(v, depth);
    if (c == '"') { v.type = Value::Type::String; return ParseString(v.string); }
    if (c == 't') { v.type = Value::Type::Bool; v.boolean = true; return Literal("true"); }
    if (c == 'f') { v.type = Value::Type::Bool; return Literal("false"); }
    if (c == 'n') { v.type = Value::Type::Null; return Literal("null"); }
    return ParseNumber(v);
  }

  bool ParseObject(Value& v, int depth) {
    v.type = Value::Type::Object;
    ++pos_;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == '}') { ++pos_; return true; }
    for (;;) {
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != '"') return Fail("expected a key string");
      std::string key;
      if (!ParseString(key)) return false;
      SkipSpace();
      if (pos_ >= s_.size() || s_[pos_] != ':') return Fail("expected ':'");
      ++pos_;
      Value child;
      if (!ParseValue(child, depth + 1)) return false;
      v.object.push_back({std::move(key), std::move(child)});
      SkipSpace();
      if (pos_ < s_.size() && s_[pos_] == ',') { ++pos_; continue; }
      if (pos_ < s_.size() && s_[pos_] == '}') { ++pos_; return true; }
      return Fail("expected ',' or '}'");
    }
  }

  bool ParseArray(Value& v, int depth) {
    v.type = Value::Type::Array;
    ++pos_;
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == ']') { ++pos_; return true; }
    for (;;) {
      Value child;
      if (!ParseValue(child, depth + 1)) return false;
      v.array.push_back(std::move(child));
      SkipSpace();
      if (pos_ < s_.size() && s_[pos_] == ',') { ++pos_; continue; }
      if (pos_ < s_.size() && s_[pos_] == ']') { ++pos_; return true; }
      return Fail("expected ',' or ']'");
    }
  }

  bool Hex4(uint32_t* out) {
    if (pos_ + 4 > s_.size()) return Fail("truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= h - '0';
      else if (h >= 'a' && h <= 'f') v |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') v |= h - 'A' + 10;
      else return Fail("bad hex digit in \\u escape");
    }
    *out = v;
    return true;
  }

  bool ParseString(std::string& out) {
    ++pos_;  // opening quote
    for (;;) {
      if (pos_ >= s_.size()) return Fail("unterminated string");
      const unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') { ++pos_; break; }
      if (c < 0x20) return Fail("control character in a string");
      if (c != '\\') {
        if (c < 0x80) { out += static_cast<char>(c); ++pos_; continue; }
        const utf8::Decoded d = utf8::DecodeAt(s_, pos_);
        if (!d.valid) return Fail("invalid UTF-8 in a string");
        out.append(s_.substr(pos_, d.length));
        pos_ += d.length;
        continue;
      }
      if (++pos_ >= s_.size()) return Fail("unterminated escape");
      const char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a UTF-16 surrogate pair: \uD83D\uDE00
            uint32_t low = 0;
            if (s_.substr(pos_, 2) != "\\u") return Fail("lone high surrogate");
            pos_ += 2;
            if (!Hex4(&low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return Fail("bad low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Fail("lone low surrogate");
          }
          utf8::Append(out, cp);
          break;
        }
        default: return Fail("unknown escape");
      }
    }
    return true;
  }

  bool ParseNumber(Value& v) {
    const size_t start = pos_;
    if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
    if (pos_ >= s_.size() || !(s_[pos_] >= '0' && s_[pos_] <= '9')) return Fail("expected a value");
    if (s_[pos_] == '0') ++pos_;
    else while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (pos_ >= s_.size() || !(s_[pos_] >= '0' && s_[pos_] <= '9')) return Fail("expected digits after '.'");
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (pos_ >= s_.size() || !(s_[pos_] >= '0' && s_[pos_] <= '9')) return Fail("expected exponent digits");
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    }
    v.type = Value::Type::Number;
    v.number = std::strtod(std::string(s_.substr(start, pos_ - start)).c_str(), nullptr);
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

Result<Value> Parse(std::string_view text) { return Parser(text).Document(); }

std::string NonFiniteToNull(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < json.size()) out += json[++i];  // an escaped quote stays inside
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    const bool word_start = (c == 'n' || c == 'i' || c == 'N' || c == 'I' || c == '-') &&
                            (i == 0 || !std::isalnum(static_cast<unsigned char>(json[i - 1])));
    if (word_start) {
      size_t j = i + (c == '-');
      size_t end = j;
      while (end < json.size() && std::isalpha(static_cast<unsigned char>(json[end]))) ++end;
      std::string word(json.substr(j, end - j));
      for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (word == "nan" || word == "inf" || word == "infinity") {
        out += "null";
        i = end - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

std::string Quote(std::string_view text) {
  std::string out = "\"";
  for (size_t pos = 0; pos < text.size();) {
    const utf8::Decoded d = utf8::DecodeAt(text, pos);
    const char32_t c = d.codepoint;  // U+FFFD for an invalid byte
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
      out += esc;
    } else if (d.valid) {
      out.append(text.substr(pos, d.length));
    } else {
      utf8::Append(out, c);
    }
    pos += d.length;
  }
  return out + "\"";
}

std::string Write(const Value& v) {
  switch (v.type) {
    case Value::Type::Null: return "null";
    case Value::Type::Bool: return v.boolean ? "true" : "false";
    case Value::Type::Number: {
      if (!std::isfinite(v.number)) return "null";
      char buf[32];
      std::snprintf(buf, sizeof buf, v.IsInteger() ? "%.0f" : "%.17g", v.number);
      return buf;
    }
    case Value::Type::String: return Quote(v.string);
    case Value::Type::Array: {
      std::string out = "[";
      for (size_t i = 0; i < v.array.size(); ++i) out += (i ? "," : "") + Write(v.array[i]);
      return out + "]";
    }
    case Value::Type::Object: {
      std::string out = "{";
      for (size_t i = 0; i < v.object.size(); ++i) out += (i ? "," : "") + Quote(v.object[i].key) + ":" + Write(v.object[i].value);
      return out + "}";
    }
  }
  return "null";
}

}  // namespace attn::json
