// Probe (forty-fourth session): what w4a16_gemm does today when X, Y, bias or the packed weights are
// not device memory of the current device, and what a per-call check with cudaPointerGetAttributes
// would cost. Every case runs in a child process of its own (an illegal address kills the context),
// and the parent never touches CUDA, so fork is safe.
//
//   g++ -O2 -std=c++17 ptr_probe.cpp -I include -I $CUDA/include -L build-carry -lw4a16 -L $CUDA/lib64 -lcudart
#include <cuda_runtime_api.h>
#include <sys/wait.h>
#include <unistd.h>
#include <w4a16/w4a16.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <vector>

namespace {

enum Kind { kDevice, kPageable, kPinned, kManaged, kRegistered };
const char* kind_name(Kind k) {
  static const char* n[] = {"device", "pageable", "pinned", "managed", "registered"};
  return n[k];
}

void* alloc(Kind k, size_t bytes) {
  void* p = nullptr;
  switch (k) {
    case kDevice: cudaMalloc(&p, bytes); break;
    case kPageable: p = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096); std::memset(p, 0, bytes); break;
    case kPinned: cudaMallocHost(&p, bytes); break;
    case kManaged: cudaMallocManaged(&p, bytes); break;
    case kRegistered:
      p = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);
      std::memset(p, 0, bytes);
      cudaHostRegister(p, bytes, cudaHostRegisterDefault);
      break;
  }
  return p;
}

// One product with the named operand in memory of kind `k` (the others device memory).
int one_case(int64_t m, int64_t n, int64_t kk, int fam_sm80, const char* operand, Kind k) {
  const int32_t g = 128;
  std::vector<float> w(n * kk);
  unsigned s = 12345;
  for (auto& v : w) v = ((s = s * 1103515245u + 12345u) >> 8) * (1.0f / 16777216.0f) - 0.5f;
  std::vector<uint8_t> codes(n * kk / 2);
  std::vector<uint16_t> scales(n * (kk / g));
  w4a16_canonical c = {n, kk, g, 0, W4A16_FP16, codes.data(), scales.data(), nullptr};
  if (w4a16_quantize_host(w.data(), W4A16_SRC_FP32, &c) != W4A16_OK) return 90;
  w4a16_family fam;
  if (fam_sm80) fam = W4A16_FAMILY_SM80;
  else if (w4a16_select_family(-1, &fam) != W4A16_OK) return 91;
  size_t pb = 0;
  w4a16_packed_size(fam, n, kk, g, 0, &pb);
  std::vector<uint8_t> packed(pb);
  w4a16_weights wt;
  if (w4a16_pack_host(&c, fam, packed.data(), pb, &wt) != W4A16_OK) return 92;
  const bool on_w = !std::strcmp(operand, "weights"), on_x = !std::strcmp(operand, "x"),
             on_y = !std::strcmp(operand, "y"), on_b = !std::strcmp(operand, "bias");
  void* wd = alloc(on_w ? k : kDevice, pb);
  cudaMemcpy(wd, packed.data(), pb, cudaMemcpyDefault);
  w4a16_weights_set_data(&wt, wd, 1);
  void* x = alloc(on_x ? k : kDevice, m * kk * 2);
  void* y = alloc(on_y ? k : kDevice, m * n * 2);
  void* b = alloc(on_b ? k : kDevice, n * 2);
  cudaMemset(x, 0, 0);
  w4a16_problem p = {m, n, kk, W4A16_FP16, g, 0, 1, 0, 0};
  size_t wsb = 0;
  w4a16_workspace_size(&p, &wt, &wsb);
  void* ws = nullptr;
  if (wsb) {
    cudaMalloc(&ws, wsb);
    w4a16_workspace_init(ws, wsb, nullptr);
  }
  cudaDeviceSynchronize();
  const w4a16_status st = w4a16_gemm(&p, x, &wt, b, y, ws, wsb, nullptr);
  const cudaError_t e = cudaDeviceSynchronize();
  std::printf("  %-4s %-8s %-10s M=%lld: status %s (%s); sync: %s\n", fam_sm80 ? "sm80" : "auto", operand,
              kind_name(k), (long long)m, w4a16_status_name(st), st ? w4a16_last_error() : "", cudaGetErrorName(e));
  return 0;
}

void attr_cost() {
  void* ptrs[5];
  for (int k = 0; k < 5; ++k) ptrs[k] = alloc(Kind(k), 1 << 20);
  for (int k = 0; k < 5; ++k) {
    cudaPointerAttributes a;
    cudaPointerGetAttributes(&a, ptrs[k]);
    const int iters = 200000;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < iters; ++i) cudaPointerGetAttributes(&a, static_cast<char*>(ptrs[k]) + (i & 255) * 64);
    const double ns =
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / iters;
    std::printf("  cudaPointerGetAttributes %-10s: %.1f ns/call, type %d device %d devicePointer %p\n",
                kind_name(Kind(k)), ns, (int)a.type, a.device, a.devicePointer);
  }
  int hmm = 0, pma = 0;
  cudaDeviceGetAttribute(&pma, cudaDevAttrPageableMemoryAccess, 0);
  cudaDeviceGetAttribute(&hmm, cudaDevAttrPageableMemoryAccessUsesHostPageTables, 0);
  std::printf("  cudaDevAttrPageableMemoryAccess %d, ...UsesHostPageTables %d\n", pma, hmm);
}

void in_child(const std::function<void()>& f) {
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    f();
    std::fflush(stdout);
    _exit(0);
  }
  int st = 0;
  waitpid(pid, &st, 0);
  if (!WIFEXITED(st) || WEXITSTATUS(st)) std::printf("  (child ended: status 0x%x)\n", st);
}

}  // namespace

int main() {
  in_child(attr_cost);
  for (int sm80 = 0; sm80 < 2; ++sm80)
    for (const char* op : {"x", "y", "bias", "weights"})
      for (Kind k : {kPageable, kPinned, kManaged, kRegistered})
        for (int64_t m : {1, 16, 256})
          in_child([&] { one_case(m, 4096, 4096, sm80, op, k); });
  in_child([] { one_case(16, 4096, 4096, 0, "x", kDevice); });
  return 0;
}
