// bimodal_replays.cu -- probe 87b: per-replay times of one allocation, in order, to tell a per-allocation
// mode (all replays of one allocation alike, modes differing between allocations) from a temporal one
// (modes mixed within one allocation's replays). Builds against the carried build's libraries:
//   nvcc -O2 -std=c++17 -arch=sm_90a -I include -I src bench/results/probes/2026-11-28_bimodal_replays.cu \
//     build-carry/libw4a16_kit.a build-carry/libw4a16_static.a -lcuda -o /tmp/replays
//   /tmp/replays M N K ALLOCS BLOCKS REPLAYS
// For each of ALLOCS allocations of the rotation copies: BLOCKS blocks of REPLAYS graph replays (each
// replay = one pass over the copies; per-launch us printed with the SM clock measured by a one-thread
// kernel right after the replay, us@MHz), 100 ms idle between blocks.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "testkit/problem.h"

using namespace w4a16;
using namespace w4a16::kit;

// The SM clock now: %clock64 against %globaltimer over ~20 us of spinning, in MHz.
__global__ void sm_clock_mhz(float* out) {
  uint64_t t0, t1;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t0));
  const long long c0 = clock64();
  do {
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t1));
  } while (t1 - t0 < 20000);
  const long long c1 = clock64();
  *out = (float)(c1 - c0) * 1000.f / (float)(t1 - t0);
}

int main(int argc, char** argv) {
  if (argc < 7) return 2;
  const int64_t m = atoll(argv[1]), n = atoll(argv[2]), k = atoll(argv[3]);
  const int allocs = atoi(argv[4]), blocks = atoi(argv[5]), replays = atoi(argv[6]);
  DeviceProblem dp;
  dp.init(make_problem(m, n, k, false, 128, false, false), W4A16_FAMILY_SM90, 12345);
  dp.ensure_workspace(-1);
  cudaStream_t s;
  cuda_check(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "stream");
  float* d_mhz = nullptr;
  cuda_check(cudaMalloc(&d_mhz, sizeof(float)), "malloc");
  cudaEvent_t a, b;
  cuda_check(cudaEventCreate(&a), "event");
  cuda_check(cudaEventCreate(&b), "event");
  for (int al = 0; al < allocs; ++al) {
    const int r = rotation_copies(dp.packed.bytes() + (size_t)(m * k * 2));
    std::vector<DevBuf> wcopy, xcopy, ycopy;
    std::vector<w4a16_weights> ws((size_t)r, dp.w);
    // A spacer of a different size each time, so the copies land elsewhere.
    DevBuf spacer((size_t)(al * 37 + 1) << 20);
    for (int i = 1; i < r; ++i) {
      wcopy.emplace_back(dp.packed.bytes());
      cuda_check(cudaMemcpy(wcopy.back().get(), dp.packed.get(), dp.packed.bytes(), cudaMemcpyDeviceToDevice), "w");
      api_check(w4a16_weights_set_data(&ws[(size_t)i], wcopy.back().get(), 1), "set_data");
      xcopy.emplace_back(dp.x.bytes());
      cuda_check(cudaMemcpy(xcopy.back().get(), dp.x.get(), dp.x.bytes(), cudaMemcpyDeviceToDevice), "x");
      ycopy.emplace_back(dp.y.bytes());
    }
    const int per_graph = std::max(r, 8);
    cudaGraph_t graph;
    cudaGraphExec_t exec;
    cuda_check(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal), "capture");
    for (int i = 0; i < per_graph; ++i) {
      const int j = i % r;
      api_check(w4a16_gemm_config(&dp.p, j == 0 ? dp.x.get() : xcopy[(size_t)j - 1].get(), &ws[(size_t)j],
                                  nullptr, j == 0 ? dp.y.get() : ycopy[(size_t)j - 1].get(), dp.ws.get(),
                                  dp.ws_bytes, -1, s),
                "gemm");
    }
    cuda_check(cudaStreamEndCapture(s, &graph), "end capture");
    cuda_check(cudaGraphInstantiate(&exec, graph, 0), "instantiate");
    for (int bl = 0; bl < blocks; ++bl) {
      const auto t0 = std::chrono::steady_clock::now();
      do {  // 30 ms warm-up, as the bench
        for (int i = 0; i < 8; ++i) cuda_check(cudaGraphLaunch(exec, s), "launch");
        cuda_check(cudaStreamSynchronize(s), "sync");
      } while (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count() < 30.0);
      std::vector<float> us((size_t)replays);
      std::vector<float> mhz((size_t)replays);  // the SM clock right after each replay (sm_clock_mhz)
      for (int i = 0; i < replays; ++i) {
        cuda_check(cudaEventRecord(a, s), "rec");
        cuda_check(cudaGraphLaunch(exec, s), "launch");
        cuda_check(cudaEventRecord(b, s), "rec");
        cuda_check(cudaEventSynchronize(b), "sync");
        float ms = 0;
        cuda_check(cudaEventElapsedTime(&ms, a, b), "elapsed");
        us[(size_t)i] = 1000.f * ms / (float)per_graph;
        sm_clock_mhz<<<1, 1, 0, s>>>(d_mhz);
        cuda_check(cudaMemcpyAsync(&mhz[(size_t)i], d_mhz, sizeof(float), cudaMemcpyDeviceToHost, s), "mhz");
        cuda_check(cudaStreamSynchronize(s), "sync");
      }
      std::vector<float> sorted = us;
      std::sort(sorted.begin(), sorted.end());
      std::printf("alloc %d block %d (r %d): median %.2f min %.2f max %.2f |", al, bl, r, sorted[sorted.size() / 2],
                  sorted.front(), sorted.back());
      for (int i = 0; i < replays; ++i) std::printf(" %.1f@%.0f", us[(size_t)i], mhz[(size_t)i]);
      std::printf("\n");
      std::fflush(stdout);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(graph);
  }
  return 0;
}
