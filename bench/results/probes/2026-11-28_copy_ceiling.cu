// Copy-kernel variants for the bench's SM copy ceiling (twenty-fourth session, H200). Built here:
//   nvcc -O3 -arch=sm_90a -o .carry/copyprobe bench/results/probes/2026-11-28_copy_ceiling.cu
// Prints GB/s (bytes read + written) per variant, median of 9 timed launches after 3 warm-ups.
#include <cuda_runtime.h>
#include <algorithm>
#include <cstdio>
#include <vector>

template <int U>
__global__ void copy_u(const uint4* __restrict__ s, uint4* __restrict__ d, long n) {
  const long stride = (long)gridDim.x * blockDim.x;
  long i = blockIdx.x * (long)blockDim.x + threadIdx.x;
  for (; i + (U - 1) * stride < n; i += U * stride) {
    uint4 v[U];
#pragma unroll
    for (int j = 0; j < U; ++j) v[j] = s[i + j * stride];
#pragma unroll
    for (int j = 0; j < U; ++j) d[i + j * stride] = v[j];
  }
  for (; i < n; i += stride) d[i] = s[i];
}
template <int U>
__global__ void copy_nc(const uint4* __restrict__ s, uint4* __restrict__ d, long n) {
  const long stride = (long)gridDim.x * blockDim.x;
  long i = blockIdx.x * (long)blockDim.x + threadIdx.x;
  for (; i + (U - 1) * stride < n; i += U * stride) {
    uint4 v[U];
#pragma unroll
    for (int j = 0; j < U; ++j)
      asm volatile("ld.global.nc.L1::no_allocate.v4.u32 {%0,%1,%2,%3}, [%4];"
                   : "=r"(v[j].x), "=r"(v[j].y), "=r"(v[j].z), "=r"(v[j].w) : "l"(s + i + j * stride));
#pragma unroll
    for (int j = 0; j < U; ++j) d[i + j * stride] = v[j];
  }
  for (; i < n; i += stride) d[i] = s[i];
}
// One contiguous chunk per CTA (blocked, not grid-strided).
__global__ void copy_blocked(const uint4* __restrict__ s, uint4* __restrict__ d, long n, long per_cta) {
  const long b = blockIdx.x * per_cta, e = b + per_cta < n ? b + per_cta : n;
  for (long i = b + threadIdx.x; i < e; i += 4 * blockDim.x) {
    uint4 v[4];
#pragma unroll
    for (int j = 0; j < 4; ++j) if (i + j * blockDim.x < e) v[j] = s[i + j * blockDim.x];
#pragma unroll
    for (int j = 0; j < 4; ++j) if (i + j * blockDim.x < e) d[i + j * blockDim.x] = v[j];
  }
}

template <class F>
double time_gbps(F launch, size_t bytes) {
  cudaEvent_t a, b;
  cudaEventCreate(&a);
  cudaEventCreate(&b);
  for (int i = 0; i < 3; ++i) launch();
  std::vector<float> ms;
  for (int i = 0; i < 9; ++i) {
    cudaEventRecord(a);
    launch();
    cudaEventRecord(b);
    cudaEventSynchronize(b);
    float t = 0;
    cudaEventElapsedTime(&t, a, b);
    ms.push_back(t);
  }
  std::sort(ms.begin(), ms.end());
  return 2.0 * bytes / (ms[4] * 1e-3) / 1e9;
}

int main() {
  int sms = 0;
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0);
  for (size_t mib : {512, 2048}) {
    const size_t bytes = mib << 20;
    void *s, *d;
    cudaMalloc(&s, bytes);
    cudaMalloc(&d, bytes);
    cudaMemset(s, 1, bytes);
    const long n = bytes / 16;
    const uint4* S = (const uint4*)s;
    uint4* D = (uint4*)d;
    std::printf("%zu MiB: memcpy %.0f\n", mib, time_gbps([&] { cudaMemcpyAsync(d, s, bytes, cudaMemcpyDeviceToDevice); }, bytes));
    for (int threads : {256, 512, 1024}) {
      int per = 0;
      cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per, copy_u<4>, threads, 0);
      const int g = sms * per;
      std::printf("%zu MiB: threads %4d x %d/SM: u1 %.0f  u2 %.0f  u4 %.0f  u8 %.0f  nc4 %.0f  nc8 %.0f\n", mib, threads, per,
                  time_gbps([&] { copy_u<1><<<g, threads>>>(S, D, n); }, bytes),
                  time_gbps([&] { copy_u<2><<<g, threads>>>(S, D, n); }, bytes),
                  time_gbps([&] { copy_u<4><<<g, threads>>>(S, D, n); }, bytes),
                  time_gbps([&] { copy_u<8><<<g, threads>>>(S, D, n); }, bytes),
                  time_gbps([&] { copy_nc<4><<<g, threads>>>(S, D, n); }, bytes),
                  time_gbps([&] { copy_nc<8><<<g, threads>>>(S, D, n); }, bytes));
    }
    for (long ctas : {1L << 12, 1L << 14, 1L << 16}) {
      const long per_cta = (n + ctas - 1) / ctas;
      std::printf("%zu MiB: blocked %ld CTAs of 256: %.0f;  u4 with %ld CTAs of 256: %.0f\n", mib, ctas,
                  time_gbps([&] { copy_blocked<<<(int)ctas, 256>>>(S, D, n, per_cta); }, bytes), ctas,
                  time_gbps([&] { copy_u<4><<<(int)ctas, 256>>>(S, D, n); }, bytes));
    }
    cudaFree(s);
    cudaFree(d);
  }
  std::printf("%s\n", cudaGetErrorString(cudaGetLastError()));
  return 0;
}
