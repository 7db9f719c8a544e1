// ui/chart/axis: the maths under the line chart widget (ticks, ranges, mapping, read-out).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "ui/chart/axis.h"

using namespace attn::ui::chart;

static const std::string kMinus = "\xE2\x88\x92";  // U+2212

static std::vector<double> Values(const std::vector<Tick>& ticks) {
  std::vector<double> v;
  for (const Tick& t : ticks) v.push_back(t.value);
  return v;
}

TEST_CASE("chart axis: linear ticks at 1-2-5 steps, inside the range, at most max_ticks") {
  CHECK(Values(LinearTicks(0, 64, 6)) == std::vector<double>{0, 20, 40, 60});
  CHECK(Values(LinearTicks(0, 64, 8)) == std::vector<double>{0, 10, 20, 30, 40, 50, 60});
  const std::vector<Tick> sym = LinearTicks(-1, 1, 5);
  REQUIRE(sym.size() == 5);
  CHECK(sym[0].text == kMinus + "1.0");
  CHECK(sym[1].text == kMinus + "0.5");
  CHECK(sym[2].text == "0.0");  // never "−0.0"
  CHECK(sym[4].text == "1.0");
  CHECK(sym[2].exponent.empty());
  for (double lo : {-3.7, 0.0, 0.001, 12.0})
    for (double span : {0.02, 1.0, 7.5, 1234.0})
      for (int max_ticks : {2, 3, 5, 9}) {
        CAPTURE(lo);
        CAPTURE(span);
        CAPTURE(max_ticks);
        const std::vector<Tick> ticks = LinearTicks(lo, lo + span, max_ticks);
        CHECK(ticks.size() >= 1);
        CHECK(static_cast<int>(ticks.size()) <= max_ticks);
        for (const Tick& t : ticks) CHECK((t.value >= lo - 1e-9 * span && t.value <= lo + span + 1e-9 * span));
      }
  CHECK(Values(LinearTicks(12.0, 19.5, 2)) == std::vector<double>{12.0, 19.5});  // no round number inside
  CHECK(LinearTicks(1, 0, 5).empty());
}

TEST_CASE("chart axis: min_step keeps the ticks of a count on whole numbers") {
  CHECK(Values(LinearTicks(1, 4, 10, 1.0)) == std::vector<double>{1, 2, 3, 4});
  CHECK(LinearTicks(1, 4, 10, 1.0)[0].text == "1");
  CHECK(LinearTicks(1, 4, 10).size() > 4);  // without it: halves
}

TEST_CASE("chart axis: log ticks at powers of ten, every k-th decade, exponents as superscripts") {
  const std::vector<Tick> wide = LogTicks(1e-12, 1e8, 6);
  REQUIRE(wide.size() == 6);
  CHECK(wide[0].value == doctest::Approx(1e-12));
  CHECK(wide[0].text == "10");
  CHECK(wide[0].exponent == kMinus + "12");
  CHECK(wide[3].value == 1.0);
  CHECK(wide[3].text == "1");
  CHECK(wide[3].exponent.empty());
  CHECK(wide[5].exponent == "8");
  const std::vector<Tick> narrow = LogTicks(0.01, 10, 10);
  CHECK(Values(narrow).size() == 4);
  CHECK(narrow[3].text == "10");
  CHECK(narrow[3].exponent.empty());
  CHECK(narrow[0].exponent == kMinus + "2");
  for (int max_ticks : {2, 3, 4, 7})
    for (double hi : {1e3, 1e12, 1e30}) {
      const std::vector<Tick> t = LogTicks(1e-30, hi, max_ticks);
      CHECK(t.size() >= 1);
      CHECK(static_cast<int>(t.size()) <= max_ticks);
    }
  // Less than a decade holds no power of ten: plain linear ticks instead, still inside.
  const std::vector<Tick> within = LogTicks(2, 8, 5);
  CHECK(within.size() >= 2);
  for (const Tick& t : within) CHECK((t.value >= 2 && t.value <= 8));
  CHECK(LogTicks(0, 10, 5).empty());  // a log axis cannot start at 0
}

TEST_CASE("chart axis: NiceRange widens to whole decades or whole steps") {
  double lo = 0.0108, hi = 2.9;
  NiceRange(&lo, &hi, true);
  CHECK(lo == doctest::Approx(0.01));
  CHECK(hi == doctest::Approx(10.0));
  lo = 0.01, hi = 10.0;  // already whole decades: unchanged
  NiceRange(&lo, &hi, true);
  CHECK(lo == doctest::Approx(0.01));
  CHECK(hi == doctest::Approx(10.0));
  lo = 1, hi = 64;
  NiceRange(&lo, &hi, false);
  CHECK(lo == 0.0);
  CHECK(hi >= 64.0);
  CHECK(std::fmod(hi, 20.0) == doctest::Approx(0.0));
  lo = hi = 5.0;  // an empty range grows around its value
  NiceRange(&lo, &hi, false);
  CHECK(lo < 5.0);
  CHECK(hi > 5.0);
}

TEST_CASE("chart axis: values map to pixels and back, y axes upside down, log axes by decade") {
  const Axis x{0.0, 10.0, false, 100.0f, 200.0f};
  CHECK(x.ToPixel(5.0) == doctest::Approx(150.0f));
  CHECK(x.FromPixel(150.0f) == doctest::Approx(5.0));
  CHECK(x.ToPixel(20.0) == doctest::Approx(300.0f));  // outside: not clamped (the widget clips)
  const Axis y{0.0, 1.0, false, 300.0f, 100.0f};
  CHECK(y.ToPixel(1.0) == doctest::Approx(100.0f));
  CHECK(y.ToPixel(0.25) == doctest::Approx(250.0f));
  const Axis log_y{1e-4, 1.0, true, 400.0f, 0.0f};
  CHECK(log_y.ToPixel(1e-2) == doctest::Approx(200.0f));
  CHECK(log_y.ToPixel(1e-3) == doctest::Approx(300.0f));
  CHECK(log_y.FromPixel(100.0f) == doctest::Approx(0.1));
  CHECK(std::isnan(log_y.ToPixel(0.0)));
  CHECK(std::isnan(log_y.ToPixel(-1.0)));
  CHECK(std::isnan(x.ToPixel(NAN)));
}

TEST_CASE("chart axis: read-out numbers and the nearest point") {
  CHECK(FormatValue(0.5) == "0.5");
  CHECK(FormatValue(12.0) == "12");
  CHECK(FormatValue(3.2e-5) == "3.2e" + kMinus + "5");
  CHECK(FormatValue(-2.0) == kMinus + "2");
  CHECK(FormatValue(1234567.0) == "1.23e6");
  CHECK(FormatValue(NAN) == "NaN");

  const float px[] = {NAN, 10.0f, 30.0f};  // a NaN first: it must not win by default
  const float py[] = {0.0f, 0.0f, 5.0f};
  float d2 = -1.0f;
  CHECK(NearestPoint(px, py, 3, 9.0f, 1.0f, &d2) == 1);
  CHECK(d2 == doctest::Approx(2.0f));
  CHECK(NearestPoint(px, py, 3, 0.0f, 0.0f) == 1);
  CHECK(NearestPoint(px, py, 3, 25.0f, 3.0f) == 2);
  CHECK(NearestPoint(px, py, 0, 0.0f, 0.0f) == -1);
}
