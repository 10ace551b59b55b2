// mma_sync_peak.cu -- probe 90: the H100's mma.sync.m16n8k16 (fp32 accumulate) rate with nothing else in
// the loop, by warps per SM and independent accumulator chains per warp, fp16 and bf16. It is the ceiling
// the sm80 family's large-M tiles work under on this card (issue 4 asks >= 0.5x cuBLAS at M >= 1024).
//   nvcc -O3 -std=c++17 -arch=sm_90a bench/results/probes/2026-11-28_mma_sync_peak.cu -o /tmp/mma_peak
//   /tmp/mma_peak
// Each CTA's thread 0 records %clock64 and %globaltimer at its start and end, so the rate is given per SM
// clock (dense FMA per clock per SM, independent of the clock the power manager picks) and per second.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

#include <cuda_runtime.h>

#define CK(x)                                                                     \
  do {                                                                            \
    cudaError_t e = (x);                                                          \
    if (e != cudaSuccess) {                                                       \
      printf("%s:%d %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e));    \
      return 1;                                                                   \
    }                                                                             \
  } while (0)

template <bool kBf16>
__device__ __forceinline__ void mma(float (&d)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
  if constexpr (kBf16) {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
  } else {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
  }
}

struct Stamp {
  long long c0, c1;
  unsigned long long t0, t1;
};

// CHAINS independent accumulators per warp, each fed by its own B fragment (as a tile's n8 columns are),
// the A fragment shared (as a tile's m16 rows are).
template <bool kBf16, int kChains>
__global__ void peak(float* out, Stamp* stamps, int iters) {
  unsigned long long t0;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t0));
  const long long c0 = clock64();
  uint32_t a[4], b[kChains][2];
  for (int i = 0; i < 4; ++i) a[i] = 0x3c003c00u ^ (threadIdx.x * 2654435761u >> (8 + i));
  for (int c = 0; c < kChains; ++c) {
    b[c][0] = 0x38003800u ^ (threadIdx.x * (c + 7) & 0xff);
    b[c][1] = 0x38003800u ^ (threadIdx.x * (c + 3) & 0xff);
  }
  float d[kChains][4] = {};
  for (int it = 0; it < iters; ++it) {
#pragma unroll
    for (int c = 0; c < kChains; ++c) mma<kBf16>(d[c], a, b[c]);
  }
  float s = 0.f;
  for (int c = 0; c < kChains; ++c) s += d[c][0] + d[c][1] + d[c][2] + d[c][3];
  if (s == 1234.5f) out[threadIdx.x] = s;  // never true; keeps the loop
  __syncthreads();
  if (threadIdx.x == 0) {
    unsigned long long t1;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t1));
    stamps[blockIdx.x] = {c0, clock64(), t0, t1};
  }
}

template <bool kBf16, int kChains>
int run(int sms, int warps_per_sm, int ctas_per_sm) {
  const int threads = 32 * warps_per_sm / ctas_per_sm, grid = sms * ctas_per_sm;
  const int iters = 20000;
  float* out;
  Stamp* st;
  CK(cudaMalloc(&out, 4096));
  CK(cudaMalloc(&st, sizeof(Stamp) * grid));
  std::vector<Stamp> h((size_t)grid);
  std::vector<double> rate_clk, rate_s, mhz;
  cudaEvent_t e0, e1;
  CK(cudaEventCreate(&e0));
  CK(cudaEventCreate(&e1));
  for (int rep = 0; rep < 7; ++rep) {
    CK(cudaEventRecord(e0));
    peak<kBf16, kChains><<<grid, threads>>>(out, st, iters);
    CK(cudaEventRecord(e1));
    CK(cudaEventSynchronize(e1));
    CK(cudaGetLastError());
    float ms;
    CK(cudaEventElapsedTime(&ms, e0, e1));
    CK(cudaMemcpy(h.data(), st, sizeof(Stamp) * grid, cudaMemcpyDeviceToHost));
    // Per CTA: FMAs / its cycles; the SM's rate is the sum over its resident CTAs (all run together).
    double cyc = 0, ns = 0;
    for (auto& x : h) cyc += double(x.c1 - x.c0), ns += double(x.t1 - x.t0);
    cyc /= grid, ns /= grid;
    const double fma_per_cta = double(iters) * kChains * (threads / 32) * 16 * 8 * 16;
    if (rep == 0) continue;  // warm-up
    rate_clk.push_back(fma_per_cta * ctas_per_sm / cyc);
    rate_s.push_back(2.0 * fma_per_cta * grid / (ms * 1e-3) / 1e12);
    mhz.push_back(cyc / ns * 1e3);
  }
  auto med = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
  printf("%s chains %2d warps/SM %2d CTAs/SM %d: %6.0f dense FMA/clk/SM, %5.0f TFLOP/s at %4.0f MHz (median of 6)\n",
         kBf16 ? "bf16" : "fp16", kChains, warps_per_sm, ctas_per_sm, med(rate_clk), med(rate_s), med(mhz));
  CK(cudaFree(out));
  CK(cudaFree(st));
  return 0;
}

int main() {
  int sms;
  CK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
  cudaDeviceProp p;
  CK(cudaGetDeviceProperties(&p, 0));
  printf("%s, %d SMs\n", p.name, sms);
  // Register limits: 32 chains take ~206 registers (8 warps per SM at most), 16 take ~110 (16 warps).
  for (int w : {4, 8, 16, 32}) {
    run<false, 8>(sms, w, w >= 8 ? 2 : 1);
    if (w <= 16) run<false, 16>(sms, w, w >= 8 ? 2 : 1);
    if (w <= 8) run<false, 32>(sms, w, w >= 8 ? 2 : 1);
  }
  run<false, 4>(sms, 16, 2);
  run<false, 4>(sms, 32, 2);
  run<true, 16>(sms, 8, 2);
  run<true, 32>(sms, 8, 2);
  run<true, 16>(sms, 16, 2);
  return 0;
}
