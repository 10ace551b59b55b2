// layout.h -- where every code, scale and zero lives, canonical and packed. Host and device share it.
//
// The packed ("mma") layout serves both GPU families, because in both the dequantized weight is the
// tensor-core A operand (wgmma RS on sm90, mma.sync.m16n8k16 on sm80) and one warp's A fragment of
// m16n8k16 is exactly one warp's slice of the wgmma m64 A fragment (HOPPER-NOTES §2, §8):
//
//   codes   [N16/16 row blocks][KA = ceil(K/64) atoms][32 lanes][4 words]   one atom = 512 B
//           Lane l = 4*g + c of a warp owns rows r0 = g and r0 + 8 of the row block and, in word w
//           (k16 step w of the atom), columns k0 = 16w + 2c, k0+1, k0+8, k0+9. Its eight fragment
//           elements e0..e7 = W[r0][k0], W[r0][k0+1], W[r0+8][k0], W[r0+8][k0+1], then the same at
//           k0+8; element e sits in nibble pos(e) = 4*(e%2) + e/2 (the [0,2,4,6,1,3,5,7]
//           interleave the lop3 dequant needs), so one 16-byte load gives a lane four k16 steps.
//   scales  [G = K/g][N16], dtype; inside each 16-row block the rows are ordered 0,8,1,9,...,7,15
//           so lane g reads (s[r0], s[r0+8]) with one 32-bit load.
//   zeros   same as scales (only with zeros).
// Rows are padded to N16 = N rounded up to 16 and K to a multiple of 64 with code 0 and scale 0,
// which dequantize to exactly 0. Each section starts on a 256-byte boundary (TMA wants 16).
//
// The canonical layout (REFERENCE and HOST families) is the user format of docs/FORMAT.md:
//   codes [N][K/2] (low nibble = even k), scales [N][G], zeros [N][G], same 256-byte sections.
#pragma once
#include <cstddef>
#include <cstdint>

#include "host/hd.h"

namespace w4a16::layout {

constexpr int kRowBlock = 16;     // rows per atom
constexpr int kAtomK = 64;        // k per atom
constexpr int kAtomBytes = 512;   // 16 rows x 64 k x 4 bit
constexpr int64_t kSectionAlign = 256;

W4A16_HD int64_t round_up(int64_t a, int64_t b) { return (a + b - 1) / b * b; }
W4A16_HD int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// A scale the sm90 kernels' subnormal dequant takes (kernels/common/dequant.cuh): finite, |s| < 0.25.
// Bits with the sign cleared compare as magnitudes: below 0.25's (fp16 0x3400, bf16 0x3E80); infinities
// and NaNs lie above. w4a16_weights::small_scales is 1 when every scale is one.
W4A16_HD bool small_scale(uint16_t bits, bool bf16) { return (bits & 0x7FFFu) < (bf16 ? 0x3E80u : 0x3400u); }

struct Sections {
  int64_t n16 = 0;      // rows as stored (mma: N rounded up to 16; canonical: N)
  int64_t ka = 0;       // mma: atoms per row block; canonical: 0
  int64_t groups = 0;   // G = K / g
  size_t codes_off = 0, codes_bytes = 0;
  size_t scales_off = 0, scales_bytes = 0;
  size_t zeros_off = 0, zeros_bytes = 0;  // zeros_bytes 0 without zeros
  size_t total = 0;
};

// g is the resolved group size (per-channel = k).
W4A16_HD Sections mma_sections(int64_t n, int64_t k, int64_t g, bool zeros) {
  Sections s;
  s.n16 = round_up(n, kRowBlock);
  s.ka = ceil_div(k, kAtomK);
  s.groups = k / g;
  s.codes_off = 0;
  s.codes_bytes = (size_t)(s.n16 / kRowBlock * s.ka * kAtomBytes);
  s.scales_off = (size_t)round_up((int64_t)s.codes_bytes, kSectionAlign);
  s.scales_bytes = (size_t)(s.groups * s.n16 * 2);
  s.zeros_off = (size_t)round_up((int64_t)(s.scales_off + s.scales_bytes), kSectionAlign);
  s.zeros_bytes = zeros ? s.scales_bytes : 0;
  s.total = (size_t)round_up((int64_t)(s.zeros_off + s.zeros_bytes), kSectionAlign);
  return s;
}

W4A16_HD Sections canonical_sections(int64_t n, int64_t k, int64_t g, bool zeros) {
  Sections s;
  s.n16 = n;
  s.groups = k / g;
  s.codes_bytes = (size_t)(n * k / 2);
  s.scales_off = (size_t)round_up((int64_t)s.codes_bytes, kSectionAlign);
  s.scales_bytes = (size_t)(s.groups * n * 2);
  s.zeros_off = (size_t)round_up((int64_t)(s.scales_off + s.scales_bytes), kSectionAlign);
  s.zeros_bytes = zeros ? s.scales_bytes : 0;
  s.total = (size_t)round_up((int64_t)(s.zeros_off + s.zeros_bytes), kSectionAlign);
  return s;
}

// Byte offset and bit shift of the code of element (n, k) in the mma codes section.
W4A16_HD void mma_code_pos(int64_t n, int64_t k, int64_t ka, int64_t* byte, int* shift) {
  const int64_t rb = n / kRowBlock, atom = k / kAtomK;
  const int rr = (int)(n % kRowBlock), kk = (int)(k % kAtomK);
  const int kstep = kk / 16, kin = kk % 16;
  const int g = rr % 8, hi = rr / 8;            // row r0 = g, or r0 + 8
  const int c = (kin % 8) / 2, half = kin / 8;  // column pair, and +8 half
  const int lane = 4 * g + c;
  const int e = 4 * half + 2 * hi + (kin % 2);  // fragment element e0..e7
  const int pos = 4 * (e % 2) + e / 2;          // nibble holding it
  *byte = ((rb * ka + atom) * 32 + lane) * 16 + kstep * 4 + pos / 2;
  *shift = (pos % 2) * 4;
}

// Inverse of mma_code_pos: the (n, k) whose code sits in nibble `nib` (0 low, 1 high) of byte `byte`
// of the codes section. Rows >= N or k >= K are padding.
W4A16_HD void mma_code_source(int64_t byte, int nib, int64_t ka, int64_t* n, int64_t* k) {
  const int64_t atom_idx = byte / kAtomBytes;
  const int64_t rb = atom_idx / ka, atom = atom_idx % ka;
  const int within = (int)(byte % kAtomBytes);
  const int lane = within / 16, kstep = (within % 16) / 4, pos = 2 * (within % 4) + nib;
  const int e = 2 * (pos % 4) + pos / 4;
  const int half = e / 4, hi = (e / 2) % 2, bit = e % 2;
  *n = rb * kRowBlock + lane / 4 + 8 * hi;
  *k = atom * kAtomK + kstep * 16 + 2 * (lane % 4) + 8 * half + bit;
}

// Inverse of mma_scale_index within one group row: position p of [N16] holds row mma_scale_row(p).
W4A16_HD int64_t mma_scale_row(int64_t p) {
  const int pp = (int)(p % kRowBlock);
  return p - pp + pp / 2 + 8 * (pp % 2);
}

// Element index of the scale (or zero) of row n, group grp in the mma scales section.
W4A16_HD int64_t mma_scale_index(int64_t n, int64_t grp, int64_t n16) {
  const int rr = (int)(n % kRowBlock);
  return grp * n16 + (n - rr) + 2 * (rr % 8) + rr / 8;
}

}  // namespace w4a16::layout
