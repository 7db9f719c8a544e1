#include <doctest/doctest.h>

#include <string>

#include "core/result.h"

using attn::Error;
using attn::Errorf;
using attn::Result;
using attn::Status;

static Result<int> Half(int x) {
  if (x % 2) return Errorf("%d is odd", x);
  return x / 2;
}

TEST_CASE("Result carries a value or a message") {
  const Result<int> good = Half(10);
  REQUIRE(good.ok());
  CHECK(*good == 5);
  const Result<int> bad = Half(7);
  CHECK_FALSE(bad.ok());
  CHECK(bad.error() == "7 is odd");
}

TEST_CASE("Status: ok by default, failed with a message") {
  Status s;
  CHECK(s.ok());
  Status f = Error{"the model file is truncated"};
  CHECK_FALSE(f.ok());
  CHECK(f.error() == "the model file is truncated");
  CHECK(Errorf("%s at byte %zu", "bad magic", size_t{4}).message == "bad magic at byte 4");
}
