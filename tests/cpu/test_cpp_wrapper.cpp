// The C++ wrapper: statuses carry the C API's code and message; owning types are movable; without a
// GPU everything fails cleanly (no throw, no crash).
#include <gtest/gtest.h>

#include "testkit/testkit.h"
#include "w4a16/w4a16.hpp"

using namespace w4a16;

TEST(CppWrapper, StatusCarriesCodeAndMessage) {
  w4a16_problem p = kit::make_problem(0, 64, 256, false, 128, false, false);
  w4a16::Weights w;
  w4a16::Workspace ws;
  const Status s = w4a16::gemm(p, nullptr, w, nullptr, nullptr, ws, nullptr);
  EXPECT_FALSE(s);
  EXPECT_EQ(s.code, W4A16_ERR_INVALID_SHAPE);
  EXPECT_NE(s.message.find("M=0"), std::string::npos) << s.message;
  EXPECT_TRUE(Status::from(W4A16_OK));
}

TEST(CppWrapper, NoGpuFailsCleanly) {
  if (kit::gpu_available()) GTEST_SKIP() << "a GPU is present";
  kit::Rng rng(2);
  kit::HostWeights hw = kit::random_weights(rng, 16, 128, 128, false, false);
  w4a16::Weights w;
  const Status s = w4a16::Weights::pack(hw.desc(), W4A16_FAMILY_AUTO, nullptr, &w);
  EXPECT_EQ(s.code, W4A16_ERR_NO_DEVICE) << s.message;
  EXPECT_TRUE(w.empty());
  w4a16::DeviceMemory m;
  EXPECT_FALSE(m.allocate(1024));
  EXPECT_EQ(m.get(), nullptr);
  w4a16::DeviceMemory moved(std::move(m));
  EXPECT_EQ(moved.size(), 0u);
}
