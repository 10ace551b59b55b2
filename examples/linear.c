/* linear.c -- one quantized linear layer through the installed library (find_package(w4a16)):
 *
 *   Y[M,N] = X[M,K] * W^[N,K]^T + bias[N]      bf16 activations, 4-bit weights, groups of 128
 *
 * Random fp32 weights are quantized on the host (w4a16_quantize_host), packed for the family the GPU
 * runs (w4a16_pack_device) and multiplied there (w4a16_gemm); without a GPU the same weights are
 * packed for the CPU backend and multiplied on the host (w4a16_gemm_host). The result is checked
 * against a double-precision product of the dequantized weights (w4a16_dequantize_host); the program
 * exits 0 only if ||Y - ref|| / ||ref|| < 1e-2 (bf16 rounds each output to ~0.4%).
 *
 *   usage: linear [M N K]        default 16 4096 4096; N a multiple of 8, K of 128
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cuda_runtime_api.h>
#include <w4a16/w4a16.h>

#define CHECK(call)                                                                                      \
  do {                                                                                                   \
    w4a16_status st_ = (call);                                                                           \
    if (st_ != W4A16_OK) {                                                                               \
      fprintf(stderr, "%s failed: %s: %s\n", #call, w4a16_status_name(st_), w4a16_last_error());        \
      exit(1);                                                                                           \
    }                                                                                                    \
  } while (0)
#define CHECK_CUDA(call)                                                                                 \
  do {                                                                                                   \
    cudaError_t e_ = (call);                                                                             \
    if (e_ != cudaSuccess) {                                                                             \
      fprintf(stderr, "%s failed: %s\n", #call, cudaGetErrorString(e_));                                 \
      exit(1);                                                                                           \
    }                                                                                                    \
  } while (0)

static uint16_t to_bf16(float f) { /* round to nearest even */
  uint32_t u;
  memcpy(&u, &f, 4);
  u += 0x7fffu + ((u >> 16) & 1u);
  return (uint16_t)(u >> 16);
}
static float from_bf16(uint16_t h) {
  uint32_t u = (uint32_t)h << 16;
  float f;
  memcpy(&f, &u, 4);
  return f;
}
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static float uniform(void) { /* [-1, 1) */
  rng = rng * 6364136223846793005ull + 1442695040888963407ull;
  return (float)((rng >> 40) * (1.0 / 8388608.0)) - 1.0f;
}
static void* xmalloc(size_t bytes) {
  void* p = malloc(bytes ? bytes : 1);
  if (!p) {
    fprintf(stderr, "out of host memory (%zu B)\n", bytes);
    exit(1);
  }
  return p;
}

int main(int argc, char** argv) {
  int64_t m = 16, n = 4096, k = 4096;
  if (argc == 4) {
    m = atoll(argv[1]);
    n = atoll(argv[2]);
    k = atoll(argv[3]);
  } else if (argc != 1) {
    fprintf(stderr, "usage: %s [M N K]\n", argv[0]);
    return 2;
  }
  if (m <= 0 || n <= 0 || k <= 0 || n % 8 || k % 128) {
    fprintf(stderr, "need M, N, K > 0, N a multiple of 8 and K a multiple of 128\n");
    return 2;
  }
  const int32_t group = 128;
  printf("w4a16 %s, M=%lld N=%lld K=%lld, bf16, group %d\n", w4a16_version(), (long long)m, (long long)n,
         (long long)k, group);

  /* Host data: fp32 weights, bf16 activations and bias. */
  float* w = xmalloc((size_t)(n * k) * sizeof(float));
  uint16_t* x = xmalloc((size_t)(m * k) * 2);
  uint16_t* bias = xmalloc((size_t)n * 2);
  uint16_t* y = xmalloc((size_t)(m * n) * 2);
  for (int64_t i = 0; i < n * k; ++i) w[i] = 0.05f * uniform();
  for (int64_t i = 0; i < m * k; ++i) x[i] = to_bf16(uniform());
  for (int64_t i = 0; i < n; ++i) bias[i] = to_bf16(0.1f * uniform());

  /* Quantize to the canonical format (docs/FORMAT.md): codes [n][k/2], scales [n][k/g]. */
  w4a16_canonical c = {n, k, group, 0, W4A16_BF16, NULL, NULL, NULL};
  c.codes = xmalloc((size_t)(n * k / 2));
  c.scales = xmalloc((size_t)(n * (k / group)) * 2);
  CHECK(w4a16_quantize_host(w, W4A16_SRC_FP32, &c));

  w4a16_problem p = {m, n, k, W4A16_BF16, group, 0, 1, 0, 0};
  w4a16_family fam = W4A16_FAMILY_HOST;
  if (w4a16_device_count() > 0) {
    CHECK(w4a16_select_family(-1, &fam));
    w4a16_device_info info;
    CHECK(w4a16_get_device_info(-1, &info));
    printf("device %s (CC %d.%d): family %s\n", info.name, info.cc_major, info.cc_minor, w4a16_family_name(fam));

    cudaStream_t stream;
    CHECK_CUDA(cudaStreamCreate(&stream));
    /* Canonical weights on the device, packed there once for the device's family. */
    w4a16_canonical dc = c;
    CHECK_CUDA(cudaMalloc(&dc.codes, (size_t)(n * k / 2)));
    CHECK_CUDA(cudaMalloc(&dc.scales, (size_t)(n * (k / group)) * 2));
    CHECK_CUDA(cudaMemcpy(dc.codes, c.codes, (size_t)(n * k / 2), cudaMemcpyHostToDevice));
    CHECK_CUDA(cudaMemcpy(dc.scales, c.scales, (size_t)(n * (k / group)) * 2, cudaMemcpyHostToDevice));
    size_t packed_bytes = 0;
    CHECK(w4a16_packed_size(fam, n, k, group, 0, &packed_bytes));
    void* packed;
    CHECK_CUDA(cudaMalloc(&packed, packed_bytes));
    w4a16_weights wt;
    CHECK(w4a16_pack_device(&dc, fam, packed, packed_bytes, &wt, stream));

    void *dx, *dbias, *dy, *ws = NULL;
    CHECK_CUDA(cudaMalloc(&dx, (size_t)(m * k) * 2));
    CHECK_CUDA(cudaMalloc(&dbias, (size_t)n * 2));
    CHECK_CUDA(cudaMalloc(&dy, (size_t)(m * n) * 2));
    CHECK_CUDA(cudaMemcpy(dx, x, (size_t)(m * k) * 2, cudaMemcpyHostToDevice));
    CHECK_CUDA(cudaMemcpy(dbias, bias, (size_t)n * 2, cudaMemcpyHostToDevice));
    size_t ws_bytes = 0;  /* split-K scratch: sized once per shape, needs no zeroing */
    CHECK(w4a16_workspace_size(&p, &wt, &ws_bytes));
    if (ws_bytes) CHECK_CUDA(cudaMalloc(&ws, ws_bytes));
    CHECK(w4a16_gemm(&p, dx, &wt, dbias, dy, ws, ws_bytes, stream));
    CHECK_CUDA(cudaMemcpyAsync(y, dy, (size_t)(m * n) * 2, cudaMemcpyDeviceToHost, stream));
    CHECK_CUDA(cudaStreamSynchronize(stream));
    cudaFree(ws);
    cudaFree(dy);
    cudaFree(dbias);
    cudaFree(dx);
    cudaFree(packed);
    cudaFree(dc.scales);
    cudaFree(dc.codes);
    cudaStreamDestroy(stream);
  } else {
    printf("no CUDA device: the CPU backend runs the product\n");
    size_t packed_bytes = 0;
    CHECK(w4a16_packed_size(fam, n, k, group, 0, &packed_bytes));
    void* packed = xmalloc(packed_bytes);
    w4a16_weights wt;
    CHECK(w4a16_pack_host(&c, fam, packed, packed_bytes, &wt));
    CHECK(w4a16_gemm_host(&p, x, &wt, bias, y));
    free(packed);
  }

  /* Reference: the dequantized weights exactly as the kernels see them, products in double. */
  float* wq = xmalloc((size_t)(n * k) * sizeof(float));
  CHECK(w4a16_dequantize_host(&c, wq));
  double err2 = 0.0, ref2 = 0.0;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double acc = from_bf16(bias[j]);
      for (int64_t l = 0; l < k; ++l) acc += (double)from_bf16(x[i * k + l]) * wq[j * k + l];
      const double d = (double)from_bf16(y[i * n + j]) - acc;
      err2 += d * d;
      ref2 += acc * acc;
    }
  const double rel = sqrt(err2 / (ref2 > 0 ? ref2 : 1.0));
  printf("family %s: ||Y - ref|| / ||ref|| = %.2e (bound 1e-2): %s\n", w4a16_family_name(fam), rel,
         rel < 1e-2 ? "ok" : "FAILED");
  free(wq);
  free(c.scales);
  free(c.codes);
  free(y);
  free(bias);
  free(x);
  free(w);
  return rel < 1e-2 ? 0 : 1;
}
