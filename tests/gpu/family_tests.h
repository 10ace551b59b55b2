// family_tests.h -- the GPU test matrix of DESIGN §4, shared by test_sm80_w4a16 and test_sm90_w4a16.
// The including file defines kFamily, family_runs_here() and kScheduleConfigs (config names forced in
// the matrix besides the heuristic's choice, e.g. the ping-pong schedule).
//
// Bounds (src/testkit/testkit.h, DESIGN §4): ‖Y − Yref‖/‖Yref‖ ≤ 1e-3 (fp16), 8e-3 (bf16); element-wise
// |Y − Yref| ≤ ulp(dtype)·|Yref| + 1e-3·rms(Yref); NaN/Inf never pass; Y is poisoned (NaN) before
// every launch so an unwritten element fails.
#pragma once
#include <algorithm>

#include "dispatch/heuristic.h"
#include "gpu_common.h"
#include "host/reference.h"
#include "testkit/problem.h"

using namespace w4a16;

#define W4A16_REQUIRE_FAMILY()                                               \
  do {                                                                       \
    W4A16_REQUIRE_GPU();                                                     \
    if (!family_runs_here()) GTEST_SKIP() << family_skip_reason();           \
  } while (0)

namespace {

int64_t k_for_group(int32_t g) { return g == 0 ? 32 * 37 : 7 * g; }  // tails against 64/128-wide k-blocks

int schedule_config(int i) { return i == 0 ? -1 : kit::config_by_name(kFamily, kScheduleConfigs[i - 1]); }

// The matrix: dtype x zeros x group x schedule, and inside: N (with tails) x M x bias.
class Matrix : public ::testing::TestWithParam<std::tuple<bool, bool, int32_t, int>> {};

TEST_P(Matrix, AgainstReference) {
  W4A16_REQUIRE_FAMILY();
  const auto [bf16, zeros, group, sched] = GetParam();
  const int config = schedule_config(sched);
  ASSERT_GE(sched == 0 ? 0 : config, 0) << "unknown schedule config";
  const int64_t k = k_for_group(group);
  const int64_t ms[] = {1, 2, 7, 16, 33, 64, 127, 256, 1000, 4096};
  for (int64_t n : {8, 264, 1000}) {
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(4096, n, k, bf16, group, zeros, true), kFamily,
            kit::default_seed() + (uint64_t)(n * 131 + group * 7 + zeros * 3 + bf16));
    for (int64_t m : ms)
      for (bool bias : {false, true}) {
        dp.p.m = m;
        dp.p.has_bias = bias;
        w4a16_status st;
        const kit::ErrorStats e = dp.verify(config, &st);
        ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
        EXPECT_TRUE(e.ok) << "m=" << m << " n=" << n << " k=" << k << " bias=" << bias << ": " << e.describe();
      }
  }
}

std::string matrix_name(const ::testing::TestParamInfo<Matrix::ParamType>& info) {
  const auto [bf16, zeros, group, sched] = info.param;
  return std::string(bf16 ? "bf16" : "fp16") + (zeros ? "_zeros" : "_sym") + "_g" +
         (group ? std::to_string(group) : std::string("channel")) + "_" +
         (sched == 0 ? std::string("auto") : std::string(kScheduleConfigs[sched - 1]));
}

INSTANTIATE_TEST_SUITE_P(DesignMatrix, Matrix,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool(), ::testing::Values(32, 64, 128, 256, 0),
                                            ::testing::Range(0, (int)std::size(kScheduleConfigs) + 1)),
                         matrix_name);

// Realistic (quantized) weights against the CPU reference directly, independent of the GPU reference.
TEST(Family, SmallShapesAgainstCpuReference) {
  W4A16_REQUIRE_FAMILY();
  kit::Rng rng(kit::default_seed() ^ 0xC0FFEE);
  for (bool bf16 : {false, true})
    for (bool zeros : {false, true})
      for (int32_t g : {32, 128, 0}) {
        const int64_t m = 9, n = 136, k = k_for_group(g);
        kit::HostWeights hw = kit::random_weights(rng, n, k, g, zeros, bf16);
        const w4a16_problem p = kit::make_problem(m, n, k, bf16, g, zeros, true);
        std::vector<uint16_t> x = kit::random_16(rng, m * k, bf16), b = kit::random_16(rng, n, bf16);
        kit::DeviceWeights dw;
        kit::pack_on_device(hw, kFamily, &dw);
        kit::DevBuf dx(x.size() * 2), db(b.size() * 2), dy((size_t)(m * n * 2));
        dx.upload(x.data(), dx.bytes());
        db.upload(b.data(), db.bytes());
        dy.fill(0xFF);
        size_t ws_bytes = 0;
        ASSERT_EQ(w4a16_workspace_size(&p, &dw.w, &ws_bytes), W4A16_OK);
        kit::DevBuf ws(std::max<size_t>(ws_bytes, 16));
        ws.fill(0);
        ASSERT_EQ(w4a16_gemm(&p, dx.get(), &dw.w, db.get(), dy.get(), ws.get(), ws_bytes, nullptr), W4A16_OK)
            << w4a16_last_error();
        std::vector<uint16_t> y((size_t)(m * n));
        dy.download(y.data(), y.size() * 2);
        Problem rp;
        ASSERT_EQ(validate_problem(&p, &rp), W4A16_OK);
        std::vector<double> ref((size_t)(m * n));
        w4a16_canonical c = hw.desc();
        ASSERT_EQ(reference_gemm(rp, x.data(), c, b.data(), ref.data()), W4A16_OK);
        const kit::ErrorStats e = kit::compare(y.data(), n, ref.data(), m, n, bf16);
        EXPECT_TRUE(e.ok) << (bf16 ? "bf16" : "fp16") << (zeros ? " zeros" : " sym") << " g=" << g << ": "
                          << e.describe();
      }
}

// Every configuration of the table, forced, on shapes with tails in every dimension.
TEST(Family, EveryConfiguration) {
  W4A16_REQUIRE_FAMILY();
  int32_t count = 0;
  ASSERT_EQ(w4a16_config_count(kFamily, &count), W4A16_OK);
  for (int c = 0; c < count; ++c)
    for (bool zeros : {false, true})
      for (bool bf16 : {false, true}) {
        kit::DeviceProblem dp;
        dp.init(kit::make_problem(300, 1000, 448, bf16, 64, zeros, true), kFamily, kit::default_seed() + c);
        const char* name = "";
        w4a16_config_name(kFamily, c, &name);
        for (int64_t m : {1, 33, 300}) {
          dp.p.m = m;
          size_t need = 0;  // only the sm90 gemv configuration refuses a shape: M > 8
          if (w4a16_workspace_size_config(&dp.p, &dp.w, c, &need) == W4A16_ERR_UNSUPPORTED_CONFIG && m > 8) continue;
          w4a16_status st;
          const kit::ErrorStats e = dp.verify(c, &st);
          ASSERT_EQ(st, W4A16_OK) << name << " m=" << m << ": " << w4a16_last_error();
          EXPECT_TRUE(e.ok) << name << " m=" << m << (zeros ? " zeros" : " sym") << (bf16 ? " bf16" : " fp16")
                            << ": " << e.describe();
        }
      }
}

// Runs a verified problem `reps` more times (configuration `config`, -1 = the library's choice) on
// poisoned Y: every run bitwise equal to the first, and the split-K counters left zeroed.
inline void expect_bitwise_repeats(kit::DeviceProblem& dp, int config, const Plan& plan, int reps,
                                   const std::string& what) {
  std::vector<uint16_t> first((size_t)(dp.p.m * dp.p.n)), again(first.size());
  dp.y.download(first.data(), first.size() * 2);
  for (int rep = 0; rep < reps; ++rep) {
    dp.y.fill(0xFF);
    ASSERT_EQ(w4a16_gemm_config(&dp.p, dp.x.get(), &dp.w, dp.bias.get(), dp.y.get(), dp.ws.get(), dp.ws_bytes, config,
                                nullptr),
              W4A16_OK)
        << w4a16_last_error();
    kit::cuda_check(cudaDeviceSynchronize(), "gemm");
    dp.y.download(again.data(), again.size() * 2);
    ASSERT_EQ(again, first) << what << " rep " << rep << " differs bitwise";
  }
  // The workspace is left zeroed (counters reset) after every call.
  if (plan.workspace_bytes == 0) return;  // no split, no workspace (e.g. the sm90 gemv configuration)
  std::vector<int> counters((size_t)(plan.tiles_n * plan.tiles_m));
  kit::cuda_check(cudaMemcpy(counters.data(), dp.ws.get(), counters.size() * 4, cudaMemcpyDeviceToHost), "ws");
  for (int v : counters) ASSERT_EQ(v, 0) << what;
}

// Split-K reduces in a fixed order: repeated runs give bitwise the same Y.
TEST(Family, SplitKIsDeterministic) {
  W4A16_REQUIRE_FAMILY();
  for (int64_t m : {1, 5, 16, 64}) {
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(m, 4096, 4096, true, 128, true, true), kFamily, kit::default_seed() + m);
    Plan plan;
    ASSERT_EQ(plan_for(&dp.p, &dp.w, -1, &plan), W4A16_OK);
    if (m == 1 && plan.split == 1) continue;  // sm90 runs M = 1 here with the gemv configuration (no split)
    EXPECT_GT(plan.split, 1) << "m=" << m << ": this shape is meant to exercise split-K";
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(-1, &st);
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    ASSERT_TRUE(e.ok) << e.describe();
    expect_bitwise_repeats(dp, -1, plan, 5, "m=" + std::to_string(m));
  }
}

// Small problems that still cover split-K (on sm90 both fixups), K and N tails, zeros, bias and the
// second schedule: what scripts/gpu-check.sh runs under compute-sanitizer (memcheck, racecheck,
// synccheck).
TEST(Family, SanitizerSubset) {
  W4A16_REQUIRE_FAMILY();
  const int other = kit::config_by_name(kFamily, kScheduleConfigs[0]);
  const struct {
    int64_t m, n, k;
    int32_t g;
    bool zeros;
    int config;
  } cases[] = {{5, 256, 4096, 128, false, -1}, {33, 264, 448, 64, true, -1}, {300, 264, 448, 64, true, other},
               {7, 1000, 1184, 0, true, -1},    {5, 8192, 1024, 128, false, -1},  // sm90: cluster fixup
               {3, 1000, 1216, 64, true, -1}};  // sm90: the gemv configuration
  for (const auto& c : cases) {
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(c.m, c.n, c.k, true, c.g, c.zeros, true), kFamily, kit::default_seed() + c.m);
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(c.config, &st);
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    EXPECT_TRUE(e.ok) << "m=" << c.m << " n=" << c.n << " k=" << c.k << ": " << e.describe();
  }
}

TEST(Family, LargeProblem) {
  W4A16_REQUIRE_FAMILY();
  for (bool bf16 : {false, true}) {
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(4096, 4096, 4096, bf16, 128, false, true), kFamily, kit::default_seed() + 77);
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(-1, &st);
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    EXPECT_TRUE(e.ok) << e.describe();
  }
}

TEST(Family, LeadingDimensionsAndUntouchedPadding) {
  W4A16_REQUIRE_FAMILY();
  for (const int64_t m : {37, 3}) {  // (M = 3: the sm90 gemv configuration)
    kit::Rng rng(kit::default_seed() + 5 + m);
    const int64_t n = 264, k = 448, lda = 512, ldy = 296;
    kit::HostWeights hw = kit::random_weights(rng, n, k, 64, true, false);
    w4a16_problem p = kit::make_problem(m, n, k, false, 64, true, false);
    p.lda = lda;
    p.ldy = ldy;
    std::vector<uint16_t> x = kit::random_16(rng, m * lda, false);
    kit::DeviceWeights dw;
    kit::pack_on_device(hw, kFamily, &dw);
    kit::DevBuf dx(x.size() * 2), dy((size_t)(m * ldy * 2));
    dx.upload(x.data(), dx.bytes());
    dy.fill(0x5A);
    size_t ws_bytes = 0;
    ASSERT_EQ(w4a16_workspace_size(&p, &dw.w, &ws_bytes), W4A16_OK);
    kit::DevBuf ws(std::max<size_t>(ws_bytes, 16));
    ws.fill(0);
    ASSERT_EQ(w4a16_gemm(&p, dx.get(), &dw.w, nullptr, dy.get(), ws.get(), ws_bytes, nullptr), W4A16_OK)
        << w4a16_last_error();
    std::vector<uint16_t> y((size_t)(m * ldy));
    dy.download(y.data(), y.size() * 2);
    std::vector<double> ref;
    ASSERT_EQ(kit::cpu_reference(p, x.data(), hw, &ref), W4A16_OK) << w4a16_last_error();
    const kit::ErrorStats e = kit::compare(y.data(), ldy, ref.data(), m, n, false);
    EXPECT_TRUE(e.ok) << e.describe();
    for (int64_t r = 0; r < m; ++r)
      for (int64_t c = n; c < ldy; ++c) ASSERT_EQ(y[r * ldy + c], 0x5A5A) << "padding written at " << r << "," << c;
  }
}

TEST(Family, DeviceSideValidation) {
  W4A16_REQUIRE_FAMILY();
  kit::DeviceProblem dp;
  dp.init(kit::make_problem(5, 4096, 4096, false, 128, false, false), kFamily, 3);  // a split plan
  size_t need = 0;
  ASSERT_EQ(w4a16_workspace_size(&dp.p, &dp.w, &need), W4A16_OK);
  ASSERT_GT(need, 0u);
  dp.ensure_workspace(-1);
  EXPECT_EQ(w4a16_gemm(&dp.p, dp.x.get(), &dp.w, nullptr, dp.y.get(), dp.ws.get(), need - 1, nullptr),
            W4A16_ERR_WORKSPACE_TOO_SMALL);
  int32_t count = 0;
  ASSERT_EQ(w4a16_config_count(kFamily, &count), W4A16_OK);
  EXPECT_EQ(w4a16_gemm_config(&dp.p, dp.x.get(), &dp.w, nullptr, dp.y.get(), dp.ws.get(), need, count, nullptr),
            W4A16_ERR_UNSUPPORTED_CONFIG);
  EXPECT_NE(std::string(w4a16_last_error()).find("does not exist"), std::string::npos);
}

}  // namespace
