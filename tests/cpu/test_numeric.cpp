// The host fp16/bf16 conversions everything else trusts: known bit patterns, ties to even, limits.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "host/numeric.h"
#include "kernels/common/fast_div.h"

using namespace w4a16::num;

TEST(Numeric, HalfKnownValues) {
  EXPECT_EQ(double_to_half_bits(1.0), 0x3C00);
  EXPECT_EQ(double_to_half_bits(-2.0), 0xC000);
  EXPECT_EQ(double_to_half_bits(65504.0), 0x7BFF);
  EXPECT_EQ(double_to_half_bits(65520.0), 0x7C00);  // halfway to the next binade rounds up to inf
  EXPECT_EQ(double_to_half_bits(std::ldexp(1.0, -24)), 0x0001);
  EXPECT_EQ(double_to_half_bits(std::ldexp(1.0, -25)), 0x0000);  // tie to even (zero)
  EXPECT_EQ(double_to_half_bits(1.0 + std::ldexp(1.0, -11)), 0x3C00);  // tie to even
  EXPECT_EQ(double_to_half_bits(1.0 + 3 * std::ldexp(1.0, -11)), 0x3C02);
  EXPECT_EQ(double_to_half_bits(1024.0 + 7), 0x6407);  // the dequant magic 0x6400 = 1024
}

TEST(Numeric, Bf16KnownValues) {
  EXPECT_EQ(double_to_bf16_bits(1.0), 0x3F80);
  EXPECT_EQ(double_to_bf16_bits(128.0), 0x4300);  // the bf16 dequant magic
  EXPECT_EQ(double_to_bf16_bits(-136.0), 0xC308);
  EXPECT_EQ(double_to_bf16_bits(1.0 + std::ldexp(1.0, -8)), 0x3F80);  // tie to even
  EXPECT_EQ(double_to_bf16_bits(1.0 + 3 * std::ldexp(1.0, -8)), 0x3F82);
}

TEST(Numeric, RoundTripEveryFiniteHalfAndBf16) {
  for (uint32_t b = 0; b < 0x10000; ++b) {
    const uint16_t h = (uint16_t)b;
    const double v = half_bits_to_double(h);
    if (std::isfinite(v) && !(v == 0 && (h & 0x8000))) EXPECT_EQ(double_to_half_bits(v), h) << std::hex << b;
    const double w = bf16_bits_to_double(h);
    if (std::isfinite(w) && !(w == 0 && (h & 0x8000))) EXPECT_EQ(double_to_bf16_bits(w), h) << std::hex << b;
  }
}

// The multiply-and-shift division of the kernels' work-unit decode (kernels/common/fast_div.h):
// exact for every divisor's edge dividends and a random sample of the whole range.
TEST(Numeric, FastDivIsExact) {
  std::vector<uint32_t> divisors;
  for (uint32_t d = 1; d <= 4096; ++d) divisors.push_back(d);
  for (int l = 12; l <= 31; ++l)
    for (int64_t d : {(int64_t{1} << l) - 1, int64_t{1} << l, (int64_t{1} << l) + 1})
      if (d < (int64_t{1} << 31)) divisors.push_back((uint32_t)d);
  uint64_t s = 0x9E3779B97F4A7C15ull;
  auto rnd = [&] { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; };
  for (int i = 0; i < 2000; ++i) divisors.push_back(1 + (uint32_t)(rnd() % 0x7FFFFFFEu));
  const int64_t top = (int64_t{1} << 31) - 1;
  for (uint32_t d : divisors) {
    const w4a16::FastDiv f = w4a16::make_fast_div(d);
    std::vector<int64_t> ns = {0, 1, d - 1, d, (int64_t)d + 1, 2 * (int64_t)d - 1, top, top - 1, top - (top % d) - 1,
                               top - (top % d)};
    for (int i = 0; i < 200; ++i) ns.push_back((int64_t)(rnd() % (uint64_t)(top + 1)));
    for (int64_t n : ns) {
      if (n < 0 || n > top) continue;
      ASSERT_EQ(w4a16::fast_div((int)n, f), (int)(n / d)) << "n=" << n << " d=" << d;
    }
  }
}
