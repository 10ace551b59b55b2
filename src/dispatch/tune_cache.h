// tune_cache.h -- the tuning cache `w4a16 tune` writes and w4a16_gemm consults (docs/TUNING.md).
#pragma once
#include <cstdint>
#include <iosfwd>
#include <string>

#include "host/internal.h"

namespace w4a16 {

struct TuneKey {
  std::string device;
  w4a16_family family;
  bool bf16;
  int64_t group;
  bool zeros;
  int64_t m, n, k;
};

// Config index tuned for `key`, or -1. The first call loads $W4A16_TUNE_CACHE if set (a file that
// fails to load is ignored here, so a stale cache never breaks a product; w4a16_tune_cache_load
// reports its errors).
int tune_lookup(const TuneKey& key);
w4a16_status tune_load(const char* path);
void tune_clear();

// The first line of every tuning cache, exactly (a trailing '\r' is ignored).
constexpr const char* kTuneHeader = "w4a16-tune 1";

// What became of $W4A16_TUNE_CACHE, for `w4a16 info`: "" when unset, else "W4A16_TUNE_CACHE=<path>:
// N entries loaded" or "...: not loaded: <why>" (loads it now if no lookup has yet).
std::string tune_env_status();
// Forgets the table and that the environment was read, so the next lookup reads it again (tests only:
// the variable is otherwise read once per process).
void tune_reset_for_tests();

// Opens `path` for `w4a16 tune` to append lines to: a missing or empty file gets the header first; a
// non-empty one must start with it (W4A16_ERR_IO otherwise: appended lines would never load).
w4a16_status tune_open_for_append(const char* path, std::ofstream* out);

}  // namespace w4a16
