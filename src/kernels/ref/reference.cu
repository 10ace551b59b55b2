// reference.cu -- the simple GPU reference (family REFERENCE): one thread per output, canonical
// weights, W^ rounded to the dtype exactly as the fast kernels (one rounding of the exact q*s + z),
// fp32 products (exact for 16-bit inputs) summed in fp64. Obviously correct, not fast; it lets the
// tests and `w4a16 bench` check problems too large for the CPU reference.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cstdint>

#include "host/layout.h"
#include "kernels/launch.h"

namespace w4a16 {
namespace {

template <bool BF16>
__device__ float to_f(uint16_t b) {
  if constexpr (BF16) return __bfloat162float(__ushort_as_bfloat16(b));
  else return __half2float(__ushort_as_half(b));
}

template <bool BF16>
__device__ float round_dtype(double v) {
  if constexpr (BF16) return __bfloat162float(__double2bfloat16(v));
  else return __half2float(__double2half(v));
}

template <bool BF16>
__global__ void reference_kernel(const uint16_t* __restrict__ x, int64_t lda, const uint8_t* __restrict__ codes,
                                 const uint16_t* __restrict__ scales, const uint16_t* __restrict__ zeros,
                                 const uint16_t* __restrict__ bias, int64_t m_begin, int64_t m_count, int64_t n,
                                 int64_t k, int64_t g, uint16_t* __restrict__ y, int64_t ldy, float* __restrict__ y32) {
  const int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
  if (idx >= m_count * n) return;
  const int64_t row = idx % n, mi = idx / n, m = m_begin + mi;
  const int64_t groups = k / g;
  double acc = 0.0;
  for (int64_t i = 0; i < k; ++i) {
    const int q = (codes[(row * k + i) / 2] >> ((i & 1) * 4)) & 15;
    const double s = to_f<BF16>(scales[row * groups + i / g]);
    const double w = zeros ? q * s + (double)to_f<BF16>(zeros[row * groups + i / g]) : (q - 8) * s;
    acc += (double)(to_f<BF16>(x[m * lda + i]) * round_dtype<BF16>(w));
  }
  if (bias) acc += to_f<BF16>(bias[row]);
  if (y32) {
    y32[mi * n + row] = (float)acc;
  } else if constexpr (BF16) {
    y[m * ldy + row] = __bfloat16_as_ushort(__double2bfloat16(acc));
  } else {
    y[m * ldy + row] = __half_as_ushort(__double2half(acc));
  }
}

}  // namespace

w4a16_status launch_reference(const GemmArgs& a, float* y_f32, int64_t m_begin, int64_t m_count, cudaStream_t stream) {
  const Problem& p = *a.p;
  const layout::Sections s = layout::canonical_sections(p.n, p.k, p.group, p.zeros);
  const auto* base = static_cast<const uint8_t*>(a.w->data);
  const auto* codes = base + s.codes_off;
  const auto* scales = reinterpret_cast<const uint16_t*>(base + s.scales_off);
  const auto* zeros = p.zeros ? reinterpret_cast<const uint16_t*>(base + s.zeros_off) : nullptr;
  const int64_t total = m_count * p.n;
  const int blocks = (int)layout::ceil_div(total, 256);
  auto* kernel = p.bf16 ? &reference_kernel<true> : &reference_kernel<false>;
  // cudaLaunchKernelEx returns the launch's own result, so an error the caller left pending is not taken
  // for this product's (as in the other families: check_launch with a plan).
  cudaLaunchConfig_t cfg{};
  cfg.gridDim = dim3((unsigned)blocks);
  cfg.blockDim = dim3(256);
  cfg.stream = stream;
  const cudaError_t launched =
      cudaLaunchKernelEx(&cfg, kernel, static_cast<const uint16_t*>(a.x), (int64_t)p.lda, codes, scales, zeros,
                         static_cast<const uint16_t*>(a.bias), m_begin, m_count, (int64_t)p.n, (int64_t)p.k,
                         (int64_t)p.group, static_cast<uint16_t*>(a.y), (int64_t)p.ldy, y_f32);
  if (launched == cudaSuccess) return W4A16_OK;
  cudaGetLastError();  // the launch's error, also recorded as the thread's last error
  return fail(cuda_status(launched), "launching the w4a16 reference kernel (%d blocks) failed: %s (%s)%s", blocks,
              cudaGetErrorName(launched), cudaGetErrorString(launched), cuda_hint(launched).c_str());
}

}  // namespace w4a16
