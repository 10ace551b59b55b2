// reference.cpp -- the obviously-correct loop: dequantize, multiply, sum in double.
#include <vector>

#include "host/numeric.h"
#include "host/parallel.h"
#include "host/reference.h"

namespace w4a16 {

w4a16_status reference_gemm(const Problem& p, const uint16_t* x, const w4a16_canonical& w, const uint16_t* bias,
                            double* y) {
  std::vector<float> wd((size_t)(p.n * p.k));
  if (w4a16_status s = w4a16_dequantize_host(&w, wd.data())) return s;
  parallel_for(p.m, 1, [&](int64_t m0, int64_t m1) {
    std::vector<double> xr((size_t)p.k);
    for (int64_t m = m0; m < m1; ++m) {
      for (int64_t i = 0; i < p.k; ++i) xr[i] = num::from_bits(x[m * p.lda + i], p.bf16);
      for (int64_t n = 0; n < p.n; ++n) {
        const float* wr = &wd[(size_t)(n * p.k)];
        double acc = 0;
        for (int64_t i = 0; i < p.k; ++i) acc += xr[i] * (double)wr[i];
        if (p.bias) acc += num::from_bits(bias[n], p.bf16);
        y[m * p.n + n] = acc;
      }
    }
  });
  return W4A16_OK;
}

}  // namespace w4a16
