// Dispatch as a pure function, driven with made-up devices: every row of the family table, and the
// plan's invariants (stages fit shared memory, every SM busy for decode, workspace when split).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "dispatch/configs.h"
#include "dispatch/heuristic.h"
#include "host/numeric.h"
#include "kernels/launch.h"
#include "testkit/testkit.h"

using namespace w4a16;

namespace {

DeviceProps dev(const char* name, int maj, int min, int sms, int optin, int per_sm) {
  DeviceProps d;
  d.name = name;
  d.cc_major = maj;
  d.cc_minor = min;
  d.sm_count = sms;
  d.smem_optin = optin;
  d.smem_per_sm = per_sm;
  d.l2_bytes = 50 << 20;
  return d;
}

const DeviceProps kA100 = dev("A100", 8, 0, 108, 166912, 167936);
const DeviceProps kA10 = dev("A10", 8, 6, 72, 101376, 102400);
const DeviceProps kL40 = dev("L40", 8, 9, 142, 101376, 102400);
const DeviceProps kH100 = dev("H100", 9, 0, 132, 232448, 233472);
const DeviceProps kH100Pcie = dev("H100 PCIe", 9, 0, 114, 232448, 233472);  // another SM count for sm90 plans
const DeviceProps kB200 = dev("B200", 10, 0, 148, 232448, 233472);
const DeviceProps kRtx5070 = dev("RTX 5070", 12, 0, 48, 101376, 102400);
const DeviceProps kT4 = dev("T4", 7, 5, 40, 65536, 65536);

// A row of the sm90 table by name, so that tests forcing one survive rows added to the table.
int sm90_config(const char* name) {
  const int i = kit::config_by_name(W4A16_FAMILY_SM90, name);
  if (i < 0) ADD_FAILURE() << "no sm90 configuration " << name;
  return i;
}

Problem problem(int64_t m, int64_t n, int64_t k, int64_t g = 128) {
  Problem p;
  p.m = m;
  p.n = n;
  p.k = k;
  p.group = g;
  p.lda = k;
  p.ldy = n;
  return p;
}

}  // namespace

TEST(Dispatch, FamilyByComputeCapability) {
  struct Row {
    const DeviceProps* d;
    w4a16_family want;
  } rows[] = {{&kA100, W4A16_FAMILY_SM80}, {&kA10, W4A16_FAMILY_SM80},
              {&kL40, W4A16_FAMILY_SM80},  {&kH100, W4A16_HAVE_SM90 ? W4A16_FAMILY_SM90 : W4A16_FAMILY_SM80},
              {&kB200, W4A16_FAMILY_SM80}, {&kRtx5070, W4A16_FAMILY_SM80}};
  for (const Row& r : rows) {
    w4a16_family f = W4A16_FAMILY_AUTO;
    ASSERT_EQ(default_family(*r.d, &f), W4A16_OK) << r.d->name;
    EXPECT_EQ(f, r.want) << r.d->name;
  }
  w4a16_family f;
  EXPECT_EQ(default_family(kT4, &f), W4A16_ERR_UNSUPPORTED_DEVICE);
  EXPECT_NE(std::string(w4a16_last_error()).find("7.5"), std::string::npos);
}

TEST(Dispatch, Sm90CodeNeverRunsOffHopper) {
  // The original project's segfault: sm_90a code on an RTX 5070 (SM120). Refused before any launch.
  for (const DeviceProps* d : {&kRtx5070, &kB200, &kA100, &kL40}) {
    EXPECT_EQ(family_runs_on(W4A16_FAMILY_SM90, *d), W4A16_ERR_WRONG_FAMILY) << d->name;
    EXPECT_NE(std::string(w4a16_last_error()).find("sm80"), std::string::npos) << w4a16_last_error();
    EXPECT_EQ(family_runs_on(W4A16_FAMILY_SM80, *d), W4A16_OK) << d->name;
    Plan pl;
    EXPECT_EQ(make_plan(*d, problem(1, 4096, 4096), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_ERR_WRONG_FAMILY);
  }
  EXPECT_EQ(family_runs_on(W4A16_FAMILY_SM80, kT4), W4A16_ERR_UNSUPPORTED_DEVICE);
  EXPECT_EQ(family_runs_on(W4A16_FAMILY_REFERENCE, kT4), W4A16_ERR_UNSUPPORTED_DEVICE);
  EXPECT_EQ(family_runs_on(W4A16_FAMILY_SM80, kH100), W4A16_OK);  // Hopper runs both families
  EXPECT_EQ(family_runs_on(W4A16_FAMILY_HOST, kH100), W4A16_ERR_WRONG_FAMILY);
}

TEST(Dispatch, Sm90ConfigFollowsM) {
  if (!W4A16_HAVE_SM90) GTEST_SKIP() << "built without sm_90a";
  const struct {
    int64_t m;
    const char* name;
  } rows[] = {{1, "gemv_t8"},        {2, "gemv_t8"},         {3, "coop_r128_t8"},     {8, "coop_r128_t8"},
              {9, "coop_r128_t16"},  {16, "coop_r128_t16"},
              {32, "coop_r128_t32"}, {48, "coop_r128_t32"},  {128, "coop_r128_t64"}, {1024, "coop_r128_t256"},
              {16384, "coop_r128_t256"}};
  for (const auto& r : rows) {
    Plan pl;
    ASSERT_EQ(make_plan(kH100, problem(r.m, 4096, 4096), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
    EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, r.name) << "M=" << r.m;
  }
  // Decode with fewer tiles than SMs (80 at 10240 x 8192): still one CTA per SM, which measured faster
  // on the H200 than the two-per-SM tiles (sm90_pick).
  Plan pl;
  ASSERT_EQ(make_plan(kH100, problem(1, 10240, 8192), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, "coop_r128_t8");
  ASSERT_EQ(make_plan(kH100, problem(16, 10240, 8192), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, "coop_r128_t16");
  // More tiles than SMs: one per SM, stream-K.
  ASSERT_EQ(make_plan(kH100, problem(1, 28672, 4096), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, "coop_r128_t8");
}

// The gemv configuration only where it measured faster (gemv_pick in heuristic.cpp, H200, thirty-first
// session): M <= 2, CTAs of 16 rows within one wave of two per SM; at M = 1 with K <= 4096 at least one
// CTA per two SMs, else (M = 1 with K <= 8192, M = 2 with K <= 4096) at least 90% of the wave; any group
// size, X within shared memory at two CTAs per SM.
TEST(Dispatch, GemvOnlyForSmallDecode) {
  if (!W4A16_HAVE_SM90) GTEST_SKIP() << "built without sm_90a";
  const struct {
    int64_t m, n, k;
    bool gemv;
  } cases[] = {{1, 4096, 4096, true},    {2, 4096, 4096, true},   {3, 4096, 4096, false}, {4, 4096, 4096, false},
               {1, 2048, 2048, true},    {1, 4096, 1024, true},   {1, 4224, 4096, true},  {1, 4240, 4096, false},
               {1, 6144, 4096, false},   {1, 1056, 4096, true},   {1, 1040, 4096, false}, {1, 8, 128, false},
               {1, 4096, 8192, true},    {1, 3808, 8192, true},   {1, 3792, 8192, false}, {1, 4096, 8320, false},
               {1, 4096, 14336, false},  {1, 2048, 8192, false},  {2, 4224, 4096, true},  {2, 3808, 4096, true},
               {2, 3792, 4096, false},   {2, 4240, 4096, false},  {2, 4096, 4160, false}, {2, 4096, 8192, false},
               {2, 5120, 3072, false},   {1, 14336, 1024, false}, {1, 8192, 8192, false}};
  for (const auto& c : cases) {
    Plan pl;
    ASSERT_EQ(make_plan(kH100, problem(c.m, c.n, c.k), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
    EXPECT_EQ(cfg::kSm90Configs[pl.config].sched == cfg::Sched::Gemv, c.gemv)
        << "M=" << c.m << " N=" << c.n << " K=" << c.k << ": " << cfg::kSm90Configs[pl.config].name;
  }
  for (const int64_t g : {32, 64, 256}) {  // every group size
    Plan pl;
    ASSERT_EQ(make_plan(kH100, problem(1, 4096, 4096, g), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
    EXPECT_EQ(cfg::kSm90Configs[pl.config].sched, cfg::Sched::Gemv) << "g=" << g;
  }
  // K above 8192 stays on the TMA kernels; forced, X must fit shared memory at two CTAs
  // per SM (233472 / 2 - 1024 = 115712 B each, under the per-block opt-in of 232448): M = 1 with
  // K = 54016 stages 108032 B + the 7680 B static sum, exactly the limit; K = 57344 stages 114688 B.
  int gemv = 0;
  while (cfg::kSm90Configs[gemv].sched != cfg::Sched::Gemv) ++gemv;
  Plan pl;
  ASSERT_EQ(make_plan(kH100, problem(1, 4096, 8192), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_EQ(pl.config, gemv);
  ASSERT_EQ(make_plan(kH100, problem(1, 4096, 16384), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_NE(pl.config, gemv);
  EXPECT_EQ(make_plan(kH100, problem(1, 4096, 54016), W4A16_FAMILY_SM90, gemv, -1, &pl), W4A16_OK);
  EXPECT_EQ(make_plan(kH100, problem(1, 4096, 57344), W4A16_FAMILY_SM90, gemv, -1, &pl), W4A16_ERR_UNSUPPORTED_CONFIG);
  // The padded row count is an int in the kernel: N within 15 of 2^31 is refused, not wrapped.
  EXPECT_EQ(make_plan(kH100, problem(1, INT32_MAX - 7, 64), W4A16_FAMILY_SM90, gemv, -1, &pl),
            W4A16_ERR_UNSUPPORTED_CONFIG);
  EXPECT_EQ(make_plan(kH100, problem(1, INT32_MAX - 15, 64), W4A16_FAMILY_SM90, gemv, -1, &pl), W4A16_OK);
}

// The sm80 family takes the same gemv kernel where it measured faster than its decode tiles
// (sm80_gemv_pick, H100 version 37, H200 thirty-first to thirty-third sessions): M <= 4, K in
// [2048, 16384], at most 3 CTAs of 16 rows per SM at M = 1-2 (5 at M = 1 until version 117) and 2
// at M = 3-4 (K <= 4096 there; at M = 4 more than 1 since version 122), X within shared memory at two
// CTAs per SM; the CTA limit scales with the SM count and the shared memory with the device.
TEST(Dispatch, Sm80GemvWhereItMeasuredFaster) {
  const struct {
    const DeviceProps* d;
    int64_t m, n, k;
    bool gemv;
  } cases[] = {
      {&kH100, 1, 4096, 4096, true},    {&kH100, 1, 6336, 8192, true},    {&kH100, 1, 6352, 8192, false},
      {&kH100, 1, 8192, 8192, false},   {&kH100, 1, 10240, 8192, false},  {&kH100, 1, 28672, 4096, false},
      {&kH100, 1, 4096, 14336, true},   {&kH100, 1, 8192, 28672, false},  {&kH100, 1, 14336, 1024, false},
      {&kH100, 1, 2048, 2048, true},    {&kH100, 1, 2048, 1984, false},   {&kH100, 1, 2048, 8192, false},
      {&kH100, 2, 8192, 8192, false},   {&kH100, 2, 6336, 4096, true},    {&kH100, 2, 6352, 4096, false},
      {&kH100, 2, 4096, 14336, true},   {&kH100, 4, 4224, 4096, true},    {&kH100, 4, 4240, 4096, false},
      {&kH100, 4, 6144, 4096, false},   {&kH100, 3, 4096, 4160, false},   {&kH100, 5, 4096, 4096, false},
      {&kH100, 3, 1024, 4096, true},    {&kH100, 4, 2112, 4096, false},   {&kH100, 4, 2128, 4096, true},
      {&kA100, 1, 5184, 8192, true},    {&kA100, 1, 5200, 8192, false},   {&kRtx5070, 1, 2304, 14336, true},
      {&kRtx5070, 1, 2320, 14336, false}, {&kRtx5070, 2, 3840, 14336, false}, {&kRtx5070, 2, 2304, 8192, true},
      {&kRtx5070, 2, 2320, 8192, false}};
  for (const auto& c : cases) {
    Plan pl;
    ASSERT_EQ(make_plan(*c.d, problem(c.m, c.n, c.k), W4A16_FAMILY_SM80, -1, -1, &pl), W4A16_OK);
    EXPECT_EQ(cfg::kSm80Configs[pl.config].gemv, c.gemv)
        << c.d->name << " M=" << c.m << " N=" << c.n << " K=" << c.k << ": " << cfg::kSm80Configs[pl.config].name;
  }
  // Forced, it takes what fits (M <= 8, X in shared memory), like the sm90 row.
  int gemv = 0;
  while (!cfg::kSm80Configs[gemv].gemv) ++gemv;
  Plan pl;
  EXPECT_EQ(make_plan(kH100, problem(8, 4096, 4096), W4A16_FAMILY_SM80, gemv, -1, &pl), W4A16_OK);
  EXPECT_EQ(pl.workspace_bytes, 0u);
  EXPECT_EQ(make_plan(kH100, problem(9, 4096, 4096), W4A16_FAMILY_SM80, gemv, -1, &pl), W4A16_ERR_UNSUPPORTED_CONFIG);
  EXPECT_NE(std::string(w4a16_last_error()).find("sm80 config gemv_t8 handles M <= 8"), std::string::npos)
      << w4a16_last_error();
  EXPECT_EQ(make_plan(kRtx5070, problem(2, 4096, 14336), W4A16_FAMILY_SM80, gemv, -1, &pl),
            W4A16_ERR_UNSUPPORTED_CONFIG);
}

// The sm80 family's 64-row decode tiles (sm80_r64_pick, version 39; from M = 3 since version 122): M = 3-16
// past the gemv rule where the 128-row tiles' split-K is capped by the k-blocks (>= 4 each) below the CTA
// slots per tile (4 per SM).
TEST(Dispatch, Sm80R64WhereTheSplitIsCappedByK) {
  const struct {
    const DeviceProps* d;
    int64_t m, n, k;
    const char* config;
  } cases[] = {{&kH100, 16, 4096, 4096, "r64_t16"},   {&kH100, 12, 4096, 4096, "r64_t16"},
               {&kH100, 8, 4096, 4096, "r64_t8"},     {&kH100, 5, 4096, 4096, "r64_t8"},
               {&kH100, 4, 4096, 4096, "gemv_t8"},    {&kH100, 17, 4096, 4096, "r128_t32"},
               {&kH100, 16, 6144, 4096, "r64_t16"},   {&kH100, 16, 4096, 2048, "r64_t16"},
               {&kH100, 16, 8192, 4096, "r128_t16"},  {&kH100, 16, 8192, 8192, "r128_t16"},
               {&kH100, 16, 4096, 14336, "r128_t16"}, {&kH100, 16, 14336, 4096, "r128_t16"},
               {&kH100, 16, 28672, 4096, "r128_t16"}, {&kH100, 8, 10240, 8192, "r128_t8"},
               {&kA10, 16, 4096, 4096, "r64_t16"},    {&kA10, 16, 6144, 4096, "r128_t16"},
               {&kH100, 4, 2048, 4096, "r64_t8"},     {&kH100, 4, 6144, 4096, "r64_t8"},
               {&kH100, 3, 6144, 4096, "r64_t8"},     {&kH100, 3, 4096, 4096, "gemv_t8"},
               {&kH100, 2, 6144, 4096, "gemv_t8"},    {&kH100, 3, 8192, 8192, "r128_t8"}};
  for (const auto& c : cases) {
    Plan pl;
    ASSERT_EQ(make_plan(*c.d, problem(c.m, c.n, c.k), W4A16_FAMILY_SM80, -1, -1, &pl), W4A16_OK);
    EXPECT_STREQ(cfg::kSm80Configs[pl.config].name, c.config)
        << c.d->name << " M=" << c.m << " N=" << c.n << " K=" << c.k;
  }
}

// Above M = 32 the sm80 family's tiles have one warp column (version 52): 32 rows per warp (x 128
// tokens above M = 64, else x 64 up to M = 128; version 56) where each CTA's K range is long and the
// slots fill, else 16 rows per warp (x 64 up to M = 64, else x 128), with 128-wide k-blocks where two
// stages fit at two CTAs per SM (version 55: A100, H100, B200; not the 100 KB SMs); on every device,
// with stages that fit its shared memory.
TEST(Dispatch, Sm80OneWarpColumnAboveM32) {
  // Above M = 32 the 32-rows-per-warp tiles only where each CTA's K range is long (>= 3072 after the
  // split) and its plan fills its waves' CTA slots about as well (>= 0.9x) as the 16-rows-per-warp
  // tile's: the 128-token one above M = 64, else the 64-token one up to M = 128, else 16 rows per
  // warp. On the H100: 4096^2 splits 4 ways at M = 256 (1024 per CTA), 2 at M = 512; 8192^2 at
  // M = 64 splits 64 row tiles 4 ways (2048), at M = 128 the 64-token tile's 128 tiles 2 ways (4096)
  // and the 128-token one's 64 tiles 4 ways; 28672x4096 (224 tiles) does not split; 10240x8192 at
  // M = 128: the 64-token tile's 160 tiles fill 61% of 264 slots, w8x1's 80 x 3 splits 91%.
  const struct {
    int64_t m, n, k;
    const char* config;
  } h100[] = {{256, 4096, 4096, "r128_t128_w8x1"},        {512, 4096, 4096, "r128_t128_w8x1"},
              {1024, 4096, 4096, "r128_t128_w4x1_k128"},  {256, 6144, 4096, "r128_t128_w8x1"},
              {256, 4096, 14336, "r128_t128_w4x1_k128"},  {256, 10240, 8192, "r128_t128_w4x1_k128"},
              {64, 8192, 8192, "r128_t64_w8x1"},          {64, 4096, 14336, "r128_t64_w8x1"},
              {64, 28672, 4096, "r128_t64_w4x1"},         {48, 57344, 8192, "r128_t64_w4x1"},
              {128, 8192, 8192, "r128_t64_w4x1"},         {96, 28672, 4096, "r128_t128_w4x1_k128"},
              {128, 8192, 28672, "r128_t128_w4x1_k128"},  {128, 4096, 4096, "r128_t128_w8x1"},
              {128, 10240, 8192, "r128_t128_w8x1"},       {96, 4096, 14336, "r128_t64_w4x1"}};
  for (const auto& c : h100) {
    Plan pl;
    ASSERT_EQ(make_plan(kH100, problem(c.m, c.n, c.k), W4A16_FAMILY_SM80, -1, -1, &pl), W4A16_OK);
    EXPECT_STREQ(cfg::kSm80Configs[pl.config].name, c.config) << "M=" << c.m << " N=" << c.n << " K=" << c.k;
  }
  // 8192^2 on every device model: the split (from the SM count) decides the K range. The 100 KB SMs
  // (A10, L40, RTX 5070) take the 64-wide w4x1 for the 128-token tile (its 128-wide stages do not fit
  // twice); A10 (72 SMs) and RTX 5070 (48) split little enough for the 32-row warps at M = 33-64;
  // on the A100 (108 SMs) the 64-token tile's 128 tiles at M = 65-128 fill 59% of 216 slots.
  constexpr int64_t ms[] = {32, 33, 64, 65, 128, 129, 256, 16384};
  const char* w8 = "r128_t64_w8x1";
  const char* t64 = "r128_t64_w4x1";
  const char* k128 = "r128_t128_w4x1_k128";
  const char* w4 = "r128_t128_w4x1";
  const struct {
    const DeviceProps* d;
    const char* want[std::size(ms)];
  } devices[] = {{&kA100, {"r128_t32", w8, w8, "r128_t128_w8x1", "r128_t128_w8x1", k128, k128, k128}},
                 {&kA10, {"r128_t32", t64, t64, w4, w4, w4, w4, w4}},
                 {&kL40, {"r128_t32", w8, w8, t64, t64, w4, w4, w4}},
                 {&kH100, {"r128_t32", w8, w8, t64, t64, k128, k128, k128}},
                 {&kB200, {"r128_t32", w8, w8, t64, t64, k128, k128, k128}},
                 {&kRtx5070, {"r128_t32", t64, t64, w4, w4, w4, w4, w4}}};
  for (const auto& dv : devices)
    for (size_t i = 0; i < std::size(ms); ++i) {
      const DeviceProps* d = dv.d;
      const int64_t m = ms[i];
      Plan pl;
      ASSERT_EQ(make_plan(*d, problem(m, 8192, 8192), W4A16_FAMILY_SM80, -1, -1, &pl), W4A16_OK)
          << w4a16_last_error();
      EXPECT_STREQ(cfg::kSm80Configs[pl.config].name, dv.want[i]) << d->name << " M=" << m;
      EXPECT_GE(pl.stages, 2) << d->name << " M=" << m;
      if (m > 32)  // two CTAs per SM on every device (r128_t32 falls back to fewer on 100 KB SMs)
        EXPECT_LE((int64_t)pl.smem_bytes * cfg::kSm80Configs[pl.config].ctas(), (int64_t)d->smem_per_sm)
            << d->name << " M=" << m << ": the CTAs per SM its registers are sized for must fit its shared memory";
    }
}

TEST(Dispatch, PlanInvariantsOnEveryDevice) {
  const TailSplitScope tail(true);
  int stream_k_plans = 0, quad_plans = 0, cluster_plans = 0, tail_plans = 0, gemv_plans = 0;
  for (const DeviceProps* d : {&kA100, &kA10, &kL40, &kH100, &kH100Pcie, &kB200, &kRtx5070}) {
    w4a16_family fam;
    ASSERT_EQ(default_family(*d, &fam), W4A16_OK);
    for (w4a16_family f : {fam, W4A16_FAMILY_SM80}) {
      const int count = f == W4A16_FAMILY_SM90 ? cfg::kSm90ConfigCount : cfg::kSm80ConfigCount;
      for (int64_t m : {1, 16, 64, 256, 384, 4096})
        for (int64_t g : {32, 128})
          for (int64_t n : {3072, 4096, 57344})  // 3072: the quads (M = 384); 57344: stream-K for the narrow sm90 tiles
          for (int c = -1; c < count; ++c) {
            Plan pl;
            const Problem p = problem(m, n, 4096, g);
            const w4a16_status s = make_plan(*d, p, f, c, -1, &pl);
            if (s == W4A16_ERR_UNSUPPORTED_CONFIG) continue;  // a forced config too big for this device
            ASSERT_EQ(s, W4A16_OK) << d->name << " " << w4a16_last_error();
            if (f == W4A16_FAMILY_SM90 ? cfg::kSm90Configs[pl.config].sched == cfg::Sched::Gemv
                                       : cfg::kSm80Configs[pl.config].gemv) {
              ++gemv_plans;  // one CTA per 16-row block, no pipeline, no split, no workspace
              EXPECT_LE(m, 8);
              EXPECT_EQ(pl.grid, (n + 15) / 16);
              EXPECT_EQ(pl.threads, 32 * cfg::kGemvWarps);
              EXPECT_EQ(pl.split, 1);
              EXPECT_EQ(pl.smem_bytes, (size_t)(m * 64 * cfg::kGemvAtomBytes));  // X staged: K = 4096
              EXPECT_EQ(pl.workspace_bytes, 0u);
              continue;
            }
            EXPECT_GE(pl.stages, 2);
            EXPECT_LE(pl.smem_bytes, (size_t)d->smem_optin) << d->name;
            EXPECT_GE(pl.split, 1);
            EXPECT_LE(pl.split, pl.kblocks);
            const bool quads = pl.sk_ctas > 0 && pl.tiles_n * pl.tiles_m * 4 == (int64_t)pl.sk_ctas * 3;
            if (quads) {  // stream-K quads: T tiles as 4T/3 CTAs of 3/4 of a tile each, clusters of four
              ++quad_plans;
              const cfg::Sm90Config& c = cfg::kSm90Configs[pl.config];
              EXPECT_EQ(f, W4A16_FAMILY_SM90);
              EXPECT_TRUE(cfg::sm90_quads(c)) << c.name;
              EXPECT_EQ(pl.units, pl.sk_ctas);
              EXPECT_EQ(pl.grid, pl.sk_ctas);
              EXPECT_EQ(pl.sk_ctas % 4, 0);
              EXPECT_LE(pl.sk_ctas, d->sm_count);
              EXPECT_EQ(pl.kblocks % 4, 0);
              EXPECT_EQ(pl.split, 2);
              EXPECT_EQ(pl.full_tiles, 0);
              EXPECT_EQ(pl.cluster, cluster_reduce_enabled() ? 4 : 1);
              EXPECT_EQ(pl.workspace_bytes,  // kept for the workspace fallback
                        kSplitCounterBytes + (size_t)pl.sk_ctas * 2 * 4 * c.tile_rows() * c.tn);
            } else if (pl.sk_ctas > 0) {  // stream-K: one wave of CTAs, a tile spans at most two of them
              ++stream_k_plans;
              EXPECT_EQ(f, W4A16_FAMILY_SM90);
              EXPECT_EQ(pl.units, pl.sk_ctas);
              EXPECT_GT(pl.tiles_n * pl.tiles_m, pl.sk_ctas);
              EXPECT_EQ(pl.split, 2);
              EXPECT_EQ(pl.workspace_bytes, kSplitCounterBytes + (size_t)pl.sk_ctas * 2 * 4 *
                                                                  cfg::kSm90Configs[pl.config].tile_rows() *
                                                                  cfg::kSm90Configs[pl.config].tn);
            } else {
              EXPECT_EQ(pl.units, pl.full_tiles + (pl.tiles_n * pl.tiles_m - pl.full_tiles) * pl.split);
              EXPECT_GE(pl.full_tiles, 0);
              EXPECT_LT(pl.full_tiles, pl.tiles_n * pl.tiles_m);
              if (pl.full_tiles > 0) {  // split tail: whole waves of tiles, then one wave of slices
                ++tail_plans;
                EXPECT_EQ(pl.full_tiles % pl.grid, 0);
                EXPECT_LE(pl.units - pl.full_tiles, pl.grid);
                EXPECT_GE(pl.split, 2);
                EXPECT_EQ(pl.workspace_bytes, kSplitCounterBytes + (size_t)(pl.units - pl.full_tiles) * 4 *
                                                                    cfg::kSm90Configs[pl.config].tile_rows() *
                                                                    cfg::kSm90Configs[pl.config].tn);
              }
            }
            EXPECT_GE(pl.grid, 1);
            if (f == W4A16_FAMILY_SM90 && cfg::kSm90Configs[pl.config].sched == cfg::Sched::PingPong)
              EXPECT_LE(pl.grid, d->sm_count);  // persistent pairs of units
            else if (f == W4A16_FAMILY_SM90)    // persistent, at most one wave
              EXPECT_EQ(pl.grid, std::min<int64_t>(pl.units, (int64_t)d->sm_count *
                                                                  cfg::kSm90Configs[pl.config].ctas_per_sm));
            else
              EXPECT_EQ(pl.grid, pl.units);      // sm80: one CTA per unit
            EXPECT_EQ(pl.workspace_bytes > 0, pl.split > 1);  // kept for the fallback of a cluster plan
            if (pl.cluster > 1) EXPECT_TRUE(sm90_cluster_plan_ok(pl)) << "the launcher would fall back";
            if (pl.cluster == 4) {  // the quads: a whole partial tile's receive buffer in smem
              const cfg::Sm90Config& c = cfg::kSm90Configs[pl.config];
              EXPECT_TRUE(quads);
              EXPECT_GE(pl.cluster_buf_off, (size_t)pl.stages * pl.stage_bytes);
              EXPECT_EQ(pl.cluster_buf_off % 16, 0u);
              EXPECT_LE(1023 + pl.cluster_buf_off + (size_t)c.tile_rows() * c.tn * 4, pl.smem_bytes);
            } else if (pl.cluster > 1) {  // cluster fixup: one cluster per tile, one unit per CTA, buffer in smem
              ++cluster_plans;
              const cfg::Sm90Config& c = cfg::kSm90Configs[pl.config];
              EXPECT_EQ(c.sched, cfg::Sched::Coop);
              EXPECT_EQ(c.ctas_per_sm, 1);
              EXPECT_EQ(pl.cluster, pl.split);
              EXPECT_EQ(pl.cluster, 2);  // the kernel's fixup is written for pairs
              EXPECT_EQ(pl.sk_ctas, 0);
              EXPECT_EQ(pl.grid, pl.units);
              EXPECT_EQ(pl.grid % pl.cluster, 0);
              EXPECT_GE(pl.cluster_buf_off, (size_t)pl.stages * pl.stage_bytes);
              EXPECT_EQ(pl.cluster_buf_off % 16, 0u);
              // Each CTA receives its partner's partial of one consumer warpgroup's rows (half the tile).
              EXPECT_LE(1023 + pl.cluster_buf_off + (size_t)c.tile_rows() / 2 * c.tn * 4, pl.smem_bytes);
            }
          }
    }
  }
  if (W4A16_HAVE_SM90) EXPECT_GT(stream_k_plans, 0) << "no stream-K plan was checked";
  if (W4A16_HAVE_SM90 && quads_enabled()) EXPECT_GT(quad_plans, 0) << "no stream-K quad plan was checked";
  EXPECT_GT(gemv_plans, 0) << "no gemv plan was checked";
  if (W4A16_HAVE_SM90 && cluster_reduce_enabled()) EXPECT_GT(cluster_plans, 0) << "no cluster-fixup plan was checked";
  if (W4A16_HAVE_SM90) EXPECT_GT(tail_plans, 0) << "no split-tail plan was checked";
}

TEST(Dispatch, ClusterFixupForSplitPairs) {
  if (!W4A16_HAVE_SM90) GTEST_SKIP() << "built without the sm90 family";
  const ClusterReduceScope on(true);
  // The shapes of Sm90.ClusterFixupMatchesWorkspaceFixup (same dtype and zeros): pairs take the
  // cluster fixup, wider splits and receive buffers (half a tile's partial) over 32 KiB the workspace.
  const struct {
    int64_t m, n, k, g;
    bool bf16, zeros;
    int cluster;
  } cases[] = {{1, 8192, 8192, 128, false, false, 2}, {16, 8200, 4096, 64, true, true, 2},
               {5, 8000, 2048, 0, false, true, 2},    {1, 8192, 4096, 32, false, true, 2},
               {128, 4104, 4096, 32, false, false, 2}, {200, 4104, 4096, 128, true, true, 2},
               {64, 4096, 14336, 128, true, false, 1}, {5, 4096, 4096, 128, false, false, 1},
               {5, 8192, 1024, 128, false, false, 2}};  // the last: Family.SanitizerSubset's cluster case
  for (const auto& c : cases) {
    Plan pl;
    Problem p = problem(c.m, c.n, c.k, c.g == 0 ? c.k : c.g);
    p.per_channel = c.g == 0;
    p.bf16 = c.bf16;
    p.zeros = c.zeros;
    ASSERT_EQ(make_plan(kH100, p, W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
    EXPECT_GT(pl.split, 1) << "m=" << c.m << " n=" << c.n;
    EXPECT_EQ(pl.cluster, c.cluster) << "m=" << c.m << " n=" << c.n << " split " << pl.split;
  }
  // Family.SanitizerSubset's forced 64- and 128-token pairs: both forms of each pair instance (M = 72 and 160
  // shift their last tile, M = 96 and 192 do not: sm90::shifts_last_tile).
  const struct {
    const char* config;
    int64_t m;
  } forced[] = {{"coop_r128_t64", 72}, {"coop_r128_t64", 96}, {"coop_r128_t128", 160}, {"coop_r128_t128", 192}};
  for (const auto& f : forced) {
    Plan pl;
    Problem p = problem(f.m, 4104, 2048);
    p.bf16 = true;
    ASSERT_EQ(make_plan(kH100, p, W4A16_FAMILY_SM90, sm90_config(f.config), -1, &pl), W4A16_OK);
    EXPECT_EQ(pl.split, 2) << f.config << " m=" << f.m;
    EXPECT_EQ(pl.cluster, 2) << f.config << " m=" << f.m;
  }
}

TEST(Dispatch, ClusterFixupCanBeSwitchedOff) {
  if (!W4A16_HAVE_SM90) GTEST_SKIP() << "built without the sm90 family";
  Plan on, off;
  {
    const ClusterReduceScope scope(true);
    ASSERT_EQ(make_plan(kH100, problem(1, 8192, 8192), W4A16_FAMILY_SM90, -1, -1, &on), W4A16_OK);
  }
  EXPECT_GT(on.split, 1);
  EXPECT_EQ(on.cluster, on.split);
  {
    const ClusterReduceScope scope(false);
    ASSERT_EQ(make_plan(kH100, problem(1, 8192, 8192), W4A16_FAMILY_SM90, -1, -1, &off), W4A16_OK);
  }
  EXPECT_EQ(off.cluster, 1);
  EXPECT_EQ(off.split, on.split);
  EXPECT_EQ(off.workspace_bytes, on.workspace_bytes);
}

TEST(Dispatch, DecodeFillsTheMachine) {
  // N = 4096 has 32 row tiles of 128 for 132 SMs: split-K must bring the units near the SM count.
  // (M <= 2 takes the gemv configuration there: one CTA per 16 rows.)
  Plan pl;
  ASSERT_EQ(make_plan(kH100, problem(5, 4096, 4096), W4A16_FAMILY_SM80, -1, -1, &pl), W4A16_OK);
  EXPECT_GT(pl.split, 1);
  if (W4A16_HAVE_SM90) {
    ASSERT_EQ(make_plan(kH100, problem(5, 4096, 4096), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
    EXPECT_EQ(pl.tiles_n, 32);
    EXPECT_GE(pl.units, 100);
    EXPECT_LE(pl.units, 132);
  }
  // Large M has tiles enough: no split, no workspace.
  ASSERT_EQ(make_plan(kH100, problem(4096, 4096, 4096), W4A16_FAMILY_SM80, -1, -1, &pl), W4A16_OK);
  EXPECT_EQ(pl.split, 1);
  EXPECT_EQ(pl.workspace_bytes, 0u);
}

TEST(Dispatch, RasterBandsAlongTheCheaperOperand) {
  // M = 4096, N = K = 8192, 128 x 256 tiles: banding over weight rows would re-read all of X (64 MB)
  // for each of 8 bands; banding over tokens re-reads W (33.5 MB) twice.
  EXPECT_TRUE(choose_band_m(problem(4096, 8192, 8192), 64, 16, 8));
  // One token tile: banding over tokens reads each operand once.
  EXPECT_TRUE(choose_band_m(problem(256, 57344, 8192), 448, 1, 8));
  // Many tokens, few weight rows: X (134 MB) would be re-read per token band; W (2 MB) is cheap.
  EXPECT_FALSE(choose_band_m(problem(16384, 1024, 4096), 8, 64, 8));
}

TEST(Dispatch, RasterBandWidth) {
  Plan pl;
  // Each family's width.
  ASSERT_EQ(make_plan(kH100, problem(4096, 8192, 8192), W4A16_FAMILY_SM80, -1, -1, &pl), W4A16_OK);
  EXPECT_EQ(pl.band, kSm80Band);
  if (W4A16_HAVE_SM90) {
    ASSERT_EQ(make_plan(kH100, problem(4096, 8192, 8192), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
    EXPECT_EQ(pl.band, kSm90Band);
    EXPECT_TRUE(pl.band_m);  // 16 token tiles of 256 in bands of 4: W (33.5 MB) read 4 times, X (64 MB) once
  }
  {
    // Forced (as W4A16_BAND does): every plan takes it.
    const BandScope scope(64);
    EXPECT_EQ(forced_band(), 64);
    if (W4A16_HAVE_SM90) {
      ASSERT_EQ(make_plan(kH100, problem(4096, 8192, 8192), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
      EXPECT_EQ(pl.band, 64);
    }
    ASSERT_EQ(make_plan(kH100, problem(4096, 8192, 8192), W4A16_FAMILY_SM80, -1, -1, &pl), W4A16_OK);
    EXPECT_EQ(pl.band, 64);
  }
  EXPECT_EQ(forced_band(), 0);  // the scope restored the default
  // Out of range: the plan chooses.
  const BandScope bad(65);
  EXPECT_EQ(forced_band(), 0);
  set_forced_band(-3);
  EXPECT_EQ(forced_band(), 0);
}

TEST(Dispatch, ChooseSplit) {
  EXPECT_EQ(choose_split(512, 64, 132), 1);   // enough tiles
  EXPECT_EQ(choose_split(80, 64, 132), 1);    // a second wave would cost more than the idle SMs
  EXPECT_EQ(choose_split(80, 64, 264), 3);    // two CTAs per SM: 240 units in one wave
  EXPECT_EQ(choose_split(32, 32, 132), 4);    // 128 units in one wave
  EXPECT_EQ(choose_split(32, 2, 132), 1);     // too few k-blocks to split
  EXPECT_EQ(choose_split(1, 256, 132), 32);   // one tile, long K
  EXPECT_EQ(choose_split(1, 40, 132), 10);    // ... each split keeps 4 k-blocks
}

TEST(Dispatch, TailSplit) {
  const TailSplitScope on(true);
  EXPECT_EQ(tail_split(448, 128, 132), 2);   // 3 waves + 52 tiles: two slices each fit the wave
  EXPECT_EQ(tail_split(160, 128, 132), 4);   // 1 wave + 28 tiles: at most 4 slices
  EXPECT_EQ(tail_split(140, 8, 132), 2);     // ... each slice keeps >= 4 k-blocks
  EXPECT_EQ(tail_split(250, 64, 132), 1);    // 118 tiles in the last wave: nothing to gain
  EXPECT_EQ(tail_split(132, 64, 132), 1);    // one wave
  EXPECT_EQ(tail_split(100, 64, 132), 1);    // less than a wave (choose_split's business)
  EXPECT_EQ(tail_split(264, 64, 132), 1);    // whole waves
  EXPECT_EQ(tail_split(1024, 64, 132), 1);   // 7 waves + 100 tiles: nothing to gain
  EXPECT_EQ(tail_split(3584, 64, 132), 4);   // 27 waves + 20 tiles (28672x4096 M=4096, t256)
  EXPECT_EQ(tail_split(3584, 64, 132, kTailSplitModelWaves), 1);  // beyond the time model's range
}

TEST(Dispatch, TokenTileAndSplitFromTheProbes) {
  if (!W4A16_HAVE_SM90) GTEST_SKIP() << "no sm_90a kernels in this build";
  const TailSplitScope tail(true);
  // (M, N, K) -> the heuristic's configuration and split, and how far that choice measured from the
  // best (configuration, split) probed on the H100 (docs/PERFORMANCE.md): all within 3%.
  struct Case { int64_t m, n, k; const char* config; int split; };
  const Case cases[] = {
      {5, 4096, 4096, "coop_r128_t8", 4},        {1, 10240, 8192, "coop_r128_t8", 3},       // best, h200*
      {1, 4096, 4096, "gemv_t8", 1},             {4, 4096, 4096, "coop_r128_t8", 4},        // v33, h200*
      {1, 6144, 4096, "coop_r128_t8", 2},        {1, 2048, 2048, "gemv_t8", 1},             // h200*, v33
      {16, 8192, 28672, "coop_r128_t16", 2},     {64, 6144, 4096, "coop_r128_t64", 2},      // +1%, best
      {64, 4096, 14336, "coop_r128_t64", 4},     {128, 28672, 4096, "coop_r256_t128", 1},   // best, rule*
      {128, 4096, 4096, "coop_r128_t64", 2},     {128, 8192, 28672, "coop_r128_t128", 2},   // best, best
      {64, 4096, 4096, "coop_r128_t32", 2},      {64, 8192, 8192, "coop_r128_t64", 2},      // rule*, best
      {128, 10240, 8192, "coop_r128_t128", 3},   {256, 10240, 8192, "coop_r128_t128", 4},   // fill*, tail*
      {256, 4096, 4096, "coop_r128_t128", 2},    {256, 4096, 14336, "coop_r128_t128", 2},   // best, best
      {256, 8192, 8192, "coop_r128_t128", 1},    {256, 57344, 8192, "coop_r128_t256", 2},   // best, tail*
      {1024, 4096, 4096, "coop_r128_t256", 1},   {1024, 6144, 4096, "coop_r128_t256", 2},   // +3%, split*
      {4096, 8192, 8192, "coop_r128_t256", 1},   {16384, 57344, 8192, "coop_r128_t256", 1}, // best, best
      {320, 8192, 8192, "coop_r128_t160", 1},    {256, 8192, 28672, "coop_r128_t256", 2},   // t160*, split*
      {128, 8192, 8192, "coop_r128_t128", 2},    {256, 3072, 8192, "coop_r128_t128", 2},    // pair*, pair*
      {128, 6144, 4096, "coop_r128_t128", 2},    {96, 8192, 4096, "coop_r128_t96", 2},      // pair2*, t96*
      {72, 6144, 4096, "coop_r128_t96", 2},      {128, 4096, 4096, "coop_r128_t64", 2},     // t96*, pair2*
      {128, 6144, 2048, "coop_r128_t64", 1},     {96, 8192, 2048, "coop_r128_t96", 2},      // pair2*, pairs96*
      {160, 57344, 8192, "coop_r128_t160", 2},   {136, 3072, 4096, "coop_r128_t96", 2},     // t160*, mid*
      {80, 8192, 8192, "coop_r128_t96", 2},      {72, 3072, 4096, "coop_r128_t64", 2},      // t96*, t96*
      {136, 8192, 8192, "coop_r128_t160", 2},   {176, 8192, 8192, "coop_r128_t96", 1},    // t160*, mid*
      {72, 28672, 4096, "coop_r128_t96", 1},    {112, 28672, 4096, "coop_r256_t128", 1},   // rule*, rule*
      {136, 4096, 4096, "coop_r128_t96", 2},    {136, 8192, 4096, "coop_r128_t96", 1},     // mid*, mid*
      {72, 3072, 6144, "coop_r128_t96", 5},     {72, 2048, 8192, "coop_r128_t64", 4},      // slice*, slice*
      {136, 3072, 6144, "coop_r128_t96", 2},    {136, 4096, 6144, "coop_r128_t96", 2},     // mid*, mid*
      {72, 5120, 2048, "coop_r128_t96", 2},     {72, 4096, 2048, "coop_r128_t64", 2},      // pairs96*, pairs96*
      {832, 8192, 4096, "coop_r128_t160", 1},   {576, 6144, 4096, "coop_r256_t128", 1},   // hi*, hi*
      {768, 2048, 4096, "coop_r128_t96", 1},    {960, 16384, 4096, "coop_r128_t192", 1},  // hi*, hi*
      {961, 16384, 4096, "coop_r128_t256", 1},  {624, 2560, 8192, "coop_r128_t128", 1},   // hi*, hi*
  };
  // h200*: the decode rules refitted on the H200 (thirty-first session, gemv_pick and sm90_pick):
  // 10240x8192 M=1 t8 with the stream-K fill 17.07 us vs coop_r128_t8_x2 17.44, 4096^2 M=4 t8 5.92
  // vs gemv 6.70, 6144x4096 M=1 t8 7.21 vs gemv 7.68.
  // rule*: sm90_pick's two rules from the fourth session's probes (version 24): 4096^2 M=64 t32
  // split 2 13.5 us vs t64 split 4 17.3 us; 28672x4096 M=128 r256_t128 48.7 us vs t128 52.8 us. Since
  // version 128 the second only at M = 97-128: 28672x4096 M=72 r256_t128 43.27 us -> t96 38.28.
  // tail*: with the split tail (version 23) the model moved 10240x8192 M = 256 from the probes' best,
  // t256 whole (82.3 us), to t128 with a 4-way split tail, measured 76.3 us (5 interleaved repeats);
  // 57344x8192 M = 256 keeps the probes' t256, now with a 2-way tail (344.0 -> 323.5 us).
  // fill*: stream-K fill over 132 CTAs, a tile spanning up to 3 (version 64): 46.7 -> 41.1 us; the
  // split here is the most CTAs one tile spans.
  // split*: the model's split cost halved after the split-K read-back was batched (version 60,
  // 3 interleaved repeats): 8192^2 M=320 t256 whole 110.0 -> t128 with a 2-way tail 79.1 us (since
  // version 125 t192*: the 192-token tile, whole, H200, 3 interleaved repeats: 74.33 -> 65.39 us),
  // 8192x28672 M=256 t128 whole 177.4 -> t256 split 2 170.5, 6144x4096 M=1024 t128 whole 79.5 ->
  // t256 with a 2-way tail 80.3 (equal; the tuner had 86.5 -> 80.9).
  // t192*: the 192-token tile in the model, taken 3% below the best other (version 125, H200, 3 interleaved
  // repeats): 57344x8192 M=160 t256 split 2 348.3 -> t192 split 2 237.6 us; 3072x4096 M=136 keeps the t128
  // pair (14.30 us; t192 split 5, 1.6% below it in the model and 819 of K a slice, ran 18.18).
  // t160*: the 160-token tile in the model, as the 192-token one (version 127, H200, 3 interleaved repeats):
  // 8192^2 M=136 t192 split 2 42.11 -> t160 split 2 34.94 us, M=320 t192 whole 64.62 -> t160 whole 56.66,
  // 57344x8192 M=136 t192 split 2 256.5 -> t160 split 2 208.2 (M=160 untimed), 8192x4096 M=136 t128 whole
  // 25.41 -> t160 split 2 21.71 (since version 139 t96: mid*); 4096^2 M=136 kept the t128 pair (15.77 us;
  // t160 split 4, 1024 of K a slice, ran 16.86; since version 139 t96 pairs: mid*).
  // slice*: a split of a new tile keeps >= 1152 of K a slice and 8 per token of the tile (version 128, H200, 3
  // interleaved repeats against version 126): 3072x6144 M=72 keeps t96 split 5 (1228 a slice, 12.68 us; the t64
  // pairs 13.60), 2048x8192 M=72 t96 split 8 (1024) 13.41 -> t64 split 4 12.02, 3072x6144 M=136 t192 split 5
  // (1228 < 1536) 20.68 -> t128 pair 19.38, 4096x6144 M=136 t128 pair 20.46 -> t160 split 4 (1536) 19.99 (both t96
  // pairs since version 139: mid*).
  // t96*: the 96-token tile at M = 65-96 (version 126, H200, 3 interleaved repeats): 8192^2 M=80 t128 pair
  // 31.70 -> t96 pair 22.79 us, 6144x4096 M=72 16.80 -> 12.81, 8192x4096 M=96 15.84 -> 13.47 (both formerly
  // pair2*); 3072x4096 M=72 keeps the t64 pairs (10.18 us; t96 split 5, 819 of K a slice, ran 11.12).
  // pair*: the cluster pairs' own split cost (version 78, after version 77), 5 interleaved repeats:
  // 8192^2 M=128 t64 whole 31.6 -> t128 cluster pair 30.4 us, 3072x8192 M=256 t256 split 5 32.2 -> 28.2.
  // pair2*: sm90_pick's third rule (thirty-third session, H200, forced, 3 interleaved repeats): whole 64-token
  // tiles -> 128-token cluster pairs on as many CTAs, 6144x4096 M=128 15.92 -> 14.82 us, M=72 18.47 -> 16.76,
  // 8192x4096 M=128 16.62 -> 15.75; not where the 64-token tiles pair themselves (4096^2 M=128 10.16 us
  // against 13.97 for t128 split 4), nor at K = 2048 (6144x2048 M=128 9.52 us whole against 9.79 paired).
  // pairs96*: sm90_pick's fourth rule (thirty-seventh session, H200, 3 interleaved repeats): whole 64-token tiles
  // -> 96-token cluster pairs at M = 65-96, 5120x2048 M=72 9.18 -> 8.36 us, 8192x2048 M=96 9.84 -> 9.16; not where
  // the 96-token tile splits through the workspace (4096x2048 M=72: t96 split 4, 9.69 us, against the t64 pairs' 7.17).
  // mid*: sm90_pick's mid-M estimate (version 139, forty-first session; sm90_plan_us) moves six of the cases above
  // to the 96-token tile (H200, 3 interleaved repeats against version 138): 3072x4096 M=136 t128 pair 14.28 -> t96
  // pair 12.33 us, 4096^2 M=136 t128 pair 15.44 -> 12.99, 8192x4096 M=136 t160 split 2 21.89 -> t96 whole 20.87,
  // 3072x6144 M=136 t128 pair 19.34 -> 16.53, 4096x6144 M=136 t160 split 4 20.05 -> t96 pair 18.34, 8192^2 M=176 t192
  // split 2 40.98 -> t96 whole 38.48.
  // hi*: sm90_pick's estimate above mid M (version 140, forty-second session; kHiModel), from `w4a16 tune` (H200,
  // one reading each, every configuration): 8192x4096 M=832 t256 99.4 -> t160 86.5 us, 6144x4096 M=576 t128 52.3
  // -> coop_r256_t128 44.8, 2048x4096 M=768 t128 25.3 -> t96 21.0, 16384x4096 M=960 t256 200.4 -> t192 178.1;
  // M=961 is past its range (the base pick); 2560x8192 M=624 keeps t128 whole (43.94 us; the t160 stream-K fill the
  // estimate preferred ran 46.20, 3 interleaved repeats), as only whole tiles and workspace splits replace it there.
  for (const Case& c : cases) {
    Plan pl;
    ASSERT_EQ(make_plan(kH100, problem(c.m, c.n, c.k), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
    EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, c.config) << "M=" << c.m << " N=" << c.n << " K=" << c.k;
    EXPECT_EQ(pl.split, c.split) << "M=" << c.m << " N=" << c.n << " K=" << c.k;
  }
}

// Stream-K quads (version 137): T whole 128-token tiles (a multiple of 3, over half the SMs) as 4T/3 CTAs in
// clusters of four, at most three quarters of the SMs, ranges of at least 2304 of K. The quads are a plan of
// the 128-token tile, forced here: since version 139 the mid-M pick takes other tiles at these shapes.
TEST(Dispatch, StreamKQuadsWhereWholeTilesLeaveAQuarterIdle) {
  if (!W4A16_HAVE_SM90) GTEST_SKIP() << "no sm_90a kernels in this build";
  const int t128 = sm90_config("coop_r128_t128");
  const QuadsScope quads(true);
  const ClusterReduceScope cluster(true);
  // 3072x4096 M=384: 72 whole 128-token tiles on 132 SMs (55% busy) -> 96 CTAs of 48 of the 64 k-blocks,
  // clusters of four, the ring 6 stages instead of 8 for the 64 KiB receive buffer.
  Plan pl;
  for (bool bf16 : {false, true}) {
    Problem p = problem(384, 3072, 4096);
    p.bf16 = bf16;
    ASSERT_EQ(make_plan(kH100, p, W4A16_FAMILY_SM90, t128, -1, &pl), W4A16_OK);
    EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, "coop_r128_t128");
    EXPECT_EQ(pl.tiles_n * pl.tiles_m, 72);
    EXPECT_EQ(pl.sk_ctas, 96);
    EXPECT_EQ(pl.grid, 96);
    EXPECT_EQ(pl.units, 96);
    EXPECT_EQ(pl.split, 2);
    EXPECT_EQ(pl.cluster, 4);
    EXPECT_EQ(pl.stages, 6);
  }
  const Problem p = problem(384, 3072, 4096);
  {
    const ClusterReduceScope off(false);  // the same units through the workspace
    Plan ws;
    ASSERT_EQ(make_plan(kH100, p, W4A16_FAMILY_SM90, t128, -1, &ws), W4A16_OK);
    EXPECT_EQ(ws.sk_ctas, 96);
    EXPECT_EQ(ws.split, 2);
    EXPECT_EQ(ws.cluster, 1);
    EXPECT_EQ(ws.workspace_bytes, pl.workspace_bytes);
  }
  {
    const QuadsScope off(false);  // whole tiles
    Plan whole;
    ASSERT_EQ(make_plan(kH100, p, W4A16_FAMILY_SM90, t128, -1, &whole), W4A16_OK);
    EXPECT_EQ(whole.sk_ctas, 0);
    EXPECT_EQ(whole.split, 1);
    EXPECT_EQ(whole.grid, 72);
    EXPECT_EQ(whole.cluster, 1);
  }
  // Not: 96 tiles (6144x4096 M=256: 128 CTAs, whose clusters did not all fit on the H200), tile counts that
  // are no multiple of 3 (10240x8192 M=128: 80), ranges under kQuadMinSliceK (3072x2048 M=384: 3/4 of 2048).
  for (const auto& [m, n, k] : {std::tuple<int64_t, int64_t, int64_t>{256, 6144, 4096}, {128, 10240, 8192},
                                {384, 3072, 2048}}) {
    ASSERT_EQ(make_plan(kH100, problem(m, n, k), W4A16_FAMILY_SM90, t128, -1, &pl), W4A16_OK);
    EXPECT_NE(pl.cluster, 4) << n << "x" << k << " M=" << m;
    EXPECT_EQ(pl.sk_ctas == 0 || pl.tiles_n * pl.tiles_m * 4 != (int64_t)pl.sk_ctas * 3, true) << n << "x" << k;
  }
}

// Where the device reports how many clusters of four fit at once (DeviceProps::quad_clusters), the quads
// go up to that many CTAs instead of 3/4 of the SMs: 30 on the H200 admits 75-90 tiles; 96 tiles (128
// CTAs) stay whole; and a fit below 96 CTAs keeps 72 tiles whole too. The 128-token tile, forced.
TEST(Dispatch, StreamKQuadsUpToTheClustersThatFit) {
  if (!W4A16_HAVE_SM90) GTEST_SKIP() << "no sm_90a kernels in this build";
  const int t128 = sm90_config("coop_r128_t128");
  const QuadsScope quads(true);
  const ClusterReduceScope cluster(true);
  DeviceProps h200 = kH100;
  h200.quad_clusters = 30;
  Plan pl;
  // 3584x4096 M=384: 28 x 3 = 84 tiles -> 112 CTAs; 2304x4096 M=576: 18 x 5 = 90 -> 120.
  for (const auto& [m, n, tiles] : {std::tuple<int64_t, int64_t, int64_t>{384, 3584, 84}, {576, 2304, 90},
                                    {384, 3072, 72}}) {
    ASSERT_EQ(make_plan(h200, problem(m, n, 4096), W4A16_FAMILY_SM90, t128, -1, &pl), W4A16_OK);
    EXPECT_EQ(pl.tiles_n * pl.tiles_m, tiles) << n << " M=" << m;
    EXPECT_EQ(pl.cluster, 4) << n << " M=" << m;
    EXPECT_EQ(pl.sk_ctas, 4 * tiles / 3) << n << " M=" << m;
    EXPECT_EQ(pl.grid, 4 * tiles / 3) << n << " M=" << m;
    // Unknown fit: only 72 tiles (96 CTAs <= 3/4 of 132).
    ASSERT_EQ(make_plan(kH100, problem(m, n, 4096), W4A16_FAMILY_SM90, t128, -1, &pl), W4A16_OK);
    EXPECT_EQ(pl.cluster == 4, tiles == 72) << n << " M=" << m;
  }
  ASSERT_EQ(make_plan(h200, problem(256, 6144, 4096), W4A16_FAMILY_SM90, t128, -1, &pl), W4A16_OK);
  EXPECT_EQ(pl.tiles_n * pl.tiles_m, 96);
  EXPECT_NE(pl.cluster, 4);
  EXPECT_EQ(pl.sk_ctas, 0);
  DeviceProps tight = kH100;
  tight.quad_clusters = 23;  // 92 CTAs: 69 tiles fit, 72 do not
  ASSERT_EQ(make_plan(tight, problem(384, 3072, 4096), W4A16_FAMILY_SM90, t128, -1, &pl), W4A16_OK);
  EXPECT_NE(pl.cluster, 4);
  EXPECT_EQ(pl.sk_ctas, 0);
}

// Stream-K fill (version 64): fewer tiles than SMs, a split-K plan under 70% busy, and ranges of at
// least 4096 of K per CTA.
TEST(Dispatch, StreamKFillWhereFewTilesHaveLongK) {
  if (!W4A16_HAVE_SM90) GTEST_SKIP() << "no sm_90a kernels in this build";
  Plan pl;
  // 80 tiles of 64 k-blocks on 132 SMs: ranges of 38 k-blocks (4864 of K), a tile over <= 3 CTAs.
  for (int64_t m : {32, 64, 128}) {
    ASSERT_EQ(make_plan(kH100, problem(m, 10240, 8192), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
    EXPECT_EQ(pl.sk_ctas, 132) << "M=" << m;
    EXPECT_EQ(pl.grid, 132) << "M=" << m;
    EXPECT_EQ(pl.units, 132) << "M=" << m;
    EXPECT_EQ(pl.split, 3) << "M=" << m;
    EXPECT_EQ(pl.cluster, 1) << "M=" << m;
    EXPECT_EQ(pl.workspace_bytes, kSplitCounterBytes + (size_t)132 * 3 * 128 * cfg::kSm90Configs[pl.config].tn * 4)
        << "M=" << m;  // partials: 3 slots per CTA
  }
  // K = 4096 on 48 row tiles: ranges of ~1500 of K, measured 17-24% slower; the cluster pairs stay.
  ASSERT_EQ(make_plan(kH100, problem(64, 6144, 4096), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_EQ(pl.sk_ctas, 0);
  EXPECT_EQ(pl.split, 2);
  EXPECT_EQ(pl.cluster, 2);
  // Enough tiles to keep >= 70% of the SMs busy with their split: no fill (8192^2 M=64, 64 tiles x 2;
  // 4096x14336 M=320, 96 tiles whole: 73%, measured +4% with the fill).
  ASSERT_EQ(make_plan(kH100, problem(320, 4096, 14336), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_EQ(pl.sk_ctas, 0);
  ASSERT_EQ(make_plan(kH100, problem(64, 8192, 8192), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_EQ(pl.sk_ctas, 0);
  // The 16-token tile takes it (10240x8192 M=16: 80 tiles, ranges of 38 k-blocks, a tile spans up to
  // 3 CTAs); the two-per-SM tiles never do (coop_r128_t16_x2 forced: split 3, 240 CTAs).
  ASSERT_EQ(make_plan(kH100, problem(16, 10240, 8192), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, "coop_r128_t16");
  EXPECT_EQ(pl.sk_ctas, 132);
  EXPECT_EQ(pl.split, 3);
  ASSERT_EQ(make_plan(kH100, problem(16, 10240, 8192), W4A16_FAMILY_SM90, sm90_config("coop_r128_t16_x2"), -1, &pl),
            W4A16_OK);
  EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, "coop_r128_t16_x2");
  EXPECT_EQ(pl.sk_ctas, 0);
  EXPECT_EQ(pl.split, 3);
}

TEST(Dispatch, StreamKWhereWholeTilesLeaveTheLastWaveShort) {
  if (!W4A16_HAVE_SM90) GTEST_SKIP() << "no sm_90a kernels in this build";
  Plan pl;
  // 448 tiles of 128 rows on 132 SMs: 3.4 waves of whole tiles, 85% busy -> stream-K over 132 CTAs.
  ASSERT_EQ(make_plan(kH100, problem(1, 57344, 8192), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, "coop_r128_t8");
  EXPECT_EQ(pl.sk_ctas, 132);
  EXPECT_EQ(pl.grid, 132);
  EXPECT_EQ(pl.split, 2);  // 217 k-blocks per CTA, 64 per tile: a tile spans at most 2 CTAs
  EXPECT_EQ(pl.workspace_bytes, kSplitCounterBytes + (size_t)132 * 2 * 128 * 8 * 4);  // partials per CTA
  // 224 tiles: one CTA per SM (measured faster than two per SM in one short wave), whole tiles: the
  // second wave keeps 92 of 132 SMs busy, and whole tiles measured faster than stream-K there.
  ASSERT_EQ(make_plan(kH100, problem(16, 28672, 4096), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, "coop_r128_t16");
  EXPECT_EQ(pl.sk_ctas, 0);
  EXPECT_EQ(pl.split, 1);
  EXPECT_EQ(pl.grid, 132);
  // Wider tiles never use stream-K (their fp32 partials cost more than the balance): 448 tiles of 16
  // tokens run 396 whole and split the last wave's 52 two ways (the split tail).
  ASSERT_EQ(make_plan(kH100, problem(16, 57344, 8192), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, "coop_r128_t16");
  EXPECT_EQ(pl.sk_ctas, 0);
  EXPECT_EQ(pl.full_tiles, 396);
  EXPECT_EQ(pl.split, 2);
  EXPECT_EQ(pl.units, 396 + 52 * 2);
  // Two per SM (tuned) within one wave: 224 tiles on 264 slots measured slower with stream-K.
  ASSERT_EQ(make_plan(kH100, problem(16, 28672, 4096), W4A16_FAMILY_SM90, -1, sm90_config("coop_r128_t16_x2"), &pl),
            W4A16_OK);
  EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, "coop_r128_t16_x2");
  EXPECT_EQ(pl.sk_ctas, 0);
  // Two-per-SM tiles beyond one wave: 600 tiles on 264 slots, 2.3 waves -> stream-K over 264 CTAs.
  ASSERT_EQ(make_plan(kH100, problem(1, 76800, 4096), W4A16_FAMILY_SM90, -1, sm90_config("coop_r128_t8_x2"), &pl),
            W4A16_OK);
  EXPECT_STREQ(cfg::kSm90Configs[pl.config].name, "coop_r128_t8_x2");
  EXPECT_EQ(pl.sk_ctas, 264);
  // Full waves (4096 x 4096 on coop_r128_t8, forced past the gemv rule: 32 tiles x split 4 = 128 of
  // 132) and larger tiles keep whole units.
  ASSERT_EQ(make_plan(kH100, problem(1, 4096, 4096), W4A16_FAMILY_SM90, sm90_config("coop_r128_t8"), -1, &pl),
            W4A16_OK);
  EXPECT_EQ(pl.split, 4);
  EXPECT_EQ(pl.sk_ctas, 0);
  ASSERT_EQ(make_plan(kH100, problem(128, 28672, 4096), W4A16_FAMILY_SM90, -1, -1, &pl), W4A16_OK);
  EXPECT_EQ(pl.sk_ctas, 0);
}

TEST(Dispatch, LargeMDoesNotSplit) {
  // The shapes that the first split model split (4-18 ways) and ran 2-4x slower than unsplit. Whole
  // tiles are never split; sm90 may split the tiles of a short last wave (the split tail).
  const int64_t shapes[][3] = {{4096, 8192, 8192}, {256, 57344, 8192}, {1024, 8192, 28672}, {4096, 6144, 4096},
                               {16384, 8192, 8192}, {128, 28672, 4096}};
  for (const auto& s : shapes) {
    Plan pl;
    for (w4a16_family f : {W4A16_FAMILY_SM90, W4A16_FAMILY_SM80}) {
      if (f == W4A16_FAMILY_SM90 && !W4A16_HAVE_SM90) continue;
      ASSERT_EQ(make_plan(kH100, problem(s[0], s[1], s[2]), f, -1, -1, &pl), W4A16_OK);
      EXPECT_TRUE(pl.split == 1 || pl.full_tiles > 0)
          << "M=" << s[0] << " N=" << s[1] << " K=" << s[2] << " family " << (int)f << " split " << pl.split;
    }
  }
}

TEST(Dispatch, ForcedAndTunedConfigs) {
  Plan pl;
  EXPECT_EQ(make_plan(kH100, problem(1, 4096, 4096), W4A16_FAMILY_SM80, 99, -1, &pl), W4A16_ERR_UNSUPPORTED_CONFIG);
  EXPECT_NE(std::string(w4a16_last_error()).find("does not exist"), std::string::npos);
  ASSERT_EQ(make_plan(kH100, problem(1, 4096, 4096), W4A16_FAMILY_SM80, -1, 3, &pl), W4A16_OK);
  EXPECT_EQ(pl.config, 3);  // the tuning cache wins over the heuristic
  ASSERT_EQ(make_plan(kH100, problem(1, 4096, 4096), W4A16_FAMILY_SM80, 2, 3, &pl), W4A16_OK);
  EXPECT_EQ(pl.config, 2);  // and a forced config over both
}

TEST(Dispatch, StagesComeFromTheSharedMemoryBudget) {
  Plan big, small;
  ASSERT_EQ(make_plan(kA100, problem(64, 4096, 4096), W4A16_FAMILY_SM80, 3, -1, &big), W4A16_OK);
  ASSERT_EQ(make_plan(kRtx5070, problem(64, 4096, 4096), W4A16_FAMILY_SM80, 3, -1, &small), W4A16_OK);
  EXPECT_GE(big.stages, small.stages);
  EXPECT_LE(small.smem_bytes, (size_t)kRtx5070.smem_optin);
}



// Plan::sum_apart: sm80 decode plans whose tile brings >= 128 KiB of partials back (split x rows x
// tokens x 4), on compute capability 9.0 only; the shapes of Sm80.SumApartMatchesInKernelFixup and
// the measured ones of docs/PERFORMANCE.md version 96.
TEST(Dispatch, Sm80SumApartForLongReadBacks) {
  const SumApartScope on(true);
  const struct {
    int64_t m, n, k, g;
    bool apart;
    int split;
  } cases[] = {{16, 4096, 14336, 128, true, 16}, {13, 264, 16640, 64, true, 32}, {12, 520, 16384, 16384, true, 32},
               {6, 1032, 16640, 128, true, 32},  {16, 8192, 8192, 128, false, 8}, {8, 4096, 14336, 128, false, 16},
               {16, 10240, 8192, 128, false, 6}, {16, 28672, 4096, 128, false, 2}, {16, 6144, 4096, 128, false, 0},
               {64, 4096, 14336, 128, false, 0}};
  for (const auto& c : cases) {
    Plan pl, a100, off;
    const Problem p = problem(c.m, c.n, c.k, c.g);
    ASSERT_EQ(make_plan(kH100, p, W4A16_FAMILY_SM80, -1, -1, &pl), W4A16_OK);
    EXPECT_EQ(pl.sum_apart, c.apart) << "m=" << c.m << " n=" << c.n << " k=" << c.k << " split " << pl.split;
    if (c.split > 0) EXPECT_EQ(pl.split, c.split) << "m=" << c.m << " n=" << c.n << " k=" << c.k;
    const cfg::Sm80Config& c8 = cfg::kSm80Configs[pl.config];
    if (pl.sum_apart) EXPECT_GE((int64_t)pl.split * c8.tile_rows() * c8.tile_tokens() * 4, kSm80SumApartMinBytes);
    ASSERT_EQ(make_plan(kA100, p, W4A16_FAMILY_SM80, -1, -1, &a100), W4A16_OK);
    EXPECT_FALSE(a100.sum_apart) << "timed on the H100 only";
    {
      const SumApartScope scope(false);
      ASSERT_EQ(make_plan(kH100, p, W4A16_FAMILY_SM80, -1, -1, &off), W4A16_OK);
    }
    EXPECT_FALSE(off.sum_apart);
    EXPECT_EQ(off.split, pl.split);
    EXPECT_EQ(off.workspace_bytes, pl.workspace_bytes);
  }
}

// The cluster fixups' barriers are single-use: a plan that gave a CTA a second unit, or quads a grid
// other than 4T/3, would read a stale receive buffer or hang, so the launcher refuses it
// (sm90_cluster_plan_ok) and runs the workspace fixup. make_plan's own plans pass (above).
TEST(Dispatch, ClusterPlansTheFixupsCannotRunAreRefused) {
  if (!W4A16_HAVE_SM90) GTEST_SKIP() << "built without sm_90a";
  const ClusterReduceScope on(true);
  const QuadsScope quads(true);
  const int t128 = sm90_config("coop_r128_t128");
  DeviceProps h200 = kH100;
  h200.quad_clusters = 30;
  Plan pair, quad;
  ASSERT_EQ(make_plan(h200, problem(128, 8192, 8192), W4A16_FAMILY_SM90, t128, -1, &pair), W4A16_OK);
  ASSERT_EQ(pair.cluster, 2) << "8192^2 M=128, 64 tiles of 128 tokens: pairs";
  ASSERT_TRUE(sm90_cluster_plan_ok(pair));
  Plan bad = pair;
  bad.grid = (int)(bad.units / 2);  // two units per CTA
  EXPECT_FALSE(sm90_cluster_plan_ok(bad));
  bad = pair;
  bad.full_tiles = 2;
  EXPECT_FALSE(sm90_cluster_plan_ok(bad));
  bad = pair;
  bad.split = 3;
  EXPECT_FALSE(sm90_cluster_plan_ok(bad));
  ASSERT_EQ(make_plan(h200, problem(384, 3072, 4096), W4A16_FAMILY_SM90, t128, -1, &quad), W4A16_OK);
  ASSERT_EQ(quad.cluster, 4) << "3072x4096 M=384, 72 tiles of 128 tokens: the quads";
  ASSERT_TRUE(sm90_cluster_plan_ok(quad));
  bad = quad;
  bad.grid = bad.sk_ctas = (int)(bad.units = bad.sk_ctas - 4);  // CTAs that span two tiles' heads
  EXPECT_FALSE(sm90_cluster_plan_ok(bad));
  bad = quad;
  bad.kblocks -= 2;
  EXPECT_FALSE(sm90_cluster_plan_ok(bad));
  bad = quad;
  bad.cluster = 3;
  EXPECT_FALSE(sm90_cluster_plan_ok(bad));
}

// The environment switches (W4A16_PDL, W4A16_CLUSTER_REDUCE, ...): off for 0/off/false/no in any case,
// on otherwise, unset included. env_switch_on reads the variable on every call (the flags cache it).
TEST(Dispatch, EnvSwitchWords) {
  const char* name = "W4A16_TEST_SWITCH";
  unsetenv(name);
  EXPECT_TRUE(env_switch_on(name));
  for (const char* off : {"0", "off", "OFF", "false", "False", "no", "NO"}) {
    setenv(name, off, 1);
    EXPECT_FALSE(env_switch_on(name)) << off;
  }
  for (const char* on : {"1", "on", "On", "true", "TRUE", "yes", "", "00", "2", "disabled", " 0", "0 "}) {
    setenv(name, on, 1);
    EXPECT_TRUE(env_switch_on(name)) << "'" << on << "'";
  }
  unsetenv(name);
}

// W4A16_BAND: a whole decimal number in 1...64, else unset (0).
TEST(Dispatch, BandFromTheEnvironment) {
  EXPECT_EQ(parse_band(nullptr), 0);
  EXPECT_EQ(parse_band("1"), 1);
  EXPECT_EQ(parse_band("4"), 4);
  EXPECT_EQ(parse_band("64"), 64);
  for (const char* bad : {"", "0", "65", "-4", "+4", " 4", "4 ", "4x", "x4", "0x10", "99999999999999999999999"})
    EXPECT_EQ(parse_band(bad), 0) << "'" << bad << "'";
}

// The split-K counters (kernels/common/split_counter.h): a zeroed count decodes to the arrival
// number, and bytes a reused buffer is likely to hold decode at least 2^16 (more than any tile's
// splits) away from zero, so they are recognised as leftovers: every byte repeated, small and
// negative integers, pairs of small 32-bit integers, pairs of floats and quadruples of fp16 / bf16
// values from a normal distribution. The tags: never 0, 48 bits, distinct over a million launches,
// none below 2^24 (a recount word holding a small integer never carries one).
TEST(SplitCounter, LeftoverBytesDecodeFarFromZero) {
  for (unsigned long long j = 0; j < (1ull << kRecountBits); ++j) ASSERT_EQ(j * kArrival * kArrivalInverse, j);
  constexpr unsigned long long kNear = 1ull << kRecountBits;
  int64_t checked = 0;
  auto expect_far = [&](unsigned long long v) {
    if (v == 0) return;  // a zeroed count: clean
    const unsigned long long d = v * kArrivalInverse;
    ++checked;
    ASSERT_TRUE(d >= kNear && d <= ~0ull - kNear) << std::hex << "0x" << v << " decodes to 0x" << d;
  };
  for (unsigned b = 1; b < 256; ++b) expect_far(0x0101010101010101ull * b);
  for (unsigned long long j = 1; j <= (1ull << 20); ++j) {
    expect_far(j);
    expect_far(0ull - j);
  }
  for (int32_t lo = -300; lo <= 300; ++lo)
    for (int32_t hi = -300; hi <= 300; ++hi)
      expect_far((unsigned long long)(uint32_t)hi << 32 | (uint32_t)lo);
  std::mt19937_64 rng(20261129);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (int i = 0; i < 200000; ++i) {
    float f[2] = {normal(rng), normal(rng)};
    unsigned long long v;
    std::memcpy(&v, f, 8);
    expect_far(v);
    uint16_t h[4], b[4];
    for (int k = 0; k < 4; ++k) {
      const float x = normal(rng);
      h[k] = num::to_bits(x, false);
      b[k] = num::to_bits(x, true);
    }
    std::memcpy(&v, h, 8);
    expect_far(v);
    std::memcpy(&v, b, 8);
    expect_far(v);
  }
  EXPECT_GT(checked, 3000000);

  std::vector<unsigned long long> tags(1000000);
  for (unsigned long long& t : tags) {
    t = next_split_tag();
    ASSERT_NE(t, 0u);
    ASSERT_LT(t, 1ull << 48);
    ASSERT_GE(t, 1ull << 24) << "a tag a small integer could carry";
  }
  std::sort(tags.begin(), tags.end());
  EXPECT_EQ(std::adjacent_find(tags.begin(), tags.end()), tags.end()) << "a tag repeated";
}
