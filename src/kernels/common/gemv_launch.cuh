// gemv_launch.cuh -- host side of the gemv decode configuration (gemv.cuh), for both families'
// launchers. FAMILY (80 or 90) is part of the kernel's name: each family compiles it in its own
// translation units for its own targets (sm90: sm_90a only; sm80: every target), and one
// instantiation shared by both would be registered with only one of the two fatbinaries.
// Programmatic dependent launch (the kernel starts under the previous one's tail, warms L2 with its
// first weights and waits for it, gemv.cuh): always in the sm90 family; in the sm80 family where
// the code that runs was compiled for sm_90 or later (kernel_has_grid_wait; e.g. sm_120 SASS on an
// RTX 50, sm_90a on Hopper), never from compute_80 PTX. W4A16_PDL=0 turns it off for both.
#pragma once
#include "kernels/common/gemv.cuh"
#include "kernels/launch.h"

namespace w4a16 {

template <int FAMILY, bool BF16, bool WG, bool ZEROS>
w4a16_status launch_gemv_instance(const GemmArgs& a, cudaStream_t stream) {
  const Problem& p = *a.p;
  const Plan& pl = *a.plan;
  const MmaPointers w = mma_pointers(*a.w);
  GemvParams prm{};
  prm.x = static_cast<const uint16_t*>(a.x);
  prm.codes = reinterpret_cast<const uint4*>(w.codes);
  prm.scales = reinterpret_cast<const uint32_t*>(w.scales);
  prm.zeros = reinterpret_cast<const uint32_t*>(w.zeros);
  prm.bias = static_cast<const uint16_t*>(a.bias);
  prm.y = static_cast<uint16_t*>(a.y);
  prm.lda = p.lda;
  prm.ldy = p.ldy;
  prm.m = (int)p.m;
  prm.n = (int)p.n;
  prm.k = (int)p.k;
  prm.ka = (int)w.ka;
  prm.n16 = (int)w.n16;
  prm.group_shift = group_shift(p);
  auto* kernel = &gemv_w4a16_kernel<FAMILY, BF16, WG, ZEROS>;
  if (w4a16_status s = ensure_smem((const void*)kernel, a.device, pl.smem_bytes, "gemv_w4a16")) return s;
  cudaLaunchAttribute attr[1];
  const bool pdl = FAMILY == 90 || kernel_has_grid_wait((const void*)kernel, a.device);
  const cudaLaunchConfig_t cfg = pdl_launch_config(pl, (unsigned)pl.threads, stream, attr, pdl);
  const cudaError_t launched = cudaLaunchKernelEx(&cfg, kernel, prm);
  if (launched == cudaSuccess) count_pdl_launch(cfg);
  return check_launch("gemv_w4a16", pl, pl.threads, launched);
}

// WG: every 64-wide atom inside one scale group (g >= 64 or per-channel); else g = 32.
template <int FAMILY, bool BF16>
w4a16_status launch_gemv(const GemmArgs& a, cudaStream_t stream) {
  const bool wg = groups_per_stage(*a.p, 64) == 1;
  if (a.p->zeros)
    return wg ? launch_gemv_instance<FAMILY, BF16, true, true>(a, stream)
              : launch_gemv_instance<FAMILY, BF16, false, true>(a, stream);
  return wg ? launch_gemv_instance<FAMILY, BF16, true, false>(a, stream)
            : launch_gemv_instance<FAMILY, BF16, false, false>(a, stream);
}

}  // namespace w4a16
