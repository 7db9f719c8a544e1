// Text the panels build: printf into a std::string (the i18n strings are printf formats,
// "第 %d 层"), and numbers for the state JSON that tests and the embed API read. No ImGui;
// unit-tested in tests/unit/numbers_test.cpp.
#pragma once
#include <string>
#include <vector>

namespace attn::ui {

// Any length: the text is never cut.
std::string StrFormat(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// A JSON number with 17 significant digits (the same double back); NaN and ±inf, which JSON
// cannot hold, as 0.
std::string JsonNumber(double v);
// [a,b,…] with 9 significant digits (the same float back); non-finite values as 0.
std::string JsonFloats(const std::vector<float>& v);

}  // namespace attn::ui
