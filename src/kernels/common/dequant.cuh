// dequant.cuh -- one packed 32-bit word (8 codes, [0,2,4,6,1,3,5,7] interleave, src/host/layout.h) to
// one tensor-core A fragment: four registers of two fp16/bf16 values, W^ = (q - 8) * s or q * s + z,
// with no int->float instructions (HOPPER-NOTES §7; every variant checked bit-exact on all 2^32 words).
//
// Register j of the result holds elements (e_2j, e_2j+1); registers 0 and 2 are row r0 of the
// fragment, 1 and 3 row r0 + 8, so the scale pair (s[r0], s[r0+8]) is broadcast per register.
#pragma once
#include <cstdint>

#include "kernels/common/ptx.cuh"

namespace w4a16 {

// Per-launch dequant constants (uniform across the grid): symmetric codes subtract 8 in the
// exponent-magic step itself, codes with zeros subtract nothing and add z in the scale fma.
template <bool BF16>
struct DequantConsts {
  uint32_t lo_sub;  // fp16: subtracted from (1024 + q)          bf16: added after *1.0 to (128 + q)
  uint32_t hi_add;  // fp16: added to (1024 + 16q) / 16
  __device__ __forceinline__ explicit DequantConsts(bool zeros) {
    if constexpr (BF16) {
      lo_sub = zeros ? 0xC300C300u : 0xC308C308u;  // -128 or -136 (bf16)
      hi_add = 0;
    } else {
      lo_sub = zeros ? 0x64006400u : 0x64086408u;  // 1024 or 1032 (fp16)
      hi_add = zeros ? 0xD400D400u : 0xD480D480u;  // -64 or -72 (fp16)
    }
  }
};

// codes -> (q - bias) exactly, bias 8 (symmetric) or 0 (zeros).
template <bool BF16>
__device__ __forceinline__ void codes_to_values(uint32_t q, uint32_t (&o)[4], const DequantConsts<BF16>& k) {
  if constexpr (BF16) {
    // Only the low nibble position fits under bf16's 7-bit mantissa: one shift per nibble pair.
#pragma unroll
    for (int t = 0; t < 4; ++t) {
      const uint32_t r = ptx::lop3_and_or(q >> (4 * t), 0x000F000Fu, 0x43004300u);  // (128 + n_t, 128 + n_t+4)
      o[t] = ptx::fma_bf16x2(r, 0x3F803F80u, k.lo_sub);
    }
  } else {
    const uint32_t q8 = q >> 8;
    const uint32_t lo0 = ptx::lop3_and_or(q, 0x000F000Fu, 0x64006400u);   // (1024 + n0, 1024 + n4)
    const uint32_t hi0 = ptx::lop3_and_or(q, 0x00F000F0u, 0x64006400u);   // (1024 + 16 n1, ...)
    const uint32_t lo1 = ptx::lop3_and_or(q8, 0x000F000Fu, 0x64006400u);  // (n2, n6)
    const uint32_t hi1 = ptx::lop3_and_or(q8, 0x00F000F0u, 0x64006400u);  // (n3, n7)
    o[0] = ptx::sub_f16x2(lo0, k.lo_sub);
    o[1] = ptx::fma_f16x2(hi0, 0x2C002C00u, k.hi_add);  // * 1/16
    o[2] = ptx::sub_f16x2(lo1, k.lo_sub);
    o[3] = ptx::fma_f16x2(hi1, 0x2C002C00u, k.hi_add);
  }
}

// Full dequant of one word from broadcast scale (zero) halves: s_lo / s_hi hold s[r0] / s[r0 + 8] in
// both halves (z likewise; 0 for symmetric weights). One rounding per value, as the reference.
template <bool BF16>
__device__ __forceinline__ void dequant_word_bc(uint32_t q, uint32_t s_lo, uint32_t s_hi, uint32_t z_lo, uint32_t z_hi,
                                                uint32_t (&o)[4], const DequantConsts<BF16>& k) {
  codes_to_values<BF16>(q, o, k);
  if constexpr (BF16) {
    o[0] = ptx::fma_bf16x2(o[0], s_lo, z_lo);
    o[1] = ptx::fma_bf16x2(o[1], s_hi, z_hi);
    o[2] = ptx::fma_bf16x2(o[2], s_lo, z_lo);
    o[3] = ptx::fma_bf16x2(o[3], s_hi, z_hi);
  } else {
    o[0] = ptx::fma_f16x2(o[0], s_lo, z_lo);
    o[1] = ptx::fma_f16x2(o[1], s_hi, z_hi);
    o[2] = ptx::fma_f16x2(o[2], s_lo, z_lo);
    o[3] = ptx::fma_f16x2(o[3], s_hi, z_hi);
  }
}

// The subnormal form (the whole-group kernels of sm90's 16- to 64-token tiles and bf16's 128-token
// ones, cfg::sm90_subn_dequant). A code q moved to bits 6..9 of an fp16 half (bits 3..6 of a bf16 half),
// every other bit clear, is the exact subnormal q * 2^-18 (q * 2^-130), so fma(h, s * 2^18, c) is
// q * s + c rounded once: W^ with c = z, or with c = -8 s (exact) the symmetric round((q - 8) * s).
// Per word 4 shifts, 4 ands and 4 fmas, where the form above takes 4 packed sub/fma to reach q - 8 and
// 4 fmas after 1 shift and 4 lop3 (fp16) or 3 shifts and 4 lop3 (bf16): half the packed-half
// instructions. It needs |s| < 0.25 (s * 2^18 and s * 2^130 must stay finite): the pack records that
// in w4a16_weights::small_scales, and weights without it take the per-k16-step kernels, which use the
// form above. On the H200 the two forms gave identical bits for every q, every such s and every finite
// z, fp16 and bf16 (bench/results/probes/2026-11-28_subnormal_dequant_check.cu).
// b_lo / b_hi: s * 2^18 (bf16: s * 2^130) broadcast per row (subn_scale); c_lo / c_hi: the addend.
template <bool BF16>
__device__ __forceinline__ void dequant_word_subn(uint32_t q, uint32_t b_lo, uint32_t b_hi, uint32_t c_lo,
                                                  uint32_t c_hi, uint32_t (&o)[4]) {
  // Nibbles n_j sit at bits 4j..4j+3 (pairs (n0, n4), (n1, n5), ... per register, as above).
  constexpr uint32_t m = BF16 ? 0x00780078u : 0x03C003C0u;
  const uint32_t h0 = BF16 ? (q << 3) & m : (q << 6) & m;  // (n0, n4)
  const uint32_t h1 = BF16 ? (q >> 1) & m : (q << 2) & m;  // (n1, n5)
  const uint32_t h2 = BF16 ? (q >> 5) & m : (q >> 2) & m;  // (n2, n6)
  const uint32_t h3 = BF16 ? (q >> 9) & m : (q >> 6) & m;  // (n3, n7)
  if constexpr (BF16) {
    o[0] = ptx::fma_bf16x2(h0, b_lo, c_lo);
    o[1] = ptx::fma_bf16x2(h1, b_hi, c_hi);
    o[2] = ptx::fma_bf16x2(h2, b_lo, c_lo);
    o[3] = ptx::fma_bf16x2(h3, b_hi, c_hi);
  } else {
    o[0] = ptx::fma_f16x2(h0, b_lo, c_lo);
    o[1] = ptx::fma_f16x2(h1, b_hi, c_hi);
    o[2] = ptx::fma_f16x2(h2, b_lo, c_lo);
    o[3] = ptx::fma_f16x2(h3, b_hi, c_hi);
  }
}

// A scale pair as the subnormal form's multiplier: s * 2^18 (fp16), s * 2^130 (bf16), as two exact
// multiplications by 2^9 / 2^65 (bits 0x6000 in both dtypes; -0 as the addend keeps them exact).
template <bool BF16>
__device__ __forceinline__ uint32_t subn_scale(uint32_t s2) {
  constexpr uint32_t k = 0x60006000u, neg0 = 0x80008000u;
  return BF16 ? ptx::fma_bf16x2(ptx::fma_bf16x2(s2, k, neg0), k, neg0)
              : ptx::fma_f16x2(ptx::fma_f16x2(s2, k, neg0), k, neg0);
}
// The symmetric addend -8 s of a scale pair (exact).
template <bool BF16>
__device__ __forceinline__ uint32_t subn_sym_addend(uint32_t s2) {
  constexpr uint32_t neg0 = 0x80008000u;
  return BF16 ? ptx::fma_bf16x2(s2, 0xC100C100u, neg0) : ptx::fma_f16x2(s2, 0xC800C800u, neg0);
}

// The same from the 32-bit (row r0, row r0 + 8) pairs as stored in the packed scale layout; z2 = 0
// for symmetric weights.
template <bool BF16>
__device__ __forceinline__ void dequant_word(uint32_t q, uint32_t s2, uint32_t z2, uint32_t (&o)[4],
                                             const DequantConsts<BF16>& k) {
  dequant_word_bc<BF16>(q, ptx::bcast_lo(s2), ptx::bcast_hi(s2), ptx::bcast_lo(z2), ptx::bcast_hi(z2), o, k);
}

}  // namespace w4a16
