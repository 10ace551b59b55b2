// sm90_w4a16_bf16.cu -- the bf16 instantiations of sm90_w4a16 (one translation unit per dtype).
#include "kernels/sm90/sm90_w4a16_launch.cuh"

namespace w4a16::sm90 {
w4a16_status launch_bf16(const GemmArgs& a, cudaStream_t stream) { return launch_dtype<true>(a, stream); }
}  // namespace w4a16::sm90
