// Probe (forty-fourth session): the host cost of the residence check on its remembered path, against a whole
// w4a16_gemm enqueue. Links the static library for the internal check_reachable.
//   g++ -O2 -std=c++17 -I include -I src -I /usr/local/cuda/include residence_cost.cpp build-carry/libw4a16_static.a
//       -L /usr/local/cuda/lib64 -lcudart -lpthread
#include <cuda_runtime_api.h>
#include <w4a16/w4a16.h>

#include <chrono>
#include <cstdio>
#include <vector>

#include "dispatch/device.h"
#include "dispatch/residence.h"

int main() {
  const int64_t m = 1, n = 4096, k = 4096;
  std::vector<float> w(n * k);
  unsigned s = 1;
  for (auto& v : w) v = ((s = s * 1103515245u + 12345u) >> 8) * (1.0f / 16777216.0f) - 0.5f;
  std::vector<uint8_t> codes(n * k / 2);
  std::vector<uint16_t> scales(n * (k / 128));
  w4a16_canonical c = {n, k, 128, 0, W4A16_FP16, codes.data(), scales.data(), nullptr};
  if (w4a16_quantize_host(w.data(), W4A16_SRC_FP32, &c)) return 1;
  w4a16_family fam;
  w4a16_select_family(-1, &fam);
  size_t pb = 0;
  w4a16_packed_size(fam, n, k, 128, 0, &pb);
  std::vector<uint8_t> packed(pb);
  w4a16_weights wt;
  if (w4a16_pack_host(&c, fam, packed.data(), pb, &wt)) return 2;
  void *wd, *x, *y, *b;
  cudaMalloc(&wd, pb);
  cudaMemcpy(wd, packed.data(), pb, cudaMemcpyHostToDevice);
  w4a16_weights_set_data(&wt, wd, 1);
  cudaMalloc(&x, m * k * 2);
  cudaMalloc(&y, m * n * 2);
  cudaMalloc(&b, n * 2);
  cudaMemset(x, 0, m * k * 2);
  cudaMemset(b, 0, n * 2);
  const w4a16_problem p = {m, n, k, W4A16_FP16, 128, 0, 1, 0, 0};
  cudaStream_t st;
  cudaStreamCreate(&st);
  const w4a16::DeviceProps* d = nullptr;
  int dev = 0;
  w4a16::device_props(-1, &d, &dev);
  using clk = std::chrono::steady_clock;
  for (int rep = 0; rep < 3; ++rep) {
    const int checks = 1000000;
    auto t0 = clk::now();
    for (int i = 0; i < checks; ++i)
      w4a16::check_reachable({{x, (size_t)k * 2, "x"}, {y, (size_t)n * 2, "y", true}, {wd, pb, "w"}, {b, (size_t)n * 2, "b"}},
                             *d, dev, st);
    const double check_ns = std::chrono::duration<double, std::nano>(clk::now() - t0).count() / checks;
    const int calls = 20000;
    double host = 0;
    for (int i = 0; i < calls; i += 100) {
      t0 = clk::now();
      for (int j = 0; j < 100; ++j) w4a16_gemm(&p, x, &wt, b, y, nullptr, 0, st);
      host += std::chrono::duration<double, std::micro>(clk::now() - t0).count();
      cudaStreamSynchronize(st);
    }
    std::printf("rep %d: check_reachable over 4 remembered buffers %.1f ns per call; w4a16_gemm enqueue %.2f us per "
                "call (4096^2 M=1, 100 back to back between syncs)\n", rep, check_ns, host / calls);
  }
  return 0;
}
