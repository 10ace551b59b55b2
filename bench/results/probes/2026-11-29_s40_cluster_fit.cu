// Fortieth session probe: how many thread-block clusters of each size (1..8, and 16 non-portable) can be
// resident at once (cudaOccupancyMaxActiveClusters) for a 384-thread, one-CTA-per-SM kernel with the
// dynamic shared memory of the sm90 128-token tile's plans: 212480 B (the quads: 6 stages + 64 KiB buffer),
// 189952 B (8 stages, whole tiles) and 100 KiB. Call 5 found the 128-CTA quad plans (32 clusters of four)
// falling back to the workspace on the H200. Build: nvcc -arch=sm_90a -o cluster_fit cluster_fit.cu
#include <cstdio>
#include <cuda_runtime.h>
__global__ void __launch_bounds__(384, 1) dummy(int* p) {
  extern __shared__ int s[];
  if (p) p[threadIdx.x] = s[threadIdx.x];
}
int main() {
  cudaDeviceProp prop;
  cudaGetDeviceProperties(&prop, 0);
  std::printf("%s, %d SMs\n", prop.name, prop.multiProcessorCount);
  for (int smem : {212480, 189952, 100 * 1024}) {
    cudaFuncSetAttribute(dummy, cudaFuncAttributeMaxDynamicSharedMemorySize, smem);
    cudaFuncSetAttribute(dummy, cudaFuncAttributeNonPortableClusterSizeAllowed, 1);
    std::printf("smem %6d:", smem);
    for (int c : {1, 2, 3, 4, 5, 6, 7, 8, 16}) {
      cudaLaunchConfig_t cfg = {};
      cudaLaunchAttribute attr[1];
      cfg.gridDim = dim3(c * 8);
      cfg.blockDim = dim3(384);
      cfg.dynamicSmemBytes = smem;
      attr[0].id = cudaLaunchAttributeClusterDimension;
      attr[0].val.clusterDim.x = c;
      attr[0].val.clusterDim.y = 1;
      attr[0].val.clusterDim.z = 1;
      cfg.attrs = attr;
      cfg.numAttrs = 1;
      int n = -1;
      const cudaError_t e = cudaOccupancyMaxActiveClusters(&n, dummy, &cfg);
      if (e != cudaSuccess) { cudaGetLastError(); std::printf("  c%d: %s", c, cudaGetErrorName(e)); }
      else std::printf("  c%d: %d (%d CTAs)", c, n, n * c);
    }
    std::printf("\n");
  }
  return 0;
}
