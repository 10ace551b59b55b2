// commands.h -- the `w4a16` subcommands.
#pragma once
#include "cli_args.h"

namespace w4a16::tool {
int run_info();
int run_bench(const cli::Options& o);
int run_check(const cli::Options& o);
int run_tune(const cli::Options& o);
}  // namespace w4a16::tool
