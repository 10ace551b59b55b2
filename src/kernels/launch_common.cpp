// launch_common.cpp -- helpers every launcher uses.
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>

#include "host/layout.h"
#include "kernels/launch.h"

namespace w4a16 {

namespace {
bool no_kernel_image(cudaError_t e) {
  return e == cudaErrorNoKernelImageForDevice || e == cudaErrorInvalidDeviceFunction ||
         e == cudaErrorUnsupportedPtxVersion;
}
}  // namespace

w4a16_status cuda_status(cudaError_t e) { return no_kernel_image(e) ? W4A16_ERR_UNSUPPORTED_DEVICE : W4A16_ERR_CUDA; }

std::string cuda_hint(cudaError_t e) {
  if (!no_kernel_image(e)) return "";
  return std::string("; this build of w4a16 holds code for ") + w4a16_compiled_targets() +
         " only: rebuild with W4A16_CUDA_ARCHS naming this device's architecture";
}

w4a16_status check_launch(const char* what) {
  const cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess) return fail(cuda_status(e), "launching %s failed: %s (%s)%s", what, cudaGetErrorName(e),
                                    cudaGetErrorString(e), cuda_hint(e).c_str());
  return W4A16_OK;
}

w4a16_status check_pending(const char* what) {
  const cudaError_t e = cudaPeekAtLastError();
  if (e == cudaSuccess) return W4A16_OK;
  cudaGetLastError();
  return fail(W4A16_ERR_CUDA, "a CUDA error from before %s was pending: %s (%s); %s enqueued nothing and cleared it "
              "with cudaGetLastError (a sticky error stays)", what, cudaGetErrorName(e), cudaGetErrorString(e), what);
}

w4a16_status check_launch(const char* what, const Plan& plan, int threads, cudaError_t launched) {
  // Only the launch's own result: an error the caller left pending is not this product's (it ran).
  if (launched == cudaSuccess) return W4A16_OK;
  cudaGetLastError();  // the launch's error, also recorded as the thread's last error
  return fail(cuda_status(launched), "launching %s config %d (grid %d, %d threads, %zu B shared memory, %d stages, "
              "split %d after %lld whole tiles) failed: %s (%s)%s", what, plan.config, plan.grid, threads,
              plan.smem_bytes, plan.stages, plan.split, (long long)plan.full_tiles, cudaGetErrorName(launched),
              cudaGetErrorString(launched), cuda_hint(launched).c_str());
}

unsigned long long next_split_tag() {
  static std::atomic<unsigned long long> sequence{0};
  constexpr unsigned long long kMask = (1ull << 48) - 1;
  for (;;) {
    const unsigned long long tag = (sequence.fetch_add(1, std::memory_order_relaxed) + 1) * 0x9E3779B97F4Bull & kMask;
    if (tag != 0) return tag;  // the odd multiplier is a bijection mod 2^48: one call in 2^48 skips
  }
}

bool pdl_enabled() {
  static const bool on = env_switch_on("W4A16_PDL");
  return on;
}

w4a16_status ensure_smem(const void* kernel, int device, size_t bytes, const char* what) {
  // The attribute is one number per (kernel, device): only ever raise it, or a smaller request would
  // lower it under a larger one made earlier (seen on the H100 as cudaErrorInvalidValue at launch).
  static std::mutex mu;
  static std::map<std::pair<const void*, int>, size_t> limit;
  std::lock_guard<std::mutex> lock(mu);
  size_t& cur = limit[{kernel, device}];
  if (bytes <= cur) return W4A16_OK;
  const cudaError_t e = cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, (int)bytes);
  if (e != cudaSuccess) {
    cudaGetLastError();
    return fail(cuda_status(e), "%s: cannot allow %zu B of shared memory: %s%s", what, bytes, cudaGetErrorString(e),
                cuda_hint(e).c_str());
  }
  cur = bytes;
  return W4A16_OK;
}

bool kernel_has_grid_wait(const void* kernel, int device) {
  static std::mutex mu;
  static std::map<std::pair<const void*, int>, bool> cache;
  std::lock_guard<std::mutex> lock(mu);
  const auto it = cache.find({kernel, device});
  if (it != cache.end()) return it->second;
  cudaFuncAttributes attr{};
  if (cudaFuncGetAttributes(&attr, kernel) != cudaSuccess) {
    cudaGetLastError();  // unknown: launch without PDL (always correct), ask again next time
    return false;
  }
  return cache[{kernel, device}] = attr.ptxVersion >= 90;
}

int max_active_clusters(const void* kernel, int device, const cudaLaunchConfig_t& cfg) {
  unsigned cluster = 1;
  for (unsigned i = 0; i < cfg.numAttrs; ++i)
    if (cfg.attrs[i].id == cudaLaunchAttributeClusterDimension) cluster = cfg.attrs[i].val.clusterDim.x;
  static std::mutex mu;
  static std::map<std::tuple<const void*, int, unsigned, size_t>, int> cache;
  std::lock_guard<std::mutex> lock(mu);
  const auto key = std::make_tuple(kernel, device, cluster, cfg.dynamicSmemBytes);
  const auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  int n = 0;
  if (cudaOccupancyMaxActiveClusters(&n, kernel, &cfg) != cudaSuccess) {
    cudaGetLastError();  // the query's own error: the launch falls back, nothing to report
    return 0;            // not cached: a later call may ask again
  }
  cache[key] = n;
  return n;
}

namespace {
std::atomic<int64_t> g_cluster_launches{0};
}
void count_cluster_launch() { g_cluster_launches.fetch_add(1, std::memory_order_relaxed); }
int64_t cluster_launches() { return g_cluster_launches.load(std::memory_order_relaxed); }

namespace {
std::atomic<int64_t> g_sum_apart_launches{0};
}
void count_sum_apart_launch() { g_sum_apart_launches.fetch_add(1, std::memory_order_relaxed); }
int64_t sum_apart_launches() { return g_sum_apart_launches.load(std::memory_order_relaxed); }

namespace {
std::atomic<int64_t> g_subn_launches{0};
}
void count_subn_launch() { g_subn_launches.fetch_add(1, std::memory_order_relaxed); }
int64_t subn_launches() { return g_subn_launches.load(std::memory_order_relaxed); }

namespace {
std::atomic<int64_t> g_noshift_launches{0};
}
void count_noshift_launch() { g_noshift_launches.fetch_add(1, std::memory_order_relaxed); }
int64_t noshift_launches() { return g_noshift_launches.load(std::memory_order_relaxed); }

namespace {
std::atomic<int64_t> g_pdl_launches{0};
}  // namespace
void count_pdl_launch(const cudaLaunchConfig_t& cfg) {
  for (unsigned i = 0; i < cfg.numAttrs; ++i)
    if (cfg.attrs[i].id == cudaLaunchAttributeProgrammaticStreamSerialization &&
        cfg.attrs[i].val.programmaticStreamSerializationAllowed)
      g_pdl_launches.fetch_add(1, std::memory_order_relaxed);
}
int64_t pdl_launches() { return g_pdl_launches.load(std::memory_order_relaxed); }

MmaPointers mma_pointers(const w4a16_weights& w) {
  const layout::Sections s = layout::mma_sections(w.n, w.k, w.group_size, w.has_zeros != 0);
  const auto* base = static_cast<const uint8_t*>(w.data);
  MmaPointers m;
  m.codes = base + s.codes_off;
  m.scales = reinterpret_cast<const uint16_t*>(base + s.scales_off);
  m.zeros = w.has_zeros ? reinterpret_cast<const uint16_t*>(base + s.zeros_off) : nullptr;
  m.n16 = s.n16;
  m.ka = s.ka;
  m.groups = s.groups;
  return m;
}

int group_shift(const Problem& p) {
  if (p.per_channel) return 31;
  int s = 0;
  while ((int64_t{1} << s) < p.group) ++s;
  return s;
}

int groups_per_stage(const Problem& p, int kb) { return (p.per_channel || p.group >= kb) ? 1 : (int)(kb / p.group); }

}  // namespace w4a16
