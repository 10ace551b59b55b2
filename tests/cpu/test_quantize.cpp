// The quantizer: codes in range, error within the rounding bound, exact on degenerate groups.
#include <gtest/gtest.h>

#include <cmath>

#include "host/numeric.h"
#include "testkit/testkit.h"

using namespace w4a16;

namespace {
// Unit roundoff of the dtype the scales and W^ are stored in.
double unit(bool bf16) { return bf16 ? std::ldexp(1.0, -8) : std::ldexp(1.0, -11); }
}  // namespace

class Quantize : public ::testing::TestWithParam<std::tuple<int32_t, bool, bool>> {};

TEST_P(Quantize, ErrorWithinHalfAStep) {
  const auto [group, zeros, bf16] = GetParam();
  const uint64_t seed = kit::default_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  kit::Rng rng(seed);
  const int64_t n = 24, k = 512, g = group ? group : k, G = k / g;
  std::vector<float> w((size_t)(n * k));
  for (auto& v : w) v = (float)(rng.normal() * 0.05 + (zeros ? 0.02 : 0.0));
  kit::HostWeights hw;
  hw.n = n;
  hw.k = k;
  hw.group_size = group;
  hw.zeros = zeros;
  hw.bf16 = bf16;
  hw.codes.resize((size_t)(n * k / 2));
  hw.scales.resize((size_t)(n * G));
  hw.zero_vals.resize(zeros ? (size_t)(n * G) : 0);
  w4a16_canonical d = hw.desc();
  ASSERT_EQ(w4a16_quantize_host(w.data(), W4A16_SRC_FP32, &d), W4A16_OK) << w4a16_last_error();
  std::vector<float> deq((size_t)(n * k));
  ASSERT_EQ(w4a16_dequantize_host(&d, deq.data()), W4A16_OK);
  const double u = unit(bf16);
  for (int64_t r = 0; r < n; ++r)
    for (int64_t i = 0; i < k; ++i) {
      const double s = num::from_bits(hw.scales[r * G + i / g], bf16);
      const double wv = w[r * k + i], e = std::fabs(wv - deq[r * k + i]);
      // Half a quantization step, plus the scale's and the dequantized value's dtype rounding.
      const double bound = 0.5 * s + u * (std::fabs(wv) + 8 * s) + 1e-12;
      ASSERT_LE(e, bound) << "row " << r << " k " << i << " w " << wv << " s " << s;
    }
}

INSTANTIATE_TEST_SUITE_P(AllModes, Quantize,
                         ::testing::Combine(::testing::Values(32, 64, 128, 256, 0), ::testing::Bool(),
                                            ::testing::Bool()));

TEST(Quantize, DegenerateGroupsAreExact) {
  for (bool zeros : {false, true}) {
    // Each of 8 rows: group 0 all zero, group 1 all equal.
    std::vector<float> w(8 * 64, 0.f);
    for (int r = 0; r < 8; ++r)
      for (int i = 32; i < 64; ++i) w[r * 64 + i] = 0.375f;
    kit::HostWeights hw;
    hw.n = 8;
    hw.k = 64;
    hw.group_size = 32;
    hw.zeros = zeros;
    hw.codes.resize(8 * 32);
    hw.scales.resize(16);
    hw.zero_vals.resize(16);
    w4a16_canonical d = hw.desc();
    ASSERT_EQ(w4a16_quantize_host(w.data(), W4A16_SRC_FP32, &d), W4A16_OK) << w4a16_last_error();
    std::vector<float> deq(8 * 64);
    ASSERT_EQ(w4a16_dequantize_host(&d, deq.data()), W4A16_OK);
    EXPECT_EQ(deq, w);
  }
}

TEST(Quantize, AcceptsHalfAndBf16Sources) {
  kit::Rng rng(3);
  for (w4a16_src_dtype t : {W4A16_SRC_FP16, W4A16_SRC_BF16}) {
    std::vector<uint16_t> w = kit::random_16(rng, 8 * 128, t == W4A16_SRC_BF16, -0.2, 0.2);
    kit::HostWeights hw;
    hw.n = 8;
    hw.k = 128;
    hw.group_size = 128;
    hw.codes.resize(8 * 64);
    hw.scales.resize(8);
    w4a16_canonical d = hw.desc();
    ASSERT_EQ(w4a16_quantize_host(w.data(), t, &d), W4A16_OK);
    for (auto s : hw.scales) EXPECT_GT(num::half_bits_to_double(s), 0.0);
  }
}

TEST(Quantize, RefusesNonFiniteWeights) {
  std::vector<float> w(8 * 32, 0.1f);
  w[77] = NAN;
  kit::HostWeights hw;
  hw.n = 8;
  hw.k = 32;
  hw.group_size = 32;
  hw.codes.resize(8 * 16);
  hw.scales.resize(8);
  w4a16_canonical d = hw.desc();
  EXPECT_EQ(w4a16_quantize_host(w.data(), W4A16_SRC_FP32, &d), W4A16_ERR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(w4a16_last_error()).find("[2][13]"), std::string::npos) << w4a16_last_error();
}

// A finite weight whose group scale or zero rounds to infinity in the dtype is refused, naming the row
// and group: fp16 stops at 65504 (scale = 1e6 / 7, zero = min); bf16 holds both.
TEST(Quantize, RefusesScalesAndZerosThatOverflowTheDtype) {
  const struct {
    bool zeros;
    float big;
    const char* needle;
  } cases[] = {
      {false, 1e6f, "row 2, group 1: scale 142857.14 overflows fp16 (max 65504)"},
      {true, -1e5f, "row 2, group 1: zero -100000 overflows fp16 (max 65504)"},
      // s = 65499.9 / 15 rounds to 4368 and z to 0.1: both finite, but code 15 is z + 15 s = 65520.1.
      {true, 65500.f, "row 2, group 1: the largest code's value 65520.1 (zero + 15 x scale) overflows fp16"},
      // s = 7e4 / 7 = 10000 fits; code 15 is 7 s = 70000.
      {false, 7e4f, "row 2, group 1: the largest code's value 70000 (7 x scale) overflows fp16"},
  };
  for (const auto& c : cases) {
    std::vector<float> w(8 * 64, 0.1f);
    w[2 * 64 + 40] = c.big;  // row 2, group 1 of 32
    kit::HostWeights hw;
    hw.n = 8;
    hw.k = 64;
    hw.group_size = 32;
    hw.zeros = c.zeros;
    hw.codes.resize(8 * 32);
    hw.scales.resize(16);
    hw.zero_vals.resize(c.zeros ? 16 : 0);
    w4a16_canonical d = hw.desc();
    EXPECT_EQ(w4a16_quantize_host(w.data(), W4A16_SRC_FP32, &d), W4A16_ERR_INVALID_ARGUMENT);
    EXPECT_NE(std::string(w4a16_last_error()).find(c.needle), std::string::npos) << w4a16_last_error();
    hw.bf16 = true;
    d = hw.desc();
    ASSERT_EQ(w4a16_quantize_host(w.data(), W4A16_SRC_FP32, &d), W4A16_OK) << w4a16_last_error();
    std::vector<float> deq(8 * 64);
    ASSERT_EQ(w4a16_dequantize_host(&d, deq.data()), W4A16_OK);
    for (float v : deq) ASSERT_TRUE(std::isfinite(v));
    EXPECT_NEAR(deq[2 * 64 + 40], c.big, std::fabs(c.big) * 0.01);
  }
}
