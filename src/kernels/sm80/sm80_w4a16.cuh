// sm80_w4a16.cuh -- the mma.sync family: Ampere, Ada, Hopper (as plain sm_80 code) and Blackwell,
// SM120 included. Y^T tile = W^ tile * X tile^T with mma.sync.m16n8k16: the dequantized weight is the
// A operand (16 weight rows), the activations the B operand (8 tokens), so the packed layout is the
// same one the sm90 family reads (src/host/layout.h) and decode wastes 7/8 of an n8 MMA, not 15/16.
//
// Order: budget -> setup -> stage loader (cp.async) -> mainloop (ldmatrix X, LDS.128 + lop3 dequant
// W, mma) -> split-K fixup -> epilogue.
#pragma once
#include <cstdint>

#include "kernels/common/dequant.cuh"
#include "kernels/common/ptx.cuh"
#include "kernels/common/schedule.cuh"

namespace w4a16 {

struct Sm80Params {
  const uint16_t* x;
  const uint8_t* codes;     // packed codes section
  const uint16_t* scales;   // packed scales section
  const uint16_t* zeros;    // packed zeros section (nullptr when symmetric)
  const uint16_t* bias;     // nullptr without bias
  uint16_t* y;
  float* partials;          // split-K workspace
  SplitCounter* counters;
  unsigned long long split_tag;  // this launch's counter tag (schedule.cuh split_arrive)
  int64_t lda, ldy;
  int m, n, k;
  int n16, ka, groups, group_shift;  // group_shift = log2(g); 31 for per-channel (one group)
  int stages, split, tiles_n, tiles_m, kblocks;
  int groups_per_stage;
  bool band_m;  // tile raster bands along tokens (schedule.cuh)
  UnitDivs divs;  // decode_unit's divisors (make_unit_divs)
};

// cp.async.wait_group takes an immediate; the stage count is a run-time value derived from the
// device's shared memory, so pick the immediate with a switch. The switch compiles to a jump table
// (an indexed constant load and BRX, ~10 instructions per k-block); the 8- and 16-token decode tiles'
// depths (5 and 4 stages on the H100/H200) go first as two compares: up to 3% faster on their own (H200,
// docs/PERFORMANCE.md version 116).
__device__ __forceinline__ void cp_async_wait_dyn(int n) {
  if (n == 2) return ptx::cp_async_wait<2>();
  if (n == 3) return ptx::cp_async_wait<3>();
  switch (n) {
    case 0: ptx::cp_async_wait<0>(); break;
    case 1: ptx::cp_async_wait<1>(); break;
    case 2: ptx::cp_async_wait<2>(); break;
    case 3: ptx::cp_async_wait<3>(); break;
    case 4: ptx::cp_async_wait<4>(); break;
    case 5: ptx::cp_async_wait<5>(); break;
    default: ptx::cp_async_wait<6>(); break;
  }
}

// How often a thread loads its scale (zero) pairs from shared memory (SC, a template parameter):
//   kScalesPerKBlock: every k-block lies inside one quantization group (g >= KB, or per-channel): once
//     per k-block;
//   kScalesPerHalfAtom: smaller groups (g = 32, 64 < KB) in the tiles with registers to spare: once per
//     32 of k (a group never changes inside 32 of k, g >= 32), two pairs per 64-wide atom (equal for
//     g >= 64); the per-step form cost the decode tiles 14-20% at g = 64 (docs/PERFORMANCE.md, version 68);
//   kScalesPerStep: once per k16 step (the large tiles, whose registers are spoken for; the
//     one-column 32-row tiles hold them per k-block where g >= KB, with ZM fixed);
//   kScalesPerKBlockSubn: as kScalesPerKBlock, and the dequant in the subnormal form (dequant.cuh: 12
//     instructions per word instead of 13, half of them packed-half), its multiplier s * 2^18 (bf16
//     2^130) and addend (z, or -8 s) made once per k-block. It needs every |s| < 0.25
//     (w4a16_weights::small_scales); the launcher uses it in the tiles with whole-group scales
//     (cfg::Sm80Config::whole_group_scales: r128_t8/t16/t32, r64_t8/t16, r128_t64_w8x1, r128_t64_w4x1)
//     and sends other weights to their kScalesPerHalfAtom instance (the magic-number form: any group
//     >= 32, any scale). H200, against the magic-number form: decode 3.8-7.4%, M = 24-32 2.8-5.1%,
//     M = 64-128 1.3-7.9% faster (docs/PERFORMANCE.md, version 112).
enum : int { kScalesPerStep = 0, kScalesPerHalfAtom = 1, kScalesPerKBlock = 2, kScalesPerKBlockSubn = 3 };

// Whether the weights have zero points (ZM): read from p.zeros (kZerosRuntime), or fixed at compile
// time (kZerosNo, kZerosYes) for the tiles that hold their scale pairs per k-block only in the
// registers a symmetric instance frees (cfg::Sm80Config::kblock_scales_by_zero_mode).
enum : int { kZerosRuntime = 0, kZerosNo = 1, kZerosYes = 2 };

// MINB: CTAs per SM the registers must allow (cfg::Sm80Config::ctas()); ZM: the zero-point mode above;
// APART: the decode tiles' instance for Plan::sum_apart, whose splits store their partials and exit
// (sm80_splitk_sum sums them). An instance of its own: the branch in the one kernel cost the decode
// plans without it ~1% (4096x14336 M=4, 28672x4096 M=16; docs/PERFORMANCE.md version 98).
template <bool BF16, int WR, int WT, int WM, int WN, int KB, int SC, int MINB, int ZM = kZerosRuntime,
          bool APART = false>
__global__ void __launch_bounds__(32 * WR * WT, MINB) sm80_w4a16_kernel(const Sm80Params p) {
  // ---- budget ----------------------------------------------------------------------------------
  constexpr int kThreads = 32 * WR * WT;
  constexpr int BN = 16 * WM * WR;       // weight rows per tile
  constexpr int TN = 8 * WN * WT;        // tokens per tile
  constexpr bool kSubn = SC == kScalesPerKBlockSubn;                  // the dequant's form
  constexpr bool kPerKBlock = SC == kScalesPerKBlock || kSubn;           // scale pairs once per k-block
  // The decode tiles broadcast the subnormal form's pair halves through the fma's half selectors
  // (ptx::bcast_*_fold, no PRMT): 0.9-2.6% faster on six decode points (H200, version 112); the wider
  // tiles were measured with PRMT only.
  constexpr bool kFold = kSubn && TN <= 16;
  constexpr int kAtoms = KB / 64;        // packed atoms per row block per stage
  constexpr int kXRowBytes = KB * 2;
  constexpr int kXChunks = KB / 8;       // 16-byte chunks per X row
  static_assert(KB == 64 || KB == 128, "KB must be 64 or 128 (one or two 64-wide packed atoms)");
  static_assert(WN == 1 || WN % 2 == 0, "WN must be 1 or even (ldmatrix.x4 serves two n8 blocks)");
  constexpr int kWBytes = BN * KB / 2;
  // float4 loads the split-K read-back keeps in flight per thread (splitk_reduce). The decode tiles (at
  // most 16 accumulators, split up to 16 ways) keep 16: the last split's read-back of 4096x14336 M=16
  // (16 partials of 8 KiB) took 2.9 us with 8 and 2.0 with 16 in a per-CTA timeline on the H100
  // (docs/PERFORMANCE.md, version 66). The others as many of 8 as the registers beside the
  // accumulators allow, keeping 72 of a thread's registers for the rest (with 64, sm_120's r128_t32
  // spilled 4 bytes; the tiles with 64 accumulators at 128 registers, r128_t128 and r128_t128_w8x1,
  // spilled 4-8 bytes with 4 in flight, so they keep one).
  constexpr int kRegs = 65536 / (kThreads * MINB) < 255 ? 65536 / (kThreads * MINB) : 255;
  constexpr int kReduceRoom = (kRegs - WM * WN * 4 - 72) / 4;
  constexpr int kReduceInFlight =
      WM * WN * 4 <= 16 ? 16 : kReduceRoom > 8 ? 8 : kReduceRoom < 1 ? 1 : kReduceRoom;
  constexpr int kXBytes = TN * kXRowBytes;
  const int kSBytes = (p.groups_per_stage * BN * 2 + 15) / 16 * 16;
  const bool zeros = ZM == kZerosRuntime ? p.zeros != nullptr : ZM == kZerosYes;
  const int stage_bytes = (kWBytes + kXBytes + kSBytes * (zeros ? 2 : 1) + 127) / 128 * 128;

  extern __shared__ __align__(128) uint8_t smem[];
  __shared__ int s_flag;

  // ---- setup ------------------------------------------------------------------------------------
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  const int warp_r = warp % WR, warp_t = warp / WR;
  const int g = lane >> 2, c = lane & 3;
  const Unit u = decode_unit(blockIdx.x, p.tiles_n, p.tiles_m, p.split, 0, p.kblocks, p.band_m, p.divs);
  const int n0 = u.tile_n * BN, m0 = u.tile_m * TN;
  const int nk = u.kb_end - u.kb_begin;
  const int x_rows = min(TN, p.m - m0);  // rows past M stay zero: cleared once, never loaded
  const uint32_t smem_base = ptx::smem_u32(smem);
  const DequantConsts<BF16> dq(zeros);

  for (int i = tid; i < p.stages * (TN - x_rows) * kXChunks; i += kThreads) {
    const int st = i / ((TN - x_rows) * kXChunks), rem = i % ((TN - x_rows) * kXChunks);
    *reinterpret_cast<uint4*>(smem + st * stage_bytes + kWBytes + (x_rows + rem / kXChunks) * kXRowBytes +
                              (rem % kXChunks) * 16) = make_uint4(0, 0, 0, 0);
  }

  // ---- stage loader: one k-block of W atoms, X rows, scale (and zero) pairs ---------------------
  // Chunk c of a thread is chunk tid + c * kThreads of the stage. The thread counts divide the
  // chunks per row block and per X row, and the X rows a thread visits are a multiple of 8 apart,
  // so every chunk keeps the thread's column and swizzle: its global address is a per-thread base
  // (computed once) plus c row steps plus the k-block offset, and its shared-memory address a
  // compile-time offset. (Recomputing 64-bit row products per chunk and stage was ~30% of the
  // large tile's issued instructions, with spills; docs/PERFORMANCE.md.)
  constexpr int kWChunks = BN / 16 * kAtoms * 32, kXAll = TN * kXChunks;
  constexpr int kWBlocksPerPass = kThreads / (kAtoms * 32), kXRowsPerPass = kThreads / kXChunks;
  static_assert(kThreads % (kAtoms * 32) == 0 && kThreads % kXChunks == 0 && kXRowsPerPass % 8 == 0,
                "the loader keeps each thread's column and swizzle across its chunks");
  const int w_rem = tid % (kAtoms * 32), w_rb = tid / (kAtoms * 32);
  const uint8_t* w_base = p.codes + ((int64_t)(n0 / 16 + w_rb) * p.ka) * 512 + w_rem * 16;
  const int64_t w_step = (int64_t)kWBlocksPerPass * p.ka * 512;  // bytes between a thread's chunks
  const int x_j = tid % kXChunks, x_r = tid / kXChunks;
  const uint16_t* x_base = p.x + (int64_t)(m0 + x_r) * p.lda + 8 * x_j;
  const int64_t x_step = (int64_t)kXRowsPerPass * p.lda;  // elements between a thread's chunks
  const uint32_t x_dst = x_r * kXRowBytes + ((x_j ^ (x_r & 7)) * 16);
  // Tiles of <= 32 tokens, interior k-blocks (the row tile inside N, the k-block inside K): no
  // per-chunk checks or zero fills, and the stage's scale (zero) chunks one copy per thread instead
  // of the general loop. With the wait's two compares (cp_async_wait_dyn) it took the 8-token tile
  // from 404 to 368 instructions per warp and k-block (16-token: -11%; ncu, H200) and ran 1.4-7% faster
  // on every decode point measured (docs/PERFORMANCE.md version 116). The wider tiles keep version
  // 91's X path and the checked W and scale loops (probe 94 measured no change there).
  constexpr bool kLean = TN <= 32;
  static_assert(!kLean || KB / 32 * (BN / 8) <= kThreads, "every scale chunk of a stage has a thread (g >= 32)");
  const bool whole_rows = n0 + BN <= p.n16;
  auto load_stage = [&](int st, int kb) {
    const uint32_t s_w = smem_base + st * stage_bytes, s_x = s_w + kWBytes, s_s = s_x + kXBytes;
    const int k0 = kb * KB;
    if constexpr (kLean) {
      if (whole_rows && k0 + KB <= p.k) {
        const uint8_t* w_src = w_base + (int64_t)kb * kAtoms * 512;
#pragma unroll
        for (int c = 0; c * kThreads < kWChunks; ++c) {
          if (kWChunks % kThreads != 0 && tid + c * kThreads >= kWChunks) break;
          ptx::cp_async16(s_w + (tid + c * kThreads) * 16, w_src + c * w_step);
        }
        const uint16_t* x_src = x_base + k0;
#pragma unroll
        for (int c = 0; c * kThreads < kXAll; ++c)
          if (x_r + c * kXRowsPerPass < x_rows)
            ptx::cp_async16(s_x + x_dst + c * kXRowsPerPass * kXRowBytes, x_src + c * x_step);
        if (tid < p.groups_per_stage * (BN / 8)) {  // BN / 8 chunks of 8 rows per group
          const int gi = tid / (BN / 8), cc = tid % (BN / 8);
          const int64_t off = (int64_t)((k0 >> p.group_shift) + gi) * p.n16 + n0 + 8 * cc;
          ptx::cp_async16(s_s + tid * 16, p.scales + off);
          if (zeros) ptx::cp_async16(s_s + kSBytes + tid * 16, p.zeros + off);
        }
        return;
      }
    }
    // W: BN/16 row blocks, each kAtoms contiguous atoms in global memory.
    const bool w_k_ok = kb * kAtoms + w_rem / 32 < p.ka;
    const uint8_t* w_src = w_base + (int64_t)kb * kAtoms * 512;
#pragma unroll
    for (int c = 0; c * kThreads < kWChunks; ++c) {
      if (kWChunks % kThreads != 0 && tid + c * kThreads >= kWChunks) break;
      const bool ok = w_k_ok && n0 / 16 + w_rb + c * kWBlocksPerPass < p.n16 / 16;
      ptx::cp_async16(s_w + (tid + c * kThreads) * 16, ok ? w_src + c * w_step : p.codes, ok ? 16 : 0);
    }
    // X: rows m0..m0+x_rows, 16-byte chunk j of row r stored at chunk j ^ (r % 8) (ldmatrix
    // reads 8 rows at one logical chunk: the XOR spreads them over all 32 banks).
    const uint16_t* x_src = x_base + k0;
    if (TN >= 64 && x_rows == TN && k0 + KB <= p.k) {
      // A whole token tile inside K (every k-block but a K tail, every token tile but the last):
      // no per-chunk checks, one pointer step per chunk. The checked loop below issued ~16
      // instructions per chunk, ~1/5 of the large tiles' instructions; this one measured 4.5-6.2%
      // faster at M >= 1024 and 3% at M = 64; not used by the decode tiles, whose two chunks per
      // thread read 0.9% slower with it (docs/PERFORMANCE.md, version 91).
      const uint16_t* src = x_src;
#pragma unroll
      for (int c = 0; c * kThreads < kXAll; ++c, src += x_step)
        ptx::cp_async16(s_x + x_dst + c * kXRowsPerPass * kXRowBytes, src);
    } else {
      const bool x_k_ok = k0 + 8 * x_j < p.k;
#pragma unroll
      for (int c = 0; c * kThreads < kXAll; ++c) {
        if (x_r + c * kXRowsPerPass >= x_rows) break;
        ptx::cp_async16(s_x + x_dst + c * kXRowsPerPass * kXRowBytes, x_k_ok ? x_src + c * x_step : p.x,
                        x_k_ok ? 16 : 0);
      }
    }
    // Scales (and zeros): groups_per_stage groups x BN rows, rows contiguous in the packed layout.
    const int grp0 = k0 >> p.group_shift;
    for (int i = tid; i < p.groups_per_stage * BN / 8; i += kThreads) {
      const int gi = i / (BN / 8), cc = i % (BN / 8);
      const bool ok = grp0 + gi < p.groups && n0 + 8 * cc < p.n16;
      const int64_t off = (int64_t)(grp0 + gi) * p.n16 + n0 + 8 * cc;
      ptx::cp_async16(s_s + i * 16, ok ? p.scales + off : p.scales, ok ? 16 : 0);
      if (zeros) ptx::cp_async16(s_s + kSBytes + i * 16, ok ? p.zeros + off : p.zeros, ok ? 16 : 0);
    }
  };

  // Programmatic dependent launch (sm_90 and later; the launcher sets it only for the decode tiles
  // and only where this code is what runs): let the next grid launch, warm L2 with the weights of
  // the stages the prologue loads, then wait for the previous grid before any other global access.
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  if constexpr (TN <= 16) {
    ptx::launch_dependents();
    if (w_rem % 8 == 0) {  // one thread per 128-byte line
      for (int s = 0; s < min(p.stages - 1, nk); ++s) {
        if ((u.kb_begin + s) * kAtoms + w_rem / 32 >= p.ka) break;
#pragma unroll
        for (int c = 0; c * kThreads < kWChunks; ++c) {
          if (kWChunks % kThreads != 0 && tid + c * kThreads >= kWChunks) break;
          if (n0 / 16 + w_rb + c * kWBlocksPerPass < p.n16 / 16)
            ptx::prefetch_l2(w_base + (int64_t)(u.kb_begin + s) * kAtoms * 512 + c * w_step);
        }
      }
    }
    ptx::grid_dependency_wait();
  }
#endif

  // ---- mainloop ---------------------------------------------------------------------------------
  float acc[WM][WN][4];
#pragma unroll
  for (int i = 0; i < WM; ++i)
#pragma unroll
    for (int j = 0; j < WN; ++j)
#pragma unroll
      for (int t = 0; t < 4; ++t) acc[i][j][t] = 0.f;

  for (int s = 0; s < p.stages - 1; ++s) {
    if (s < nk) load_stage(s, u.kb_begin + s);
    ptx::cp_async_commit();  // empty groups keep the wait count uniform
  }

  // Stage indices advance with wrap-around counters (a run-time modulo per k-block cost an integer
  // division sequence).
  int st = 0, st_pre = p.stages - 1;  // the stage read now / filled by the next prefetch
  // The per-thread shared-memory offsets of the k-block loop's loads (W words, scale pairs, ldmatrix
  // rows: o_x[ks] for k16 step ks of an atom, + 128 B per atom and 8 rows per n8 block), made once
  // and passed through an opaque move: without it the compiler recomputed them from the thread index
  // in every k-block (~45 PTX instructions). In the lean tiles 11-12% fewer instructions again and
  // 3-7.4% faster on every decode point measured (version 117); in r128_t64_w4x1 1.7-3.3% faster at
  // M = 64-128 (version 119). r128_t64_w8x1 ran 1.3% slower with them (H200, docs/PERFORMANCE.md).
  constexpr bool kPin = kLean || (TN == 64 && WT == 1 && WR == 4);
  [[maybe_unused]] uint32_t o_w = 0, o_s = 0, o_x[4] = {0, 0, 0, 0};
  if constexpr (kPin) {
    o_w = ((warp_r * WM) * kAtoms * 32 + lane) * 16;
    o_s = kWBytes + kXBytes + (((warp_r * WM) * 16 + 2 * g) >> 1) * 4;
    const int r = WN == 1 ? (lane & 7) : ((lane >> 4) << 3) + (lane & 7), hi = (lane >> 3) & 1, t7 = lane & 7;
#pragma unroll
    for (int ks = 0; ks < 4; ++ks) o_x[ks] = kWBytes + (warp_t * 8 * WN + r) * kXRowBytes + (((2 * ks + hi) ^ t7) * 16);
    asm volatile("mov.b32 %0, %0;" : "+r"(o_w));
    asm volatile("mov.b32 %0, %0;" : "+r"(o_s));
#pragma unroll
    for (int ks = 0; ks < 4; ++ks) asm volatile("mov.b32 %0, %0;" : "+r"(o_x[ks]));
  }
  for (int it = 0; it < nk; ++it, st = st + 1 == p.stages ? 0 : st + 1) {
    cp_async_wait_dyn(p.stages - 2);  // stage `it` has landed ...
    __syncthreads();                  // ... for every thread, and stage it-1 is free for reuse
    {
      const int pre = it + p.stages - 1;
      if (pre < nk) load_stage(st_pre, u.kb_begin + pre);
      ptx::cp_async_commit();
      st_pre = st_pre + 1 == p.stages ? 0 : st_pre + 1;
    }
    const uint8_t* s_w = smem + st * stage_bytes;
    const uint32_t sb = smem_base + st * stage_bytes, s_x = sb + kWBytes;  // the stage's shared address, its X
    const uint32_t* s_s = reinterpret_cast<const uint32_t*>(s_w + kWBytes + kXBytes);
    const uint32_t* s_z = reinterpret_cast<const uint32_t*>(s_w + kWBytes + kXBytes + kSBytes);
    const int k0 = (u.kb_begin + it) * KB;
    // The pair of (row r0, r0 + 8) of row block mi for the group at k offset kk of this stage.
    auto pair_at = [&](int kk, int mi) {
      const int gl = ((k0 + kk) >> p.group_shift) - (k0 >> p.group_shift);
      return (gl * BN + (warp_r * WM + mi) * 16 + 2 * g) >> 1;
    };
    [[maybe_unused]] uint32_t s2[WM][2], z2[WM][2];  // [mi][half of the atom] (per k-block: [mi][0])
    if constexpr (kPerKBlock) {
#pragma unroll
      for (int mi = 0; mi < WM; ++mi) {
        const int pair = ((warp_r * WM + mi) * 16 + 2 * g) >> 1;
        if constexpr (kSubn && kPin) {  // as below, at the pinned offset (pair * 4 = o_s + 32 mi)
          const uint32_t s_raw = ptx::lds32(sb + o_s + mi * 32);
          s2[mi][0] = s2[mi][1] = subn_scale<BF16>(s_raw);
          z2[mi][0] = z2[mi][1] = zeros ? ptx::lds32(sb + o_s + kSBytes + mi * 32) : subn_sym_addend<BF16>(s_raw);
        } else if constexpr (kSubn) {  // the subnormal form's multiplier s * 2^18 (bf16 2^130) and addend z or -8 s
          const uint32_t s_raw = s_s[pair];
          s2[mi][0] = s2[mi][1] = subn_scale<BF16>(s_raw);
          z2[mi][0] = z2[mi][1] = zeros ? s_z[pair] : subn_sym_addend<BF16>(s_raw);
        } else {
          s2[mi][0] = s2[mi][1] = s_s[pair];
          z2[mi][0] = z2[mi][1] = zeros ? s_z[pair] : 0u;
        }
      }
    }

#pragma unroll
    for (int atom = 0; atom < kAtoms; ++atom) {
      uint4 wv[WM];
#pragma unroll
      for (int mi = 0; mi < WM; ++mi)
        wv[mi] = kPin ? ptx::lds128(sb + o_w + (mi * kAtoms + atom) * 512)
                       : *reinterpret_cast<const uint4*>(s_w + (((warp_r * WM + mi) * kAtoms + atom) * 32 + lane) * 16);
      if constexpr (SC == kScalesPerHalfAtom) {
#pragma unroll
        for (int mi = 0; mi < WM; ++mi)
#pragma unroll
          for (int h = 0; h < 2; ++h) {
            const int pair = pair_at(atom * 64 + 32 * h, mi);
            s2[mi][h] = s_s[pair];
            z2[mi][h] = zeros ? s_z[pair] : 0u;
          }
      }
#pragma unroll
      for (int ks = 0; ks < 4; ++ks) {
        const int kk = atom * 64 + ks * 16;  // k offset inside the stage
        [[maybe_unused]] const int gl =
            SC == kScalesPerStep ? ((k0 + kk) >> p.group_shift) - (k0 >> p.group_shift) : 0;
        uint32_t a[WM][4];
#pragma unroll
        for (int mi = 0; mi < WM; ++mi) {
          const uint32_t q = ks == 0 ? wv[mi].x : ks == 1 ? wv[mi].y : ks == 2 ? wv[mi].z : wv[mi].w;
          if constexpr (kSubn) {
            const uint32_t b = s2[mi][0], z = z2[mi][0];
            if constexpr (kFold)
              dequant_word_subn<BF16>(q, ptx::bcast_lo_fold(b), ptx::bcast_hi_fold(b), ptx::bcast_lo_fold(z),
                                      ptx::bcast_hi_fold(z), a[mi]);
            else
              dequant_word_subn<BF16>(q, ptx::bcast_lo(b), ptx::bcast_hi(b), ptx::bcast_lo(z), ptx::bcast_hi(z), a[mi]);
          } else if constexpr (SC != kScalesPerStep) {
            dequant_word<BF16>(q, s2[mi][ks >> 1], z2[mi][ks >> 1], a[mi], dq);
          } else {
            // pair_at(kk, mi), with gl hoisted out of the mi loop: the call itself compiled to other
            // code in three of these hot loops and measured 0.4-1.1% slower (docs/PERFORMANCE.md,
            // probe 86).
            const int pair = (gl * BN + (warp_r * WM + mi) * 16 + 2 * g) >> 1;
            dequant_word<BF16>(q, s_s[pair], zeros ? s_z[pair] : 0u, a[mi], dq);
          }
        }
#pragma unroll
        for (int ni = 0; ni < WN; ni += (WN == 1 ? 1 : 2)) {
          uint32_t b[2][2];
          const int tok0 = warp_t * 8 * WN + ni * 8;
          if constexpr (WN == 1) {
            // lanes 0-7: tokens at k chunk lo, lanes 8-15: same tokens at k chunk hi
            const int tok = tok0 + (lane & 7), ch = kk / 8 + ((lane >> 3) & 1);
            uint32_t r[2];
            ptx::ldmatrix_x2(r, kPin ? sb + o_x[ks] + atom * 128 + ni * 8 * kXRowBytes
                                      : s_x + tok * kXRowBytes + ((ch ^ (tok & 7)) * 16));
            b[0][0] = r[0];
            b[0][1] = r[1];
          } else {
            // matrices: (tokens ni, k lo), (ni, k hi), (ni+1, k lo), (ni+1, k hi)
            const int tok = tok0 + ((lane >> 4) << 3) + (lane & 7), ch = kk / 8 + ((lane >> 3) & 1);
            uint32_t r[4];
            ptx::ldmatrix_x4(r, kPin ? sb + o_x[ks] + atom * 128 + ni * 8 * kXRowBytes
                                      : s_x + tok * kXRowBytes + ((ch ^ (tok & 7)) * 16));
            b[0][0] = r[0];
            b[0][1] = r[1];
            b[1][0] = r[2];
            b[1][1] = r[3];
          }
#pragma unroll
          for (int mi = 0; mi < WM; ++mi) {
            ptx::mma_m16n8k16<BF16>(acc[mi][ni], a[mi], b[0]);
            if constexpr (WN > 1) ptx::mma_m16n8k16<BF16>(acc[mi][ni + 1], a[mi], b[1]);
          }
        }
      }
    }
  }
  ptx::cp_async_wait<0>();

  // ---- split-K fixup ----------------------------------------------------------------------------
  // nsplit and slot set here, not carried from decode_unit: live through the mainloop they cost
  // registers (the 256-thread tiles spilled 72 bytes).
  Unit ur = u;
  ur.nsplit = p.split;
  ur.slot = u.tile;
  if constexpr (APART) {  // no count, no fence: the sum grid waits for this grid to finish
    static_assert(TN <= 16, "sums apart only in the decode tiles");
    splitk_store<WM * WN * 4>(&acc[0][0][0],
                              reinterpret_cast<float4*>(p.partials) + (size_t)u.tile * p.split * WM * WN * kThreads,
                              u.split_idx, tid, kThreads);
    return;
  }
  if (!splitk_reduce<WM * WN * 4, kReduceInFlight>(&acc[0][0][0], p.partials, p.counters, p.split_tag, ur, p.split,
                                                    tid, kThreads, &s_flag, [] { __syncthreads(); }))
    return;

  // ---- epilogue: C fragment (row g / g+8 = weight row, col 2c / 2c+1 = token) -> Y[token][row] ---
#pragma unroll
  for (int mi = 0; mi < WM; ++mi) {
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int n = n0 + (warp_r * WM + mi) * 16 + g + 8 * h;
      if (n >= p.n) continue;
      const float bias = p.bias ? load_16<BF16>(p.bias + n) : 0.f;
#pragma unroll
      for (int ni = 0; ni < WN; ++ni)
#pragma unroll
        for (int t = 0; t < 2; ++t) {
          const int m = m0 + warp_t * 8 * WN + ni * 8 + 2 * c + t;
          if (m < p.m) p.y[(int64_t)m * p.ldy + n] = round_16<BF16>(acc[mi][ni][2 * h + t] + bias);
        }
    }
  }
}

// The split-K sum as its own grid, after sm80_w4a16_kernel's APART instance (Plan::sum_apart):
// CTA (tile, j), of the tile's thread count, sums float4 j of every thread over the splits in split
// order 0, 1, ... (the additions of splitk_reduce, so the same bits) and stores those four values
// with the bias. A tile's 16+ partials are then read by WM * WN CTAs on as many SMs, where the
// in-kernel fixup reads them into the one SM of the tile's last split (~2 us of the 4096x14336
// M=16 call, docs/PERFORMANCE.md version 66). Launched with programmatic dependent launch after the
// splits' grid, it lets the next grid launch before it waits for them: the next grid's CTAs become
// resident and prefetch their weights into L2 under this tail (4% faster than letting it launch after
// the wait, version 97), and they wait for this grid's completion, which follows the splits', before
// any other global access.
template <bool BF16, int WR, int WT, int WM, int WN>
__global__ void __launch_bounds__(32 * WR * WT) sm80_splitk_sum(const Sm80Params p) {
  constexpr int kThreads = 32 * WR * WT, kVecs = WM * WN, BN = 16 * WM * WR, TN = 8 * WN * WT;
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  ptx::launch_dependents();
  ptx::grid_dependency_wait();
#endif
  const int tile = blockIdx.x / kVecs, j = blockIdx.x % kVecs;
  const Unit u = decode_unit(tile * p.split, p.tiles_n, p.tiles_m, p.split, 0, p.kblocks, p.band_m, p.divs);
  const int tid = threadIdx.x, lane = tid & 31, warp = tid >> 5;
  const float4* src =
      reinterpret_cast<const float4*>(p.partials) + ((size_t)u.tile * p.split * kVecs + j) * kThreads + tid;
  const size_t stride = (size_t)kVecs * kThreads;
  float4 a = __ldcg(src);
  for (int s0 = 1; s0 < p.split; s0 += 16) {
    float4 v[16];
#pragma unroll
    for (int b = 0; b < 16; ++b)
      if (s0 + b < p.split) v[b] = __ldcg(src + (size_t)(s0 + b) * stride);
#pragma unroll
    for (int b = 0; b < 16; ++b)
      if (s0 + b < p.split) a.x += v[b].x, a.y += v[b].y, a.z += v[b].z, a.w += v[b].w;
  }
  const float vals[4] = {a.x, a.y, a.z, a.w};
  const int mi = j / WN, ni = j % WN, g = lane >> 2, c = lane & 3;
#pragma unroll
  for (int h = 0; h < 2; ++h) {
    const int n = u.tile_n * BN + ((warp % WR) * WM + mi) * 16 + g + 8 * h;
    if (n >= p.n) continue;
    const float bias = p.bias ? load_16<BF16>(p.bias + n) : 0.f;
#pragma unroll
    for (int t = 0; t < 2; ++t) {
      const int m = u.tile_m * TN + (warp / WR) * 8 * WN + ni * 8 + 2 * c + t;
      if (m < p.m) p.y[(int64_t)m * p.ldy + n] = round_16<BF16>(vals[2 * h + t] + bias);
    }
  }
}

}  // namespace w4a16
