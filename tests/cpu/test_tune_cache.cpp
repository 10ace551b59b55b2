// The tuning cache file: parsed whole before it replaces the table, refused with a line number when
// malformed, matched exactly.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
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
      {"w4a16-tune 1\nGPU\tsm80\tfp16\t128\t0\tone\t64\t64\tr128_t8\n", "m 'one' is not an integer"},
      {"w4a16-tune 12\nGPU\tsm80\tfp16\t128\t0\t1\t64\t64\tr128_t8\n", "first line"},
      {"w4a16-tune 1\nGPU\tsm80\tfp16\t128\t0\t1\t99999999999999999999\t64\tr128_t8\n",
       ":2: n '99999999999999999999' is not an integer"},
      {"w4a16-tune 1\nGPU\tsm80\tfp16\t128\t0\t 1\t64\t64\tr128_t8\n", "m ' 1' is not an integer"},
      {"w4a16-tune 1\nGPU\tsm80\tfp16\t128\t0\t1\t64\t+64\tr128_t8\n", "k '+64' is not an integer"},
      {"w4a16-tune 1\nGPU\tsm80\tfp16\t128\t0\t0\t64\t64\tr128_t8\n", "m=0 is out of range"},
      {"w4a16-tune 1\nGPU\tsm80\tfp16\t128\t0\t1\t-64\t64\tr128_t8\n", "n=-64 is out of range"},
      {"w4a16-tune 1\nGPU\tsm80\tfp16\t48\t0\t1\t64\t64\tr128_t8\n", "group=48 is not accepted"},
      {"w4a16-tune 1\nGPU\tsm80\tfp16\t128\t2\t1\t64\t64\tr128_t8\n", "zeros=2 is not accepted"},
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

// Files written on Windows ("\r\n") load; per-channel lines match with group = K, written as K or 0.
TEST(TuneCache, CrlfLinesAndPerChannelGroups) {
  const std::string path = write_tmp("w4a16-tune 1\r\n# comment\r\nGPU\tsm80\tfp16\t128\t0\t1\t64\t64\tr128_t8\r\n"
                                     "GPU\tsm80\tbf16\t4096\t1\t1\t64\t4096\tr128_t16\t3.5\r\n"
                                     "GPU\tsm80\tbf16\t0\t0\t1\t64\t4096\tr128_t16\r\n");
  ASSERT_EQ(w4a16_tune_cache_load(path.c_str()), W4A16_OK) << w4a16_last_error();
  EXPECT_EQ(tune_lookup({"GPU", W4A16_FAMILY_SM80, false, 128, false, 1, 64, 64}), 0);
  EXPECT_EQ(tune_lookup({"GPU", W4A16_FAMILY_SM80, true, 4096, true, 1, 64, 4096}), 1);
  EXPECT_EQ(tune_lookup({"GPU", W4A16_FAMILY_SM80, true, 4096, false, 1, 64, 4096}), 1);
  w4a16_tune_cache_clear();
  std::remove(path.c_str());
}

// A file named by W4A16_TUNE_CACHE that does not load is dropped (a product must not fail for it),
// but what happened to it is kept for `w4a16 info`.
TEST(TuneCache, EnvStatusSaysWhatBecameOfTheFile) {
  const std::string good = write_tmp("w4a16-tune 1\nGPU\tsm80\tfp16\t128\t0\t1\t64\t64\tr128_t8\n"
                                     "GPU\tsm80\tfp16\t128\t0\t2\t64\t64\tr128_t8\n");
  const std::string bad = write_tmp("w4a16-tune 12\n");
  unsetenv("W4A16_TUNE_CACHE");
  tune_reset_for_tests();
  EXPECT_EQ(tune_env_status(), "");

  setenv("W4A16_TUNE_CACHE", good.c_str(), 1);
  tune_reset_for_tests();
  EXPECT_EQ(tune_env_status(), "W4A16_TUNE_CACHE=" + good + ": 2 entries loaded");
  EXPECT_EQ(tune_lookup({"GPU", W4A16_FAMILY_SM80, false, 128, false, 2, 64, 64}), 0);

  setenv("W4A16_TUNE_CACHE", bad.c_str(), 1);
  tune_reset_for_tests();
  const std::string before = w4a16_last_error();
  EXPECT_EQ(tune_lookup({"GPU", W4A16_FAMILY_SM80, false, 128, false, 2, 64, 64}), -1);
  EXPECT_EQ(w4a16_last_error(), before) << "a failed env load is not the lookup's error";
  const std::string st = tune_env_status();
  EXPECT_EQ(st.rfind("W4A16_TUNE_CACHE=" + bad + ": not loaded: ", 0), 0u) << st;
  EXPECT_NE(st.find("first line must be \"w4a16-tune 1\""), std::string::npos) << st;

  tune_reset_for_tests();
  w4a16_tune_cache_clear();  // the table set through the API before the first product
  EXPECT_NE(tune_env_status().find(": not read ("), std::string::npos) << tune_env_status();

  unsetenv("W4A16_TUNE_CACHE");
  tune_reset_for_tests();
  std::remove(good.c_str());
  std::remove(bad.c_str());
}

// `w4a16 tune --out FILE` appends to FILE: a new or empty file gets the header, a file without it is
// refused (its lines would never load), a cache whose last line lacks '\n' gets one first.
TEST(TuneCache, OpenForAppendKeepsTheFileLoadable) {
  const std::string line = "GPU\tsm80\tfp16\t128\t0\t1\t64\t64\tr128_t8\n";
  const auto append = [&](const std::string& path) {
    std::ofstream out;
    const w4a16_status s = tune_open_for_append(path.c_str(), &out);
    if (s == W4A16_OK) out << line;
    return s;
  };
  const auto contents = [](const std::string& path) {
    std::stringstream ss;
    ss << std::ifstream(path).rdbuf();
    return ss.str();
  };
  const std::string empty = write_tmp("");
  ASSERT_EQ(append(empty), W4A16_OK) << w4a16_last_error();
  ASSERT_EQ(append(empty), W4A16_OK) << w4a16_last_error();
  EXPECT_EQ(contents(empty).rfind("w4a16-tune 1\n#", 0), 0u) << contents(empty);
  EXPECT_EQ(contents(empty).find("w4a16-tune 1", 1), std::string::npos) << "one header";
  EXPECT_EQ(w4a16_tune_cache_load(empty.c_str()), W4A16_OK) << w4a16_last_error();

  const std::string missing = empty + ".new";
  ASSERT_EQ(append(missing), W4A16_OK) << w4a16_last_error();
  EXPECT_EQ(w4a16_tune_cache_load(missing.c_str()), W4A16_OK) << w4a16_last_error();

  const std::string unterminated = write_tmp("w4a16-tune 1");
  ASSERT_EQ(append(unterminated), W4A16_OK) << w4a16_last_error();
  EXPECT_EQ(contents(unterminated), "w4a16-tune 1\n" + line);

  for (const char* body : {"some notes\n", "w4a16-tune 12\n", "\nw4a16-tune 1\n"}) {
    const std::string foreign = write_tmp(body);
    EXPECT_EQ(append(foreign), W4A16_ERR_IO) << body;
    EXPECT_NE(std::string(w4a16_last_error()).find("is not a w4a16 tuning cache"), std::string::npos)
        << w4a16_last_error();
    EXPECT_EQ(contents(foreign), body) << "left as it was";
    std::remove(foreign.c_str());
  }
  w4a16_tune_cache_clear();
  for (const std::string& p : {empty, missing, unterminated}) std::remove(p.c_str());
}
