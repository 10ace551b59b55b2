// cli_args.cpp -- strict parsing: every value checked, unknown flags refused (exit code 2).
#include "cli_args.h"

#include "w4a16/w4a16.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace w4a16::cli {
namespace {

bool to_int(const char* s, int64_t lo, int64_t hi, int64_t* v) {
  // A digit or '-' first: strtoll would also take leading spaces and '+'.
  if (!s || !(std::isdigit((unsigned char)*s) || *s == '-')) return false;
  errno = 0;
  char* end = nullptr;
  const long long x = std::strtoll(s, &end, 10);
  if (errno || *end || x < lo || x > hi) return false;
  *v = x;
  return true;
}

// Calls item(text) for each comma-separated item of s; false if s is empty or any item is refused.
template <class F>
bool for_each_item(const char* s, F item) {
  const std::string str(s ? s : "");
  size_t pos = 0;
  while (true) {
    const size_t comma = str.find(',', pos);
    if (!item(str.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos))) return false;
    if (comma == std::string::npos) return true;
    pos = comma + 1;
  }
}

bool to_int_list(const char* s, std::vector<int64_t>* out) {
  out->clear();
  return for_each_item(s, [&](const std::string& item) {
    int64_t v = 0;
    if (!to_int(item.c_str(), 1, (int64_t{1} << 31) - 1, &v)) return false;
    out->push_back(v);
    return true;
  });
}

// "NxK[,NxK...]", each N and K in [1, 2^31).
bool to_shape_list(const char* s, std::vector<std::pair<int64_t, int64_t>>* out) {
  out->clear();
  return for_each_item(s, [&](const std::string& item) {
    const size_t x = item.find('x');
    int64_t n = 0, k = 0;
    if (x == std::string::npos || !to_int(item.substr(0, x).c_str(), 1, (int64_t{1} << 31) - 1, &n) ||
        !to_int(item.substr(x + 1).c_str(), 1, (int64_t{1} << 31) - 1, &k))
      return false;
    out->emplace_back(n, k);
    return true;
  });
}

}  // namespace

std::string usage(Command c) {
  switch (c) {
    case Command::Info:
      return "usage: w4a16 info\n  Device name, compute capability, SM count, memory, the kernel family that will run,\n"
             "  and the targets this build contains.\n";
    case Command::Bench:
      return "usage: w4a16 bench [-m M] [-n N] [-k K] [options]\n"
             "  Verifies Y = X*W^T (+bias) against the reference, then times our kernel and cuBLAS dense\n"
             "  (same dtype) in the same run: CUDA events over CUDA-graph replays, weights rotated past L2,\n"
             "  median of --iters, with the SM clock after each timing ('*': it moved > 3% during it).\n"
             "  Without a GPU it runs and verifies the CPU backend instead.\n"
             "  -m, -n, -k N         problem size (default 64 x 256 x 256)\n"
             "  --group G            32, 64, 128 (default), 256, or 'channel'\n"
             "  --dtype fp16|bf16    activation dtype (default fp16)\n"
             "  --zeros              asymmetric weights (W^ = q*s + z); default symmetric\n"
             "  --bias               add a bias vector\n"
             "  --backend B          auto (default), sm90, sm80, reference, host\n"
             "  --config NAME        force one kernel configuration of the backend\n"
             "  --warmup N --iters N timing repetitions (default 10, 50)\n"
             "  --sweep              run the DESIGN shape list (Llama-3 layers x M) and print one table\n"
             "  --shapes NxK[,NxK..] with --sweep: these N x K instead of the DESIGN list\n"
             "  --ms M[,M...]        with --sweep: these token counts instead of the DESIGN list\n"
             "  --cooldown MS        with --sweep: idle MS ms before each N x K's first point (default 1000)\n"
             "  --settle MS          idle MS ms before each timing, ours and cuBLAS's alike (default 300)\n"
             "  --time-unverified    time the product even when its verification fails (probe builds that\n"
             "                       compute a wrong Y on purpose); the failure is still printed, the exit\n"
             "                       code is still 1 and the JSON record says \"verified\": false\n"
             "  A single problem also prints its time per call without a CUDA graph (100 launches back\n"
             "  to back on one stream) and the host time to enqueue one, for us and for cuBLAS.\n"
             "  --json FILE          write one JSON record per measurement\n"
             "  --seed S             random seed (default: random, printed)\n";
    case Command::Check:
      return "usage: w4a16 check [--backend B] [--quick] [--seed S]\n"
             "  Correctness sweep: dtypes x {sym, zeros} x groups x bias x M x shapes with tails, each\n"
             "  against the reference (CPU without a GPU). Exit code 1 on any failure.\n";
    case Command::Tune:
      return "usage: w4a16 tune -m M[,M...] -n N -k K [--dtype D] [--group G] [--zeros] [--backend B]\n"
             "                  [--out FILE] [--iters N]\n"
             "  Times every configuration of the family for each shape and appends the winners to FILE\n"
             "  (default w4a16_tune.tsv). Load it with W4A16_TUNE_CACHE=FILE or w4a16_tune_cache_load().\n";
    case Command::Help: break;
  }
  return "usage: w4a16 <command> [options]\n"
         "  info    device and build information\n"
         "  bench   verify and time one problem (or --sweep) against cuBLAS\n"
         "  check   correctness sweep against the reference\n"
         "  tune    time every configuration and write a tuning cache\n"
         "  Run 'w4a16 <command> --help' for its options.\n";
}

int parse(int argc, const char* const* argv, Options* o, std::string* err) {
  *o = Options{};
  if (argc < 2) {
    o->cmd = Command::Help;
    return 0;
  }
  const std::string cmd = argv[1];
  if (cmd == "info") o->cmd = Command::Info;
  else if (cmd == "bench") o->cmd = Command::Bench;
  else if (cmd == "check") o->cmd = Command::Check;
  else if (cmd == "tune") o->cmd = Command::Tune;
  else if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    o->cmd = Command::Help;
    o->help = true;
    return 0;
  } else {
    *err = "unknown command '" + cmd + "' (expected info, bench, check or tune)";
    return 2;
  }
  bool n_set = false, k_set = false, m_set = false, cooldown_set = false;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char** v) -> bool {
      if (i + 1 >= argc) {
        *err = "option " + a + " needs a value";
        return false;
      }
      *v = argv[++i];
      return true;
    };
    auto bad = [&](const char* v, const char* what) {
      *err = "invalid value '" + std::string(v) + "' for " + a + ": " + what;
      return 2;
    };
    const char* v = nullptr;
    const bool problem_cmd = o->cmd == Command::Bench || o->cmd == Command::Tune;
    if (a == "--help" || a == "-h") {
      o->help = true;
    } else if (problem_cmd && (a == "-m" || a == "-n" || a == "-k")) {
      if (!value(&v)) return 2;
      int64_t x = 0;
      if (a == "-m" && o->cmd == Command::Tune) {
        if (!to_int_list(v, &o->m_list)) return bad(v, "expected positive integers separated by commas");
        m_set = true;
        continue;
      }
      if (!to_int(v, 1, (int64_t{1} << 31) - 1, &x)) return bad(v, "expected an integer in [1, 2^31)");
      (a == "-m" ? o->m : a == "-n" ? o->n : o->k) = x;
      (a == "-m" ? m_set : a == "-n" ? n_set : k_set) = true;
    } else if (problem_cmd && a == "--group") {
      if (!value(&v)) return 2;
      int64_t x = 0;
      if (std::strcmp(v, "channel") == 0 || std::strcmp(v, "0") == 0) o->group = 0;
      else if (to_int(v, 32, 256, &x) && (x == 32 || x == 64 || x == 128 || x == 256)) o->group = (int32_t)x;
      else return bad(v, "expected 32, 64, 128, 256 or channel");
    } else if (problem_cmd && a == "--dtype") {
      if (!value(&v)) return 2;
      if (std::strcmp(v, "fp16") == 0) o->bf16 = false;
      else if (std::strcmp(v, "bf16") == 0) o->bf16 = true;
      else return bad(v, "expected fp16 or bf16");
    } else if (problem_cmd && a == "--zeros") {
      o->zeros = true;
    } else if (o->cmd == Command::Bench && a == "--bias") {
      o->bias = true;
    } else if (o->cmd != Command::Info && a == "--backend") {
      if (!value(&v)) return 2;
      const std::string b = v;
      if (b != "auto" && b != "sm90" && b != "sm80" && b != "reference" && b != "host")
        return bad(v, "expected auto, sm90, sm80, reference or host");
      o->backend = b;
    } else if (o->cmd == Command::Bench && a == "--config") {
      if (!value(&v)) return 2;
      o->config = v;
    } else if (problem_cmd && (a == "--warmup" || a == "--iters")) {
      if (!value(&v)) return 2;
      int64_t x = 0;
      if (!to_int(v, a == "--warmup" ? 0 : 1, 100000, &x)) return bad(v, "expected an integer in range");
      (a == "--warmup" ? o->warmup : o->iters) = (int)x;
    } else if (o->cmd == Command::Bench && a == "--sweep") {
      o->sweep = true;
    } else if (o->cmd == Command::Bench && a == "--cooldown") {
      if (!value(&v)) return 2;
      int64_t x = 0;
      if (!to_int(v, 0, 60000, &x)) return bad(v, "expected milliseconds in [0, 60000]");
      o->cooldown_ms = (int)x;
      cooldown_set = true;
    } else if (o->cmd == Command::Bench && a == "--time-unverified") {
      o->time_unverified = true;
    } else if (o->cmd == Command::Bench && a == "--settle") {
      if (!value(&v)) return 2;
      int64_t x = 0;
      if (!to_int(v, 0, 60000, &x)) return bad(v, "expected milliseconds in [0, 60000]");
      o->settle_ms = (int)x;
    } else if (o->cmd == Command::Bench && a == "--shapes") {
      if (!value(&v)) return 2;
      if (!to_shape_list(v, &o->shapes))
        return bad(v, "expected NxK pairs separated by commas, e.g. 4096x4096, N and K in [1, 2^31)");
    } else if (o->cmd == Command::Bench && a == "--ms") {
      if (!value(&v)) return 2;
      if (!to_int_list(v, &o->m_list)) return bad(v, "expected positive integers separated by commas");
    } else if (o->cmd == Command::Check && a == "--quick") {
      o->quick = true;
    } else if (o->cmd == Command::Bench && a == "--json") {
      if (!value(&v)) return 2;
      o->json = v;
    } else if (o->cmd == Command::Tune && a == "--out") {
      if (!value(&v)) return 2;
      o->out = v;
    } else if (o->cmd != Command::Info && a == "--seed") {
      if (!value(&v)) return 2;
      char* end = nullptr;
      errno = 0;
      o->seed = std::strtoull(v, &end, 10);
      if (errno || *end || !*v) return bad(v, "expected a non-negative integer");
      o->seed_set = true;
    } else {
      *err = "unknown option '" + a + "' for 'w4a16 " + cmd + "' (see 'w4a16 " + cmd + " --help')";
      return 2;
    }
  }
  if (o->help) return 0;
  if (o->cmd == Command::Bench && !o->sweep && (!o->shapes.empty() || !o->m_list.empty() || cooldown_set)) {
    *err = "--shapes, --ms and --cooldown only go with --sweep";
    return 2;
  }
  if (o->cmd == Command::Bench && o->sweep && (m_set || n_set || k_set)) {
    *err = "-m, -n and -k do not apply to --sweep: choose its token counts with --ms and its N x K with --shapes";
    return 2;
  }
  if (o->cmd == Command::Tune && (!m_set || !n_set || !k_set)) {
    *err = "tune needs -m, -n and -k";
    return 2;
  }
  if (o->cmd == Command::Bench || o->cmd == Command::Tune) {
    // The library's own shape rules (N % 8, K % 32, K % group), with its message.
    std::vector<std::pair<int64_t, int64_t>> check = o->shapes;
    check.emplace_back(o->n, o->k);
    for (const auto& [n, k] : check) {
      size_t bytes = 0;
      if (w4a16_packed_size(W4A16_FAMILY_HOST, n, k, o->group, o->zeros, &bytes) != W4A16_OK) {
        *err = std::string("invalid problem: ") + w4a16_last_error();
        return 2;
      }
    }
  }
  return 0;
}

}  // namespace w4a16::cli
