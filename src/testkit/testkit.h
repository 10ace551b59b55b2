// testkit.h -- support shared by the tests and the `w4a16` tool (not part of libw4a16): random
// problems, the error norms and bounds, RAII device buffers, and the reference product on the GPU.
#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "host/internal.h"
#include "w4a16/w4a16.h"

namespace w4a16 {
// src/api.cpp, for tests and tools: the reference family's product, unrounded fp32 rows.
w4a16_status gemm_reference_f32(const w4a16_problem* prob, const void* x, const w4a16_weights* w, const void* bias,
                                float* y32, int64_t m_begin, int64_t m_count, cudaStream_t stream);
struct Plan;
// src/api.cpp: the plan w4a16_gemm would run on the current device (forced config or -1).
w4a16_status plan_for(const w4a16_problem* prob, const w4a16_weights* w, int forced, Plan* plan);
}  // namespace w4a16

namespace w4a16::kit {

// One seed per process: $W4A16_SEED if set, else from std::random_device; printed by tests and tools so
// a failure can be replayed.
uint64_t default_seed();

struct Rng {
  std::mt19937_64 gen;
  explicit Rng(uint64_t seed) : gen(seed) {}
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(gen); }
  double normal() { return std::normal_distribution<double>(0.0, 1.0)(gen); }
};

// 16-bit values (fp16 or bf16 bits) drawn uniformly from [lo, hi].
std::vector<uint16_t> random_16(Rng& rng, int64_t count, bool bf16, double lo = -1.0, double hi = 1.0);

// Canonical weights in host memory.
struct HostWeights {
  int64_t n = 0, k = 0;
  int32_t group_size = 0;  // as given (0 = per channel)
  bool zeros = false, bf16 = false;
  std::vector<uint8_t> codes;
  std::vector<uint16_t> scales, zero_vals;
  w4a16_canonical desc();  // pointers into the vectors
};
// Random fp32 weights (normal, or shifted uniform with zeros so offsets matter) quantized with
// w4a16_quantize_host.
HostWeights random_weights(Rng& rng, int64_t n, int64_t k, int32_t group_size, bool zeros, bool bf16);

w4a16_problem make_problem(int64_t m, int64_t n, int64_t k, bool bf16, int32_t group_size, bool zeros, bool bias);

// ‖out − ref‖ / ‖ref‖ and an element-wise bound |out − ref| ≤ rtol·|ref| + atol·rms(ref), with
// rtol = one ulp of the dtype (the output rounding) and atol = 1e-3 (fp32 accumulation order). NaN or
// Inf never pass; an unwritten (poisoned, NaN) element fails.
struct ErrorStats {
  double rel = 0, max_abs = 0, rms_ref = 0;
  int64_t bad = 0, nonfinite = 0, first_bad = -1;
  bool ok = false;
  std::string describe() const;
};
double rel_bound(bool bf16);  // 1e-3 fp16, 8e-3 bf16 (DESIGN §4)
// out: [m][ldo] 16-bit; ref: [m][n] dense (float or double).
ErrorStats compare(const uint16_t* out, int64_t ldo, const float* ref, int64_t m, int64_t n, bool bf16);
ErrorStats compare(const uint16_t* out, int64_t ldo, const double* ref, int64_t m, int64_t n, bool bf16);

// CPU reference (fp64 sums) of problem p without bias: x with p's lda, weights hw; ref becomes
// [m][n] dense. Fails as validate_problem / reference_gemm do.
w4a16_status cpu_reference(const w4a16_problem& p, const uint16_t* x, HostWeights& hw, std::vector<double>* ref);

// Index of the configuration called `name` in the family's table, or -1.
int config_by_name(w4a16_family family, const char* name);

// ---- device ------------------------------------------------------------------------------------
bool gpu_available();
// Test and tool plumbing only: on failure print what failed and exit(1) (no throw, no abort).
void cuda_check(cudaError_t e, const char* what);
void api_check(w4a16_status s, const char* what);

class DevBuf {
 public:
  DevBuf() = default;
  explicit DevBuf(size_t bytes) { alloc(bytes); }
  ~DevBuf();
  DevBuf(const DevBuf&) = delete;
  DevBuf& operator=(const DevBuf&) = delete;
  DevBuf(DevBuf&& o) noexcept : p_(o.p_), bytes_(o.bytes_) { o.p_ = nullptr; o.bytes_ = 0; }
  void alloc(size_t bytes);
  void upload(const void* host, size_t bytes);
  void download(void* host, size_t bytes) const;
  void fill(uint8_t byte);  // memset (e.g. 0xFF poisons 16-bit outputs with NaN)
  void fill_random(uint64_t seed);  // pseudo-random bytes (a buffer as reused memory leaves it)
  void* get() const { return p_; }
  size_t bytes() const { return bytes_; }

 private:
  void* p_ = nullptr;
  size_t bytes_ = 0;
};

// Canonical weights copied to the device, and packed for a family there (w4a16_pack_device).
struct DeviceWeights {
  DevBuf codes, scales, zeros, packed;
  w4a16_weights w{};
};
void upload_canonical(HostWeights& hw, DeviceWeights* dw);
// hw's descriptor with the device copies' pointers (upload_canonical first).
w4a16_canonical device_canonical(HostWeights& hw, const DeviceWeights& dw);
void pack_on_device(HostWeights& hw, w4a16_family family, DeviceWeights* dw);

}  // namespace w4a16::kit
