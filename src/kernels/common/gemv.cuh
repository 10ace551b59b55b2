// gemv.cuh -- decode (M <= 8) without a shared-memory pipeline: every lane loads its packed weight
// fragments straight into registers (16-byte global loads, all of a batch issued at once), the 8
// warps of a CTA split one 16-row block's K, and the CTA sums their partials in shared memory in
// warp order (deterministic). No split across CTAs, so no workspace and no fixup: one CTA per row
// block, many small CTAs, and the only per-call chain is launch -> first bytes -> a few batches.
//
// The packed layout (src/host/layout.h) is the tensor-core A fragment: lane 4g + c of a warp holds,
// per 64-wide atom, four words = four k16 steps of rows (g, g + 8). So each word feeds one
// mma.sync.m16n8k16 (A = 16 rows x 16 k of weights, B = 16 k x 8 tokens of X, token = g): the lane
// loads its B fragment, X[g][k0 + 2c, +1] and X[g][k0 + 8 + 2c, +1], as two 32-bit global loads
// (L2-resident; lanes with g >= M load nothing and pass zeros). Padded rows and k (code 0, scale 0)
// dequantize to exactly 0; X past K is never read.
#pragma once
#include <cstdint>

#include "dispatch/configs.h"
#include "kernels/common/dequant.cuh"
#include "kernels/common/ptx.cuh"
#include "kernels/common/schedule.cuh"

namespace w4a16 {

struct GemvParams {
  const uint16_t* x;
  const uint4* codes;       // packed codes: [n16 / 16][ka][32 lanes] x 16 B
  const uint32_t* scales;   // packed scales as (s[r0], s[r0 + 8]) pairs: [groups][n16 / 2]
  const uint32_t* zeros;    // same, nullptr when symmetric
  const uint16_t* bias;     // nullptr without bias
  uint16_t* y;
  int64_t lda, ldy;
  int m, n, k;
  int ka, n16, group_shift;  // group_shift = log2(g); 31 for per-channel (one group)
};

using cfg::kGemvWarps;       // warps of a CTA, splitting the row block's K atoms
using cfg::kGemvCtasPerSm;   // CTAs per SM the registers must allow (the heuristic's one-wave rule)
constexpr int kGemvBatch = 4;  // atoms a lane loads at once (4 x 16 B of weights, 4 x 8 B of X)

// WG ("whole group"): every atom lies inside one quantization group (g >= 64, or per-channel), so a
// lane loads its scale (zero) pair once per atom instead of once per k16 step.
template <bool BF16, bool WG>
__global__ void __launch_bounds__(32 * kGemvWarps, kGemvCtasPerSm) gemv_w4a16_kernel(const GemvParams p) {
  __shared__ float4 red[kGemvWarps - 1][32];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int g = lane >> 2, c = lane & 3;
  const int rb = blockIdx.x;  // the 16-row block
  // This warp's atoms: an even share of the row block's ka atoms.
  const int a_begin = (int)((int64_t)p.ka * warp / kGemvWarps);
  const int a_end = (int)((int64_t)p.ka * (warp + 1) / kGemvWarps);
  const uint4* wsrc = p.codes + (int64_t)rb * p.ka * 32 + lane;

  // Programmatic dependent launch (as the sm90 kernels): let the next kernel launch, warm L2 with
  // this warp's first batch of weights, then wait for the previous kernel before any other access.
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)  // griddepcontrol: sm_90 and later
  ptx::launch_dependents();
  if (lane < 4 * min(kGemvBatch, a_end - a_begin))  // 4 lines of 128 B per 512-byte atom
    ptx::prefetch_l2(reinterpret_cast<const uint8_t*>(p.codes + ((int64_t)rb * p.ka + a_begin) * 32) + lane * 128);
  ptx::grid_dependency_wait();
#endif

  const DequantConsts<BF16> dq(p.zeros != nullptr);
  const bool has_tok = g < p.m;
  const uint16_t* xrow = p.x + (int64_t)(has_tok ? g : 0) * p.lda + 2 * c;
  const int64_t sz_row = (int64_t)p.n16 / 2;  // pairs per group row
  const int s_col = rb * 8 + g;               // this lane's pair in a group row
  float acc[4] = {0.f, 0.f, 0.f, 0.f};

  // A batch: kGemvBatch atoms of weights and their X fragments, all loaded before any is used (the
  // scale pairs follow in the compute loop, from L2). One batch at a time: a double-buffered
  // version (two batches of 2 atoms) measured slower at 4096^2 and 6144x4096 (docs/PERFORMANCE.md,
  // version 33).
  for (int a0 = a_begin; a0 < a_end; a0 += kGemvBatch) {
    uint4 wv[kGemvBatch];
    uint32_t xb[kGemvBatch][4][2];
#pragma unroll
    for (int i = 0; i < kGemvBatch; ++i) {
      const int a = a0 + i;
      if (a < a_end) wv[i] = ptx::ldg128_stream(wsrc + (int64_t)a * 32);
#pragma unroll
      for (int w = 0; w < 4; ++w) {
        const int k0 = a * 64 + 16 * w;
        const bool ok = has_tok && a < a_end;
        xb[i][w][0] = ok && k0 + 2 * c < p.k ? ptx::ldg32(xrow + k0) : 0u;
        xb[i][w][1] = ok && k0 + 8 + 2 * c < p.k ? ptx::ldg32(xrow + k0 + 8) : 0u;
      }
    }
#pragma unroll
    for (int i = 0; i < kGemvBatch; ++i) {
      const int a = a0 + i;
      if (a >= a_end) break;
      [[maybe_unused]] uint32_t s2 = 0, z2 = 0;
      if constexpr (WG) {
        const int64_t off = (int64_t)((a * 64) >> p.group_shift) * sz_row + s_col;
        s2 = ptx::ldg32(p.scales + off);
        z2 = p.zeros ? ptx::ldg32(p.zeros + off) : 0u;
      }
#pragma unroll
      for (int w = 0; w < 4; ++w) {
        if constexpr (!WG) {  // g = 32: K may end inside the atom, where no group row exists (X is 0 there)
          const int k0 = a * 64 + 16 * w;
          const int64_t off = (int64_t)(k0 >> p.group_shift) * sz_row + s_col;
          s2 = k0 < p.k ? ptx::ldg32(p.scales + off) : 0u;
          z2 = k0 < p.k && p.zeros ? ptx::ldg32(p.zeros + off) : 0u;
        }
        const uint32_t word = w == 0 ? wv[i].x : w == 1 ? wv[i].y : w == 2 ? wv[i].z : wv[i].w;
        uint32_t af[4];
        dequant_word<BF16>(word, s2, z2, af, dq);
        ptx::mma_m16n8k16<BF16>(acc, af, xb[i][w]);
      }
    }
  }

  // ---- the CTA's sum: warps 1..7 hand their C fragments to warp 0, which adds them in warp order --
  if (warp > 0) red[warp - 1][lane] = make_float4(acc[0], acc[1], acc[2], acc[3]);
  __syncthreads();
  if (warp > 0) return;
#pragma unroll
  for (int w = 0; w < kGemvWarps - 1; ++w) {
    const float4 v = red[w][lane];
    acc[0] += v.x;
    acc[1] += v.y;
    acc[2] += v.z;
    acc[3] += v.w;
  }
  // C fragment: acc[2h + t] is row g + 8h, token 2c + t.
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    const int n = rb * 16 + g + 8 * h;
    if (n >= p.n) continue;
    const float b = p.bias ? load_16<BF16>(p.bias + n) : 0.f;
#pragma unroll
    for (int t = 0; t < 2; ++t) {
      const int m = 2 * c + t;
      if (m < p.m) p.y[(int64_t)m * p.ldy + n] = round_16<BF16>(acc[2 * h + t] + b);
    }
  }
}

}  // namespace w4a16
