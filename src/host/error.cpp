// error.cpp -- per-thread error messages and status names.
#include <cstdio>
#include <cstring>

#include "host/internal.h"

namespace w4a16 {
namespace {
// A fixed buffer, not a std::string: fail() allocates nothing, so guarded() can report an exhausted
// heap without a second bad_alloc ending the process.
constexpr size_t kMessageBytes = 1024;
thread_local char t_message[kMessageBytes];
}  // namespace

w4a16_status fail(w4a16_status s, const char* fmt, ...) noexcept {
  char buf[kMessageBytes];  // the arguments may point into t_message (a kept message put back)
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  std::memcpy(t_message, buf, sizeof buf);
  return s;
}

void clear_error() noexcept { t_message[0] = '\0'; }

const char* dtype_name(bool bf16) { return bf16 ? "bf16" : "fp16"; }

}  // namespace w4a16

extern "C" {

const char* w4a16_last_error(void) { return w4a16::t_message; }

const char* w4a16_version(void) { return "0.1.0"; }

const char* w4a16_status_name(w4a16_status s) {
  switch (s) {
    case W4A16_OK: return "W4A16_OK";
    case W4A16_ERR_INVALID_ARGUMENT: return "W4A16_ERR_INVALID_ARGUMENT";
    case W4A16_ERR_INVALID_SHAPE: return "W4A16_ERR_INVALID_SHAPE";
    case W4A16_ERR_INVALID_GROUP: return "W4A16_ERR_INVALID_GROUP";
    case W4A16_ERR_K_NOT_MULTIPLE_OF_GROUP: return "W4A16_ERR_K_NOT_MULTIPLE_OF_GROUP";
    case W4A16_ERR_INVALID_LEADING_DIM: return "W4A16_ERR_INVALID_LEADING_DIM";
    case W4A16_ERR_NULL_POINTER: return "W4A16_ERR_NULL_POINTER";
    case W4A16_ERR_MISALIGNED_POINTER: return "W4A16_ERR_MISALIGNED_POINTER";
    case W4A16_ERR_WEIGHTS_MISMATCH: return "W4A16_ERR_WEIGHTS_MISMATCH";
    case W4A16_ERR_WRONG_FAMILY: return "W4A16_ERR_WRONG_FAMILY";
    case W4A16_ERR_WORKSPACE_TOO_SMALL: return "W4A16_ERR_WORKSPACE_TOO_SMALL";
    case W4A16_ERR_NO_DEVICE: return "W4A16_ERR_NO_DEVICE";
    case W4A16_ERR_UNSUPPORTED_DEVICE: return "W4A16_ERR_UNSUPPORTED_DEVICE";
    case W4A16_ERR_UNSUPPORTED_CONFIG: return "W4A16_ERR_UNSUPPORTED_CONFIG";
    case W4A16_ERR_CUDA: return "W4A16_ERR_CUDA";
    case W4A16_ERR_BUFFER_TOO_SMALL: return "W4A16_ERR_BUFFER_TOO_SMALL";
    case W4A16_ERR_IO: return "W4A16_ERR_IO";
    case W4A16_ERR_INTERNAL: return "W4A16_ERR_INTERNAL";
    case W4A16_ERR_OUT_OF_MEMORY: return "W4A16_ERR_OUT_OF_MEMORY";
  }
  return "W4A16_ERR_UNKNOWN";
}

const char* w4a16_family_name(w4a16_family f) {
  switch (f) {
    case W4A16_FAMILY_AUTO: return "auto";
    case W4A16_FAMILY_REFERENCE: return "reference";
    case W4A16_FAMILY_SM80: return "sm80";
    case W4A16_FAMILY_SM90: return "sm90";
    case W4A16_FAMILY_HOST: return "host";
  }
  return "unknown";
}

}  // extern "C"
