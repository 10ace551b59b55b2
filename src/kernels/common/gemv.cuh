// gemv.cuh -- decode (M <= 8) without a TMA pipeline: every lane streams its packed weight fragments
// straight into registers (16-byte global loads, kGemvDepth atoms in flight), the kGemvWarps (16)
// warps of a CTA split one 16-row block's K, and the CTA sums their partials in shared memory in
// warp order (deterministic). Latency-bound by design: few registers, so many warps per SM hide it.
// No split across CTAs, so no workspace and no fixup: one CTA per row block, many small CTAs, and
// the only per-call chain is launch -> first bytes -> the stream -> one CTA sum.
//
// The packed layout (src/host/layout.h) is the tensor-core A fragment: lane 4g + c of a warp holds,
// per 64-wide atom, four words = four k16 steps of rows (g, g + 8). So each word feeds one
// mma.sync.m16n8k16 (A = 16 rows x 16 k of weights, B = 16 k x 8 tokens of X, token = g). The B
// fragment lane 4g + c needs per atom is the eight 32-bit words X[g][2(c + 4j), +1], j = 0..7
// (k16 step j / 2, low or high half j % 2): strided, so each warp first copies its share of X into
// shared memory transposed, the eight words of (atom, token, c) side by side, and a lane then reads
// its whole atom's B fragments with two 16-byte loads. Lanes of tokens g >= M read token M - 1: their
// output columns are never stored, and a column of mma's D depends only on its own B column.
// Padded rows (code 0, scale 0) dequantize to exactly 0; padded k meet X staged as 0 past K (their
// codes are 0, but per-channel scales are real there, so the weights are not).
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
using cfg::kGemvCtasPerSm;   // CTAs per SM the registers and shared memory must allow
using cfg::kGemvDepth;       // atoms of weights (16 B per lane each) a lane keeps in flight
using cfg::kGemvAtomBytes;   // staged X per (atom, token): dynamic shared memory [ka][m][128 B]

// Copies X[0..M)[64 a_begin, 64 a_end) into this warp's part of the staged X (above): lane l takes
// 16-byte chunk q = l % 8 of atoms a_begin + l / 8 + 4 i, kBatch atoms of one token at a time;
// load() issues a batch, store() writes it (waiting for its loads). Chunk q of (atom, token r) holds
// the words j = q of lanes c = 0..3, which sit in 16-byte slot 4 (q / 4) + c, word q % 4; slots
// are XORed with 4 on odd tokens so that the two tokens a quarter-warp reads (16-byte loads go 8
// lanes at a time) fall in different banks.
struct GemvXStager {
  static constexpr int kBatch = 4;
  static constexpr int kSpan = 4 * kBatch;  // atoms of one token a batch covers
  const GemvParams& p;
  uint32_t xs;
  int a_begin, na, q, a_lane;
  uint4 v[kBatch];
  __device__ __forceinline__ GemvXStager(const GemvParams& prm, uint32_t smem, int ab, int ae, int lane)
      : p(prm), xs(smem), a_begin(ab), na(ae - ab), q(lane & 7), a_lane(lane >> 3) {}
  __device__ __forceinline__ void load(int r, int ai0) {
#pragma unroll
    for (int b = 0; b < kBatch; ++b) {
      const int ai = ai0 + a_lane + 4 * b;
      const int k = (a_begin + ai) * 64 + 8 * q;
      v[b] = ai < na && k < p.k ? ptx::ldg128(p.x + (int64_t)r * p.lda + k) : make_uint4(0u, 0u, 0u, 0u);
    }
  }
  __device__ __forceinline__ void store(int r, int ai0) const {
    const uint32_t swz = (r & 1) << 2;
    const uint32_t s0 = 16 * ((4 * (q >> 2)) ^ swz) + 4 * (q & 3);  // slots 4 (q / 4) + c, c = 0..3
#pragma unroll
    for (int b = 0; b < kBatch; ++b) {
      const int ai = ai0 + a_lane + 4 * b;
      if (ai >= na) break;
      const uint32_t base = xs + (uint32_t)(((a_begin + ai) * p.m + r) * kGemvAtomBytes) + s0;
      ptx::sts32(base, v[b].x);
      ptx::sts32(base + 16, v[b].y);
      ptx::sts32(base + 32, v[b].z);
      ptx::sts32(base + 48, v[b].w);
    }
  }
};

// FAMILY (80 or 90): the family whose launcher runs it (kernels/common/gemv_launch.cuh), which
// compiles it for its own targets. Code for sm_90 and later waits for the previous grid (PDL) in
// both; the sm90 family always launches it with PDL, the sm80 family where that code is what runs.
// WG ("whole group"): every atom lies inside one quantization group (g >= 64, or per-channel), so a
// lane loads one scale (zero) pair per atom; otherwise g = 32 and the atom's halves are two groups.
template <int FAMILY, bool BF16, bool WG, bool ZEROS>
__global__ void __launch_bounds__(32 * kGemvWarps, kGemvCtasPerSm) gemv_w4a16_kernel(const GemvParams p) {
  static_assert(FAMILY == 80 || FAMILY == 90, "gemv_w4a16_kernel: FAMILY is 80 or 90");
  __shared__ float4 red[kGemvWarps - 1][32];
  static_assert(sizeof(red) == cfg::kGemvStaticSmem, "the plan's shared-memory fit counts this array");
  extern __shared__ __align__(16) uint8_t gemv_x[];
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  const int g = lane >> 2, c = lane & 3;
  const int rb = blockIdx.x;  // the 16-row block
  // This warp's atoms: an even share of the row block's ka atoms.
  const int a_begin = (int)((int64_t)p.ka * warp / kGemvWarps);
  const int a_end = (int)((int64_t)p.ka * (warp + 1) / kGemvWarps);
  const uint4* wsrc = p.codes + (int64_t)rb * p.ka * 32 + lane;
  constexpr int kDepth = kGemvDepth;

  // Programmatic dependent launch (as the sm90 kernels): let the next kernel launch, warm L2 with
  // this warp's first atoms of weights, then wait for the previous kernel before any other access.
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900  // griddepcontrol: sm_90 and later (a no-op without PDL)
  ptx::launch_dependents();
  if (lane < 4 * min(kDepth, a_end - a_begin))  // 4 lines of 128 B per 512-byte atom
    ptx::prefetch_l2(reinterpret_cast<const uint8_t*>(p.codes + ((int64_t)rb * p.ka + a_begin) * 32) + lane * 128);
  ptx::grid_dependency_wait();
#endif

  // The ring of atoms in flight: weights and their scale (zero) pairs, [i][half] (half 1 only for g = 32).
  const int64_t sz_row = (int64_t)p.n16 / 2;  // pairs per group row
  const int s_col = rb * 8 + g;               // this lane's pair in a group row
  uint4 wv[kDepth];
  uint32_t sv[kDepth][WG ? 1 : 2], zv[kDepth][WG ? 1 : 2];
  auto issue = [&](int i, int a) {
    if (a >= a_end) return;
    wv[i] = ptx::ldg128_stream(wsrc + (int64_t)a * 32);
    const int64_t off = (int64_t)((a * 64) >> p.group_shift) * sz_row + s_col;
    sv[i][0] = ptx::ldg32(p.scales + off);
    if constexpr (ZEROS) zv[i][0] = ptx::ldg32(p.zeros + off);
    if constexpr (!WG) {  // the next group row, absent where K ends inside the atom (X is 0 there)
      const bool has = a * 64 + 32 < p.k;
      sv[i][1] = has ? ptx::ldg32(p.scales + off + sz_row) : 0u;
      if constexpr (ZEROS) zv[i][1] = has ? ptx::ldg32(p.zeros + off + sz_row) : 0u;
    }
  };
  // X's first batch goes out before the weights (it comes from L2 and the stage waits for it), then
  // the ring fills, then the rest of this warp's X.
  const uint32_t xs = ptx::smem_u32(gemv_x);
  GemvXStager stage(p, xs, a_begin, a_end, lane);
  stage.load(0, 0);
#pragma unroll
  for (int i = 0; i < kDepth; ++i) issue(i, a_begin + i);
  stage.store(0, 0);
  for (int r = 0; r < p.m; ++r) {
    for (int ai0 = r == 0 ? GemvXStager::kSpan : 0; ai0 < a_end - a_begin; ai0 += GemvXStager::kSpan) {
      stage.load(r, ai0);
      stage.store(r, ai0);
    }
  }
  __syncwarp();

  const DequantConsts<BF16> dq(ZEROS);
  const int r = min(g, p.m - 1);  // the staged token this lane reads
  const uint32_t swz = (uint32_t)(r & 1) << 6;
  const uint32_t x_lo = xs + (uint32_t)(r * kGemvAtomBytes) + ((16u * c) ^ swz);
  const uint32_t x_hi = xs + (uint32_t)(r * kGemvAtomBytes) + ((64u + 16u * c) ^ swz);
  const uint32_t x_step = (uint32_t)(p.m * kGemvAtomBytes);  // per atom
  float acc[4] = {0.f, 0.f, 0.f, 0.f};

  for (int a0 = a_begin; a0 < a_end; a0 += kDepth) {
#pragma unroll
    for (int i = 0; i < kDepth; ++i) {
      const int a = a0 + i;
      if (a >= a_end) break;
      const uint4 w = wv[i];
      const uint32_t s0 = sv[i][0], s1 = sv[i][WG ? 0 : 1];
      const uint32_t z0 = ZEROS ? zv[i][0] : 0u, z1 = ZEROS ? zv[i][WG ? 0 : 1] : 0u;
      issue(i, a + kDepth);  // refill the slot before computing on its old contents
      const uint4 xl = ptx::lds128(x_lo + (uint32_t)a * x_step);  // j = 0..3: k16 steps 0, 1
      const uint4 xh = ptx::lds128(x_hi + (uint32_t)a * x_step);  // j = 4..7: k16 steps 2, 3
      const uint32_t b[4][2] = {{xl.x, xl.y}, {xl.z, xl.w}, {xh.x, xh.y}, {xh.z, xh.w}};
      // Each scale (zero) pair's halves broadcast once: the symmetric kernels broadcast no zero pair,
      // whole groups one pair (0.1-0.7% faster on seven gemv points, H200, docs/PERFORMANCE.md v. 120).
      const uint32_t sl0 = ptx::bcast_lo(s0), sh0 = ptx::bcast_hi(s0);
      const uint32_t s_lo[2] = {sl0, WG ? sl0 : ptx::bcast_lo(s1)}, s_hi[2] = {sh0, WG ? sh0 : ptx::bcast_hi(s1)};
      const uint32_t zl0 = ZEROS ? ptx::bcast_lo(z0) : 0u, zh0 = ZEROS ? ptx::bcast_hi(z0) : 0u;
      const uint32_t z_lo[2] = {zl0, ZEROS && !WG ? ptx::bcast_lo(z1) : zl0},
                     z_hi[2] = {zh0, ZEROS && !WG ? ptx::bcast_hi(z1) : zh0};
      const uint32_t words[4] = {w.x, w.y, w.z, w.w};
#pragma unroll
      for (int s = 0; s < 4; ++s) {
        uint32_t af[4];
        dequant_word_bc<BF16>(words[s], s_lo[s / 2], s_hi[s / 2], z_lo[s / 2], z_hi[s / 2], af, dq);
        ptx::mma_m16n8k16<BF16>(acc, af, b[s]);
      }
    }
  }

  // ---- the CTA's sum: warps 1.. hand their C fragments to warp 0, which adds them in warp order ---
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
    const float bias = p.bias ? load_16<BF16>(p.bias + n) : 0.f;
#pragma unroll
    for (int t = 0; t < 2; ++t) {
      const int m = 2 * c + t;
      if (m < p.m) p.y[(int64_t)m * p.ldy + n] = round_16<BF16>(acc[2 * h + t] + bias);
    }
  }
}

}  // namespace w4a16
