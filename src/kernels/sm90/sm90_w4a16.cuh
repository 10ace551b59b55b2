// sm90_w4a16.cuh -- the Hopper family: TMA + wgmma, warp-specialized.
//
// Operands are swapped, Y^T = W^ * X^T, so the dequantized weight is wgmma's A operand straight from
// registers (RS form) and the activation tile is the B operand in 128B-swizzled shared memory; tokens
// map to wgmma's N (8...256), so decode (n = 8/16) wastes no tensor work on padding rows.
//
// 384 threads per CTA (one CTA per SM, two for the _x2 decode tiles): warpgroup 0 is the producer (one thread issues every TMA load into a
// ring of `stages` shared-memory stages guarded by full/empty mbarriers; the warpgroup gives its
// registers away with setmaxnreg), warpgroups 1 and 2 are consumers. Each consumer, per k-block:
// 16-byte LDS of its packed weight fragments and 32-bit LDS of scale pairs, lop3 dequant into A
// registers, wgmma on the X stage, commit, then waits for the *previous* k-block's group, so the
// dequant of block j+1 runs while block j's wgmmas are in flight (two A register sets alternate).
//   Coop:     both consumers work on one tile (rows split between them).
//   PingPong: consumers take alternate units of the CTA's unit list; while one runs its epilogue (or
//             split-K fixup) the other's mainloop keeps the tensor cores busy.
// Units are (tile, K-split) pairs walked in band order (schedule.cuh); splits reduce deterministically.
// A CTA walks its units with UnitIter: split-K units `blockIdx.x + i * gridDim.x` on a persistent grid
// (cooperative: at most one wave of CTAs; ping-pong: <= one CTA per SM, pairs of units), or with
// stream-K one k-block range per CTA across tile boundaries.
// Launched with programmatic dependent launch: see "programmatic dependent launch" below.
//
// Order below: budget -> setup -> producer -> consumer mainloop -> split-K fixup -> epilogue.
#pragma once
#include <cstdint>
#include <type_traits>

#include <cuda.h>
#include <cuda/ptx>

#include "dispatch/configs.h"
#include "kernels/common/dequant.cuh"
#include "kernels/common/ptx.cuh"
#include "kernels/common/schedule.cuh"

namespace w4a16 {

struct Sm90Params {
  const uint16_t* bias;  // nullptr without bias
  uint16_t* y;
  float* partials;       // split-K workspace
  SplitCounter* counters;
  unsigned long long split_tag;  // this launch's counter tag (schedule.cuh split_arrive)
  int64_t ldy;
  int m, n, k;
  int group_shift;       // log2(g); 31 for per-channel (one group)
  int groups_per_stage;  // scale rows per stage (box height of the scale / zero maps)
  int zeros;             // zero points present: read by the kZmRuntime instances only
  int stages, stage_bytes;
  int split, tiles_n, tiles_m, kblocks, units;
  int full_tiles;        // split tail: tiles run whole before the split ones (schedule.cuh); 0: all split
  int sk_ctas;           // stream-K: CTAs sharing the k-blocks (== gridDim.x); 0: split-K units
  int sk_per_cta, sk_rem;  // stream-K: tiles * kblocks = sk_per_cta * sk_ctas + sk_rem
  int cluster;           // > 1: split-K fixup through distributed shared memory: 2, one cluster per tile;
                         // 4, the stream-K quads (one cluster per three tiles)
  int red_off;           // byte offset of that fixup's receive buffer in the aligned shared memory
  bool band_m;           // tile raster bands along tokens (schedule.cuh)
  UnitDivs divs;         // decode_unit's divisors (make_unit_divs)
};

namespace sm90 {

// Zero-point mode of a kernel instance. kZmNone / kZmZeros fix it at compile time, so the symmetric
// mainloop carries no zero-point loads, predicates or constant selects (~4% of its instructions);
// kZmRuntime reads Sm90Params::zeros. The launcher uses the fixed modes for fp16 and the runtime mode
// for bf16, whose 64-token tile ran 4-5% slower with the fixed modes while its decode tile gained 4%
// (docs/PERFORMANCE.md, version 107), but for bf16's 16-token tiles: after version 108's fold, the fixed
// modes measured 0.3-3.6% faster on three of four symmetric M=16 points (the fourth bimodal) and 2.1% with
// zeros on 8192^2 (equal on 28672x4096), while the 8-token tile ran 1.9-4% slower on four of five M=1 shapes
// (1% faster on the fifth, 8192^2's cluster pairs) (version 133, thirty-ninth session).
// (The sm80 family's per-k-block tiles have the same split as kZerosRuntime / kZerosNo / kZerosYes.)
enum : int { kZmNone = 0, kZmZeros = 1, kZmRuntime = 2 };
// Whether a configuration's instances fix the zero-point mode (one instance per mode) rather than read it.
__host__ __device__ constexpr bool fixed_zero_mode(bool bf16, int tn) { return !bf16 || tn == 16; }
__device__ __forceinline__ bool has_zeros(int zm, const Sm90Params& p) {
  return zm == kZmRuntime ? p.zeros != 0 : zm == kZmZeros;
}

// Whether a whole-group kernel instance broadcasts its scale (zero) pair's halves through the fma's
// half selectors (ptx::bcast_*_fold: ptxas folds them into HFMA2 .H0_H0/.H1_H1, no instruction) rather
// than PRMT. Either form is correct; the folded SASS is shorter by the PRMTs, but ptxas then schedules
// the dequant differently and the measured effect differs per instance (H200, interleaved repeats,
// docs/PERFORMANCE.md versions 108 and 110, measured with the magic-number dequant; version 111's
// subnormal form kept these choices), so the form is chosen where it was measured faster:
// - bf16 (run-time zero mode): M=1 5% faster.
// - fp16 zeros, the paired (cluster split-K) 16-token tile: 8192x8192 M=16 4%, 8192x28672 M=16 6-8%
//   faster. The paired 8- and 32-token tiles ran 1-2% slower folded, the unpaired 16-token one 1-8%.
// - fp16 symmetric, the unpaired 64-token cooperative tile: M=64 4096x14336 and 28672x4096 3% faster.
//   The paired one (8192x8192 M=64) read -0.3 to +1.2% in three calls; the 16-token tiles ran 1-3% slower
//   folded (and 3.6-9% slower when only the zero pair's in-loop PRMTs of constant 0 were dropped).
__host__ __device__ constexpr bool fold_bcast(bool bf16, int mb, int tn, bool pp, bool pairs, int zm) {
  if (bf16) return true;
  if (zm == kZmZeros) return pairs && tn == 16;
  return zm == kZmNone && tn == 64 && mb == 1 && !pp && !pairs;
}

// Whether the scale box goes out from the producer's second thread (thread 32, which with zero points
// also loads the zero box) rather than from thread 0 with X and W: each TMA box from the one thread
// costs (probe 113), so the split pays where the producer's issue rate bounds the tile and a second
// polling warp (symmetric kernels) takes less from the consumers than it gives. Measured against
// thread 0 loading X, W and the scales (H200, interleaved repeats, docs/PERFORMANCE.md version 114):
// the 16-token tile 1.2-3.7% faster symmetric (fp16, six points) and 2.0-2.8% faster with zero points
// (fp16; bf16 -1.0% and +0.4% in two calls); not shown faster: the 8-token tile (symmetric -0.5 to +1.0%,
// zero points -0.6 and -0.2%), the 32-token one (symmetric -1.9% and +0.4%, zero points +1.1%), the
// 64-token one (zero points +1.2%), the 128-token one (symmetric +2.6%), bf16 symmetric M=16 (+0.6%).
// The two-per-SM 16-token tile follows the rule (with its scale box back on thread 0 it read -0.6% / equal
// symmetric and +0.8 to +1.3% with zero points, thirty-first session; the heuristic no longer picks it).
// bf16's symmetric 16-token tiles keep the box on thread 0 in their fixed-mode instances (version 134) as in
// the run-time mode they had when measured.
__host__ __device__ constexpr bool scale_box_second(int tn, int zm, bool zeros, bool bf16) {
  return tn == 16 && (zeros || (zm == kZmNone && !bf16));
}

// The first token row of a tile's X box, and of the tokens its epilogue indexes. A token tile that
// reaches past row M gets its box's rows beyond M zero-filled by TMA, and on the H200 the 128-token
// tile ran the slower the more of them there were: 8192x4096 M = 136 / 160 / 192 / 208 at 34.1 / 31.3 /
// 26.1 / 24.7 us on as many tiles (thirty-fourth session, bench/results/probes/2026-11-28_h200_s34_
// token_steps.txt; M = 256, full, 28.0 there at a lower clock, 25.6 in later repeats). Under ncu's locked
// clock M = 160 and 192 ran alike (34.7-35.2 and 35.2-35.5 us), so the cause is not established. So the
// last token tile of a problem with M >= tn that holds fewer than tn / 2 tokens is shifted back to end
// at row M: its box reads rows M - tn ... M - 1, overlapping the previous tile, whose tokens its
// epilogue skips (m_first). Against the unshifted kernel, interleaved (version 124): 8192x4096 M=136
// 34.0 -> 25.9 us, M=160 31.3 -> 25.4 (bf16 and with zeros alike), 8192^2 M=160 58.8 -> 50.4, the
// 64-token tile at 6144x8192 M=72 35.9 -> 29.3, the 256-token one at 8192^2 M=300 117.2 -> 88.1.
// Shifting a last tile at least half full lost (8192x4096 M=200 25.0 -> 28.4 and 25.0 -> 26.6 in two
// calls), as did shifting coop_r256_t128's (8192^2 M=136 52.4 -> 54.2), whose two 64-row blocks per
// warpgroup (MB = 2) read half the X rows per weight row: neither shifts. MB = 1 also takes in the
// ping-pong 64-row tiles and leaves out pp_r128_t64; none of the ping-pong tiles was timed either way
// (the heuristic does not pick them).
// SHIFT: the instance carries the shift. Since version 130 the 64-token tile's pair instance also comes without it,
// for the pair plans whose last tile does not shift (shifts_last_tile): the shift's code made that instance 4-5%
// slower on those plans (thirty-seventh session, H200, interleaved: 6144x4096 M=64 10.02 -> 10.49 us, 4096^2 M=128
// 10.26 -> 10.62, 8192^2 M=64 17.45 -> 18.32 from the build before version 124 to version 124's), while its
// shifted plans need it (3072x4096 M=72 10.21 us with it, 12.22 without). Version 130 against 129: 10.58 -> 10.12,
// 10.72 -> 10.27, 18.50 -> 17.75, shifted plans and the other instances unchanged. The two forms' SASS (thirty-eighth
// session) differs by 24 instructions net and, in the mainloop, by ptxas's order of the dequant around the same 24
// HGMMAs (401 / 398 instructions): the unused code changed how ptxas compiled the loop (the schedule as the cost is
// inferred, not isolated). Other instances compiled without the shift, or without the split-K fixup, measured mixed
// (docs/PERFORMANCE.md, thirty-eighth session). Since version 132 bf16's 128-token pair instance comes in both forms
// too (thirty-ninth session, interleaved, 5 repeats: 1.1-1.6% faster at M = 112-128, 0-1% at M = 192-256). The
// 96-token pairs and fp16's 128-token ones showed no clear gain without the shift in 3 repeats (version 131: the
// 96-token pairs -1.4 to +0.3%, fp16 8192^2 M=128 +2.2%, 4096^2 M=256 -2.4%) and were not timed again.
template <int MB, int TN, bool SHIFT>
__device__ __forceinline__ int x_row0(int tile_m, int m) {
  const int r = tile_m * TN;
  return SHIFT && MB == 1 && r + TN > m && m >= TN && 2 * (m - r) < TN ? m - TN : r;
}
// Whether a problem of M tokens shifts its last tile of TN tokens (x_row0's condition for the last tile).
__host__ __device__ constexpr bool shifts_last_tile(int m, int tn) {
  return m >= tn && 2 * (m - (m - 1) / tn * tn) < tn;
}
static_assert(shifts_last_tile(65, 64) && shifts_last_tile(72, 64) && !shifts_last_tile(96, 64) &&
                  !shifts_last_tile(64, 64) && !shifts_last_tile(128, 64) && !shifts_last_tile(32, 64) &&
                  shifts_last_tile(136, 128) && !shifts_last_tile(192, 128),
              "shifts_last_tile: a last tile of fewer than tn / 2 tokens, past one whole tile");
// Whether a pair instance (PAIRS) also comes in the form without the shift (SHIFT above), which the launcher
// takes for the pair plans whose last tile does not shift: the 64-token tile's (version 130) and bf16's
// 128-token one (version 132).
__host__ __device__ constexpr bool pair_noshift_form(bool bf16, int mb, int tn) {
  return mb == 1 && (tn == 64 || (tn == 128 && bf16));
}

// Named barriers: 0 is __syncthreads; 1, 2 the split-K fixup (one per consumer warpgroup in
// ping-pong, 1 for both in coop); 3, 4 the ping-pong turn of consumer warpgroup 0 / 1.
constexpr int kFixupBarrier = 1;
constexpr int kTurnBarrier = 3;

// (stage, phase) of a ring; the only place the phase flips (HOPPER-NOTES pitfall 10).
struct Ring {
  int stage = 0;
  uint32_t phase = 0;
  __device__ __forceinline__ void advance(int stages) {
    if (++stage == stages) {
      stage = 0;
      phase ^= 1u;
    }
  }
  __device__ __forceinline__ void advance_by(int n, int stages) {
    const int s = stage + n;
    phase ^= (uint32_t)((s / stages) & 1);
    stage = s % stages;
  }
};

// mbarrier arrivals as volatile asm: their state result is unused, and a non-volatile asm with an
// unused output (cuda::ptx::mbarrier_arrive*) may legally be deleted (PTX 9.7.13.15.13).
__device__ __forceinline__ void arrive(uint64_t* bar) {
  asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];" ::"r"(ptx::smem_u32(bar)) : "memory");
}
__device__ __forceinline__ void arrive_expect_tx(uint64_t* bar, uint32_t bytes) {
  asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(ptx::smem_u32(bar)), "r"(bytes)
               : "memory");
}
__device__ __forceinline__ void wait(uint64_t* bar, uint32_t parity) {
  while (!cuda::ptx::mbarrier_try_wait_parity(bar, parity)) {
  }
}
__device__ __forceinline__ void tma_load_2d(void* dst, const CUtensorMap* map, int c0, int c1, uint64_t* bar) {
  const int32_t coords[2] = {c0, c1};
  cuda::ptx::cp_async_bulk_tensor(cuda::ptx::space_cluster, cuda::ptx::space_global, dst, map, coords, bar);
}

#if defined(__CUDA_ARCH_FEAT_SM90_ALL)  // the cluster PTX wrappers exist only there
// The two halves of a cluster fixup, per consumer warpgroup: a warpgroup's partial (NACC per thread,
// float4 j of thread wtid at (j * 128 + wtid) * 16 bytes from `b`) stored with st.async into CTA `rank`'s
// buffer at the same offset, counted on that CTA's mbarrier; and the receiver's wait for all of its bytes
// and the add.
template <int NACC>
__device__ __forceinline__ void send_partial(const float* acc, uint32_t b, uint64_t* bar, uint32_t rank, int wtid) {
  ptx::cluster_wait_acquire();  // the receiver's mbarrier is initialised (the setup's cluster arrive; its arming
                                // may come after the bytes: the kernel's setup says why that is fine)
  const uint32_t rbar = ptx::mapa(ptx::smem_u32(bar), rank);
  const uint32_t rbuf = ptx::mapa(b, rank);
#pragma unroll
  for (int j = 0; j < NACC / 4; ++j)
    ptx::st_async_v4(rbuf + (uint32_t)(j * 128 + wtid) * 16,
                     make_float4(acc[4 * j], acc[4 * j + 1], acc[4 * j + 2], acc[4 * j + 3]), rbar);
}
template <int NACC>
__device__ __forceinline__ void add_received(float* acc, uint32_t b, uint64_t* bar, int wtid) {
  while (!cuda::ptx::mbarrier_try_wait_parity(cuda::ptx::sem_acquire, cuda::ptx::scope_cluster, bar, 0u)) {
  }
#pragma unroll
  for (int j = 0; j < NACC / 4; ++j) {
    const uint4 v = ptx::lds128(b + (uint32_t)(j * 128 + wtid) * 16);
    acc[4 * j] += __uint_as_float(v.x);
    acc[4 * j + 1] += __uint_as_float(v.y);
    acc[4 * j + 2] += __uint_as_float(v.z);
    acc[4 * j + 3] += __uint_as_float(v.w);
  }
}

// Split-K fixup through distributed shared memory (p.cluster == 2): the two CTAs of a tile are one
// cluster, rank = split index (units of a tile are consecutive blocks, one unit per CTA). The pair
// reduce-scatters: consumer warpgroup `rank` of each CTA keeps its rows (64 * MB of the tile) and
// receives the partner's partial of them; the other warpgroup sends its rows' partial to the
// partner's receive buffer with st.async, which counts the bytes on the partner's mbarrier (armed
// with one warpgroup's bytes at setup, before the cluster barrier). So each CTA moves, adds and
// writes half the tile; until version 82 rank 0 received the whole partial tile and wrote all of
// it while rank 1 sat idle. With two terms the sum is the workspace fixup's bits in either order
// (IEEE addition commutes), so both fixups give bitwise the same Y.
//   acc: NACC accumulators of this warpgroup's rows (consumer warpgroup 0 / 1 = threads 128-383).
// Returns true in the threads that must write their rows (acc then holds the full sum).
template <int NACC>
__device__ __forceinline__ bool cluster_reduce(float* acc, uint8_t* buf, uint64_t* bar, const Unit& u) {
  static_assert(NACC % 4 == 0, "accumulators are moved as float4");
  if (u.nsplit == 1) return true;
  // cw through a shuffle from lane 0, so that ptxas knows the branch on it is warp-uniform: computed
  // from threadIdx.x it made the branch (and the `continue` after it) divergent in ptxas's eyes, and
  // the mainloop's wgmma descriptors and stage addresses left the uniform datapath (6 -> 54 R2UR in
  // the t8 and t64 kernels, 5-9% slower).
  const int cw = __shfl_sync(0xffffffffu, (int)threadIdx.x / 128 - 1, 0), wtid = (int)threadIdx.x & 127;
  const uint32_t b = ptx::smem_u32(buf);
  if (cw != u.split_idx) {  // these rows are the partner's to write
    send_partial<NACC>(acc, b, bar, (uint32_t)(1 - u.split_idx), wtid);
    return false;
  }
  add_received<NACC>(acc, b, bar, wtid);
  return true;
}

// Split-K fixup of the stream-K quads (p.cluster == 4, cfg::sm90_quads): 4T/3 CTAs in clusters of four
// (cluster rank = blockIdx.x % 4) take 3/4 of a tile's k-blocks each, so a cluster covers three whole
// tiles and each tile spans two neighbouring CTAs: its head (split 0, the end of rank r's range, r = 0..2)
// and its tail (split 1, the start of rank r + 1's range, that CTA's first unit). The tail's CTA sends its
// whole partial (both consumer warpgroups' rows) into the head's receive buffer with st.async, counted
// on the head's mbarrier (armed at setup with the tile's bytes by the CTAs that head a shared tile); the
// head adds it and writes the tile. Most tails end a CTA's first unit, so their bytes land while the head
// still computes; only rank 3's tail ends with its head (rank 2's short second unit). Two terms: the
// workspace fixup's bits (IEEE addition commutes). Returns true in the threads that write their rows.
template <int NACC>
__device__ __forceinline__ bool quad_reduce(float* acc, uint8_t* buf, uint64_t* bar, const Unit& u) {
  static_assert(NACC % 4 == 0, "accumulators are moved as float4");
  if (u.nsplit == 1) return true;
  // cw through a shuffle from lane 0 (warp-uniform to ptxas; cluster_reduce says why).
  const int cw = __shfl_sync(0xffffffffu, (int)threadIdx.x / 128 - 1, 0), wtid = (int)threadIdx.x & 127;
  const uint32_t b = ptx::smem_u32(buf) + (uint32_t)cw * (NACC * 4 * 128);  // this warpgroup's rows
  if (u.split_idx != 0) {  // the tail: the head is the previous CTA, rank - 1 of this cluster
    send_partial<NACC>(acc, b, bar, (uint32_t)(blockIdx.x & 3) - 1u, wtid);
    return false;
  }
  add_received<NACC>(acc, b, bar, wtid);
  return true;
}
#endif

}  // namespace sm90

// ---- budget: every size of one configuration, shared by producer and consumers ------------------
template <int MB, int TN, int KB, bool PP, int CPS>
struct Sm90Shape {
  // CTAs per SM (1, or 2 for small decode tiles): the register split between the producer and the
  // consumer warpgroups (setmaxnreg) is what lets two CTAs share an SM's 64K registers.
  static constexpr int kProducerRegs = CPS == 1 ? 40 : 24;
  static constexpr int kConsumerRegs = CPS == 1 ? 232 : 104;
  static_assert(CPS == 1 || CPS == 2, "one or two CTAs per SM");
  static_assert(CPS * 128 * (kProducerRegs + 2 * kConsumerRegs) <= 65536, "register file");
  static constexpr int kWgRows = 64 * MB;                 // weight rows per consumer warpgroup
  static constexpr int BN = PP ? kWgRows : 2 * kWgRows;   // weight rows per tile
  static constexpr int kSlabs = KB / 64;                  // 64-wide K slabs (one 128B swizzle atom per row)
  static constexpr int kSteps = KB / 16;                  // k16 steps per stage
  static constexpr int kXSlabBytes = TN * 128;
  static constexpr int kXBytes = kSlabs * kXSlabBytes;
  static constexpr int kWBytes = BN * KB / 2;
  static constexpr int kNAcc = TN / 2;                    // f32 accumulators per thread per 64-row block
  static constexpr int kConsumerThreads = PP ? 128 : 256; // threads that hold one tile
  static constexpr int kEpiTokens = cfg::sm90_epi_tokens(TN);  // tokens per epilogue chunk
  static constexpr int kEpiBytes = 8 * kEpiTokens * 16 * 2; // 8 consumer warps x [tokens][16 rows]
  // Independent accumulator sets the k16 steps rotate over. Consecutive wgmmas into one accumulator
  // form a dependent chain; with small N (decode) that chain, not bandwidth, limited the first
  // version (~1600 clocks per 128-wide k-block). Only where the registers are cheap. kChainsFor: eight
  // (one per k16 step of a k-block, so no two wgmmas of a group depend) for the one-CTA 8-token tile's fp16
  // whole-group instances: 0.4-1.1% faster than four at M = 1-4 on the H200 (M = 8 within 0.5%); bf16's
  // 8-token tile (then in the magic-number form: M=8 28672x4096 +1.4%) and groups below a k-block (g = 32
  // +0.9%) measured slower with them, so they keep four (docs/PERFORMANCE.md, version 157).
  static constexpr int kChainRegs = CPS == 1 ? 64 : 16;  // accumulator registers the chains may use
  static constexpr int kChains = MB * kNAcc >= kChainRegs ? 1 : (kChainRegs / (MB * kNAcc) >= 4 ? 4 : kChainRegs / (MB * kNAcc));
  template <bool BF16, bool WG>
  static constexpr int kChainsFor = TN == 8 && CPS == 1 && !BF16 && WG && kSteps == 8 ? 8 : kChains;
  static constexpr int kMostChains = kChainsFor<false, true>;  // the most any instance takes (the asserts)
  // The A registers alternate between two sets per sub-stage (the one the wgmmas in flight read, and
  // the one being dequantized). Two sub-stages per stage halve that register cost, which is what
  // lets a 256-row tile (mb = 2, tn = 128) keep its wgmmas asynchronous.
  static constexpr int kSub = kMostChains * MB * kNAcc + 2 * MB * kSteps * 4 <= 160 ? 1 : 2;
  static constexpr int kSubSteps = kSteps / kSub;
  // float4 loads the split-K read-back keeps in flight per consumer thread (splitk_reduce): 8 at one
  // CTA per SM; the two-per-SM tiles' 104-register consumers spilled 28-76 bytes with 8, so 2.
  static constexpr int kReduceInFlight = CPS == 1 ? 8 : 2;
  // Whether this configuration may plan cluster pairs and so has an instance with their fixup
  // (cfg::sm90_pairs): cooperative, one CTA per SM (the 104-register consumers spilled with it), and
  // one warpgroup's partial within the receive buffer.
  static constexpr int kPairBytes = cfg::sm90_pair_buf_bytes(MB, TN);  // one warpgroup's partial
  static constexpr bool kPairs = cfg::sm90_pairs(!PP, CPS, MB, TN);
  // Whether it may plan the stream-K quads (cfg::sm90_quads) and so has an instance with their fixup.
  static constexpr bool kQuads = cfg::sm90_quads(!PP, CPS, MB, TN);
  static constexpr int kQuadBytes = cfg::sm90_quad_buf_bytes(MB, TN);  // the whole tile's partial
  // k-blocks of weights the producer prefetches into L2 before the PDL wait (<= 32 KiB per CTA, at
  // least one k-block). Against 64 KiB, 32 measured ~1% faster on average over 26 decode and mid-M
  // points (up to 6%); 128 and 256 KiB were 1-30% slower (docs/PERFORMANCE.md, version 46).
  static constexpr int kPrefetchBytes = 32 * 1024;
  static constexpr int kPrefetchBlocks = kPrefetchBytes / kWBytes > 0 ? kPrefetchBytes / kWBytes : 1;
  static_assert(KB == 64 || KB == 128, "KB must be 64 or 128");
  static_assert(TN % 8 == 0 && TN >= 8 && TN <= 256, "TN is wgmma's N: 8..256 in steps of 8");
  static_assert(TN % kEpiTokens == 0, "the epilogue stores whole chunks");
  static_assert(kXSlabBytes % 1024 == 0, "X slabs must stay 1024-byte aligned for the 128B swizzle");
  static_assert(kWBytes % 128 == 0, "TMA destinations need 128-byte alignment");
  static_assert(kMostChains * MB * kNAcc + 2 * MB * kSubSteps * 4 <= (CPS == 1 ? 160 : 56),
                "accumulators + two A register sets: more makes ptxas serialize wgmma (C7512)");
  static_assert(kMostChains == 1 || kSub == 1, "accumulator chains are indexed by the k16 step of a whole stage");
  static_assert(kSub <= 2 && kSubSteps % 2 == 0, "the per-step scale loads serve k16 steps in pairs");
};

// ---- consumers (warpgroups 1, 2) ------------------------------------------------------------------
// A separate function so the role split is one if/else: ptxas applies setmaxnreg's budget per branch.
// WG ("whole group"): every k-block lies inside one quantization group (g >= KB, or per-channel), so
// each warp loads and broadcasts its scale (zero) pair once per k-block instead of once per k16 step.
// ZM: the zero-point mode (sm90::kZmNone, kZmZeros, kZmRuntime).
template <bool BF16, int MB, int TN, int KB, bool PP, int CPS, bool WG, bool PAIRS, int ZM, bool SHIFT, bool QUADS>
__device__ __forceinline__ void consumer(uint8_t* smem, uint64_t* full, uint64_t* empty, int* flags, uint16_t* epi,
                                         const Sm90Params& p) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
  using S = Sm90Shape<MB, TN, KB, PP, CPS>;
  constexpr int BN = S::BN, kSlabs = S::kSlabs, kXSlabBytes = S::kXSlabBytes;
  constexpr int kXBytes = S::kXBytes, kWBytes = S::kWBytes, kNAcc = S::kNAcc, kWgRows = S::kWgRows;
  constexpr int kConsumerThreads = S::kConsumerThreads, kSub = S::kSub;
  constexpr int kChains = S::template kChainsFor<BF16, WG>;
  constexpr int kSubSteps = S::kSubSteps, kReduceInFlight = S::kReduceInFlight;
  const int s_bytes = p.groups_per_stage * BN * 2;
  const int tid = threadIdx.x, wg = tid / 128, lane = tid & 31;
  ptx::setmaxnreg_inc<S::kConsumerRegs>();
  const int cw = wg - 1;                                // consumer warpgroup 0 / 1
  const int ctid = PP ? tid - 128 * wg : tid - 128;     // index among the threads holding the tile
  const int warp_in_wg = (tid / 32) & 3;
  const int g = lane >> 2;
  const int row_wg = PP ? 0 : cw * kWgRows;             // first tile row of this warpgroup
  const bool zeros = sm90::has_zeros(ZM, p);
  const DequantConsts<BF16> dq(zeros);
  constexpr bool kSubn = WG && cfg::sm90_subn_dequant(BF16, TN);  // the whole-group dequant's form
  // k-blocks start on multiples of KB and groups are powers of two (per-channel: shift 31), so k16
  // step ks of a stage lies in group (16 ks) >> log2(g) counted from the stage's first group.
  sm90::Ring ring;

  float acc[kChains][MB][kNAcc];
  uint32_t a0[MB][kSubSteps][4], a1[MB][kSubSteps][4];  // alternating A sets (in flight / being filled)

  // The PDL wait (see the kernel): the consumers' first global access is the split-K fixup's, the bias's
  // or Y's, all after it.
  ptx::grid_dependency_wait();
  UnitIter<Sm90Params> it(p);
  for (int i = 0; it.has_next(); ++i) {
    const Unit u = it.next();
    const int nk = u.kb_end - u.kb_begin;
    if (PP && (i & 1) != cw) {  // the other warpgroup's unit: skip its stages
      ring.advance_by(nk, p.stages);
      continue;
    }
    // Ping-pong order: start this unit's mainloop only after the other warpgroup has finished the
    // previous unit's. Without it, a warpgroup that skipped ahead waits on a full barrier several
    // phases early, and the parity test aliases (it passes on a phase two fills too early).
    if (PP && i > 0) ptx::named_barrier_sync(sm90::kTurnBarrier + cw, 256);
#pragma unroll
    for (int ch = 0; ch < kChains; ++ch)
#pragma unroll
      for (int mb = 0; mb < MB; ++mb)
#pragma unroll
        for (int r = 0; r < kNAcc; ++r) acc[ch][mb][r] = 0.f;

    // ---- mainloop: one sub-stage (kSubSteps k16 steps of one k-block) ---------------------------
    int release = -1;  // stage whose last wgmma group is the one in flight; freed at the next wait
    // Groups smaller than a k-block: one 32-bit LDS of the scale (zero) pair per k16 step,
    // branch-free: a per-step branch that skipped repeated loads split the dequant into small blocks
    // and the eight independent word chains stopped interleaving (H100 SASS); two mainloop copies
    // instead made ptxas serialize the wgmmas (C7515). Whole groups (WG, a separate kernel): one pair
    // per k-block, broadcast once, which takes ~7 of ~20 instructions per word out of the dequant, and
    // in the 16- to 64-token tiles (and bf16's 8- and 128-token ones) the subnormal form (cfg::sm90_subn_dequant;
    // only for weights whose every |s| < 0.25, see launch_config).
    auto substage = [&](auto sub_c, uint32_t(&a)[MB][kSubSteps][4]) {
      constexpr int SUB = decltype(sub_c)::value;
      if (SUB == 0) sm90::wait(&full[ring.stage], ring.phase);
      const uint8_t* st = smem + ring.stage * p.stage_bytes;
      const uint32_t s_w = ptx::smem_u32(st + kXBytes);
      const uint32_t s_s = s_w + kWBytes, s_z = s_s + s_bytes;
#pragma unroll
      for (int mb = 0; mb < MB; ++mb) {
        const int rb = (row_wg + 64 * mb) / 16 + warp_in_wg;  // this warp's 16-row block in the tile
        const uint32_t pair0 = 4 * (rb * 8 + g);               // byte offset of (s[r0], s[r0+8]) in a group row
        [[maybe_unused]] uint32_t s_lo = 0, s_hi = 0, z_lo = 0, z_hi = 0;
        if constexpr (WG) {
          // The subnormal dequant (dequant.cuh): multiplier s * 2^18, addend z or -8 s; the
          // magic-number one: s and z (0 for symmetric weights).
          const uint32_t s_raw = ptx::lds32(s_s + pair0);
          const uint32_t s2 = kSubn ? subn_scale<BF16>(s_raw) : s_raw;
          const uint32_t z2 = zeros ? ptx::lds32(s_z + pair0) : kSubn ? subn_sym_addend<BF16>(s_raw) : 0u;
          constexpr bool kFold = sm90::fold_bcast(BF16, MB, TN, PP, PAIRS, ZM);  // PRMT or half selectors
          s_lo = kFold ? ptx::bcast_lo_fold(s2) : ptx::bcast_lo(s2);
          s_hi = kFold ? ptx::bcast_hi_fold(s2) : ptx::bcast_hi(s2);
          z_lo = kFold ? ptx::bcast_lo_fold(z2) : ptx::bcast_lo(z2);
          z_hi = kFold ? ptx::bcast_hi_fold(z2) : ptx::bcast_hi(z2);
        }
#pragma unroll
        for (int kk = 0; kk < kSubSteps; kk += 4 / kSub) {
          const int ks0 = SUB * kSubSteps + kk, j = ks0 / 4;
          const uint4 wv = ptx::lds128(s_w + ((rb * kSlabs + j) * 32 + lane) * 16);
          [[maybe_unused]] uint32_t s2 = 0, z2 = 0;
#pragma unroll
          for (int q = 0; q < 4 / kSub; ++q) {
            const int ks = ks0 + q, w = ks % 4;
            const uint32_t word = w == 0 ? wv.x : w == 1 ? wv.y : w == 2 ? wv.z : wv.w;
            if constexpr (WG) {
              if constexpr (kSubn) dequant_word_subn<BF16>(word, s_lo, s_hi, z_lo, z_hi, a[mb][kk + q]);
              else dequant_word_bc<BF16>(word, s_lo, s_hi, z_lo, z_hi, a[mb][kk + q], dq);
            } else {
              // Groups are >= 32 wide and k16 steps 2i, 2i + 1 lie in one 32-aligned span of k: one
              // load of the pair per two steps (ks0 is even, so the even step comes first).
              if (ks % 2 == 0) {
                const uint32_t off = ((16 * ks) >> p.group_shift) * (BN * 2) + pair0;  // group of this k16 step
                s2 = ptx::lds32(s_s + off);
                z2 = zeros ? ptx::lds32(s_z + off) : 0u;
              }
              dequant_word<BF16>(word, s2, z2, a[mb][kk + q], dq);
            }
          }
        }
      }
      ptx::wgmma_fence();  // A registers (and, on the first block, the zeroed accumulators) are written
#pragma unroll
      for (int kk = 0; kk < kSubSteps; ++kk) {
        const int ks = SUB * kSubSteps + kk;
        const uint64_t desc = ptx::smem_desc_sw128(ptx::smem_u32(st + (ks / 4) * kXSlabBytes)) + 2 * (ks % 4);
#pragma unroll
        for (int mb = 0; mb < MB; ++mb) ptx::wgmma_rs<TN, BF16>(acc[ks % kChains][mb], a[mb][kk], desc);
      }
      ptx::wgmma_commit();
      ptx::wgmma_wait<1>();  // the previous group is done: its A registers (and maybe its stage) are free
      if (release >= 0 && lane == 0) sm90::arrive(&empty[release]);
      release = -1;
      if (SUB == kSub - 1) {
        release = ring.stage;
        ring.advance(p.stages);
      }
    };
    using Sub0 = std::integral_constant<int, 0>;
    using SubLast = std::integral_constant<int, kSub - 1>;
    int j = 0;
    if constexpr (kSub == 2) {
      for (; j < nk; ++j) {  // the two sub-stages of one stage use the two A sets
        substage(Sub0{}, a0);
        substage(SubLast{}, a1);
      }
    } else {
      for (; j + 1 < nk; j += 2) {
        substage(Sub0{}, a0);
        substage(Sub0{}, a1);
      }
      if (j < nk) substage(Sub0{}, a0);
    }
    ptx::wgmma_wait<0>();
#pragma unroll
    for (int ch = 0; ch < kChains; ++ch)
#pragma unroll
      for (int mb = 0; mb < MB; ++mb)
#pragma unroll
        for (int r = 0; r < kNAcc; ++r) ptx::fence_operand(acc[ch][mb][r]);
    if (release >= 0 && lane == 0) sm90::arrive(&empty[release]);
    if (PP && it.has_next()) ptx::named_barrier_arrive(sm90::kTurnBarrier + (1 - cw), 256);
#pragma unroll
    for (int ch = 1; ch < kChains; ++ch)  // fixed order: deterministic
#pragma unroll
      for (int mb = 0; mb < MB; ++mb)
#pragma unroll
        for (int r = 0; r < kNAcc; ++r) acc[0][mb][r] += acc[ch][mb][r];

    // ---- split-K fixup ----------------------------------------------------------------------------
    const int bar_id = sm90::kFixupBarrier + (PP ? cw : 0);
    if constexpr (QUADS) {
      if (!sm90::quad_reduce<MB * kNAcc>(&acc[0][0][0], smem + p.red_off, reinterpret_cast<uint64_t*>(flags + 2), u))
        continue;
    } else if constexpr (PAIRS) {
      // Launched only with p.cluster == 2 (launch_instance's launch_cluster; launched without the
      // cluster, this instance would have no partner to reduce with), so no workspace fixup here.
      if (!sm90::cluster_reduce<MB * kNAcc>(&acc[0][0][0], smem + p.red_off, reinterpret_cast<uint64_t*>(flags + 2), u))
        continue;
    } else if (!splitk_reduce<MB * kNAcc, kReduceInFlight>(
                   &acc[0][0][0], p.partials, p.counters, p.split_tag, u, p.split, ctid, kConsumerThreads,
                   &flags[PP ? cw : 0], [bar_id] { ptx::named_barrier_sync(bar_id, kConsumerThreads); })) {
      continue;
    }

    // ---- epilogue: D fragment (row = weight row, column = token) -> Y[token][row] ----------------
    // Through a per-warp [token][16 rows] buffer, so each token's 16 outputs of this warp (32 B, one
    // whole sector) leave in one 16-byte store per lane pair. Direct 2-byte stores wrote every sector
    // as two halves from two instructions; once Y outgrew L2 (M = 4096) that ran 4-16x slower.
    const int n0 = u.tile_n * BN, m_first = u.tile_m * TN, m0 = sm90::x_row0<MB, TN, SHIFT>(u.tile_m, p.m);
    uint16_t* ep = epi + ((tid >> 5) - 4) * (S::kEpiTokens * 16);  // this consumer warp's buffer
#pragma unroll
    for (int mb = 0; mb < MB; ++mb) {
      const int nw = n0 + row_wg + 64 * mb + 16 * warp_in_wg;  // the warp's first row
      const float b0 = (p.bias && nw + g < p.n) ? load_16<BF16>(p.bias + nw + g) : 0.f;
      const float b1 = (p.bias && nw + g + 8 < p.n) ? load_16<BF16>(p.bias + nw + g + 8) : 0.f;
#pragma unroll
      for (int chunk = 0; chunk < TN / S::kEpiTokens; ++chunk) {
        __syncwarp();  // the previous chunk's reads are done
        // stmatrix .trans writes each 8-token group's D fragment (rows g, g + 8; tokens 2c, 2c + 1) as
        // [token][16 rows]; a token's two 8-row halves swap places in tokens 4-7 of each 8 (the XOR), so
        // the eight 16-byte rows of one matrix fall in distinct banks. Two groups per x4, one per x2.
        constexpr int kGroups = (S::kEpiTokens / 8) % 2 == 0 ? 2 : 1;
        const int q = (lane >> 3) & (2 * kGroups - 1), tau = lane & 7;
#pragma unroll
        for (int jj = 0; jj < S::kEpiTokens / 8; jj += kGroups) {
          uint32_t r[2 * kGroups];
#pragma unroll
          for (int k = 0; k < 2 * kGroups; ++k) {
            const int i = 4 * (chunk * S::kEpiTokens / 8 + jj + k / 2) + 2 * (k % 2);
            const float b = k % 2 ? b1 : b0;
            r[k] = pack_16x2<BF16>(acc[0][mb][i] + b, acc[0][mb][i + 1] + b);
          }
          const int tok = 8 * (jj + q / 2) + tau;
          const uint32_t addr = ptx::smem_u32(ep + tok * 16 + 8 * ((q & 1) ^ ((tok >> 2) & 1)));
          if constexpr (kGroups == 2) ptx::stmatrix_x4_trans(addr, r[0], r[1], r[2], r[3]);
          else ptx::stmatrix_x2_trans(addr, r[0], r[1]);
        }
        __syncwarp();
#pragma unroll
        for (int t0 = 0; t0 < S::kEpiTokens; t0 += 16) {
          const int tl = t0 + (lane >> 1), half = lane & 1;
          const int m = m0 + chunk * S::kEpiTokens + tl, n = nw + 8 * half;
          // m_first <= m < M in one compare; N % 8 == 0: eight rows are all in or all out
          const bool in_m = SHIFT ? (unsigned)(m - m_first) < (unsigned)(p.m - m_first) : m < p.m;
          if (tl < S::kEpiTokens && in_m && n < p.n)
            *reinterpret_cast<uint4*>(p.y + (int64_t)m * p.ldy + n) =
                *reinterpret_cast<const uint4*>(ep + tl * 16 + 8 * (half ^ ((tl >> 2) & 1)));
        }
      }
    }
  }
#endif  // __CUDA_ARCH_FEAT_SM90_ALL
}

// PAIRS: this instance carries the cluster pairs' fixup (launched only for plans with Plan::cluster == 2,
// so it carries no workspace fixup, which never ran there: without it 12 of 30 pair measurements read
// 1-3% faster, 14 within 1% and 4 slower, docs/PERFORMANCE.md version 143);
// the other instance of a configuration runs every other plan without that code, which cost the
// 64-token kernel 1-6% on plans that never take it (docs/PERFORMANCE.md, versions 82 and 84).
// QUADS: the instance with the stream-K quads' fixup instead (Plan::cluster == 4; PAIRS false).
template <bool BF16, int MB, int TN, int KB, bool PP, int CPS, bool WG, bool PAIRS, int ZM, bool SHIFT,
          bool QUADS = false>
__global__ void __launch_bounds__(384, CPS)
    sm90_w4a16_kernel(const __grid_constant__ CUtensorMap tm_x, const __grid_constant__ CUtensorMap tm_w,
                      const __grid_constant__ CUtensorMap tm_s, const __grid_constant__ CUtensorMap tm_z,
                      const Sm90Params p) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
  using S = Sm90Shape<MB, TN, KB, PP, CPS>;
  static_assert(ZM == sm90::kZmNone || ZM == sm90::kZmZeros || ZM == sm90::kZmRuntime, "zero-point mode");
  static_assert(!PAIRS || S::kPairs, "the pair fixup only where the configuration may plan pairs");
  static_assert(!QUADS || (S::kQuads && !PAIRS), "the quad fixup only where the configuration may plan quads");
  constexpr bool kCluster = PAIRS || QUADS;  // the instance reduces through distributed shared memory
  constexpr int BN = S::BN, kSlabs = S::kSlabs, kXSlabBytes = S::kXSlabBytes, kXBytes = S::kXBytes;
  constexpr int kWBytes = S::kWBytes;
  const int s_bytes = p.groups_per_stage * BN * 2;
  const bool zeros = sm90::has_zeros(ZM, p);
  const uint32_t tx_bytes = (uint32_t)(kXBytes + kWBytes + s_bytes * (zeros ? 2 : 1));  // full boxes, OOB too

  extern __shared__ uint8_t smem_raw[];
  // 128B-swizzled stages need 1024-byte alignment of the absolute address (HOPPER-NOTES pitfall 4).
  uint8_t* smem = smem_raw + ((1024 - (ptx::smem_u32(smem_raw) & 1023)) & 1023);
  // Layout: stages (1024-aligned), epilogue buffers, barriers, split-K flags, the cluster fixup's
  // mbarrier (flags + 2), then (cluster fixup only) its receive buffer at p.red_off.
  uint16_t* epi = reinterpret_cast<uint16_t*>(smem + p.stages * p.stage_bytes);
  uint64_t* full = reinterpret_cast<uint64_t*>(smem + p.stages * p.stage_bytes + S::kEpiBytes);
  uint64_t* empty = full + p.stages;
  int* flags = reinterpret_cast<int*>(empty + p.stages);

  // ---- setup ------------------------------------------------------------------------------------
  const int tid = threadIdx.x, wg = tid / 128;
  if (tid == 0) {
    for (int s = 0; s < p.stages; ++s) {
      cuda::ptx::mbarrier_init(&full[s], 1);                   // the producer's arrive.expect_tx
      cuda::ptx::mbarrier_init(&empty[s], PP ? 4 : 8);         // one arrive per consumer warp
    }
    if (kCluster && p.cluster > 1)
      cuda::ptx::mbarrier_init(reinterpret_cast<uint64_t*>(flags + 2), 1);  // the cluster fixup's expect_tx
    cuda::ptx::fence_mbarrier_init(cuda::ptx::sem_release, cuda::ptx::scope_cluster);
  }
  __syncthreads();
  // Cluster fixup: each CTA arms its receive barrier with the bytes its partner will send (one
  // warpgroup's partial rows), then all threads arrive on the cluster barrier; the sending warpgroups
  // wait on it (cluster_reduce) before their first remote store, so the barrier is initialised before
  // any byte lands: thread 0's fence.mbarrier_init above is the release, the arrive is relaxed (a
  // .release arrive put a GPU-scope MEMBAR in every thread's start: ~3% of the samples of 8192^2
  // M = 64, version 77). The arming is not ordered before the bytes, and need not be: bytes that land
  // first drive the tx-count negative, and the phase cannot complete before the arrival
  // (HOPPER-NOTES §5).
  // A quad CTA arms it only if it heads a shared tile (the last unit of its range, in ranks 0-2), with
  // the whole tile's bytes; rank 3 receives nothing.
  if (kCluster && p.cluster > 1) {
    if (tid == 0) {
      if constexpr (QUADS) {
        bool heads = false;
        for (UnitIter<Sm90Params> it(p); it.has_next();) {
          const Unit u = it.next();
          heads = heads || (u.nsplit > 1 && u.split_idx == 0);
        }
        if (heads) sm90::arrive_expect_tx(reinterpret_cast<uint64_t*>(flags + 2), (uint32_t)S::kQuadBytes);
      } else {
        sm90::arrive_expect_tx(reinterpret_cast<uint64_t*>(flags + 2), (uint32_t)S::kPairBytes);
      }
    }
    ptx::cluster_arrive_relaxed();
  }

  // ---- programmatic dependent launch --------------------------------------------------------------
  // Launched with PDL (launch_sm90), this grid may start while the previous kernel in the stream still
  // runs. Before waiting for it, the producer only warms L2 with the first weight boxes of its first
  // unit (weights, scales, zeros; never X, which the previous kernel may be writing). Each thread that
  // touches global memory through anything but L2 prefetches waits first (griddepcontrol.wait is per
  // thread): the loading producer threads after their register handoff and first unit's decode, right
  // before their first TMA load, the consumers after theirs, before their first unit; the rest of the
  // producer warpgroup never touches it. Waiting at the top with every thread put the first stage's
  // loads ~0.4 us after the wait's release (setmaxnreg, the unit's decode; docs/PERFORMANCE.md version
  // 151). The next kernel may launch as soon as every CTA of this one has started.
  if (tid == 0) {
    ptx::launch_dependents();
    ptx::prefetch_tensormap(&tm_x);
    ptx::prefetch_tensormap(&tm_w);
    ptx::prefetch_tensormap(&tm_s);
    if (zeros) ptx::prefetch_tensormap(&tm_z);
    UnitIter<Sm90Params> first(p);
    if (first.has_next()) {
      const Unit u = first.next();
      const int n0 = u.tile_n * BN, kb_end = min(u.kb_end, u.kb_begin + S::kPrefetchBlocks);
      for (int kb = u.kb_begin; kb < kb_end; ++kb) {
        ptx::tma_prefetch_l2_2d(&tm_w, kb * kSlabs * 128, n0 / 16);
        const int grp = (kb * KB) >> p.group_shift;
        if (kb == u.kb_begin || grp != (((kb - 1) * KB) >> p.group_shift)) {
          ptx::tma_prefetch_l2_2d(&tm_s, n0, grp);
          if (zeros) ptx::tma_prefetch_l2_2d(&tm_z, n0, grp);
        }
      }
    }
  }

  if (wg == 0) {
    // ---- producer -------------------------------------------------------------------------------
    ptx::setmaxnreg_dec<S::kProducerRegs>();
    // Thread 0 loads X, W and (but in the tiles of sm90::scale_box_second) the scales of every stage
    // and arms its full barrier with all of the stage's bytes; with zero points, or where
    // scale_box_second moves the scale box, thread 32 (the producer warpgroup's second warp) walks the
    // same ring and loads the zero points' box, the scale box or both. A fifth box from the one thread
    // cost the 16-token tile 3.7-5.8% (probe 113: the same kernel without it ran 0.6-1.2% over
    // scale-only, and its bytes were not the cost). Bytes that land before the arming drive the
    // tx-count negative; the phase completes only after the arrival (HOPPER-NOTES §5).
    const bool scales_second = sm90::scale_box_second(TN, ZM, zeros, BF16);
    if (tid == 0 || ((zeros || scales_second) && tid == 32)) {
      const bool main_thread = tid == 0;
      sm90::Ring ring;
      bool waited = false;
      for (UnitIter<Sm90Params> it(p); it.has_next();) {
        const Unit u = it.next();
        const int n0 = u.tile_n * BN, m0 = sm90::x_row0<MB, TN, SHIFT>(u.tile_m, p.m);
        if (!waited) {  // the PDL wait, once: everything before it touched no global memory
          ptx::grid_dependency_wait();
          waited = true;
        }
        for (int kb = u.kb_begin; kb < u.kb_end; ++kb) {
          sm90::wait(&empty[ring.stage], ring.phase ^ 1u);  // fresh barriers pass parity 1 at once
          uint64_t* bar = &full[ring.stage];
          uint8_t* st = smem + ring.stage * p.stage_bytes;
          const int grp = (kb * KB) >> p.group_shift;
          if (main_thread) {
            sm90::arrive_expect_tx(bar, tx_bytes);
#pragma unroll
            for (int j = 0; j < kSlabs; ++j)
              sm90::tma_load_2d(st + j * kXSlabBytes, &tm_x, kb * KB + 64 * j, m0, bar);
            sm90::tma_load_2d(st + kXBytes, &tm_w, kb * kSlabs * 128, n0 / 16, bar);
            if (!scales_second) sm90::tma_load_2d(st + kXBytes + kWBytes, &tm_s, n0, grp, bar);
          } else {
            if (scales_second) sm90::tma_load_2d(st + kXBytes + kWBytes, &tm_s, n0, grp, bar);
            if (zeros) sm90::tma_load_2d(st + kXBytes + kWBytes + s_bytes, &tm_z, n0, grp, bar);
          }
          ring.advance(p.stages);
        }
      }
    }
  } else {
    consumer<BF16, MB, TN, KB, PP, CPS, WG, PAIRS, ZM, SHIFT, QUADS>(smem, full, empty, flags, epi, p);
  }
#endif  // __CUDA_ARCH_FEAT_SM90_ALL
}

}  // namespace w4a16
