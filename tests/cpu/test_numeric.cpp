// The host fp16/bf16 conversions everything else trusts: known bit patterns, ties to even, limits.
#include <gtest/gtest.h>

#include <cmath>

#include "host/numeric.h"

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
