// problem.h -- one random problem resident on the GPU, packed for a family and for the reference,
// with the verification every command runs before it trusts a kernel.
#pragma once
#include <string>
#include <vector>

#include "testkit/bench_device.h"
#include "testkit/testkit.h"

namespace w4a16::kit {

struct DeviceProblem {
  w4a16_problem p{};
  int64_t g = 0;
  DevBuf codes, scales, zeros;  // canonical, on the device
  DevBuf x, bias, y, ws;
  DevBuf packed, ref_packed;
  w4a16_weights w{}, ref_w{};
  size_t ws_bytes = 0;

  // Random X in [-1,1], codes uniform in [0,15], scales in [scale_lo, scale_hi] (default [0.004, 0.02]),
  // zeros in [-0.05, 0.05], bias in [-1, 1]; packed on the device for `family` and for the reference family.
  void init(const w4a16_problem& prob, w4a16_family family, uint64_t seed, float scale_lo = 0.004f,
            float scale_hi = 0.02f);
  // Workspace for config `index` (-1 = the library's choice), allocated and filled with random bytes
  // (never zeroed: kernels/common/split_counter.h) if it grew.
  void ensure_workspace(int index);
  // Runs `index` once on poisoned Y and compares the rows of verify_rows(p.m) (every row when all_rows)
  // with the GPU reference. Returns the error statistics; `status_out` gets the launch status.
  ErrorStats verify(int index, w4a16_status* status_out, bool all_rows = false);
  // Median microseconds of one product with config `index`: a CUDA graph of back-to-back launches
  // cycling through copies of (packed W, X, Y) that together exceed 4x the L2, so weights stream
  // from DRAM as in a model rather than from cache.
  // With `eager`, the same launches without the graph too; with `clock`, the SM clock around the
  // timed replays (bench_device.h).
  double time(int index, int warmup, int iters, EagerTiming* eager = nullptr, ClockReading* clock = nullptr);
};

// Copies of a (packed W, X) set needed to stream more than 4x the device's L2 per pass.
int rotation_copies(size_t bytes_per_set);

// The rows verify() checks: all of them when M <= 128.
std::vector<std::pair<int64_t, int64_t>> verify_rows(int64_t m);

}  // namespace w4a16::kit
