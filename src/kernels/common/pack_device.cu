// pack_device.cu -- canonical <-> packed (mma layout) on the device, one thread per output element,
// using the same layout functions the host packer and the tests use (src/host/layout.h).
#include <cstdint>

#include "host/layout.h"
#include "kernels/launch.h"

namespace w4a16 {
namespace {

__global__ void pack_codes_kernel(const uint8_t* __restrict__ codes, int64_t n, int64_t k, int64_t ka, int64_t bytes,
                                  uint8_t* __restrict__ dst) {
  for (int64_t b = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; b < bytes; b += (int64_t)gridDim.x * blockDim.x) {
    uint8_t v = 0;
    for (int nib = 0; nib < 2; ++nib) {
      int64_t r, c;
      layout::mma_code_source(b, nib, ka, &r, &c);
      if (r < n && c < k) v |= (uint8_t)(((codes[(r * k + c) / 2] >> ((c & 1) * 4)) & 15) << (4 * nib));
    }
    dst[b] = v;
  }
}

__global__ void pack_scales_kernel(const uint16_t* __restrict__ src, int64_t n, int64_t n16, int64_t groups,
                                   uint16_t* __restrict__ dst) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < groups * n16;
       i += (int64_t)gridDim.x * blockDim.x) {
    const int64_t grp = i / n16, r = layout::mma_scale_row(i % n16);
    dst[i] = r < n ? src[r * groups + grp] : (uint16_t)0;
  }
}

__global__ void unpack_codes_kernel(const uint8_t* __restrict__ packed, int64_t n, int64_t k, int64_t ka,
                                    uint8_t* __restrict__ codes) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n * k / 2; i += (int64_t)gridDim.x * blockDim.x) {
    const int64_t r = (2 * i) / k, c = (2 * i) % k;
    int64_t b0, b1;
    int s0, s1;
    layout::mma_code_pos(r, c, ka, &b0, &s0);
    layout::mma_code_pos(r, c + 1, ka, &b1, &s1);
    codes[i] = (uint8_t)(((packed[b0] >> s0) & 15) | (((packed[b1] >> s1) & 15) << 4));
  }
}

__global__ void unpack_scales_kernel(const uint16_t* __restrict__ packed, int64_t n, int64_t n16, int64_t groups,
                                     uint16_t* __restrict__ dst) {
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n * groups; i += (int64_t)gridDim.x * blockDim.x)
    dst[i] = packed[layout::mma_scale_index(i / groups, i % groups, n16)];
}

// Sets *big when some scale is not a small one (layout::small_scale).
__global__ void small_scales_kernel(const uint16_t* __restrict__ s, int64_t count, bool bf16, int* __restrict__ big) {
  bool found = false;
  for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < count; i += (int64_t)gridDim.x * blockDim.x)
    found |= !layout::small_scale(s[i], bf16);
  if (found) atomicOr(big, 1);
}

int grid_for(int64_t work) { return (int)std::min<int64_t>(layout::ceil_div(work, 256), 4096); }

}  // namespace

// The flag's 4 bytes come from the stream-ordered allocator where the device has memory pools, so only
// `stream` is waited for (the read-back into pageable memory and the synchronize); elsewhere, or where
// that allocation fails (e.g. an application's size-capped pool), from cudaMalloc, whose cudaFree
// synchronizes the device. A failure is reported and cleared from the runtime's last error, so the next
// launch check does not report it as its own.
w4a16_status check_small_scales(const uint16_t* scales, int64_t count, bool bf16, cudaStream_t stream, bool* small) {
  *small = false;
  int dev = 0, pools = 0;
  cudaError_t e = cudaGetDevice(&dev);
  if (e == cudaSuccess) e = cudaDeviceGetAttribute(&pools, cudaDevAttrMemoryPoolsSupported, dev);
  const char* step = "cudaDeviceGetAttribute (memory pools)";
  int* big = nullptr;
  int h = 1;
  if (e == cudaSuccess) {
    bool async = pools != 0;
    if (async && cudaMallocAsync(reinterpret_cast<void**>(&big), sizeof(int), stream) != cudaSuccess) {
      cudaGetLastError();
      async = false;
    }
    if (!async) e = cudaMalloc(&big, sizeof(int));
    step = "cudaMalloc (4 bytes)";
    if (e == cudaSuccess) {
      e = cudaMemsetAsync(big, 0, sizeof(int), stream);
      step = "cudaMemsetAsync";
      if (e == cudaSuccess) {
        small_scales_kernel<<<grid_for(count), 256, 0, stream>>>(scales, count, bf16, big);
        e = cudaGetLastError();
        step = "small_scales_kernel";
      }
      if (e == cudaSuccess) {
        e = cudaMemcpyAsync(&h, big, sizeof(int), cudaMemcpyDeviceToHost, stream);
        step = "reading the flag back";
      }
      if (e == cudaSuccess) {
        e = cudaStreamSynchronize(stream);
        step = "cudaStreamSynchronize";
      }
      const cudaError_t freed = async ? cudaFreeAsync(big, stream) : cudaFree(big);
      if (e == cudaSuccess && freed != cudaSuccess) {
        e = freed;
        step = "freeing the flag";
      }
    }
  }
  if (e != cudaSuccess) {
    cudaGetLastError();
    return fail(cuda_status(e), "the pack's scale check (%s) failed: %s (%s)%s", step, cudaGetErrorName(e),
                cudaGetErrorString(e), cuda_hint(e).c_str());
  }
  *small = h == 0;
  return W4A16_OK;
}

w4a16_status launch_pack_mma(const w4a16_canonical& src, int64_t g, void* dst, cudaStream_t stream) {
  const layout::Sections s = layout::mma_sections(src.n, src.k, g, src.has_zeros != 0);
  auto* d = static_cast<uint8_t*>(dst);
  if (cudaMemsetAsync(d, 0, s.total, stream) != cudaSuccess) return check_launch("cudaMemsetAsync(packed)");
  const int64_t cb = (int64_t)s.codes_bytes, sc = s.groups * s.n16;
  pack_codes_kernel<<<grid_for(cb), 256, 0, stream>>>(static_cast<const uint8_t*>(src.codes), src.n, src.k, s.ka, cb,
                                                       d + s.codes_off);
  pack_scales_kernel<<<grid_for(sc), 256, 0, stream>>>(static_cast<const uint16_t*>(src.scales), src.n, s.n16,
                                                        s.groups, reinterpret_cast<uint16_t*>(d + s.scales_off));
  if (src.has_zeros)
    pack_scales_kernel<<<grid_for(sc), 256, 0, stream>>>(static_cast<const uint16_t*>(src.zeros), src.n, s.n16,
                                                          s.groups, reinterpret_cast<uint16_t*>(d + s.zeros_off));
  return check_launch("w4a16 pack kernels");
}

w4a16_status launch_unpack_mma(const w4a16_weights& w, const w4a16_canonical& dst, cudaStream_t stream) {
  const layout::Sections s = layout::mma_sections(w.n, w.k, w.group_size, w.has_zeros != 0);
  const auto* d = static_cast<const uint8_t*>(w.data);
  unpack_codes_kernel<<<grid_for(w.n * w.k / 2), 256, 0, stream>>>(d + s.codes_off, w.n, w.k, s.ka,
                                                                   static_cast<uint8_t*>(dst.codes));
  unpack_scales_kernel<<<grid_for(w.n * s.groups), 256, 0, stream>>>(
      reinterpret_cast<const uint16_t*>(d + s.scales_off), w.n, s.n16, s.groups, static_cast<uint16_t*>(dst.scales));
  if (w.has_zeros)
    unpack_scales_kernel<<<grid_for(w.n * s.groups), 256, 0, stream>>>(
        reinterpret_cast<const uint16_t*>(d + s.zeros_off), w.n, s.n16, s.groups, static_cast<uint16_t*>(dst.zeros));
  return check_launch("w4a16 unpack kernels");
}

}  // namespace w4a16
