// pack.cpp -- canonical <-> packed on the host, packed sizes, and the weights descriptor.
#include <algorithm>
#include <cstring>

#include "host/internal.h"
#include "host/layout.h"
#include "host/packing.h"
#include "host/parallel.h"

namespace w4a16 {

bool family_uses_mma_layout(w4a16_family f) { return f == W4A16_FAMILY_SM80 || f == W4A16_FAMILY_SM90; }

w4a16_status check_family(w4a16_family f, bool allow_auto) {
  if (f == W4A16_FAMILY_REFERENCE || f == W4A16_FAMILY_SM80 || f == W4A16_FAMILY_SM90 || f == W4A16_FAMILY_HOST)
    return W4A16_OK;
  if (f == W4A16_FAMILY_AUTO && allow_auto) return W4A16_OK;
  return fail(W4A16_ERR_INVALID_ARGUMENT, "family=%d is not accepted here; accepted: %sreference (1), sm80 (2), sm90 (3), host (4)",
              (int)f, allow_auto ? "auto (0), " : "");
}

layout::Sections sections_for(w4a16_family f, int64_t n, int64_t k, int64_t g, bool zeros) {
  return family_uses_mma_layout(f) ? layout::mma_sections(n, k, g, zeros) : layout::canonical_sections(n, k, g, zeros);
}

w4a16_status check_weight_bytes(const w4a16_weights* w) {
  const layout::Sections sec = sections_for(w->family, w->n, w->k, w->group_size, w->has_zeros != 0);
  if (w->bytes < sec.total)
    return fail(W4A16_ERR_WEIGHTS_MISMATCH, "weights hold %zu bytes but N=%lld K=%lld g=%d need %zu", w->bytes,
                (long long)w->n, (long long)w->k, w->group_size, sec.total);
  return W4A16_OK;
}

void fill_weights(w4a16_weights* out, w4a16_family f, const w4a16_canonical* c, int64_t g, void* data, size_t bytes,
                  bool on_device, bool small_scales) {
  out->magic = W4A16_WEIGHTS_MAGIC;
  out->family = f;
  out->dtype = c->dtype;
  out->group_size = (int32_t)g;
  out->has_zeros = c->has_zeros ? 1 : 0;
  out->on_device = on_device ? 1 : 0;
  out->n = c->n;
  out->k = c->k;
  out->data = data;
  out->bytes = bytes;
  out->small_scales = small_scales ? 1 : 0;
}

w4a16_status check_weights_desc(const w4a16_weights* w) {
  if (!w) return fail(W4A16_ERR_NULL_POINTER, "weights is NULL");
  if (w->magic != W4A16_WEIGHTS_MAGIC)
    return fail(W4A16_ERR_WEIGHTS_MISMATCH, "weights were not filled in by w4a16_pack_host/w4a16_pack_device");
  if (!w->data) return fail(W4A16_ERR_NULL_POINTER, "weights->data is NULL");
  return W4A16_OK;
}

// dst descriptor of an unpack must describe the same weights as w.
w4a16_status check_unpack_target(const w4a16_weights* w, const w4a16_canonical* dst) {
  if (w4a16_status s = check_weights_desc(w)) return s;
  int64_t g = 0;
  if (w4a16_status s = check_canonical_desc(dst, &g)) return s;
  if (dst->n != w->n || dst->k != w->k || g != w->group_size || (dst->has_zeros != 0) != (w->has_zeros != 0) ||
      dst->dtype != w->dtype)
    return fail(W4A16_ERR_WEIGHTS_MISMATCH, "unpack target (N=%lld K=%lld g=%lld zeros=%d) differs from the weights "
                "(N=%lld K=%lld g=%d zeros=%d)", (long long)dst->n, (long long)dst->k, (long long)g, dst->has_zeros,
                (long long)w->n, (long long)w->k, w->group_size, w->has_zeros);
  return W4A16_OK;
}

}  // namespace w4a16

using namespace w4a16;

extern "C" w4a16_status w4a16_packed_size(w4a16_family family, int64_t n, int64_t k, int32_t group_size,
                                          int32_t has_zeros, size_t* bytes) {
  clear_error();
  return guarded("w4a16_packed_size", [&] {
    if (!bytes) return fail(W4A16_ERR_NULL_POINTER, "bytes is NULL");
    if (w4a16_status s = check_family(family, false)) return s;
    int64_t g = 0;
    if (w4a16_status s = validate_weight_shape(n, k, group_size, &g)) return s;
    *bytes = sections_for(family, n, k, g, has_zeros != 0).total;
    return W4A16_OK;
  });
}

extern "C" w4a16_status w4a16_pack_host(const w4a16_canonical* src, w4a16_family family, void* dst, size_t dst_bytes,
                                        w4a16_weights* out) {
  clear_error();
  return guarded("w4a16_pack_host", [&] {
    if (w4a16_status s = check_family(family, false)) return s;
    int64_t g = 0;
    if (w4a16_status s = check_canonical_desc(src, &g)) return s;
    if (!dst) return fail(W4A16_ERR_NULL_POINTER, "dst is NULL");
    if (!out) return fail(W4A16_ERR_NULL_POINTER, "out is NULL");
    const bool zeros = src->has_zeros != 0;
    const layout::Sections sec = sections_for(family, src->n, src->k, g, zeros);
    if (dst_bytes < sec.total)
      return fail(W4A16_ERR_BUFFER_TOO_SMALL, "dst holds %zu bytes but packed weights need %zu", dst_bytes, sec.total);
    const int64_t n = src->n, k = src->k, G = k / g;
    auto* d = static_cast<uint8_t*>(dst);
    const auto* codes = static_cast<const uint8_t*>(src->codes);
    const auto* sc = static_cast<const uint16_t*>(src->scales);
    const auto* zs = static_cast<const uint16_t*>(src->zeros);
    std::memset(d, 0, sec.total);  // padding rows / k: code 0, scale 0 => exactly 0
    if (!family_uses_mma_layout(family)) {
      std::memcpy(d + sec.codes_off, codes, sec.codes_bytes);
      std::memcpy(d + sec.scales_off, sc, sec.scales_bytes);
      if (zeros) std::memcpy(d + sec.zeros_off, zs, sec.zeros_bytes);
    } else {
      auto* ds = reinterpret_cast<uint16_t*>(d + sec.scales_off);
      auto* dz = reinterpret_cast<uint16_t*>(d + sec.zeros_off);
      // One thread per 16-row block: blocks own disjoint bytes.
      parallel_for(layout::ceil_div(n, 16), 4, [&](int64_t b0, int64_t b1) {
        for (int64_t r = b0 * 16; r < std::min(n, b1 * 16); ++r) {
          for (int64_t i = 0; i < k; ++i) {
            const int q = (codes[(r * k + i) / 2] >> ((i & 1) * 4)) & 15;
            int64_t byte;
            int shift;
            layout::mma_code_pos(r, i, sec.ka, &byte, &shift);
            d[byte] |= (uint8_t)(q << shift);
          }
          for (int64_t j = 0; j < G; ++j) {
            ds[layout::mma_scale_index(r, j, sec.n16)] = sc[r * G + j];
            if (zeros) dz[layout::mma_scale_index(r, j, sec.n16)] = zs[r * G + j];
          }
        }
      });
    }
    const bool bf16 = src->dtype == W4A16_BF16;
    const bool small = std::all_of(sc, sc + n * G, [bf16](uint16_t s) { return layout::small_scale(s, bf16); });
    fill_weights(out, family, src, g, dst, sec.total, false, small);
    return W4A16_OK;
  });
}

extern "C" w4a16_status w4a16_weights_set_data(w4a16_weights* w, void* data, int32_t on_device) {
  clear_error();
  return guarded("w4a16_weights_set_data", [&] {
    if (w4a16_status s = check_weights_desc(w)) return s;
    if (!data) return fail(W4A16_ERR_NULL_POINTER, "data is NULL");
    w->data = data;
    w->on_device = on_device ? 1 : 0;
    return W4A16_OK;
  });
}

extern "C" w4a16_status w4a16_unpack_host(const w4a16_weights* w, const w4a16_canonical* dst) {
  clear_error();
  return guarded("w4a16_unpack_host", [&] {
    if (w4a16_status s = check_unpack_target(w, dst)) return s;
    if (w->on_device) return fail(W4A16_ERR_WRONG_FAMILY, "weights are in device memory: use w4a16_unpack_device");
    const int64_t n = w->n, k = w->k, g = w->group_size, G = k / g;
    const bool zeros = w->has_zeros != 0;
    if (w4a16_status s = check_weight_bytes(w)) return s;
    const layout::Sections sec = sections_for(w->family, n, k, g, zeros);
    const auto* d = static_cast<const uint8_t*>(w->data);
    auto* codes = static_cast<uint8_t*>(dst->codes);
    auto* sc = static_cast<uint16_t*>(dst->scales);
    auto* zs = static_cast<uint16_t*>(dst->zeros);
    if (!family_uses_mma_layout(w->family)) {
      std::memcpy(codes, d + sec.codes_off, sec.codes_bytes);
      std::memcpy(sc, d + sec.scales_off, sec.scales_bytes);
      if (zeros) std::memcpy(zs, d + sec.zeros_off, sec.zeros_bytes);
      return W4A16_OK;
    }
    const auto* ds = reinterpret_cast<const uint16_t*>(d + sec.scales_off);
    const auto* dz = reinterpret_cast<const uint16_t*>(d + sec.zeros_off);
    parallel_for(n, 16, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) {
        for (int64_t i = 0; i < k; i += 2) {
          int64_t b0, b1;
          int s0, s1;
          layout::mma_code_pos(r, i, sec.ka, &b0, &s0);
          layout::mma_code_pos(r, i + 1, sec.ka, &b1, &s1);
          codes[(r * k + i) / 2] = (uint8_t)(((d[b0] >> s0) & 15) | (((d[b1] >> s1) & 15) << 4));
        }
        for (int64_t j = 0; j < G; ++j) {
          sc[r * G + j] = ds[layout::mma_scale_index(r, j, sec.n16)];
          if (zeros) zs[r * G + j] = dz[layout::mma_scale_index(r, j, sec.n16)];
        }
      }
    });
    return W4A16_OK;
  });
}
