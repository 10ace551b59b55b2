// test_sm90_w4a16 -- the TMA/wgmma family; runs only on compute capability 9.0 (H100/H200).
#include "gpu_common.h"
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

// Stream-K (8-token decode tiles whose last whole-tile wave would leave most SMs idle): CTAs share
// k-block ranges across tile boundaries. Shapes chosen so tiles outnumber the CTA slots by a fraction and short K
// makes every range span several tiles (N tails, zeros, bias, bf16, per-channel included).
// Checked against the reference, then repeated: bitwise identical, workspace counters left zeroed.
TEST(Sm90, StreamKDecode) {
  W4A16_REQUIRE_FAMILY();
  const struct {
    int64_t m, n, k;
    int32_t g;
    bool bf16, zeros;
    const char* config;  // nullptr: the heuristic's choice
  } cases[] = {{1, 57344, 512, 128, false, false, nullptr}, {5, 38904, 640, 64, true, true, nullptr},
               {8, 36872, 1024, 0, false, true, nullptr},    {3, 40000, 4096, 32, true, false, nullptr},
               {7, 20000, 512, 128, false, true, nullptr},   {2, 76800, 512, 64, true, true, "coop_r128_t8_x2"}};
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
    expect_bitwise_repeats(dp, config, plan, 3, "n=" + std::to_string(c.n));
  }
}

// The gemv configuration (kernels/common/gemv.cuh, the heuristic's choice for small decode layers,
// gemv_pick), forced over every M it takes (1-8) and beyond the heuristic's range: both dtypes,
// symmetric and zeros, g = 32 / 64 / 128 / per-channel, bias, N tails (N % 16 == 8, one padded row
// block), K tails (K % 64 != 0), a K too short for every warp to get an atom, long K (X staged in
// 56 KiB of shared memory at M = 2; 20 atoms per warp, past one 16-atom staging batch per token),
// and a shape of the TMA kernels' size; checked against the
// reference, then repeated: bitwise identical. Past its M the configuration is refused, not run.
TEST(Sm90, Gemv) {
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
               {1, 57344, 8192, 128, true, false}};
  for (const auto& c : cases) {
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(c.m, c.n, c.k, c.bf16, c.g, c.zeros, true), kFamily, kit::default_seed() + c.n + c.m);
    Plan plan;
    ASSERT_EQ(plan_for(&dp.p, &dp.w, config, &plan), W4A16_OK);
    const std::string what =
        "gemv m=" + std::to_string(c.m) + " n=" + std::to_string(c.n) + " k=" + std::to_string(c.k);
    EXPECT_EQ(plan.workspace_bytes, 0u) << what;
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(config, &st);
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    EXPECT_TRUE(e.ok) << what << ": " << e.describe();
    expect_bitwise_repeats(dp, config, plan, 3, what);
  }
  kit::DeviceProblem dp;
  dp.init(kit::make_problem(9, 256, 256, false, 128, false, false), kFamily, kit::default_seed());
  EXPECT_EQ(w4a16_gemm_config(&dp.p, dp.x.get(), &dp.w, nullptr, dp.y.get(), nullptr, 0, config, nullptr),
            W4A16_ERR_UNSUPPORTED_CONFIG);
  EXPECT_NE(std::string(w4a16_last_error()).find("M <= 8"), std::string::npos) << w4a16_last_error();
}

// Split tail (Plan::full_tiles): cooperative tiles over more than one wave run whole, and only the
// last, partial wave's tiles are cut into K slices. Shapes sized from this device's SM count so the
// tail exists: three tile shapes, N tails (all three), M tails, a K tail (a partial last k-block),
// g = 32 (the per-k16-step scale kernel), g = 128, per-channel, zeros, bias, bf16; checked against
// the reference, then repeated: bitwise identical, workspace counters left zeroed.
TEST(Sm90, SplitTail) {
  W4A16_REQUIRE_FAMILY();
  const TailSplitScope tail(true);
  int sms = 0;
  kit::cuda_check(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0), "SM count");
  const int64_t half = sms / 2 + 5;  // row tiles such that two token tiles of them pass one wave
  const struct {
    int64_t m, n, k;
    int32_t g;
    bool bf16, zeros;
    const char* config;
  } cases[] = {{61, 128 * (sms + 7) + 8, 2080, 32, true, true, "coop_r128_t128"},
               {300, 128 * half - 56, 1024, 128, false, false, "coop_r128_t256"},
               {129, 256 * half - 40, 4096, 0, false, true, "coop_r256_t128"}};
  for (const auto& c : cases) {
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(c.m, c.n, c.k, c.bf16, c.g, c.zeros, true), kFamily, kit::default_seed() + c.m);
    const int config = kit::config_by_name(kFamily, c.config);
    Plan plan;
    ASSERT_EQ(plan_for(&dp.p, &dp.w, config, &plan), W4A16_OK);
    const std::string what = std::string(c.config) + " m=" + std::to_string(c.m) + " n=" + std::to_string(c.n);
    ASSERT_GT(plan.full_tiles, 0) << what << ": this shape is meant to use the split tail";
    EXPECT_GE(plan.split, 2) << what;
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(config, &st);
    ASSERT_EQ(st, W4A16_OK) << w4a16_last_error();
    EXPECT_TRUE(e.ok) << what << ": " << e.describe();
    expect_bitwise_repeats(dp, config, plan, 3, what);
  }
}

// Programmatic dependent launch keeps stream order: a product that reads the previous product's Y
// as its X (read after write), and one that writes its Y over the X the previous product is still
// reading (write after read), back to back on one stream with no synchronisation in between, give
// bitwise the results of the same products run one at a time. Repeated, so the kernels overlap.
TEST(Sm90, ProgrammaticDependentLaunchKeepsStreamOrder) {
  W4A16_REQUIRE_FAMILY();
  for (const int64_t m : {16, 4}) {  // M = 4: a and c run the gemv configuration, b the TMA kernel
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
}

// Split-K through distributed shared memory (a cluster of the split CTAs of a tile): against the
// reference, bitwise equal to the workspace fixup (both add the partials in split order), bitwise
// repeatable, counters untouched. Decode tiles, N tails, zeros, bias, bf16, per-channel, g = 32;
// plans as in the CPU test Dispatch.ClusterFixupForSplitPairs.
TEST(Sm90, ClusterFixupMatchesWorkspaceFixup) {
  W4A16_REQUIRE_FAMILY();
  const ClusterReduceScope on(true);
  const struct {
    int64_t m, n, k;
    int32_t g;
    bool bf16, zeros;
  } cases[] = {{1, 8192, 8192, 128, false, false}, {16, 8200, 4096, 64, true, true}, {5, 8000, 2048, 0, false, true},
               {1, 8192, 4096, 32, false, true},   {64, 4096, 14336, 128, true, false}};  // the last: workspace
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
    std::vector<uint16_t> with_cluster((size_t)(c.m * c.n)), without((size_t)(c.m * c.n));
    dp.y.download(with_cluster.data(), with_cluster.size() * 2);
    dp.y.fill(0xFF);
    w4a16_status s2;
    {
      const ClusterReduceScope off(false);
      s2 = w4a16_gemm_config(&dp.p, dp.x.get(), &dp.w, dp.bias.get(), dp.y.get(), dp.ws.get(), dp.ws_bytes, -1,
                             nullptr);
    }
    ASSERT_EQ(s2, W4A16_OK) << w4a16_last_error();
    kit::cuda_check(cudaDeviceSynchronize(), "workspace fixup");
    dp.y.download(without.data(), without.size() * 2);
    EXPECT_EQ(with_cluster, without) << what << ": cluster and workspace fixups differ";
  }
  // On the H100 the first four shapes plan and launch the cluster fixup; at least one must, or this
  // test compared the workspace fixup with itself.
  EXPECT_GE(clustered, 1) << "no launch used the cluster fixup";
  std::printf("cluster fixup launched for %d of 4 planned shapes\n", clustered);
}
