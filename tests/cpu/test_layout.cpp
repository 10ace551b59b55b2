// The packed layout: position functions invert each other, and pack ∘ unpack = identity on random
// data for every family and group size (the proof behind src/host/layout.h).
#include <gtest/gtest.h>

#include <set>

#include "host/layout.h"
#include "host/numeric.h"
#include "testkit/testkit.h"

using namespace w4a16;

TEST(Layout, CodePositionsAreABijection) {
  const int64_t n = 48, k = 192, ka = layout::ceil_div(k, 64);
  std::set<std::pair<int64_t, int>> seen;
  for (int64_t r = 0; r < n; ++r)
    for (int64_t c = 0; c < k; ++c) {
      int64_t byte;
      int shift;
      layout::mma_code_pos(r, c, ka, &byte, &shift);
      ASSERT_TRUE(seen.insert({byte, shift}).second) << "collision at row " << r << " k " << c;
      int64_t r2, c2;
      layout::mma_code_source(byte, shift / 4, ka, &r2, &c2);
      ASSERT_EQ(r2, r);
      ASSERT_EQ(c2, c);
    }
  EXPECT_EQ((int64_t)seen.size(), n * k);
}

TEST(Layout, FragmentOrderMatchesTheDequant) {
  // Lane l = 4g + c, word w of an atom holds e0..e7 of rows g / g+8, columns 16w + 2c (+1, +8, +9)
  // in nibbles 0,4,1,5,2,6,3,7 (HOPPER-NOTES §7: interleave [0,2,4,6,1,3,5,7]).
  const int64_t ka = 1;
  const int g = 3, c = 2, w = 1;
  const int64_t rows[8] = {g, g, g + 8, g + 8, g, g, g + 8, g + 8};
  const int64_t cols[8] = {16 * w + 2 * c, 16 * w + 2 * c + 1, 16 * w + 2 * c, 16 * w + 2 * c + 1,
                           16 * w + 2 * c + 8, 16 * w + 2 * c + 9, 16 * w + 2 * c + 8, 16 * w + 2 * c + 9};
  const int nibble_of_e[8] = {0, 4, 1, 5, 2, 6, 3, 7};
  for (int e = 0; e < 8; ++e) {
    int64_t byte;
    int shift;
    layout::mma_code_pos(rows[e], cols[e], ka, &byte, &shift);
    EXPECT_EQ(byte / 16, 4 * g + c) << "lane";
    EXPECT_EQ((byte % 16) / 4, w) << "word";
    EXPECT_EQ((byte % 4) * 2 + shift / 4, nibble_of_e[e]) << "nibble of e" << e;
  }
}

TEST(Layout, ScaleIndexPairsRowsWithRowPlus8) {
  for (int64_t r = 0; r < 32; ++r) {
    const int64_t i = layout::mma_scale_index(r, 2, 32);
    EXPECT_EQ(layout::mma_scale_row(i % 32), r);
    if (r % 16 < 8) EXPECT_EQ(layout::mma_scale_index(r + 8, 2, 32), i + 1);
  }
}

TEST(Layout, SectionsAreAlignedAndSized) {
  const layout::Sections s = layout::mma_sections(264, 224, 32, true);
  EXPECT_EQ(s.n16, 272);
  EXPECT_EQ(s.ka, 4);
  EXPECT_EQ(s.codes_bytes, (size_t)(272 / 16 * 4 * 512));
  EXPECT_EQ(s.scales_off % 256, 0u);
  EXPECT_EQ(s.zeros_off % 256, 0u);
  EXPECT_EQ(s.scales_bytes, (size_t)(7 * 272 * 2));
}

class PackRoundTrip : public ::testing::TestWithParam<std::tuple<w4a16_family, int32_t, bool, bool>> {};

TEST_P(PackRoundTrip, UnpackOfPackIsIdentity) {
  const auto [family, group, zeros, bf16] = GetParam();
  const uint64_t seed = kit::default_seed();
  SCOPED_TRACE("seed " + std::to_string(seed));
  kit::Rng rng(seed);
  for (const auto& [n, k] : {std::pair<int64_t, int64_t>{8, 256}, {264, 1792}, {40, 512}}) {
    if (group != 0 && k % group != 0) continue;
    kit::HostWeights hw = kit::random_weights(rng, n, k, group, zeros, bf16);
    // Random codes everywhere (not only what the quantizer produces) so every nibble value is seen.
    for (auto& b : hw.codes) b = (uint8_t)rng.gen();
    size_t bytes = 0;
    ASSERT_EQ(w4a16_packed_size(family, n, k, group, zeros, &bytes), W4A16_OK);
    std::vector<uint8_t> packed(bytes, 0xAB);
    w4a16_weights w{};
    w4a16_canonical src = hw.desc();
    ASSERT_EQ(w4a16_pack_host(&src, family, packed.data(), bytes, &w), W4A16_OK) << w4a16_last_error();
    EXPECT_EQ(w.family, family);
    EXPECT_EQ(w.magic, W4A16_WEIGHTS_MAGIC);
    kit::HostWeights back = hw;
    std::fill(back.codes.begin(), back.codes.end(), 0);
    std::fill(back.scales.begin(), back.scales.end(), 0);
    std::fill(back.zero_vals.begin(), back.zero_vals.end(), 0);
    w4a16_canonical dst = back.desc();
    ASSERT_EQ(w4a16_unpack_host(&w, &dst), W4A16_OK) << w4a16_last_error();
    EXPECT_EQ(back.codes, hw.codes);
    EXPECT_EQ(back.scales, hw.scales);
    EXPECT_EQ(back.zero_vals, hw.zero_vals);
  }
}

INSTANTIATE_TEST_SUITE_P(
    AllFamilies, PackRoundTrip,
    ::testing::Combine(::testing::Values(W4A16_FAMILY_SM80, W4A16_FAMILY_SM90, W4A16_FAMILY_REFERENCE,
                                         W4A16_FAMILY_HOST),
                       ::testing::Values(32, 64, 128, 256, 0), ::testing::Bool(), ::testing::Bool()));

TEST(Layout, PaddingDequantizesToZero) {
  // Rows past N and k past K (K % 64 != 0) carry code 0 and scale 0 in the packed buffer.
  kit::Rng rng(7);
  kit::HostWeights hw = kit::random_weights(rng, 8, 96, 32, false, false);
  size_t bytes = 0;
  ASSERT_EQ(w4a16_packed_size(W4A16_FAMILY_SM90, 8, 96, 32, 0, &bytes), W4A16_OK);
  std::vector<uint8_t> packed(bytes, 0xAB);
  w4a16_weights w{};
  w4a16_canonical src = hw.desc();
  ASSERT_EQ(w4a16_pack_host(&src, W4A16_FAMILY_SM90, packed.data(), bytes, &w), W4A16_OK);
  const layout::Sections s = layout::mma_sections(8, 96, 32, false);
  for (int64_t b = 0; b < (int64_t)s.codes_bytes; ++b)
    for (int nib = 0; nib < 2; ++nib) {
      int64_t r, c;
      layout::mma_code_source(b, nib, s.ka, &r, &c);
      if (r >= 8 || c >= 96) EXPECT_EQ((packed[b] >> (4 * nib)) & 15, 0);
    }
  const auto* sc = reinterpret_cast<const uint16_t*>(packed.data() + s.scales_off);
  for (int64_t i = 0; i < s.groups * s.n16; ++i)
    if (layout::mma_scale_row(i % s.n16) >= 8) EXPECT_EQ(sc[i], 0);
}

// w4a16_weights::small_scales (the sm90 kernels' subnormal dequant needs every |s| < 0.25): 1 for the
// usual scales and for the largest ones below 0.25 of either sign, 0 as soon as one scale is 0.25, -0.25,
// larger, infinite or NaN, for every family and both dtypes.
TEST(Layout, SmallScalesFlag) {
  kit::Rng rng(kit::default_seed() + 11);
  for (const bool bf16 : {false, true})
    for (const w4a16_family family :
         {W4A16_FAMILY_SM80, W4A16_FAMILY_SM90, W4A16_FAMILY_REFERENCE, W4A16_FAMILY_HOST}) {
      kit::HostWeights hw = kit::random_weights(rng, 40, 512, 128, true, bf16);
      size_t bytes = 0;
      ASSERT_EQ(w4a16_packed_size(family, 40, 512, 128, 1, &bytes), W4A16_OK);
      std::vector<uint8_t> packed(bytes);
      const uint16_t below = bf16 ? 0x3E7F : 0x33FF, quarter = bf16 ? 0x3E80 : 0x3400;
      const uint16_t inf = bf16 ? 0x7F80 : 0x7C00, nan = bf16 ? 0x7FC0 : 0x7E00, big = bf16 ? 0x4480 : 0x6400;
      const struct {
        uint16_t bits;
        int flag;
      } cases[] = {{hw.scales[0], 1},          {below, 1},    {(uint16_t)(below | 0x8000), 1}, {quarter, 0},
                   {(uint16_t)(quarter | 0x8000), 0}, {big, 0}, {inf, 0},  {(uint16_t)(inf | 0x8000), 0},
                   {nan, 0}};
      const size_t at = (size_t)(rng.gen() % hw.scales.size());
      for (const auto& c : cases) {
        kit::HostWeights one = hw;
        one.scales[at] = c.bits;
        w4a16_canonical src = one.desc();
        w4a16_weights w{};
        ASSERT_EQ(w4a16_pack_host(&src, family, packed.data(), bytes, &w), W4A16_OK) << w4a16_last_error();
        EXPECT_EQ(w.small_scales, c.flag) << "scale bits 0x" << std::hex << c.bits << std::dec << " family " << family
                                          << (bf16 ? " bf16" : " fp16");
      }
    }
}

// The bound behind small_scales (layout::small_scale) keeps the sm90 subnormal dequant (dequant.cuh)
// exact: a code q at bits 6..9 (bf16 3..6) of a half is the value q * 2^-18 (q * 2^-130); for every fp16 /
// bf16 scale the bound accepts, the multiplier s * 2^18 (s * 2^130), made by two multiplications by 2^9
// (2^65), and the symmetric addend -8 s are exact and finite, so fma(h, s * 2^18, z or -8 s) is q * s + z or
// (q - 8) * s before its one rounding: the format's W^. The first scale refused, 0.25, overflows the
// multiplier. (The GPU check of the same, every q, s and z through the real instructions:
// bench/results/probes/2026-11-28_subnormal_dequant_check.cu.)
TEST(Layout, SmallScaleBoundKeepsTheSubnormalDequantExact) {
  for (const bool bf16 : {false, true}) {
    const int shift = bf16 ? 3 : 6, half_power = bf16 ? 65 : 9;
    const double unit = std::ldexp(1.0, bf16 ? -130 : -18);
    for (uint32_t q = 0; q < 16; ++q) EXPECT_EQ(num::from_bits((uint16_t)(q << shift), bf16), q * unit) << q;
    const auto exact = [bf16](double v) { return num::from_bits(num::to_bits(v, bf16), bf16) == v; };
    int accepted = 0;
    for (uint32_t b = 0; b < 65536; ++b) {
      const uint16_t bits = (uint16_t)b;
      const double s = num::from_bits(bits, bf16);
      if (!layout::small_scale(bits, bf16)) {
        EXPECT_TRUE(!std::isfinite(s) || std::fabs(s) >= 0.25) << std::hex << bits;
        continue;
      }
      ++accepted;
      ASSERT_TRUE(std::isfinite(s) && std::fabs(s) < 0.25) << std::hex << bits;
      ASSERT_TRUE(exact(std::ldexp(s, half_power))) << std::hex << bits;
      ASSERT_TRUE(exact(s / unit)) << std::hex << bits;
      ASSERT_TRUE(exact(-8.0 * s)) << std::hex << bits;
    }
    EXPECT_EQ(accepted, bf16 ? 2 * 0x3E80 : 2 * 0x3400);  // every finite |s| < 0.25, both signs
    EXPECT_TRUE(std::isinf(num::from_bits(num::to_bits(0.25 / unit, bf16), bf16)));
  }
}
