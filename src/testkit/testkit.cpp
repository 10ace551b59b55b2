// testkit.cpp -- see testkit.h.
#include "testkit/testkit.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "host/numeric.h"
#include "host/reference.h"
#include "testkit/bench_device.h"

namespace w4a16::kit {

uint64_t default_seed() {
  static const uint64_t seed = [] {
    if (const char* s = std::getenv("W4A16_SEED"); s && *s) return (uint64_t)std::strtoull(s, nullptr, 10);
    std::random_device rd;
    return ((uint64_t)rd() << 32) ^ rd();
  }();
  return seed;
}

std::vector<uint16_t> random_16(Rng& rng, int64_t count, bool bf16, double lo, double hi) {
  std::vector<uint16_t> v((size_t)count);
  for (auto& e : v) e = num::to_bits(rng.uniform(lo, hi), bf16);
  return v;
}

w4a16_canonical HostWeights::desc() {
  return w4a16_canonical{n, k, group_size, zeros ? 1 : 0, bf16 ? W4A16_BF16 : W4A16_FP16, codes.data(),
                         scales.data(), zeros ? zero_vals.data() : nullptr};
}

HostWeights random_weights(Rng& rng, int64_t n, int64_t k, int32_t group_size, bool zeros, bool bf16) {
  HostWeights hw;
  hw.n = n;
  hw.k = k;
  hw.group_size = group_size;
  hw.zeros = zeros;
  hw.bf16 = bf16;
  const int64_t g = group_size == W4A16_GROUP_PER_CHANNEL ? k : group_size;
  hw.codes.resize((size_t)(n * k / 2));
  hw.scales.resize((size_t)(n * (k / g)));
  if (zeros) hw.zero_vals.resize(hw.scales.size());
  std::vector<float> w((size_t)(n * k));
  // Per-row scale variation so a wrong row or group index shows up as a large error.
  for (int64_t r = 0; r < n; ++r) {
    const double row_scale = 0.02 * (1.0 + rng.uniform(0.0, 3.0));
    const double shift = zeros ? rng.uniform(-0.5, 1.5) * row_scale : 0.0;
    for (int64_t i = 0; i < k; ++i) w[r * k + i] = (float)(shift + row_scale * rng.normal());
  }
  w4a16_canonical d = hw.desc();
  api_check(w4a16_quantize_host(w.data(), W4A16_SRC_FP32, &d), "w4a16_quantize_host");
  return hw;
}

w4a16_problem make_problem(int64_t m, int64_t n, int64_t k, bool bf16, int32_t group_size, bool zeros, bool bias) {
  w4a16_problem p{};
  p.m = m;
  p.n = n;
  p.k = k;
  p.dtype = bf16 ? W4A16_BF16 : W4A16_FP16;
  p.group_size = group_size;
  p.has_zeros = zeros ? 1 : 0;
  p.has_bias = bias ? 1 : 0;
  return p;
}

double rel_bound(bool bf16) { return bf16 ? 8e-3 : 1e-3; }

namespace {

template <class T>
ErrorStats compare_impl(const uint16_t* out, int64_t ldo, const T* ref, int64_t m, int64_t n, bool bf16) {
  ErrorStats e;
  double num = 0, den = 0;
  for (int64_t i = 0; i < m * n; ++i) den += (double)ref[i] * (double)ref[i];
  e.rms_ref = std::sqrt(den / (double)std::max<int64_t>(1, m * n));
  const double rtol = bf16 ? 1.0 / 128 : 1.0 / 1024, atol = 1e-3 * e.rms_ref;
  for (int64_t r = 0; r < m; ++r)
    for (int64_t c = 0; c < n; ++c) {
      const double o = num::from_bits(out[r * ldo + c], bf16), f = (double)ref[r * n + c];
      if (!std::isfinite(o) || !std::isfinite(f)) {
        ++e.nonfinite;
        if (e.first_bad < 0) e.first_bad = r * n + c;
        continue;
      }
      const double d = std::fabs(o - f);
      num += d * d;
      e.max_abs = std::max(e.max_abs, d);
      if (d > rtol * std::fabs(f) + atol) {
        ++e.bad;
        if (e.first_bad < 0) e.first_bad = r * n + c;
      }
    }
  e.rel = den > 0 ? std::sqrt(num / den) : std::sqrt(num);
  e.ok = e.nonfinite == 0 && e.bad == 0 && e.rel <= rel_bound(bf16);
  return e;
}

}  // namespace

ErrorStats compare(const uint16_t* out, int64_t ldo, const float* ref, int64_t m, int64_t n, bool bf16) {
  return compare_impl(out, ldo, ref, m, n, bf16);
}
ErrorStats compare(const uint16_t* out, int64_t ldo, const double* ref, int64_t m, int64_t n, bool bf16) {
  return compare_impl(out, ldo, ref, m, n, bf16);
}

w4a16_status cpu_reference(const w4a16_problem& p, const uint16_t* x, HostWeights& hw, std::vector<double>* ref) {
  Problem rp;
  if (w4a16_status s = validate_problem(&p, &rp)) return s;
  ref->assign((size_t)(rp.m * rp.n), 0.0);
  return reference_gemm(rp, x, hw.desc(), nullptr, ref->data());
}

std::string ErrorStats::describe() const {
  std::ostringstream s;
  s << "rel=" << rel << " max_abs=" << max_abs << " rms_ref=" << rms_ref << " bad=" << bad
    << " nonfinite=" << nonfinite;
  if (first_bad >= 0) s << " first_bad_index=" << first_bad;
  return s.str();
}

int config_by_name(w4a16_family family, const char* name) {
  int32_t count = 0;
  if (w4a16_config_count(family, &count) != W4A16_OK) return -1;
  for (int i = 0; i < count; ++i) {
    const char* n = nullptr;
    if (w4a16_config_name(family, i, &n) == W4A16_OK && std::string(n) == name) return i;
  }
  return -1;
}

bool gpu_available() {
  int n = 0;
  const bool ok = cudaGetDeviceCount(&n) == cudaSuccess && n > 0;
  cudaGetLastError();
  return ok;
}

void cuda_check(cudaError_t e, const char* what) {
  if (e != cudaSuccess) {
    std::fprintf(stderr, "CUDA error in %s: %s\n", what, cudaGetErrorString(e));
    std::exit(1);
  }
}

void api_check(w4a16_status s, const char* what) {
  if (s != W4A16_OK) {
    std::fprintf(stderr, "%s failed: %s: %s\n", what, w4a16_status_name(s), w4a16_last_error());
    std::exit(1);
  }
}

DevBuf::~DevBuf() {
  if (p_) cudaFree(p_);
}
void DevBuf::alloc(size_t bytes) {
  if (p_) cudaFree(p_);
  p_ = nullptr;
  bytes_ = bytes;
  if (bytes) cuda_check(cudaMalloc(&p_, bytes), "cudaMalloc");
}
void DevBuf::upload(const void* host, size_t bytes) { cuda_check(cudaMemcpy(p_, host, bytes, cudaMemcpyHostToDevice), "upload"); }
void DevBuf::download(void* host, size_t bytes) const {
  cuda_check(cudaMemcpy(host, p_, bytes, cudaMemcpyDeviceToHost), "download");
}
void DevBuf::fill(uint8_t byte) { cuda_check(cudaMemset(p_, byte, bytes_), "cudaMemset"); }
void DevBuf::fill_random(uint64_t seed) {
  fill_random_bytes(p_, (int64_t)(bytes_ & ~size_t{7}), seed, nullptr);  // whole 8-byte words
  if (bytes_ % 8) cuda_check(cudaMemset(static_cast<uint8_t*>(p_) + (bytes_ & ~size_t{7}), 0xA5, bytes_ % 8), "tail");
  // On the legacy stream: work on a non-blocking stream (DeviceProblem::time) would not wait for it.
  cuda_check(cudaDeviceSynchronize(), "fill_random");
}

void upload_canonical(HostWeights& hw, DeviceWeights* dw) {
  dw->codes.alloc(hw.codes.size());
  dw->codes.upload(hw.codes.data(), hw.codes.size());
  dw->scales.alloc(hw.scales.size() * 2);
  dw->scales.upload(hw.scales.data(), hw.scales.size() * 2);
  if (hw.zeros) {
    dw->zeros.alloc(hw.zero_vals.size() * 2);
    dw->zeros.upload(hw.zero_vals.data(), hw.zero_vals.size() * 2);
  }
}

w4a16_canonical device_canonical(HostWeights& hw, const DeviceWeights& dw) {
  w4a16_canonical d = hw.desc();
  d.codes = dw.codes.get();
  d.scales = dw.scales.get();
  d.zeros = hw.zeros ? dw.zeros.get() : nullptr;
  return d;
}

void pack_on_device(HostWeights& hw, w4a16_family family, DeviceWeights* dw) {
  if (!dw->codes.get()) upload_canonical(hw, dw);
  w4a16_canonical d = device_canonical(hw, *dw);
  size_t bytes = 0;
  api_check(w4a16_packed_size(family, hw.n, hw.k, hw.group_size, hw.zeros, &bytes), "w4a16_packed_size");
  dw->packed.alloc(bytes);
  api_check(w4a16_pack_device(&d, family, dw->packed.get(), bytes, &dw->w, nullptr), "w4a16_pack_device");
  cuda_check(cudaDeviceSynchronize(), "pack");
}

}  // namespace w4a16::kit
