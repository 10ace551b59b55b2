// fast_div.h -- division by a run-time constant as a multiply and a shift (host and device).
#pragma once
#include <cstdint>

#include "host/hd.h"

namespace w4a16 {

// n / d for 0 <= n < 2^31 and 1 <= d < 2^31: with l = ceil(log2 d) and mul = ceil(2^(31+l) / d)
// (< 2^32), n * mul / 2^(31+l) = n/d + n*e/2^(31+l) with 0 <= e < 1, and n*e*d < 2^31 * 2^l keeps
// that error term below 1/d, so the floor is exact. decode_unit (schedule.cuh) runs on the path
// from a CTA's start to its first TMA load, where its run-time divisions (~20 dependent
// instructions each) took ~1000 cycles (H100 trace, docs/PERFORMANCE.md).
struct FastDiv {
  uint32_t mul = 1u << 31;  // d = 1
  int shift = 31;
};

inline FastDiv make_fast_div(uint32_t d) {
  int l = 0;
  while ((uint64_t{1} << l) < d) ++l;
  FastDiv f;
  f.mul = (uint32_t)(((uint64_t{1} << (31 + l)) + d - 1) / d);
  f.shift = 31 + l;
  return f;
}

W4A16_HD int fast_div(int n, FastDiv f) { return (int)(((uint64_t)(uint32_t)n * f.mul) >> f.shift); }

}  // namespace w4a16
