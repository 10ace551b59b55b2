// launch.h -- the one interface between the API layer (src/api.cpp) and the kernel families.
#pragma once
#include <cuda_runtime_api.h>

#include <string>

#include "dispatch/heuristic.h"
#include "host/internal.h"

namespace w4a16 {

struct GemmArgs {
  const Problem* p;
  const Plan* plan;
  const DeviceProps* dev;
  int device;
  const void* x;
  const w4a16_weights* w;
  const void* bias;  // nullptr without bias
  void* y;
  void* workspace;
};

w4a16_status launch_sm80(const GemmArgs& a, cudaStream_t stream);
w4a16_status launch_sm90(const GemmArgs& a, cudaStream_t stream);
// DeviceProps::quad_clusters of `device` (CC 9.0): how many clusters of four 384-thread CTAs with the
// opt-in shared memory (one per SM, as every stream-K quad plan runs) can be resident at once
// (cudaOccupancyMaxActiveClusters), asked in the calling thread's current context; 0 if `device` is
// not the current device, the query fails or the build has no sm_90a kernels.
int sm90_quad_clusters(int device);
// The reference family (canonical layout): writes y in the dtype, or y_f32 (unrounded fp32, [m][n]
// dense) when given. Rows [m_begin, m_begin + m_count) only, so large problems can be spot-checked.
w4a16_status launch_reference(const GemmArgs& a, float* y_f32, int64_t m_begin, int64_t m_count,
                              cudaStream_t stream);
// Canonical (device) <-> packed (device) conversions, the device side of w4a16_pack/unpack_device.
w4a16_status launch_pack_mma(const w4a16_canonical& src, int64_t g, void* dst, cudaStream_t stream);
w4a16_status launch_unpack_mma(const w4a16_weights& w, const w4a16_canonical& dst, cudaStream_t stream);
// Whether every one of `count` scales (device memory) is a small one (layout::small_scale): a kernel and
// the read-back of one flag: waits for `stream` (and, on a device without memory pools, for the whole
// device: its 4 bytes then come from cudaMalloc, whose cudaFree synchronizes; w4a16_pack_device
// documents it).
w4a16_status check_small_scales(const uint16_t* scales, int64_t count, bool bf16, cudaStream_t stream, bool* small);

// Checks cudaGetLastError after a <<<>>> launch or a failed copy; W4A16_ERR_CUDA with the kernel name on
// failure (W4A16_ERR_UNSUPPORTED_DEVICE where the build has no code for the device: cuda_status).
// The paths that use it call check_pending first, so the error is theirs.
w4a16_status check_launch(const char* what);
// W4A16_ERR_CUDA (and the error cleared) if a CUDA error is pending before `what` enqueues anything:
// a <<<>>> launch cannot tell its own error from one the caller left.
w4a16_status check_pending(const char* what);
// A cudaLaunchKernelEx's result `launched` (only that: an error the caller left pending is not the
// product's); on failure the kernel's configuration, grid, threads and shared memory.
w4a16_status check_launch(const char* what, const Plan& plan, int threads, cudaError_t launched);
// A failed CUDA call's status: W4A16_ERR_UNSUPPORTED_DEVICE where the build holds no code for the device
// (the README's quick build holds sm_90a only: an A100 or an RTX 50 card finds no kernel in it), else
// W4A16_ERR_CUDA; and the closing words of its message (the build's targets, or "").
w4a16_status cuda_status(cudaError_t e);
std::string cuda_hint(cudaError_t e);
// Whether launches that can use programmatic dependent launch do (every sm90 launch; the sm80
// family's decode kernels where their code waits): on unless W4A16_PDL=0 (read once).
bool pdl_enabled();
// A split-K launch's counter tag (kernels/common/split_counter.h): 48 bits, never 0, a new one per
// launch (a process-wide sequence times an odd constant, not random: it repeats only after 2^48
// launches and looks like no small number a reused buffer is likely to hold).
unsigned long long next_split_tag();
// The plan's grid on `stream`; with `pdl` (only for code that waits for the previous grid before any
// other global access) programmatic dependent launch in attr[0]: the grid may start under the
// previous kernel's tail and prefetch its weights into L2 (sm90_w4a16.cuh, gemv.cuh, sm80_w4a16.cuh);
// W4A16_PDL=0 in the environment turns it off.
inline cudaLaunchConfig_t pdl_launch_config(const Plan& pl, unsigned threads, cudaStream_t stream,
                                            cudaLaunchAttribute* attr, bool pdl) {
  cudaLaunchConfig_t cfg{};
  cfg.gridDim = dim3((unsigned)pl.grid);
  cfg.blockDim = dim3(threads);
  cfg.dynamicSmemBytes = pl.smem_bytes;
  cfg.stream = stream;
  attr[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
  attr[0].val.programmaticStreamSerializationAllowed = pdl_enabled() ? 1 : 0;
  cfg.attrs = attr;
  cfg.numAttrs = pdl ? 1 : 0;
  return cfg;
}

// Whether the code of `kernel` that runs on `device` was compiled for sm_90 or later (its PTX
// version, cudaFuncGetAttributes; cached per kernel and device), so that kernels which wait for the
// previous grid under `#if __CUDA_ARCH__ >= 900` do so there: compute_80 PTX JIT-compiled for a
// newer device has no wait, and launching it with PDL would let it read what the previous kernel
// has not yet written. False if the query fails.
bool kernel_has_grid_wait(const void* kernel, int device);
// Raises a kernel's dynamic shared-memory limit once per (kernel, device, size); thread-safe.
w4a16_status ensure_smem(const void* kernel, int device, size_t bytes, const char* what);
// How many clusters of cfg's cluster size (its cudaLaunchAttributeClusterDimension) and shared
// memory can be resident at once (cudaOccupancyMaxActiveClusters), cached per (kernel, device,
// cluster size, shared memory); 0 if the query fails. Thread-safe.
int max_active_clusters(const void* kernel, int device, const cudaLaunchConfig_t& cfg);
// Launches that used the sm90 cluster fixup, process-wide (tests check the path really ran).
void count_cluster_launch();
int64_t cluster_launches();
// Launches of the sm80 split-K sum grid (Plan::sum_apart), process-wide (tests check the path ran).
void count_sum_apart_launch();
int64_t sum_apart_launches();
// Launches of a kernel that dequantizes in the subnormal form (cfg::sm90_subn_dequant, sm80's
// kScalesPerKBlockSubn), process-wide (tests check the path ran).
void count_subn_launch();
int64_t subn_launches();
// Launches of the sm90 pair instances compiled without the last-tile shift (SHIFT = false in
// sm90_w4a16.cuh: the 64-token tile's, and bf16's 128-token one), process-wide (tests check which form ran).
void count_noshift_launch();
int64_t noshift_launches();
// Counts a launch whose configuration allows programmatic dependent launch (tests check that the
// path they mean to cover really ran); process-wide.
void count_pdl_launch(const cudaLaunchConfig_t& cfg);
int64_t pdl_launches();

// Packed-section pointers of weights in the mma layout.
struct MmaPointers {
  const uint8_t* codes;
  const uint16_t* scales;
  const uint16_t* zeros;  // nullptr when symmetric
  int64_t n16, ka, groups;
};
MmaPointers mma_pointers(const w4a16_weights& w);
// log2(g) for power-of-two groups, 31 for per-channel (every k in group 0).
int group_shift(const Problem& p);
int groups_per_stage(const Problem& p, int kb);

}  // namespace w4a16
