// main.cpp -- `w4a16 info | bench | check | tune`. Bad arguments: a message and exit code 2.
#include <cstdio>
#include <string>

#include "cli_args.h"
#include "commands.h"
#include "dispatch/tune_cache.h"
#include "testkit/testkit.h"

namespace w4a16 {
bool host_backend_has_openblas();  // host_backend.cpp
}

namespace w4a16::tool {

int run_info() {
  std::printf("w4a16 %s\ncompiled targets: %s\nCPU backend: %s\n", w4a16_version(), w4a16_compiled_targets(),
              host_backend_has_openblas() ? "OpenBLAS sgemm" : "threaded loops (built without OpenBLAS)");
  if (const std::string tune = tune_env_status(); !tune.empty()) std::printf("%s\n", tune.c_str());
  const int n = w4a16_device_count();
  if (n == 0) {
    std::printf("no CUDA device: bench and check run the CPU backend\n");
    return 0;
  }
  for (int d = 0; d < n; ++d) {
    w4a16_device_info info{};
    if (w4a16_get_device_info(d, &info) != W4A16_OK) {
      std::printf("device %d: %s\n", d, w4a16_last_error());
      continue;
    }
    std::printf("device %d: %s\n  compute capability %d.%d, %d SMs, %.1f GiB, L2 %d MiB, %d KiB shared memory per "
                "block\n  kernel family: %s\n",
                d, info.name, info.cc_major, info.cc_minor, info.sm_count, info.global_mem_bytes / 1073741824.0,
                info.l2_bytes >> 20, info.smem_per_block_optin >> 10,
                info.supported ? w4a16_family_name(info.family) : "none (compute capability below 8.0 is unsupported)");
  }
  return 0;
}

uint64_t command_seed(const cli::Options& o) {
  const uint64_t seed = o.seed_set ? o.seed : kit::default_seed();
  std::printf("seed %llu\n", (unsigned long long)seed);
  return seed;
}

bool runs_on_host(const cli::Options& o, int* rc) {
  *rc = 0;
  if (o.backend == "host") return true;
  if (kit::gpu_available()) return false;
  if (o.backend != "auto") {
    std::printf("backend '%s' needs a CUDA device and none is available\n", o.backend.c_str());
    *rc = 1;
  }
  return true;
}

}  // namespace w4a16::tool

int main(int argc, char** argv) {
  using namespace w4a16;
  cli::Options o;
  std::string err;
  if (cli::parse(argc, argv, &o, &err) != 0) {
    std::fprintf(stderr, "w4a16: %s\n", err.c_str());
    return 2;
  }
  if (o.cmd == cli::Command::Help || o.help) {
    std::printf("%s", cli::usage(o.cmd).c_str());
    return 0;
  }
  switch (o.cmd) {
    case cli::Command::Info: return tool::run_info();
    case cli::Command::Bench: return tool::run_bench(o);
    case cli::Command::Check: return tool::run_check(o);
    case cli::Command::Tune: return tool::run_tune(o);
    case cli::Command::Help: break;
  }
  return 0;
}
