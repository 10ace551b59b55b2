// host_backend.cpp -- the CPU backend (family HOST): dequantize W^ in row blocks to fp32, multiply with
// OpenBLAS sgemm when the build found it (W4A16_HAVE_OPENBLAS), else with a threaded loop; add bias,
// round once to the dtype.
#include <algorithm>
#include <vector>

#include "host/layout.h"
#include "host/numeric.h"
#include "host/packing.h"
#include "host/parallel.h"
#include "host/reference.h"

#if W4A16_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace w4a16 {
namespace {

// c[m][nb] = a[m][k] * b[nb][k]^T, all fp32 row-major.
void sgemm_nt(int64_t m, int64_t nb, int64_t k, const float* a, const float* b, float* c) {
#if W4A16_HAVE_OPENBLAS
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)m, (int)nb, (int)k, 1.0f, a, (int)k, b, (int)k, 0.0f, c,
              (int)nb);
#else
  parallel_for(m, 1, [&](int64_t m0, int64_t m1) {
    for (int64_t i = m0; i < m1; ++i)
      for (int64_t j = 0; j < nb; ++j) {
        float acc = 0;
        for (int64_t t = 0; t < k; ++t) acc += a[i * k + t] * b[j * k + t];
        c[i * nb + j] = acc;
      }
  });
#endif
}

}  // namespace

bool host_backend_has_openblas() { return W4A16_HAVE_OPENBLAS != 0; }

}  // namespace w4a16

using namespace w4a16;

extern "C" w4a16_status w4a16_gemm_host(const w4a16_problem* prob, const void* x, const w4a16_weights* w,
                                        const void* bias, void* y) {
  clear_error();
  return guarded("w4a16_gemm_host", [&] {
    Problem p;
    if (w4a16_status s = validate_problem(prob, &p)) return s;
    if (w4a16_status s = validate_weights_match(w, p)) return s;
    if (w->family != W4A16_FAMILY_HOST || w->on_device)
      return fail(W4A16_ERR_WRONG_FAMILY, "w4a16_gemm_host needs weights packed for the host family in host memory; "
                  "these are packed for %s%s", w4a16_family_name(w->family), w->on_device ? " on the device" : "");
    if (!x) return fail(W4A16_ERR_NULL_POINTER, "x is NULL");
    if (!y) return fail(W4A16_ERR_NULL_POINTER, "y is NULL");
    if (!w->data) return fail(W4A16_ERR_NULL_POINTER, "weights->data is NULL");
    if (p.bias && !bias) return fail(W4A16_ERR_NULL_POINTER, "bias is NULL but has_bias is set");
    if (w4a16_status s = check_weight_bytes(w)) return s;
    const layout::Sections sec = sections_for(w->family, p.n, p.k, p.group, p.zeros);
    auto* base = static_cast<uint8_t*>(w->data);
    const auto* xb = static_cast<const uint16_t*>(x);
    const auto* bb = static_cast<const uint16_t*>(bias);
    auto* yb = static_cast<uint16_t*>(y);

    std::vector<float> xf((size_t)(p.m * p.k));
    parallel_for(p.m, 1, [&](int64_t m0, int64_t m1) {
      for (int64_t i = m0; i < m1; ++i)
        for (int64_t t = 0; t < p.k; ++t) xf[i * p.k + t] = (float)num::from_bits(xb[i * p.lda + t], p.bf16);
    });
    // Row blocks bound the fp32 copy of W^ to ~64 MB whatever N x K is.
    const int64_t nb_max = std::max<int64_t>(8, std::min<int64_t>(p.n, (int64_t{16} << 20) / p.k));
    std::vector<float> wf((size_t)(nb_max * p.k)), cf((size_t)(p.m * nb_max));
    for (int64_t n0 = 0; n0 < p.n; n0 += nb_max) {
      const int64_t nb = std::min(nb_max, p.n - n0);
      const int64_t G = p.k / p.group;
      w4a16_canonical blk{nb, p.k, (int32_t)(p.per_channel ? W4A16_GROUP_PER_CHANNEL : p.group), p.zeros ? 1 : 0,
                          w->dtype, base + sec.codes_off + n0 * p.k / 2, base + sec.scales_off + n0 * G * 2,
                          p.zeros ? base + sec.zeros_off + n0 * G * 2 : nullptr};
      if (w4a16_status s = w4a16_dequantize_host(&blk, wf.data())) return s;
      sgemm_nt(p.m, nb, p.k, xf.data(), wf.data(), cf.data());
      for (int64_t i = 0; i < p.m; ++i)
        for (int64_t j = 0; j < nb; ++j) {
          double v = cf[i * nb + j];
          if (p.bias) v += num::from_bits(bb[n0 + j], p.bf16);
          yb[i * p.ldy + n0 + j] = num::to_bits(v, p.bf16);
        }
    }
    return W4A16_OK;
  });
}
