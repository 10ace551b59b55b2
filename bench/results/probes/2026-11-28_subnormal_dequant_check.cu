// Probe 111 (twenty-eighth session): is the subnormal dequant bit-exact on the GPU?
//
// A code q placed at bits 6..9 of an fp16 half (3..6 of a bf16 half), every other bit zero, is the exact
// subnormal q * 2^-18 (q * 2^-130). fma(h, s * 2^18, c) then computes q * s + c exactly and rounds once,
// which is the format's W^ = round(q * s + z) (zeros, c = z) or round((q - 8) * s) (symmetric, c = -8 s,
// exact), provided s * 2^18 does not overflow: |s| < 0.25. This checks that on the hardware, against the
// library's current form (exact q or q - 8 from the magic-number step, then fma with s and z):
//   symmetric: every finite s with |s| < 0.25, every q;
//   zeros:     every finite s with |s| < 0.25, every finite z, every q (2^31+ cases per dtype).
// Build: nvcc -O3 -arch=sm_90a -o subn 2026-11-28_subnormal_dequant_check.cu
#include <cstdint>
#include <cstdio>

__device__ __forceinline__ uint32_t fma16(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t d;
  asm("fma.rn.f16x2 %0, %1, %2, %3;" : "=r"(d) : "r"(a), "r"(b), "r"(c));
  return d;
}
__device__ __forceinline__ uint32_t fmab(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t d;
  asm("fma.rn.bf16x2 %0, %1, %2, %3;" : "=r"(d) : "r"(a), "r"(b), "r"(c));
  return d;
}

template <bool BF16>
__device__ bool small_finite(uint32_t s) {  // |s| < 0.25, finite
  const uint32_t a = s & 0x7FFFu;
  return BF16 ? a < 0x3E80u : a < 0x3400u;  // bf16 0.25 = 0x3E80, fp16 0.25 = 0x3400
}
template <bool BF16>
__device__ bool finite(uint32_t z) {
  const uint32_t a = z & 0x7FFFu;
  return BF16 ? a < 0x7F80u : a < 0x7C00u;
}

// Old form: exact q (or q - 8) as a half, then fma(v, s, z). New form: subnormal code, fma(h, b, c).
template <bool BF16>
__device__ uint32_t old_form(uint32_t q, uint32_t s, uint32_t z, bool sym) {
  uint32_t v;  // the value q or q - 8, both halves (exact small integers)
  if (BF16) {
    const uint32_t r = (q | (q << 16)) | 0x43004300u;  // 128 + q
    v = fmab(r, 0x3F803F80u, sym ? 0xC308C308u : 0xC300C300u);
  } else {
    const uint32_t r = (q | (q << 16)) | 0x64006400u;  // 1024 + q
    v = fma16(r, 0x3C003C00u, sym ? 0xE408E408u : 0xE400E400u);
  }
  const uint32_t s2 = s | (s << 16), z2 = sym ? 0u : (z | (z << 16));
  return BF16 ? fmab(v, s2, z2) : fma16(v, s2, z2);
}
template <bool BF16>
__device__ uint32_t new_form(uint32_t q, uint32_t s, uint32_t z, bool sym) {
  const uint32_t h = BF16 ? (q << 3) | (q << 19) : (q << 6) | (q << 22);
  const uint32_t s2 = s | (s << 16), k = 0x60006000u, neg0 = 0x80008000u;  // 2^9 (fp16) / 2^65 (bf16)
  const uint32_t b = BF16 ? fmab(fmab(s2, k, neg0), k, neg0) : fma16(fma16(s2, k, neg0), k, neg0);
  const uint32_t c = sym ? (BF16 ? fmab(s2, 0xC100C100u, neg0) : fma16(s2, 0xC800C800u, neg0)) : (z | (z << 16));
  return BF16 ? fmab(h, b, c) : fma16(h, b, c);
}

__device__ unsigned long long g_bad[4], g_cases[4];
__device__ uint32_t g_first[4][4];

template <bool BF16>
__global__ void check(bool sym) {
  const uint32_t idx = blockIdx.x * blockDim.x + threadIdx.x;  // s in the low 16 bits, z in the high 16
  const uint32_t s = idx & 0xFFFFu, z = sym ? 0u : idx >> 16;
  if (!small_finite<BF16>(s) || !finite<BF16>(z)) return;
  const int slot = 2 * BF16 + sym;
  unsigned bad = 0;
  for (uint32_t q = 0; q < 16; ++q) {
    const uint32_t o = old_form<BF16>(q, s, z, sym), n = new_form<BF16>(q, s, z, sym);
    if (o != n) {
      if (atomicAdd(&g_bad[slot], 1ull) == 0) {
        g_first[slot][0] = q; g_first[slot][1] = s; g_first[slot][2] = z; g_first[slot][3] = n;
      }
      ++bad;
    }
  }
  atomicAdd(&g_cases[slot], 16ull);
  (void)bad;
}

int main() {
  const char* names[4] = {"fp16 zeros", "fp16 symmetric", "bf16 zeros", "bf16 symmetric"};
  for (int slot = 0; slot < 4; ++slot) {
    const bool bf16 = slot >= 2, sym = slot & 1;
    const unsigned long long total = sym ? 1ull << 16 : 1ull << 32;
    const unsigned blocks = (unsigned)(total / 256);
    if (bf16) check<true><<<blocks, 256>>>(sym); else check<false><<<blocks, 256>>>(sym);
  }
  if (cudaDeviceSynchronize() != cudaSuccess) { printf("CUDA error\n"); return 2; }
  unsigned long long bad[4], cases[4];
  uint32_t first[4][4];
  cudaMemcpyFromSymbol(bad, g_bad, sizeof bad);
  cudaMemcpyFromSymbol(cases, g_cases, sizeof cases);
  cudaMemcpyFromSymbol(first, g_first, sizeof first);
  int rc = 0;
  for (int slot = 0; slot < 4; ++slot) {
    printf("%-15s cases %12llu  mismatches %llu", names[slot], cases[slot], bad[slot]);
    if (bad[slot]) printf("  (first: q=%u s=0x%04x z=0x%04x new=0x%08x)", first[slot][0], first[slot][1],
                          first[slot][2], first[slot][3]), rc = 1;
    printf("\n");
  }
  return rc;
}
