// w4a16.hpp -- a thin C++ wrapper over the C API (w4a16.h): owning device buffers, packed weights and a
// workspace, and a Status that carries the code and the message. Header-only; nothing throws (the C
// API below never does either). Example:
//
//   w4a16::Weights w;
//   if (auto s = w4a16::Weights::pack(canonical_on_device, W4A16_FAMILY_AUTO, stream, &w); !s) fail(s.message);
//   w4a16::Workspace ws;
//   if (auto s = ws.reserve(problem, w, stream); !s) fail(s.message);          // once, off the hot path
//   if (auto s = w4a16::gemm(problem, x, w, bias, y, ws, stream); !s) fail(s.message);  // no alloc, no sync
#pragma once
#include <cuda_runtime_api.h>

#include <string>
#include <utility>

#include "w4a16/w4a16.h"

namespace w4a16 {

struct Status {
  w4a16_status code = W4A16_OK;
  std::string message;
  explicit operator bool() const { return code == W4A16_OK; }
  // The status of a C call, with this thread's message when it failed.
  static Status from(w4a16_status s) { return s == W4A16_OK ? Status{} : Status{s, w4a16_last_error()}; }
};

// Owning device allocation (cudaMalloc / cudaFree), movable, not copyable.
class DeviceMemory {
 public:
  DeviceMemory() = default;
  ~DeviceMemory() { reset(); }
  DeviceMemory(const DeviceMemory&) = delete;
  DeviceMemory& operator=(const DeviceMemory&) = delete;
  DeviceMemory(DeviceMemory&& o) noexcept : p_(std::exchange(o.p_, nullptr)), bytes_(std::exchange(o.bytes_, 0)) {}
  DeviceMemory& operator=(DeviceMemory&& o) noexcept {
    if (this != &o) {
      reset();
      p_ = std::exchange(o.p_, nullptr);
      bytes_ = std::exchange(o.bytes_, 0);
    }
    return *this;
  }
  Status allocate(size_t bytes) {
    reset();
    if (bytes == 0) return {};
    const cudaError_t e = cudaMalloc(&p_, bytes);
    if (e != cudaSuccess) {
      p_ = nullptr;
      cudaGetLastError();
      return {e == cudaErrorNoDevice || e == cudaErrorInsufficientDriver ? W4A16_ERR_NO_DEVICE : W4A16_ERR_CUDA,
              std::string("cudaMalloc(") + std::to_string(bytes) + "): " + cudaGetErrorString(e)};
    }
    bytes_ = bytes;
    return {};
  }
  void reset() {
    if (p_) cudaFree(p_);
    p_ = nullptr;
    bytes_ = 0;
  }
  void* get() const { return p_; }
  size_t size() const { return bytes_; }

 private:
  void* p_ = nullptr;
  size_t bytes_ = 0;
};

namespace detail {
// A stream being captured into a CUDA graph cannot take cudaMalloc (the capture would be invalidated):
// the wrappers that allocate refuse it first, as w4a16_pack_device does.
inline Status refuse_capture(cudaStream_t stream, const char* what) {
  cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
  const cudaError_t e = cudaStreamIsCapturing(stream, &capture);
  if (e == cudaSuccess && capture == cudaStreamCaptureStatusNone) return {};
  cudaGetLastError();
  return {W4A16_ERR_INVALID_ARGUMENT, std::string(what) + " allocates device memory and cannot run on a stream being "
          "captured into a CUDA graph (" + (e != cudaSuccess ? cudaGetErrorName(e) : "the stream is capturing") +
          "); call it before capturing"};
}
}  // namespace detail

// Packed weights that own their device buffer.
class Weights {
 public:
  // Packs canonical weights already on the device for `family` (AUTO: the current device's family);
  // returns when the pack is done (w4a16_pack_device reads one flag back: it waits for `stream`, which
  // may not be capturing).
  static Status pack(const w4a16_canonical& src, w4a16_family family, cudaStream_t stream, Weights* out) {
    w4a16_family f = family;
    if (f == W4A16_FAMILY_AUTO)
      if (auto s = Status::from(w4a16_select_family(-1, &f)); !s) return s;
    size_t bytes = 0;
    if (auto s = Status::from(w4a16_packed_size(f, src.n, src.k, src.group_size, src.has_zeros, &bytes)); !s) return s;
    if (auto s = detail::refuse_capture(stream, "Weights::pack"); !s) return s;
    Weights w;
    if (auto s = w.mem_.allocate(bytes); !s) return s;
    if (auto s = Status::from(w4a16_pack_device(&src, f, w.mem_.get(), bytes, &w.desc_, stream)); !s) return s;
    *out = std::move(w);
    return {};
  }
  const w4a16_weights& descriptor() const { return desc_; }
  bool empty() const { return mem_.get() == nullptr; }

 private:
  DeviceMemory mem_;
  w4a16_weights desc_{};
};

// A split-K workspace: grows on reserve() (allocation and zeroing happen there, stream-ordered; the
// zeroing is optional since the counters need none, kept so a fresh workspace holds no stale bytes; a
// growth on a stream being captured is refused: reserve before capturing), is reused by every gemm()
// after it on the same stream.
class Workspace {
 public:
  Status reserve(const w4a16_problem& p, const Weights& w, cudaStream_t stream) {
    size_t need = 0;
    if (auto s = Status::from(w4a16_workspace_size(&p, &w.descriptor(), &need)); !s) return s;
    if (need <= mem_.size()) return {};
    if (auto s = detail::refuse_capture(stream, "Workspace::reserve (growing)"); !s) return s;
    if (auto s = mem_.allocate(need); !s) return s;
    return Status::from(w4a16_workspace_init(mem_.get(), need, stream));
  }
  void* get() const { return mem_.get(); }
  size_t size() const { return mem_.size(); }

 private:
  DeviceMemory mem_;
};

// Y = X * W^T (+ bias): stream-ordered, never allocates, never synchronizes.
inline Status gemm(const w4a16_problem& p, const void* x, const Weights& w, const void* bias, void* y,
                   const Workspace& ws, cudaStream_t stream) {
  return Status::from(w4a16_gemm(&p, x, &w.descriptor(), bias, y, ws.get(), ws.size(), stream));
}

}  // namespace w4a16
