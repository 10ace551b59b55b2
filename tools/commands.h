// commands.h -- the `w4a16` subcommands.
#pragma once
#include <cstdint>

#include "cli_args.h"

namespace w4a16::tool {
int run_info();
int run_bench(const cli::Options& o);
int run_check(const cli::Options& o);
int run_tune(const cli::Options& o);

// The seed a command uses (--seed, else the process seed), printed for replay.
uint64_t command_seed(const cli::Options& o);
// Whether a command runs on the CPU backend: --backend host, or no GPU with --backend auto. A GPU
// backend asked for without a GPU sets *rc = 1 and returns true with nothing to run.
bool runs_on_host(const cli::Options& o, int* rc);
}  // namespace w4a16::tool
