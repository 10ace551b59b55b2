// The tuning cache file: parsed whole before it replaces the table, refused with a line number when
// malformed, matched exactly.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

#include "dispatch/tune_cache.h"

using namespace w4a16;

namespace {
std::string write_tmp(const std::string& body) {
  char name[] = "/tmp/w4a16_tuneXXXXXX";
  const int fd = mkstemp(name);
  close(fd);
  std::ofstream(name) << body;
  return name;
}
}  // namespace

TEST(TuneCache, LoadAndLookup) {
  const std::string path = write_tmp(
      "w4a16-tune 1\n# comment\nNVIDIA H100 80GB HBM3\tsm90\tfp16\t128\t0\t16\t4096\t4096\tcoop_r128_t32\t7.5\n"
      "NVIDIA H100 80GB HBM3\tsm80\tbf16\t64\t1\t1\t8192\t8192\tr128_t16\n");
  ASSERT_EQ(w4a16_tune_cache_load(path.c_str()), W4A16_OK) << w4a16_last_error();
  EXPECT_EQ(tune_lookup({"NVIDIA H100 80GB HBM3", W4A16_FAMILY_SM90, false, 128, false, 16, 4096, 4096}), 2);
  EXPECT_EQ(tune_lookup({"NVIDIA H100 80GB HBM3", W4A16_FAMILY_SM80, true, 64, true, 1, 8192, 8192}), 1);
  EXPECT_EQ(tune_lookup({"NVIDIA H100 80GB HBM3", W4A16_FAMILY_SM90, false, 128, false, 17, 4096, 4096}), -1);
  EXPECT_EQ(tune_lookup({"NVIDIA A100", W4A16_FAMILY_SM90, false, 128, false, 16, 4096, 4096}), -1);
  EXPECT_EQ(w4a16_tune_cache_clear(), W4A16_OK);
  EXPECT_EQ(tune_lookup({"NVIDIA H100 80GB HBM3", W4A16_FAMILY_SM90, false, 128, false, 16, 4096, 4096}), -1);
  std::remove(path.c_str());
}

TEST(TuneCache, BadFilesAreRefusedAndChangeNothing) {
  const std::string good = write_tmp("w4a16-tune 1\nGPU\tsm80\tfp16\t128\t0\t1\t64\t64\tr128_t8\n");
  ASSERT_EQ(w4a16_tune_cache_load(good.c_str()), W4A16_OK);
  const struct {
    const char* body;
    const char* needle;
  } cases[] = {
      {"not a cache\n", "first line"},
      {"w4a16-tune 1\nGPU\tsm80\tfp16\n", ":2: expected 9"},
      {"w4a16-tune 1\nGPU\tsm80\tfp16\t128\t0\t1\t64\t64\tno_such_config\n", "unknown family"},
      {"w4a16-tune 1\nGPU\tsm80\tfp16\t128\t0\tone\t64\t64\tr128_t8\n", "'one' is not an integer"},
  };
  for (const auto& c : cases) {
    const std::string path = write_tmp(c.body);
    EXPECT_EQ(w4a16_tune_cache_load(path.c_str()), W4A16_ERR_IO);
    EXPECT_NE(std::string(w4a16_last_error()).find(c.needle), std::string::npos) << w4a16_last_error();
    std::remove(path.c_str());
  }
  EXPECT_EQ(tune_lookup({"GPU", W4A16_FAMILY_SM80, false, 128, false, 1, 64, 64}), 0);  // still loaded
  EXPECT_EQ(w4a16_tune_cache_load("/nonexistent/w4a16.tsv"), W4A16_ERR_IO);
  w4a16_tune_cache_clear();
  std::remove(good.c_str());
}
