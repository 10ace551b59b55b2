// sm90_absent.cpp -- stands in for the sm90 instantiations in builds without sm_90a (W4A16_CUDA_ARCHS
// lacking 90a). Dispatch never picks the family there; a forced call gets a clear error.
#include "kernels/launch.h"

namespace w4a16::sm90 {
namespace {
w4a16_status absent() {
  return fail(W4A16_ERR_UNSUPPORTED_CONFIG, "this build of w4a16 has no sm_90a kernels (W4A16_CUDA_ARCHS lacks 90a)");
}
}  // namespace
w4a16_status launch_fp16(const GemmArgs&, cudaStream_t) { return absent(); }
w4a16_status launch_bf16(const GemmArgs&, cudaStream_t) { return absent(); }
}  // namespace w4a16::sm90

int w4a16::sm90_quad_clusters(int) { return 0; }
