// heuristic.h -- dispatch as a pure function: (device properties, problem) -> (family, configuration,
// stages, split, grid, workspace). No CUDA calls here; tests/cpu/test_dispatch.cpp drives it with
// made-up devices.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "host/internal.h"
#include "kernels/common/split_counter.h"

namespace w4a16 {

struct DeviceProps {
  std::string name;
  int cc_major = 0, cc_minor = 0;
  int sm_count = 0;
  int smem_optin = 0;   // max dynamic shared memory per block (cudaDevAttrMaxSharedMemoryPerBlockOptin)
  int smem_per_sm = 0;  // cudaDevAttrMaxSharedMemoryPerMultiprocessor
  int l2_bytes = 0;
  int64_t global_mem = 0;  // cudaDeviceProp::totalGlobalMem (w4a16_get_device_info only)
  // cudaDeviceProp::pageableMemoryAccess: the device reaches pageable host memory (HMM or ATS), so
  // a product may be given it (dispatch/residence.cpp)
  bool pageable_access = false;
  // Clusters of four CTAs, one CTA per SM, that can be resident at once (sm90_quad_clusters in
  // kernels/launch.h: 30 on the H200, whose GPCs leave 12 of its 132 SMs outside any); 0 where unknown
  // (not CC 9.0, no sm_90a kernels, the query failed, or the device was not yet asked for while current:
  // device_props), which keeps the stream-K quads within 3/4 of the SMs.
  int quad_clusters = 0;
};

// The family a device runs by default. CC 9.0 -> SM90 (sm_90a code runs only there); every other
// CC >= 8.0 (8.x, 10.x, 12.x and later) -> SM80, whose sm_80 SASS or compute_80 PTX runs everywhere
// from Ampere up. Below 8.0 -> W4A16_ERR_UNSUPPORTED_DEVICE.
w4a16_status default_family(const DeviceProps& d, w4a16_family* f);
// Whether `f` can run on `d` (message set when not).
w4a16_status family_runs_on(w4a16_family f, const DeviceProps& d);

// The raster band width (tiles) a plan takes unless forced (kernels/common/schedule.cuh): 4 in the
// sm90 family, 8 in the sm80 family (measured on the H100 only for sm90: docs/PERFORMANCE.md,
// version 49).
constexpr int kSm90Band = 4;
constexpr int kSm80Band = 8;

struct Plan {
  w4a16_family family = W4A16_FAMILY_AUTO;
  int config = -1;           // index into the family's table (-1 for the reference family)
  int stages = 0;
  int split = 1;             // split-K factor (stream-K: the most CTAs that share one tile)
  int sk_ctas = 0;           // stream-K (sm90 decode tiles): CTAs sharing the k-blocks evenly; 0: off
  int64_t tiles_n = 0, tiles_m = 0, kblocks = 0;
  int64_t units = 0;         // full_tiles + (tiles_n * tiles_m - full_tiles) * split (stream-K: sk_ctas)
  // Split tail (sm90 cooperative tiles over several waves): the first full_tiles tiles run whole and
  // only the last, partial wave's tiles are split `split` ways; 0: every tile split (or none).
  int64_t full_tiles = 0;
  int grid = 0;              // CTAs launched
  bool band_m = false;       // tile raster bands along tokens (else along weight rows)
  int band = kSm80Band;      // raster band width in tiles (kernels/common/schedule.cuh)
  int threads = 0;
  size_t smem_bytes = 0;     // dynamic shared memory per CTA
  size_t stage_bytes = 0;
  size_t ws_partials_off = 0, workspace_bytes = 0;  // counters at 0, fp32 partials after
  // sm90 cooperative split-K within one wave: the `split` CTAs of a tile form a thread-block cluster
  // and reduce through distributed shared memory (cluster == split == 2, the pairs; 1: through the
  // workspace). 4: the stream-K quads (sk_ctas > 0, cfg::sm90_quads), four CTAs per three tiles.
  // cluster_buf_off: the receive buffer's byte offset in the kernel's aligned shared memory (its
  // bytes are part of smem_bytes). The launch falls back to the workspace if the clusters cannot
  // all be resident at once.
  int cluster = 1;
  size_t cluster_buf_off = 0;
  // sm80 decode tiles whose split-K read-back would bring >= kSm80SumApartMinBytes of partials into
  // one SM, on compute capability 9.0: the splits store their partials and exit, and a second grid
  // (sm80_splitk_sum, programmatic dependent launch) sums each tile's partials in split order and
  // writes Y on many SMs. The launcher keeps the in-kernel fixup where the launch cannot use PDL (the
  // code that runs has no grid wait, or W4A16_PDL=0).
  bool sum_apart = false;
};

// The partial bytes per tile (split x tile rows x tokens x 4) from which an sm80 decode plan sums
// apart (Plan::sum_apart). On the H100 (5 interleaved repeats, docs/PERFORMANCE.md version 96):
// 128 KiB (r128_t16 split 16, 4096x14336 M=16) 18.11 -> 17.00 us, 16.3 with version 97; 64 KiB
// equal (8192^2 M=16, split 8; 4096x14336 M=8, r128_t8 split 16); less slower: 48 KiB (10240x8192
// M=16, split 6) +0.9%, 16 KiB (28672x4096 M=16, split 2) +6.7%, the 64-row tiles at split 5-8
// +10-14%. The second grid costs about a microsecond; a read-back of 128 KiB into one SM took ~2
// (version 66). Only r128_t16 at split 16 was timed; r128_t16 at split 32 (256 KiB) and r128_t8 at
// split 32 (128 KiB), e.g. N <= ~4200 with K >= 16384, take it by this rule, untimed.
constexpr int64_t kSm80SumApartMinBytes = 128 << 10;

// An on/off switch from the environment, on by default: off for "0", "off", "false" or "no" (any
// case); "1", "on", "true", "yes", unset, and any other value leave it on.
bool env_switch_on(const char* name);
// The cluster fixup is on unless W4A16_CLUSTER_REDUCE=0 is in the environment (read once); tests
// switch it to cover both fixups.
bool cluster_reduce_enabled();
void set_cluster_reduce_enabled(bool on);
// The split tail (Plan::full_tiles) is on unless W4A16_TAIL_SPLIT=0 is in the environment (read
// once); tests that rely on it switch it on.
bool tail_split_enabled();
void set_tail_split_enabled(bool on);
// Plan::sum_apart is on unless W4A16_SUM_APART=0 is in the environment (read once); tests switch it
// to compare both fixups.
bool sum_apart_enabled();
void set_sum_apart_enabled(bool on);
// The stream-K quads (Plan::cluster == 4, cfg::sm90_quads) are on unless W4A16_QUADS=0 is in the
// environment (read once); with them off those plans run their tiles whole. With the cluster fixup off
// (W4A16_CLUSTER_REDUCE=0) a quad plan keeps its units and reduces through the workspace instead.
bool quads_enabled();
void set_quads_enabled(bool on);
// The raster band width every plan takes instead of its own choice: 0 (the default) lets the plan
// choose; W4A16_BAND=n (1...64) in the environment sets it (read once); tests set it to cover
// uneven last bands. Out-of-range values count as 0.
int forced_band();
void set_forced_band(int band);
// W4A16_BAND's value as a band width: a decimal number, the whole string, in 1...64; anything else
// (NULL, "", "4x", " 4", "+4", out of range) is 0, as if unset.
int parse_band(const char* v);
// Sets one of these settings for a scope and restores the previous value (tests).
template <class T, T (*Get)(), void (*Set)(T)>
struct SettingScope {
  T saved;
  explicit SettingScope(T value) : saved(Get()) { Set(value); }
  ~SettingScope() { Set(saved); }
  SettingScope(const SettingScope&) = delete;
  SettingScope& operator=(const SettingScope&) = delete;
};
using ClusterReduceScope = SettingScope<bool, cluster_reduce_enabled, set_cluster_reduce_enabled>;
using TailSplitScope = SettingScope<bool, tail_split_enabled, set_tail_split_enabled>;
using SumApartScope = SettingScope<bool, sum_apart_enabled, set_sum_apart_enabled>;
using QuadsScope = SettingScope<bool, quads_enabled, set_quads_enabled>;
using BandScope = SettingScope<int, forced_band, set_forced_band>;

// Split-K workspace: a fixed prefix of per-tile counters, 16 bytes each (kernels/common/split_counter.h:
// they need no zeroing, and every product leaves the ones it used zero), so one workspace serves
// any problem and configuration, then scratch fp32 partial tiles. Plans with more tiles than counters
// do not split.
constexpr int64_t kSplitCounters = 16384;
constexpr size_t kSplitCounterBytes = kSplitCounters * sizeof(SplitCounter);

// Shared-memory bytes of one pipeline stage of a config for problem p (both families).
size_t sm90_stage_bytes(int config, const Problem& p);
size_t sm80_stage_bytes(int config, const Problem& p);

// Builds the plan. forced_config >= 0 skips the choice (tuning, tests); it fails with
// W4A16_ERR_UNSUPPORTED_CONFIG if out of the table or if its stages cannot fit the device.
// tuned_config (>= 0, from the tuning cache) is taken when it fits.
w4a16_status make_plan(const DeviceProps& d, const Problem& p, w4a16_family family, int forced_config,
                       int tuned_config, Plan* out);

// Whether a plan with Plan::cluster 2 or 4 keeps what the sm90 cluster fixups assume: each CTA
// receives and sends at most once per launch, their barriers being single-use (sm90_w4a16.cuh). Pairs:
// a split in two, one unit per CTA, no stream-K, no whole tiles beside them. Quads: the stream-K grid of
// 4T/3 CTAs over T tiles (T a multiple of 3, K a multiple of 4 k-blocks). make_plan only makes such
// plans; the launcher checks before it takes a cluster instance (otherwise the workspace fixup runs).
bool sm90_cluster_plan_ok(const Plan& pl);

// Workspace given to a product is large enough for `plan` (and 16-byte aligned when needed).
w4a16_status check_workspace(const Plan& plan, const void* workspace, size_t workspace_bytes);

// Band direction of the tile raster (kernels/common/schedule.cuh, bands `band` tiles wide): the one
// whose re-read operand costs fewer bytes: along weight rows X is read once per band, along tokens W is.
bool choose_band_m(const Problem& p, int64_t tiles_n, int64_t tiles_m, int band);

// The split-K factor: 1 unless one wave of tiles leaves at least half of the `slots` (CTAs that
// run at once) idle; then the largest s with tiles * s <= slots, each split keeping >= 4 k-blocks
// (s <= 32). Exposed for tests.
int choose_split(int64_t tiles, int64_t kblocks, int64_t slots);

// The split tail's K slices per tile of the last wave (1: none): tiles over more than one wave of
// `slots` (and fewer than max_waves) with a partial last wave of t tiles get min(slots / t,
// kblocks / 4, 4) when that is >= 2 (and tail_split_enabled()). Plans split the tail at any number
// of waves; the sm90 time model counts it below kTailSplitModelWaves, the range it was fitted on.
// Exposed for tests.
constexpr int64_t kTailSplitModelWaves = 4;
int64_t tail_split(int64_t tiles, int64_t kblocks, int64_t slots, int64_t max_waves = INT64_MAX);

}  // namespace w4a16
