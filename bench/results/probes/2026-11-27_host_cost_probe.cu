// Probe (tenth session): where the host time of one w4a16_gemm goes. Build on the device:
//   nvcc -O2 -std=c++17 -arch=sm_90a -Iinclude bench/results/probes/2026-11-27_host_cost_probe.cu \
//        -Lbuild-carry -lw4a16 -Xlinker -rpath=build-carry -o /tmp/hostprobe
#include <cuda_runtime.h>
#include <w4a16/w4a16.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

struct Big { char b[600]; };
__global__ void empty_kernel(Big) {}

template <class F>
double per_call_us(int calls, F f) {
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < calls; ++i) f();
  const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count();
  cudaDeviceSynchronize();
  return us / calls;
}

int main() {
  const int64_t shapes[][3] = {{1, 4096, 4096}, {16, 8192, 8192}, {1, 28672, 4096}, {64, 8192, 8192}, {1, 1024, 1024}};
  cudaStream_t s;
  cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking);
  for (w4a16_family fam : {W4A16_FAMILY_SM90, W4A16_FAMILY_SM80}) {
    for (const auto& sh : shapes) {
      const int64_t m = sh[0], n = sh[1], k = sh[2];
      void *codes, *scales, *x, *y, *ws, *packed;
      cudaMalloc(&codes, n * k / 2);
      cudaMemset(codes, 0x37, n * k / 2);
      cudaMalloc(&scales, n * (k / 128) * 2);
      cudaMemset(scales, 0x11, n * (k / 128) * 2);
      cudaMalloc(&x, m * k * 2);
      cudaMemset(x, 0x11, m * k * 2);
      cudaMalloc(&y, m * n * 2);
      w4a16_canonical c{n, k, 128, 0, W4A16_FP16, codes, scales, nullptr};
      size_t bytes = 0;
      w4a16_packed_size(fam, n, k, 128, 0, &bytes);
      cudaMalloc(&packed, bytes);
      w4a16_weights w{};
      if (w4a16_pack_device(&c, fam, packed, bytes, &w, s) != W4A16_OK) { std::printf("pack: %s\n", w4a16_last_error()); return 1; }
      w4a16_problem p{m, n, k, W4A16_FP16, 128, 0, 0, 0, 0};
      size_t wsb = 0;
      w4a16_workspace_size(&p, &w, &wsb);
      cudaMalloc(&ws, wsb + 16);
      cudaMemset(ws, 0, wsb + 16);
      cudaDeviceSynchronize();
      int32_t cfg = -1;
      w4a16_chosen_config(&p, &w, &cfg);
      const char* name = "";
      w4a16_config_name(fam, cfg, &name);
      for (int i = 0; i < 20; ++i) w4a16_gemm(&p, x, &w, nullptr, y, ws, wsb, s);
      cudaDeviceSynchronize();
      const int calls = 50;
      const double plan = per_call_us(calls, [&] { size_t b; w4a16_workspace_size(&p, &w, &b); });
      const double gemm = per_call_us(calls, [&] { w4a16_gemm(&p, x, &w, nullptr, y, ws, wsb, s); });
      std::printf("%s %-16s M=%lld N=%lld K=%lld: w4a16_workspace_size %.2f us, w4a16_gemm %.2f us\n",
                  w4a16_family_name(fam), name, (long long)m, (long long)n, (long long)k, plan, gemm);
      cudaFree(codes); cudaFree(scales); cudaFree(x); cudaFree(y); cudaFree(ws); cudaFree(packed);
    }
  }
  // The floor: launches of an empty kernel with a 600-byte parameter (4 tensor maps + params), plain
  // and with the programmatic-serialization attribute.
  Big big{};
  for (int pdl = 0; pdl < 2; ++pdl) {
    cudaLaunchAttribute attr[1];
    attr[0].id = cudaLaunchAttributeProgrammaticStreamSerialization;
    attr[0].val.programmaticStreamSerializationAllowed = 1;
    cudaLaunchConfig_t cfg{};
    cfg.gridDim = dim3(128);
    cfg.blockDim = dim3(384);
    cfg.stream = s;
    cfg.attrs = attr;
    cfg.numAttrs = pdl;
    for (int i = 0; i < 20; ++i) cudaLaunchKernelEx(&cfg, empty_kernel, big);
    cudaDeviceSynchronize();
    std::printf("cudaLaunchKernelEx, empty kernel, 600-byte parameter%s: %.2f us\n", pdl ? ", PDL attribute" : "",
                per_call_us(50, [&] { cudaLaunchKernelEx(&cfg, empty_kernel, big); }));
  }
  int dev = 0, cnt = 0;
  std::printf("cudaGetDeviceCount + cudaGetDevice: %.3f us\n", per_call_us(1000, [&] { cudaGetDeviceCount(&cnt); cudaGetDevice(&dev); }));
  cudaFuncAttributes fa;
  std::printf("cudaFuncGetAttributes: %.3f us\n", per_call_us(1000, [&] { cudaFuncGetAttributes(&fa, empty_kernel); }));
  return 0;
}
