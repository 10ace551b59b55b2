// ALU work beside wgmma on one SM (twenty-fifth session, H200): does the dequant's ALU stream slow
// down when another warpgroup's wgmmas run, and the wgmmas when ALU work runs beside them?
//   nvcc -O3 -std=c++17 -gencode arch=compute_90a,code=sm_90a -o .carry/interfere bench/results/probes/2026-11-28_alu_tensor_interference.cu
// Not run yet, the next step to find the mechanism (register-file ports, dispatch, pipe throttle): each
// scenario's stall reasons and pipe use, e.g.
//   ncu --section WarpStateStats --section ComputeWorkloadAnalysis -k regex:probe .carry/interfere
// One CTA of 384 threads per SM (132 CTAs); warpgroups 1 and 2 each run a role for a fixed count of
// iterations and record their clock64 span; the span's median over CTAs is printed per scenario.
//   tensor SS: 8 x wgmma m64n64k16 (A and B from shared memory, f32 accumulators), commit, wait<1>
//   tensor RS: the same with A from registers (as the library's consumers)
//   dequant:   8 independent words per iteration, the library's 13-instruction fp16 dequant
//              (shift, 4 lop3, 2 sub.f16x2, 2 fma.f16x2, 4 fma.f16x2 scale) + 1 lop3 to chain
//   lop3 / hfma2: 8 independent chains of 14 lop3.b32 / fma.rn.f16x2 per iteration
//   own: one warpgroup dequantizes into the A registers and issues RS wgmmas on them, the library's
//        consumer loop (dequant of block j+1 while block j's wgmmas run)
#include <cuda_runtime.h>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

__device__ __forceinline__ uint64_t desc_sw128(uint32_t a) {
  return (1ull << 62) | (64ull << 32) | (uint64_t)((a & 0x3FFFF) >> 4);
}
#define ACC32(d)                                                                                                   \
  "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]), "+f"(d[7]), "+f"(d[8]),     \
      "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15]), "+f"(d[16]),      \
      "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), "+f"(d[24]),     \
      "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31])
#define DREGS                                                                                                      \
  "{%0,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15,%16,%17,%18,%19,%20,%21,%22,%23,%24,%25,%26,%27,%28,%29," \
  "%30,%31}"
__device__ __forceinline__ void wgmma_ss(float (&d)[32], uint64_t da, uint64_t db) {
  asm volatile("wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 " DREGS ", %32, %33, 1, 1, 1, 0, 0;\n"
               : ACC32(d) : "l"(da), "l"(db) : "memory");
}
__device__ __forceinline__ void wgmma_rs(float (&d)[32], const uint32_t (&a)[4], uint64_t db) {
  asm volatile("wgmma.mma_async.sync.aligned.m64n64k16.f32.f16.f16 " DREGS ", {%32,%33,%34,%35}, %36, 1, 1, 1, 0;\n"
               : ACC32(d) : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(db) : "memory");
}
__device__ __forceinline__ void fence() { asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory"); }
__device__ __forceinline__ void commit() { asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory"); }
template <int N>
__device__ __forceinline__ void wait_group() { asm volatile("wgmma.wait_group.sync.aligned %0;\n" ::"n"(N) : "memory"); }

__device__ __forceinline__ uint32_t lop3(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t d;
  asm volatile("lop3.b32 %0, %1, %2, %3, 0xEA;" : "=r"(d) : "r"(a), "r"(b), "r"(c));
  return d;
}
__device__ __forceinline__ uint32_t hfma2(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t d;
  asm volatile("fma.rn.f16x2 %0, %1, %2, %3;" : "=r"(d) : "r"(a), "r"(b), "r"(c));
  return d;
}
__device__ __forceinline__ uint32_t hsub2(uint32_t a, uint32_t b) {
  uint32_t d;
  asm volatile("sub.f16x2 %0, %1, %2;" : "=r"(d) : "r"(a), "r"(b));
  return d;
}
__device__ __forceinline__ uint32_t shr8(uint32_t a) {
  uint32_t d;
  asm volatile("shr.b32 %0, %1, 8;" : "=r"(d) : "r"(a));
  return d;
}
// The library's fp16 symmetric dequant of one word (kernels/common/dequant.cuh), scale s.
__device__ __forceinline__ void dequant(uint32_t q, uint32_t s, uint32_t (&o)[4]) {
  const uint32_t q8 = shr8(q);
  const uint32_t lo0 = lop3(q, 0x000F000Fu, 0x64006400u), hi0 = lop3(q, 0x00F000F0u, 0x64006400u);
  const uint32_t lo1 = lop3(q8, 0x000F000Fu, 0x64006400u), hi1 = lop3(q8, 0x00F000F0u, 0x64006400u);
  o[0] = hfma2(hsub2(lo0, 0x64086408u), s, 0u);
  o[1] = hfma2(hfma2(hi0, 0x2C002C00u, 0xD480D480u), s, 0u);
  o[2] = hfma2(hsub2(lo1, 0x64086408u), s, 0u);
  o[3] = hfma2(hfma2(hi1, 0x2C002C00u, 0xD480D480u), s, 0u);
}

enum Role { kIdle = 0, kTensorSS, kTensorRS, kDequant, kLop3, kHfma2, kOwn };
struct Scenario {
  const char* name;
  void (*kernel)(int, int, long long*, uint32_t*);  // probe<role of warpgroup 1, role of warpgroup 2>
};

template <int ROLE>
__device__ __forceinline__ uint32_t run(uint64_t desc, int iters_t, int iters_a) {
  uint32_t out = 0;
  if constexpr (ROLE == kTensorSS || ROLE == kTensorRS) {
    float acc[32];
    for (int r = 0; r < 32; ++r) acc[r] = 0.f;
    uint32_t a[4] = {0x3c003c00u, 0, 0x3c003c00u, 0};
    auto step = [&] {
      fence();
#pragma unroll
      for (int k = 0; k < 8; ++k) {
        if constexpr (ROLE == kTensorSS) wgmma_ss(acc, desc + 2 * (k % 4), desc + 2 * (k % 4));
        else wgmma_rs(acc, a, desc + 2 * (k % 4));
      }
      commit();
      wait_group<1>();
    };
    for (int it = 0; it + 1 < iters_t; it += 2) {  // the own loop's shape (one form gave C7514 here)
      step();
      step();
    }
    wait_group<0>();
    for (int r = 0; r < 32; ++r) asm volatile("" : "+f"(acc[r])::"memory");  // the accumulators are final here
    for (int r = 0; r < 32; ++r) out ^= __float_as_uint(acc[r]);
  } else if constexpr (ROLE == kDequant || ROLE == kLop3 || ROLE == kHfma2) {
    uint32_t w[8];
    for (int j = 0; j < 8; ++j) w[j] = 0x12345678u * (threadIdx.x + j + 1);
    const uint32_t s = 0x3c003c00u ^ (uint32_t)(threadIdx.x & 1);
    for (int it = 0; it < iters_a; ++it) {
#pragma unroll
      for (int j = 0; j < 8; ++j) {
        if constexpr (ROLE == kDequant) {
          uint32_t o[4];
          dequant(w[j], s, o);
          w[j] = lop3(o[0] ^ o[1], o[2], o[3]);  // ^ compiles to a lop3 too: 2 chaining ops per word
        } else if constexpr (ROLE == kLop3) {
#pragma unroll
          for (int q = 0; q < 14; ++q) w[j] = lop3(w[j], 0x0F0F0F0Fu, s);
        } else {
#pragma unroll
          for (int q = 0; q < 14; ++q) w[j] = hfma2(w[j], s, 0x3c003c00u);
        }
      }
    }
    for (int j = 0; j < 8; ++j) out ^= w[j];
  } else if constexpr (ROLE == kOwn) {
    float acc[32];
    for (int r = 0; r < 32; ++r) acc[r] = 0.f;
    uint32_t a0[8][4], a1[8][4];
    uint32_t w[8];
    for (int j = 0; j < 8; ++j) w[j] = 0x12345678u * (threadIdx.x + j + 1);
    const uint32_t s = 0x3c003c00u;
    auto step = [&](uint32_t(&a)[8][4]) {
#pragma unroll
      for (int j = 0; j < 8; ++j) {
        dequant(w[j], s, a[j]);
        w[j] += 0x01010101u;
      }
      fence();
#pragma unroll
      for (int k = 0; k < 8; ++k) wgmma_rs(acc, a[k], desc + 2 * (k % 4));
      commit();
      wait_group<1>();
    };
    for (int it = 0; it + 1 < iters_t; it += 2) {
      step(a0);
      step(a1);
    }
    wait_group<0>();
    for (int r = 0; r < 32; ++r) asm volatile("" : "+f"(acc[r])::"memory");  // the accumulators are final here
    for (int r = 0; r < 32; ++r) out ^= __float_as_uint(acc[r]);
  }
  return out;
}

template <int R1, int R2>
__global__ void __launch_bounds__(384, 1) probe(int iters_t, int iters_a, long long* spans, uint32_t* sink) {
  __shared__ __align__(1024) uint8_t tile[8192];
  for (int i = threadIdx.x; i < 8192 / 4; i += blockDim.x) reinterpret_cast<uint32_t*>(tile)[i] = 0x3c003c00u * (i & 1);
  __syncthreads();
  // warpgroup index through a shuffle so ptxas sees warp-uniform role branches (else C7520)
  const int wg = __shfl_sync(0xffffffffu, (int)threadIdx.x / 128, 0);
  if (wg == 0) return;
  const uint64_t desc = desc_sw128((uint32_t)__cvta_generic_to_shared(tile));
  const long long t0 = clock64();
  const uint32_t out = wg == 1 ? run<R1>(desc, iters_t, iters_a) : run<R2>(desc, iters_t, iters_a);
  const long long t1 = clock64();
  const int role = wg == 1 ? R1 : R2;
  if ((threadIdx.x & 127) == 0) spans[blockIdx.x * 2 + (wg - 1)] = role == kIdle ? 0 : t1 - t0;
  if (out == 0x9e3779b9u) sink[blockIdx.x] = out;
}

int main() {
  int sms = 0;
  cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0);
  long long* spans;
  uint32_t* sink;
  cudaMalloc(&spans, sizeof(long long) * 2 * sms);
  cudaMalloc(&sink, 4 * sms);
  const int it_t = 4000, it_a = 4000;
  const Scenario sc[] = {
      {"tensor SS alone", probe<kTensorSS, kIdle>},      {"tensor RS alone", probe<kTensorRS, kIdle>},
      {"two tensor SS", probe<kTensorSS, kTensorSS>},    {"dequant alone", probe<kIdle, kDequant>},
      {"two dequant", probe<kDequant, kDequant>},        {"lop3 alone", probe<kIdle, kLop3>},
      {"hfma2 alone", probe<kIdle, kHfma2>},             {"tensor SS + dequant", probe<kTensorSS, kDequant>},
      {"tensor RS + dequant", probe<kTensorRS, kDequant>}, {"tensor SS + lop3", probe<kTensorSS, kLop3>},
      {"tensor SS + hfma2", probe<kTensorSS, kHfma2>},   {"own loop alone", probe<kOwn, kIdle>},
      {"two own loops", probe<kOwn, kOwn>},              {"own loop + dequant", probe<kOwn, kDequant>},
  };
  std::printf("iterations: tensor %d (8 wgmma m64n64k16 each), ALU %d (8 words x 14 instructions each)\n", it_t, it_a);
  std::printf("%-24s %14s %14s   (median clock64 span per warpgroup over %d CTAs)\n", "scenario", "wg1 cycles",
              "wg2 cycles", sms);
  for (const Scenario& s : sc) {
    for (int rep = 0; rep < 2; ++rep) s.kernel<<<sms, 384>>>(it_t, it_a, spans, sink);
    cudaError_t e = cudaDeviceSynchronize();
    if (e != cudaSuccess) {
      std::printf("%s: %s\n", s.name, cudaGetErrorString(e));
      return 1;
    }
    std::vector<long long> h(2 * sms);
    cudaMemcpy(h.data(), spans, h.size() * 8, cudaMemcpyDeviceToHost);
    long long med[2];
    for (int w = 0; w < 2; ++w) {
      std::vector<long long> v;
      for (int b = 0; b < sms; ++b) v.push_back(h[2 * b + w]);
      std::nth_element(v.begin(), v.begin() + sms / 2, v.end());
      med[w] = v[sms / 2];
    }
    std::printf("%-24s %14lld %14lld\n", s.name, med[0], med[1]);
  }
  return 0;
}
