// test_sm80_w4a16 -- the mma.sync family on whatever GPU is present (CC >= 8.0; Hopper included).
#include "gpu_common.h"

namespace {
constexpr w4a16_family kFamily = W4A16_FAMILY_SM80;
// Besides the heuristic's choice (one warp column above M = 32), the matrix also runs the
// two-warp-column large tile everywhere.
constexpr const char* kScheduleConfigs[] = {"r128_t128"};
bool family_runs_here() { return device_cc() >= 80; }
std::string family_skip_reason() { return "the sm80 family needs compute capability 8.0 or newer"; }
}  // namespace

#include "family_tests.h"
