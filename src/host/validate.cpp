// validate.cpp -- every check at the API boundary, each with a message naming the value and what is
// accepted. Nothing here touches the GPU.
#include "host/internal.h"

namespace w4a16 {

w4a16_status validate_dtype(int dtype) {
  if (dtype != W4A16_FP16 && dtype != W4A16_BF16)
    return fail(W4A16_ERR_INVALID_ARGUMENT, "dtype=%d is not a dtype; accepted: W4A16_FP16 (0), W4A16_BF16 (1)", dtype);
  return W4A16_OK;
}

w4a16_status validate_weight_shape(int64_t n, int64_t k, int32_t group_size, int64_t* group_out) {
  if (n <= 0 || n > kMaxDim)
    return fail(W4A16_ERR_INVALID_SHAPE, "N=%lld is out of range; accepted: 1 <= N <= %lld", (long long)n,
                (long long)kMaxDim);
  if (k <= 0 || k > kMaxDim)
    return fail(W4A16_ERR_INVALID_SHAPE, "K=%lld is out of range; accepted: 1 <= K <= %lld", (long long)k,
                (long long)kMaxDim);
  if (n % 8 != 0) return fail(W4A16_ERR_INVALID_SHAPE, "N=%lld is not a multiple of 8", (long long)n);
  if (k % 32 != 0) return fail(W4A16_ERR_INVALID_SHAPE, "K=%lld is not a multiple of 32", (long long)k);
  if (group_size != W4A16_GROUP_PER_CHANNEL && group_size != 32 && group_size != 64 && group_size != 128 &&
      group_size != 256)
    return fail(W4A16_ERR_INVALID_GROUP,
                "group size %d is not supported; accepted: 32, 64, 128, 256, or 0 (W4A16_GROUP_PER_CHANNEL)",
                group_size);
  const int64_t g = group_size == W4A16_GROUP_PER_CHANNEL ? k : group_size;
  if (k % g != 0)
    return fail(W4A16_ERR_K_NOT_MULTIPLE_OF_GROUP, "K=%lld is not a multiple of group size %lld", (long long)k,
                (long long)g);
  if (group_out) *group_out = g;
  return W4A16_OK;
}

w4a16_status validate_problem(const w4a16_problem* p, Problem* out) {
  if (!p) return fail(W4A16_ERR_NULL_POINTER, "problem is NULL");
  if (p->m <= 0 || p->m > kMaxDim)
    return fail(W4A16_ERR_INVALID_SHAPE, "M=%lld is out of range; accepted: 1 <= M <= %lld", (long long)p->m,
                (long long)kMaxDim);
  if (w4a16_status s = validate_dtype(p->dtype)) return s;
  int64_t g = 0;
  if (w4a16_status s = validate_weight_shape(p->n, p->k, p->group_size, &g)) return s;
  Problem r;
  r.m = p->m;
  r.n = p->n;
  r.k = p->k;
  r.bf16 = p->dtype == W4A16_BF16;
  r.group = g;
  r.per_channel = p->group_size == W4A16_GROUP_PER_CHANNEL;
  r.zeros = p->has_zeros != 0;
  r.bias = p->has_bias != 0;
  r.lda = p->lda ? p->lda : p->k;
  r.ldy = p->ldy ? p->ldy : p->n;
  if (r.lda < r.k || r.lda % 8 != 0 || r.lda > kMaxDim)
    return fail(W4A16_ERR_INVALID_LEADING_DIM, "lda=%lld is invalid for K=%lld; accepted: K <= lda <= %lld, a "
                "multiple of 8", (long long)r.lda, (long long)r.k, (long long)kMaxDim);
  if (r.ldy < r.n || r.ldy % 8 != 0 || r.ldy > kMaxDim)
    return fail(W4A16_ERR_INVALID_LEADING_DIM, "ldy=%lld is invalid for N=%lld; accepted: N <= ldy <= %lld, a "
                "multiple of 8", (long long)r.ldy, (long long)r.n, (long long)kMaxDim);
  if (out) *out = r;
  return W4A16_OK;
}

w4a16_status validate_pointer(const void* ptr, const char* what) {
  if (!ptr) return fail(W4A16_ERR_NULL_POINTER, "%s is NULL", what);
  if (reinterpret_cast<uintptr_t>(ptr) % 16 != 0)
    return fail(W4A16_ERR_MISALIGNED_POINTER, "%s=%p is not 16-byte aligned", what, ptr);
  return W4A16_OK;
}

w4a16_status validate_weights_match(const w4a16_weights* w, const Problem& p) {
  if (!w) return fail(W4A16_ERR_NULL_POINTER, "weights is NULL");
  if (w->magic != W4A16_WEIGHTS_MAGIC)
    return fail(W4A16_ERR_WEIGHTS_MISMATCH, "weights were not filled in by w4a16_pack_host/w4a16_pack_device");
  if (w->dtype != W4A16_FP16 && w->dtype != W4A16_BF16)
    return fail(W4A16_ERR_WEIGHTS_MISMATCH, "weights hold dtype %d, which is not a dtype (the descriptor was edited)",
                (int)w->dtype);
  if (w->n != p.n || w->k != p.k)
    return fail(W4A16_ERR_WEIGHTS_MISMATCH, "weights are %lld x %lld (N x K) but the problem is N=%lld K=%lld",
                (long long)w->n, (long long)w->k, (long long)p.n, (long long)p.k);
  if (w->group_size != p.group)
    return fail(W4A16_ERR_WEIGHTS_MISMATCH, "weights have group size %d but the problem has %lld", w->group_size,
                (long long)p.group);
  if ((w->has_zeros != 0) != p.zeros)
    return fail(W4A16_ERR_WEIGHTS_MISMATCH, "weights are %s but the problem says %s",
                w->has_zeros ? "with zeros" : "symmetric", p.zeros ? "with zeros" : "symmetric");
  if ((w->dtype == W4A16_BF16) != p.bf16)
    return fail(W4A16_ERR_WEIGHTS_MISMATCH, "weights hold %s scales but the problem dtype is %s",
                dtype_name(w->dtype == W4A16_BF16), dtype_name(p.bf16));
  return W4A16_OK;
}

}  // namespace w4a16
