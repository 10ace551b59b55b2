// launch_ex.cuh -- cudaLaunchKernelEx for the families' launchers (compiled by nvcc, which brings the
// runtime's C++ launch template).
#pragma once
#include "kernels/launch.h"

namespace w4a16 {

// cudaLaunchKernelEx, and once more after refresh_smem where the first try fails with
// cudaErrorInvalidValue above the default 48 KiB of shared memory: the limit ensure_smem set, and
// remembers per (kernel, device), is lost when the device is reset or the kernel runs in another
// context. Costs nothing while launches succeed.
template <class... P, class... A>
cudaError_t launch_ex(const cudaLaunchConfig_t& cfg, void (*kernel)(P...), int device, const A&... args) {
  cudaError_t e = cudaLaunchKernelEx(&cfg, kernel, args...);
  if (e == cudaErrorInvalidValue && cfg.dynamicSmemBytes > (48u << 10) &&
      refresh_smem(reinterpret_cast<const void*>(kernel), device, cfg.dynamicSmemBytes)) {
    cudaGetLastError();  // the first try's error
    e = cudaLaunchKernelEx(&cfg, kernel, args...);
  }
  return e;
}

}  // namespace w4a16
