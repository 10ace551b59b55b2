// residence.cpp -- check_reachable: the driver's view of each buffer a call is given.
//
// The driver's cuPointerGetAttributes (through cudaGetDriverEntryPointByVersion, so nothing links
// libcuda) says in one query what memory an address is (device memory and its device, managed, pinned
// host memory and the address the device reaches it at, or nothing CUDA knows) and the range of the
// allocation holding it: cudaMalloc's, the pool allocation's, the registered host range, or for virtual
// memory management the reserved address range (cuMemAddressReserve), a superset of what is mapped, so
// an over-long span inside a reservation passes. Where the driver's query is unavailable or fails (no
// current context), the runtime's cudaPointerGetAttributes gives the kind without the range.
//
// The query costs ~0.2 us on the H200's host (forty-fourth session's probe). Addresses found good are
// remembered per thread, with the end of their allocation, in kSlots direct-mapped slots: a model's
// weights and activation buffers pay it once, not per product. So the checks hold for an address when a
// thread first passes it (or passes it with a longer span than remembered): one freed and allocated
// again at the same address, shorter or as memory the device cannot reach, while its slot still holds
// it is taken as before (cudaMalloc after cudaFree often returns the same address; unchecked, a span
// past the new end reads or writes another allocation's bytes). A device allocation's address is only
// handed out again by CUDA, as CUDA memory, so on one device the reachability answer stays right.
#include "dispatch/residence.h"

#include <cuda.h>  // the driver's types only; the function comes from the runtime's entry-point query
#include <cuda_runtime_api.h>

#include <cstdint>

#include "host/internal.h"

namespace w4a16 {
namespace {

using PointerGetAttributes = CUresult (*)(unsigned int, CUpointer_attribute*, void**, CUdeviceptr);

PointerGetAttributes driver_query() {
  static const PointerGetAttributes fn = [] {
    void* f = nullptr;
    cudaDriverEntryPointQueryResult found = cudaDriverEntryPointSymbolNotFound;
    if (cudaGetDriverEntryPointByVersion("cuPointerGetAttributes", &f, 12000, cudaEnableDefault, &found) !=
            cudaSuccess ||
        found != cudaDriverEntryPointSuccess) {
      cudaGetLastError();
      f = nullptr;
    }
    return reinterpret_cast<PointerGetAttributes>(f);
  }();
  return fn;
}

enum class Kind { None, Host, Device, Managed };

struct Residence {
  Kind kind = Kind::None;
  int device = -1;                 // Kind::Device: the device it was allocated on
  const void* device_ptr = nullptr;  // Kind::Host: where the current device reaches it
  uintptr_t range_end = UINTPTR_MAX;  // one past the allocation's last byte; UINTPTR_MAX: not known
};

bool query_driver(const void* ptr, Residence* r) {
  const PointerGetAttributes query = driver_query();
  if (!query) return false;
  unsigned int type = 0;
  int ordinal = -1;
  unsigned int managed = 0;
  void* dev_ptr = nullptr;
  CUdeviceptr start = 0;
  size_t size = 0;
  CUpointer_attribute attrs[] = {CU_POINTER_ATTRIBUTE_MEMORY_TYPE, CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL,
                                 CU_POINTER_ATTRIBUTE_IS_MANAGED, CU_POINTER_ATTRIBUTE_DEVICE_POINTER,
                                 CU_POINTER_ATTRIBUTE_RANGE_START_ADDR, CU_POINTER_ATTRIBUTE_RANGE_SIZE};
  void* data[] = {&type, &ordinal, &managed, &dev_ptr, &start, &size};
  if (query(6, attrs, data, reinterpret_cast<CUdeviceptr>(ptr)) != CUDA_SUCCESS) return false;
  if (managed) r->kind = Kind::Managed;
  else if (type == CU_MEMORYTYPE_DEVICE) r->kind = Kind::Device;
  else if (type == CU_MEMORYTYPE_HOST) r->kind = Kind::Host;
  else r->kind = Kind::None;
  r->device = ordinal;
  r->device_ptr = dev_ptr;
  const uintptr_t p = reinterpret_cast<uintptr_t>(ptr);
  if (r->kind != Kind::None && size > 0 && start <= p && p - start < size) r->range_end = start + size;
  return true;
}

w4a16_status query_runtime(const void* ptr, const char* what, Residence* r) {
  cudaPointerAttributes a{};
  const cudaError_t e = cudaPointerGetAttributes(&a, ptr);
  if (e != cudaSuccess) {
    cudaGetLastError();
    return fail(W4A16_ERR_INVALID_ARGUMENT, "%s=%p: cudaPointerGetAttributes failed (%s), so the device may not reach "
                "it", what, ptr, cudaGetErrorName(e));
  }
  r->kind = a.type == cudaMemoryTypeDevice    ? Kind::Device
            : a.type == cudaMemoryTypeManaged ? Kind::Managed
            : a.type == cudaMemoryTypeHost    ? Kind::Host
                                              : Kind::None;
  r->device = a.device;
  r->device_ptr = a.devicePointer;
  return W4A16_OK;
}

w4a16_status check_one(const Operand& o, const DeviceProps& d, int device) {
  constexpr int kSlotsLog2 = 9, kSlots = 1 << kSlotsLog2;
  struct Reached {
    const void* p;
    int device;
    uintptr_t end;
  };
  thread_local Reached reached[kSlots] = {};
  const uintptr_t p = reinterpret_cast<uintptr_t>(o.p);
  Reached& slot = reached[((p >> 4) * 0x9E3779B97F4A7C15ull) >> (64 - kSlotsLog2)];
  if (slot.p == o.p && slot.device == device && o.bytes <= slot.end - p) return W4A16_OK;
  Residence r;
  if (!query_driver(o.p, &r))
    if (w4a16_status s = query_runtime(o.p, o.what, &r)) return s;
  switch (r.kind) {
    case Kind::Device:
      if (r.device != device)
        return fail(W4A16_ERR_INVALID_ARGUMENT, "%s=%p is memory of device %d, but the call runs on device %d (the "
                    "current device): call cudaSetDevice(%d) first, or copy it", o.what, o.p, r.device, device,
                    r.device);
      break;
    case Kind::Managed: break;
    case Kind::Host:
      if (r.device_ptr != o.p)
        return fail(W4A16_ERR_INVALID_ARGUMENT, "%s=%p is pinned host memory the device reaches at %p, not at the same "
                    "address: pass device memory", o.what, o.p, r.device_ptr);
      break;
    case Kind::None:
      if (!d.pageable_access)
        return fail(W4A16_ERR_INVALID_ARGUMENT, "%s=%p is not device memory: pageable host memory (or no allocation at "
                    "all), which device %d (%s) cannot reach; copy it to device memory (cudaMalloc)", o.what, o.p,
                    device, d.name.c_str());
      break;
  }
  if (o.bytes > r.range_end - p)
    return fail(W4A16_ERR_BUFFER_TOO_SMALL, "%s=%p: the call uses %zu bytes from there, but the allocation holding it "
                "ends after %llu", o.what, o.p, o.bytes, (unsigned long long)(r.range_end - p));
  slot = {o.p, device, r.range_end};
  return W4A16_OK;
}

}  // namespace

w4a16_status check_reachable(std::initializer_list<Operand> ops, const DeviceProps& d, int device) {
  for (const Operand& o : ops)
    if (o.p)
      if (w4a16_status s = check_one(o, d, device)) return s;
  return W4A16_OK;
}

}  // namespace w4a16
