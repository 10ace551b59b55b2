// residence.h -- whether the device can reach a buffer, and whether its allocation holds what a call
// uses from it, asked of the driver before anything is enqueued (a kernel given memory it cannot reach
// ends the context with an illegal address; one that runs past an allocation reads or overwrites
// whatever lies there).
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <initializer_list>

#include "dispatch/heuristic.h"

namespace w4a16 {

// One buffer of a call: `bytes` from `p` on (the span the call reads, or writes if `written`), named
// `what` in messages.
struct Operand {
  const void* p;
  size_t bytes;
  const char* what;
  bool written = false;
};

// Refuses (W4A16_ERR_INVALID_ARGUMENT) a buffer that device `device` (the current one, properties `d`)
// cannot reach: pageable host memory or an address of no allocation (unless d.pageable_access, or
// `stream` is being captured: neither can be told apart from memory that will be there), another
// device's memory (peer access or not; memory of no device the driver names only where its access flags
// do not let this one read it, or write it for an output), pinned host memory not mapped at the same
// address. Refuses (W4A16_ERR_BUFFER_TOO_SMALL) a span that runs past the end of
// the allocation holding its first byte, where the driver says where that ends. Operands with p ==
// nullptr are skipped (validate_pointer refuses the NULLs that matter). Device and managed memory found
// good is remembered per thread (residence.cpp), so repeated buffers cost no query, and the checks hold
// for such an address when a thread first passes it: a buffer freed and allocated again at the same
// address, shorter or on another device, is taken as before. With Memo::Ask the driver is asked about every
// operand and nothing is remembered: the one-time calls (pack, unpack) hold the checks on every call.
enum class Memo { Remember, Ask };
w4a16_status check_reachable(std::initializer_list<Operand> ops, const DeviceProps& d, int device,
                             cudaStream_t stream, Memo memo = Memo::Remember);

}  // namespace w4a16
