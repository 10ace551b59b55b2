// test_sm90_w4a16 -- the TMA/wgmma family; runs only on compute capability 9.0 (H100/H200).
#include "gpu_common.h"

namespace {
constexpr w4a16_family kFamily = W4A16_FAMILY_SM90;
// The matrix runs the heuristic's (cooperative) choice and both ping-pong tile shapes.
constexpr const char* kScheduleConfigs[] = {"pp_r128_t64", "pp_r64_t256"};
bool family_runs_here() { return W4A16_HAVE_SM90 && device_cc() == 90; }
std::string family_skip_reason() {
  return W4A16_HAVE_SM90 ? "the sm90 family needs compute capability 9.0 exactly" : "built without sm_90a";
}
}  // namespace

#include "family_tests.h"

TEST(Sm90, WrongGpuIsRefusedNotCrashed) {
  W4A16_REQUIRE_GPU();
  if (device_cc() == 90) GTEST_SKIP() << "this device runs sm90 code";
  kit::Rng rng(1);
  kit::HostWeights hw = kit::random_weights(rng, 64, 256, 128, false, false);
  kit::DeviceWeights dw;
  kit::upload_canonical(hw, &dw);
  w4a16_canonical c = kit::device_canonical(hw, dw);
  kit::DevBuf out(1 << 20);
  w4a16_weights w{};
  EXPECT_EQ(w4a16_pack_device(&c, W4A16_FAMILY_SM90, out.get(), out.bytes(), &w, nullptr), W4A16_ERR_WRONG_FAMILY);
}
