// sm80_w4a16_launch.cuh -- host side of sm80_w4a16: parameters and the instantiation table. Included
// once per dtype (sm80_w4a16_fp16.cu, sm80_w4a16_bf16.cu) so the two compile in parallel.
#pragma once
#include <array>
#include <utility>

#include "dispatch/configs.h"
#include "kernels/common/gemv_launch.cuh"
#include "kernels/launch.h"
#include "kernels/sm80/sm80_w4a16.cuh"

namespace w4a16::sm80 {

// The split-K sum grid of Plan::sum_apart: `vecs` CTAs per tile (sm80_splitk_sum), PDL after the splits.
inline w4a16_status launch_sum(const Sm80Params& prm, const Plan& pl, int device, cudaStream_t stream,
                               void (*sum)(Sm80Params), int threads, int vecs) {
  Plan sp = pl;
  sp.grid = (int)(pl.tiles_n * pl.tiles_m) * vecs;
  sp.smem_bytes = 0;
  cudaLaunchAttribute attr[1];
  const cudaLaunchConfig_t cfg =
      pdl_launch_config(sp, threads, stream, attr, kernel_has_grid_wait((const void*)sum, device));
  const cudaError_t launched = cudaLaunchKernelEx(&cfg, sum, prm);
  if (launched == cudaSuccess) {
    count_pdl_launch(cfg);
    count_sum_apart_launch();
  }
  return check_launch("sm80_splitk_sum", sp, threads, launched);
}

template <bool BF16, int WR, int WT, int WM, int WN, int KB, int SC, int MINB, int ZM = kZerosRuntime,
          bool APART = false>
w4a16_status launch_instance(const GemmArgs& a, cudaStream_t stream) {
  const Problem& p = *a.p;
  const Plan& pl = *a.plan;
  const MmaPointers w = mma_pointers(*a.w);
  Sm80Params prm{};
  prm.x = static_cast<const uint16_t*>(a.x);
  prm.codes = w.codes;
  prm.scales = w.scales;
  prm.zeros = w.zeros;
  prm.bias = static_cast<const uint16_t*>(a.bias);
  prm.y = static_cast<uint16_t*>(a.y);
  prm.counters = static_cast<SplitCounter*>(a.workspace);
  prm.split_tag = pl.split > 1 ? next_split_tag() : 0;  // only split plans count (a process-wide atomic)
  prm.partials = a.workspace ? reinterpret_cast<float*>(static_cast<uint8_t*>(a.workspace) + pl.ws_partials_off)
                             : nullptr;
  prm.lda = p.lda;
  prm.ldy = p.ldy;
  prm.m = (int)p.m;
  prm.n = (int)p.n;
  prm.k = (int)p.k;
  prm.n16 = (int)w.n16;
  prm.ka = (int)w.ka;
  prm.groups = (int)w.groups;
  prm.group_shift = group_shift(p);
  prm.groups_per_stage = groups_per_stage(p, KB);
  prm.stages = pl.stages;
  prm.split = pl.split;
  prm.tiles_n = (int)pl.tiles_n;
  prm.tiles_m = (int)pl.tiles_m;
  prm.kblocks = (int)pl.kblocks;
  prm.band_m = pl.band_m;
  prm.divs = make_unit_divs(pl.split, (int)pl.tiles_n, (int)pl.tiles_m, pl.band_m, pl.band);
  auto* kernel = &sm80_w4a16_kernel<BF16, WR, WT, WM, WN, KB, SC, MINB, ZM, APART>;
  if (w4a16_status s = ensure_smem((const void*)kernel, a.device, pl.smem_bytes, "sm80_w4a16")) return s;
  // Programmatic dependent launch for the decode tiles (<= 16 tokens) where the code that runs waits
  // for the previous grid (sm_90 and later: kernel_has_grid_wait). Not for the wider tiles: 8192^2
  // M = 64 on r128_t32 measured 46.0 -> 48.4 us with it (docs/PERFORMANCE.md, fifth session).
  cudaLaunchAttribute attr[1];
  const bool pdl = 8 * WN * WT <= 16 && kernel_has_grid_wait((const void*)kernel, a.device);
  const cudaLaunchConfig_t cfg = pdl_launch_config(pl, 32 * WR * WT, stream, attr, pdl);
  // Plan::sum_apart (the APART instance): only where this launch is a PDL launch (its code waits for
  // the previous grid), so that the sum grid starts under this one's tail; elsewhere the in-kernel fixup.
  if constexpr (APART) {
    if (!pdl || !pdl_enabled()) return launch_instance<BF16, WR, WT, WM, WN, KB, SC, MINB, ZM, false>(a, stream);
  }
  const cudaError_t launched = cudaLaunchKernelEx(&cfg, kernel, prm);
  if (launched == cudaSuccess) count_pdl_launch(cfg);
  if (launched == cudaSuccess && SC == kScalesPerKBlockSubn) count_subn_launch();
  const w4a16_status st = check_launch("sm80_w4a16", pl, 32 * WR * WT, launched);
  if constexpr (APART) {
    if (st == W4A16_OK)
      return launch_sum(prm, pl, a.device, stream, &sm80_splitk_sum<BF16, WR, WT, WM, WN>, 32 * WR * WT, WM * WN);
  }
  return st;
}

using LaunchFn = w4a16_status (*)(const GemmArgs&, cudaStream_t);

template <bool BF16, int I>
w4a16_status launch_config(const GemmArgs& a, cudaStream_t stream) {
  constexpr cfg::Sm80Config c = cfg::kSm80Configs[I];
  if constexpr (c.gemv) {
    return launch_gemv<80, BF16>(a, stream);
  } else {
    // In the tiles with the registers for it (cfg::Sm80Config::whole_group_scales), scale pairs once
    // per k-block in the subnormal form where a k-block lies inside one group (or per-channel) and the
    // weights have small_scales, else once per 32 of k; in
    // the one-column 32-row tiles (kblock_scales_by_zero_mode) once per k-block with the zero-point
    // mode fixed where a k-block lies inside one group on compute capability 9.0, else once per k16
    // step; in the other tiles once per k16 step (sm80_w4a16.cuh, kScalesPer*).
    constexpr int WR = c.warps_r, WT = c.warps_t, WM = c.wm, WN = c.wn, KB = c.kb, MINB = c.ctas();
    static_assert(c.tile_tokens() > 16 || c.whole_group_scales(),
                  "Plan::sum_apart is launched from the whole_group_scales branch: a decode tile must take it");
    if constexpr (c.whole_group_scales()) {
      // Per k-block (in the subnormal form) only for weights with small scales; others per 32 of k.
      const bool kblock = groups_per_stage(*a.p, c.kb) == 1 && a.p->small_scales;
      if constexpr (c.tile_tokens() <= 16) {
        if (a.plan->sum_apart) {
          if (kblock) {
            return launch_instance<BF16, WR, WT, WM, WN, KB, kScalesPerKBlockSubn, MINB, kZerosRuntime, true>(a,
                                                                                                             stream);
          }
          return launch_instance<BF16, WR, WT, WM, WN, KB, kScalesPerHalfAtom, MINB, kZerosRuntime, true>(a, stream);
        }
      }
      if (kblock)
        return launch_instance<BF16, WR, WT, WM, WN, KB, kScalesPerKBlockSubn, MINB>(a, stream);
      return launch_instance<BF16, WR, WT, WM, WN, KB, kScalesPerHalfAtom, MINB>(a, stream);
    } else if constexpr (c.kblock_scales_by_zero_mode()) {
      const bool hopper = a.dev->cc_major == 9 && a.dev->cc_minor == 0;  // the only card it was timed on
      if (groups_per_stage(*a.p, c.kb) != 1 || !hopper)
        return launch_instance<BF16, WR, WT, WM, WN, KB, kScalesPerStep, MINB>(a, stream);
      if (a.p->zeros)
        return launch_instance<BF16, WR, WT, WM, WN, KB, kScalesPerKBlock, MINB, kZerosYes>(a, stream);
      return launch_instance<BF16, WR, WT, WM, WN, KB, kScalesPerKBlock, MINB, kZerosNo>(a, stream);
    } else {
      return launch_instance<BF16, WR, WT, WM, WN, KB, kScalesPerStep, MINB>(a, stream);
    }
  }
}

template <bool BF16, size_t... I>
constexpr std::array<LaunchFn, sizeof...(I)> make_table(std::index_sequence<I...>) {
  return {&launch_config<BF16, (int)I>...};
}

template <bool BF16>
w4a16_status launch_dtype(const GemmArgs& a, cudaStream_t stream) {
  static constexpr auto table = make_table<BF16>(std::make_index_sequence<cfg::kSm80ConfigCount>{});
  return table[a.plan->config](a, stream);
}

}  // namespace w4a16::sm80
