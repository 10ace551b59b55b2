// numeric.h -- bit-exact fp16 / bf16 conversions on the host (round to nearest even), no CUDA headers.
// Rounding goes straight from double, so a value computed exactly in double is rounded once, as the
// kernels' f16x2 / bf16x2 fma rounds once.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>

namespace w4a16::num {

// Round |a| (finite, >= 0) to a binary format with `mant` stored mantissa bits and minimum normal
// exponent `emin`; returns the rounded value (may be 2^(emax+1), i.e. overflow, handled by callers).
inline double round_to_format(double a, int mant, int emin) {
  if (a == 0.0) return 0.0;
  int e;
  std::frexp(a, &e);  // a in [2^(e-1), 2^e)
  int E = e - 1;
  if (E < emin) E = emin;  // subnormals share the smallest normal's ulp
  const double ulp = std::ldexp(1.0, E - mant);
  return std::nearbyint(a / ulp) * ulp;  // a/ulp is exact (power-of-two scaling); default mode is RNE
}

inline uint16_t double_to_half_bits(double x) {
  const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  if (std::isnan(x)) return 0x7e00;
  const double r = round_to_format(std::fabs(x), 10, -14);
  if (r >= 65536.0 || std::isinf(r)) return sign | 0x7c00;
  if (r < std::ldexp(1.0, -14)) return sign | (uint16_t)(r * std::ldexp(1.0, 24));  // subnormal (or 0)
  int e;
  const double f = std::frexp(r, &e);  // r = f * 2^e, f in [0.5, 1)
  const uint16_t exp_field = (uint16_t)(e - 1 + 15);
  const uint16_t mant = (uint16_t)((f * 2.0 - 1.0) * 1024.0);
  return sign | (uint16_t)(exp_field << 10) | mant;
}

inline double half_bits_to_double(uint16_t h) {
  const int s = h >> 15, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  double v;
  if (e == 0) v = std::ldexp((double)m, -24);
  else if (e == 31) v = m ? NAN : INFINITY;
  else v = std::ldexp(1.0 + m / 1024.0, e - 15);
  return s ? -v : v;
}

inline uint16_t double_to_bf16_bits(double x) {
  const uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  if (std::isnan(x)) return 0x7fc0;
  const double r = round_to_format(std::fabs(x), 7, -126);
  if (r >= std::ldexp(1.0, 128) || std::isinf(r)) return sign | 0x7f80;
  if (r < std::ldexp(1.0, -126)) return sign | (uint16_t)(r * std::ldexp(1.0, 133));
  int e;
  const double f = std::frexp(r, &e);
  const uint16_t exp_field = (uint16_t)(e - 1 + 127);
  const uint16_t mant = (uint16_t)((f * 2.0 - 1.0) * 128.0);
  return sign | (uint16_t)(exp_field << 7) | mant;
}

inline double bf16_bits_to_double(uint16_t b) {
  const uint32_t u = (uint32_t)b << 16;
  float f;
  std::memcpy(&f, &u, 4);
  return (double)f;
}

// dtype-generic: bf16 = true for bfloat16, false for fp16.
inline uint16_t to_bits(double x, bool bf16) { return bf16 ? double_to_bf16_bits(x) : double_to_half_bits(x); }
inline double from_bits(uint16_t b, bool bf16) { return bf16 ? bf16_bits_to_double(b) : half_bits_to_double(b); }

}  // namespace w4a16::num
