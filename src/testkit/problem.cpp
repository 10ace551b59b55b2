// problem.cpp -- see problem.h.
#include "testkit/problem.h"

#include <algorithm>
#include <cmath>

#include "testkit/bench_device.h"

namespace w4a16::kit {

std::vector<std::pair<int64_t, int64_t>> verify_rows(int64_t m) {
  if (m <= 128) return {{0, m}};
  return {{0, 96}, {m - 32, 32}};
}

void DeviceProblem::init(const w4a16_problem& prob, w4a16_family family, uint64_t seed, float scale_lo,
                         float scale_hi) {
  p = prob;
  g = p.group_size == W4A16_GROUP_PER_CHANNEL ? p.k : p.group_size;
  const bool bf16 = p.dtype == W4A16_BF16;
  const int64_t groups = p.k / g;
  codes.alloc((size_t)(p.n * p.k / 2));
  scales.alloc((size_t)(p.n * groups * 2));
  fill_random_bytes(codes.get(), (int64_t)codes.bytes(), seed ^ 0x1111, nullptr);
  fill_random_16(scales.get(), p.n * groups, bf16, scale_lo, scale_hi, seed ^ 0x2222, nullptr);
  if (p.has_zeros) {
    zeros.alloc(scales.bytes());
    fill_random_16(zeros.get(), p.n * groups, bf16, -0.05f, 0.05f, seed ^ 0x3333, nullptr);
  }
  x.alloc((size_t)(p.m * p.k * 2));
  fill_random_16(x.get(), p.m * p.k, bf16, -1.f, 1.f, seed ^ 0x4444, nullptr);
  bias.alloc((size_t)(std::max<int64_t>(p.n, 8) * 2));
  fill_random_16(bias.get(), p.n, bf16, -1.f, 1.f, seed ^ 0x5555, nullptr);
  y.alloc((size_t)(p.m * p.n * 2));
  w4a16_canonical c{p.n, p.k, p.group_size, p.has_zeros, p.dtype, codes.get(), scales.get(),
                    p.has_zeros ? zeros.get() : nullptr};
  size_t bytes = 0;
  api_check(w4a16_packed_size(family, p.n, p.k, p.group_size, p.has_zeros, &bytes), "w4a16_packed_size");
  packed.alloc(bytes);
  api_check(w4a16_pack_device(&c, family, packed.get(), bytes, &w, nullptr), "w4a16_pack_device");
  api_check(w4a16_packed_size(W4A16_FAMILY_REFERENCE, p.n, p.k, p.group_size, p.has_zeros, &bytes),
                 "w4a16_packed_size");
  ref_packed.alloc(bytes);
  api_check(w4a16_pack_device(&c, W4A16_FAMILY_REFERENCE, ref_packed.get(), bytes, &ref_w, nullptr),
                 "w4a16_pack_device(reference)");
  cuda_check(cudaDeviceSynchronize(), "problem init");
}

void DeviceProblem::ensure_workspace(int index) {
  size_t need = 0;
  api_check(w4a16_workspace_size_config(&p, &w, index, &need), "w4a16_workspace_size");
  if (need > ws_bytes) {
    ws.alloc(need);
    ws_bytes = need;
    // Never zeroed: random bytes, as memory reused from another buffer holds, so the first product of
    // every test and check counts its splits in a dirty workspace (kernels/common/split_counter.h) and
    // the products after it in the zeroed one the first leaves.
    ws.fill_random(0x5EED0000u + need);
  }
}

ErrorStats DeviceProblem::verify(int index, w4a16_status* status_out, bool all_rows) {
  ErrorStats total;
  // A configuration may refuse the problem (gemv past M = 8, or X past its shared memory): report, not abort.
  size_t need = 0;
  *status_out = w4a16_workspace_size_config(&p, &w, index, &need);
  if (*status_out != W4A16_OK) return total;
  ensure_workspace(index);
  y.fill(0xFF);  // NaN in fp16 and bf16: an unwritten output cannot pass
  *status_out = w4a16_gemm_config(&p, x.get(), &w, bias.get(), y.get(), ws.get(), ws_bytes, index, nullptr);
  if (*status_out != W4A16_OK) return total;
  cuda_check(cudaDeviceSynchronize(), "gemm");
  const bool bf16 = p.dtype == W4A16_BF16;
  std::vector<uint16_t> out;
  std::vector<float> ref;
  std::vector<uint16_t> out_rows;
  std::vector<float> ref_rows;
  const std::vector<std::pair<int64_t, int64_t>> rows =
      all_rows ? std::vector<std::pair<int64_t, int64_t>>{{0, p.m}} : verify_rows(p.m);
  for (const auto& [begin, count] : rows) {
    DevBuf r32((size_t)(count * p.n * 4));
    api_check(gemm_reference_f32(&p, x.get(), &ref_w, bias.get(), static_cast<float*>(r32.get()), begin, count,
                                      nullptr),
                   "reference");
    ref.resize((size_t)(count * p.n));
    r32.download(ref.data(), ref.size() * 4);
    out.resize((size_t)(count * p.n));
    cuda_check(cudaMemcpy(out.data(), static_cast<uint16_t*>(y.get()) + begin * p.n, out.size() * 2,
                               cudaMemcpyDeviceToHost),
                    "download y");
    out_rows.insert(out_rows.end(), out.begin(), out.end());
    ref_rows.insert(ref_rows.end(), ref.begin(), ref.end());
  }
  return compare(out_rows.data(), p.n, ref_rows.data(), (int64_t)ref_rows.size() / p.n, p.n, bf16);
}

}  // namespace w4a16::kit

namespace w4a16::kit {

int rotation_copies(size_t bytes_per_set) {
  w4a16_device_info info{};
  api_check(w4a16_get_device_info(-1, &info), "w4a16_get_device_info");
  const double want = 4.0 * (double)info.l2_bytes / (double)std::max<size_t>(bytes_per_set, 1);
  return (int)std::clamp<double>(std::ceil(want), 1, 64);
}

double DeviceProblem::time(int index, int warmup, int iters, EagerTiming* eager, ClockReading* clock) {
  ensure_workspace(index);
  const int r = rotation_copies(packed.bytes() + (size_t)(p.m * p.k * 2));
  std::vector<DevBuf> wcopy, xcopy, ycopy;
  std::vector<w4a16_weights> ws((size_t)r, w);
  for (int i = 1; i < r; ++i) {
    wcopy.emplace_back(packed.bytes());
    cuda_check(cudaMemcpy(wcopy.back().get(), packed.get(), packed.bytes(), cudaMemcpyDeviceToDevice), "copy w");
    api_check(w4a16_weights_set_data(&ws[(size_t)i], wcopy.back().get(), 1), "w4a16_weights_set_data");
    xcopy.emplace_back(x.bytes());
    cuda_check(cudaMemcpy(xcopy.back().get(), x.get(), x.bytes(), cudaMemcpyDeviceToDevice), "copy x");
    ycopy.emplace_back(y.bytes());
  }
  auto xs = [&](int i) { return i == 0 ? x.get() : xcopy[(size_t)i - 1].get(); };
  auto ys = [&](int i) { return i == 0 ? y.get() : ycopy[(size_t)i - 1].get(); };
  return time_graph(
      [&](int i, cudaStream_t s) {
        const int j = i % r;
        api_check(w4a16_gemm_config(&p, xs(j), &ws[(size_t)j], bias.get(), ys(j), this->ws.get(), ws_bytes, index, s),
                  "w4a16_gemm");
      },
      std::max(r, 8), warmup, iters, eager, clock);
}

}  // namespace w4a16::kit
