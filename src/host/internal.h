// internal.h -- what the library's translation units share: error reporting, resolved problems.
#pragma once
#include <cstdarg>
#include <cstdint>
#include <exception>
#include <new>
#include <string>

#include "w4a16/w4a16.h"

namespace w4a16 {

// Records `fmt` as this thread's last error message and returns `s` (so `return fail(...)` reads well).
// Allocates nothing (the message is cut at 1023 bytes).
w4a16_status fail(w4a16_status s, const char* fmt, ...) noexcept __attribute__((format(printf, 2, 3)));
// Clears the thread's message at the start of every API call.
void clear_error() noexcept;

// Runs the body of an extern "C" function and turns a C++ exception into a status, so none crosses
// the C ABI (w4a16.h: "No function throws"): the host paths allocate scratch (std::vector) and start
// threads, the device paths build strings and maps. `what` names the function in the message.
template <class F>
w4a16_status guarded(const char* what, F&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return fail(W4A16_ERR_OUT_OF_MEMORY, "%s: host memory could not be allocated", what);
  } catch (const std::exception& e) {
    return fail(W4A16_ERR_INTERNAL, "%s: %s", what, e.what());
  } catch (...) {
    return fail(W4A16_ERR_INTERNAL, "%s: an unknown exception", what);
  }
}

// A validated problem with defaults resolved (lda/ldy filled, per-channel group = k).
struct Problem {
  int64_t m = 0, n = 0, k = 0;
  bool bf16 = false;
  int64_t group = 0;       // resolved group size
  bool per_channel = false;
  bool zeros = false;
  bool bias = false;
  int64_t lda = 0, ldy = 0;
  bool small_scales = false;  // the weights' w4a16_weights::small_scales (false until weights are checked)
};

// Largest M, N, K, lda and ldy accepted. The kernels index rows and columns with 32-bit ints and add
// a tile or k-block to them (N rounded up to 16 rows, k0 + a k-block): 2^30 leaves that headroom
// (at N = 2^31 - 8 the sm80 tiles' padded row count wrapped to INT_MIN and Y came out as the bias).
constexpr int64_t kMaxDim = int64_t{1} << 30;

// Shape / group / leading-dimension checks of a problem (no pointers): fills `out`.
w4a16_status validate_problem(const w4a16_problem* p, Problem* out);
// Shape / group checks of weights given by (n, k, group_size); fills the resolved group.
w4a16_status validate_weight_shape(int64_t n, int64_t k, int32_t group_size, int64_t* group_out);
// Packed weights agree with the problem (magic, n, k, group, zeros, dtype).
w4a16_status validate_weights_match(const w4a16_weights* w, const Problem& p);
// Pointer is non-null and 16-byte aligned; `what` names it in the message.
w4a16_status validate_pointer(const void* ptr, const char* what);
w4a16_status validate_dtype(int dtype);

const char* dtype_name(bool bf16);

}  // namespace w4a16
