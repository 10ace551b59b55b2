// bench_device.cu -- see bench_device.h.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <cuda/ptx>
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "testkit/bench_device.h"
#include "testkit/testkit.h"

namespace w4a16::kit {
namespace {

__device__ __forceinline__ uint64_t mix(uint64_t x) {  // splitmix64 finaliser
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

__global__ void fill16_kernel(uint16_t* dst, int64_t count, bool bf16, float lo, float hi, uint64_t seed) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < count; i += (int64_t)gridDim.x * blockDim.x) {
    const float u = (float)(mix(seed ^ (uint64_t)i * 0x2545F4914F6CDD1Dull) >> 40) * (1.0f / 16777216.0f);
    const float v = lo + (hi - lo) * u;
    dst[i] = bf16 ? __bfloat16_as_ushort(__float2bfloat16_rn(v)) : __half_as_ushort(__float2half_rn(v));
  }
}

__global__ void fill_bytes_kernel(uint64_t* dst, int64_t words, uint64_t seed) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < words; i += (int64_t)gridDim.x * blockDim.x)
    dst[i] = mix(seed ^ (uint64_t)i * 0x9E3779B97F4A7C15ull);
}

// SM cycles per microsecond (= MHz) over 100 us of the global timer (ns), both ends taken just after
// the timer steps (it advances in steps of up to a microsecond). On the H100 the readings fall on the
// card's 15 MHz clock steps, and at light load reach 2040-2085 MHz, above the 1980 MHz nvidia-smi
// reports as the maximum (not explained; the power steps this is for are 300-600 MHz).
__global__ void sm_clock_kernel(float* mhz) {
  const uint64_t t = cuda::ptx::get_sreg_globaltimer();
  uint64_t t0, t1;
  do {
    t0 = cuda::ptx::get_sreg_globaltimer();
  } while (t0 == t);
  const uint64_t c0 = cuda::ptx::get_sreg_clock64();
  do {
    t1 = cuda::ptx::get_sreg_globaltimer();
  } while (t1 - t0 < 100000);
  const uint64_t c1 = cuda::ptx::get_sreg_clock64();
  *mhz = (float)(c1 - c0) * 1000.f / (float)(t1 - t0);
}

int blocks_for(int64_t n) { return (int)std::min<int64_t>((n + 255) / 256, 8192); }

}  // namespace

void fill_random_16(void* dst, int64_t count, bool bf16, float lo, float hi, uint64_t seed, cudaStream_t s) {
  fill16_kernel<<<blocks_for(count), 256, 0, s>>>(static_cast<uint16_t*>(dst), count, bf16, lo, hi, seed);
  cuda_check(cudaGetLastError(), "fill16_kernel");
}

void fill_random_bytes(void* dst, int64_t bytes, uint64_t seed, cudaStream_t s) {
  // Buffers come from cudaMalloc (256-byte aligned) and are multiples of 8 bytes here.
  fill_bytes_kernel<<<blocks_for(bytes / 8), 256, 0, s>>>(static_cast<uint64_t*>(dst), bytes / 8, seed);
  cuda_check(cudaGetLastError(), "fill_bytes_kernel");
}

double time_graph(const std::function<void(int, cudaStream_t)>& launch, int per_graph, int warmup, int iters,
                  EagerTiming* eager, ClockReading* clock) {
  DevBuf clock_buf(clock ? 2 * sizeof(float) : 0);  // allocated before any timing
  cudaStream_t s;
  cuda_check(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "cudaStreamCreate");
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  cuda_check(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture");
  for (int i = 0; i < per_graph; ++i) launch(i, s);
  cuda_check(cudaStreamEndCapture(s, &graph), "cudaStreamEndCapture");
  cuda_check(cudaGraphInstantiate(&exec, graph, 0), "cudaGraphInstantiate");
  for (int i = 0; i < warmup; ++i) cuda_check(cudaGraphLaunch(exec, s), "cudaGraphLaunch");
  // Besides `warmup` replays, at least kMinWarmupMs of them back to back: the clocks climb for
  // milliseconds after the GPU idled (e.g. while the host verified), and a few replays of a 10 us
  // kernel do not cover it. On the H100 five replays left small-shape medians 10-30% slower than
  // 300 did (docs/PERFORMANCE.md, "Method").
  constexpr double kMinWarmupMs = 30.0;
  const auto t0 = std::chrono::steady_clock::now();
  do {
    for (int i = 0; i < 8; ++i) cuda_check(cudaGraphLaunch(exec, s), "cudaGraphLaunch");
    cuda_check(cudaStreamSynchronize(s), "warm-up");
  } while (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() < kMinWarmupMs);
  cudaEvent_t a, b;
  cuda_check(cudaEventCreate(&a), "cudaEventCreate");
  cuda_check(cudaEventCreate(&b), "cudaEventCreate");
  // The clock readings run outside the timed events, one before the first replay and one after the
  // last, so the replays' spacing is what it was without them.
  float* mhz = static_cast<float*>(clock_buf.get());
  if (clock) {
    sm_clock_kernel<<<1, 1, 0, s>>>(mhz);
    cuda_check(cudaGetLastError(), "sm_clock_kernel");
  }
  std::vector<float> ms((size_t)iters);
  for (int i = 0; i < iters; ++i) {
    cuda_check(cudaEventRecord(a, s), "cudaEventRecord");
    cuda_check(cudaGraphLaunch(exec, s), "cudaGraphLaunch");
    cuda_check(cudaEventRecord(b, s), "cudaEventRecord");
    cuda_check(cudaEventSynchronize(b), "cudaEventSynchronize");
    cuda_check(cudaEventElapsedTime(&ms[(size_t)i], a, b), "cudaEventElapsedTime");
  }
  if (clock) {
    sm_clock_kernel<<<1, 1, 0, s>>>(mhz + 1);
    cuda_check(cudaGetLastError(), "sm_clock_kernel");
    float h[2] = {0, 0};
    cuda_check(cudaMemcpyAsync(h, mhz, sizeof(h), cudaMemcpyDeviceToHost, s), "clock reading");
    cuda_check(cudaStreamSynchronize(s), "clock reading");
    clock->start_mhz = h[0];
    clock->end_mhz = h[1];
  }
  std::sort(ms.begin(), ms.end());
  if (eager) {
    // 100 calls over the rotation's buffers, few enough that the launch queue does not fill (a full
    // queue would block the enqueue loop and hide the host cost).
    const int calls = 100;
    cuda_check(cudaEventRecord(a, s), "cudaEventRecord");
    const auto h0 = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) launch(i % per_graph, s);
    const auto h1 = std::chrono::steady_clock::now();
    cuda_check(cudaEventRecord(b, s), "cudaEventRecord");
    cuda_check(cudaEventSynchronize(b), "cudaEventSynchronize");
    float total_ms = 0;
    cuda_check(cudaEventElapsedTime(&total_ms, a, b), "cudaEventElapsedTime");
    eager->host_us = std::chrono::duration<double, std::micro>(h1 - h0).count() / calls;
    eager->eager_us = 1000.0 * total_ms / calls;
  }
  cudaEventDestroy(a);
  cudaEventDestroy(b);
  cudaGraphExecDestroy(exec);
  cudaGraphDestroy(graph);
  cudaStreamDestroy(s);
  return 1000.0 * ms[ms.size() / 2] / per_graph;
}

namespace {
// The copy kernel of measure_copy_kernel_gbps: CTA b copies the 1024 16-byte words from 1024 b, each
// thread four of them 256 apart (all four loads issued before the stores). Short CTAs stream faster
// than a one-wave grid-stride loop: on the H200 3.83-3.95 TB/s for the loop, 4.02-4.18 for 16384-65536
// short CTAs, 4.15-4.26 for cudaMemcpyAsync on a plain stream (bench/results/probes/
// 2026-11-28_h200_copy_ceiling.txt); this form (32768 CTAs for 512 MiB) read 3.99-4.06 in the bench.
constexpr int kCopyThreads = 256, kCopyPerThread = 4;
__global__ void copy16_kernel(const uint4* __restrict__ src, uint4* __restrict__ dst, int64_t n) {
  const int64_t base = blockIdx.x * (int64_t)(kCopyThreads * kCopyPerThread) + threadIdx.x;
  uint4 v[kCopyPerThread];
#pragma unroll
  for (int j = 0; j < kCopyPerThread; ++j)
    if (base + j * kCopyThreads < n) v[j] = src[base + j * kCopyThreads];
#pragma unroll
  for (int j = 0; j < kCopyPerThread; ++j)
    if (base + j * kCopyThreads < n) dst[base + j * kCopyThreads] = v[j];
}
}  // namespace

double measure_copy_kernel_gbps() {
  const size_t bytes = size_t{512} << 20;
  DevBuf a(bytes), b(bytes);
  fill_random_bytes(a.get(), (int64_t)bytes, 1, nullptr);
  cuda_check(cudaDeviceSynchronize(), "copy kernel data");  // time_graph runs on a non-blocking stream
  const int64_t n = (int64_t)(bytes / 16);
  const int grid = (int)((n + kCopyThreads * kCopyPerThread - 1) / (kCopyThreads * kCopyPerThread));
  const double us = time_graph(
      [&](int, cudaStream_t s) {
        copy16_kernel<<<grid, kCopyThreads, 0, s>>>(static_cast<const uint4*>(a.get()), static_cast<uint4*>(b.get()), n);
        cuda_check(cudaGetLastError(), "copy kernel");
      },
      1, 3, 9);
  return 2.0 * (double)bytes / (us * 1e-6) / 1e9;
}

double measure_copy_gbps() {
  const size_t bytes = size_t{512} << 20;
  DevBuf a(bytes), b(bytes);
  fill_random_bytes(a.get(), (int64_t)bytes, 1, nullptr);
  cuda_check(cudaDeviceSynchronize(), "copy data");  // time_graph runs on a non-blocking stream
  const double us = time_graph(
      [&](int, cudaStream_t s) {
        cuda_check(cudaMemcpyAsync(b.get(), a.get(), bytes, cudaMemcpyDeviceToDevice, s), "copy");
      },
      1, 3, 9);
  return 2.0 * (double)bytes / (us * 1e-6) / 1e9;
}

}  // namespace w4a16::kit
