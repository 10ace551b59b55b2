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

// Plan::sum_apart (sm80 decode plans with >= 128 KiB of partials per tile, compute capability 9.0):
// the splits' grid and the sum grid against the reference, bitwise repeatable, and bitwise equal to
// the in-kernel fixup (the same additions in the same order). Split 16 and 32 (the sum's second
// batch of 16), 8- and 16-token tiles, M and N tails, zeros, bias, bf16, per-channel and g = 64.
// The plans are those of the CPU test Dispatch.Sm80SumApartForLongReadBacks.
TEST(Sm80, SumApartMatchesInKernelFixup) {
  W4A16_REQUIRE_FAMILY();
  const SumApartScope on(true);
  const struct {
    int64_t m, n, k;
    int32_t g;
    bool bf16, zeros;
  } cases[] = {{16, 4096, 14336, 128, true, false}, {13, 264, 16640, 64, false, true},
               {12, 520, 16384, 0, true, true},     {6, 1032, 16640, 128, false, false}};
  int apart = 0;
  for (const auto& c : cases) {
    const std::string what = "m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k);
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(c.m, c.n, c.k, c.bf16, c.g, c.zeros, true), kFamily, kit::default_seed() + c.k + c.m);
    Plan plan;
    ASSERT_EQ(plan_for(&dp.p, &dp.w, -1, &plan), W4A16_OK);
    if (!plan.sum_apart) continue;  // not planned off the H100
    const int64_t launches = sum_apart_launches();
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(-1, &st);
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    EXPECT_TRUE(e.ok) << what << ": " << e.describe();
    expect_bitwise_repeats(dp, -1, plan, 3, what + " (sum apart)");
    apart += sum_apart_launches() > launches;  // not where PDL is off (W4A16_PDL=0)
    expect_same_y_with_switch_off<SumApartScope>(dp, what + ": the sum grid and the in-kernel fixup differ");
  }
  // Launched wherever the plan has it and the code that runs waits for the previous grid (built
  // for sm_90a: compute_80 PTX on the H100 has no wait and falls back to the in-kernel fixup).
  if (W4A16_HAVE_SM90 && device_cc() == 90 && pdl_enabled())
    EXPECT_EQ(apart, 4) << "the H100 plans and launches the sum grid for all four";
  std::printf("sum grid launched for %d of 4 shapes\n", apart);
}

// The subnormal dequant in the tiles with whole-group scales (kScalesPerKBlockSubn) against their
// per-32-of-k fallback (expect_subnormal_dequant_and_fallback). Twelve problems with the library's own plans
// (on 132 SMs: r128_t16 split 16 with the sum grid, twice; r128_t8 split 8 and split 2; r64_t16 split 5, 1
// and 8; r64_t8 split 4; r128_t16 split 8; r128_t32 split 8; r128_t64_w8x1 split 8; r128_t64_w4x1 split 2),
// N and M tails, g = 128 and per-channel, zeros, bias, both dtypes.
TEST(Sm80, SubnormalDequantAndItsFallback) {
  W4A16_REQUIRE_FAMILY();
  const SubnCase cases[] = {
      {16, 4096, 14336, 128, false, false}, {8, 8192, 4096, 128, true, true},    {12, 6144, 4096, 0, false, true},
      {16, 1000, 512, 128, true, false},    {7, 4104, 2048, 128, false, false},  {16, 8192, 8192, 128, false, true},
      {16, 4096, 14336, 0, true, true},     {3, 2048, 1024, 128, false, false},  {13, 2056, 4096, 128, true, false},
      {32, 2056, 4096, 128, true, true},    {48, 4104, 4096, 0, false, false},   {100, 8200, 8192, 128, true, false}};
  int subn = 0;
  for (const auto& c : cases)
    subn += expect_subnormal_dequant_and_fallback(c,
      [](const Plan& pl, const SubnCase& c) {
        const cfg::Sm80Config& k = cfg::kSm80Configs[pl.config];  // the launcher's kScalesPerKBlockSubn rule
        return !k.gemv && k.whole_group_scales() && (c.g == 0 || c.g >= k.kb);
      });
  EXPECT_GE(subn, 1) << "no case took a subnormal instance";  // 12 of 12 on 132 SMs
  std::printf("subnormal instance in %d of 12 cases\n", subn);
}
