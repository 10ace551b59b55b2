// configs.h -- the explicit tables of kernel configurations, one per GPU family. The launchers
// instantiate exactly these rows; the heuristic and the tuner choose among them by index.
#pragma once

#include "host/hd.h"

namespace w4a16::cfg {

enum class Sched { Coop, PingPong, Gemv };

// sm90_w4a16: one producer warpgroup + two consumer warpgroups (384 threads; one CTA per SM, or two
// for ctas_per_sm = 2).
//   mb: 64-row wgmma blocks per consumer warpgroup; tn: tokens per tile = wgmma N; kb: k per stage.
//   Coop: both consumers share a tile of 2*64*mb weight rows. PingPong: each consumer owns a tile of
//   64*mb rows and the two alternate, so one's epilogue runs under the other's mainloop.
//   Stages come from the device's shared-memory budget, capped at max_stages.
struct Sm90Config {
  const char* name;
  Sched sched;
  int mb, tn, kb, max_stages;
  int ctas_per_sm = 1;  // 2: registers and shared memory sized so two CTAs share an SM
  constexpr int tile_rows() const {
    return sched == Sched::Coop ? 2 * 64 * mb : sched == Sched::PingPong ? 64 * mb : 16;
  }
};

// Register budget per consumer thread (232): accumulators (mb * tn / 2, times the decode accumulator
// chains) plus two A register sets; configurations over it dequantize half a stage at a time
// (Sm90Shape::kSub), else ptxas serializes the wgmmas (C7512, "insufficient register resources").
inline constexpr Sm90Config kSm90Configs[] = {
    {"coop_r128_t8", Sched::Coop, 1, 8, 128, 8},
    {"coop_r128_t16", Sched::Coop, 1, 16, 128, 8},
    {"coop_r128_t32", Sched::Coop, 1, 32, 128, 8},
    {"coop_r128_t64", Sched::Coop, 1, 64, 128, 6},
    // 96, 160 and 192 tokens (versions 126, 127 and 125): one tile for M = 65-96, 129-160 or 161-192 (two
    // for 257-320 or 321-384) where the 128- and 256-token tiles would pad it with up to 63 / 127 tokens
    // of tensor work.
    {"coop_r128_t96", Sched::Coop, 1, 96, 128, 6},
    {"coop_r128_t128", Sched::Coop, 1, 128, 64, 8},
    {"coop_r128_t160", Sched::Coop, 1, 160, 64, 6},
    {"coop_r128_t192", Sched::Coop, 1, 192, 64, 6},
    {"coop_r128_t256", Sched::Coop, 1, 256, 64, 5},
    {"coop_r256_t128", Sched::Coop, 2, 128, 64, 6},
    {"pp_r128_t64", Sched::PingPong, 2, 64, 64, 10},
    {"pp_r64_t128", Sched::PingPong, 1, 128, 64, 8},
    {"pp_r64_t256", Sched::PingPong, 1, 256, 64, 6},
    // Decode tiles at two CTAs per SM: twice the consumer warps to hide the dequant's latency.
    {"coop_r128_t8_x2", Sched::Coop, 1, 8, 64, 16, 2},
    {"coop_r128_t16_x2", Sched::Coop, 1, 16, 64, 16, 2},
    // Decode without TMA or wgmma (kernels/common/gemv.cuh): one CTA of kGemvWarps warps per 16-row
    // block, weights streamed straight into registers, X staged in shared memory, mma.sync; M <= 8
    // (tn), no split, no workspace.
    {"gemv_t8", Sched::Gemv, 1, 8, 64, 0},
};
// The gemv kernel is latency-bound: what feeds it is warps per SM, not bytes per warp. 16 warps per
// 16-row block (splitting its K), 2 atoms of weights in flight per lane and at most 64 registers,
// so two CTAs (32 warps) share an SM; 8 warps, or 4 and 8 atoms in flight at 72-112 registers
// (fewer warps), measured slower (docs/PERFORMANCE.md, version 36).
inline constexpr int kGemvWarps = 16;
inline constexpr int kGemvDepth = 2;
// CTAs of the gemv kernel per SM that its registers must allow (its launch bounds) and its shared
// memory too (the plan checks); the heuristic's grid rule counts in these.
inline constexpr int kGemvCtasPerSm = 2;
// The gemv CTA stages X in dynamic shared memory, 128 B per (64-wide atom, token), next to its
// static (kGemvWarps - 1) x 32 float4 for the sum of its warps.
inline constexpr int kGemvAtomBytes = 128;
inline constexpr int kGemvStaticSmem = (kGemvWarps - 1) * 32 * 16;
inline constexpr int kSm90ConfigCount = sizeof(kSm90Configs) / sizeof(kSm90Configs[0]);
// sm90 epilogue: each consumer warp stages its 16 rows of the tile in chunks of this many tokens, the
// widest of 64, 32, 16, 8 that divides tn (the 96-token tile: three chunks of 32).
constexpr int sm90_epi_tokens(int tn) { return tn % 64 == 0 ? 64 : tn % 32 == 0 ? 32 : tn % 16 == 0 ? 16 : 8; }

// The cluster split-K fixup (sm90_w4a16.cuh cluster_reduce): a tile split in two runs as a pair of
// CTAs, each receiving its partner's fp32 partial of one consumer warpgroup's rows (64 * mb x tn)
// into a buffer taken from the stage ring, of at most kSm90PairBufBytes. Only the configurations
// for which this holds plan pairs and have a kernel instance with the fixup's code (the kernel's
// Sm90Shape::kPairs asks the same function of its template parameters).
inline constexpr int kSm90PairBufBytes = 32 * 1024;
constexpr int sm90_pair_buf_bytes(int mb, int tn) { return 64 * mb * tn * 4; }
constexpr bool sm90_pairs(bool coop, int ctas_per_sm, int mb, int tn) {
  return coop && ctas_per_sm == 1 && sm90_pair_buf_bytes(mb, tn) <= kSm90PairBufBytes;
}
constexpr bool sm90_pairs(const Sm90Config& c) { return sm90_pairs(c.sched == Sched::Coop, c.ctas_per_sm, c.mb, c.tn); }
// Stream-K quads (sm90_w4a16.cuh quad_reduce, Plan::cluster == 4): T whole tiles, T a multiple of 3, run
// as 4T/3 CTAs in clusters of four, each CTA 3/4 of a tile's k-blocks, so each tile spans two
// neighbouring CTAs of one cluster and its tail's CTA sends its whole partial tile (both warpgroups'
// rows) into the head's receive buffer. Only the 128-token cooperative tile has the instance (the
// one measured; its 64 KiB buffer costs the ring 2 of its 8 stages).
constexpr int sm90_quad_buf_bytes(int mb, int tn) { return 2 * sm90_pair_buf_bytes(mb, tn); }
constexpr bool sm90_quads(bool coop, int ctas_per_sm, int mb, int tn) {
  return coop && ctas_per_sm == 1 && mb == 1 && tn == 128;
}
constexpr bool sm90_quads(const Sm90Config& c) { return sm90_quads(c.sched == Sched::Coop, c.ctas_per_sm, c.mb, c.tn); }

// Whether a whole-group sm90 kernel instance dequantizes in the subnormal form (dequant.cuh; fp16: 12
// instructions per word, 4 of them packed-half, bf16 12 and 4; needs every |s| < 0.25) or the
// magic-number one (fp16 13 and 8, bf16 15 and 8; any scale). Chosen by dtype and tile width from whole-build
// A/Bs (H200, interleaved repeats, docs/PERFORMANCE.md version 111): the 16- to 64-token tiles measured faster
// (fp16 M=16 1.4-4.3% on four shapes, 8192^2 M=32 1.4%, M=64 3.6%, bf16 3.6-3.9%; the 16-token zero-point
// tile 1.2-2.2% faster than in the magic-number form); the fp16 8-token tile did not (0.4-1.0% slower on three
// of four shapes); the 128- and 256-token tiles were not shown faster (8192^2 M=128 +2.4% and -1.6%, M=256
// +1.8% and +2.8% in two calls), so they keep their form. In bf16, whose magic-number form costs 15
// instructions per word against 12, the 8- and 128-token tiles measured faster: coop_r128_t8 0.9-3.6% on five
// decode points, zeros included (version 158; version 111 had read bf16 M=1 with zeros 1.7% slower), and
// coop_r128_t128 2.7-6.6% at M=128-256 on eight of nine symmetric points, 4.8% with zeros, coop_r256_t128 3%
// (version 121). In fp16 coop_r128_t128 read -2.4 to +4.5%, coop_r256_t128 +14%; bf16's 256-token -0.6/+2.8%.
W4A16_HD constexpr bool sm90_subn_dequant(bool bf16, int tn) {  // the kernels ask it too
  return (tn >= 16 && tn <= 64) || (bf16 && (tn == 8 || tn == 128));
}

// sm80_w4a16: warps_r x warps_t warps; each warp computes (16*wm weight rows) x (8*wn tokens) with
// mma.sync.m16n8k16; kb: k per cp.async stage.
struct Sm80Config {
  const char* name;
  int warps_r, warps_t, wm, wn, kb, max_stages;
  bool gemv = false;  // the shared gemv kernel (kernels/common/gemv.cuh): no ring, no split
  int ctas_per_sm = 0;  // CTAs per SM its registers (launch bounds) and shared memory are sized for;
                        // 0: as many as 512 threads make
  constexpr int threads() const { return gemv ? 32 * kGemvWarps : 32 * warps_r * warps_t; }
  constexpr int ctas() const { return ctas_per_sm > 0 ? ctas_per_sm : (512 / threads() > 1 ? 512 / threads() : 1); }
  constexpr int tile_rows() const { return 16 * wm * warps_r; }
  constexpr int tile_tokens() const { return 8 * wn * warps_t; }
  // Whether the tile has the kernel that loads each scale (zero) pair once per k-block for groups of
  // at least a k-block (sm80_w4a16_launch.cuh): where its fp32 accumulators (4 * wm * wn per thread)
  // take at most a quarter of the registers its launch bound leaves a thread. The held pairs raised
  // ptxas's spills in the tiles past that (fp16: 44 -> 76 and 144 -> 204 bytes at 128 registers,
  // version 19), whose dequant is shared by 64+ tokens anyway; r128_t64_w4x1 (64 accumulators at 256
  // registers) takes 194 with it, no spill (version 56).
  constexpr bool whole_group_scales() const { return 16 * wm * wn <= 65536 / (threads() * ctas()); }
  // The one-column 32-row tiles (w4x1, w4x1_k128: 128 accumulators under 255 registers) load the pairs
  // once per k-block where a k-block lies inside one group, with an instance per zero-point mode
  // (sm80_w4a16.cuh, ZM), else once per k16 step. On sm_90a: symmetric 252 registers and no spill,
  // with zeros 24-48 bytes of spill, both 5-9% faster on the H100 than per-step pairs (version 92).
  // ptxas spills more for the other targets (24-52 bytes on sm_80/86/89, 100-152 for w4x1 on
  // sm_120) and no other card was timed, so the launcher uses them on compute capability 9.0 only.
  constexpr bool kblock_scales_by_zero_mode() const {
    return !gemv && !whole_group_scales() && warps_t == 1 && wm == 2 && wn == 16;
  }
};

inline constexpr Sm80Config kSm80Configs[] = {
    {"r128_t8", 4, 1, 2, 1, 128, 6},
    {"r128_t16", 4, 1, 2, 2, 128, 6},
    {"r128_t32", 4, 1, 2, 4, 128, 5},
    {"r128_t128", 4, 2, 2, 8, 64, 4},
    // One warp column (version 52): each warp covers all the tile's tokens, so each dequantized
    // word feeds wn MMAs (one per 8 tokens) and no weight is dequantized twice in a CTA (r128_t128:
    // 8 MMAs per word, every weight dequantized by both warp columns). r128_t128_w4x1: 32 rows x 128
    // tokens per warp, ~226 registers, two CTAs (8 warps) per SM; _w8x1: 16 rows per warp, <= 128 registers, two
    // CTAs (16 warps) per SM. On the H100: w4x1 9-17% faster than r128_t128 from M = 192 up where
    // each CTA's K range is long, r128_t128_w8x1 6-7% faster at M = 96-128 and where it is short,
    // r128_t64_w8x1 4-12% faster than r128_t32 at M = 33-64 (heuristic.cpp, sm80_pick).
    {"r128_t128_w4x1", 4, 1, 2, 16, 64, 4, false, 2},
    {"r128_t128_w8x1", 8, 1, 1, 16, 64, 4},
    {"r128_t64_w8x1", 8, 1, 1, 8, 128, 4},
    // w4x1 with 128-wide k-blocks: half the barriers and loader passes per k; two stages of ~40 KiB
    // at two CTAs per SM need ~164 KiB of shared memory per SM (A100, H100, B200; not the 100 KB
    // SMs of A10/L40/RTX), 4-6% faster than w4x1 on the H100 (version 55).
    {"r128_t128_w4x1_k128", 4, 1, 2, 16, 128, 3, false, 2},
    // The same 32-row warps with 64 tokens (~194 registers with per-k-block scales; two CTAs of 4
    // warps per SM): half the X ldmatrix traffic and ~18% fewer instructions than r128_t64_w8x1.
    // Faster where each CTA's K range is long, slower on split-K shapes (version 56).
    {"r128_t64_w4x1", 4, 1, 2, 8, 128, 4, false, 2},
    // 64-row decode tiles: twice the tiles of r128_t8/t16 where their split-K is capped by the
    // k-blocks (K <= 4096 with few tiles) and would leave CTA slots idle (version 39).
    {"r64_t8", 4, 1, 1, 1, 128, 12},
    {"r64_t16", 4, 1, 1, 2, 128, 12},
    // The gemv decode kernel (above), compiled for every target: one 16-row block of 8 tokens
    // (M <= 8) per CTA of kGemvWarps warps splitting its K (threads()); no stages.
    {"gemv_t8", 1, 1, 1, 1, 64, 0, true},
};
inline constexpr int kSm80ConfigCount = sizeof(kSm80Configs) / sizeof(kSm80Configs[0]);
static_assert(kSm80Configs[kSm80ConfigCount - 1].gemv && kSm80Configs[kSm80ConfigCount - 1].tile_rows() == 16 &&
                  kSm80Configs[kSm80ConfigCount - 1].tile_tokens() == 8,
              "the sm80 gemv row describes one 16-row block of 8 tokens");

}  // namespace w4a16::cfg
