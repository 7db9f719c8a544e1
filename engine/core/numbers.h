// Numbers as the figures print them (unit-tested in tests/unit/numbers_test.cpp); the engine's messages use them too.
//
//   GroupDigits(16090880)     "16,090,880"    exact counts: parameters, bytes
//   BinaryBytes(12582912)     "12.0 MiB"      sizes, powers of 1024 (B, KiB, MiB, GiB, TiB)
#pragma once
#include <cstdint>
#include <string>

namespace attn {

std::string GroupDigits(uint64_t n);
// Rounds to the nearest whole number first (KV-cache sizes with q8_0's 34/32 bytes per value
// can be fractional); negative or non-finite input gives "0".
std::string GroupDigits(double n);
std::string BinaryBytes(double bytes);

}  // namespace attn
