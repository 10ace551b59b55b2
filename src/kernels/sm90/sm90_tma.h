// sm90_tma.h -- the four TMA descriptors sm90_w4a16 reads through (X, packed codes, scales, zeros).
#pragma once
#include <cuda.h>

#include "kernels/launch.h"

namespace w4a16::sm90 {

struct TensorMaps {
  CUtensorMap x, w, s, z;
};

// X: [M][lda] 16-bit, box {64, TN}, 128B swizzle (the wgmma B operand layout); codes: [N16/16 row
// blocks][KA*128] 32-bit words, box {KB/64*128, BN/16}; scales / zeros: [G][N16] 16-bit, box {BN,
// gps}. Out-of-bounds box elements are filled with zeros, which the kernel relies on for tails.
w4a16_status encode_maps(const Problem& p, const void* x, const MmaPointers& w, int bn, int tn, int kb, int gps,
                         TensorMaps* out);

}  // namespace w4a16::sm90
