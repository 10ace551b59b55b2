// parallel.h -- a plain parallel_for over [0, n) on std::thread; the host paths' only threading.
#pragma once
#include <algorithm>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

namespace w4a16 {

inline int host_threads() {
  const unsigned hc = std::thread::hardware_concurrency();
  return (int)std::max(1u, std::min(hc, 64u));
}

// Calls fn(begin, end) on contiguous chunks of [0, n), one chunk per thread; runs inline when small.
// An exception (fn's own, or std::system_error when a thread cannot start) reaches the caller, and
// through guarded() the C API as a status: an exception leaving a worker, or a joinable std::thread
// destroyed while the pool unwinds, would call std::terminate instead.
template <class Fn>
void parallel_for(int64_t n, int64_t min_chunk, Fn&& fn) {
  const int64_t nt = std::min<int64_t>(host_threads(), std::max<int64_t>(1, n / std::max<int64_t>(1, min_chunk)));
  if (nt <= 1) {
    fn(int64_t{0}, n);
    return;
  }
  std::vector<std::exception_ptr> errors((size_t)nt);
  std::vector<std::thread> pool;
  pool.reserve(nt);
  const auto join_all = [&pool] {
    for (auto& th : pool) th.join();
  };
  try {
    for (int64_t t = 0; t < nt; ++t) {
      const int64_t b = n * t / nt, e = n * (t + 1) / nt;
      pool.emplace_back([&fn, &errors, t, b, e] {
        try {
          fn(b, e);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    }
  } catch (...) {
    join_all();  // the threads already started still use fn and errors
    throw;
  }
  join_all();
  for (const auto& err : errors)
    if (err) std::rethrow_exception(err);
}

}  // namespace w4a16
