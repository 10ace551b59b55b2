// parallel.h -- a plain parallel_for over [0, n) on std::thread; the host paths' only threading.
#pragma once
#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace w4a16 {

inline int host_threads() {
  const unsigned hc = std::thread::hardware_concurrency();
  return (int)std::max(1u, std::min(hc, 64u));
}

// Calls fn(begin, end) on contiguous chunks of [0, n), one chunk per thread; runs inline when small.
template <class Fn>
void parallel_for(int64_t n, int64_t min_chunk, Fn&& fn) {
  const int64_t nt = std::min<int64_t>(host_threads(), std::max<int64_t>(1, n / std::max<int64_t>(1, min_chunk)));
  if (nt <= 1) {
    fn(int64_t{0}, n);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(nt);
  for (int64_t t = 0; t < nt; ++t) {
    const int64_t b = n * t / nt, e = n * (t + 1) / nt;
    pool.emplace_back([&fn, b, e] { fn(b, e); });
  }
  for (auto& th : pool) th.join();
}

}  // namespace w4a16
