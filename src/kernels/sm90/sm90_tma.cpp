// sm90_tma.cpp -- cuTensorMapEncodeTiled through the runtime's driver entry point (no -lcuda).
#include "kernels/sm90/sm90_tma.h"

#include <cudaTypedefs.h>
#include <cuda_runtime.h>

#include <mutex>

namespace w4a16::sm90 {
namespace {

PFN_cuTensorMapEncodeTiled_v12000 encoder(w4a16_status* st) {
  static std::once_flag once;
  static PFN_cuTensorMapEncodeTiled_v12000 fn = nullptr;
  static cudaError_t err = cudaSuccess;
  static cudaDriverEntryPointQueryResult q = cudaDriverEntryPointSuccess;
  std::call_once(once, [] {
    void* p = nullptr;
    // cudaGetDriverEntryPoint (no version) is deprecated in CUDA 13 (HOPPER-NOTES pitfall 11).
    err = cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", &p, 12000, cudaEnableDefault, &q);
    if (err == cudaSuccess && q == cudaDriverEntryPointSuccess) fn = reinterpret_cast<PFN_cuTensorMapEncodeTiled_v12000>(p);
  });
  if (!fn) *st = fail(W4A16_ERR_CUDA, "cuTensorMapEncodeTiled is not available from the driver (%s, query %d)",
                      cudaGetErrorString(err), (int)q);
  return fn;
}

w4a16_status encode(PFN_cuTensorMapEncodeTiled_v12000 fn, CUtensorMap* map, CUtensorMapDataType type, const void* base,
                    uint64_t dim0, uint64_t dim1, uint64_t stride1_bytes, uint32_t box0, uint32_t box1,
                    CUtensorMapSwizzle swizzle, CUtensorMapL2promotion l2, const char* what) {
  const cuuint64_t dims[2] = {dim0, dim1};
  const cuuint64_t strides[1] = {stride1_bytes};
  const cuuint32_t box[2] = {box0, box1};
  const cuuint32_t estr[2] = {1, 1};
  const CUresult r = fn(map, type, 2, const_cast<void*>(base), dims, strides, box, estr, CU_TENSOR_MAP_INTERLEAVE_NONE,
                        swizzle, l2, CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
  if (r != CUDA_SUCCESS)
    return fail(W4A16_ERR_CUDA, "cuTensorMapEncodeTiled(%s: dims %llu x %llu, stride %llu B, box %u x %u) failed with "
                "CUresult %d", what, (unsigned long long)dim0, (unsigned long long)dim1,
                (unsigned long long)stride1_bytes, box0, box1, (int)r);
  return W4A16_OK;
}

}  // namespace

w4a16_status encode_maps(const Problem& p, const void* x, const MmaPointers& w, int bn, int tn, int kb, int gps,
                         TensorMaps* out) {
  w4a16_status st = W4A16_OK;
  auto fn = encoder(&st);
  if (!fn) return st;
  if ((st = encode(fn, &out->x, CU_TENSOR_MAP_DATA_TYPE_UINT16, x, (uint64_t)p.k, (uint64_t)p.m, (uint64_t)p.lda * 2,
                   // 256 B promotion: the next k-block reads the neighbouring 128 B of every row, so one
                   // DRAM visit serves two (X rows are K apart, 16 KiB at K = 8192, a poor DRAM stride).
                   64, (uint32_t)tn, CU_TENSOR_MAP_SWIZZLE_128B, CU_TENSOR_MAP_L2_PROMOTION_L2_256B, "X")))
    return st;
  // No L2 promotion for the packed codes: a box row is already 512 B-1 KiB of contiguous codes, and the
  // 256 B promotion added traffic between the two L2 partitions (77% of the DRAM sectors crossed, 52% without
  // it; that link at 85% of its peak at 57344x8192 M=1) and near-partition hits, not DRAM bytes. Without it the
  // decode points ran 0.1-1.6% faster on the H200, M >= 128 alike (docs/PERFORMANCE.md, version 149).
  if ((st = encode(fn, &out->w, CU_TENSOR_MAP_DATA_TYPE_UINT32, w.codes, (uint64_t)w.ka * 128, (uint64_t)w.n16 / 16,
                   (uint64_t)w.ka * 512, (uint32_t)(kb / 64 * 128), (uint32_t)(bn / 16), CU_TENSOR_MAP_SWIZZLE_NONE,
                   CU_TENSOR_MAP_L2_PROMOTION_NONE, "codes")))
    return st;
  if ((st = encode(fn, &out->s, CU_TENSOR_MAP_DATA_TYPE_UINT16, w.scales, (uint64_t)w.n16, (uint64_t)w.groups,
                   (uint64_t)w.n16 * 2, (uint32_t)bn, (uint32_t)gps, CU_TENSOR_MAP_SWIZZLE_NONE,
                   CU_TENSOR_MAP_L2_PROMOTION_L2_256B, "scales")))
    return st;
  if (w.zeros) return encode(fn, &out->z, CU_TENSOR_MAP_DATA_TYPE_UINT16, w.zeros, (uint64_t)w.n16, (uint64_t)w.groups,
                             (uint64_t)w.n16 * 2, (uint32_t)bn, (uint32_t)gps, CU_TENSOR_MAP_SWIZZLE_NONE,
                             CU_TENSOR_MAP_L2_PROMOTION_L2_256B, "zeros");
  out->z = out->s;  // unused by the kernel without zeros
  return W4A16_OK;
}

}  // namespace w4a16::sm90
