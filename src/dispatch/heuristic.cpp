// heuristic.cpp -- family and configuration choice. Numbers here come from the performance model in
// docs/PERFORMANCE.md: decode needs >= 64 KB of weight loads in flight per SM; every SM busy.
#include "dispatch/heuristic.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>

#include "dispatch/configs.h"
#include "host/layout.h"

namespace w4a16 {
namespace {

using layout::ceil_div;
using layout::round_up;

// Scale groups a stage of `kb` k covers (>= 1: a group wider than the stage is reloaded per stage).
int64_t groups_per_stage(const Problem& p, int kb) {
  return (p.per_channel || p.group >= kb) ? 1 : kb / p.group;
}

constexpr size_t kSm90Barriers = 512;                // full/empty barriers, flags, the cluster fixup's mbarrier
constexpr size_t kSm90Reserve = 1024 + kSm90Barriers;  // + base alignment slack

// Cluster split-K fixup (Plan::cluster): pairs (cfg::sm90_pairs: the configurations whose kernels
// carry it) and the stream-K quads below. On the H100 (7 interleaved repeats, docs/PERFORMANCE.md
// version 20) pairs gained 2-13% over the workspace fixup (8192^2 M = 1 / 16 / 64), split-4 clusters
// of four 0 to 11% lost (4096^2 M = 1 / 16, 4096x14336 M = 1).

// Stream-K quads (cfg::sm90_quads): T whole tiles, T a multiple of 3, that fill more than half the SMs
// run as 4T/3 CTAs, each 3/4 of a tile's k-blocks, reducing through distributed shared memory in
// clusters of four, where all those clusters can be resident at once (DeviceProps::quad_clusters: 30 on
// the H200, so up to 90 tiles; where unknown, only plans whose CTAs leave a quarter of the SMs idle: 69
// or 72 tiles on 132 SMs) and each CTA keeps kQuadMinSliceK of K. E.g. 9216 x K and 9984-11520 x K at M =
// 97-128, 2304 x K at M = 513-640, 5760 x K at M = 193-256 where the 128-token tile is picked (since version
// 139 the mid-M pick below takes smaller tiles at most other mid-M shapes the rule admits). H200, 3-4
// interleaved repeats against whole tiles (docs/PERFORMANCE.md versions 137-138): 72 tiles 3-9% faster
// at all 15 points timed (both dtypes and with zeros; 3072x4096 M=384 23.42 -> 21.61 us, 3072x3072
// M=320 18.45 -> 17.72, 4608x4096 M=192 23.50 -> 21.94); 75-90 tiles 0.4-9% faster at all 13 timed
// (3584x4096 M=384 23.71 -> 22.11, bf16 23.74 -> 21.64; least: 5376x4096 M=192 23.33 -> 23.23, 2304x4096
// M=576 23.77 -> 23.31). The same units through the workspace were 3-17% slower than whole tiles.
// With 96 tiles (128 CTAs) the 32 clusters do not all fit on the H200, and the launcher ran those
// plans through the workspace fixup: 5-26% slower than whole tiles at K = 2048-4096, 5-10% faster at
// K = 6144-8192; with 132 CTAs and uneven ranges slower at 16 of 19 points (-5 to +39%)
// (bench/results/probes/2026-11-29_h200_s40_{quads,skfill,cluster_fit}*.txt, ..._h200_s41_call{1,2}_ab_*.txt).
constexpr int64_t kQuadMinSliceK = 2304;

// The barrier area holds full/empty barriers (16 B per stage), two split-K flags and the cluster
// fixup's mbarrier.
constexpr bool barriers_fit() {
  for (const cfg::Sm90Config& c : cfg::kSm90Configs)
    if ((size_t)c.max_stages * 16 + 16 > kSm90Barriers) return false;
  return true;
}
static_assert(barriers_fit(), "kSm90Barriers too small for some configuration's max_stages");

// sm90 epilogue staging: 8 consumer warps x [epilogue chunk tokens][16 rows] x 2 B (Sm90Shape::kEpiBytes).
size_t sm90_epilogue_bytes(const cfg::Sm90Config& c) { return (size_t)8 * cfg::sm90_epi_tokens(c.tn) * 16 * 2; }

// Split-K only fills a machine that one wave of tiles leaves idle, and each split keeps at least
// this many k-blocks. Measured on the H100 (docs/PERFORMANCE.md, "Split-K"): every split that made a
// second wave lost (each CTA pays a few microseconds of pipeline fill and fixup), and the first,
// wave-quantisation model split M = 4096, N = K = 8192 sixteen ways: 2 GiB of fp32 partials, 4x slower.
constexpr int64_t kMinSplitKblocks = 4;
// Decode tiles use stream-K instead of whole-tile units only below this wave efficiency (busy
// fraction of the CTA slots over all waves) and when the last wave of whole tiles would keep fewer
// than kStreamKTailBelow of the slots busy. Weights stream from DRAM, so a last wave that keeps most
// CTAs busy still draws most of the bandwidth, and its early-finishing SMs let the next call's CTAs
// start early (docs/PERFORMANCE.md, version 29).
// Only tiles of at most kStreamKMaxTokens tokens: each CTA sharing a tile moves one fp32 partial
// tile (128 rows x tokens x 4 B) through the fixup, and from 16 tokens (8 KiB) on that cost more
// than the balance gained (57344x8192 M = 16 / 32 / 64: whole tiles 2.6 / 2.7 / 3.8% faster, M = 1
// 3.6% slower; version 31).
constexpr double kStreamKBelow = 0.9;
constexpr double kStreamKTailBelow = 0.5;
constexpr int kStreamKMaxTokens = 8;
// Stream-K fill (plan_sm90): where fewer tiles than SMs keep a split-K plan under this share of the SMs
// busy, and each CTA's equal range would hold at least kStreamKFillMinK of K.
constexpr double kStreamKFillBelow = 0.7;
constexpr int64_t kStreamKFillMinK = 4096;
constexpr int64_t kStreamKFillMaxSpan = 4;  // CTAs one tile may span: the workspace holds that many partials per CTA
// Split tail: at most this many K slices per tile (each slice's fp32 partial is read back by the
// last). On the H100 (docs/PERFORMANCE.md) it gained 6-9% at 2.4-3.4 waves (version 23: 57344x8192
// M = 128 / 256, 10240x8192 M = 1024 with 256-token tiles) and 0.3-1.8% at 23-31 waves (version 32:
// 28672x4096 M = 4096, 6144x4096 and 8192^2 at M = 16384, 8 interleaved repeats), where the last
// wave is a few % of the time. The time model still counts it only below kTailSplitModelWaves
// (heuristic.h), the range it was fitted on.
constexpr int64_t kMaxTailSplit = 4;

// Shared memory one CTA may use so that `ctas` of them fit an SM (the driver reserves 1 KiB per CTA).
int64_t smem_per_cta(const DeviceProps& d, int ctas) {
  return std::min<int64_t>(d.smem_optin, (int64_t)d.smem_per_sm / ctas - 1024);
}

// The gemv CTA's dynamic shared memory (X staged, kernels/common/gemv.cuh) and whether kGemvCtasPerSm
// of them fit an SM.
size_t gemv_smem_bytes(const Problem& p) { return (size_t)(p.m * ceil_div(p.k, 64) * cfg::kGemvAtomBytes); }
bool gemv_smem_fits(const DeviceProps& d, const Problem& p) {
  return (int64_t)gemv_smem_bytes(p) + cfg::kGemvStaticSmem <= smem_per_cta(d, cfg::kGemvCtasPerSm);
}

// The gemv configuration (no TMA pipeline, no split: kernels/common/gemv.cuh) for decode, where the
// TMA kernels' per-call chain (pipeline fill, split-K fixup) outweighs the gemv's slower stream. Its
// CTAs (one per 16 rows, kGemvCtasPerSm per SM) must fit one wave, its X must fit shared memory, and
// each CTA reads all of X from L2, more as M grows. Measured on the H200 (thirty-first session,
// `bench/results/probes/2026-11-28_h200_s31_decode_rules.txt`; each configuration forced with its own
// plan, medians of 3 repeats), gemv / coop_r128_t8 in us:
//  - M = 1, K = 4096: N = 1024 (64 CTAs) 4.05 / 3.99, 2048 (128) 4.40 / 4.50, 3072 (192) 4.65 / 5.35,
//    4096 (256) 4.80 / 5.89, 6144 (384: two waves) 7.68 / 7.21;
//  - M = 1, K > 4096: 4096x8192 (256 CTAs) 7.80 / 8.34, 3072x8192 (192) 7.63 / 7.21, 4096x11008
//    10.32 / 9.89, 4096x14336 12.71 / 11.61;
//  - M = 2: 4096^2 5.56 / 5.91, 3072x4096 5.33 / 5.35, 2048x4096 5.08 / 4.53, 4096x8192 8.75 / 8.35;
//  - M = 4: coop_r128_t8 faster on every shape (4096^2 6.70 / 5.92, 2048x4096 6.24 / 4.54).
// bf16 and zero points agree (4096^2 M = 1 bf16 5.00 / 6.10, M = 4 6.75 / 6.14; 4096x14336 M = 1 with
// zeros 13.30 / 12.01). So: M <= 2 and one wave; at M = 1 with K <= 4096 at least one CTA per two SMs,
// otherwise (M = 1 with K <= 8192, M = 2 with K <= 4096) at least 90% of the wave's slots.
// The wider rule before (version 36, H100: M <= 4, up to 3 CTAs per SM, K <= 16384) was measured
// against the TMA kernels of that time; they have since become faster (the H100's v32 sweep already had
// 4096^2 M = 4 on gemv at 6.75 us against coop_r128_t16 at M = 16 at 6.57). Any group size: g = 32 loads
// two scale pairs per atom.
bool gemv_pick(const DeviceProps& d, const Problem& p, int64_t sms) {
  const int64_t ctas = ceil_div(p.n, 16), slots = cfg::kGemvCtasPerSm * sms;
  if (p.m > 2 || ctas > slots || !gemv_smem_fits(d, p)) return false;
  if (p.m == 1 && p.k <= 4096) return 2 * ctas >= sms;
  return p.k <= (p.m == 1 ? 8192 : 4096) && 10 * ctas >= 9 * slots;
}

// The sm80 family's gemv rule (the same kernel, kernels/common/gemv_launch.cuh) against its decode
// tile r128_t8, which is slower than the sm90 family's TMA kernels, so gemv pays over a wider range.
// Measured on the H100 (docs/PERFORMANCE.md, version 37: both configurations forced, 3 interleaved
// repeats, before the sm80 gemv had PDL), gemv/r128_t8 time:
//  - M = 1: 4096^2 0.59, 6144x4096 0.72, 2048^2 0.46, 4096x14336 0.74, 8192^2 0.85, 10240x8192
//    (640 CTAs, 4.8 per SM) 0.88; lost at 28672x4096 (1792 CTAs) 1.05, 57344x8192 1.03, 8192x28672
//    1.00 and 14336x1024 (one atom per warp) 1.11;
//  - M = 2: 0.68, 0.83, 0.54, 0.84, 0.95, 0.96 on the same; lost 1.14, 1.01, 1.40;
//  - M = 4: 4096^2 0.80, 2048^2 0.61, 6144x4096 0.97; lost at 8192^2 1.13, 10240x8192 1.18 and
//    the larger; M = 8 lost (4096^2 1.05, 6144x4096 1.40).
// On the H200 (thirty-first session, same probe file as gemv_pick, medians of 2-3 repeats; r128_t8 since
// version 112's dequant, gemv with PDL), gemv / r128_t8 in us:
//  - M = 1: 4096^2 4.80 / 7.37, 6144x4096 7.71 / 8.74, 4096x14336 12.69 / 14.53, 8192^2 (512 CTAs)
//    14.92 / 15.30, 10240x8192 (640) 19.10 / 17.99;
//  - M = 2: 4096^2 5.55 / 7.37, 6144x4096 (384 CTAs) 8.51 / 8.72, 4096x14336 13.96 / 14.46, 8192^2
//    16.70 / 15.25, 10240x8192 20.80 / 17.99;
//  - M = 4: 4096^2 6.71 / 7.39 (r64_t8 7.02), 3072x4096 6.50 / 7.76, 2048x4096 6.22 / 7.17 (r64_t8
//    6.07), 6144x4096 10.38 / 8.62, 8192^2 19.65 / 15.18.
// After versions 116-117 (the decode tiles' lean loader and pinned offsets: r128_t8 2-10% faster on these
// shapes), the same cases on the H200 (thirty-second session, 2 repeats,
// bench/results/probes/2026-11-28_h200_s32_sm80_gemv_rule.txt):
//  - M = 1: 4096^2 4.80 / 6.68 (r64_t8), 6144x4096 (384 CTAs) 7.74 / 8.60, 4096x8192 7.83 / 10.33, 6144x8192
//    (384) 12.74 / 12.71, 4096x14336 12.77 / 13.62, 8192^2 (512) 14.96 / 14.20, 10240x8192 (640) 19.14 / 16.29;
//  - M = 2: 4096^2 5.57 / 6.71 (r64_t8), 6144x4096 8.56 / 8.55, 4096x8192 8.78 / 10.30, 4096x14336 13.91 / 13.62;
//  - M = 4: 4096^2 6.72 / 6.68, 3072x4096 6.51 / 6.41, 2048x4096 6.29 / 5.69 (all r64_t8).
// So: K from 2048 (two atoms per warp) to 16384, at most 3 CTAs per SM at M = 1-2 (the tile now wins from
// 512 CTAs at M = 1 and ties at 384; 5 per SM at M = 1 before version 118) and 2 at M = 3-4 with K <= 4096
// (M = 4: more than 1, see below); K above 4096 only when the CTAs cover the SMs (unmeasured here).
// At M = 2 the tile is 2% faster on 4096x14336 (13.62 / 13.91) and ties on 6144x4096: left with gemv.
// M = 3-4 again (thirty-third session, 2 repeats, bench/results/probes/2026-11-28_h200_s33_sm80_m34_rule.txt),
// gemv / r64_t8 / r128_t8 in us:
//  - M = 3: 1024x4096 5.24 / 5.15 / 5.40, 2048x4096 5.72 / 5.65 / 6.30, 3072x4096 5.95 / 6.42 / 7.02,
//    4096^2 6.13 / 6.64 / 6.65, 6144x4096 (384 CTAs, not gemv) 9.45 / 8.25 / 8.50;
//  - M = 4: 1024x4096 5.79 / 5.16 / 5.60, 2048x4096 6.26 / 5.71 / 6.42, 3072x4096 6.53 / 6.43 / 7.06,
//    4096^2 6.71 / 6.71 / 6.72, 6144x4096 10.35 / 8.30 / 8.45.
// So at M = 4 gemv only with more CTAs than SMs (3072 rows: r64_t8 1.5% faster, 4096: equal; gemv kept),
// with no more than that r64_t8 (9-11% faster); at M = 3 gemv kept (r64_t8 1.2-1.7% faster at 1024 and 2048 rows, 8%
// slower at 3072 and 4096); and sm80_r64_pick starts at M = 3 (6144x4096 2-3% faster than r128_t8; its other
// shapes at M = 3-4, e.g. K <= 1024 or N <= 1024 with long K, follow the M = 5-16 rule unmeasured). The H100 last
// timed these tiles in version 98's sweep; its version 37 table had gemv ahead by 4-41% at M = 1-2 on these
// shapes, against a tile that versions 112, 116 and 117 alone took ~10-20% off on the H200. The rule counts in
// SMs so that it scales to other devices.
bool sm80_gemv_pick(const DeviceProps& d, const Problem& p, int64_t sms) {
  const int64_t ctas = ceil_div(p.n, 16);
  if (p.m > 4 || p.k < 2048 || p.k > 16384 || !gemv_smem_fits(d, p) || (p.k > 4096 && ctas < sms)) return false;
  if (p.m <= 2) return ctas <= 3 * sms;
  if (ctas > 2 * sms || p.k > 4096) return false;
  return p.m == 3 || ctas > sms;  // M = 4 with no more CTAs than SMs: r64_t8 (sm80_r64_pick)
}

}  // namespace

size_t sm90_stage_bytes(int config, const Problem& p) {
  const cfg::Sm90Config& c = cfg::kSm90Configs[config];
  const size_t rows = (size_t)c.tile_rows();
  const size_t x = (size_t)c.tn * c.kb * 2, w = rows * c.kb / 2;
  const size_t s = (size_t)groups_per_stage(p, c.kb) * rows * 2;
  // X slabs must start on 1024 B (128B swizzle atoms); the stage is a whole number of 1024 B.
  return (size_t)round_up((int64_t)(x + w + s * (p.zeros ? 2 : 1)), 1024);
}

size_t sm80_stage_bytes(int config, const Problem& p) {
  const cfg::Sm80Config& c = cfg::kSm80Configs[config];
  const size_t rows = (size_t)c.tile_rows();
  const size_t x = (size_t)c.tile_tokens() * c.kb * 2, w = rows * c.kb / 2;
  const size_t s = (size_t)round_up((int64_t)(groups_per_stage(p, c.kb) * rows * 2), 16);
  return (size_t)round_up((int64_t)(x + w + s * (p.zeros ? 2 : 1)), 128);
}

w4a16_status default_family(const DeviceProps& d, w4a16_family* f) {
  if (d.cc_major < 8)
    return fail(W4A16_ERR_UNSUPPORTED_DEVICE, "device '%s' has compute capability %d.%d; w4a16 needs 8.0 or newer",
                d.name.c_str(), d.cc_major, d.cc_minor);
  *f = (d.cc_major == 9 && d.cc_minor == 0 && W4A16_HAVE_SM90) ? W4A16_FAMILY_SM90 : W4A16_FAMILY_SM80;
  return W4A16_OK;
}

w4a16_status family_runs_on(w4a16_family f, const DeviceProps& d) {
  if (d.cc_major < 8)
    return fail(W4A16_ERR_UNSUPPORTED_DEVICE, "device '%s' has compute capability %d.%d; w4a16 needs 8.0 or newer",
                d.name.c_str(), d.cc_major, d.cc_minor);
  switch (f) {
    case W4A16_FAMILY_REFERENCE:
    case W4A16_FAMILY_SM80: return W4A16_OK;
    case W4A16_FAMILY_SM90:
      if (!W4A16_HAVE_SM90)
        return fail(W4A16_ERR_WRONG_FAMILY, "this build of w4a16 has no sm_90a kernels (W4A16_CUDA_ARCHS lacks 90a): "
                    "pack for sm80 instead");
      if (d.cc_major == 9 && d.cc_minor == 0) return W4A16_OK;
      return fail(W4A16_ERR_WRONG_FAMILY, "weights are packed for the sm90 family (sm_90a code), which runs only on "
                  "compute capability 9.0; device '%s' is %d.%d: pack for sm80 instead", d.name.c_str(), d.cc_major,
                  d.cc_minor);
    case W4A16_FAMILY_HOST:
      return fail(W4A16_ERR_WRONG_FAMILY, "weights are packed for the host family: use w4a16_gemm_host");
    default: return fail(W4A16_ERR_WRONG_FAMILY, "weights have no GPU family (family=%d)", (int)f);
  }
}

int choose_split(int64_t tiles, int64_t kblocks, int64_t slots) {
  if (tiles <= 0 || tiles * 2 > slots) return 1;
  return (int)std::max<int64_t>(1, std::min<int64_t>({slots / tiles, kblocks / kMinSplitKblocks, 32}));
}

int64_t tail_split(int64_t tiles, int64_t kblocks, int64_t slots, int64_t max_waves) {
  if (!tail_split_enabled() || slots <= 0 || tiles <= slots || tiles / slots >= max_waves) return 1;
  const int64_t tail = tiles % slots;
  if (tail == 0) return 1;
  const int64_t s = std::min<int64_t>({slots / tail, kblocks / kMinSplitKblocks, kMaxTailSplit});
  return s >= 2 ? s : 1;
}

namespace {
constexpr int kMaxBand = 64;
int valid_band(long b) { return b >= 1 && b <= kMaxBand ? (int)b : 0; }
}  // namespace

bool env_switch_on(const char* name) {
  const char* v = std::getenv(name);
  if (!v) return true;
  std::string s(v);
  for (char& c : s) c = (char)std::tolower((unsigned char)c);
  return !(s == "0" || s == "off" || s == "false" || s == "no");
}

int parse_band(const char* v) {
  if (!v || !(*v >= '0' && *v <= '9')) return 0;  // strtol would skip blanks and take a sign
  char* end = nullptr;
  errno = 0;
  const long b = std::strtol(v, &end, 10);
  return errno == ERANGE || *end != '\0' ? 0 : valid_band(b);
}

namespace {
std::atomic<bool>& cluster_reduce_flag() {
  static std::atomic<bool> on{env_switch_on("W4A16_CLUSTER_REDUCE")};
  return on;
}
std::atomic<bool>& tail_split_flag() {
  static std::atomic<bool> on{env_switch_on("W4A16_TAIL_SPLIT")};
  return on;
}
std::atomic<bool>& sum_apart_flag() {
  static std::atomic<bool> on{env_switch_on("W4A16_SUM_APART")};
  return on;
}
std::atomic<bool>& quads_flag() {
  static std::atomic<bool> on{env_switch_on("W4A16_QUADS")};
  return on;
}
std::atomic<int>& forced_band_value() {
  static std::atomic<int> band{parse_band(std::getenv("W4A16_BAND"))};
  return band;
}
}  // namespace

int forced_band() { return forced_band_value().load(std::memory_order_relaxed); }
void set_forced_band(int band) { forced_band_value().store(valid_band(band), std::memory_order_relaxed); }
bool cluster_reduce_enabled() { return cluster_reduce_flag().load(std::memory_order_relaxed); }
void set_cluster_reduce_enabled(bool on) { cluster_reduce_flag().store(on, std::memory_order_relaxed); }
bool tail_split_enabled() { return tail_split_flag().load(std::memory_order_relaxed); }
void set_tail_split_enabled(bool on) { tail_split_flag().store(on, std::memory_order_relaxed); }
bool sum_apart_enabled() { return sum_apart_flag().load(std::memory_order_relaxed); }
void set_sum_apart_enabled(bool on) { sum_apart_flag().store(on, std::memory_order_relaxed); }
bool quads_enabled() { return quads_flag().load(std::memory_order_relaxed); }
void set_quads_enabled(bool on) { quads_flag().store(on, std::memory_order_relaxed); }

bool choose_band_m(const Problem& p, int64_t tiles_n, int64_t tiles_m, int band) {
  const double x = 2.0 * (double)p.m * (double)p.k, w = 0.5 * (double)p.n * (double)p.k;
  const double along_n = x * (double)ceil_div(tiles_n, band) + w;
  const double along_m = w * (double)ceil_div(tiles_m, band) + x;
  return along_m < along_n;
}

namespace {
// The raster band of a plan: forced (W4A16_BAND, tests) or the family's width.
//   sm90: 4 tiles. Against 8, at the M >= 2048 sweep points (the only ones where the two orders
//   differ: > 4 tiles along the banded dimension) the persistent cooperative grid read 11% fewer L2
//   sectors and 25% less traffic between the L2 partitions at the same time under ncu's locked
//   clock, and ran ~2% faster under the power cap (20 of 27 interleaved comparisons, three calls).
//   sm80: 8, never varied (its grids are one CTA per unit, not persistent).
void choose_band(const Problem& p, int family_band, Plan* pl) {
  pl->band = forced_band() > 0 ? forced_band() : family_band;
  pl->band_m = choose_band_m(p, pl->tiles_n, pl->tiles_m, pl->band);
}

enum Sm90Pick {
  kT8 = 0, kT16 = 1, kT32 = 2, kT64 = 3, kT96 = 4, kT128 = 5, kT160 = 6, kT192 = 7, kT256 = 8, kR256T128 = 9,
  kGemv = 15
};
constexpr bool sm90_row_is(int i, int tn, int ctas) {
  return cfg::kSm90Configs[i].sched == cfg::Sched::Coop && cfg::kSm90Configs[i].mb == 1 &&
         cfg::kSm90Configs[i].tn == tn && cfg::kSm90Configs[i].ctas_per_sm == ctas;
}
static_assert(sm90_row_is(kT8, 8, 1) && sm90_row_is(kT16, 16, 1) && sm90_row_is(kT32, 32, 1) &&
                  sm90_row_is(kT64, 64, 1) && sm90_row_is(kT96, 96, 1) && sm90_row_is(kT128, 128, 1) &&
                  sm90_row_is(kT160, 160, 1) && sm90_row_is(kT192, 192, 1) && sm90_row_is(kT256, 256, 1) &&
                  cfg::kSm90Configs[kR256T128].sched == cfg::Sched::Coop && cfg::kSm90Configs[kR256T128].mb == 2 &&
                  cfg::kSm90Configs[kR256T128].tn == 128 && cfg::kSm90Configs[kR256T128].ctas_per_sm == 1 &&
                  cfg::kSm90Configs[kGemv].sched == cfg::Sched::Gemv,
              "Sm90Pick must name the rows of cfg::kSm90Configs it stands for");

// Whether a split may take the cluster fixup at all (plan_sm90 also asks one unit per CTA and a ring
// of at least 3/4 of its stages beside the receive buffer); the time model prices these splits with it.
bool cluster_split_fits(const cfg::Sm90Config& c, int64_t split) {
  return cluster_reduce_enabled() && split == 2 && cfg::sm90_pairs(c);
}

// Time model of the one-CTA-per-SM cooperative tiles (tn >= 64), fitted by least squares on log time
// to 48 (configuration x split) probes of the sweep shapes at M = 64...16384 on an H100
// (docs/PERFORMANCE.md, "Choosing tiles and splits"): a wave of units costs kUnitUs plus, per 64 k
// of the unit's slice, kKbUs + kKbTokUs * tn; a split adds kSplitUs per 64 tokens of the tile (its
// fp32 partials grow with it); nothing beats streaming the operands at kModelBw. Whole-tile splits
// stay within one wave (tiles * split <= SMs): no probe found a split into a second wave worth it,
// and a first version of this model that allowed them chose 2-wave splits of 128- and 256-token
// tiles that ran 20-40% slower. Over the probes its argmin is within 0.2% (geometric mean) of the
// best measured. Since version 23 it also models the plan's split tail (tiles over 1-4 waves: only
// the last wave's tiles split, one fixup), which can make 256-token tiles the better choice.
// kSplitUs was 6 until version 60 batched the fixup's read-back (schedule.cuh); refitted alone on
// that build's `w4a16 tune` of 63 (t64/t128/t256 x shape x M = 128-1024) points, 3 cut the rms
// log error 0.22 -> 0.14, and the 15 picks it moved measured -30% to +1.6% (docs/PERFORMANCE.md).
constexpr double kKbUs = 0.08, kKbTokUs = 0.0024, kUnitUs = 6.0, kSplitUs = 3.0, kModelBw = 2.2e12;
// A split that reduces through distributed shared memory (cluster_split_fits: the pairs) costs
// kClusterSplitUs instead of kSplitUs. Added after version 77 made the pairs' start cheaper: at 1.5
// the model moved 23 of 720 grid picks (M = 33-512); of 12 measured, 8 were 1-21% faster, 1 equal
// and 3 slower by 1-12% (4096x14336 M = 96-128 to t64 pairs, 4096x28672 M = 192 from t256 split 4);
// at 2.0 it moves only the 14 picks of the groups that gained (8192^2 and 6144x8192 M = 80-128,
// 3072x8192 M = 160-256, 5120x2048 M = 33-64; docs/PERFORMANCE.md, version 78).
constexpr double kClusterSplitUs = 2.0;
// The 96-, 160- and 192-token tiles (versions 126, 127 and 125) were added to the model unfitted: the constants
// above price them as they price the others. Their picks against the previous ones (thirty-fifth
// session, H200, 3 interleaved repeats, docs/PERFORMANCE.md): the 192-token tile's at 42 problems of
// M = 136-3072, where the model put it 4% or more below the best other tile, ran 1-36% faster at 37 of
// 38; of the 4 with a smaller margin 3 ran slower, 3072x4096 M=136 (a 5-way split) 14.30 -> 18.18 us,
// 10240x8192 M=320 93.74 -> 95.63 and M=3072 772.8 -> 781.3 (6144x4096 M=3072 gained, 233.4 -> 209.8,
// at a model margin of 3.4%). The 96-token tile's at 38 problems of M = 65-96 (model margins 4-19%) ran
// 6-35% faster at 36: 8192^2 M=72 33.64 -> 22.28, 8192x4096 M=72 18.60 -> 13.47; slower only at
// 3072x4096 M=72 / 96 (a 5-way split again: 10.18 / 10.43 -> 11.12 / 11.07 against the 64-token cluster
// pairs). Both tiles lost at every 5-way split of 819 of K a slice and won at the 5-way splits of 1638
// (3072x8192 M=72 / 96 / 192: t96 17.41 -> 14.28, 17.11 -> 14.40, t192 29.23 -> 24.15). So they are
// taken only 3% below the best other and with at least kNewTileMinSliceK of K per slice. Two losses
// stand: 10240x8192 M=320 (3.2% margin; +2%, within its repeats' spread) and 3072x8192 M=384 (a 2-way
// split, 4096 of K a slice), 34.94 -> 37.93 us, where the 128-token tile runs a stream-K fill that the
// model does not price.
// The 160-token tile (version 127) came in the same way. Its picks against version 126 (thirty-sixth
// session, H200, 3 interleaved repeats, docs/PERFORMANCE.md) at M = 136-320 ran 6-19% faster at 28 of
// 30, mostly in place of the 192-token tile (8192^2 M=136 42.11 -> 34.94 us, 57344x8192 M=136 256.5 ->
// 208.2, 8192^2 M=320 64.62 -> 56.66), also of the 128-token tile (8192x4096 M=136 25.41 -> 21.71);
// bf16, zeros and g = 32 alike. It lost at 4096^2 M=136 / 160 (+7-8%), a 4-way split into 1024 of K a
// slice, against the 128-token pair. Over both sessions a split of a new tile lost at 1024 of K a slice
// or less (t96 at 819 and 1024, t160 at 1024, t192 at 819) and t192 at 1228 too (3072x6144 M=136 / 176
// split 5: 20.68 / 20.95 us against the 128-token pair's 19.38 / 19.46), while t96 won at 1228 (3072x6144
// M=72, 12.68 against 13.60 for the 64-token pairs) and t160 at 1536 (4096x6144 M=136 / 160 split 4: 19.99
// / 20.28 against 20.46 / 21.90). The partials a split adds grow with the tile's tokens, so a split's
// slices must hold kNewTileMinSplitSliceK of K and kNewTileSplitSliceKPerToken per token of the tile.
constexpr double kNewTileMargin = 1.0 / 0.97;
constexpr int64_t kNewTileMinSliceK = 1024, kNewTileMinSplitSliceK = 1152, kNewTileSplitSliceKPerToken = 8;
// The token tiles the picks choose among above M = 32, and those of them added unfitted.
constexpr int kModelTiles[] = {kT64, kT96, kT128, kT160, kT192, kT256};
constexpr bool unfitted_tile(int config) { return config == kT96 || config == kT160 || config == kT192; }
// The unfitted tiles' K rule: K split `split` ways (1: whole) keeps kNewTileMinSliceK whole, and per slice
// of a split max(kNewTileMinSplitSliceK, kNewTileSplitSliceKPerToken per token of the tile).
bool new_tile_k_fits(const cfg::Sm90Config& c, int64_t k, int64_t split) {
  const int64_t min_slice_k =
      split > 1 ? std::max<int64_t>(kNewTileMinSplitSliceK, kNewTileSplitSliceKPerToken * c.tn) : kNewTileMinSliceK;
  return k >= min_slice_k * split;
}

double sm90_model_us(const cfg::Sm90Config& c, const Problem& p, int64_t sms, int64_t split) {
  const int64_t tiles = ceil_div(p.n, c.tile_rows()) * ceil_div(p.m, c.tn), kblocks = ceil_div(p.k, c.kb);
  auto unit = [&](int64_t s) { return (double)ceil_div(kblocks, s) * (c.kb / 64.0) * (kKbUs + kKbTokUs * c.tn) + kUnitUs; };
  const double bytes = 0.5 * (double)p.n * (double)p.k + 2.0 * (double)p.m * (double)(p.k + p.n);
  // Whole-tile splits keep tiles * split <= SMs, so one unit per CTA, as the cluster fixup asks.
  const double split_us = split == 1 ? 0.0 : (cluster_split_fits(c, split) ? kClusterSplitUs : kSplitUs) * c.tn / 64.0;
  double us = (double)ceil_div(tiles * split, sms) * unit(split) + split_us;
  // The plan's split tail, for tiles wider than 64 tokens only. Since version 31 the 64-token tiles
  // take the split tail too (they used stream-K when the model was fitted); modelling it for them
  // moves picks (e.g. 10240x8192 M = 95-126 from t128 to t64) that no device run has checked, so
  // the model still times them without it.
  if (const int64_t s = split == 1 && c.tn > 64 ? tail_split(tiles, kblocks, sms, kTailSplitModelWaves) : 1; s > 1)
    us = (double)(tiles / sms) * unit(1) + unit(s) + kSplitUs * c.tn / 64.0;
  return std::max(us, bytes / kModelBw * 1e6);
}

// The model's best split for a modelled configuration: s <= 8, tiles * s <= SMs, each split keeping
// >= 4 k-blocks.
int64_t sm90_model_split(const cfg::Sm90Config& c, const Problem& p, int64_t sms) {
  const int64_t tiles = ceil_div(p.n, c.tile_rows()) * ceil_div(p.m, c.tn);
  const int64_t smax =
      std::max<int64_t>(1, std::min<int64_t>({8, ceil_div(p.k, c.kb) / kMinSplitKblocks, sms / std::max<int64_t>(1, tiles)}));
  int64_t best = 1;
  double best_us = sm90_model_us(c, p, sms, 1);
  for (int64_t s = 2; s <= smax; ++s)
    if (const double us = sm90_model_us(c, p, sms, s); us < best_us) {
      best_us = us;
      best = s;
    }
  return best;
}

bool sm90_modelled(const cfg::Sm90Config& c) {
  return c.sched == cfg::Sched::Coop && c.mb == 1 && c.ctas_per_sm == 1 && c.tn >= 64;
}

w4a16_status plan_sm90(const DeviceProps& d, const Problem& p, int config, Plan* pl);

// The plan-priced picks (sm90_pick): at mid M (129-512 tokens) and above it (513-960), each candidate tile is
// planned in full (its split, pairs, quads, split tail or stream-K fill) and the plan priced by a time model
// fitted to `w4a16 tune` of those tiles, each with the heuristic's plan for it. The base model (sm90_model_us)
// prices a tile by its split alone; at these M the plans differ in more than that.
// A plan costs, per 64 of K on its busiest CTA, the tile's k-block price (PlanModel::tile_kb_us, or kb_us +
// kb_tok_us per token of the tile), plus `us`, plus per token of the tile its reduction's cost (the workspace
// split's, the pairs', the quads' or the stream-K fill's).
struct PlanModel {
  int64_t min_m, max_m;
  const int* tiles;  // the candidates
  int n_tiles;
  const double* tile_kb_us;  // per candidate; null: kb_us + kb_tok_us per token of the tile
  double kb_us, kb_tok_us, us, split_tok_us, pair_tok_us, quad_tok_us, stream_k_tok_us;
  double margin;  // another tile replaces the base pick only where estimated at least this much faster
  bool any_plan;  // false: only whole tiles and workspace splits (the split tail's too) replace it, no cluster
                  // pairs, quads or stream-K
};

// Mid M (forty-first session, H200, fp16 g=128): the base model picked a tile 6% slower than the best on
// average and up to 46% (2304x4096 M=160: t128 split 3, 14.6 us, against t64 pairs, 10.0). Fitted to 64
// problems: N = 2304-6144 x K = 4096 at M = 160-512 and 8192x4096, 4096x14336, 8192^2, 10240x8192, 28672x4096
// at M = 192 / 256 / 384 (bench/results/probes/2026-11-29_h200_s41_call3_tune_*.txt, fit:
// 2026-11-29_s41_fit_mid.py). Median error 2.7%; its picks averaged 0.2% slower than the best measured (at
// most 4.8%: 6144x4096 M=512 t256 43.9 us against t128's 41.9). On 76 problems outside the fit (forty-second
// session: K = 2048-11008, bf16, g = 32 / 64 / per-channel, zeros, N = 11008-14336; 34 of them the fit's N, K and
// M in another dtype, group or zero-point mode; 2026-11-29_h200_s42_call1_tune.txt) the picks averaged 0.1% slower
// than the best tile, at most 3.9%.
// The margin: against version 138 (forty-first session, 3 interleaved repeats, 29 problems outside the fit,
// docs/PERFORMANCE.md version 139) without it, 24 ran 2.7-24% faster (1536x4096 M=200 13.47 -> 10.23 us,
// 5120x13824 M=288 82.07 -> 62.82, 2560x2048 M=144 9.13 -> 7.05; zeros and g = 32 alike), 2 within 1%, 3
// slower by 3-6% (3840x3072 M=240 fp16 / bf16 12.33 / 12.06 -> 12.72 / 12.83, 4096x11008 M=352 51.31 ->
// 54.04), each where the estimate's margin was 1%; 3% keeps those, and costs nothing on the fitted set.
constexpr PlanModel kMidModel = {129, 512, kModelTiles, (int)std::size(kModelTiles), nullptr,
                                 0.0964, 0.0021, 1.06, 0.046, 0.019, 0.027, 0.088, 0.03, true};
// Above mid M (forty-second session, H200): at M = 513-960 (chunked prefill, large decode batches) the base
// pick ran 2.9% slower than the best of these tiles on average and up to 20% (2048x4096 M=768 t128 25.3 us
// against t96's 21.0; 8192x4096 M=832 t256 99.4 against t160's 86.5; 6144x4096 M=576 t128 52.3 against
// coop_r256_t128's 44.8) on 103 problems at M = 544-960 (N = 2048-28672, K = 2048-14336; 12 in bf16;
// 2026-11-29_h200_s42_call{2,3}_tune_*.txt). There plans run several waves, the mid model's k-block prices
// run 4-8% low and not in proportion to the tile (t96 +4%, t256 +8%), and coop_r256_t128 (256 rows, one wave
// where the 128-row tiles need two) is a candidate, so each tile has its own price (fit:
// 2026-11-29_s42_fit_hi.py). Median error 4.0%; with this pick's rules the picks averaged 1.1% slower than the
// best (at most 8.5%; 12 problems over 5% against the base's 26); fitted on either call's problems alone, the
// other's averaged 1.3-2.2% against the base's 2.4-3.7%. A first form (up to M = 1023, any plan) against version
// 139 (call 4, 3 interleaved repeats, 27 problems outside the fit, docs/PERFORMANCE.md version 140): 24 ran
// 3.6-14% faster (5120x11008 M=800 165.0 -> 143.5 us, 4096x6144 M=800 69.6 -> 61.1, 6144^2 M=560 74.4 -> 66.2;
// bf16 and zeros alike), one equal (bf16 10240x4096 M=880 +0.6%), and the only two moved to a stream-K fill plan
// ran slower: 2560x8192 M=624 t128 whole 43.94 -> t160 fill 46.20 us, M=1000 t192 whole 67.81 -> coop_r256_t128
// fill 73.07. The fit had 9 fill plans (7 problems), 1 quad plan and no pairs, so here only whole tiles and
// workspace splits replace the base pick (`any_plan`; the pairs' price is the mid model's, for a base pick that
// pairs). Up to M = 960, the fit's largest: at M = 1024 (call 2, 13 problems outside the fit, whose plans are
// those of M = 1023) this pick would have lost on 3 (6144x4096 t128 80.0 us against the base's t256 split tail,
// 76.0). Of call 4's 27 problems this form moves 24: 23 of those ran faster, one equal.
constexpr int kHiTiles[] = {kT64, kT96, kT128, kT160, kT192, kT256, kR256T128};
constexpr double kHiTileKbUs[] = {0.2407, 0.3090, 0.3878, 0.4522, 0.5322, 0.6856, 0.7216};
static_assert(std::size(kHiTiles) == std::size(kHiTileKbUs), "one k-block price per tile");
constexpr PlanModel kHiModel = {513, 960, kHiTiles, (int)std::size(kHiTiles), kHiTileKbUs,
                                0.0, 0.0, 1.278, 0.0432, 0.019, 0.029, 0.0767, 0.01, false};

double sm90_plan_us(const PlanModel& m, int i, const cfg::Sm90Config& c, const Plan& pl, int64_t slots) {
  const int64_t tiles = pl.tiles_n * pl.tiles_m;
  int64_t blocks;  // k-blocks on the busiest CTA
  if (pl.sk_ctas > 0)
    blocks = ceil_div(tiles * pl.kblocks, pl.sk_ctas);
  else if (pl.full_tiles > 0)
    blocks = pl.full_tiles / slots * pl.kblocks + ceil_div(pl.kblocks, pl.split);
  else
    blocks = ceil_div(tiles * pl.split, slots) * ceil_div(pl.kblocks, pl.split);
  const double reduce = pl.cluster == 4 ? m.quad_tok_us
                        : pl.cluster == 2 ? m.pair_tok_us
                        : pl.sk_ctas > 0  ? m.stream_k_tok_us
                        : pl.split > 1    ? m.split_tok_us
                                          : 0.0;
  const double kb_us = m.tile_kb_us ? m.tile_kb_us[i] : m.kb_us + m.kb_tok_us * c.tn;
  return (double)blocks * (c.kb / 64.0) * kb_us + m.us + reduce * c.tn;
}

// Decode (M <= 32) by rule: gemv where gemv_pick says (M <= 2; H200 tables); else the narrowest token
// tile that covers M, one CTA per SM (the (configuration x split) probes on an H100, and the H200's
// below). With more tiles than SMs one CTA per SM with stream-K measured faster than two (28672 x 4096:
// 35 vs 39 us at M = 1, 33 vs 34-41 us at M = 16). The two-CTAs-per-SM tiles were also picked where there
// are fewer 128-row tiles than SMs and two per SM fill the machine clearly better (6144 x 4096, 10240 x
// 8192; H100, before version 64's stream-K fill); on the H200 (thirty-first session, forced, 3 repeats)
// one per SM was faster there at every M measured: 10240 x 8192 M = 1 17.07 / 17.44 us, M = 4 17.08 /
// 17.46, M = 16 17.74 / 18.38; 6144 x 4096 M = 1 7.21 / 7.90, M = 8 7.25 / 7.88, M = 16 7.51 / 8.08. They
// stay for tuning. Above M = 32 the time model picks among the 64-, 96-, 128-, 160-, 192- and 256-token tiles,
// between two rules before it and two after it where it measured wrong (below); at M = 129-960 sm90_pick may then
// replace its pick with a plan-priced one (sm90_plan_us).
int sm90_pick_base(const DeviceProps& d, const Problem& p) {
  const int64_t sms = std::max(1, d.sm_count), tiles_n = ceil_div(p.n, 128);
  if (gemv_pick(d, p, sms)) return kGemv;
  if (p.m <= 16) return p.m <= 8 ? kT8 : kT16;
  if (p.m <= 32) return kT32;
  // Two rules from the fourth session's probes (docs/PERFORMANCE.md, version 24), where the model
  // (fitted to 64-, 128- and 256-token tiles only) chose measurably worse:
  //  - M <= 64 where 64-token tiles are so few (<= SMs / 4) that they would split >= 4 ways into
  //    short slices (K <= 8192: <= 16 k-blocks of 128 each) while 32-token tiles (two per 64
  //    tokens) split exactly 2 ways, into the cheap cluster pairs (4096^2 M=64: 17.3 -> 13.5 us;
  //    4096x14336, 28-block slices: equal, so not there);
  //  - 65 <= M <= 128 where 128-row tiles need a second wave but 256-row tiles fill >= 3/4 of one:
  //    one wave of coop_r256_t128 (28672x4096 M=128: 52.8 -> 48.7 us). Since version 128 only at
  //    M = 97-128: at M = 65-96 the 96-token tile's two waves ran faster (thirty-sixth session, H200, 3
  //    interleaved repeats: 28672x4096 M=72 43.27 -> 38.28 us, M=96 43.86 -> 39.18; 28672x8192 M=80 equal,
  //    81.54 -> 80.96).
  if (p.m <= 64 && tiles_n * ceil_div(p.m, 64) * 4 <= sms && ceil_div(p.k, 128) <= 4 * 16 &&
      choose_split(tiles_n * ceil_div(p.m, 32), ceil_div(p.k, 128), sms) == 2)
    return kT32;
  if (p.m > 96 && p.m <= 128 && tiles_n > sms && ceil_div(p.n, 256) <= sms && ceil_div(p.n, 256) * 4 >= sms * 3)
    return kR256T128;
  int best = kT64;
  double best_us = 1e300;
  for (int c : kModelTiles) {
    if (c == kT64 && p.m > 128) continue;  // probed only up to M = 128
    if (c == kT96 && (p.m <= 64 || p.m > 96)) continue;  // one token tile of 65-96 tokens
    const cfg::Sm90Config& cf = cfg::kSm90Configs[c];
    const int64_t split = sm90_model_split(cf, p, sms);
    const bool unfitted = unfitted_tile(c);
    if (unfitted && !new_tile_k_fits(cf, p.k, split)) continue;
    const double us = sm90_model_us(cf, p, sms, split) * (unfitted ? kNewTileMargin : 1.0);
    if (us < best_us) {
      best_us = us;
      best = c;
    }
  }
  // A third rule (thirty-third session, H200, forced, 3 interleaved repeats): at 65 <= M <= 128, where
  // the model takes whole 64-token tiles (two per row tile, each dequantizing the same weights) and the
  // 128-token tile would split 2 ways into cluster pairs on as many CTAs, the pairs ran faster: 6144x4096
  // M=72 / 96 / 128 18.47 / 15.85 / 15.92 -> 16.76 / 14.87 / 14.82 us, 8192x4096 M=128 16.62 -> 15.75. The
  // model prices the pair's reduction (kClusterSplitUs, fitted before version 82 made it reduce-scatter)
  // at 4 us for 128 tokens. Where the 64-token tiles split into pairs themselves (4096^2, 3072x4096 M=128:
  // 10.16 / 9.76 us against 13.97 / 13.25 for 128-token tiles split 4-5 ways) the model's pick stands, and
  // with K < 4096, where each half of a pair keeps fewer than 32 k-blocks: K = 2048 the whole tiles were
  // 2.8-5% faster (5120x2048 M=128 9.35 / 9.65, 8192x2048 M=96 9.85 / 10.34, 6144x2048 M=128 9.52 / 9.79).
  // At K = 6144 on N = 5760-5888 the rule also replaces a stream-K fill plan of 64-token tiles: not measured.
  // Since version 126 the 96-token tile takes most of M = 65-96 before this rule is asked (6144x4096 M=72
  // 16.80 -> 12.81 us against these pairs), which leaves it M = 97-128 and the shapes that tile skips.
  if (best == kT64 && p.m > 64 && p.k >= 4096 && sm90_model_split(cfg::kSm90Configs[kT64], p, sms) == 1 &&
      cluster_split_fits(cfg::kSm90Configs[kT128], sm90_model_split(cfg::kSm90Configs[kT128], p, sms)))
    return kT128;
  // A fourth rule (thirty-seventh session, H200, 3 interleaved repeats): at 65 <= M <= 96, where the model
  // still takes whole 64-token tiles and the 96-token tile would split 2 ways into cluster pairs with at
  // least kNewTileMinSliceK of K a slice, the pairs ran 4-9% faster: 5120x2048 M=72 / 80 / 96 9.18 / 9.16 /
  // 9.22 -> 8.36 / 8.30 / 8.38 us, 6144x2048 M=72 / 96 9.32 / 9.40 -> 8.58 / 8.59, 8192x2048 M=72 / 96 9.58 /
  // 9.84 -> 9.23 / 9.16. The model (constants fitted before these tiles existed) prices the two ways about
  // equal, 13.5 / 14.0 us. Where the 96-token tile's split is a workspace split instead (4096x2048 M=72, 4 ways
  // of 512) it ran 35% slower, so the rule asks for the pair.
  if (best == kT64 && p.m > 64 && p.m <= 96) {
    const cfg::Sm90Config& t96 = cfg::kSm90Configs[kT96];
    if (const int64_t s = sm90_model_split(t96, p, sms);
        s == 2 && cluster_split_fits(t96, s) && p.k >= s * kNewTileMinSliceK)
      return kT96;
  }
  return best;
}

// The pick: sm90_pick_base's, except at mid M and above it (kMidModel, kHiModel), where another tile's
// plan is estimated (sm90_plan_us) at least the model's margin faster.
int sm90_pick(const DeviceProps& d, const Problem& p) {
  const int base = sm90_pick_base(d, p);
  const PlanModel* m = p.m >= kMidModel.min_m && p.m <= kMidModel.max_m ? &kMidModel
                       : p.m >= kHiModel.min_m && p.m <= kHiModel.max_m ? &kHiModel
                                                                        : nullptr;
  if (!m) return base;
  const int64_t sms = std::max(1, d.sm_count);
  int best = -1;
  double best_us = 1e300, base_us = -1.0;
  for (int i = 0; i < m->n_tiles; ++i) {
    const int c = m->tiles[i];
    const cfg::Sm90Config& cf = cfg::kSm90Configs[c];
    Plan pl;
    if (plan_sm90(d, p, c, &pl) != W4A16_OK) {
      clear_error();
      continue;
    }
    // The tiles added unfitted keep sm90_pick_base's K rule (new_tile_k_fits), here for the split tail's
    // slices too (stricter than the base, which prices those tiles whole; as measured).
    if (c != base && unfitted_tile(c) && !new_tile_k_fits(cf, p.k, pl.sk_ctas == 0 ? pl.split : 1)) continue;
    if (c != base && !m->any_plan && (pl.cluster != 1 || pl.sk_ctas > 0)) continue;
    const double us = sm90_plan_us(*m, i, cf, pl, sms * cf.ctas_per_sm);
    if (c == base) base_us = us;
    if (us < best_us) {
      best_us = us;
      best = c;
    }
  }
  return best >= 0 && base_us > 0.0 && best_us < (1.0 - m->margin) * base_us ? best : base;
}

enum Sm80Pick {
  kR128T8 = 0, kR128T16 = 1, kR128T32 = 2, kR128T128W4x1 = 4, kR128T128W8x1 = 5, kR128T64W8x1 = 6,
  kR128T128W4x1K128 = 7, kR128T64W4x1 = 8, kR64T8 = 9, kR64T16 = 10, kSm80Gemv = 11
};
constexpr bool sm80_row_is(int i, int rows, int tokens, int threads = 128) {
  return !cfg::kSm80Configs[i].gemv && cfg::kSm80Configs[i].tile_rows() == rows &&
         cfg::kSm80Configs[i].tile_tokens() == tokens && cfg::kSm80Configs[i].threads() == threads;
}
static_assert(sm80_row_is(kR128T8, 128, 8) && sm80_row_is(kR128T16, 128, 16) && sm80_row_is(kR128T32, 128, 32) &&
                  sm80_row_is(kR128T128W4x1, 128, 128) && sm80_row_is(kR128T128W8x1, 128, 128, 256) &&
                  sm80_row_is(kR128T64W8x1, 128, 64, 256) && cfg::kSm80Configs[kR128T128W4x1].warps_t == 1 &&
                  cfg::kSm80Configs[kR128T128W8x1].warps_t == 1 && cfg::kSm80Configs[kR128T64W8x1].warps_t == 1 &&
                  sm80_row_is(kR128T128W4x1K128, 128, 128) && cfg::kSm80Configs[kR128T128W4x1K128].kb == 128 &&
                  cfg::kSm80Configs[kR128T128W4x1K128].warps_t == 1 && cfg::kSm80Configs[kR128T128W4x1].kb == 64 &&
                  sm80_row_is(kR128T64W4x1, 128, 64) && cfg::kSm80Configs[kR128T64W4x1].warps_t == 1 &&
                  sm80_row_is(kR64T8, 64, 8) && sm80_row_is(kR64T16, 64, 16) && cfg::kSm80Configs[kSm80Gemv].gemv,
              "Sm80Pick must name the rows of cfg::kSm80Configs it stands for");

// Decode (M = 3-16, past the gemv rule; M = 5-16 before the thirty-third session) on 64-row tiles where the
// 128-row tiles' split-K would be capped by the k-blocks (each split keeps >= kMinSplitKblocks) below the
// CTA slots per tile, so that the plan leaves slots idle: twice the tiles fill them. Version 39 on the
// H100, 4 interleaved repeats (docs/PERFORMANCE.md): 4096^2 M=16 15.2 -> 11.6 us, M=12 15.4 -> 11.6, M=8
// 11.9 -> 10.2; 6144x4096 M=16 17.0 -> 15.0, M=8 13.7 -> 13.0; 4096x2048 M=16 12.6 -> 9.8; 2048x4096 12.9
// -> 10.5; equal at 2048^2 M=6 (picked) and 8192x4096 (8 slots per tile, split 8: not capped, not picked).
// Where the split is not capped (8192^2, 4096x14336, 10240x8192, 14336x4096: r64 8-27% slower) or absent
// (28672x4096, more tiles than half the slots: 21-29% slower) the 128-row tiles stay.
bool sm80_r64_pick(const DeviceProps& d, const Problem& p) {
  if (p.m < 3 || p.m > 16) return false;
  const int64_t tiles = ceil_div(p.n, 128), kblocks = ceil_div(p.k, 128);
  const int64_t slots = (int64_t)std::max(1, d.sm_count) * cfg::kSm80Configs[kR128T8].ctas();
  return tiles * 2 <= slots && kblocks / kMinSplitKblocks < std::min<int64_t>(slots / tiles, 32);
}

// The split-K factor of an sm80 plan of configuration `c` at `ctas` CTAs per SM (plan_sm80, and
// sm80_pick to foresee it).
int sm80_split(const DeviceProps& d, const Problem& p, const cfg::Sm80Config& c, int ctas) {
  const int64_t tiles = ceil_div(p.n, c.tile_rows()) * ceil_div(p.m, c.tile_tokens());
  return tiles > kSplitCounters ? 1 : choose_split(tiles, ceil_div(p.k, c.kb), (int64_t)std::max(1, d.sm_count) * ctas);
}

// K per CTA (after the split) from which the 32-rows-per-warp tiles beat the 16-rows-per-warp ones.
constexpr int64_t kSm80LongK = 3072;

// The share of its waves' CTA slots that a plan of `c` split `split` ways keeps busy.
double sm80_fill(const DeviceProps& d, const Problem& p, const cfg::Sm80Config& c, int split) {
  const int64_t slots = (int64_t)std::max(1, d.sm_count) * c.ctas();
  const int64_t units = ceil_div(p.n, c.tile_rows()) * ceil_div(p.m, c.tile_tokens()) * split;
  return (double)units / (double)(slots * ceil_div(units, slots));
}

// The 32-rows-per-warp tile `wide` instead of the 16-rows-per-warp `narrow`: where each of its CTAs
// keeps a long K range after the split, and its plan fills the slots of its waves about as well.
// 10240x8192 at M = 96/128 (80 row tiles) is what the fill test is for: r128_t64_w4x1's 160 tiles
// (no split) leave 104 of 264 slots idle, r128_t128_w8x1's 80 tiles split 3 ways only 24, and the
// wide tile measured 113 us against 90 (version 56).
bool sm80_wide_pick(const DeviceProps& d, const Problem& p, int wide, int narrow) {
  const cfg::Sm80Config &w = cfg::kSm80Configs[wide], &n = cfg::kSm80Configs[narrow];
  const int split = sm80_split(d, p, w, w.ctas());
  return ceil_div(p.k, w.kb) * w.kb / split >= kSm80LongK &&
         sm80_fill(d, p, w, split) >= 0.9 * sm80_fill(d, p, n, sm80_split(d, p, n, n.ctas()));
}

int sm80_pick(const DeviceProps& d, const Problem& p) {
  if (sm80_gemv_pick(d, p, std::max(1, d.sm_count))) return kSm80Gemv;
  if (sm80_r64_pick(d, p)) return p.m <= 8 ? kR64T8 : kR64T16;
  if (p.m <= 8) return kR128T8;
  if (p.m <= 16) return kR128T16;
  if (p.m <= 32) return kR128T32;
  // One warp column (version 52, H100, 3 interleaved repeats against the two-column tiles):
  //  - M = 33-64, 16 rows x 64 tokens per warp against r128_t32 (two token tiles): 8192^2 M=33
  //    43.6 -> 39.3 us, M=64 44.0 -> 39.7, 28672x4096 72.2 -> 63.2, 10240x8192 56.3 -> 51.3,
  //    4096x14336 42.5 -> 39.1, 4096^2 20.9 -> 20.1; 57344x8192 equal (244 us);
  //  - M = 65-128, 16 rows x 128 tokens per warp against r128_t128: 8192^2 M=96 77.4 -> 72.0,
  //    M=128 78.1 -> 73.0 (32 rows per warp there: 78.0 / 80.7);
  //  - above, 32 rows x 128 tokens per warp where each CTA's K range is long (>= 3072 after the
  //    split): M=192 134.7 -> 122.1, M=256 135.5 -> 121.8, M=1024 -9 to -17% on five
  //    shapes, M=4096 -11 to -12%, 6144x4096 M=16384 2929 -> 2575; 16 rows per warp where it is
  //    short (its four warps pay the prologue and the split-K fixup of a 128 x 128 tile): 4096^2
  //    M=160/256/512 (16-32 k-blocks per CTA) 47.4/49.1/74.7 (r128_t128) -> w4x1 50.1/53.5/73.9,
  //    w8x1 44.9/45.2/70.1; 6144x4096 M=256 (32) w4x1 71.3, w8x1 70.1; 4096x14336 M=256 (56)
  //    w4x1 115.5, w8x1 117.9.
  //  - M = 33-128 (version 56, 3 interleaved repeats against the 16-rows-per-warp tiles), the same
  //    K-range rule: 128 tokens per warp (M > 64) where its K range is long, else 64 tokens per warp
  //    (r128_t64_w4x1) where that one's is: M=48/64 28672x4096 61.9/63.6 -> 57.7/59.7 us,
  //    57344x8192 240.2/246.2 -> 221.1/230.5, M=64 8192x28672 114.3 -> 110.5; M=96/128 28672x4096
  //    115.8/119.5 -> 103.0/106.5 (k128), 8192x28672 211.1/218.8 -> 194.3/200.0 (k128), 57344x8192
  //    M=128 458.4 -> 403.3 (k128), 8192^2 M=128 73.1 -> 65.9 (t64_w4x1: two token tiles split 2,
  //    4096 per CTA; k128 split 4 75.3). Short ranges keep w8x1: M=64 8192^2 (split 4) 39.8 ->
  //    41.6 with t64_w4x1, 4096x14336 39.0 -> 43.3, 10240x8192 50.9 -> 51.7, 4096^2 20.5 -> 26.3.
  // 128-wide k-blocks where two stages fit at two CTAs per SM (version 55, 3 interleaved repeats
  // against w4x1: 8192^2 M=4096 1735 -> 1663 us, M=1024 424 -> 397, 28672x4096 M=4096 2984 -> 2808,
  // 4096x14336 M=1024 369 -> 351, 6144x4096 M=16384 2553 -> 2403, 57344x8192 M=1024 3008 -> 2886).
  const int wide = 2 * (int64_t)sm80_stage_bytes(kR128T128W4x1K128, p) <= smem_per_cta(d, 2) ? kR128T128W4x1K128
                                                                                            : kR128T128W4x1;
  const int narrow = p.m <= 64 ? kR128T64W8x1 : kR128T128W8x1;
  if (p.m > 64 && sm80_wide_pick(d, p, wide, narrow)) return wide;
  if (p.m <= 128 && sm80_wide_pick(d, p, kR128T64W4x1, narrow)) return kR128T64W4x1;
  return narrow;
}

// The gemv configuration of either family (kernels/common/gemv.cuh): one CTA of kGemvWarps warps per
// 16-row block, X staged in its shared memory, no pipeline, no split, no workspace.
w4a16_status plan_gemv(const DeviceProps& d, const Problem& p, const char* family, const char* name, Plan* pl) {
  constexpr int kMaxM = 8;  // one mma.sync n8 tile of tokens
  if (p.m > kMaxM)
    return fail(W4A16_ERR_UNSUPPORTED_CONFIG, "%s config %s handles M <= %d; M is %lld", family, name, kMaxM,
                (long long)p.m);
  if (round_up(p.n, 16) > INT32_MAX)  // the kernel takes the padded row count as an int
    return fail(W4A16_ERR_UNSUPPORTED_CONFIG, "%s config %s handles N <= %d; N is %lld", family, name,
                INT32_MAX - 15, (long long)p.n);
  if (!gemv_smem_fits(d, p))
    return fail(W4A16_ERR_UNSUPPORTED_CONFIG, "%s config %s stages X (M x K) in %zu B of shared memory, more "
                "than %d CTAs per SM allow on this device (M=%lld, K=%lld)", family, name, gemv_smem_bytes(p),
                cfg::kGemvCtasPerSm, (long long)p.m, (long long)p.k);
  pl->smem_bytes = gemv_smem_bytes(p);
  pl->threads = 32 * cfg::kGemvWarps;
  pl->tiles_n = ceil_div(p.n, 16);
  pl->tiles_m = 1;
  pl->kblocks = ceil_div(p.k, 64);
  pl->units = pl->tiles_n;
  pl->grid = (int)pl->tiles_n;
  return W4A16_OK;
}

w4a16_status plan_sm90(const DeviceProps& d, const Problem& p, int config, Plan* pl) {
  const cfg::Sm90Config& c = cfg::kSm90Configs[config];
  if (c.sched == cfg::Sched::Gemv) return plan_gemv(d, p, "sm90", c.name, pl);
  pl->stage_bytes = sm90_stage_bytes(config, p);
  const int64_t per_cta = c.ctas_per_sm == 1 ? (int64_t)d.smem_optin
                                             : smem_per_cta(d, c.ctas_per_sm);
  const int64_t budget = per_cta - (int64_t)(kSm90Reserve + sm90_epilogue_bytes(c));
  pl->stages = (int)std::min<int64_t>(c.max_stages, budget / (int64_t)pl->stage_bytes);
  if (pl->stages < 2)
    return fail(W4A16_ERR_UNSUPPORTED_CONFIG, "sm90 config %s needs %zu B per stage; %d B of shared memory fit fewer "
                "than 2 stages", c.name, pl->stage_bytes, d.smem_optin);
  pl->smem_bytes = (size_t)pl->stages * pl->stage_bytes + sm90_epilogue_bytes(c) + kSm90Reserve;
  pl->threads = 384;
  pl->tiles_n = ceil_div(p.n, c.tile_rows());
  pl->tiles_m = ceil_div(p.m, c.tn);
  pl->kblocks = ceil_div(p.k, c.kb);
  const int64_t slots = (int64_t)std::max(1, d.sm_count) * (c.sched == cfg::Sched::PingPong ? 2 : c.ctas_per_sm);
  const int64_t tiles = pl->tiles_n * pl->tiles_m;
  pl->split = tiles > kSplitCounters ? 1
              : sm90_modelled(c)  ? (int)sm90_model_split(c, p, std::max(1, d.sm_count))
                                  : choose_split(tiles, pl->kblocks, slots);
  pl->units = pl->tiles_n * pl->tiles_m * pl->split;
  // CTAs of one wave: the cooperative grids below (stream-K, the split tail, persistence).
  const int64_t slots_per_wave = (int64_t)std::max(1, d.sm_count) * c.ctas_per_sm;
  // Stream-K (kernels/common/schedule.cuh): one wave of CTAs, each taking an equal range of the tiles'
  // k-blocks laid end to end, so a tile spans up to ceil(kblocks / range) + 1 CTAs (the plan's split;
  // 2 with more tiles than CTAs, whose ranges hold >= kblocks). Partials are kept per first CTA. Two
  // uses, each from H100 measurements:
  //  - 8-token tiles (M <= 8) when whole tiles need more than one wave and leave the last one short
  //    (< 90% busy overall, < 50% in the last wave). 448 decode tiles on 132 SMs (last wave 39% busy):
  //    126 -> 101 us (M = 1). Not for 224 tiles on 132 SMs (last wave 70% busy): whole tiles measured
  //    4-14% faster there (28672x4096 M = 1-64, version 29). Within one wave (e.g. 224 tiles on 264
  //    two-per-SM slots) it measured slower too.
  //  - Fill: fewer tiles than SMs, whose split-K plan keeps under kStreamKFillBelow of the SMs busy
  //    (e.g. 80 tiles on 132 SMs, which no split fills within one wave), with ranges of at least
  //    kStreamKFillMinK of K. Version 64: 10240x8192 M = 24-128 (80 tiles, 61% busy; ranges of 38
  //    k-blocks of 128) ran 2-12% faster, 6144x4096 M = 32-256 (ranges of ~1500-2900 of K) 17-24%
  //    slower, and 4096x14336 / 4096x11008 at M = 300-384 (96 tiles, 73% busy) -3 to +5%; before
  //    version 59's read-back all lost (version 34).
  const int64_t total = tiles * pl->kblocks, range = total / slots_per_wave;
  const int64_t span = range > 0 ? ceil_div(pl->kblocks, range) + 1 : 0;  // the most CTAs one tile can span
  if (c.sched == cfg::Sched::Coop && tiles <= kSplitCounters && total < (int64_t{1} << 31)) {
    bool stream_k = false;
    if (c.tn <= kStreamKMaxTokens && pl->split == 1 && pl->units > slots_per_wave) {
      const double eff = (double)pl->units / (double)(ceil_div(pl->units, slots_per_wave) * slots_per_wave);
      const double last_wave = (double)(pl->units % slots_per_wave) / (double)slots_per_wave;
      stream_k = eff < kStreamKBelow && last_wave < kStreamKTailBelow && range >= kMinSplitKblocks;
    } else if (c.ctas_per_sm == 1 && tiles < slots_per_wave &&
               (double)(tiles * pl->split) < kStreamKFillBelow * (double)slots_per_wave) {
      stream_k = range * c.kb >= kStreamKFillMinK && span <= kStreamKFillMaxSpan;
    }
    if (stream_k) {
      pl->sk_ctas = (int)slots_per_wave;
      pl->split = (int)span;
      pl->units = slots_per_wave;
    }
  }
  // Persistent grids: ping-pong pairs units in one CTA (at most one CTA per SM); cooperative tiles
  // run at most one wave of CTAs (ctas_per_sm per SM), each walking units blockIdx.x + i * gridDim.x,
  // so a CTA's next unit streams in under its epilogue. On the H100 that measured 1-12% faster than
  // one CTA per unit at M >= 128 with several waves (4096^2 M=16384 900 -> 794 us, 28672x4096
  // M=4096 1553 -> 1502 us), and equal within one wave. (The first session measured the opposite,
  // but with the 16-way split-K of docs/PERFORMANCE.md version 9 in both.)
  // Split tail: whole tiles over a few waves leave the last wave partial (e.g. 320 tiles on 132
  // SMs: the third wave runs 56 tiles while 76 SMs idle). Only that wave's tiles are split, into as
  // many K slices as the wave holds (<= 4), so it takes about 1/s of a tile's time plus one fixup.
  if (c.sched == cfg::Sched::Coop && pl->sk_ctas == 0 && pl->split == 1 && tiles <= kSplitCounters) {
    if (const int64_t s = tail_split(tiles, pl->kblocks, slots_per_wave); s > 1) {
      const int64_t tail = tiles % slots_per_wave;
      pl->full_tiles = tiles - tail;
      pl->split = (int)s;
      pl->units = pl->full_tiles + tail * s;
    }
  }
  pl->grid = c.sched == cfg::Sched::PingPong
                 ? (int)std::min<int64_t>(std::max(1, d.sm_count), ceil_div(pl->units, 2))
                 : (int)std::min<int64_t>(pl->units, slots_per_wave);
  choose_band(p, kSm90Band, pl);
  // A cluster fixup's receive buffer comes out of the stage ring, which may lose at most a quarter of
  // its stages to it: the stages left (0 if too few), and the plan's layout with the buffer.
  auto stages_beside = [&](size_t buf) -> int64_t {
    const int64_t stages = std::min<int64_t>(c.max_stages, (budget - (int64_t)buf) / (int64_t)pl->stage_bytes);
    return stages >= 2 && stages * 4 >= pl->stages * 3 ? stages : 0;
  };
  auto take_cluster = [&](int cluster, int64_t stages, size_t buf) {
    pl->stages = (int)stages;
    pl->cluster = cluster;
    pl->cluster_buf_off = (size_t)pl->stages * pl->stage_bytes + sm90_epilogue_bytes(c) + kSm90Barriers;
    pl->smem_bytes = (size_t)pl->stages * pl->stage_bytes + sm90_epilogue_bytes(c) + kSm90Reserve + buf;
  };
  // Stream-K quads (kQuadMinSliceK above): where whole tiles fill more than half the SMs and the quads'
  // 4T/3 CTAs all fit at once as clusters of four (DeviceProps::quad_clusters; where that is unknown, at
  // most three quarters of the SMs); the receive buffer is a whole partial tile. With the cluster
  // fixup off the same units reduce through the workspace (tests compare the two).
  const int64_t quad_ctas = 4 * tiles / 3;
  const bool quads_fit = d.quad_clusters > 0
                             ? quad_ctas <= 4 * (int64_t)d.quad_clusters && quad_ctas <= slots_per_wave
                             : 4 * quad_ctas <= 3 * slots_per_wave;
  if (quads_enabled() && cfg::sm90_quads(c) && pl->split == 1 && pl->sk_ctas == 0 && pl->full_tiles == 0 &&
      tiles % 3 == 0 && 2 * tiles > slots_per_wave && quads_fit && pl->kblocks % 4 == 0 &&
      3 * pl->kblocks / 4 * c.kb >= kQuadMinSliceK && total < (int64_t{1} << 31)) {
    const size_t buf = (size_t)cfg::sm90_quad_buf_bytes(c.mb, c.tn);
    if (const int64_t stages = stages_beside(buf)) {
      pl->sk_ctas = (int)quad_ctas;
      pl->split = 2;
      pl->units = pl->sk_ctas;
      pl->grid = pl->sk_ctas;
      if (cluster_reduce_enabled()) take_cluster(4, stages, buf);
    }
  }
  // Split-K within one wave (one unit per CTA): reduce through distributed shared memory; the receive
  // buffer is half a partial tile.
  if (cluster_split_fits(c, pl->split) && pl->sk_ctas == 0 && pl->units <= pl->grid) {
    const size_t buf = (size_t)cfg::sm90_pair_buf_bytes(c.mb, c.tn);
    if (const int64_t stages = stages_beside(buf)) take_cluster(pl->split, stages, buf);
  }
  return W4A16_OK;
}

w4a16_status plan_sm80(const DeviceProps& d, const Problem& p, int config, Plan* pl) {
  const cfg::Sm80Config& c = cfg::kSm80Configs[config];
  if (c.gemv) return plan_gemv(d, p, "sm80", c.name, pl);
  pl->stage_bytes = sm80_stage_bytes(config, p);
  const int target = c.ctas();
  const int64_t per_cta = smem_per_cta(d, target);
  int64_t stages = std::min<int64_t>(c.max_stages, per_cta / (int64_t)pl->stage_bytes);
  if (stages < 2) stages = std::min<int64_t>(c.max_stages, (int64_t)d.smem_optin / (int64_t)pl->stage_bytes);
  if (stages < 2)
    return fail(W4A16_ERR_UNSUPPORTED_CONFIG, "sm80 config %s needs %zu B per stage; %d B of shared memory fit fewer "
                "than 2 stages", c.name, pl->stage_bytes, d.smem_optin);
  pl->stages = (int)stages;
  pl->smem_bytes = (size_t)pl->stages * pl->stage_bytes;
  pl->threads = c.threads();
  pl->tiles_n = ceil_div(p.n, c.tile_rows());
  pl->tiles_m = ceil_div(p.m, c.tile_tokens());
  pl->kblocks = ceil_div(p.k, c.kb);
  const int ctas = std::max<int64_t>(1, std::min<int64_t>(target, (int64_t)d.smem_per_sm / (int64_t)(pl->smem_bytes + 1024)));
  pl->split = sm80_split(d, p, c, ctas);
  // Timed on the H100 only (Plan::sum_apart).
  pl->sum_apart = sum_apart_enabled() && c.tile_tokens() <= 16 &&
                  (int64_t)pl->split * c.tile_rows() * c.tile_tokens() * 4 >= kSm80SumApartMinBytes &&
                  d.cc_major == 9 && d.cc_minor == 0;
  pl->units = pl->tiles_n * pl->tiles_m * pl->split;
  pl->grid = (int)pl->units;
  choose_band(p, kSm80Band, pl);
  return W4A16_OK;
}

}  // namespace

bool sm90_cluster_plan_ok(const Plan& pl) {
  if (pl.cluster == 2)
    return pl.split == 2 && pl.sk_ctas == 0 && pl.full_tiles == 0 && pl.units == pl.grid && pl.grid % 2 == 0;
  if (pl.cluster == 4) {
    const int64_t tiles = pl.tiles_n * pl.tiles_m;
    return pl.split == 2 && pl.full_tiles == 0 && tiles % 3 == 0 && pl.kblocks % 4 == 0 && pl.sk_ctas == 4 * tiles / 3 &&
           pl.grid == pl.sk_ctas && pl.units == pl.sk_ctas;
  }
  return false;
}

w4a16_status make_plan(const DeviceProps& d, const Problem& p, w4a16_family family, int forced_config,
                       int tuned_config, Plan* out) {
  if (w4a16_status s = family_runs_on(family, d)) return s;
  Plan pl;
  pl.family = family;
  if (family == W4A16_FAMILY_REFERENCE) {
    if (forced_config > 0)
      return fail(W4A16_ERR_UNSUPPORTED_CONFIG, "the reference family has one configuration (0); asked for %d",
                  forced_config);
    pl.config = 0;
    *out = pl;
    return W4A16_OK;
  }
  const bool sm90 = family == W4A16_FAMILY_SM90;
  const int count = sm90 ? cfg::kSm90ConfigCount : cfg::kSm80ConfigCount;
  if (forced_config >= count)
    return fail(W4A16_ERR_UNSUPPORTED_CONFIG, "%s config %d does not exist; the table has %d (0..%d, see "
                "w4a16_config_name)", sm90 ? "sm90" : "sm80", forced_config, count, count - 1);
  // The heuristic's pick only where it is used (it plans several tiles at mid M on sm90).
  auto pick = [&] { return sm90 ? sm90_pick(d, p) : sm80_pick(d, p); };
  const bool tuned = forced_config < 0 && tuned_config >= 0 && tuned_config < count;
  int config = forced_config >= 0 ? forced_config : tuned ? tuned_config : pick();
  w4a16_status s = sm90 ? plan_sm90(d, p, config, &pl) : plan_sm80(d, p, config, &pl);
  if (s != W4A16_OK && tuned) {
    if (const int picked = pick(); picked != config) {
      config = picked;  // a tuned choice that no longer fits: fall back
      s = sm90 ? plan_sm90(d, p, config, &pl) : plan_sm80(d, p, config, &pl);
    }
  }
  if (s != W4A16_OK) return s;
  pl.config = config;
  if (pl.split > 1) {
    const int rows = sm90 ? cfg::kSm90Configs[config].tile_rows() : cfg::kSm80Configs[config].tile_rows();
    const int toks = sm90 ? cfg::kSm90Configs[config].tn : cfg::kSm80Configs[config].tile_tokens();
    const int64_t slot_groups = pl.sk_ctas > 0 ? pl.sk_ctas : pl.tiles_n * pl.tiles_m - pl.full_tiles;  // Unit::slot
    // A tile has at most `split` units (stream-K's split: the most CTAs that share one); the counters'
    // recount holds 2^16 - 1.
    if (pl.split >= (1 << kRecountBits))
      return fail(W4A16_ERR_INTERNAL, "a plan of %d splits: more than a tile's counter holds", pl.split);
    pl.ws_partials_off = kSplitCounterBytes;
    pl.workspace_bytes = pl.ws_partials_off + (size_t)(slot_groups * pl.split) * rows * toks * 4;
  }
  *out = pl;
  return W4A16_OK;
}

}  // namespace w4a16
