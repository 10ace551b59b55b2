// family_tests.h -- the GPU test matrix of DESIGN §4, shared by test_sm80_w4a16 and test_sm90_w4a16.
// The including file defines kFamily, family_runs_here() and kScheduleConfigs (config names forced in
// the matrix besides the heuristic's choice, e.g. the ping-pong schedule).
//
// Bounds (src/testkit/testkit.h, DESIGN §4): ‖Y − Yref‖/‖Yref‖ ≤ 1e-3 (fp16), 8e-3 (bf16); element-wise
// |Y − Yref| ≤ ulp(dtype)·|Yref| + 1e-3·rms(Yref); NaN/Inf never pass; Y is poisoned (NaN) before
// every launch so an unwritten element fails.
#pragma once
#include <algorithm>
#include <string>
#include <vector>

#include <cuda_runtime_api.h>

#include "dispatch/configs.h"
#include "dispatch/heuristic.h"
#include "gpu_common.h"
#include "kernels/launch.h"
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

// Whether the gemv configuration's staged X (M x K) fits this device's shared memory at two CTAs per
// SM (the plan's rule, dispatch/heuristic.cpp): 100 KB per SM (A10, L4/L40, RTX 30-50) holds less.
bool gemv_x_fits(int64_t m, int64_t k) {
  int dev = 0, optin = 0, per_sm = 0;
  kit::cuda_check(cudaGetDevice(&dev), "device");
  kit::cuda_check(cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, dev), "smem");
  kit::cuda_check(cudaDeviceGetAttribute(&per_sm, cudaDevAttrMaxSharedMemoryPerMultiprocessor, dev), "smem");
  const int64_t per_cta = std::min<int64_t>(optin, per_sm / cfg::kGemvCtasPerSm - 1024);
  return m * ((k + 63) / 64) * cfg::kGemvAtomBytes + cfg::kGemvStaticSmem <= per_cta;
}

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
        ws.fill_random(kit::default_seed() + m);  // never zeroed: split_counter.h
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

// Every configuration of the table, forced, on shapes with tails in every dimension: g = 64 with a
// K tail (groups smaller than a 128-wide k-block), and g = 128 for the kernels that load each scale
// pair once per k-block (groups of at least a k-block).
TEST(Family, EveryConfiguration) {
  W4A16_REQUIRE_FAMILY();
  int32_t count = 0;
  ASSERT_EQ(w4a16_config_count(kFamily, &count), W4A16_OK);
  for (int c = 0; c < count; ++c)
    for (int32_t g : {64, 128})
      for (bool zeros : {false, true})
        for (bool bf16 : {false, true}) {
          kit::DeviceProblem dp;
          dp.init(kit::make_problem(300, 1000, g == 64 ? 448 : 640, bf16, g, zeros, true), kFamily,
                  kit::default_seed() + c + g);
          const char* name = "";
          w4a16_config_name(kFamily, c, &name);
          for (int64_t m : {1, 33, 300}) {
            dp.p.m = m;
            size_t need = 0;  // only the gemv configuration refuses a shape: M > 8
            if (w4a16_workspace_size_config(&dp.p, &dp.w, c, &need) == W4A16_ERR_UNSUPPORTED_CONFIG && m > 8) continue;
            w4a16_status st;
            const kit::ErrorStats e = dp.verify(c, &st);
            ASSERT_EQ(st, W4A16_OK) << name << " m=" << m << " g=" << g << ": " << w4a16_last_error();
            EXPECT_TRUE(e.ok) << name << " m=" << m << " g=" << g << (zeros ? " zeros" : " sym")
                              << (bf16 ? " bf16" : " fp16") << ": " << e.describe();
          }
        }
}

// The split-K counters of the plan's tiles (the workspace's prefix; none without a workspace).
inline std::vector<SplitCounter> read_counters(const kit::DeviceProblem& dp, const Plan& plan) {
  std::vector<SplitCounter> counters(plan.workspace_bytes ? (size_t)(plan.tiles_n * plan.tiles_m) : 0);
  if (!counters.empty()) dp.ws.download(counters.data(), counters.size() * sizeof(SplitCounter));
  return counters;
}

// The counters after products: each zero (a tile they counted: every product leaves its `count` so,
// and `recount` zero or, where the count was clean, untouched; split_counter.h) or as `before` (a tile
// none of them counted: one run whole, or reduced through a cluster or the sm80 sum grid).
// `all_counted`: every tile's count must be zero. Returns how many counts went from nonzero to zero;
// reports the first wrong tile only.
inline int expect_counters_left(const kit::DeviceProblem& dp, const Plan& plan,
                                const std::vector<SplitCounter>& before, bool all_counted, const std::string& what) {
  const std::vector<SplitCounter> after = read_counters(dp, plan);
  int zeroed = 0;
  for (size_t t = 0; t < after.size(); ++t) {
    const bool zero = after[t].count == 0 && (after[t].recount == 0 || after[t].recount == before[t].recount);
    const bool kept = after[t].count == before[t].count && after[t].recount == before[t].recount;
    if (!zero && !(kept && !all_counted)) {
      ADD_FAILURE() << what << ": tile " << t << "'s counter left at " << after[t].count << ", "
                    << after[t].recount << " (before: " << before[t].count << ", " << before[t].recount << ")";
      break;
    }
    if (zero && before[t].count != 0) ++zeroed;
  }
  return zeroed;
}

// Runs a verified problem `reps` more times (configuration `config`, -1 = the library's choice) on
// poisoned Y: every run bitwise equal to the first, and the split-K counters left zero or untouched.
inline void expect_bitwise_repeats(kit::DeviceProblem& dp, int config, const Plan& plan, int reps,
                                   const std::string& what) {
  std::vector<uint16_t> first((size_t)(dp.p.m * dp.p.n)), again(first.size());
  dp.y.download(first.data(), first.size() * 2);
  const std::vector<SplitCounter> before = read_counters(dp, plan);
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
  expect_counters_left(dp, plan, before, false, what);
}

// The subnormal dequant and its fallback (both families; cfg::sm90_subn_dequant, sm80's kScalesPerKBlockSubn):
// the form needs w4a16_weights::small_scales, and weights without it take a magic-number kernel of the same
// configuration. Both compute every W^ exactly as the format says, in the same summation order, so with the
// flag cleared by hand small-scale weights give bitwise the same Y; weights with scales up to 0.6 (flag 0)
// match the reference. A launch counter checks the subnormal form ran where `expect_subn(plan, case)`
// (the family's rule for the library's own plan) says it should, and nowhere else; returns that verdict.
struct SubnCase {
  int64_t m, n, k;
  int32_t g;
  bool bf16, zeros;
};
template <class ExpectSubn>
bool expect_subnormal_dequant_and_fallback(const SubnCase& c, ExpectSubn expect_subn) {
  const std::string what = "m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k) +
                           " g=" + std::to_string(c.g) + (c.bf16 ? " bf16" : " fp16") + (c.zeros ? " zeros" : " sym");
  const w4a16_problem prob = kit::make_problem(c.m, c.n, c.k, c.bf16, c.g, c.zeros, true);
  bool expect = false;
  for (const bool large : {false, true}) {
    kit::DeviceProblem dp;
    if (large) dp.init(prob, kFamily, kit::default_seed() + c.n + 1, 0.05f, 0.6f);
    else dp.init(prob, kFamily, kit::default_seed() + c.n);
    EXPECT_EQ(dp.w.small_scales, large ? 0 : 1) << what;
    if (!large) {
      Plan plan;
      EXPECT_EQ(plan_for(&dp.p, &dp.w, -1, &plan), W4A16_OK) << what;
      expect = expect_subn(plan, c);
    }
    w4a16_status st;
    const int64_t subn_before = subn_launches();
    const kit::ErrorStats e = dp.verify(-1, &st);
    EXPECT_EQ(st, W4A16_OK) << what << ": " << w4a16_last_error();
    if (st != W4A16_OK) return expect;
    EXPECT_TRUE(e.ok) << what << (large ? " (scales to 0.6)" : "") << ": " << e.describe();
    const bool subn_ran = subn_launches() > subn_before;
    if (large) {
      EXPECT_FALSE(subn_ran) << what << ": the subnormal form ran for scales to 0.6";
      continue;
    }
    EXPECT_EQ(subn_ran, expect) << what << (expect ? ": no subnormal instance ran" : ": a subnormal instance ran");
    const size_t elems = (size_t)(c.m * c.n);
    std::vector<uint16_t> subn(elems), magic(elems);
    dp.y.download(subn.data(), elems * 2);  // verify() ran the product last
    const int64_t subn_after = subn_launches();
    dp.w.small_scales = 0;
    dp.y.fill(0xFF);
    const w4a16_status again = w4a16_gemm_config(&dp.p, dp.x.get(), &dp.w, dp.bias.get(), dp.y.get(), dp.ws.get(),
                                                 dp.ws_bytes, -1, nullptr);
    EXPECT_EQ(again, W4A16_OK) << w4a16_last_error();
    if (again != W4A16_OK) return expect;
    kit::cuda_check(cudaDeviceSynchronize(), "the product without small_scales");
    EXPECT_EQ(subn_launches(), subn_after) << what << ": the subnormal form ran with the flag cleared";
    dp.y.download(magic.data(), elems * 2);
    EXPECT_EQ(subn, magic) << what << ": the subnormal and magic-number dequants differ";
  }
  return expect;
}

// Split-K reduces in a fixed order: repeated runs give bitwise the same Y.
// Y of the product `dp` has just run against Y of the same product (configuration `config`; -1: the
// heuristic's) run again with a setting switched off for it (Off: a SettingScope of dispatch/heuristic.h):
// bitwise equal, or `what` is the failure message.
template <class Off>
void expect_same_y_with_switch_off(kit::DeviceProblem& dp, const std::string& what, int config = -1) {
  const size_t elems = (size_t)(dp.p.m * dp.p.n);
  std::vector<uint16_t> on(elems), off(elems);
  dp.y.download(on.data(), elems * 2);
  dp.y.fill(0xFF);
  w4a16_status st;
  {
    const Off scope(false);
    st = w4a16_gemm_config(&dp.p, dp.x.get(), &dp.w, dp.bias.get(), dp.y.get(), dp.ws.get(), dp.ws_bytes, config,
                           nullptr);
  }
  ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
  kit::cuda_check(cudaDeviceSynchronize(), "the product with the setting off");
  dp.y.download(off.data(), elems * 2);
  EXPECT_EQ(on, off) << what;
}

TEST(Family, SplitKIsDeterministic) {
  W4A16_REQUIRE_FAMILY();
  for (int64_t m : {1, 5, 16, 64}) {
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(m, 4096, 4096, true, 128, true, true), kFamily, kit::default_seed() + m);
    Plan plan;
    ASSERT_EQ(plan_for(&dp.p, &dp.w, -1, &plan), W4A16_OK);
    if (m == 1 && plan.config == kit::config_by_name(kFamily, "gemv_t8")) continue;  // no split by design
    EXPECT_GT(plan.split, 1) << "m=" << m << ": this shape is meant to exercise split-K";
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(-1, &st);
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    ASSERT_TRUE(e.ok) << e.describe();
    expect_bitwise_repeats(dp, -1, plan, 5, "m=" + std::to_string(m));
  }
}

// The workspace needs no zeroing (kernels/common/split_counter.h): whatever its counters hold before a
// split product, Y is bitwise the Y of a zeroed workspace (itself checked against the reference) and
// the counters are zero (or untouched) after it. Contents: random bytes, all ones, every count at
// exactly `split` arrivals, an earlier launch's arrivals in every recount (another tag), a zero count
// beside a stale recount, and a captured graph (whose tag repeats) replayed over a workspace made dirty
// again before each replay. The partials are random bytes before every product, so a split that summed
// before the others had stored would show in Y. Every fixup goes through the workspace here: the
// cluster pairs and quads (sm90) and the sum grid (sm80) are switched off. Which shapes split depends
// on the SM count (on 132 SMs: 5 of the 6 for sm90, workspace split-K and stream-K, 4 for sm80); the
// split tail's first product runs on the test kit's random workspace in Sm90.SplitTail.
TEST(Family, WorkspaceNeedsNoZeroing) {
  W4A16_REQUIRE_FAMILY();
  const ClusterReduceScope no_pairs(false);
  const QuadsScope no_quads(false);
  const SumApartScope no_sum_grid(false);
  struct Case {
    int64_t m, n, k;
    int32_t g;
    bool bf16, zeros;
  };
  const Case cases[] = {{5, 4096, 4096, 128, true, true},  {16, 4096, 14336, 128, false, false},
                        {64, 4096, 4096, 64, false, true}, {1, 57344, 512, 128, false, false},
                        {3, 40000, 4096, 32, true, false}, {200, 4104, 4096, 128, false, true}};
  int split_cases = 0;
  for (const Case& c : cases) {
    const std::string what = "m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k);
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(c.m, c.n, c.k, c.bf16, c.g, c.zeros, true), kFamily, kit::default_seed() + c.n + c.m);
    Plan plan;
    ASSERT_EQ(plan_for(&dp.p, &dp.w, -1, &plan), W4A16_OK) << what << ": " << w4a16_last_error();
    if (plan.workspace_bytes == 0) continue;  // this family's plan does not split this shape
    ++split_cases;
    dp.ensure_workspace(-1);
    dp.ws.fill(0);
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(-1, &st);
    ASSERT_EQ(st, W4A16_OK) << what << ": " << w4a16_last_error();
    ASSERT_TRUE(e.ok) << what << ": " << e.describe();
    const size_t elems = (size_t)(dp.p.m * dp.p.n);
    std::vector<uint16_t> clean(elems), got(elems);
    dp.y.download(clean.data(), elems * 2);
    // Every tile is split, or (stream-K, a split tail) some are: each product over counts found set
    // must zero at least one, and leave the others as they were.
    const bool all_split = plan.sk_ctas == 0 && plan.full_tiles == 0;
    std::vector<SplitCounter> before;
    auto expect_clean_y = [&](const std::string& how, bool counts_were_set = true) {
      kit::cuda_check(cudaDeviceSynchronize(), "gemm");
      dp.y.download(got.data(), elems * 2);
      ASSERT_EQ(got, clean) << what << ", " << how << ": Y differs from the zeroed workspace's";
      const int zeroed = expect_counters_left(dp, plan, before, all_split, what + ", " + how);
      if (counts_were_set) EXPECT_GT(zeroed, 0) << what << ", " << how << ": no count found set was zeroed";
    };
    auto run = [&] {
      before = read_counters(dp, plan);
      dp.y.fill(0xFF);
      ASSERT_EQ(w4a16_gemm(&dp.p, dp.x.get(), &dp.w, dp.bias.get(), dp.y.get(), dp.ws.get(), dp.ws_bytes, nullptr),
                W4A16_OK)
          << w4a16_last_error();
    };
    std::vector<SplitCounter> counters(kSplitCounters);
    auto set_counters = [&](auto fill) {  // over random partials
      dp.ws.fill_random(kit::default_seed() + 7);
      for (size_t t = 0; t < counters.size(); ++t) fill((unsigned long long)t, counters[t]);
      dp.ws.upload(counters.data(), counters.size() * sizeof(SplitCounter));
      kit::cuda_check(cudaDeviceSynchronize(), "counters");
    };
    dp.ws.fill_random(kit::default_seed() + 1);
    run();
    expect_clean_y("random bytes");
    dp.ws.fill(0xFF);
    run();
    expect_clean_y("all ones");
    set_counters([&](unsigned long long t, SplitCounter& v) { v = {0, (0xFEDCBA987654ull + t) << kRecountBits | 1}; });
    run();
    expect_clean_y("a zero count beside a stale recount", false);
    set_counters([&](unsigned long long t, SplitCounter& v) { v = {kArrival * (unsigned long long)plan.split, t}; });
    run();
    expect_clean_y("split arrivals counted");
    set_counters([&](unsigned long long t, SplitCounter& v) {
      v = {~0ull - t, (0x123456789ABull + t) << kRecountBits | (unsigned long long)(plan.split - 1)};
    });
    run();
    expect_clean_y("an earlier launch's recount");
    // A graph: its launch's tag is the same at every replay. A blocking stream, and the fills finished
    // before each replay (an upload from pageable memory can return before its copy lands).
    cudaStream_t s;
    kit::cuda_check(cudaStreamCreate(&s), "stream");
    cudaGraph_t graph;
    cudaGraphExec_t exec;
    kit::cuda_check(cudaStreamBeginCapture(s, cudaStreamCaptureModeThreadLocal), "capture");
    st = w4a16_gemm(&dp.p, dp.x.get(), &dp.w, dp.bias.get(), dp.y.get(), dp.ws.get(), dp.ws_bytes, s);
    kit::cuda_check(cudaStreamEndCapture(s, &graph), "end capture");
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    kit::cuda_check(cudaGraphInstantiate(&exec, graph, 0), "instantiate");
    for (int rep = 0; rep < 3; ++rep) {
      dp.ws.fill_random(kit::default_seed() + 2 + rep);
      dp.y.fill(0xFF);
      kit::cuda_check(cudaDeviceSynchronize(), "fills");
      before = read_counters(dp, plan);
      kit::cuda_check(cudaGraphLaunch(exec, s), "replay");
      kit::cuda_check(cudaStreamSynchronize(s), "replay");
      expect_clean_y("graph replay " + std::to_string(rep) + " over random bytes");
    }
    dp.y.fill(0xFF);
    kit::cuda_check(cudaDeviceSynchronize(), "fill");
    before = read_counters(dp, plan);
    kit::cuda_check(cudaGraphLaunch(exec, s), "replay");  // over the workspace the last replay left
    kit::cuda_check(cudaStreamSynchronize(s), "replay");
    expect_clean_y("graph replay over its own workspace", false);
    cudaGraphExecDestroy(exec);
    cudaGraphDestroy(graph);
    cudaStreamDestroy(s);
  }
  EXPECT_GE(split_cases, 1) << "none of the shapes splits on this device";
}

// The tile raster in bands of any width (Plan::band, forced as W4A16_BAND does): widths that leave an
// uneven last band, one tile, and wider than the banded dimension; bands along tokens (most shapes)
// and along weight rows (two row tiles, many token tiles), split-K, the split tail and stream-K
// included where the plan takes them. Every tile must be computed exactly once: checked against the
// reference, then repeated: bitwise identical.
TEST(Family, RasterBandsOfAnyWidth) {
  W4A16_REQUIRE_FAMILY();
  const struct {
    int64_t m, n, k;
    bool zeros;
  } cases[] = {{1000, 1544, 256, true}, {2400, 760, 512, false}, {2400, 248, 512, true}, {200, 6152, 1024, false},
               {8, 20000, 512, true}};
  const int gemv = kit::config_by_name(kFamily, "gemv_t8");
  int along_rows = 0;
  for (const int band : {3, 1, 5, 64}) {
    const BandScope scope(band);
    for (const auto& c : cases) {
      const std::string what = "band " + std::to_string(band) + " m=" + std::to_string(c.m) + " n=" + std::to_string(c.n);
      kit::DeviceProblem dp;
      dp.init(kit::make_problem(c.m, c.n, c.k, band == 5, 128, c.zeros, true), kFamily, kit::default_seed() + c.m + band);
      Plan plan;
      ASSERT_EQ(plan_for(&dp.p, &dp.w, -1, &plan), W4A16_OK);
      if (plan.config != gemv) EXPECT_EQ(plan.band, band) << what;  // gemv has no raster
      along_rows += plan.config != gemv && !plan.band_m;
      w4a16_status st;
      const kit::ErrorStats e = dp.verify(-1, &st);
      ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
      EXPECT_TRUE(e.ok) << what << (plan.band_m ? " (bands along tokens): " : " (bands along rows): ") << e.describe();
      expect_bitwise_repeats(dp, -1, plan, 2, what);
    }
  }
  EXPECT_GT(along_rows, 0) << "no case banded along weight rows";
}

// The gemv configuration of both families (kernels/common/gemv.cuh, the heuristic's choice for small
// decode layers: gemv_pick, sm80_gemv_pick), forced over every M it takes (1-8) and beyond the heuristic's range:
// both dtypes, symmetric and zeros, g = 32 / 64 / 128 / 256 / per-channel, bias, N tails (N % 16 == 8, one
// padded row block), K tails (K % 64 != 0), a K too short for every warp to get an atom, long K (X
// staged in 56 KiB of shared memory at M = 2; 20 atoms per warp, past one 16-atom staging batch per
// token), and a large layer; checked against the reference, then repeated: bitwise identical. Past
// its M, or where X does not fit this device's shared memory at two CTAs per SM, the configuration
// is refused, not run.
TEST(Family, Gemv) {
  W4A16_REQUIRE_FAMILY();
  const int config = kit::config_by_name(kFamily, "gemv_t8");
  ASSERT_GE(config, 0);
  const struct {
    int64_t m, n, k;
    int32_t g;
    bool bf16, zeros;
  } cases[] = {{1, 4096, 4096, 128, false, false}, {2, 4104, 4000, 32, true, true},   {3, 1000, 1184, 0, false, true},
               {4, 8, 448, 64, true, false},        {5, 2056, 2048, 128, false, true},  {6, 264, 224, 32, false, false},
               {7, 6152, 4096, 64, true, true},     {8, 1016, 96, 32, true, true},
               {2, 4096, 14336, 128, false, true},  {2, 264, 20480, 32, true, true},
               {1, 57344, 8192, 128, true, false},  {3, 2048, 4096, 256, true, true}};
  int ran = 0;
  for (const auto& c : cases) {
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(c.m, c.n, c.k, c.bf16, c.g, c.zeros, true), kFamily, kit::default_seed() + c.n + c.m);
    Plan plan;
    const w4a16_status planned = plan_for(&dp.p, &dp.w, config, &plan);
    const std::string what =
        "gemv m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k);
    if (!gemv_x_fits(c.m, c.k)) {
      EXPECT_EQ(planned, W4A16_ERR_UNSUPPORTED_CONFIG) << what << ": X does not fit, yet planned";
      continue;
    }
    ++ran;
    ASSERT_EQ(planned, W4A16_OK) << what << ": " << w4a16_last_error();
    EXPECT_EQ(plan.workspace_bytes, 0u) << what;
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(config, &st);
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    EXPECT_TRUE(e.ok) << what << ": " << e.describe();
    expect_bitwise_repeats(dp, config, plan, 3, what);
  }
  EXPECT_GE(ran, 8) << "most cases fit any device's shared memory";
  kit::DeviceProblem dp;
  dp.init(kit::make_problem(9, 256, 256, false, 128, false, false), kFamily, kit::default_seed());
  EXPECT_EQ(w4a16_gemm_config(&dp.p, dp.x.get(), &dp.w, nullptr, dp.y.get(), nullptr, 0, config, nullptr),
            W4A16_ERR_UNSUPPORTED_CONFIG);
  EXPECT_NE(std::string(w4a16_last_error()).find("M <= 8"), std::string::npos) << w4a16_last_error();
}

// Programmatic dependent launch keeps stream order: a product that reads the previous product's Y
// as its X (read after write), and one that writes its Y over the X the previous product is still
// reading (write after read), back to back on one stream with no synchronisation in between, give
// bitwise the results of the same products run one at a time. Repeated, so the kernels overlap.
// sm90 launches every kernel with PDL; sm80 its decode kernels (gemv_t8, r128_t8, r128_t16) where
// their code waits for the previous grid (sm_90 and later: its sm_90a code on a CC 9.0 device, and
// the test checks that PDL launches happened there), before and after its other tiles.
TEST(Family, ProgrammaticDependentLaunchKeepsStreamOrder) {
  W4A16_REQUIRE_FAMILY();
  const int64_t pdl_before = pdl_launches();
  for (const int64_t m : {16, 2}) {  // M = 2: a and c run the gemv configuration, b a decode tile
    const int64_t k = 4096;
    kit::DeviceProblem a, b, c;  // a: X[m][k] -> Y[m][k];  b: reads a's Y;  c: writes over a's X
    a.init(kit::make_problem(m, k, k, false, 128, false, true), kFamily, kit::default_seed() + 11);
    b.init(kit::make_problem(m, 57344, k, false, 128, true, true), kFamily, kit::default_seed() + 12);
    c.init(kit::make_problem(m, k, k, false, 128, false, false), kFamily, kit::default_seed() + 13);
    for (kit::DeviceProblem* d : {&a, &b, &c}) d->ensure_workspace(-1);
    auto gemm = [](kit::DeviceProblem& d, const void* x, void* y, cudaStream_t s) {
      return w4a16_gemm(&d.p, x, &d.w, d.bias.get(), y, d.ws.get(), d.ws_bytes, s);
    };
    cudaStream_t s;
    kit::cuda_check(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), "stream");
    const size_t ay = (size_t)(m * k), by = (size_t)(m * 57344);
    std::vector<uint16_t> x0(ay), a_ref(ay), b_ref(by), a_got(ay), b_got(by);
    a.x.download(x0.data(), ay * 2);
    // One at a time: a, then b on a's Y.
    ASSERT_EQ(gemm(a, a.x.get(), a.y.get(), s), W4A16_OK) << w4a16_last_error();
    kit::cuda_check(cudaStreamSynchronize(s), "a");
    ASSERT_EQ(gemm(b, a.y.get(), b.y.get(), s), W4A16_OK) << w4a16_last_error();
    kit::cuda_check(cudaStreamSynchronize(s), "b");
    a.y.download(a_ref.data(), ay * 2);
    b.y.download(b_ref.data(), by * 2);
    for (int rep = 0; rep < 20; ++rep) {
      a.x.upload(x0.data(), ay * 2);
      a.y.fill(0xFF);
      b.y.fill(0xFF);
      kit::cuda_check(cudaDeviceSynchronize(), "reset");
      ASSERT_EQ(gemm(a, a.x.get(), a.y.get(), s), W4A16_OK);  // reads a.x, writes a.y
      ASSERT_EQ(gemm(b, a.y.get(), b.y.get(), s), W4A16_OK);  // reads a.y (RAW)
      ASSERT_EQ(gemm(a, a.x.get(), a.y.get(), s), W4A16_OK);  // reads a.x again...
      ASSERT_EQ(gemm(c, c.x.get(), a.x.get(), s), W4A16_OK);  // ...which this overwrites (WAR)
      kit::cuda_check(cudaStreamSynchronize(s), "chain");
      a.y.download(a_got.data(), ay * 2);
      b.y.download(b_got.data(), by * 2);
      ASSERT_EQ(b_got, b_ref) << "rep " << rep << ": the dependent product read its X too early";
      ASSERT_EQ(a_got, a_ref) << "rep " << rep << ": the next product overwrote X while it was read";
    }
    kit::cuda_check(cudaStreamDestroy(s), "stream");
  }
  if (pdl_enabled() && (kFamily == W4A16_FAMILY_SM90 || (W4A16_HAVE_SM90 && device_cc() == 90)))
    EXPECT_GT(pdl_launches(), pdl_before) << "no product was launched with PDL: the ordering was not tested";
}

// Small problems that still cover split-K (on sm90 both fixups, on sm80 the sum grid too), K and N
// tails, zeros, bias and the second schedule: what scripts/gpu-check.sh runs under compute-sanitizer
// (memcheck, racecheck, synccheck).
TEST(Family, SanitizerSubset) {
  W4A16_REQUIRE_FAMILY();
  const int other = kit::config_by_name(kFamily, kScheduleConfigs[0]);
  const int gemv = kit::config_by_name(kFamily, "gemv_t8");
  struct Case {
    int64_t m, n, k;
    int32_t g;
    bool zeros;
    int config;
  };
  std::vector<Case> cases = {{5, 256, 4096, 128, false, -1}, {33, 264, 448, 64, true, -1},
                             {300, 264, 448, 64, true, other}, {7, 1000, 1184, 0, true, -1},
                             {5, 8192, 1024, 128, false, -1},  // sm90: cluster fixup
                             {3, 1000, 1216, 64, true, gemv},  // (forced: sm80 picks it only from K = 2048)
                             {13, 264, 16640, 64, true, -1}};  // sm80 on the H100: the sum grid, split 32
  if (kFamily == W4A16_FAMILY_SM90) {
    // The token tiles whose width is not a power of two (versions 125-127): the 96-token tile's three
    // 32-token epilogue chunks over one partial tile, whole (64 tiles: the model keeps 8 k-blocks unsplit)
    // and in cluster pairs (K = 2048: split 2 on 128 CTAs); the 192-token tile's second token tile shifted
    // back to end at row M; the 160-token tile's five chunks over one partial tile with zeros, whole, and
    // in an 8-way workspace split (no pairs at 160 tokens). Plans as on 132 SMs (H100, H200); the two split
    // cases came after the thirty-sixth session's last device call.
    const int t96 = kit::config_by_name(kFamily, "coop_r128_t96");
    const int t160 = kit::config_by_name(kFamily, "coop_r128_t160");
    const int t192 = kit::config_by_name(kFamily, "coop_r128_t192");
    ASSERT_GE(t96, 0);
    ASSERT_GE(t160, 0);
    ASSERT_GE(t192, 0);
    cases.push_back({72, 264, 448, 64, true, t96});
    cases.push_back({80, 8192, 1024, 128, false, t96});
    cases.push_back({200, 264, 1024, 128, false, t192});
    cases.push_back({150, 264, 448, 64, true, t160});
    cases.push_back({136, 8192, 1024, 128, false, t160});
    cases.push_back({80, 8192, 2048, 128, false, t96});
    cases.push_back({136, 2048, 2048, 128, false, t160});
    // The 64-token tile's cluster pairs in both forms of their instance (version 130): M = 72 with the last-tile
    // shift, M = 96 without (Dispatch.ClusterFixupForSplitPairs checks the plans). Added after the thirty-eighth
    // session's last device call.
    const int t64 = kit::config_by_name(kFamily, "coop_r128_t64");
    ASSERT_GE(t64, 0);
    cases.push_back({72, 4104, 2048, 128, false, t64});
    cases.push_back({96, 4104, 2048, 128, false, t64});
    // The 128-token tile's bf16 cluster pairs likewise (version 132): M = 160 with the shift, M = 192 without.
    const int t128 = kit::config_by_name(kFamily, "coop_r128_t128");
    ASSERT_GE(t128, 0);
    cases.push_back({160, 4104, 2048, 128, false, t128});
    cases.push_back({192, 4104, 2048, 128, false, t128});
    // The 128-token tile's stream-K quads (Plan::cluster == 4): 24 x 3 tiles as 96 CTAs in clusters of four,
    // the last token tile (8 tokens) shifted, with zeros (Dispatch.StreamKQuadsWhereWholeTilesLeaveAQuarterIdle).
    // Under racecheck (W4A16_CLUSTER_REDUCE=0) the same units through the workspace. Added in the fortieth session.
    cases.push_back({264, 3072, 3072, 128, true, t128});
  }
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
  const int gemv = kit::config_by_name(kFamily, "gemv_t8");
  for (const int64_t m : {37, 3}) {  // M = 3: the gemv configuration, forced
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
    const int config = m == 3 ? gemv : -1;
    ASSERT_EQ(w4a16_workspace_size_config(&p, &dw.w, config, &ws_bytes), W4A16_OK) << w4a16_last_error();
    kit::DevBuf ws(std::max<size_t>(ws_bytes, 16));
    ws.fill_random(kit::default_seed() + m);  // never zeroed: split_counter.h
    ASSERT_EQ(w4a16_gemm_config(&p, dx.get(), &dw.w, nullptr, dy.get(), ws.get(), ws_bytes, config, nullptr),
              W4A16_OK)
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
