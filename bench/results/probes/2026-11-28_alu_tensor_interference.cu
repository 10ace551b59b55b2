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
// Twenty-sixth session, roles that tell the mechanisms apart (register-file traffic of the accumulators,
// register reads of the ALU instruction, pipe):
//   tensor SS f16acc: the SS loop with f16 accumulators (half the accumulator bytes per product)
//   tensor SS n128:   m64n128k16, f32 accumulators (twice the work per instruction, the same bytes per product)
//   lop3i: lop3 with one register operand (two immediates) alternating with add.u32 of an immediate (one
//          register read each); ffma: fma.rn.f32 chains (three registers)
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
__device__ __forceinline__ void wgmma_ss_h(uint32_t (&d)[16], uint64_t da, uint64_t db) {
  asm volatile("wgmma.mma_async.sync.aligned.m64n64k16.f16.f16.f16 "
               "{%0,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15}, %16, %17, 1, 1, 1, 0, 0;\n"
               : "+r"(d[0]), "+r"(d[1]), "+r"(d[2]), "+r"(d[3]), "+r"(d[4]), "+r"(d[5]), "+r"(d[6]), "+r"(d[7]),
                 "+r"(d[8]), "+r"(d[9]), "+r"(d[10]), "+r"(d[11]), "+r"(d[12]), "+r"(d[13]), "+r"(d[14]), "+r"(d[15])
               : "l"(da), "l"(db) : "memory");
}
__device__ __forceinline__ void wgmma_ss_n128(float (&d)[64], uint64_t da, uint64_t db) {
  asm volatile("wgmma.mma_async.sync.aligned.m64n128k16.f32.f16.f16 "
               "{%0,%1,%2,%3,%4,%5,%6,%7,%8,%9,%10,%11,%12,%13,%14,%15,%16,%17,%18,%19,%20,%21,%22,%23,%24,%25,%26,"
               "%27,%28,%29,%30,%31,%32,%33,%34,%35,%36,%37,%38,%39,%40,%41,%42,%43,%44,%45,%46,%47,%48,%49,%50,%51,"
               "%52,%53,%54,%55,%56,%57,%58,%59,%60,%61,%62,%63}, %64, %65, 1, 1, 1, 0, 0;\n"
               : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]), "+f"(d[7]),
                 "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15]),
                 "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), "+f"(d[23]),
                 "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31]),
                 "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), "+f"(d[35]), "+f"(d[36]), "+f"(d[37]), "+f"(d[38]), "+f"(d[39]),
                 "+f"(d[40]), "+f"(d[41]), "+f"(d[42]), "+f"(d[43]), "+f"(d[44]), "+f"(d[45]), "+f"(d[46]), "+f"(d[47]),
                 "+f"(d[48]), "+f"(d[49]), "+f"(d[50]), "+f"(d[51]), "+f"(d[52]), "+f"(d[53]), "+f"(d[54]), "+f"(d[55]),
                 "+f"(d[56]), "+f"(d[57]), "+f"(d[58]), "+f"(d[59]), "+f"(d[60]), "+f"(d[61]), "+f"(d[62]), "+f"(d[63])
               : "l"(da), "l"(db) : "memory");
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
__device__ __forceinline__ uint32_t lop3i(uint32_t a) {
  uint32_t d;
  asm volatile("lop3.b32 %0, %1, 0x0F0F0F0F, 0x12345678, 0xEA;" : "=r"(d) : "r"(a));
  return d;
}
__device__ __forceinline__ uint32_t ffma(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t d;
  asm volatile("fma.rn.f32 %0, %1, %2, %3;" : "=r"(d) : "r"(a), "r"(b), "r"(c));
  return d;
}
__device__ __forceinline__ uint32_t iaddi(uint32_t a) {
  uint32_t d;
  asm volatile("add.u32 %0, %1, 0x1234567;" : "=r"(d) : "r"(a));
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

enum Role { kIdle = 0, kTensorSS, kTensorRS, kDequant, kLop3, kHfma2, kOwn, kTensorSSh, kTensorSSn128, kLop3i, kFfma };
struct Scenario {
  const char* name;
  void (*kernel)(int, int, long long*, uint32_t*);  // probe<role of warpgroup 1, role of warpgroup 2>
};

template <int ROLE>
__device__ __forceinline__ uint32_t run(uint64_t desc, int iters_t, int iters_a) {
  uint32_t out = 0;
  if constexpr (ROLE == kTensorSSh) {
    uint32_t acc[16];
    for (int r = 0; r < 16; ++r) acc[r] = 0u;
    auto step = [&] {
      fence();
#pragma unroll
      for (int k = 0; k < 8; ++k) wgmma_ss_h(acc, desc + 2 * (k % 4), desc + 2 * (k % 4));
      commit();
      wait_group<1>();
    };
    for (int it = 0; it + 1 < iters_t; it += 2) {
      step();
      step();
    }
    wait_group<0>();
    for (int r = 0; r < 16; ++r) asm volatile("" : "+r"(acc[r])::"memory");
    for (int r = 0; r < 16; ++r) out ^= acc[r];
  } else if constexpr (ROLE == kTensorSSn128) {  // half the iterations: the same products as the n64 loops
    float acc[64];
    for (int r = 0; r < 64; ++r) acc[r] = 0.f;
    auto step = [&] {
      fence();
#pragma unroll
      for (int k = 0; k < 8; ++k) wgmma_ss_n128(acc, desc + 2 * (k % 4), desc + 2 * (k % 4));
      commit();
      wait_group<1>();
    };
    for (int it = 0; it + 3 < iters_t; it += 4) {
      step();
      step();
    }
    wait_group<0>();
    for (int r = 0; r < 64; ++r) asm volatile("" : "+f"(acc[r])::"memory");
    for (int r = 0; r < 64; ++r) out ^= __float_as_uint(acc[r]);
  } else if constexpr (ROLE == kTensorSS || ROLE == kTensorRS) {
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
  } else if constexpr (ROLE == kDequant || ROLE == kLop3 || ROLE == kHfma2 || ROLE == kLop3i || ROLE == kFfma) {
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
        } else if constexpr (ROLE == kLop3i) {  // alternating, so ptxas cannot fold the chain into one op
#pragma unroll
          for (int q = 0; q < 7; ++q) w[j] = iaddi(lop3i(w[j]));
        } else if constexpr (ROLE == kFfma) {
#pragma unroll
          for (int q = 0; q < 14; ++q) w[j] = ffma(w[j], s, 0x3f800000u);
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
  __shared__ __align__(1024) uint8_t tile[16384];  // B of m64n128k16 spans 16 KiB
  for (int i = threadIdx.x; i < 16384 / 4; i += blockDim.x) reinterpret_cast<uint32_t*>(tile)[i] = 0x3c003c00u * (i & 1);
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
      // twenty-sixth session
      {"tensor SS f16acc alone", probe<kTensorSSh, kIdle>}, {"tensor SS n128 alone", probe<kTensorSSn128, kIdle>},
      {"lop3i alone", probe<kIdle, kLop3i>},             {"ffma alone", probe<kIdle, kFfma>},
      {"tensor SS f16acc + lop3", probe<kTensorSSh, kLop3>}, {"tensor SS f16acc + hfma2", probe<kTensorSSh, kHfma2>},
      {"tensor SS f16acc + dequant", probe<kTensorSSh, kDequant>},
      {"tensor SS n128 + lop3", probe<kTensorSSn128, kLop3>}, {"tensor SS n128 + hfma2", probe<kTensorSSn128, kHfma2>},
      {"tensor SS + lop3i", probe<kTensorSS, kLop3i>},   {"tensor SS + ffma", probe<kTensorSS, kFfma>},
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
