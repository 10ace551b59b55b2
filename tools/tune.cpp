// tune.cpp -- `w4a16 tune`: time every configuration of the family for each requested shape (each
// verified first) and append the fastest to the tuning cache (format: docs/TUNING.md).
#include <cstdio>
#include <fstream>
#include <string>

#include "commands.h"
#include "dispatch/tune_cache.h"
#include "testkit/problem.h"

namespace w4a16::tool {

int run_tune(const cli::Options& o) {
  if (!kit::gpu_available()) {
    std::printf("tune needs a CUDA device; none is available\n");
    return 1;
  }
  w4a16_family family = W4A16_FAMILY_AUTO;
  if (o.backend == "auto") kit::api_check(w4a16_select_family(-1, &family), "w4a16_select_family");
  else if (o.backend == "sm90") family = W4A16_FAMILY_SM90;
  else if (o.backend == "sm80") family = W4A16_FAMILY_SM80;
  else {
    std::printf("tune works on the sm90 or sm80 family, not '%s'\n", o.backend.c_str());
    return 2;
  }
  w4a16_device_info info{};
  kit::api_check(w4a16_get_device_info(-1, &info), "w4a16_get_device_info");
  int32_t count = 0;
  kit::api_check(w4a16_config_count(family, &count), "w4a16_config_count");
  std::ofstream out;
  if (tune_open_for_append(o.out.c_str(), &out) != W4A16_OK) {
    std::printf("%s\n", w4a16_last_error());
    return 1;
  }
  const int64_t g = o.group == 0 ? o.k : o.group;
  for (int64_t m : o.m_list) {
    kit::DeviceProblem dp;
    dp.init(kit::make_problem(m, o.n, o.k, o.bf16, o.group, o.zeros, false), family, 1234 + m);
    int best = -1;
    double best_us = 1e30;
    std::printf("%s M=%lld N=%lld K=%lld:", w4a16_family_name(family), (long long)m, (long long)o.n, (long long)o.k);
    for (int c = 0; c < count; ++c) {
      w4a16_status st;
      const kit::ErrorStats e = dp.verify(c, &st);
      const char* name = "";
      w4a16_config_name(family, c, &name);
      if (st != W4A16_OK || !e.ok) {
        std::printf(" %s=%s", name, st != W4A16_OK ? "n/a" : "WRONG");
        continue;
      }
      const double us = dp.time(c, 3, o.iters);  // weights rotated past L2, as bench measures
      std::printf(" %s=%.1fus", name, us);
      if (us < best_us) {
        best_us = us;
        best = c;
      }
    }
    if (best < 0) {
      std::printf("\n  no configuration ran correctly\n");
      return 1;
    }
    const char* name = "";
    w4a16_config_name(family, best, &name);
    std::printf("\n  best: %s (%.1f us)\n", name, best_us);
    out << info.name << '\t' << w4a16_family_name(family) << '\t' << (o.bf16 ? "bf16" : "fp16") << '\t' << g << '\t'
        << (o.zeros ? 1 : 0) << '\t' << m << '\t' << o.n << '\t' << o.k << '\t' << name << '\t' << best_us << "\n";
  }
  std::printf("wrote %s; use it with W4A16_TUNE_CACHE=%s\n", o.out.c_str(), o.out.c_str());
  return 0;
}

}  // namespace w4a16::tool
