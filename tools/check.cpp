// check.cpp -- `w4a16 check`: the correctness matrix of DESIGN §4 against the reference, for every
// family the device runs (or the CPU backend against the CPU reference without a GPU).
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "host/reference.h"
#include "testkit/problem.h"

namespace w4a16::tool {
namespace {

struct Shape {
  int64_t n, k;
};

// K per group size: a multiple of g that leaves a tail against 64- and 128-wide k-blocks where it can.
int64_t k_for_group(int32_t g) { return g == 0 ? 32 * 37 : 7 * g; }

int check_host(const cli::Options& o, uint64_t seed) {
  std::printf("no GPU in use: checking the CPU backend against the CPU reference\n");
  kit::Rng rng(seed);
  int fails = 0, runs = 0;
  for (bool bf16 : {false, true})
    for (bool zeros : {false, true})
      for (int32_t g : {32, 64, 128, 256, 0}) {
        const int64_t k = k_for_group(g), n = 264;
        kit::HostWeights hw = kit::random_weights(rng, n, k, g, zeros, bf16);
        w4a16_canonical c = hw.desc();
        size_t bytes = 0;
        kit::api_check(w4a16_packed_size(W4A16_FAMILY_HOST, n, k, g, zeros, &bytes), "packed_size");
        std::vector<uint8_t> packed(bytes);
        w4a16_weights w{};
        kit::api_check(w4a16_pack_host(&c, W4A16_FAMILY_HOST, packed.data(), bytes, &w), "pack_host");
        for (int64_t m : o.quick ? std::vector<int64_t>{1, 33} : std::vector<int64_t>{1, 2, 7, 16, 33, 64})
          for (bool bias : {false, true}) {
            const w4a16_problem p = kit::make_problem(m, n, k, bf16, g, zeros, bias);
            std::vector<uint16_t> x = kit::random_16(rng, m * k, bf16), b = kit::random_16(rng, n, bf16);
            std::vector<uint16_t> y((size_t)(m * n), 0xFFFF);
            kit::api_check(w4a16_gemm_host(&p, x.data(), &w, b.data(), y.data()), "gemm_host");
            Problem rp;
            kit::api_check(validate_problem(&p, &rp), "validate");
            std::vector<double> ref((size_t)(m * n));
            kit::api_check(reference_gemm(rp, x.data(), c, b.data(), ref.data()), "reference");
            const kit::ErrorStats e = kit::compare(y.data(), n, ref.data(), m, n, bf16);
            ++runs;
            if (!e.ok) {
              ++fails;
              std::printf("FAIL host %s %s g=%d bias=%d m=%lld n=%lld k=%lld: %s\n", bf16 ? "bf16" : "fp16",
                          zeros ? "zeros" : "sym", g, bias, (long long)m, (long long)n, (long long)k,
                          e.describe().c_str());
            }
          }
      }
  std::printf("host: %d/%d passed\n", runs - fails, runs);
  return fails ? 1 : 0;
}

int check_family(const cli::Options& o, w4a16_family family, uint64_t seed) {
  int fails = 0, runs = 0;
  double worst[2] = {0, 0};
  const std::vector<int64_t> ms = o.quick ? std::vector<int64_t>{1, 16, 33, 256}
                                          : std::vector<int64_t>{1, 2, 7, 16, 33, 64, 127, 256, 1000, 4096};
  const std::vector<int64_t> ns = o.quick ? std::vector<int64_t>{264} : std::vector<int64_t>{8, 264, 1000};
  for (bool bf16 : {false, true})
    for (bool zeros : {false, true})
      for (int32_t g : {32, 64, 128, 256, 0})
        for (int64_t n : ns) {
          const int64_t k = k_for_group(g);
          kit::DeviceProblem dp;
          dp.init(kit::make_problem(ms.back(), n, k, bf16, g, zeros, true), family, seed++);
          for (int64_t m : ms)
            for (bool bias : {false, true}) {
              dp.p.m = m;
              dp.p.has_bias = bias;
              w4a16_status st;
              const kit::ErrorStats e = dp.verify(-1, &st);
              ++runs;
              if (st != W4A16_OK || !e.ok) {
                ++fails;
                std::printf("FAIL %s %s %s g=%d bias=%d m=%lld n=%lld k=%lld: %s\n", w4a16_family_name(family),
                            bf16 ? "bf16" : "fp16", zeros ? "zeros" : "sym", g, bias, (long long)m, (long long)n,
                            (long long)k, st != W4A16_OK ? w4a16_last_error() : e.describe().c_str());
              }
              worst[bf16] = std::max(worst[bf16], e.rel);
            }
        }
  std::printf("%s: %d/%d passed; worst rel error fp16 %.2e (bound 1e-3), bf16 %.2e (bound 8e-3)\n",
              w4a16_family_name(family), runs - fails, runs, worst[0], worst[1]);
  return fails;
}

}  // namespace

int run_check(const cli::Options& o) {
  const uint64_t seed = command_seed(o);
  if (int rc = 0; runs_on_host(o, &rc)) return rc ? rc : check_host(o, seed);
  std::vector<w4a16_family> families;
  if (o.backend == "auto") {
    w4a16_family f;
    if (w4a16_select_family(-1, &f) != W4A16_OK) {
      std::printf("%s\n", w4a16_last_error());
      return 1;
    }
    families.push_back(f);
    if (f == W4A16_FAMILY_SM90) families.push_back(W4A16_FAMILY_SM80);  // Hopper runs both
  } else {
    families.push_back(o.backend == "sm90" ? W4A16_FAMILY_SM90
                       : o.backend == "sm80" ? W4A16_FAMILY_SM80 : W4A16_FAMILY_REFERENCE);
  }
  int fails = 0;
  for (w4a16_family f : families) fails += check_family(o, f, seed);
  return fails ? 1 : 0;
}

}  // namespace w4a16::tool
