// The GPU reference kernel against the CPU reference on small shapes: it is what checks every large
// GPU problem, so it must agree to fp32 output precision (both sum exact fp32 products in fp64).
#include "gpu_common.h"
#include "host/reference.h"

using namespace w4a16;

class GpuReference : public ::testing::TestWithParam<std::tuple<int32_t, bool, bool, bool>> {};

TEST_P(GpuReference, MatchesCpuReference) {
  W4A16_REQUIRE_GPU();
  const auto [group, zeros, bf16, bias] = GetParam();
  kit::Rng rng(kit::default_seed() + group * 8 + zeros * 4 + bf16 * 2 + bias);
  for (const auto& [m, n] : {std::pair<int64_t, int64_t>{1, 8}, {7, 264}, {33, 40}}) {
    const int64_t k = group ? 3 * group : 1184;
    kit::HostWeights hw = kit::random_weights(rng, n, k, group, zeros, bf16);
    const w4a16_problem p = kit::make_problem(m, n, k, bf16, group, zeros, bias);
    std::vector<uint16_t> x = kit::random_16(rng, m * k, bf16), b = kit::random_16(rng, n, bf16);
    kit::DeviceWeights dw;
    kit::pack_on_device(hw, W4A16_FAMILY_REFERENCE, &dw);
    kit::DevBuf dx(x.size() * 2), db(b.size() * 2), dy32((size_t)(m * n * 4)), dy((size_t)(m * n * 2));
    dx.upload(x.data(), dx.bytes());
    db.upload(b.data(), db.bytes());
    ASSERT_EQ(gemm_reference_f32(&p, dx.get(), &dw.w, db.get(), static_cast<float*>(dy32.get()), 0, m, nullptr),
              W4A16_OK)
        << w4a16_last_error();
    std::vector<float> got((size_t)(m * n));
    dy32.download(got.data(), got.size() * 4);
    Problem rp;
    ASSERT_EQ(validate_problem(&p, &rp), W4A16_OK);
    std::vector<double> ref((size_t)(m * n));
    w4a16_canonical c = hw.desc();
    ASSERT_EQ(reference_gemm(rp, x.data(), c, b.data(), ref.data()), W4A16_OK);
    for (size_t i = 0; i < ref.size(); ++i)
      ASSERT_NEAR(got[i], ref[i], 1e-6 * (1 + std::fabs(ref[i]))) << "m=" << m << " n=" << n << " i=" << i;
    // The reference family through w4a16_gemm (dtype output) within the documented bounds.
    dy.fill(0xFF);
    ASSERT_EQ(w4a16_gemm(&p, dx.get(), &dw.w, db.get(), dy.get(), nullptr, 0, nullptr), W4A16_OK) << w4a16_last_error();
    std::vector<uint16_t> y((size_t)(m * n));
    dy.download(y.data(), y.size() * 2);
    const kit::ErrorStats e = kit::compare(y.data(), n, ref.data(), m, n, bf16);
    EXPECT_TRUE(e.ok) << e.describe();
  }
}

INSTANTIATE_TEST_SUITE_P(AllModes, GpuReference,
                         ::testing::Combine(::testing::Values(32, 64, 128, 256, 0), ::testing::Bool(),
                                            ::testing::Bool(), ::testing::Bool()));
