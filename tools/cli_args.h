// cli_args.h -- the `w4a16` command line, parsed into plain options (tests/cpu/test_cli.cpp covers it).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace w4a16::cli {

enum class Command { Help, Info, Bench, Check, Tune };

struct Options {
  Command cmd = Command::Help;
  bool help = false;           // --help given (print the command's usage, exit 0)
  // problem
  int64_t m = 64, n = 256, k = 256;
  std::vector<int64_t> m_list; // tune: -m 1,16,64; bench --sweep: --ms 1,16,64 (empty: DESIGN list)
  std::vector<std::pair<int64_t, int64_t>> shapes;  // bench --sweep: --shapes NxK,... (empty: DESIGN list)
  int32_t group = 128;         // 0 = per channel
  bool bf16 = false;
  bool zeros = false, bias = false;
  // running
  std::string backend = "auto";  // auto, sm90, sm80, reference, host
  std::string config;            // force one config by name (bench)
  int warmup = 10, iters = 50;
  bool sweep = false, quick = false;
  int cooldown_ms = 1000;        // bench --sweep: idle time before each N x K's first point (--cooldown)
  int settle_ms = 300;           // bench: idle time before each timing, ours and cuBLAS's (--settle)
  bool time_unverified = false;  // bench: time a product whose verification failed (--time-unverified)
  std::string json, out = "w4a16_tune.tsv";
  uint64_t seed = 0;
  bool seed_set = false;
};

// Parses argv (argv[0] is the program). Returns 0 and fills `o`, or 2 with a message in `err`.
int parse(int argc, const char* const* argv, Options* o, std::string* err);
std::string usage(Command c);

}  // namespace w4a16::cli
