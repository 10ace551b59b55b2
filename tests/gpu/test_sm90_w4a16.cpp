// test_sm90_w4a16 -- the TMA/wgmma family; runs only on compute capability 9.0 (H100/H200).
#include "gpu_common.h"
#include "dispatch/device.h"
#include "kernels/launch.h"

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

namespace {
// A shape of the schedule tests below (with bias); config nullptr: the heuristic's choice.
struct ScheduleCase {
  int64_t m, n, k;
  int32_t g;
  bool bf16, zeros;
  const char* config;
};

// Plans `c`, lets `expect_plan(plan, what)` check that the plan takes the schedule under test, then
// checks Y against the reference and that repeats are bitwise identical with the workspace counters
// left zero or untouched (expect_bitwise_repeats).
template <class ExpectPlan>
void check_schedule(const ScheduleCase& c, uint64_t seed, ExpectPlan expect_plan) {
  const std::string what = std::string(c.config ? c.config : "heuristic") + " m=" + std::to_string(c.m) +
                           " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k);
  kit::DeviceProblem dp;
  dp.init(kit::make_problem(c.m, c.n, c.k, c.bf16, c.g, c.zeros, true), kFamily, seed);
  const int config = c.config ? kit::config_by_name(kFamily, c.config) : -1;
  Plan plan;
  ASSERT_EQ(plan_for(&dp.p, &dp.w, config, &plan), W4A16_OK) << what << ": " << w4a16_last_error();
  expect_plan(plan, what);
  if (::testing::Test::HasFatalFailure()) return;
  w4a16_status st;
  const kit::ErrorStats e = dp.verify(config, &st);
  ASSERT_EQ(st, W4A16_OK) << what << ": " << w4a16_last_error();
  EXPECT_TRUE(e.ok) << what << ": " << e.describe();
  expect_bitwise_repeats(dp, config, plan, 3, what);
}

int sm_count() {
  int sms = 0;
  kit::cuda_check(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0), "SM count");
  return sms;
}
}  // namespace

// Stream-K (8-token decode tiles whose last whole-tile wave would leave most SMs idle): CTAs share
// k-block ranges across tile boundaries. Shapes chosen so tiles outnumber the CTA slots by a fraction and short K
// makes every range span several tiles (N tails, zeros, bias, bf16, per-channel included).
TEST(Sm90, StreamKDecode) {
  W4A16_REQUIRE_FAMILY();
  const ScheduleCase cases[] = {{1, 57344, 512, 128, false, false, nullptr}, {5, 38904, 640, 64, true, true, nullptr},
                                {8, 36872, 1024, 0, false, true, nullptr},    {3, 40000, 4096, 32, true, false, nullptr},
                                {7, 20000, 512, 128, false, true, nullptr},
                                {2, 76800, 512, 64, true, true, "coop_r128_t8_x2"}};
  for (const ScheduleCase& c : cases)
    check_schedule(c, kit::default_seed() + c.n, [](const Plan& plan, const std::string& what) {
      EXPECT_GT(plan.sk_ctas, 0) << what << ": this shape is meant to use stream-K";
    });
}

// Stream-K fill (Plan::sk_ctas with fewer tiles than SMs): split-K leaves SMs idle and K is long, so
// every CTA takes an equal k-block range and a tile spans up to ceil(kblocks / range) + 1 CTAs (three
// here). Shapes sized from this device's SM count (row tiles ~3/5 of it, K = 7168 or a K tail): 32-,
// 64-, 128- and 256-token tiles, N tails, M tails, a partial last k-block, g = 32 / 64 / 128 /
// per-channel, zeros, bias, bf16.
TEST(Sm90, StreamKFill) {
  W4A16_REQUIRE_FAMILY();
  const int64_t nt = sm_count() * 3 / 5;  // 128-row tiles
  const ScheduleCase cases[] = {{64, 128 * nt - 8, 7168, 128, false, false, nullptr},
                                {45, 128 * nt - 24, 7136, 32, true, true, "coop_r128_t64"},
                                {30, 128 * nt - 40, 7168, 64, false, true, "coop_r128_t32"},
                                {120, 128 * nt, 7168, 0, true, false, "coop_r128_t128"},
                                {250, 128 * nt - 8, 7168, 128, false, true, "coop_r128_t256"}};
  for (const ScheduleCase& c : cases)
    check_schedule(c, kit::default_seed() + c.m, [](const Plan& plan, const std::string& what) {
      ASSERT_GT(plan.sk_ctas, 0) << what << ": this shape is meant to use stream-K fill";
      EXPECT_LT(plan.tiles_n * plan.tiles_m, plan.sk_ctas) << what;
      EXPECT_GE(plan.split, 3) << what << ": tiles should span three CTAs";
    });
}

// Split tail (Plan::full_tiles): cooperative tiles over more than one wave run whole, and only the
// last, partial wave's tiles are cut into K slices. Shapes sized from this device's SM count so the
// tail exists: three tile shapes, N tails (all three), M tails, a K tail (a partial last k-block),
// g = 32 (the per-k16-step scale kernel), g = 128, per-channel, zeros, bias, bf16.
TEST(Sm90, SplitTail) {
  W4A16_REQUIRE_FAMILY();
  const TailSplitScope tail(true);
  const int sms = sm_count();
  const int64_t half = sms / 2 + 5;  // row tiles such that two token tiles of them pass one wave
  const ScheduleCase cases[] = {{61, 128 * (sms + 7) + 8, 2080, 32, true, true, "coop_r128_t128"},
                                {300, 128 * half - 56, 1024, 128, false, false, "coop_r128_t256"},
                                {129, 256 * half - 40, 4096, 0, false, true, "coop_r256_t128"}};
  for (const ScheduleCase& c : cases)
    check_schedule(c, kit::default_seed() + c.m, [](const Plan& plan, const std::string& what) {
      ASSERT_GT(plan.full_tiles, 0) << what << ": this shape is meant to use the split tail";
      EXPECT_GE(plan.split, 2) << what;
    });
}

// Split-K through distributed shared memory (a cluster of the split CTAs of a tile): against the
// reference, bitwise equal to the workspace fixup (two partials: the same sum in either order),
// bitwise repeatable, counters untouched. Decode and mid-M tiles (t64, t128 with an M tail), N
// tails, zeros, bias, bf16, per-channel, g = 32;
// plans as in the CPU test Dispatch.ClusterFixupForSplitPairs.
TEST(Sm90, ClusterFixupMatchesWorkspaceFixup) {
  W4A16_REQUIRE_FAMILY();
  const ClusterReduceScope on(true);
  const struct {
    int64_t m, n, k;
    int32_t g;
    bool bf16, zeros;
  } cases[] = {{1, 8192, 8192, 128, false, false}, {16, 8200, 4096, 64, true, true}, {5, 8000, 2048, 0, false, true},
               {1, 8192, 4096, 32, false, true},   {128, 4104, 4096, 32, false, false},
               {200, 4104, 4096, 128, true, true},  {64, 4096, 14336, 128, true, false}};  // the last: workspace
  int clustered = 0;
  for (const auto& c : cases) {
    const std::string what = "m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k);
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(c.m, c.n, c.k, c.bf16, c.g, c.zeros, true), kFamily, kit::default_seed() + c.k + c.m);
    Plan plan;
    ASSERT_EQ(plan_for(&dp.p, &dp.w, -1, &plan), W4A16_OK);
    EXPECT_GT(plan.split, 1) << what << ": this shape is meant to split";
    const int64_t launches = cluster_launches();
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(-1, &st);
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    EXPECT_TRUE(e.ok) << what << ": " << e.describe();
    expect_bitwise_repeats(dp, -1, plan, 3, what + " (cluster)");
    const bool ran = cluster_launches() > launches;  // the launcher may fall back (cluster occupancy)
    EXPECT_TRUE(!ran || plan.cluster > 1) << what;
    clustered += ran;
    // The same configuration: with the switch off the pick itself may change (the mid-M pick prices the
    // workspace split above the pairs), which would compare two tiles, not two fixups.
    expect_same_y_with_switch_off<ClusterReduceScope>(dp, what + ": cluster and workspace fixups differ", plan.config);
  }
  // On the H100 the first six shapes plan and launch the cluster fixup; at least one must, or this
  // test compared the workspace fixup with itself.
  EXPECT_GE(clustered, 1) << "no launch used the cluster fixup";
  std::printf("cluster fixup launched for %d of 6 planned shapes\n", clustered);
}

// The stream-K quads (Plan::cluster == 4, sm90::quad_reduce), on the 128-token tile they belong to: six problems
// it plans as quads on any 132-SM device (72 tiles as 96 CTAs; Dispatch.StreamKQuadsWhereWholeTilesLeaveAQuarterIdle
// checks the rule) and two it plans so where 28 and 30 clusters of four fit (the H200: 84 tiles as 112 CTAs with a
// K tail, 4576 = 71.5 k-blocks of 64; 90 tiles as 120; Dispatch.StreamKQuadsUpToTheClustersThatFit): N and M tails
// (the shifted last tile at M = 264),
// g = 32 / 64 / 128 / per-channel, zeros, bias, both dtypes; one to five token tiles. Each against the reference,
// bitwise repeatable, and bitwise equal to the same units reduced through the workspace (two terms: IEEE addition
// commutes). Every planned quad must launch as one: the planner's cluster fit is the launcher's.
TEST(Sm90, StreamKQuadsMatchWorkspaceFixup) {
  W4A16_REQUIRE_FAMILY();
  const ClusterReduceScope on(true);
  const QuadsScope quads(true);
  const int t128 = kit::config_by_name(kFamily, "coop_r128_t128");  // the quads' tile (the mid-M pick may take others)
  ASSERT_GE(t128, 0);
  const struct {
    int64_t m, n, k;
    int32_t g;
    bool bf16, zeros;
  } cases[] = {{384, 3072, 4096, 128, false, false}, {200, 4600, 4096, 64, true, true},
               {264, 3072, 3072, 0, false, true},    {128, 9216, 4096, 32, true, true},
               {352, 3072, 4096, 128, false, true},  {512, 2304, 4096, 128, true, false},
               {384, 3584, 4576, 32, false, false},  {576, 2304, 4096, 64, true, true}};
  int launched = 0, planned = 0;
  for (const auto& c : cases) {
    const std::string what = "m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k) +
                             " g=" + std::to_string(c.g) + (c.bf16 ? " bf16" : " fp16") + (c.zeros ? " zeros" : "");
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(c.m, c.n, c.k, c.bf16, c.g, c.zeros, true), kFamily, kit::default_seed() + c.k + 3 * c.m);
    Plan plan;
    ASSERT_EQ(plan_for(&dp.p, &dp.w, t128, &plan), W4A16_OK);
    planned += plan.cluster == 4;
    const int64_t launches = cluster_launches();
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(t128, &st, /*all_rows=*/true);
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    EXPECT_TRUE(e.ok) << what << ": " << e.describe();
    expect_bitwise_repeats(dp, t128, plan, 3, what + " (quads)");
    const bool ran = cluster_launches() > launches;  // the launcher may fall back (cluster occupancy)
    EXPECT_TRUE(!ran || plan.cluster == 4) << what;
    launched += ran;
    expect_same_y_with_switch_off<ClusterReduceScope>(dp, what + ": the quads' and the workspace fixup differ", t128);
  }
  const DeviceProps* d = nullptr;  // the current device's, as plan_for's
  ASSERT_EQ(device_props(-1, &d), W4A16_OK);
  if (d->sm_count == 132) EXPECT_GE(planned, 6) << "a 132-SM device plans at least the 72-tile cases as quads";
  EXPECT_EQ(launched, planned) << "the planner's cluster fit (" << d->quad_clusters
                               << " clusters of four) is not the launcher's";
  std::printf("stream-K quads planned for %d and launched for %d of 8 shapes (%d clusters of four fit)\n", planned,
              launched, d->quad_clusters);
}

// The subnormal dequant of the whole-group kernels of the 16- to 64-token tiles and of bf16's 8- and 128-token
// tiles (cfg::sm90_subn_dequant) against the per-k16-step kernels (expect_subnormal_dequant_and_fallback).
// Ten problems with the library's own plans (on 132 SMs: t8 with a cluster pair (fp16 and bf16) and with
// stream-K, t16 split 4, t32 cluster pair, t64, r128_t128 three times: fp16 with zeros, bf16 with zeros, bf16
// cluster pair; r256_t128 bf16; M = 1032 is past the plan-priced picks (versions 139-140, M = 129-960), and at
// M = 520 they keep the 128-token pairs on 1544 x 4096),
// N and M tails, g = 128 and per-channel, zeros, bias, both dtypes.
TEST(Sm90, SubnormalDequantAndItsFallback) {
  W4A16_REQUIRE_FAMILY();
  const SubnCase cases[] = {
      {1, 8192, 4096, 128, false, false},  {16, 4104, 4096, 0, true, true}, {64, 4096, 2048, 128, true, false},
      {1032, 1032, 1024, 128, false, true}, {1, 57344, 512, 128, false, true}, {33, 1000, 512, 0, false, false},
      {1024, 1536, 512, 128, true, true},  {520, 1544, 4096, 128, true, false}, {100, 28672, 512, 128, true, false},
      {1, 8192, 4096, 128, true, false}};
  int subn = 0;
  for (const auto& c : cases)
    subn += expect_subnormal_dequant_and_fallback(c,
      [](const Plan& pl, const SubnCase& c) {
        const cfg::Sm90Config& k = cfg::kSm90Configs[pl.config];  // the form's rule and the WG kernel's
        return k.sched != cfg::Sched::Gemv && cfg::sm90_subn_dequant(c.bf16, k.tn) && (c.g == 0 || c.g >= k.kb);
      });
  EXPECT_GE(subn, 1) << "no case took a subnormal instance";  // 7 of 10 on 132 SMs
  std::printf("subnormal instance in %d of 10 cases\n", subn);
}

// The shifted last token tile (sm90::x_row0): every configuration (but gemv) at M just past one tile,
// its last token tile holding 1 and tn/2 - 1 tokens (both shifted in the MB = 1 kernels) and tn/2 (not
// shifted), and at 2 tn + 3 (shifted); bias, fp16 and bf16, symmetric and zeros on each configuration's
// shifted cases, against the reference on every row of poisoned Y (the tokens a shifted tile shares with
// the previous one are written by that tile only), with bitwise repeats. Four shapes for the plans a
// shifted tile meets (on 132 SMs, each configuration's own plan): 4104 x 4096 cluster pairs (t8, t16,
// t32, t64, t128 at M < 2 tn), 1000 x 4096 workspace split-K (5-16 ways), 5120 x 16384 stream-K fill
// (the cooperative one-per-SM tiles at M < 2 tn), 57344 x 1024 persistent waves and, at 2 tn + 3, the
// split tail. On 4104 x 4096 the 64-token tile's pairs run both forms of its pair instance (version 130):
// with the shift at M = 65 and 95, without it at M = 96 (at 131 the tiles run whole); bf16's 128-token
// pairs take the form without it wherever their last tile is at least half full (version 132); the launch
// counters say which form each cluster launch took.
TEST(Sm90, ShiftedLastTokenTile) {
  W4A16_REQUIRE_FAMILY();
  int32_t count = 0;
  ASSERT_EQ(w4a16_config_count(kFamily, &count), W4A16_OK);
  const int64_t shapes[][2] = {{4104, 4096}, {1000, 4096}, {5120, 16384}, {57344, 1024}};
  int ran = 0, noshift_ran = 0;
  for (int c = 0; c < count; ++c) {
    const cfg::Sm90Config& k = cfg::kSm90Configs[c];
    if (k.sched == cfg::Sched::Gemv) continue;
    const int64_t ms[] = {k.tn + 1, k.tn + k.tn / 2 - 1, k.tn + k.tn / 2, 2 * k.tn + 3};
    for (const auto& [n, kk] : shapes)
      for (int i = 0; i < 4; ++i) {
        const int64_t m = ms[i];
        const bool bf16 = (i + c) % 2 == 1, zeros = (i / 2 + c) % 2 == 1;
        const std::string what = std::string(k.name) + " m=" + std::to_string(m) + " n=" + std::to_string(n) +
                                 " k=" + std::to_string(kk) + (bf16 ? " bf16" : " fp16") + (zeros ? " zeros" : " sym");
        kit::DeviceProblem dp;
        dp.init(kit::make_problem(m, n, kk, bf16, 128, zeros, true), kFamily,
                kit::default_seed() + 17 * c + m + n);
        Plan plan;
        ASSERT_EQ(plan_for(&dp.p, &dp.w, c, &plan), W4A16_OK) << what << ": " << w4a16_last_error();
        w4a16_status st;
        const int64_t clusters = cluster_launches(), noshifts = noshift_launches();
        const kit::ErrorStats e = dp.verify(c, &st, /*all_rows=*/true);
        ASSERT_EQ(st, W4A16_OK) << what << ": " << w4a16_last_error();
        EXPECT_TRUE(e.ok) << what << ": " << e.describe();
        // The form without the shift: exactly the 64-token (and bf16 128-token) pair launches whose last
        // tile does not shift (of these M, only tn + tn / 2: its last tile is half full).
        const bool pair = cluster_launches() > clusters, noshift = noshift_launches() > noshifts;
        EXPECT_EQ(noshift, pair && k.mb == 1 && (k.tn == 64 || (k.tn == 128 && bf16)) && i == 2)
            << what << ": the pair instance's form (plan split " << plan.split << ", cluster " << plan.cluster << ")";
        noshift_ran += noshift;
        expect_bitwise_repeats(dp, c, plan, 2, what);
        ++ran;
      }
  }
  EXPECT_EQ(ran, 16 * (count - 1));  // one gemv configuration
  EXPECT_GE(noshift_ran, 1) << "no launch took a pair instance without the shift";
  std::printf("pair instances without the shift launched in %d cases\n", noshift_ran);
}
