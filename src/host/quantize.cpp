// quantize.cpp -- round-to-nearest group quantizer and the exact dequantization the kernels perform.
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "host/internal.h"
#include "host/numeric.h"
#include "host/packing.h"
#include "host/parallel.h"

namespace w4a16 {
namespace {

double load_src(const void* w, w4a16_src_dtype t, int64_t i) {
  switch (t) {
    case W4A16_SRC_FP32: return (double)static_cast<const float*>(w)[i];
    case W4A16_SRC_FP16: return num::half_bits_to_double(static_cast<const uint16_t*>(w)[i]);
    case W4A16_SRC_BF16: return num::bf16_bits_to_double(static_cast<const uint16_t*>(w)[i]);
  }
  return 0.0;
}

// A group's scale and zero before rounding to the dtype: with zeros (max - min) / 15 and min, else
// amax / 7 (zero unused).
struct GroupRange {
  double scale, zero;
};
GroupRange group_range(const void* w, w4a16_src_dtype t, int64_t base, int64_t g, bool zeros) {
  double lo = INFINITY, hi = -INFINITY, amax = 0;
  for (int64_t i = 0; i < g; ++i) {
    const double v = load_src(w, t, base + i);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    amax = std::max(amax, std::fabs(v));
  }
  return zeros ? GroupRange{(hi - lo) / 15.0, lo} : GroupRange{amax / 7.0, 0.0};
}

}  // namespace

w4a16_status check_canonical_desc(const w4a16_canonical* c, int64_t* g) {
  if (!c) return fail(W4A16_ERR_NULL_POINTER, "canonical weights descriptor is NULL");
  if (w4a16_status s = validate_dtype(c->dtype)) return s;
  if (w4a16_status s = validate_weight_shape(c->n, c->k, c->group_size, g)) return s;
  if (!c->codes) return fail(W4A16_ERR_NULL_POINTER, "codes is NULL");
  if (!c->scales) return fail(W4A16_ERR_NULL_POINTER, "scales is NULL");
  if (c->has_zeros && !c->zeros) return fail(W4A16_ERR_NULL_POINTER, "zeros is NULL but has_zeros is set");
  return W4A16_OK;
}

}  // namespace w4a16

using namespace w4a16;

extern "C" w4a16_status w4a16_quantize_host(const void* w, w4a16_src_dtype src_dtype, const w4a16_canonical* out) {
  clear_error();
  return guarded("w4a16_quantize_host", [&] {
    if (!w) return fail(W4A16_ERR_NULL_POINTER, "w is NULL");
    if (src_dtype != W4A16_SRC_FP32 && src_dtype != W4A16_SRC_FP16 && src_dtype != W4A16_SRC_BF16)
      return fail(W4A16_ERR_INVALID_ARGUMENT, "src_dtype=%d is not one of W4A16_SRC_FP32/FP16/BF16", (int)src_dtype);
    int64_t g = 0;
    if (w4a16_status s = check_canonical_desc(out, &g)) return s;
    const int64_t n = out->n, k = out->k, G = k / g;
    const bool bf16 = out->dtype == W4A16_BF16, zeros = out->has_zeros != 0;
    // Refused before anything is written: non-finite weights have no 4-bit code, and finite ones whose
    // scale or zero rounds to infinity in the dtype (fp16 above 65504) would turn W^ into Inf / NaN.
    const double dtype_max = num::from_bits(bf16 ? 0x7f7f : 0x7bff, bf16);
    const auto overflows = [bf16](double v) { return std::isinf(num::from_bits(num::to_bits(v, bf16), bf16)); };
    for (int64_t r = 0; r < n; ++r)
      for (int64_t j = 0; j < G; ++j) {
        const int64_t base = r * k + j * g;
        for (int64_t i = base; i < base + g; ++i)
          if (!std::isfinite(load_src(w, src_dtype, i)))
            return fail(W4A16_ERR_INVALID_ARGUMENT, "weight [%lld][%lld] is not finite", (long long)r,
                        (long long)(i - r * k));
        const GroupRange gr = group_range(w, src_dtype, base, g, zeros);
        for (const auto& [what, v] : {std::pair{"scale", gr.scale}, std::pair{"zero", zeros ? gr.zero : 0.0}})
          if (overflows(v))
            return fail(W4A16_ERR_INVALID_ARGUMENT, "row %lld, group %lld: %s %.8g overflows %s (max %.8g)",
                        (long long)r, (long long)j, what, v, dtype_name(bf16), dtype_max);
        // The largest value a code then takes, rounded once as the kernels do, can overflow where s and z
        // do not (a group reaching up to the dtype's maximum): z + 15 s with zeros, 7 s (|w| up to 7.5 s) without.
        const auto rounded = [bf16](double v) { return num::from_bits(num::to_bits(v, bf16), bf16); };
        const double top = zeros ? rounded(gr.zero) + 15 * rounded(gr.scale) : 7 * rounded(gr.scale);
        if (overflows(top))
          return fail(W4A16_ERR_INVALID_ARGUMENT, "row %lld, group %lld: the largest code's value %.8g (%s) overflows "
                      "%s (max %.8g)", (long long)r, (long long)j, top, zeros ? "zero + 15 x scale" : "7 x scale",
                      dtype_name(bf16), dtype_max);
      }
    auto* codes = static_cast<uint8_t*>(out->codes);
    auto* scales = static_cast<uint16_t*>(out->scales);
    auto* zs = static_cast<uint16_t*>(out->zeros);
    parallel_for(n, 16, [&](int64_t r0, int64_t r1) {
      std::vector<int> q(g);
      for (int64_t r = r0; r < r1; ++r) {
        for (int64_t j = 0; j < G; ++j) {
          const int64_t base = r * k + j * g;
          const GroupRange gr = group_range(w, src_dtype, base, g, zeros);
          const uint16_t sb = num::to_bits(gr.scale, bf16), zb = zeros ? num::to_bits(gr.zero, bf16) : 0;
          const double s = num::from_bits(sb, bf16), z = num::from_bits(zb, bf16);
          for (int64_t i = 0; i < g; ++i) {
            const double v = load_src(w, src_dtype, base + i);
            if (zeros) q[i] = s == 0 ? 0 : (int)std::min(15.0, std::max(0.0, std::nearbyint((v - z) / s)));
            else q[i] = s == 0 ? 8 : (int)std::min(7.0, std::max(-8.0, std::nearbyint(v / s))) + 8;
          }
          scales[r * G + j] = sb;
          if (zeros) zs[r * G + j] = zb;
          for (int64_t i = 0; i < g; i += 2)
            codes[(base + i) / 2] = (uint8_t)(q[i] | (q[i + 1] << 4));
        }
      }
    });
    return W4A16_OK;
  });
}

extern "C" w4a16_status w4a16_dequantize_host(const w4a16_canonical* c, float* w_out) {
  clear_error();
  return guarded("w4a16_dequantize_host", [&] {
    int64_t g = 0;
    if (w4a16_status s = check_canonical_desc(c, &g)) return s;
    if (!w_out) return fail(W4A16_ERR_NULL_POINTER, "w_out is NULL");
    const int64_t n = c->n, k = c->k, G = k / g;
    const bool bf16 = c->dtype == W4A16_BF16, zeros = c->has_zeros != 0;
    const auto* codes = static_cast<const uint8_t*>(c->codes);
    const auto* scales = static_cast<const uint16_t*>(c->scales);
    const auto* zs = static_cast<const uint16_t*>(c->zeros);
    parallel_for(n, 16, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r)
        for (int64_t i = 0; i < k; ++i) {
          const int q = (codes[(r * k + i) / 2] >> ((i & 1) * 4)) & 15;
          const double s = num::from_bits(scales[r * G + i / g], bf16);
          // (q-8)*s and q*s+z are exact in double; one rounding to the dtype, as the kernels' fma.
          const double v = zeros ? q * s + num::from_bits(zs[r * G + i / g], bf16) : (q - 8) * s;
          w_out[r * k + i] = (float)num::from_bits(num::to_bits(v, bf16), bf16);
        }
    });
    return W4A16_OK;
  });
}
