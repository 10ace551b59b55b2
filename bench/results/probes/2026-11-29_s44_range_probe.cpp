// Probe (forty-fourth session): what the driver reports as an allocation's range
// (CU_POINTER_ATTRIBUTE_RANGE_START_ADDR / RANGE_SIZE) for each kind of allocation, requested sizes that are
// not multiples of any granularity, and for an address inside the allocation. check_reachable
// (src/dispatch/residence.cpp) refuses a span past the range's end, so rounding there decides what it catches.
#include <cuda.h>
#include <cuda_runtime_api.h>

#include <cstdio>
#include <initializer_list>

using Query = CUresult (*)(unsigned int, CUpointer_attribute*, void**, CUdeviceptr);

static void show(Query q, const char* what, void* p, size_t requested) {
  unsigned int type = 0, managed = 0;
  CUdeviceptr start = 0;
  size_t size = 0;
  CUpointer_attribute a[] = {CU_POINTER_ATTRIBUTE_MEMORY_TYPE, CU_POINTER_ATTRIBUTE_IS_MANAGED,
                             CU_POINTER_ATTRIBUTE_RANGE_START_ADDR, CU_POINTER_ATTRIBUTE_RANGE_SIZE};
  void* d[] = {&type, &managed, &start, &size};
  for (size_t off : {size_t{0}, requested / 2}) {
    const CUresult r = q(4, a, d, (CUdeviceptr)p + off);
    std::printf("%-28s requested %8zu at +%-6zu: rc %d type %u managed %u start %+lld size %zu\n", what, requested, off,
                (int)r, type, managed, (long long)(start - (CUdeviceptr)p), size);
  }
}

int main() {
  void* f = nullptr;
  cudaDriverEntryPointQueryResult found{};
  cudaGetDriverEntryPointByVersion("cuPointerGetAttributes", &f, 12000, cudaEnableDefault, &found);
  Query q = (Query)f;
  if (!q) return 1;
  cudaFree(nullptr);
  for (size_t n : {size_t{1}, size_t{40944}, size_t{1000000}, size_t{3u << 20}}) {
    void *d = nullptr, *h = nullptr, *m = nullptr, *a = nullptr;
    cudaMalloc(&d, n);
    show(q, "cudaMalloc", d, n);
    cudaMallocHost(&h, n);
    show(q, "cudaMallocHost", h, n);
    cudaMallocManaged(&m, n);
    show(q, "cudaMallocManaged", m, n);
    cudaMallocAsync(&a, n, nullptr);
    cudaStreamSynchronize(nullptr);
    show(q, "cudaMallocAsync", a, n);
  }
  // Two cudaMallocs one after the other: is the second right after the first's requested end?
  void *p1 = nullptr, *p2 = nullptr;
  cudaMalloc(&p1, 40944);
  cudaMalloc(&p2, 40944);
  std::printf("two cudaMalloc(40944): second - first = %lld\n", (long long)((char*)p2 - (char*)p1));
  // Virtual memory management: reserve 8 MiB, map 2 MiB at its start.
  CUdevice dev = 0;
  CUmemAllocationProp prop{};
  prop.type = CU_MEM_ALLOCATION_TYPE_PINNED;
  prop.location.type = CU_MEM_LOCATION_TYPE_DEVICE;
  prop.location.id = dev;
  using Reserve = CUresult (*)(CUdeviceptr*, size_t, size_t, CUdeviceptr, unsigned long long);
  using Create = CUresult (*)(CUmemGenericAllocationHandle*, size_t, const CUmemAllocationProp*, unsigned long long);
  using Map = CUresult (*)(CUdeviceptr, size_t, size_t, CUmemGenericAllocationHandle, unsigned long long);
  using SetAccess = CUresult (*)(CUdeviceptr, size_t, const CUmemAccessDesc*, size_t);
  void *fr = nullptr, *fc = nullptr, *fm = nullptr, *fs = nullptr;
  cudaGetDriverEntryPointByVersion("cuMemAddressReserve", &fr, 12000, cudaEnableDefault, &found);
  cudaGetDriverEntryPointByVersion("cuMemCreate", &fc, 12000, cudaEnableDefault, &found);
  cudaGetDriverEntryPointByVersion("cuMemMap", &fm, 12000, cudaEnableDefault, &found);
  cudaGetDriverEntryPointByVersion("cuMemSetAccess", &fs, 12000, cudaEnableDefault, &found);
  CUdeviceptr va = 0;
  CUmemGenericAllocationHandle h{};
  const size_t two = 2u << 20;
  int rc1 = ((Reserve)fr)(&va, 4 * two, 0, 0, 0), rc2 = ((Create)fc)(&h, two, &prop, 0),
      rc3 = ((Map)fm)(va, two, 0, h, 0);
  CUmemAccessDesc acc{};
  acc.location = prop.location;
  acc.flags = CU_MEM_ACCESS_FLAGS_PROT_READWRITE;
  int rc4 = ((SetAccess)fs)(va, two, &acc, 1);
  std::printf("vmm reserve %d create %d map %d access %d\n", rc1, rc2, rc3, rc4);
  show(q, "vmm (8 MiB reserved, 2 mapped)", (void*)va, two);
  show(q, "vmm, past the mapping", (void*)(va + two + 4096), two);
  return 0;
}
