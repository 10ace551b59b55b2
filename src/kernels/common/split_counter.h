// split_counter.h -- a tile's split-K arrival counter: the layout and constants that the kernels
// (schedule.cuh split_arrive), the plan (dispatch/heuristic.h kSplitCounters) and the tests share.
// Plain C++, so host code includes it too.
#pragma once

namespace w4a16 {

// A tile's split-K arrival counter (the workspace's prefix: kSplitCounters of them, dispatch/heuristic.h).
// `count` counts arrivals in steps of kArrival (mod 2^64), so a zeroed counter reads 0, kArrival, ...,
// (nsplit - 1) x kArrival, and a counter of any other content decodes (times the inverse) to a number
// D with nsplit <= D <= 2^64 - nsplit but for a chance of about 2 nsplit in 2^64. That is how a
// workspace that was never zeroed is recognised: every arrival at the tile sees it, and they count
// again in `recount`, tagged with the launch's 48-bit tag (tag << 16 | arrivals: a value of another
// tag counts as none), by compare-and-swap. The last arrival leaves `count` zero, and `recount` too
// when it counted there (a clean count never reads or writes it). So the workspace needs no zeroing:
// only a counter whose `count` decodes within nsplit of zero (that chance for leftover bytes; a launch
// that died midway, which kills the context, or two products sharing the workspace at once, which
// the API forbids, can leave one) or whose `recount` carries the launch's tag (one in 2^48) is
// miscounted, and such a counter can stay wrong for later products until the workspace is zeroed
// (w4a16_workspace_init).
struct SplitCounter {
  unsigned long long count;
  unsigned long long recount;
};
constexpr unsigned long long kArrival = 0x9E3779B97F4A7C15ull;  // odd: invertible mod 2^64
constexpr unsigned long long inverse_mod_2_64(unsigned long long a) {
  unsigned long long x = a;                  // right to 3 bits for odd a (a * a = 1 mod 8)
  for (int i = 0; i < 5; ++i) x *= 2 - a * x;  // Newton: each step doubles the right bits (3 -> 96)
  return x;
}
constexpr unsigned long long kArrivalInverse = inverse_mod_2_64(kArrival);
static_assert(kArrival * kArrivalInverse == 1ull, "kArrival's inverse");
constexpr int kRecountBits = 16;  // arrivals per tile < 2^16: the plans' splits and grids are far below

}  // namespace w4a16
