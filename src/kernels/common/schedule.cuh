// schedule.cuh -- what both GPU families share around the mainloop: the work-unit order, the
// deterministic split-K reduction and the output store.
#pragma once
#include <cstdint>

#include <cuda/atomic>
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "kernels/common/fast_div.h"
#include "kernels/common/ptx.cuh"
#include "kernels/common/split_counter.h"

namespace w4a16 {

// A work unit is (tile, split). Tiles are walked in bands `band` tiles wide along one dimension, the
// other dimension slowest inside a band, so the CTAs resident at one time share a few tiles of each
// operand in L2. The band runs along whichever dimension re-reads fewer bytes (the plan's band_m):
// banding over weight tiles re-reads all of X once per band (a model choice; on the H100 shapes
// probed so far the direction made no measurable difference, docs/PERFORMANCE.md). The width is the
// plan's (Plan::band, dispatch/heuristic.cpp).

// The divisors of decode_unit, filled on the host (make_unit_divs) into each family's parameters.
struct UnitDivs {
  FastDiv split;  // by the plan's split
  FastDiv band;   // by the tiles of one full band (width x the other dimension's tiles)
  FastDiv width;  // by the band width
  FastDiv last;   // by the width of the last band (the banded dimension's tiles mod width, or width)
  int w;          // the band width in tiles (>= 1)
};
inline UnitDivs make_unit_divs(int split, int tiles_n, int tiles_m, bool band_m, int width) {
  const int banded = band_m ? tiles_m : tiles_n, other = band_m ? tiles_n : tiles_m;
  // A band at least as wide as the banded dimension is one band of all of it: the same order, and
  // width * other then stays within the tile count (< 2^31) however wide the band asked for.
  width = width < banded ? width : (banded > 0 ? banded : 1);
  UnitDivs d;
  d.w = width;
  d.split = make_fast_div((uint32_t)split);
  d.band = make_fast_div((uint32_t)(width * other));
  d.width = make_fast_div((uint32_t)width);
  d.last = make_fast_div((uint32_t)(banded % width ? banded % width : width));
  return d;
}

struct Unit {
  int tile_n, tile_m;  // tile coordinates (weight rows, tokens)
  int split_idx;       // which K slice
  int nsplit;          // K slices of this tile (split-K: the plan's split, 1 for a whole tile before the
                       // split tail; stream-K: CTAs covering it)
  int kb_begin, kb_end;
  int tile;            // linear tile index (owner of the split-K counter)
  int slot;            // partial-tile slot group: the tile's index among the split tiles (split-K) or
                       // its first CTA (stream-K); negative for a whole tile (nsplit 1), which no
                       // fixup touches
};

// Units in order: the first `full` tiles whole (one unit each), then every later tile as `split`
// consecutive K slices. full = 0 splits every tile; the split tail (full > 0, sm90 cooperative tiles)
// cuts only the tiles of a persistent grid's last, partial wave, so they finish in a fraction of a
// tile's time instead of leaving the other SMs idle.
// Every quotient goes through `dv` (divisors of this split and tile grid); all operands are < 2^31
// (kblocks * split too: K < 2^31 in k-blocks of >= 64, split <= 32).
__device__ __forceinline__ Unit decode_unit(int unit, int tiles_n, int tiles_m, int split, int full, int kblocks,
                                            bool band_m, const UnitDivs& dv) {
  Unit u;
  if (unit < full) {
    u.tile = unit;
    u.split_idx = 0;
    u.nsplit = 1;
  } else {
    const int v = unit - full;
    u.tile = full + (split == 1 ? v : fast_div(v, dv.split));  // stream-K passes split 1
    u.split_idx = v - (u.tile - full) * split;
    u.nsplit = split;
  }
  const int banded = band_m ? tiles_m : tiles_n, other = band_m ? tiles_n : tiles_m;
  const int w = dv.w, bi = fast_div(u.tile, dv.band), within = u.tile - bi * (w * other);
  // Bands are w wide except possibly the last.
  const bool last = banded - bi * w < w;
  const int o = fast_div(within, last ? dv.last : dv.width);
  const int b = bi * w + within - o * (last ? banded - bi * w : w);
  u.tile_n = band_m ? o : b;
  u.tile_m = band_m ? b : o;
  // Even split of the k-blocks; every unit of one tile gets the same order of k-blocks every run.
  u.slot = u.tile - full;
  if (u.nsplit == 1) {
    u.kb_begin = 0;
    u.kb_end = kblocks;
  } else {
    u.kb_begin = fast_div(kblocks * u.split_idx, dv.split);
    u.kb_end = fast_div(kblocks * (u.split_idx + 1), dv.split);
  }
  return u;
}

// The units one CTA works on, in order.
//   Split-K (sk_ctas == 0): units blockIdx.x, blockIdx.x + gridDim.x, ... of the decode_unit order.
//   Stream-K (sk_ctas == gridDim.x > 0): the tiles' k-blocks laid end to end (tile-major, tiles in
//   raster order) are cut into sk_ctas ranges of equal length (+-1), one per CTA; a CTA's range yields one unit per
//   tile it touches. The CTAs sharing a tile are its K slices, numbered in range order, so the
//   fixup's summation order is fixed by the shape alone (deterministic) and every CTA has the same
//   number of k-blocks (+-1) whatever the tile count: no partial last wave.
template <class Params>  // needs tiles_n, tiles_m, split, full_tiles, kblocks, units, band_m, divs, sk_ctas, sk_per_cta, sk_rem
struct UnitIter {
  const Params& p;  // kernel parameters: read from the constant bank, not held in registers
  int g, g_end;     // stream-K: next global k-block of this CTA and the end of its range;
                    // split-K: next unit index (g_end unused)

  // Stream-K ranges: the first sk_rem CTAs take sk_per_cta + 1 k-blocks, the others sk_per_cta
  // (32-bit: the host keeps tiles * kblocks < 2^31).
  __device__ __forceinline__ int range_begin(int c) const { return c * p.sk_per_cta + min(c, p.sk_rem); }
  __device__ __forceinline__ int owner(int x) const {  // the CTA whose range holds global k-block x
    const int split_at = p.sk_rem * (p.sk_per_cta + 1);
    return x < split_at ? x / (p.sk_per_cta + 1) : p.sk_rem + (x - split_at) / p.sk_per_cta;
  }

  __device__ __forceinline__ explicit UnitIter(const Params& params) : p(params) {
    if (p.sk_ctas > 0) {
      g = range_begin(blockIdx.x);
      g_end = range_begin(blockIdx.x + 1);
    } else {
      g = blockIdx.x;
      g_end = 0;
    }
  }
  __device__ __forceinline__ bool has_next() const { return p.sk_ctas > 0 ? g < g_end : g < p.units; }
  __device__ __forceinline__ Unit next() {
    if (p.sk_ctas == 0) {
      const Unit u = decode_unit(g, p.tiles_n, p.tiles_m, p.split, p.full_tiles, p.kblocks, p.band_m, p.divs);
      g += gridDim.x;
      return u;
    }
    const int tile = g / p.kblocks, t0 = tile * p.kblocks;
    Unit u = decode_unit(tile, p.tiles_n, p.tiles_m, 1, 0, p.kblocks, p.band_m, p.divs);  // the tile's coordinates
    u.kb_begin = g - t0;
    u.kb_end = min(p.kblocks, g_end - t0);
    const int first = owner(t0);
    u.split_idx = (int)blockIdx.x - first;
    u.nsplit = owner(t0 + p.kblocks - 1) - first + 1;
    // With more tiles than CTAs every range holds >= kblocks k-blocks, so a tile spans at most two
    // CTAs; with fewer (stream-K fill) a tile spans up to ceil(kblocks / range) + 1 (the plan's
    // split). Either way two tile starts lie more than a range apart, so each CTA is the first of at
    // most one shared tile: its index names the slot group.
    u.slot = first;
    g = t0 + u.kb_end;
    return u;
  }
};

// The largest divisor of n that is at most cap (n, cap >= 1).
__host__ __device__ constexpr int largest_divisor_at_most(int n, int cap) {
  int d = cap < n ? cap : n;
  while (n % d != 0) --d;
  return d;
}

// A split's fp32 partial into its tile's slot group `tile` (float4 of the slot group's first split):
// float4 j of thread tid at (j * nthreads + tid) of the split's (NACC / 4) * nthreads float4, coalesced;
// splitk_reduce and sm80_splitk_sum read it back.
template <int NACC>
__device__ __forceinline__ void splitk_store(const float* acc, float4* tile, int split_idx, int tid, int nthreads) {
  float4* mine = tile + (size_t)split_idx * (NACC / 4) * nthreads;
#pragma unroll
  for (int j = 0; j < NACC / 4; ++j)
    __stcg(mine + (size_t)j * nthreads + tid, make_float4(acc[4 * j], acc[4 * j + 1], acc[4 * j + 2], acc[4 * j + 3]));
}


// The arrivals at a counter that was not zero before the launch (split_arrive; every arrival at that
// tile sees it): they count again in `recount` by compare-and-swap. Each arrival's add to `count`
// comes before its compare-and-swap, which releases it, so the last one's zeroing of `count` comes
// after all of them. Out of line: inlined, this cold code made the sm90 decode tiles' split plans
// about 3% slower, out of line 1-2% (sm80's 3% either way; docs/PERFORMANCE.md version 142; code
// added to the kernels' tail had cost time before, version 82).
inline __device__ __noinline__ bool split_recount(SplitCounter* c, int nsplit, unsigned long long tag) {
  cuda::atomic_ref<unsigned long long, cuda::thread_scope_device> count(c->count), recount(c->recount);
  unsigned long long v = recount.load(cuda::memory_order_relaxed), want;
  do {
    const unsigned long long before = (v >> kRecountBits) == tag ? v & ((1ull << kRecountBits) - 1) : 0;
    want = tag << kRecountBits | (before + 1);
  } while (!recount.compare_exchange_weak(v, want, cuda::memory_order_acq_rel,
                                          cuda::memory_order_relaxed));
  const bool last = (want & ((1ull << kRecountBits) - 1)) == (unsigned long long)nsplit;
  if (last) {
    count.store(0, cuda::memory_order_relaxed);
    recount.store(0, cuda::memory_order_relaxed);
  }
  return last;
}

// One split's arrival at its tile's counter (one thread of the CTA, after its partial is stored and a
// barrier): acq_rel at device scope, so its release publishes the CTA's partial and the last
// arrival's acquire sees every split's. Returns whether this is the last arrival (it then leaves the
// counter zero: no other arrival at this tile remains in the launch).
__device__ __forceinline__ bool split_arrive(SplitCounter* c, int nsplit, unsigned long long tag) {
  const unsigned long long last_seen = (unsigned long long)(nsplit - 1) * kArrival;  // off the atomic's path
  const unsigned long long seen = ptx::atom_add_acq_rel_gpu(&c->count, kArrival);
  if (seen == last_seen) {  // the last arrival at a zeroed counter
    cuda::atomic_ref<unsigned long long, cuda::thread_scope_device>(c->count).store(0, cuda::memory_order_relaxed);
    return true;
  }
  if (seen * kArrivalInverse < (unsigned long long)nsplit) return false;  // an earlier arrival
  return split_recount(c, nsplit, tag);
}

// Deterministic split-K: every split stores its fp32 partial tile in the thread's own register order
// (float4 per thread, coalesced), then bumps the tile's counter; the split that arrives last reads all
// partials back (its own too, so its accumulators are dead and need no second register set) and sums
// them in split order 0, 1, ..., u.nsplit-1. Partials live at slot group u.slot, `split` slots each
// (a unit with u.nsplit == 1, a whole tile, returns at once). The order never depends on arrival, so repeated runs give
// bitwise identical Y. The counting is split_arrive's (a workspace that was not zeroed is counted
// right, and is left zeroed); `tag` is the launch's (next_split_tag).
//   acc: NACC accumulators (indexed only with constants after unrolling, so they stay in registers).
//   nthreads / tid: the threads that together hold the tile; sync(): a barrier over exactly them.
//   IN_FLIGHT: float4 loads the read-back keeps outstanding per thread (4 registers each, beside acc).
// Returns true in the threads that must write the output (acc then holds the full sum).
template <int NACC, int IN_FLIGHT, class Sync>
__device__ __forceinline__ bool splitk_reduce(float* acc, float* partials, SplitCounter* counters,
                                              unsigned long long tag, const Unit& u, int split, int tid, int nthreads,
                                              int* flag, Sync sync) {
  static_assert(NACC % 4 == 0, "accumulators are moved as float4");
  if (u.nsplit == 1) return true;
  float4* tile = reinterpret_cast<float4*>(partials) + (size_t)u.slot * split * (NACC / 4) * nthreads;
  splitk_store<NACC>(acc, tile, u.split_idx, tid, nthreads);
  // One thread publishes the whole CTA's partial: the barrier orders every thread's stores before its
  // count, whose release (fences are cumulative in the PTX memory model) makes them visible device-wide
  // first; its acquire, then the barrier, order the read-back below after the other splits' stores.
  sync();
  if (tid == 0) *flag = split_arrive(counters + u.tile, u.nsplit, tag);
  sync();
  const bool last = *flag != 0;
  sync();  // the flag may be rewritten by the next unit's reduction
  if (!last) return false;
  // The read-back: the partials of kBatch splits are loaded before any of them is added, so their
  // L2 round trips overlap (a loop of load-then-add pays one round trip per split, one after another),
  // and the sums go straight into acc in split order 0, 1, ..., nsplit-1; kChunk of the thread's
  // NACC / 4 float4 at a time.
  static_assert(IN_FLIGHT >= 1, "at least one load in flight");
  constexpr int kVecs = NACC / 4;
  constexpr int kChunk = largest_divisor_at_most(kVecs, IN_FLIGHT);
  constexpr int kBatch = IN_FLIGHT / kChunk;
  const size_t split_stride = (size_t)(NACC / 4) * nthreads;
#pragma unroll
  for (int j0 = 0; j0 < kVecs; j0 += kChunk) {
    float4 v[kBatch][kChunk];
    auto load = [&](int s0) {
#pragma unroll
      for (int b = 0; b < kBatch; ++b)
#pragma unroll
        for (int j = 0; j < kChunk; ++j)
          if (s0 + b < u.nsplit)
            v[b][j] = __ldcg(tile + (size_t)(s0 + b) * split_stride + (size_t)(j0 + j) * nthreads + tid);
    };
    auto add = [&](int b0, int s0) {
#pragma unroll
      for (int b = b0; b < kBatch; ++b)
#pragma unroll
        for (int j = 0; j < kChunk; ++j)
          if (s0 + b < u.nsplit) {
            float* a = acc + 4 * (j0 + j);
            a[0] += v[b][j].x, a[1] += v[b][j].y, a[2] += v[b][j].z, a[3] += v[b][j].w;
          }
    };
    load(0);  // split 0 starts the sums (nsplit >= 2 here)
#pragma unroll
    for (int j = 0; j < kChunk; ++j) {
      float* a = acc + 4 * (j0 + j);
      a[0] = v[0][j].x, a[1] = v[0][j].y, a[2] = v[0][j].z, a[3] = v[0][j].w;
    }
    add(1, 0);
    for (int s0 = kBatch; s0 < u.nsplit; s0 += kBatch) {
      load(s0);
      add(0, s0);
    }
  }
  return true;
}

template <bool BF16>
__device__ __forceinline__ float load_16(const uint16_t* p) {
  const uint16_t b = *p;
  if constexpr (BF16) return __bfloat162float(__ushort_as_bfloat16(b));
  else return __half2float(__ushort_as_half(b));
}

template <bool BF16>
__device__ __forceinline__ uint16_t round_16(float v) {
  if constexpr (BF16) return __bfloat16_as_ushort(__float2bfloat16_rn(v));
  else return __half_as_ushort(__float2half_rn(v));
}

// Two fp32 values rounded to nearest-even and packed (lo in the low half): round_16 of each, in one word.
template <bool BF16>
__device__ __forceinline__ uint32_t pack_16x2(float lo, float hi) {
  if constexpr (BF16) {
    const __nv_bfloat162 v = __floats2bfloat162_rn(lo, hi);
    return *reinterpret_cast<const uint32_t*>(&v);
  } else {
    const __half2 v = __floats2half2_rn(lo, hi);
    return *reinterpret_cast<const uint32_t*>(&v);
  }
}

}  // namespace w4a16
