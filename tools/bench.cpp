// bench.cpp -- `w4a16 bench`: verify, then time our path and cuBLAS dense in the same run.
//
// Timing method (docs/PERFORMANCE.md): each measurement captures a CUDA graph of back-to-back launches
// that cycle through R copies of the operands, R chosen so the copies exceed 4x the L2 (weights come
// from DRAM as in a real model), replays it, times each replay with events and takes the median.
#include <cublas_v2.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "testkit/bench_device.h"
#include "cli_args.h"
#include "commands.h"
#include "host/reference.h"
#include "testkit/problem.h"

namespace w4a16::tool {
namespace {

using kit::DeviceProblem;
using kit::fill_random_16;
using kit::measure_copy_gbps;
using kit::measure_copy_kernel_gbps;
using kit::time_graph;

struct Record {
  std::string gpu, backend, kernel, dtype;
  int group = 0;
  bool zeros = false, bias = false;
  int64_t m = 0, n = 0, k = 0;
  double us = 0, cublas_us = 0, speedup = 0, tflops = 0, gbps = 0, pct_roofline = 0, rel_err = 0;
  double copy_gbps = 0, copy_kernel_gbps = 0, peak_tflops = 0;
  kit::EagerTiming eager, cublas_eager;  // measured for a single problem only (0 in a sweep)
  kit::ClockReading clock, cublas_clock;  // the SM clock around each timing
  bool ok = false;
};

// Bytes of the performance model (DESIGN §5): packed weights + scales/zeros + X + Y.
double model_bytes(const w4a16_problem& p) {
  const int64_t g = p.group_size == W4A16_GROUP_PER_CHANNEL ? p.k : p.group_size;
  const double sz = (double)p.n * (p.k / g) * 2.0 * (p.has_zeros ? 2 : 1);
  return (double)p.n * p.k / 2.0 + sz + 2.0 * p.m * p.k + 2.0 * p.m * p.n;
}

std::string json_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}

void write_json(const std::string& path, const std::vector<Record>& recs) {
  std::ofstream f(path);
  f << "[\n";
  for (size_t i = 0; i < recs.size(); ++i) {
    const Record& r = recs[i];
    f << "  {\"gpu\": \"" << json_escape(r.gpu) << "\", \"backend\": \"" << r.backend << "\", \"kernel\": \""
      << r.kernel << "\", \"dtype\": \"" << r.dtype << "\", \"group\": " << r.group
      << ", \"zeros\": " << (r.zeros ? "true" : "false") << ", \"bias\": " << (r.bias ? "true" : "false")
      << ", \"m\": " << r.m << ", \"n\": " << r.n << ", \"k\": " << r.k << ", \"us\": " << r.us
      << ", \"cublas_us\": " << r.cublas_us << ", \"speedup\": " << r.speedup << ", \"tflops\": " << r.tflops
      << ", \"gbps\": " << r.gbps << ", \"pct_roofline\": " << r.pct_roofline << ", \"rel_err\": " << r.rel_err
      << ", \"copy_gbps\": " << r.copy_gbps << ", \"copy_kernel_gbps\": " << r.copy_kernel_gbps
      << ", \"peak_tflops\": " << r.peak_tflops
      << ", \"sm_mhz_start\": " << r.clock.start_mhz << ", \"sm_mhz_end\": " << r.clock.end_mhz
      << ", \"cublas_sm_mhz_start\": " << r.cublas_clock.start_mhz << ", \"cublas_sm_mhz_end\": " << r.cublas_clock.end_mhz;
    if (r.eager.eager_us > 0)  // single problems only: the launches without a CUDA graph
      f << ", \"eager_us\": " << r.eager.eager_us << ", \"host_us\": " << r.eager.host_us
        << ", \"cublas_eager_us\": " << r.cublas_eager.eager_us << ", \"cublas_host_us\": " << r.cublas_eager.host_us;
    f << ", \"verified\": " << (r.ok ? "true" : "false") << "}" << (i + 1 < recs.size() ? "," : "") << "\n";
  }
  f << "]\n";
}

// ---- GPU -----------------------------------------------------------------------------------------
class GpuBench {
 public:
  // seed: the first problem's random data (each later problem of a sweep takes the next seed).
  GpuBench(const cli::Options& o, uint64_t seed) : o_(o), seed_(seed) {
    kit::api_check(w4a16_get_device_info(-1, &info_), "w4a16_get_device_info");
    if (cublasCreate(&cublas_) != CUBLAS_STATUS_SUCCESS) {
      std::fprintf(stderr, "cublasCreate failed\n");
      std::exit(1);
    }
    cublas_ws_.alloc(size_t{64} << 20);  // set explicitly so graph capture never sees an allocation
    cublasSetWorkspace(cublas_, cublas_ws_.get(), cublas_ws_.bytes());
  }
  // The copy rates (a graph-captured cudaMemcpyAsync, which "%roof" and the sweeps since the first
  // session use, and a copy kernel's, the stricter ceiling since the twenty-fourth session) and
  // cuBLAS's 8192^3 rate, once per process. A sweep measures them first and then
  // idles (--cooldown); a single problem measures them after its own timings, so the 8192^3 run's
  // heat and power draw never precede the figures it reports.
  void measure_ceilings() {
    if (copy_gbps_ > 0) return;
    copy_gbps_ = measure_copy_gbps();
    copy_kernel_gbps_ = measure_copy_kernel_gbps();
    peak_tflops_ = cublas_peak();
    std::printf("device: %s (CC %d.%d, %d SMs, L2 %d MiB); ceilings measured now: copy %.0f GB/s (memcpy; copy "
                "kernel %.0f GB/s), cuBLAS %s 8192^3 %.0f TFLOP/s\n",
                info_.name, info_.cc_major, info_.cc_minor, info_.sm_count, info_.l2_bytes >> 20, copy_gbps_,
                copy_kernel_gbps_, o_.bf16 ? "bf16" : "fp16", peak_tflops_);
  }
  ~GpuBench() { cublasDestroy(cublas_); }

  // One measurement; returns false if verification failed (r->us > 0 where it was timed anyway,
  // --time-unverified). With `eager`, also the launches without a CUDA graph (host cost and GPU time
  // per call, both libraries).
  bool run(const w4a16_problem& p, w4a16_family family, int config, bool eager, Record* r) {
    DeviceProblem dp;
    dp.init(p, family, seed_++);
    w4a16_status st;
    const kit::ErrorStats e = dp.verify(config, &st);
    r->gpu = info_.name;
    r->backend = w4a16_family_name(family);
    r->dtype = p.dtype == W4A16_BF16 ? "bf16" : "fp16";
    r->group = p.group_size;
    r->zeros = p.has_zeros;
    r->bias = p.has_bias;
    r->m = p.m;
    r->n = p.n;
    r->k = p.k;
    if (st != W4A16_OK) {
      std::printf("  %s: %s\n", w4a16_status_name(st), w4a16_last_error());
      return false;
    }
    int32_t chosen = config;
    if (chosen < 0) kit::api_check(w4a16_chosen_config(&p, &dp.w, &chosen), "w4a16_chosen_config");
    const char* name = "";
    kit::api_check(w4a16_config_name(family, chosen, &name), "w4a16_config_name");
    r->kernel = name;
    r->rel_err = e.rel;
    r->ok = e.ok;
    if (!e.ok) {
      std::printf("  VERIFY FAILED m=%lld n=%lld k=%lld %s: %s%s\n", (long long)p.m, (long long)p.n, (long long)p.k,
                  name, e.describe().c_str(), o_.time_unverified ? " (timed anyway: --time-unverified)" : "");
      if (!o_.time_unverified) return false;
    }
    // --settle: each side's timing starts from an idle card, not from the power state the other
    // left: timed at once after ours, cuBLAS ran up to 10% slower at M >= 1024 (its clock stepped
    // down under our load; docs/PERFORMANCE.md, probes 87 and 89).
    auto settle = [&] {
      kit::cuda_check(cudaDeviceSynchronize(), "settle");
      std::this_thread::sleep_for(std::chrono::milliseconds(o_.settle_ms));
    };
    settle();
    r->us = dp.time(config, o_.warmup, o_.iters, eager ? &r->eager : nullptr, &r->clock);
    settle();
    r->cublas_us = time_cublas(p, eager ? &r->cublas_eager : nullptr, &r->cublas_clock);
    measure_ceilings();
    r->copy_gbps = copy_gbps_;
    r->copy_kernel_gbps = copy_kernel_gbps_;
    r->peak_tflops = peak_tflops_;
    const double flops = 2.0 * p.m * p.n * p.k, bytes = model_bytes(p);
    r->tflops = flops / (r->us * 1e-6) / 1e12;
    r->gbps = bytes / (r->us * 1e-6) / 1e9;
    r->speedup = r->cublas_us / r->us;
    const double floor_us = std::max(bytes / (copy_gbps_ * 1e9), flops / (peak_tflops_ * 1e12)) * 1e6;
    r->pct_roofline = 100.0 * floor_us / r->us;
    return e.ok;  // false: timed only under --time-unverified
  }

 private:
  double time_cublas(const w4a16_problem& p, kit::EagerTiming* eager = nullptr, kit::ClockReading* clock = nullptr) {
    const bool bf16 = p.dtype == W4A16_BF16;
    const size_t wbytes = (size_t)(p.n * p.k * 2), xbytes = (size_t)(p.m * p.k * 2);
    const int r = kit::rotation_copies(wbytes + xbytes);
    std::vector<kit::DevBuf> w, x, y;
    for (int i = 0; i < r; ++i) {
      w.emplace_back(wbytes);
      fill_random_16(w.back().get(), p.n * p.k, bf16, -0.1f, 0.1f, 77 + i, nullptr);
      x.emplace_back(xbytes);
      fill_random_16(x.back().get(), p.m * p.k, bf16, -1.f, 1.f, 99 + i, nullptr);
      y.emplace_back((size_t)(p.m * p.n * 2));
    }
    kit::cuda_check(cudaDeviceSynchronize(), "cublas data");
    const cudaDataType_t t = bf16 ? CUDA_R_16BF : CUDA_R_16F;
    const float alpha = 1.f, beta = 0.f;
    return time_graph(
        [&](int i, cudaStream_t s) {
          const int j = i % r;
          cublasSetStream(cublas_, s);
          // Column-major view: Y^T [N x M] = W [K x N]^T * X^T [K x M]  (nn.Linear, "TN").
          const cublasStatus_t cs =
              cublasGemmEx(cublas_, CUBLAS_OP_T, CUBLAS_OP_N, (int)p.n, (int)p.m, (int)p.k, &alpha, w[(size_t)j].get(), t,
                           (int)p.k, x[(size_t)j].get(), t, (int)p.k, &beta, y[(size_t)j].get(), t, (int)p.n,
                           CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
          if (cs != CUBLAS_STATUS_SUCCESS) {
            std::fprintf(stderr, "cublasGemmEx failed (%d)\n", (int)cs);
            std::exit(1);
          }
        },
        std::max(r, 8), o_.warmup, o_.iters, eager, clock);
  }

  double cublas_peak() {
    w4a16_problem p = kit::make_problem(8192, 8192, 8192, o_.bf16, 128, false, false);
    cli::Options keep = o_;
    o_.warmup = 2;
    o_.iters = 5;
    const double us = time_cublas(p);
    o_ = keep;
    return 2.0 * 8192.0 * 8192.0 * 8192.0 / (us * 1e-6) / 1e12;
  }

  cli::Options o_;
  w4a16_device_info info_{};
  cublasHandle_t cublas_ = nullptr;
  kit::DevBuf cublas_ws_;
  double copy_gbps_ = 0, copy_kernel_gbps_ = 0, peak_tflops_ = 0;
  uint64_t seed_;
};

void print_header() {
  std::printf("%-8s %-16s %6s %6s %6s  %10s %10s %8s %8s %8s %7s %9s %9s %9s\n", "backend", "kernel", "M", "N", "K", "us",
              "cublas_us", "speedup", "TFLOP/s", "GB/s", "%roof", "rel_err", "MHz", "cublasMHz");
}
// The SM clock after a timing, marked '*' where it moved more than 3% during it (a power step).
std::string clock_cell(const kit::ClockReading& c) {
  char b[32];
  const bool step = c.start_mhz > 0 && std::fabs(c.end_mhz - c.start_mhz) > 0.03 * c.start_mhz;
  std::snprintf(b, sizeof(b), "%.0f%s", c.end_mhz, step ? "*" : "");
  return b;
}
void print_row(const Record& r) {
  std::printf("%-8s %-16s %6lld %6lld %6lld  %10.2f %10.2f %7.2fx %8.1f %8.0f %6.1f%% %9.2e %9s %9s\n", r.backend.c_str(),
              r.kernel.c_str(), (long long)r.m, (long long)r.n, (long long)r.k, r.us, r.cublas_us, r.speedup, r.tflops,
              r.gbps, r.pct_roofline, r.rel_err, clock_cell(r.clock).c_str(), clock_cell(r.cublas_clock).c_str());
  std::fflush(stdout);
}

int config_index(w4a16_family f, const std::string& name) {
  if (name.empty()) return -1;
  int32_t count = 0;
  if (w4a16_config_count(f, &count) != W4A16_OK) return -2;
  for (int i = 0; i < count; ++i) {
    const char* n = nullptr;
    if (w4a16_config_name(f, i, &n) == W4A16_OK && name == n) return i;
  }
  return -2;
}

// ---- CPU -----------------------------------------------------------------------------------------
int bench_host(const cli::Options& o, uint64_t seed) {
  std::printf("no GPU in use: running the CPU backend (w4a16_gemm_host)%s\n",
              o.backend == "host" ? "" : " because no CUDA device is available");
  kit::Rng rng(seed);
  kit::HostWeights hw = kit::random_weights(rng, o.n, o.k, o.group, o.zeros, o.bf16);
  const w4a16_problem p = kit::make_problem(o.m, o.n, o.k, o.bf16, o.group, o.zeros, o.bias);
  std::vector<uint16_t> x = kit::random_16(rng, o.m * o.k, o.bf16), bias = kit::random_16(rng, o.n, o.bf16);
  std::vector<uint16_t> y((size_t)(o.m * o.n), 0xFFFF);
  size_t bytes = 0;
  kit::api_check(w4a16_packed_size(W4A16_FAMILY_HOST, o.n, o.k, o.group, o.zeros, &bytes), "w4a16_packed_size");
  std::vector<uint8_t> packed(bytes);
  w4a16_weights w{};
  w4a16_canonical c = hw.desc();
  kit::api_check(w4a16_pack_host(&c, W4A16_FAMILY_HOST, packed.data(), bytes, &w), "w4a16_pack_host");
  kit::api_check(w4a16_gemm_host(&p, x.data(), &w, bias.data(), y.data()), "w4a16_gemm_host");
  Problem rp;
  kit::api_check(validate_problem(&p, &rp), "validate");
  std::vector<double> ref((size_t)(o.m * o.n));
  kit::api_check(reference_gemm(rp, x.data(), c, bias.data(), ref.data()), "reference");
  const kit::ErrorStats e = kit::compare(y.data(), o.n, ref.data(), o.m, o.n, o.bf16);
  std::vector<double> us;
  for (int i = 0; i < std::max(1, std::min(o.iters, 20)); ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    kit::api_check(w4a16_gemm_host(&p, x.data(), &w, bias.data(), y.data()), "w4a16_gemm_host");
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(us.begin(), us.end());
  const double t = us[us.size() / 2];
  std::printf("host M=%lld N=%lld K=%lld %s group=%d%s%s: %.1f us (%.2f GFLOP/s), verified against the CPU "
              "reference: %s (%s)\n",
              (long long)o.m, (long long)o.n, (long long)o.k, o.bf16 ? "bf16" : "fp16", o.group,
              o.zeros ? " zeros" : "", o.bias ? " bias" : "", t, 2.0 * o.m * o.n * o.k / (t * 1e-6) / 1e9,
              e.ok ? "PASS" : "FAIL", e.describe().c_str());
  return e.ok ? 0 : 1;
}

}  // namespace

int run_bench(const cli::Options& o) {
  const uint64_t seed = command_seed(o);
  if (int rc = 0; runs_on_host(o, &rc)) {
    if (rc) return rc;
    if (o.sweep) std::printf("(--sweep, --shapes and --ms need a GPU; running the single host problem instead)\n");
    return bench_host(o, seed);
  }
  w4a16_family family = W4A16_FAMILY_AUTO;
  if (o.backend == "auto") {
    if (w4a16_select_family(-1, &family) != W4A16_OK) {
      std::printf("%s\n", w4a16_last_error());
      return 1;
    }
  } else {
    family = o.backend == "sm90" ? W4A16_FAMILY_SM90 : o.backend == "sm80" ? W4A16_FAMILY_SM80 : W4A16_FAMILY_REFERENCE;
  }
  const int config = config_index(family, o.config);
  if (config == -2) {
    std::printf("config '%s' does not exist for %s\n", o.config.c_str(), w4a16_family_name(family));
    return 2;
  }
  GpuBench bench(o, seed);
  std::vector<Record> recs;
  int failures = 0;
  bool header = false;
  auto measure = [&](int64_t m, int64_t n, int64_t k) {
    Record r;
    const w4a16_problem p = kit::make_problem(m, n, k, o.bf16, o.group, o.zeros, o.bias);
    if (!bench.run(p, family, config, !o.sweep, &r)) ++failures;
    if (r.us > 0) {
      if (!header) print_header();
      header = true;
      print_row(r);
      if (!r.ok) std::printf("  ^ UNVERIFIED: timed under --time-unverified after its verification failed\n");
      if (r.eager.eager_us > 0)
        std::printf("without a CUDA graph (launches back to back on one stream): ours %.2f us per call on the GPU, "
                    "%.2f us of host time to enqueue one; cuBLAS %.2f / %.2f\n",
                    r.eager.eager_us, r.eager.host_us, r.cublas_eager.eager_us, r.cublas_eager.host_us);
    }
    recs.push_back(r);
    if (!o.json.empty()) write_json(o.json, recs);
  };
  if (!o.sweep) {
    measure(o.m, o.n, o.k);
  } else {
    bench.measure_ceilings();
    // DESIGN §5: Llama-3 8B/70B linear layers (N x K) and token counts, unless --shapes / --ms.
    std::vector<std::pair<int64_t, int64_t>> shapes = {{6144, 4096},  {4096, 4096}, {28672, 4096},
                                                       {4096, 14336}, {10240, 8192}, {8192, 8192},
                                                       {57344, 8192}, {8192, 28672}};
    std::vector<int64_t> ms = {1, 4, 16, 32, 64, 128, 256, 1024, 4096, 16384};
    if (!o.shapes.empty()) shapes = o.shapes;
    if (!o.m_list.empty()) ms = o.m_list;
    // Each N x K starts after --cooldown ms of idle GPU: its first (smallest) M would otherwise run
    // right after the previous shape's largest, at the clock the power cap left (docs/PERFORMANCE.md,
    // Method).
    for (const auto& [n, k] : shapes) {
      kit::cuda_check(cudaDeviceSynchronize(), "sweep");
      std::this_thread::sleep_for(std::chrono::milliseconds(o.cooldown_ms));
      for (int64_t m : ms) measure(m, n, k);
    }
  }
  if (failures) std::printf("%d measurement(s) failed verification or did not run\n", failures);
  return failures ? 1 : 0;
}

}  // namespace w4a16::tool
