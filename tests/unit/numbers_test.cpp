// core/numbers.h and ui/text/format.h: how the figures print parameter counts, byte sizes, formats
// and the numbers of their state JSON.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "ui/text/format.h"
#include "core/numbers.h"

using namespace attn;
using namespace attn::ui;

TEST_CASE("numbers: digits grouped by thousands") {
  CHECK(GroupDigits(uint64_t{0}) == "0");
  CHECK(GroupDigits(uint64_t{999}) == "999");
  CHECK(GroupDigits(uint64_t{1000}) == "1,000");
  CHECK(GroupDigits(uint64_t{16090880}) == "16,090,880");
  CHECK(GroupDigits(uint64_t{124439808}) == "124,439,808");
  CHECK(GroupDigits(uint64_t{18446744073709551615ull}) == "18,446,744,073,709,551,615");
  CHECK(GroupDigits(2.5) == "3");  // rounded half away from zero
  CHECK(GroupDigits(1234567.4) == "1,234,567");
  CHECK(GroupDigits(-3.0) == "0");
  CHECK(GroupDigits(NAN) == "0");
}

TEST_CASE("numbers: sizes in powers of 1024") {
  CHECK(BinaryBytes(0) == "0 B");
  CHECK(BinaryBytes(1023) == "1023 B");
  CHECK(BinaryBytes(1024) == "1.0 KiB");
  CHECK(BinaryBytes(1536) == "1.5 KiB");
  CHECK(BinaryBytes(12582912) == "12.0 MiB");
  CHECK(BinaryBytes(1024.0 * 1024 - 1) == "1.0 MiB");  // not "1024.0 KiB"
  CHECK(BinaryBytes(3.0 * 1024 * 1024 * 1024) == "3.0 GiB");
  CHECK(BinaryBytes(-1) == "0 B");
}

TEST_CASE("format: printf into a string of any length; JSON numbers never non-finite") {
  using attn::ui::StrFormat;
  CHECK(StrFormat("第 %d 层 · %s", 3, "L3 H6") == "第 3 层 · L3 H6");
  const std::string long_word(3000, 'x');
  CHECK(StrFormat("<%s>", long_word.c_str()) == "<" + long_word + ">");  // past any fixed buffer
  CHECK(attn::ui::JsonNumber(0.1) == "0.10000000000000001");
  CHECK(attn::ui::JsonNumber(std::nan("")) == "0");
  CHECK(attn::ui::JsonFloats({1.5f, INFINITY, 0.25f}) == "[1.5,0,0.25]");
  CHECK(attn::ui::JsonFloats({}) == "[]");
}
