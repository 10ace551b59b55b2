// sm90_w4a16_fp16.cu -- the fp16 instantiations of sm90_w4a16 (one translation unit per dtype), and the
// cluster-residency query the planner reads (DeviceProps::quad_clusters).
#include "kernels/sm90/sm90_w4a16_launch.cuh"

namespace w4a16::sm90 {
w4a16_status launch_fp16(const GemmArgs& a, cudaStream_t stream) { return launch_dtype<false>(a, stream); }

namespace {
// Never launched: only its launch configuration is asked about.
__global__ void quad_fit_probe() {}
}  // namespace
}  // namespace w4a16::sm90

int w4a16::sm90_quad_clusters(int device) {
  // On the calling thread's current context only: no cudaSetDevice, which would make the device's primary
  // context current in place of one the caller made (device_props asks only when `device` is current).
  int current = -1, n = 0, smem = 0;
  if (cudaGetDevice(&current) != cudaSuccess || current != device) {
    cudaGetLastError();
    return 0;
  }
  const void* probe = (const void*)&sm90::quad_fit_probe;
  cudaLaunchAttribute attr{};
  attr.id = cudaLaunchAttributeClusterDimension;
  attr.val.clusterDim.x = 4;
  attr.val.clusterDim.y = 1;
  attr.val.clusterDim.z = 1;
  cudaLaunchConfig_t cfg{};
  cfg.gridDim = dim3(4);
  cfg.blockDim = dim3(384);
  cfg.attrs = &attr;
  cfg.numAttrs = 1;
  if (cudaDeviceGetAttribute(&smem, cudaDevAttrMaxSharedMemoryPerBlockOptin, device) == cudaSuccess &&
      cudaFuncSetAttribute(probe, cudaFuncAttributeMaxDynamicSharedMemorySize, smem) == cudaSuccess) {
    cfg.dynamicSmemBytes = (size_t)smem;
    if (cudaOccupancyMaxActiveClusters(&n, probe, &cfg) != cudaSuccess) n = 0;
  }
  cudaGetLastError();  // the query's own error (not sticky): the caller keeps the conservative rule
  return n;
}
