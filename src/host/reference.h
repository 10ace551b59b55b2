// reference.h -- the plain CPU reference the tests trust, and the CPU backend.
#pragma once
#include <cstdint>

#include "host/internal.h"

namespace w4a16 {

// y[m][n] = sum_k x[m][k] * W^[n][k] (+ bias[n]) in double, W^ dequantized exactly as the kernels do
// (w4a16_dequantize_host). x: [m][lda] 16-bit bits, y: [m][n] (dense). Multi-threaded over rows of y.
// Host canonical weights.
w4a16_status reference_gemm(const Problem& p, const uint16_t* x, const w4a16_canonical& w, const uint16_t* bias,
                            double* y);

}  // namespace w4a16
