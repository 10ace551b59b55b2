// residence.cpp -- check_reachable: the driver's view of each buffer a call is given.
//
// The driver's cuPointerGetAttributes (through cudaGetDriverEntryPointByVersion, so nothing links
// libcuda) says in one query what memory an address is (device memory and its device, managed, pinned
// host memory and the address the device reaches it at, or nothing CUDA knows), the access flags it
// reports for the current device (only quoted when another device's memory is refused, below) and the
// range of the allocation holding it: cudaMalloc's, the pool allocation's,
// the registered host range, each exactly as requested (forty-fourth session's range probe), or for
// virtual memory management the reserved address range (cuMemAddressReserve), a superset of what is
// mapped, so an over-long span inside a reservation passes. The query needs the calling thread's
// context (without one it reports pinned memory with no device address): a thread with none gets the
// current device's primary context first, as any runtime call would give it, and a thread with a
// context of its own keeps it. Where the driver's query is unavailable or fails, the runtime's
// cudaPointerGetAttributes gives the kind without the range (not remembered).
//
// Another device's memory is refused, with or without peer access. The earlier rule took it where the
// driver's access flags (CU_POINTER_ATTRIBUTE_ACCESS_FLAGS) granted access; on two H200s over NVLink
// (forty-sixth session) it took another device's cudaMalloc memory without peer access, and the kernel
// reading it ended the context with an illegal address. The two-GPU run of the forty-ninth session showed
// why: the driver reports access flags 3 (read-write) for another device's memory with and without peer
// access, while the device pointer it reports is null without peer access and the address with it. The
// refusal stays (taking peer memory would need TMA over a peer mapping shown to work: not tried).
//
// Not refused, as they cannot be told from what the device cannot reach: on a device with pageable
// memory access (HMM, ATS) any address CUDA does not know; on a stream being captured into a graph, an
// address CUDA does not know yet (a cudaMallocAsync allocation made during the capture exists only once
// the graph is launched). Neither is remembered.
//
// The query costs ~0.2 us on the H200's host (the session's pointer probe). Device and managed memory
// found good is remembered per thread, with the end of its allocation, in kSets two-way sets: a model's
// weights and activation buffers pay it once while they fit (2048 slots), not per product. So the checks
// hold for an address when a thread first passes it (or passes it with a longer span than remembered):
// one freed and allocated again at the same address, shorter or on another device, while a slot still
// holds it is taken as before (cudaMalloc after cudaFree often returns the same address; the two-GPU run of
// the forty-ninth session met it in the tests: a pack's short destination taken at a length remembered from
// an earlier test's buffer). The pack and unpack, called once per weight, ask every time (Memo::Ask). A device
// allocation's address is only handed out again by CUDA, as CUDA memory, so on one device the
// reachability answer stays right. Host memory is asked about on every call: unregistered or freed, its
// address may come back as pageable memory.
#include "dispatch/residence.h"

#include <cuda.h>  // the driver's types only; the functions come from the runtime's entry-point query
#include <cuda_runtime_api.h>

#include <cstdint>
#include <cstdio>

#include "host/internal.h"
#include "kernels/launch.h"

namespace w4a16 {
namespace {

template <class Fn>
Fn driver_function(const char* name) {
  void* f = nullptr;
  cudaDriverEntryPointQueryResult found = cudaDriverEntryPointSymbolNotFound;
  if (cudaGetDriverEntryPointByVersion(name, &f, 12000, cudaEnableDefault, &found) != cudaSuccess ||
      found != cudaDriverEntryPointSuccess) {
    cudaGetLastError();
    f = nullptr;
  }
  return reinterpret_cast<Fn>(f);
}

using PointerGetAttributes = CUresult (*)(unsigned int, CUpointer_attribute*, void**, CUdeviceptr);
using CtxGetCurrent = CUresult (*)(CUcontext*);

struct Driver {
  PointerGetAttributes query = driver_function<PointerGetAttributes>("cuPointerGetAttributes");
  CtxGetCurrent current = driver_function<CtxGetCurrent>("cuCtxGetCurrent");
};

const Driver& driver() {
  static const Driver d;
  return d;
}

enum class Kind { None, Host, Device, Managed };

struct Residence {
  Kind kind = Kind::None;
  int device = -1;                    // Kind::Device: the device it was allocated on
  const void* device_ptr = nullptr;   // where the current device reaches it (checked for Kind::Host)
  int access = -1;                    // CUmemAccess_flags the driver reports for the current device; -1: not known
  uintptr_t range_end = UINTPTR_MAX;  // one past the allocation's last byte; UINTPTR_MAX: not known
  bool from_driver = false;
};

bool query_driver(const void* ptr, int device, Residence* r) {
  const Driver& drv = driver();
  if (!drv.query || !drv.current) return false;
  CUcontext ctx = nullptr;
  if (drv.current(&ctx) != CUDA_SUCCESS) return false;
  if (!ctx && cudaSetDevice(device) != cudaSuccess) {  // the primary context, as a runtime call would make it
    cudaGetLastError();
    return false;
  }
  unsigned int type = 0, managed = 0;
  int ordinal = -1;
  void* dev_ptr = nullptr;
  CUdeviceptr start = 0;
  size_t size = 0;
  unsigned long long access = 0;
  CUpointer_attribute attrs[] = {CU_POINTER_ATTRIBUTE_MEMORY_TYPE,     CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL,
                                 CU_POINTER_ATTRIBUTE_IS_MANAGED,      CU_POINTER_ATTRIBUTE_DEVICE_POINTER,
                                 CU_POINTER_ATTRIBUTE_RANGE_START_ADDR, CU_POINTER_ATTRIBUTE_RANGE_SIZE,
                                 CU_POINTER_ATTRIBUTE_ACCESS_FLAGS};
  void* data[] = {&type, &ordinal, &managed, &dev_ptr, &start, &size, &access};
  if (drv.query(7, attrs, data, reinterpret_cast<CUdeviceptr>(ptr)) != CUDA_SUCCESS) return false;
  if (managed) r->kind = Kind::Managed;
  else if (type == CU_MEMORYTYPE_DEVICE) r->kind = Kind::Device;
  else if (type == CU_MEMORYTYPE_HOST) r->kind = Kind::Host;
  else r->kind = Kind::None;
  r->device = ordinal;
  r->device_ptr = dev_ptr;
  r->access = (int)access;
  const uintptr_t p = reinterpret_cast<uintptr_t>(ptr);
  if (r->kind != Kind::None && size > 0 && start <= p && p - start < size) r->range_end = start + size;
  r->from_driver = true;
  return true;
}

w4a16_status query_runtime(const void* ptr, const char* what, Residence* r) {
  cudaPointerAttributes a{};
  const cudaError_t e = cudaPointerGetAttributes(&a, ptr);
  if (e != cudaSuccess) {
    cudaGetLastError();
    return fail(cuda_status(e), "%s=%p: cudaPointerGetAttributes failed: %s (%s)", what, ptr, cudaGetErrorName(e),
                cudaGetErrorString(e));
  }
  r->kind = a.type == cudaMemoryTypeDevice    ? Kind::Device
            : a.type == cudaMemoryTypeManaged ? Kind::Managed
            : a.type == cudaMemoryTypeHost    ? Kind::Host
                                              : Kind::None;
  r->device = a.device;
  r->device_ptr = a.devicePointer;
  return W4A16_OK;
}

bool capturing(cudaStream_t stream) {
  cudaStreamCaptureStatus st = cudaStreamCaptureStatusNone;
  if (cudaStreamIsCapturing(stream, &st) != cudaSuccess) {
    cudaGetLastError();
    return false;
  }
  return st != cudaStreamCaptureStatusNone;
}

// Two-way sets of remembered device and managed addresses: the newer in way 0.
struct Reached {
  const void* p;
  int device;
  uintptr_t end;
};
constexpr int kSetsLog2 = 10, kSets = 1 << kSetsLog2;

w4a16_status check_one(const Operand& o, const DeviceProps& d, int device, cudaStream_t stream, Memo memo) {
  thread_local Reached reached[kSets][2] = {};
  const uintptr_t p = reinterpret_cast<uintptr_t>(o.p);
  Reached* set = reached[((p >> 4) * 0x9E3779B97F4A7C15ull) >> (64 - kSetsLog2)];
  if (memo == Memo::Remember)
    for (int way = 0; way < 2; ++way)
      if (set[way].p == o.p && set[way].device == device && o.bytes <= set[way].end - p) return W4A16_OK;
  Residence r;
  if (!query_driver(o.p, device, &r))
    if (w4a16_status s = query_runtime(o.p, o.what, &r)) return s;
  switch (r.kind) {
    case Kind::Device:
      // Another device's memory: refused even where peer access may be enabled (the top of this file says
      // why). The message quotes what the driver reported (access flags and device pointer: the pointer
      // says whether peer access is on). Where the driver gave no device ordinal
      // (not seen; what it reports for every kind of allocation, virtual memory management's included, was
      // not established) the access flags decide, as before.
      if (r.device >= 0 && r.device != device) {
        char reported[96] = "";
        if (r.from_driver)
          std::snprintf(reported, sizeof reported, "; the driver reports access flags %d, device pointer %p", r.access,
                        r.device_ptr);
        return fail(W4A16_ERR_INVALID_ARGUMENT, "%s=%p is memory of device %d, not of the current device %d: call "
                    "cudaSetDevice(%d) first, or copy it (another device's memory is refused, peer access or not%s)",
                    o.what, o.p, r.device, device, r.device, reported);
      }
      if (r.device < 0 && r.access != CU_MEM_ACCESS_FLAGS_PROT_READWRITE &&
          (o.written || r.access != CU_MEM_ACCESS_FLAGS_PROT_READ))
        return fail(W4A16_ERR_INVALID_ARGUMENT, "%s=%p is device memory of no device the driver names, which the "
                    "current device %d may not %s (access flags %d): pass memory of device %d", o.what, o.p, device,
                    o.written ? "write" : "read", r.access, device);
      break;
    case Kind::Managed: break;
    case Kind::Host:
      if (!r.device_ptr)
        return fail(W4A16_ERR_INVALID_ARGUMENT, "%s=%p is pinned host memory that device %d cannot reach (not mapped "
                    "for it): pass device memory", o.what, o.p, device);
      if (r.device_ptr != o.p)
        return fail(W4A16_ERR_INVALID_ARGUMENT, "%s=%p is pinned host memory that device %d reaches at %p, not at the "
                    "same address: pass device memory", o.what, o.p, device, r.device_ptr);
      break;
    case Kind::None:
      if (d.pageable_access || capturing(stream)) return W4A16_OK;  // cannot be told apart; not remembered
      return fail(W4A16_ERR_INVALID_ARGUMENT, "%s=%p is not device memory: pageable host memory (or no allocation at "
                  "all), which device %d (%s) cannot reach; copy it to device memory (cudaMalloc)", o.what, o.p, device,
                  d.name.c_str());
  }
  if (o.bytes > r.range_end - p)
    return fail(W4A16_ERR_BUFFER_TOO_SMALL, "%s=%p: the call uses %zu bytes from there, but its allocation holds only "
                "%llu from there", o.what, o.p, o.bytes, (unsigned long long)(r.range_end - p));
  if (memo == Memo::Remember && r.from_driver && (r.kind == Kind::Device || r.kind == Kind::Managed)) {
    set[1] = set[0];
    set[0] = {o.p, device, r.range_end};
  }
  return W4A16_OK;
}

}  // namespace

w4a16_status check_reachable(std::initializer_list<Operand> ops, const DeviceProps& d, int device,
                             cudaStream_t stream, Memo memo) {
  for (const Operand& o : ops)
    if (o.p)
      if (w4a16_status s = check_one(o, d, device, stream, memo)) return s;
  return W4A16_OK;
}

}  // namespace w4a16
