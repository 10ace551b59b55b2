// ptx.cuh -- every inline-PTX wrapper of the library, one per instruction, each with why it exists and
// the PTX ISA section it follows. TMA, mbarrier and proxy fences come from CCCL's cuda::ptx instead
// (see sm90_w4a16.cuh); what CUDA 13.0's cuda::ptx lacks (wgmma, setmaxnreg, prefetch.tensormap,
// ldmatrix, mma.sync, cp.async) is here.
#pragma once
#include <cstdint>

namespace w4a16::ptx {

// d = (a & b) | c in one instruction: puts a nibble under an fp16/bf16 exponent "magic" (PTX 9.7.8.6;
// immLut 0xEA = (0xF0 & 0xCC) | 0xAA).
__device__ __forceinline__ uint32_t lop3_and_or(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t d;
  asm("lop3.b32 %0, %1, %2, %3, 0xEA;" : "=r"(d) : "r"(a), "r"(b), "r"(c));
  return d;
}

// Byte permute: broadcasts one 16-bit half of a register to both halves (PTX 9.7.8.7).
__device__ __forceinline__ uint32_t prmt(uint32_t a, uint32_t b, uint32_t sel) {
  uint32_t d;
  asm("prmt.b32 %0, %1, %2, %3;" : "=r"(d) : "r"(a), "r"(b), "r"(sel));
  return d;
}
__device__ __forceinline__ uint32_t bcast_lo(uint32_t a) { return prmt(a, 0, 0x1010); }
__device__ __forceinline__ uint32_t bcast_hi(uint32_t a) { return prmt(a, 0, 0x3232); }
// The same through .b16 halves (PTX ISA: mov with a vector operand): ptxas folds these into the
// half selector (.H0_H0 / .H1_H1) of the packed fma that reads the result, so no instruction is issued
// for them (sm_90a SASS, version 108); an fma that reads the prmt form reads a broadcast register.
__device__ __forceinline__ uint32_t bcast_lo_fold(uint32_t a) {
  uint32_t d;
  asm("{\n\t.reg .b16 l, h;\n\tmov.b32 {l, h}, %1;\n\tmov.b32 %0, {l, l};\n\t}" : "=r"(d) : "r"(a));
  return d;
}
__device__ __forceinline__ uint32_t bcast_hi_fold(uint32_t a) {
  uint32_t d;
  asm("{\n\t.reg .b16 l, h;\n\tmov.b32 {l, h}, %1;\n\tmov.b32 %0, {h, h};\n\t}" : "=r"(d) : "r"(a));
  return d;
}

// Packed half-precision arithmetic on 32-bit registers, kept as raw bits so the dequant never
// converts through int or float (PTX 9.7.4.x half arithmetic; bf16x2 fma needs sm_80).
__device__ __forceinline__ uint32_t sub_f16x2(uint32_t a, uint32_t b) {
  uint32_t d;
  asm("sub.f16x2 %0, %1, %2;" : "=r"(d) : "r"(a), "r"(b));
  return d;
}
__device__ __forceinline__ uint32_t fma_f16x2(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t d;
  asm("fma.rn.f16x2 %0, %1, %2, %3;" : "=r"(d) : "r"(a), "r"(b), "r"(c));
  return d;
}
__device__ __forceinline__ uint32_t fma_bf16x2(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t d;
  asm("fma.rn.bf16x2 %0, %1, %2, %3;" : "=r"(d) : "r"(a), "r"(b), "r"(c));
  return d;
}

// Shared-memory loads by 32-bit shared address: guarantees LDS (not a generic LD that must first
// test the address space), whatever the compiler can prove about a pointer (PTX 9.7.9.8 ld).
__device__ __forceinline__ uint4 lds128(uint32_t addr) {
  uint4 v;
  asm volatile("ld.shared.v4.u32 {%0,%1,%2,%3}, [%4];" : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "r"(addr));
  return v;
}
__device__ __forceinline__ uint32_t lds32(uint32_t addr) {
  uint32_t v;
  asm volatile("ld.shared.u32 %0, [%1];" : "=r"(v) : "r"(addr));
  return v;
}
// A 32-bit shared-memory store (the gemv kernel's transposed copy of X); "memory" keeps the loads after it.
__device__ __forceinline__ void sts32(uint32_t addr, uint32_t v) {
  asm volatile("st.shared.u32 [%0], %1;" ::"r"(addr), "r"(v) : "memory");
}

// Read-only global loads for data no thread writes during the kernel (PTX 9.7.9.8 ld.global.nc):
// 32-bit (scale pairs; L2-resident), 16-byte (X rows, read by every CTA) and 16-byte streaming
// (weights, read once per call: no L1 allocation). Volatile, so they stay in program order (issued
// as a batch, used after).
__device__ __forceinline__ uint32_t ldg32(const void* p) {
  uint32_t v;
  asm volatile("ld.global.nc.b32 %0, [%1];" : "=r"(v) : "l"(p));
  return v;
}
__device__ __forceinline__ uint4 ldg128(const void* p) {
  uint4 v;
  asm volatile("ld.global.nc.v4.u32 {%0,%1,%2,%3}, [%4];" : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w) : "l"(p));
  return v;
}
__device__ __forceinline__ uint4 ldg128_stream(const void* p) {
  uint4 v;
  asm volatile("ld.global.nc.L1::no_allocate.v4.u32 {%0,%1,%2,%3}, [%4];"
               : "=r"(v.x), "=r"(v.y), "=r"(v.z), "=r"(v.w)
               : "l"(p));
  return v;
}
// L2 prefetch of one line (PTX 9.7.9.15 prefetch). Allowed before griddepcontrol.wait: L2 is the
// point of coherence, so the line still sees any write of the previous kernel.
__device__ __forceinline__ void prefetch_l2(const void* p) { asm volatile("prefetch.global.L2 [%0];" ::"l"(p)); }

// ---- sm80 family ------------------------------------------------------------------------------

// 16-byte global->shared copy that bypasses L1 and the register file; src_bytes = 0 writes zeros,
// which is how tiles past M, N or K are filled (PTX 9.7.9.25.3.1 cp.async, .cg needs 16 B).
__device__ __forceinline__ void cp_async16(uint32_t dst_smem, const void* src, uint32_t src_bytes) {
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;" ::"r"(dst_smem), "l"(src), "r"(src_bytes) : "memory");
}
__device__ __forceinline__ void cp_async16(uint32_t dst_smem, const void* src) {  // all 16 bytes
  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;" ::"r"(dst_smem), "l"(src) : "memory");
}
__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;" ::: "memory"); }
// Waits until at most N groups are pending (PTX 9.7.9.25.3.3).
template <int N>
__device__ __forceinline__ void cp_async_wait() {
  asm volatile("cp.async.wait_group %0;" ::"n"(N) : "memory");
}

// Four 8x8 b16 matrices from shared memory into the mma.sync fragment layout (PTX 9.7.14.5.15):
// lanes 8j..8j+7 give the row addresses of matrix j.
__device__ __forceinline__ void ldmatrix_x4(uint32_t (&r)[4], uint32_t addr) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];"
               : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
               : "r"(addr));
}
// stmatrix .trans (sm_90): lanes 8q..8q+7 give the 16-byte row addresses of matrix q; a thread's register q
// holds (row lane / 4, columns 2 (lane % 4), +1) of matrix q before the transpose, the mma C / wgmma D layout.
__device__ __forceinline__ void stmatrix_x4_trans(uint32_t addr, uint32_t r0, uint32_t r1, uint32_t r2, uint32_t r3) {
  asm volatile("stmatrix.sync.aligned.m8n8.x4.trans.shared.b16 [%0], {%1, %2, %3, %4};"
               :: "r"(addr), "r"(r0), "r"(r1), "r"(r2), "r"(r3) : "memory");
}
__device__ __forceinline__ void stmatrix_x2_trans(uint32_t addr, uint32_t r0, uint32_t r1) {
  asm volatile("stmatrix.sync.aligned.m8n8.x2.trans.shared.b16 [%0], {%1, %2};" :: "r"(addr), "r"(r0), "r"(r1) : "memory");
}
__device__ __forceinline__ void ldmatrix_x2(uint32_t (&r)[2], uint32_t addr) {
  asm volatile("ldmatrix.sync.aligned.m8n8.x2.shared.b16 {%0,%1}, [%2];" : "=r"(r[0]), "=r"(r[1]) : "r"(addr));
}

// D = A * B + D, m16n8k16, f32 accumulate (PTX 9.7.14.5.8): the sm80 family's tensor-core op.
template <bool BF16>
__device__ __forceinline__ void mma_m16n8k16(float (&d)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
  if constexpr (BF16) {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                 "{%0,%1,%2,%3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
  } else {
    asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
                 "{%0,%1,%2,%3};"
                 : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
  }
}

// Atomic add at GPU scope with acquire-release order on a global address, returning the old value
// (PTX 9.7.13.5 atom with .global). The split-K counters' 64-bit add: through a generic address
// (cuda::atomic_ref) ptxas emits ATOM with a fallback for shared memory (QSPC and a CAS loop), since
// 64-bit adds on shared memory are not native. `global` is a generic pointer to global memory, which
// the .global space takes as is (the generic window maps global memory at the same addresses, as
// ld.global.nc through __ldg relies on too).
__device__ __forceinline__ unsigned long long atom_add_acq_rel_gpu(unsigned long long* global, unsigned long long v) {
  unsigned long long old;
  asm volatile("atom.acq_rel.gpu.global.add.u64 %0, [%1], %2;" : "=l"(old) : "l"(global), "l"(v) : "memory");
  return old;
}

// Programmatic dependent launch (PTX 9.7.13.6, griddepcontrol; sm_90 and later, not only sm_90a: the
// sm80 family's code for sm_90a and sm_120 uses it too). wait: this thread waits until the grids
// this one depends on have completed and their memory is visible (a no-op without PDL).
// launch_dependents: once every CTA has issued it (or exited), the next PDL launch may start.
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 900
__device__ __forceinline__ void grid_dependency_wait() { asm volatile("griddepcontrol.wait;" ::: "memory"); }
__device__ __forceinline__ void launch_dependents() { asm volatile("griddepcontrol.launch_dependents;" ::: "memory"); }
#endif

// ---- sm90 family (sm_90a only) ------------------------------------------------------------------
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)

// Orders this thread's register writes (A fragments, accumulators) before the wgmma that reads them
// (PTX 9.7.15.7.1). Needed before every k-block's wgmmas: the dequant just wrote the A registers.
__device__ __forceinline__ void wgmma_fence() { asm volatile("wgmma.fence.sync.aligned;" ::: "memory"); }
// Closes the wgmmas issued so far into one group (PTX 9.7.15.7.2).
__device__ __forceinline__ void wgmma_commit() { asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory"); }
// Waits until at most N groups are in flight (PTX 9.7.15.7.3); only then may their A registers be
// rewritten, their accumulators read, or their shared-memory stage be released.
template <int N>
__device__ __forceinline__ void wgmma_wait() {
  asm volatile("wgmma.wait_group.sync.aligned %0;" ::"n"(N) : "memory");
}
// Keeps the compiler from moving accumulator reads/writes across the asynchronous wgmma region
// (CUTLASS's warpgroup_fence_operand): an empty asm that "writes" the register.
__device__ __forceinline__ void fence_operand(float& r) { asm volatile("" : "+f"(r)::"memory"); }
__device__ __forceinline__ void fence_operand(uint32_t& r) { asm volatile("" : "+r"(r)::"memory"); }

#include "kernels/common/wgmma_rs.inc"

// Shared-memory matrix descriptor for a K-major tile stored as 128-byte rows with the 128B swizzle,
// 1024-byte aligned: start address >> 4, SBO = 1024 B (8 rows), LBO unused, swizzle code 1
// (PTX 9.7.15.5.1.2; HOPPER-NOTES §3, confirmed on H100).
__device__ __forceinline__ uint64_t smem_desc_sw128(uint32_t smem_addr) {
  return (1ull << 62) | (64ull << 32) | (uint64_t)((smem_addr & 0x3FFFF) >> 4);
}

// Register reallocation between warpgroups (PTX 9.7.19.5): the producer gives registers back so the
// consumers can hold their accumulators without spilling. Needs __launch_bounds__(threads, 1).
template <int R>
__device__ __forceinline__ void setmaxnreg_dec() {
  asm volatile("setmaxnreg.dec.sync.aligned.u32 %0;" ::"n"(R));
}
template <int R>
__device__ __forceinline__ void setmaxnreg_inc() {
  asm volatile("setmaxnreg.inc.sync.aligned.u32 %0;" ::"n"(R));
}

// Pulls the TMA descriptor into the cache before the first copy (PTX 9.7.9.15).
__device__ __forceinline__ void prefetch_tensormap(const void* tmap) {
  asm volatile("prefetch.tensormap [%0];" ::"l"(reinterpret_cast<uint64_t>(tmap)) : "memory");
}

// Warms L2 with one TMA box (PTX 9.7.9.25.5.3, cp.async.bulk.prefetch.tensor): no shared memory, no
// barrier. L2 is the point of coherence, so a prefetched line still sees any later write to it.
__device__ __forceinline__ void tma_prefetch_l2_2d(const void* tmap, int c0, int c1) {
  asm volatile("cp.async.bulk.prefetch.tensor.2d.L2.global.tile [%0, {%1, %2}];" ::"l"(
                   reinterpret_cast<uint64_t>(tmap)), "r"(c0), "r"(c1)
               : "memory");
}

// Thread-block clusters (PTX 9.7.13.4 barrier.cluster, 9.7.9.22 mapa, 9.7.9.12 st.async).
// Cluster barrier: arrive and wait (acquire); a thread may arrive and never wait, and exited threads
// count. The arrive is relaxed: it orders nothing by itself (the .release form costs a GPU-scope
// MEMBAR in every thread), so what it must publish is published by a fence before it, e.g.
// fence.mbarrier_init.release.cluster for mbarrier inits (HOPPER-NOTES §5).
__device__ __forceinline__ void cluster_arrive_relaxed() {
  asm volatile("barrier.cluster.arrive.relaxed;" ::: "memory");
}
__device__ __forceinline__ void cluster_wait_acquire() { asm volatile("barrier.cluster.wait.acquire;" ::: "memory"); }
// The shared::cluster address of the same shared-memory location in CTA `rank` of this cluster.
__device__ __forceinline__ uint32_t mapa(uint32_t smem_addr, uint32_t rank) {
  uint32_t d;
  asm volatile("mapa.shared::cluster.u32 %0, %1, %2;" : "=r"(d) : "r"(smem_addr), "r"(rank));
  return d;
}
// 16-byte store into another CTA's shared memory that completes 16 transaction bytes on an mbarrier
// there (remote_bar: a mapa address in the same CTA as remote_addr).
__device__ __forceinline__ void st_async_v4(uint32_t remote_addr, float4 v, uint32_t remote_bar) {
  asm volatile("st.async.shared::cluster.mbarrier::complete_tx::bytes.v4.f32 [%0], {%1, %2, %3, %4}, [%5];" ::"r"(
                   remote_addr),
               "f"(v.x), "f"(v.y), "f"(v.z), "f"(v.w), "r"(remote_bar)
               : "memory");
}

#endif  // __CUDA_ARCH_FEAT_SM90_ALL

// Named barrier over `count` threads (PTX 9.7.13.1): syncs the consumer warpgroups without stalling
// the producer warp, which __syncthreads would.
__device__ __forceinline__ void named_barrier_sync(int id, int count) {
  asm volatile("bar.sync %0, %1;" ::"r"(id), "r"(count) : "memory");
}

// Arrive without waiting (PTX 9.7.13.1): the ping-pong consumer hands the mainloop turn over.
__device__ __forceinline__ void named_barrier_arrive(int id, int count) {
  asm volatile("bar.arrive %0, %1;" ::"r"(id), "r"(count) : "memory");
}

__device__ __forceinline__ uint32_t smem_u32(const void* p) { return (uint32_t)__cvta_generic_to_shared(p); }

}  // namespace w4a16::ptx
