// sm90_w4a16_launch.cuh -- host side of sm90_w4a16: tensor maps, parameters, the instantiation table.
// Included once per dtype (sm90_w4a16_fp16.cu, sm90_w4a16_bf16.cu) so the two compile in parallel.
#pragma once
#include <array>
#include <type_traits>
#include <utility>

#include "dispatch/configs.h"
#include "kernels/launch.h"
#include "kernels/sm90/sm90_tma.h"
#include "kernels/common/gemv_launch.cuh"
#include "kernels/sm90/sm90_w4a16.cuh"

namespace w4a16::sm90 {

template <bool BF16, int MB, int TN, int KB, bool PP, int CPS, bool WG, int ZM>
w4a16_status launch_instance(const GemmArgs& a, cudaStream_t stream) {
  constexpr int BN = PP ? 64 * MB : 128 * MB;
  const Problem& p = *a.p;
  const Plan& pl = *a.plan;
  const MmaPointers w = mma_pointers(*a.w);
  const int gps = groups_per_stage(p, KB);

  TensorMaps maps;
  if (w4a16_status s = encode_maps(p, a.x, w, BN, TN, KB, gps, &maps)) return s;

  Sm90Params prm{};
  prm.bias = static_cast<const uint16_t*>(a.bias);
  prm.y = static_cast<uint16_t*>(a.y);
  prm.counters = static_cast<SplitCounter*>(a.workspace);
  prm.split_tag = pl.split > 1 ? next_split_tag() : 0;  // only split plans count (a process-wide atomic)
  prm.partials = a.workspace ? reinterpret_cast<float*>(static_cast<uint8_t*>(a.workspace) + pl.ws_partials_off)
                             : nullptr;
  prm.ldy = p.ldy;
  prm.m = (int)p.m;
  prm.n = (int)p.n;
  prm.k = (int)p.k;
  prm.group_shift = group_shift(p);
  prm.groups_per_stage = gps;
  prm.zeros = p.zeros ? 1 : 0;
  prm.stages = pl.stages;
  prm.stage_bytes = (int)pl.stage_bytes;
  prm.split = pl.split;
  prm.tiles_n = (int)pl.tiles_n;
  prm.tiles_m = (int)pl.tiles_m;
  prm.kblocks = (int)pl.kblocks;
  prm.band_m = pl.band_m;
  prm.divs = make_unit_divs(pl.split, (int)pl.tiles_n, (int)pl.tiles_m, pl.band_m, pl.band);
  prm.units = (int)pl.units;
  prm.full_tiles = (int)pl.full_tiles;
  prm.sk_ctas = pl.sk_ctas;
  if (pl.sk_ctas > 0) {
    const int64_t total = pl.tiles_n * pl.tiles_m * pl.kblocks;  // < 2^31: make_plan checks
    prm.sk_per_cta = (int)(total / pl.sk_ctas);
    prm.sk_rem = (int)(total % pl.sk_ctas);
  }

  cudaLaunchAttribute attr[2];
  auto config = [&](int cluster) {  // pairs and quads add the cluster dimension
    cudaLaunchConfig_t cfg = pdl_launch_config(pl, 384, stream, attr, true);
    if (cluster > 1) {
      attr[1].id = cudaLaunchAttributeClusterDimension;
      attr[1].val.clusterDim.x = (unsigned)cluster;
      attr[1].val.clusterDim.y = 1;
      attr[1].val.clusterDim.z = 1;
      cfg.numAttrs = 2;
    }
    return cfg;
  };
  auto launch = [&](auto* kernel, const cudaLaunchConfig_t& cfg) {
    const cudaError_t launched = cudaLaunchKernelEx(&cfg, kernel, maps.x, maps.w, maps.s, maps.z, prm);
    if (launched == cudaSuccess) count_pdl_launch(cfg);
    if (launched == cudaSuccess && WG && cfg::sm90_subn_dequant(BF16, TN)) count_subn_launch();
    return check_launch("sm90_w4a16", pl, 384, launched);
  };
  // A cluster fixup's instance (PAIRS or QUADS: the only launch of those, and they carry no workspace
  // fixup), launched only if the plan keeps the instance's assumptions
  // (sm90_cluster_plan_ok) and every cluster of the grid can be resident at once (*ran false
  // otherwise: the caller falls back to the workspace fixup, which gives the same bits).
  auto launch_cluster = [&](auto* kernel, int cluster, bool* ran) -> w4a16_status {
    *ran = false;
    if (!sm90_cluster_plan_ok(pl)) return W4A16_OK;
    if (w4a16_status s = ensure_smem((const void*)kernel, a.device, pl.smem_bytes, "sm90_w4a16")) return s;
    const cudaLaunchConfig_t cfg = config(cluster);
    if (max_active_clusters((const void*)kernel, a.device, cfg) * cluster < pl.grid) return W4A16_OK;
    prm.cluster = cluster;
    prm.red_off = (int)pl.cluster_buf_off;
    count_cluster_launch();
    *ran = true;
    return launch(kernel, cfg);
  };
  // Cluster split-K fixup (Plan::cluster == 2): the instance that carries it (PAIRS), only if every
  // cluster of the grid can be resident at once. A cluster's CTAs are always co-scheduled, so this is
  // for speed, not safety: clusters that do not fit run in a second wave, where the workspace
  // fixup's CTAs would all run in one. Both fixups give the same bits. The other instance, without
  // the pair code, runs every other plan.
  // Where sm90::pair_noshift_form says so, the pair plans whose last token tile does not shift take the
  // pair instance compiled without the shift (SHIFT in sm90_w4a16.cuh); every other instance carries it.
  if constexpr (Sm90Shape<MB, TN, KB, PP, CPS>::kPairs) {
    if (pl.cluster == 2) {
      auto* kernel = &sm90_w4a16_kernel<BF16, MB, TN, KB, PP, CPS, WG, true, ZM, true>;
      bool noshift = false;
      if constexpr (pair_noshift_form(BF16, MB, TN)) {
        noshift = !shifts_last_tile(prm.m, TN);
        if (noshift) kernel = &sm90_w4a16_kernel<BF16, MB, TN, KB, PP, CPS, WG, true, ZM, false>;
      }
      bool ran = false;
      const w4a16_status st = launch_cluster(kernel, 2, &ran);
      if (st != W4A16_OK || ran) {
        if (st == W4A16_OK && noshift) count_noshift_launch();
        return st;
      }
    }
  }
  // Stream-K quads (Plan::cluster == 4): the QUADS instance, under the same condition; otherwise the
  // plan's units run through the workspace fixup (the instance below handles stream-K), same bits.
  if constexpr (Sm90Shape<MB, TN, KB, PP, CPS>::kQuads) {
    if (pl.cluster == 4) {
      bool ran = false;
      auto* kernel = &sm90_w4a16_kernel<BF16, MB, TN, KB, PP, CPS, WG, false, ZM, true, true>;
      const w4a16_status st = launch_cluster(kernel, 4, &ran);
      if (st != W4A16_OK || ran) return st;
    }
  }
  auto* kernel = &sm90_w4a16_kernel<BF16, MB, TN, KB, PP, CPS, WG, false, ZM, true>;
  if (w4a16_status s = ensure_smem((const void*)kernel, a.device, pl.smem_bytes, "sm90_w4a16")) return s;
  return launch(kernel, config(1));
}

using LaunchFn = w4a16_status (*)(const GemmArgs&, cudaStream_t);

template <bool BF16, int I>
w4a16_status launch_config(const GemmArgs& a, cudaStream_t stream) {
  constexpr cfg::Sm90Config c = cfg::kSm90Configs[I];
  constexpr bool kPP = c.sched == cfg::Sched::PingPong;
  if constexpr (c.sched == cfg::Sched::Gemv) {
    return launch_gemv<90, BF16>(a, stream);
  } else {
    // Groups of at least a k-block (or per-channel) take the kernel that loads each scale once per
    // k-block (WG in sm90_w4a16.cuh); where that kernel dequantizes in the subnormal form
    // (cfg::sm90_subn_dequant), only if every scale is below 0.25, the form's bound. Smaller groups and
    // other weights take the per-k16-step one, whose magic-number dequant takes any scale. fp16 and
    // bf16's 16-token tiles have an instance per zero-point mode, bf16's other tiles one that reads it
    // at run time (sm90::fixed_zero_mode; sm90::kZmRuntime says why).
    constexpr bool kSubn = cfg::sm90_subn_dequant(BF16, c.tn);
    const bool wg = groups_per_stage(*a.p, c.kb) == 1 && (a.p->small_scales || !kSubn);
    auto run = [&](auto zm) {
      constexpr int ZM = decltype(zm)::value;
      return wg ? launch_instance<BF16, c.mb, c.tn, c.kb, kPP, c.ctas_per_sm, true, ZM>(a, stream)
                : launch_instance<BF16, c.mb, c.tn, c.kb, kPP, c.ctas_per_sm, false, ZM>(a, stream);
    };
    if constexpr (!fixed_zero_mode(BF16, c.tn)) return run(std::integral_constant<int, kZmRuntime>{});
    else if (a.p->zeros) return run(std::integral_constant<int, kZmZeros>{});
    else return run(std::integral_constant<int, kZmNone>{});
  }
}

template <bool BF16, size_t... I>
constexpr std::array<LaunchFn, sizeof...(I)> make_table(std::index_sequence<I...>) {
  return {&launch_config<BF16, (int)I>...};
}

template <bool BF16>
w4a16_status launch_dtype(const GemmArgs& a, cudaStream_t stream) {
  static constexpr auto table = make_table<BF16>(std::make_index_sequence<cfg::kSm90ConfigCount>{});
  return table[a.plan->config](a, stream);
}

}  // namespace w4a16::sm90
