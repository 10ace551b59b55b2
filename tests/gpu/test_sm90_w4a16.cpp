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

// Stream-K (decode tiles whose whole-tile waves would leave SMs idle): CTAs share k-block ranges
// across tile boundaries. Shapes chosen so tiles outnumber the CTA slots by a fraction and short K
// makes every range span several tiles (N tails, zeros, bias, bf16, per-channel included).
// Checked against the reference, then repeated: bitwise identical, workspace counters left zeroed.
TEST(Sm90, StreamKDecode) {
  W4A16_REQUIRE_FAMILY();
  const struct {
    int64_t m, n, k;
    int32_t g;
    bool bf16, zeros;
    const char* config;  // nullptr: the heuristic's choice
  } cases[] = {{1, 57344, 512, 128, false, false, nullptr}, {5, 45064, 640, 64, true, true, nullptr},
               {16, 36872, 1024, 0, false, true, nullptr},   {3, 40000, 4096, 32, true, false, nullptr},
               {40, 20000, 512, 128, false, true, nullptr},  {2, 76800, 512, 64, true, true, "coop_r128_t8_x2"}};
  for (const auto& c : cases) {
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(c.m, c.n, c.k, c.bf16, c.g, c.zeros, true), kFamily, kit::default_seed() + c.n);
    const int config = c.config ? kit::config_by_name(kFamily, c.config) : -1;
    Plan plan;
    ASSERT_EQ(plan_for(&dp.p, &dp.w, config, &plan), W4A16_OK);
    EXPECT_GT(plan.sk_ctas, 0) << "n=" << c.n << " k=" << c.k << ": this shape is meant to use stream-K";
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(config, &st);
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    EXPECT_TRUE(e.ok) << "m=" << c.m << " n=" << c.n << " k=" << c.k << ": " << e.describe();
    std::vector<uint16_t> first((size_t)(c.m * c.n)), again(first.size());
    dp.y.download(first.data(), first.size() * 2);
    for (int rep = 0; rep < 3; ++rep) {
      dp.y.fill(0xFF);
      ASSERT_EQ(w4a16_gemm_config(&dp.p, dp.x.get(), &dp.w, dp.bias.get(), dp.y.get(), dp.ws.get(), dp.ws_bytes, config,
                                  nullptr),
                W4A16_OK)
          << w4a16_last_error();
      kit::cuda_check(cudaDeviceSynchronize(), "gemm");
      dp.y.download(again.data(), again.size() * 2);
      ASSERT_EQ(again, first) << "n=" << c.n << " rep " << rep << " differs bitwise";
    }
    std::vector<int> counters((size_t)(plan.tiles_n * plan.tiles_m));
    kit::cuda_check(cudaMemcpy(counters.data(), dp.ws.get(), counters.size() * 4, cudaMemcpyDeviceToHost), "ws");
    for (int v : counters) ASSERT_EQ(v, 0);
  }
}
