// Every validation error at the API boundary: its own status and a message that names the value and
// what is accepted. Pointers handed to w4a16_gemm are never dereferenced before validation passes, so
// fake aligned addresses suffice here.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "dispatch/heuristic.h"
#include "kernels/launch.h"
#include "testkit/testkit.h"

using namespace w4a16;

namespace {

void* fake(uintptr_t a) { return reinterpret_cast<void*>(a); }

struct Fixture {
  kit::Rng rng{5};
  kit::HostWeights hw;
  std::vector<uint8_t> packed;
  w4a16_weights w{};
  w4a16_problem p{};
  Fixture(w4a16_family family = W4A16_FAMILY_SM80) {
    hw = kit::random_weights(rng, 64, 256, 128, false, false);
    size_t bytes = 0;
    kit::api_check(w4a16_packed_size(family, 64, 256, 128, 0, &bytes), "size");
    packed.resize(bytes);
    w4a16_canonical c = hw.desc();
    kit::api_check(w4a16_pack_host(&c, family, packed.data(), bytes, &w), "pack");
    w.on_device = 1;  // pretend it was copied: validation never reads it
    w.data = fake(0x100000);
    p = kit::make_problem(4, 64, 256, false, 128, false, false);
  }
  w4a16_status gemm(const void* x = fake(0x2000), void* y = fake(0x3000), const void* bias = nullptr) {
    return w4a16_gemm(&p, x, &w, bias, y, nullptr, 0, nullptr);
  }
};

void expect_error(w4a16_status got, w4a16_status want, const char* needle) {
  EXPECT_EQ(got, want) << w4a16_status_name(got) << ": " << w4a16_last_error();
  EXPECT_NE(std::string(w4a16_last_error()).find(needle), std::string::npos)
      << "message '" << w4a16_last_error() << "' lacks '" << needle << "'";
}

}  // namespace

TEST(Validate, BadShapes) {
  Fixture f;
  f.p.m = 0;
  expect_error(f.gemm(), W4A16_ERR_INVALID_SHAPE, "M=0");
  f.p.m = -3;
  expect_error(f.gemm(), W4A16_ERR_INVALID_SHAPE, "M=-3");
  f.p.m = 4;
  f.p.n = 0;
  expect_error(f.gemm(), W4A16_ERR_INVALID_SHAPE, "N=0");
  f.p.n = 100;
  expect_error(f.gemm(), W4A16_ERR_INVALID_SHAPE, "N=100 is not a multiple of 8");
  f.p.n = 64;
  f.p.k = 0;
  expect_error(f.gemm(), W4A16_ERR_INVALID_SHAPE, "K=0");
  f.p.k = 272;
  f.p.group_size = W4A16_GROUP_PER_CHANNEL;
  expect_error(f.gemm(), W4A16_ERR_INVALID_SHAPE, "K=272 is not a multiple of 32");
  f.p.m = int64_t{1} << 40;
  expect_error(f.gemm(), W4A16_ERR_INVALID_SHAPE, "out of range");
}

// 2^30 is the largest M, N, K: the kernels index in 32-bit ints and add a tile to them (at N = 2^31 - 8
// the sm80 tiles' padded row count wrapped and Y came out as the bias).
TEST(Validate, ShapesUpTo2To30) {
  Fixture f;
  f.p.m = (int64_t{1} << 30) + 1;
  expect_error(f.gemm(), W4A16_ERR_INVALID_SHAPE, "M=1073741825 is out of range; accepted: 1 <= M <= 1073741824");
  size_t bytes = 0;
  expect_error(w4a16_packed_size(W4A16_FAMILY_SM80, (int64_t{1} << 31) - 8, 32, 32, 0, &bytes), W4A16_ERR_INVALID_SHAPE,
               "N=2147483640 is out of range");
  expect_error(w4a16_packed_size(W4A16_FAMILY_SM90, 64, (int64_t{1} << 30) + 32, 32, 0, &bytes),
               W4A16_ERR_INVALID_SHAPE, "K=1073741856 is out of range");
  EXPECT_EQ(w4a16_packed_size(W4A16_FAMILY_SM80, int64_t{1} << 30, 32, 32, 0, &bytes), W4A16_OK) << w4a16_last_error();
}

// Y is written while X, the weights and bias are read: an overlap (an in-place product above all) is
// refused before anything is planned or launched.
TEST(Validate, OverlappingBuffers) {
  Fixture f;  // M = 4, N = 64, K = 256: X [0x2000, 0x2800), Y 512 B
  expect_error(f.gemm(fake(0x2000), fake(0x2000)), W4A16_ERR_INVALID_ARGUMENT, "y [0x2000, +512 B) overlaps x");
  expect_error(f.gemm(fake(0x2000), fake(0x27f0)), W4A16_ERR_INVALID_ARGUMENT, "overlaps x [0x2000, +2048 B)");
  expect_error(f.gemm(fake(0x2000), fake(0x1e10)), W4A16_ERR_INVALID_ARGUMENT, "overlaps x");
  expect_error(f.gemm(fake(0x2000), fake(0x100000 + 64)), W4A16_ERR_INVALID_ARGUMENT, "overlaps weights->data");
  f.p.has_bias = 1;
  expect_error(f.gemm(fake(0x2000), fake(0x3000), fake(0x3100)), W4A16_ERR_INVALID_ARGUMENT, "y [0x3000, +512 B) "
               "overlaps bias [0x3100, +128 B): the product writes y while it uses bias");
  f.p.lda = 512;  // X rows 1 KiB apart: X spans [0x2000, 0x2e00)
  f.p.has_bias = 0;
  expect_error(f.gemm(fake(0x2000), fake(0x2d00)), W4A16_ERR_INVALID_ARGUMENT, "overlaps x [0x2000, +3584 B)");
}

// X and Y as column slices of one row-major buffer share no element and are accepted; a Y slice that
// reaches into X's columns is refused. (A forced configuration that does not exist ends the accepted
// calls before anything launches: W4A16_ERR_NO_DEVICE here, W4A16_ERR_UNSUPPORTED_CONFIG on a GPU.)
TEST(Validate, InterleavedColumnSlicesAreNotOverlaps) {
  Fixture f;  // M = 4, N = 64, K = 256
  auto gemm = [&](uintptr_t x, uintptr_t y) {
    return w4a16_gemm_config(&f.p, fake(x), &f.w, nullptr, fake(y), nullptr, 0, 9999, nullptr);
  };
  f.p.lda = f.p.ldy = 320;  // [4][320]: X in columns [0, 256), Y in [256, 320)
  EXPECT_NE(gemm(0x10000, 0x10000 + 512), W4A16_ERR_INVALID_ARGUMENT) << w4a16_last_error();
  expect_error(gemm(0x10000, 0x10000 + 496), W4A16_ERR_INVALID_ARGUMENT, "y [0x101f0, +2048 B) overlaps x");
  expect_error(gemm(0x10000 + 512, 0x10000 + 512 - 640 * 3), W4A16_ERR_INVALID_ARGUMENT, "overlaps x");
  f.p.lda = 640;  // X rows 1280 B apart, 512 B wide; Y rows 640 B apart, 128 B wide: they interleave
  EXPECT_NE(gemm(0x10000, 0x10000 + 512), W4A16_ERR_INVALID_ARGUMENT) << w4a16_last_error();
  expect_error(gemm(0x10000, 0x10000 + 384), W4A16_ERR_INVALID_ARGUMENT, "overlaps x");
  expect_error(gemm(0x10000, 0x10000 + 1536), W4A16_ERR_INVALID_ARGUMENT, "overlaps x");  // X row 1
}

// A launch that fails for want of the device's code (a build without its architecture) is the device's
// error, naming the build's targets; other launch errors are CUDA's; only the launch's own result counts.
TEST(Validate, ALaunchWithoutTheDevicesCodeIsAnUnsupportedDevice) {
  const Plan pl;
  expect_error(check_launch("k", pl, 128, cudaErrorNoKernelImageForDevice), W4A16_ERR_UNSUPPORTED_DEVICE,
               "this build of w4a16 holds code for");
  expect_error(check_launch("k", pl, 128, cudaErrorInvalidDeviceFunction), W4A16_ERR_UNSUPPORTED_DEVICE,
               "rebuild with W4A16_CUDA_ARCHS");
  expect_error(check_launch("k", pl, 128, cudaErrorLaunchOutOfResources), W4A16_ERR_CUDA, "cudaErrorLaunchOutOfResources");
  EXPECT_EQ(check_launch("k", pl, 128, cudaSuccess), W4A16_OK);
}

TEST(Validate, GroupSizes) {
  Fixture f;
  f.p.group_size = 48;
  expect_error(f.gemm(), W4A16_ERR_INVALID_GROUP, "group size 48 is not supported; accepted: 32, 64, 128, 256");
  f.p.group_size = 128;
  f.p.k = 320;
  expect_error(f.gemm(), W4A16_ERR_K_NOT_MULTIPLE_OF_GROUP, "K=320 is not a multiple of group size 128");
}

TEST(Validate, LeadingDimensions) {
  Fixture f;
  f.p.lda = 200;
  expect_error(f.gemm(), W4A16_ERR_INVALID_LEADING_DIM, "lda=200");
  f.p.lda = 260;
  expect_error(f.gemm(), W4A16_ERR_INVALID_LEADING_DIM, "multiple of 8");
  f.p.lda = 0;
  f.p.ldy = 60;
  expect_error(f.gemm(), W4A16_ERR_INVALID_LEADING_DIM, "ldy=60");
}

TEST(Validate, DtypeEnum) {
  Fixture f;
  f.p.dtype = (w4a16_dtype)7;
  expect_error(f.gemm(), W4A16_ERR_INVALID_ARGUMENT, "dtype=7");
}

TEST(Validate, NullAndMisalignedPointers) {
  Fixture f;
  expect_error(f.gemm(nullptr), W4A16_ERR_NULL_POINTER, "x is NULL");
  expect_error(f.gemm(fake(0x2000), nullptr), W4A16_ERR_NULL_POINTER, "y is NULL");
  expect_error(f.gemm(fake(0x2002)), W4A16_ERR_MISALIGNED_POINTER, "x=");
  expect_error(f.gemm(fake(0x2000), fake(0x3008)), W4A16_ERR_MISALIGNED_POINTER, "not 16-byte aligned");
  f.p.has_bias = 1;
  expect_error(f.gemm(), W4A16_ERR_NULL_POINTER, "bias is NULL");
  expect_error(f.gemm(fake(0x2000), fake(0x3000), fake(0x4004)), W4A16_ERR_MISALIGNED_POINTER, "bias=");
  f.p.has_bias = 0;
  f.w.data = nullptr;
  expect_error(f.gemm(), W4A16_ERR_NULL_POINTER, "weights->data is NULL");
  expect_error(w4a16_gemm(&f.p, fake(0x2000), nullptr, nullptr, fake(0x3000), nullptr, 0, nullptr),
               W4A16_ERR_NULL_POINTER, "weights is NULL");
  expect_error(w4a16_gemm(nullptr, fake(0x2000), &f.w, nullptr, fake(0x3000), nullptr, 0, nullptr),
               W4A16_ERR_NULL_POINTER, "problem is NULL");
}

TEST(Validate, WeightsOfTheWrongShapeOrKind) {
  Fixture f;
  w4a16_weights bad = f.w;
  bad.magic = 0;
  expect_error(w4a16_gemm(&f.p, fake(0x2000), &bad, nullptr, fake(0x3000), nullptr, 0, nullptr),
               W4A16_ERR_WEIGHTS_MISMATCH, "not filled in by w4a16_pack");
  bad = f.w;
  bad.dtype = (w4a16_dtype)5;
  expect_error(w4a16_gemm(&f.p, fake(0x2000), &bad, nullptr, fake(0x3000), nullptr, 0, nullptr),
               W4A16_ERR_WEIGHTS_MISMATCH, "dtype 5, which is not a dtype");
  f.p.n = 128;
  expect_error(f.gemm(), W4A16_ERR_WEIGHTS_MISMATCH, "weights are 64 x 256");
  f.p.n = 64;
  f.p.group_size = 64;
  expect_error(f.gemm(), W4A16_ERR_WEIGHTS_MISMATCH, "group size 128");
  f.p.group_size = 128;
  f.p.has_zeros = 1;
  expect_error(f.gemm(), W4A16_ERR_WEIGHTS_MISMATCH, "symmetric");
  f.p.has_zeros = 0;
  f.p.dtype = W4A16_BF16;
  expect_error(f.gemm(), W4A16_ERR_WEIGHTS_MISMATCH, "fp16 scales");
  f.p.dtype = W4A16_FP16;
  bad = f.w;
  bad.bytes = 16;
  expect_error(w4a16_gemm(&f.p, fake(0x2000), &bad, nullptr, fake(0x3000), nullptr, 0, nullptr),
               W4A16_ERR_WEIGHTS_MISMATCH, "hold 16 bytes");
}

TEST(Validate, WrongFamilyOrResidence) {
  Fixture host(W4A16_FAMILY_HOST);
  expect_error(host.gemm(), W4A16_ERR_WRONG_FAMILY, "host family");
  Fixture f;
  f.w.on_device = 0;
  expect_error(f.gemm(), W4A16_ERR_WRONG_FAMILY, "host memory");
  // The CPU backend refuses GPU-packed weights.
  Fixture g;
  std::vector<uint16_t> x(4 * 256), y(4 * 64);
  expect_error(w4a16_gemm_host(&g.p, x.data(), &g.w, nullptr, y.data()), W4A16_ERR_WRONG_FAMILY, "host family");
}

TEST(Validate, WorkspaceTooSmall) {
  Plan plan;
  plan.workspace_bytes = 4096;
  expect_error(check_workspace(plan, fake(0x8000), 1024), W4A16_ERR_WORKSPACE_TOO_SMALL,
               "workspace of 1024 bytes is smaller than the 4096 bytes");
  expect_error(check_workspace(plan, nullptr, 8192), W4A16_ERR_NULL_POINTER, "workspace is NULL");
  expect_error(check_workspace(plan, fake(0x8004), 8192), W4A16_ERR_MISALIGNED_POINTER, "workspace=");
  plan.workspace_bytes = 0;
  EXPECT_EQ(check_workspace(plan, nullptr, 0), W4A16_OK);
}

TEST(Validate, NoGpu) {
  if (kit::gpu_available()) GTEST_SKIP() << "a GPU is present: the no-device error cannot be produced here";
  Fixture f;
  expect_error(f.gemm(), W4A16_ERR_NO_DEVICE, "no CUDA device");
  w4a16_family fam;
  expect_error(w4a16_select_family(-1, &fam), W4A16_ERR_NO_DEVICE, "no CUDA device");
  w4a16_device_info info;
  expect_error(w4a16_get_device_info(0, &info), W4A16_ERR_NO_DEVICE, "no CUDA device");
  EXPECT_EQ(w4a16_device_count(), 0);
}

TEST(Validate, PackingErrors) {
  kit::Rng rng(9);
  kit::HostWeights hw = kit::random_weights(rng, 16, 128, 64, true, false);
  w4a16_canonical c = hw.desc();
  size_t bytes = 0;
  expect_error(w4a16_packed_size(W4A16_FAMILY_AUTO, 16, 128, 64, 1, &bytes), W4A16_ERR_INVALID_ARGUMENT, "family=0");
  ASSERT_EQ(w4a16_packed_size(W4A16_FAMILY_SM90, 16, 128, 64, 1, &bytes), W4A16_OK);
  std::vector<uint8_t> buf(bytes);
  w4a16_weights w{};
  expect_error(w4a16_pack_host(&c, W4A16_FAMILY_SM90, buf.data(), bytes - 1, &w), W4A16_ERR_BUFFER_TOO_SMALL,
               "need");
  c.zeros = nullptr;
  expect_error(w4a16_pack_host(&c, W4A16_FAMILY_SM90, buf.data(), bytes, &w), W4A16_ERR_NULL_POINTER, "zeros is NULL");
  c = hw.desc();
  c.group_size = 100;
  expect_error(w4a16_pack_host(&c, W4A16_FAMILY_SM90, buf.data(), bytes, &w), W4A16_ERR_INVALID_GROUP, "100");
  c = hw.desc();
  ASSERT_EQ(w4a16_pack_host(&c, W4A16_FAMILY_SM90, buf.data(), bytes, &w), W4A16_OK);
  kit::HostWeights other = kit::random_weights(rng, 16, 256, 64, true, false);
  w4a16_canonical o = other.desc();
  expect_error(w4a16_unpack_host(&w, &o), W4A16_ERR_WEIGHTS_MISMATCH, "differs");
}

TEST(Validate, StatusNamesAreDistinct) {
  std::set<std::string> names;
  for (int s = 0; s <= W4A16_ERR_OUT_OF_MEMORY; ++s) names.insert(w4a16_status_name((w4a16_status)s));
  EXPECT_EQ((int)names.size(), W4A16_ERR_OUT_OF_MEMORY + 1);
}
