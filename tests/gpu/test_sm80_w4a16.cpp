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

// The decode tiles' per-k-block instances dequantize in the subnormal form (sm80::subn_dequant), which
// needs w4a16_weights::small_scales; without it the same tiles take their per-32-of-k instance (the
// magic-number form, any scale). Both forms compute every W^ exactly as the format says, in the same
// summation order, so with the flag cleared by hand small-scale weights give bitwise the same Y; weights
// with scales up to 0.6 (flag 0) match the reference. Nine problems with the library's own plans (on 132
// SMs: r128_t16 split 16 with the sum grid, twice; r128_t8 split 8 and split 2; r64_t16 split 5, 1 and 8;
// r64_t8 split 4; r128_t16 split 8), N and M tails, g = 128 and per-channel, zeros, bias, both dtypes.
TEST(Sm80, SubnormalDequantAndItsFallback) {
  W4A16_REQUIRE_FAMILY();
  const struct {
    int64_t m, n, k;
    int32_t g;
    bool bf16, zeros;
  } cases[] = {{16, 4096, 14336, 128, false, false}, {8, 8192, 4096, 128, true, true},  {12, 6144, 4096, 0, false, true},
               {16, 1000, 512, 128, true, false},    {7, 4104, 2048, 128, false, false}, {16, 8192, 8192, 128, false, true},
               {16, 4096, 14336, 0, true, true},     {3, 2048, 1024, 128, false, false}, {13, 2056, 4096, 128, true, false}};
  for (const auto& c : cases) {
    const std::string what = "m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k) +
                             " g=" + std::to_string(c.g) + (c.bf16 ? " bf16" : " fp16") + (c.zeros ? " zeros" : " sym");
    const w4a16_problem prob = kit::make_problem(c.m, c.n, c.k, c.bf16, c.g, c.zeros, true);
    for (const bool large : {false, true}) {
      kit::DeviceProblem dp;
      if (large) dp.init(prob, kFamily, kit::default_seed() + c.n + 1, 0.05f, 0.6f);
      else dp.init(prob, kFamily, kit::default_seed() + c.n);
      EXPECT_EQ(dp.w.small_scales, large ? 0 : 1) << what;
      w4a16_status st;
      const kit::ErrorStats e = dp.verify(-1, &st);
      ASSERT_EQ(st, W4A16_OK) << what << ": " << w4a16_last_error();
      EXPECT_TRUE(e.ok) << what << (large ? " (scales to 0.6)" : "") << ": " << e.describe();
      if (large) continue;
      const size_t elems = (size_t)(c.m * c.n);
      std::vector<uint16_t> subn(elems), magic(elems);
      dp.y.download(subn.data(), elems * 2);  // verify() ran the product last
      dp.w.small_scales = 0;
      dp.y.fill(0xFF);
      ASSERT_EQ(w4a16_gemm_config(&dp.p, dp.x.get(), &dp.w, dp.bias.get(), dp.y.get(), dp.ws.get(), dp.ws_bytes, -1,
                                  nullptr),
                W4A16_OK)
          << w4a16_last_error();
      kit::cuda_check(cudaDeviceSynchronize(), "the product without small_scales");
      dp.y.download(magic.data(), elems * 2);
      EXPECT_EQ(subn, magic) << what << ": the subnormal and magic-number dequants differ";
    }
  }
}
