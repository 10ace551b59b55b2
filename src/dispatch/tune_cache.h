// tune_cache.h -- the tuning cache `w4a16 tune` writes and w4a16_gemm consults (docs/TUNING.md).
#pragma once
#include <cstdint>
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

}  // namespace w4a16
