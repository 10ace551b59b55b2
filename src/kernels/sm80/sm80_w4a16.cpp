// sm80_w4a16.cpp -- entry of the sm80 family: picks the dtype's instantiation table.
#include "kernels/launch.h"

namespace w4a16 {
namespace sm80 {
w4a16_status launch_fp16(const GemmArgs& a, cudaStream_t stream);
w4a16_status launch_bf16(const GemmArgs& a, cudaStream_t stream);
}  // namespace sm80

w4a16_status launch_sm80(const GemmArgs& a, cudaStream_t stream) {
  return a.p->bf16 ? sm80::launch_bf16(a, stream) : sm80::launch_fp16(a, stream);
}

}  // namespace w4a16
