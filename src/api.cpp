// api.cpp -- the C API's device side: validation at the boundary, planning, launch. Every function
// clears the thread's error, validates everything before touching the GPU, and never synchronizes,
// except w4a16_pack_device, which reads back one flag (whether every scale is small) and so waits for
// its stream (check_small_scales).
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cstring>
#include <iterator>
#include <utility>

#include "dispatch/configs.h"
#include "dispatch/device.h"
#include "dispatch/heuristic.h"
#include "dispatch/residence.h"
#include "dispatch/tune_cache.h"
#include "host/internal.h"
#include "host/layout.h"
#include "host/packing.h"
#include "kernels/launch.h"

namespace w4a16 {

namespace {

struct Prepared {
  Problem p;
  const DeviceProps* dev = nullptr;
  int device = 0;
  Plan plan;
};

// Bytes a product reads of X or writes of Y: rows of `width` elements, `ld` apart.
size_t span_bytes(int64_t rows, int64_t ld, int64_t width) { return (size_t)((rows - 1) * ld + width) * 2; }

// Device-independent checks of a product: problem, weights descriptor, family, residence, size.
w4a16_status check_problem_weights(const w4a16_problem* prob, const w4a16_weights* w, Problem* p) {
  if (w4a16_status s = validate_problem(prob, p)) return s;
  if (w4a16_status s = validate_weights_match(w, *p)) return s;
  p->small_scales = w->small_scales == 1;
  if (w->family == W4A16_FAMILY_HOST) return fail(W4A16_ERR_WRONG_FAMILY, "weights are packed for the host family: "
                                                  "use w4a16_gemm_host, or pack for a GPU family");
  if (!w->on_device) return fail(W4A16_ERR_WRONG_FAMILY, "weights are in host memory (on_device = 0): copy them to "
                                 "the device and call w4a16_weights_set_data");
  return check_weight_bytes(w);
}

// Device part: properties, tuning-cache lookup, plan.
w4a16_status plan_on_device(const Problem& p, const w4a16_weights* w, int forced, Prepared* out) {
  out->p = p;
  if (w4a16_status s = device_props(-1, &out->dev, &out->device)) return s;
  int tuned = -1;
  if (forced < 0 && w->family != W4A16_FAMILY_REFERENCE)
    tuned = tune_lookup(TuneKey{out->dev->name, w->family, p.bf16, p.group, p.zeros, p.m, p.n, p.k});
  return make_plan(*out->dev, p, w->family, forced, tuned, &out->plan);
}

w4a16_status prepare(const w4a16_problem* prob, const w4a16_weights* w, int forced, Prepared* out) {
  Problem p;
  if (w4a16_status s = check_problem_weights(prob, w, &p)) return s;
  return plan_on_device(p, w, forced, out);
}

// Device memory the product reads or writes: `rows` runs of `width` bytes, `stride` bytes apart (one run
// for a contiguous buffer).
struct Span {
  const char* name;
  const void* p;
  int64_t rows, stride, width;  // width 0: not used by this product
  int64_t lo() const { return (int64_t)reinterpret_cast<uintptr_t>(p); }
  int64_t hi() const { return lo() + (rows - 1) * stride + width; }
};

int64_t floor_div(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// Whether some run of `s` shares a byte with [lo, hi): run j covers [s.lo() + j s.stride, + s.width).
bool runs_touch(const Span& s, int64_t lo, int64_t hi) {
  if (s.rows == 1) return s.lo() < hi && lo < s.lo() + s.width;
  const int64_t first = std::max<int64_t>(0, floor_div(lo - s.lo() - s.width, s.stride) + 1);
  const int64_t last = std::min<int64_t>(s.rows - 1, floor_div(hi - 1 - s.lo(), s.stride));
  return first <= last;
}

// Whether two spans share a byte. Disjoint bounding ranges are the common case; X and Y as column
// slices of one row-major buffer interleave without touching, so rows are compared then: in O(1) for
// equal strides (the runs meet iff some row distance d = i - j brings them within a width), else
// each run of the one with fewer rows against the other.
bool overlaps(const Span& a, const Span& b) {
  if (a.width <= 0 || b.width <= 0 || a.hi() <= b.lo() || b.hi() <= a.lo()) return false;
  if (a.rows == 1) return runs_touch(b, a.lo(), a.hi());
  if (b.rows == 1) return runs_touch(a, b.lo(), b.hi());
  if (a.stride == b.stride) {  // a's run i meets b's run j iff off + (i - j) stride is in (-a.width, b.width)
    const int64_t off = a.lo() - b.lo(), S = a.stride;
    const int64_t dmin = std::max<int64_t>(-(b.rows - 1), floor_div(-a.width - off, S) + 1);
    const int64_t dmax = std::min<int64_t>(a.rows - 1, -floor_div(-(b.width - off), S) - 1);
    return dmin <= dmax;
  }
  const Span& few = a.rows <= b.rows ? a : b;
  const Span& other = a.rows <= b.rows ? b : a;
  for (int64_t i = 0; i < few.rows; ++i)
    if (runs_touch(other, few.lo() + i * few.stride, few.lo() + i * few.stride + few.width)) return true;
  return false;
}

// Y and the workspace are written while X, the weights and bias are read (by other CTAs, in any
// order): a shared byte is a silently wrong Y (an in-place y == x above all), so it is refused. Without
// a workspace (`workspace_bytes` 0) Y against the others; with one, once the plan says how much of it
// is used, the workspace against all four.
w4a16_status check_disjoint(const Problem& p, const void* x, const w4a16_weights* w, const void* bias, const void* y,
                            const void* workspace, size_t workspace_bytes) {
  const Span xs{"x", x, p.m, p.lda * 2, p.k * 2}, ys{"y", y, p.m, p.ldy * 2, p.n * 2},
      ws{"weights->data", w->data, 1, 0, (int64_t)w->bytes}, bs{"bias", bias, 1, 0, p.bias ? p.n * 2 : 0},
      wk{"workspace", workspace, 1, 0, (int64_t)workspace_bytes};
  using Pair = std::pair<const Span*, const Span*>;
  const Pair y_pairs[] = {{&ys, &xs}, {&ys, &ws}, {&ys, &bs}}, wk_pairs[] = {{&wk, &ys}, {&wk, &xs}, {&wk, &ws}, {&wk, &bs}};
  const Pair* pairs = workspace_bytes ? wk_pairs : y_pairs;
  const size_t count = workspace_bytes ? std::size(wk_pairs) : std::size(y_pairs);
  for (size_t i = 0; i < count; ++i)
    if (const auto& [a, b] = pairs[i]; overlaps(*a, *b))
      return fail(W4A16_ERR_INVALID_ARGUMENT, "%s [%p, +%lld B) overlaps %s [%p, +%lld B): the product writes %s "
                  "while it uses %s", a->name, a->p, (long long)(a->hi() - a->lo()), b->name, b->p,
                  (long long)(b->hi() - b->lo()), a->name, b->name);
  return W4A16_OK;
}

w4a16_status gemm_impl(const w4a16_problem* prob, const void* x, const w4a16_weights* w, const void* bias, void* y,
                       void* workspace, size_t workspace_bytes, int forced, cudaStream_t stream) {
  clear_error();
  return guarded("w4a16_gemm", [&]() -> w4a16_status {
    Problem p;
    if (w4a16_status s = check_problem_weights(prob, w, &p)) return s;
    if (w4a16_status s = validate_pointer(x, "x")) return s;
    if (w4a16_status s = validate_pointer(y, "y")) return s;
    if (w4a16_status s = validate_pointer(w->data, "weights->data")) return s;
    if (p.bias)
      if (w4a16_status s = validate_pointer(bias, "bias")) return s;
    if (w4a16_status s = check_disjoint(p, x, w, bias, y, nullptr, 0)) return s;
    Prepared pr;
    if (w4a16_status s = plan_on_device(p, w, forced, &pr)) return s;
    if (w4a16_status s = check_workspace(pr.plan, workspace, workspace_bytes)) return s;
    if (pr.plan.workspace_bytes)
      if (w4a16_status s = check_disjoint(p, x, w, bias, y, workspace, pr.plan.workspace_bytes)) return s;
    if (w4a16_status s = check_reachable({{x, span_bytes(p.m, p.lda, p.k), "x"},
                                          {y, span_bytes(p.m, p.ldy, p.n), "y", true},
                                          {w->data, w->bytes, "weights->data"},
                                          {p.bias ? bias : nullptr, (size_t)p.n * 2, "bias"},
                                          {pr.plan.workspace_bytes ? workspace : nullptr, pr.plan.workspace_bytes,
                                           "workspace", true}},
                                         *pr.dev, pr.device, stream))
      return s;
    GemmArgs a{&pr.p, &pr.plan, pr.dev, pr.device, x, w, pr.p.bias ? bias : nullptr, y, workspace};
    switch (w->family) {
      case W4A16_FAMILY_SM90: return launch_sm90(a, stream);
      case W4A16_FAMILY_SM80: return launch_sm80(a, stream);
      case W4A16_FAMILY_REFERENCE: return launch_reference(a, nullptr, 0, pr.p.m, stream);
      default: return fail(W4A16_ERR_WRONG_FAMILY, "weights have no GPU family");
    }
  });
}

}  // namespace

w4a16_status check_workspace(const Plan& plan, const void* workspace, size_t workspace_bytes) {
  if (plan.workspace_bytes == 0) return W4A16_OK;
  if (workspace_bytes < plan.workspace_bytes)
    return fail(W4A16_ERR_WORKSPACE_TOO_SMALL, "workspace of %zu bytes is smaller than the %zu bytes this problem "
                "needs (w4a16_workspace_size)", workspace_bytes, plan.workspace_bytes);
  return validate_pointer(workspace, "workspace");
}

// For tests and `w4a16 bench`: the reference family's product as unrounded fp32 rows
// [m_begin, m_begin + m_count) into y32 ([m_count][n], dense).
w4a16_status gemm_reference_f32(const w4a16_problem* prob, const void* x, const w4a16_weights* w, const void* bias,
                                float* y32, int64_t m_begin, int64_t m_count, cudaStream_t stream) {
  clear_error();
  Prepared pr;
  if (w4a16_status s = prepare(prob, w, -1, &pr)) return s;
  if (w->family != W4A16_FAMILY_REFERENCE)
    return fail(W4A16_ERR_WRONG_FAMILY, "gemm_reference_f32 needs weights packed for the reference family");
  if (w4a16_status s = validate_pointer(x, "x")) return s;
  if (!y32) return fail(W4A16_ERR_NULL_POINTER, "y32 is NULL");
  if (m_begin < 0 || m_count < 1 || m_begin + m_count > pr.p.m)
    return fail(W4A16_ERR_INVALID_ARGUMENT, "rows [%lld, %lld) are outside M=%lld", (long long)m_begin,
                (long long)(m_begin + m_count), (long long)pr.p.m);
  if (w4a16_status s = check_reachable({{x, span_bytes(pr.p.m, pr.p.lda, pr.p.k), "x"},
                                        {y32, (size_t)(m_count * pr.p.n) * 4, "y32", true},
                                        {w->data, w->bytes, "weights->data"},
                                        {pr.p.bias ? bias : nullptr, (size_t)pr.p.n * 2, "bias"}},
                                       *pr.dev, pr.device, stream))
    return s;
  GemmArgs a{&pr.p, &pr.plan, pr.dev, pr.device, x, w, pr.p.bias ? bias : nullptr, nullptr, nullptr};
  return launch_reference(a, y32, m_begin, m_count, stream);
}

// For tests and the tuner: the plan w4a16_gemm would run.
w4a16_status plan_for(const w4a16_problem* prob, const w4a16_weights* w, int forced, Plan* plan) {
  clear_error();
  Prepared pr;
  if (w4a16_status s = prepare(prob, w, forced, &pr)) return s;
  *plan = pr.plan;
  return W4A16_OK;
}

}  // namespace w4a16

using namespace w4a16;

extern "C" {

int32_t w4a16_device_count(void) {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    cudaGetLastError();
    return 0;
  }
  return n;
}

const char* w4a16_compiled_targets(void) { return W4A16_COMPILED_TARGETS; }

w4a16_status w4a16_select_family(int device, w4a16_family* family) {
  clear_error();
  return guarded("w4a16_select_family", [&]() -> w4a16_status {
    if (!family) return fail(W4A16_ERR_NULL_POINTER, "family is NULL");
    const DeviceProps* d = nullptr;
    if (w4a16_status s = device_props(device, &d)) return s;
    return default_family(*d, family);
  });
}

w4a16_status w4a16_get_device_info(int device, w4a16_device_info* info) {
  clear_error();
  return guarded("w4a16_get_device_info", [&]() -> w4a16_status {
    if (!info) return fail(W4A16_ERR_NULL_POINTER, "info is NULL");
    const DeviceProps* d = nullptr;
    int dev = 0;
    if (w4a16_status s = device_props(device, &d, &dev)) return s;
    std::memset(info, 0, sizeof *info);
    std::strncpy(info->name, d->name.c_str(), sizeof info->name - 1);
    info->device = dev;
    info->cc_major = d->cc_major;
    info->cc_minor = d->cc_minor;
    info->sm_count = d->sm_count;
    info->global_mem_bytes = d->global_mem;  // from the properties: no cudaSetDevice, no context made
    info->l2_bytes = d->l2_bytes;
    info->smem_per_block_optin = d->smem_optin;
    w4a16_family f = W4A16_FAMILY_AUTO;
    info->supported = default_family(*d, &f) == W4A16_OK;
    info->family = info->supported ? f : W4A16_FAMILY_AUTO;
    if (!info->supported) clear_error();
    return W4A16_OK;
  });
}

w4a16_status w4a16_pack_device(const w4a16_canonical* src, w4a16_family family, void* dst, size_t dst_bytes,
                               w4a16_weights* out, cudaStream_t stream) {
  clear_error();
  return guarded("w4a16_pack_device", [&]() -> w4a16_status {
    if (w4a16_status s = check_family(family, true)) return s;
    if (family == W4A16_FAMILY_HOST) return fail(W4A16_ERR_WRONG_FAMILY, "the host family lives in host memory: use w4a16_pack_host");
    int64_t g = 0;
    if (w4a16_status s = check_canonical_desc(src, &g)) return s;
    if (!out) return fail(W4A16_ERR_NULL_POINTER, "out is NULL");
    if (w4a16_status s = validate_pointer(dst, "dst")) return s;
    if (w4a16_status s = validate_pointer(src->codes, "codes")) return s;
    if (w4a16_status s = validate_pointer(src->scales, "scales")) return s;
    if (src->has_zeros)
      if (w4a16_status s = validate_pointer(src->zeros, "zeros")) return s;
    const DeviceProps* d = nullptr;
    int device = 0;
    if (w4a16_status s = device_props(-1, &d, &device)) return s;
    if (family == W4A16_FAMILY_AUTO)
      if (w4a16_status s = default_family(*d, &family)) return s;
    if (w4a16_status s = family_runs_on(family, *d)) return s;
    const layout::Sections sec = sections_for(family, src->n, src->k, g, src->has_zeros != 0);
    if (dst_bytes < sec.total)
      return fail(W4A16_ERR_BUFFER_TOO_SMALL, "dst holds %zu bytes but packed weights need %zu", dst_bytes, sec.total);
    // The pack reads a flag back (check_small_scales), which a stream being captured cannot do: refuse it
    // before any work is enqueued, so the capture stays valid.
    cudaStreamCaptureStatus capture = cudaStreamCaptureStatusNone;
    const cudaError_t queried = cudaStreamIsCapturing(stream, &capture);
    if (queried != cudaSuccess || capture != cudaStreamCaptureStatusNone) {
      cudaGetLastError();
      return fail(W4A16_ERR_INVALID_ARGUMENT,
                  "w4a16_pack_device reads a flag back and cannot run on a stream being captured into a CUDA graph "
                  "(%s); pack before capturing",
                  queried != cudaSuccess ? cudaGetErrorName(queried) : "the stream is capturing");
    }
    if (w4a16_status s = check_pending("w4a16_pack_device")) return s;
    const layout::Sections canon = layout::canonical_sections(src->n, src->k, g, src->has_zeros != 0);
    if (w4a16_status s = check_reachable({{dst, sec.total, "dst", true}, {src->codes, canon.codes_bytes, "codes"},
                                          {src->scales, canon.scales_bytes, "scales"},
                                          {src->has_zeros ? src->zeros : nullptr, canon.zeros_bytes, "zeros"}},
                                         *d, device, stream, Memo::Ask))
      return s;
    if (family_uses_mma_layout(family)) {
      if (w4a16_status s = launch_pack_mma(*src, g, dst, stream)) return s;
    } else {
      auto* b = static_cast<uint8_t*>(dst);
      if (cudaMemsetAsync(b, 0, sec.total, stream) != cudaSuccess ||
          cudaMemcpyAsync(b + sec.codes_off, src->codes, sec.codes_bytes, cudaMemcpyDeviceToDevice, stream) != cudaSuccess ||
          cudaMemcpyAsync(b + sec.scales_off, src->scales, sec.scales_bytes, cudaMemcpyDeviceToDevice, stream) != cudaSuccess ||
          (src->has_zeros && cudaMemcpyAsync(b + sec.zeros_off, src->zeros, sec.zeros_bytes, cudaMemcpyDeviceToDevice,
                                             stream) != cudaSuccess))
        return check_launch("copying canonical weights");
    }
    bool small = false;
    if (w4a16_status s = check_small_scales(static_cast<const uint16_t*>(src->scales), src->n * (src->k / g),
                                            src->dtype == W4A16_BF16, stream, &small))
      return s;
    fill_weights(out, family, src, g, dst, sec.total, true, small);
    return W4A16_OK;
  });
}

w4a16_status w4a16_unpack_device(const w4a16_weights* w, const w4a16_canonical* dst, cudaStream_t stream) {
  clear_error();
  return guarded("w4a16_unpack_device", [&]() -> w4a16_status {
    if (w4a16_status s = check_unpack_target(w, dst)) return s;
    if (!w->on_device) return fail(W4A16_ERR_WRONG_FAMILY, "weights are in host memory: use w4a16_unpack_host");
    if (w4a16_status s = check_weight_bytes(w)) return s;
    if (w4a16_status s = validate_pointer(dst->codes, "codes")) return s;
    if (w4a16_status s = validate_pointer(dst->scales, "scales")) return s;
    if (w->has_zeros)
      if (w4a16_status s = validate_pointer(dst->zeros, "zeros")) return s;
    if (w4a16_status s = check_pending("w4a16_unpack_device")) return s;
    const DeviceProps* d = nullptr;
    int device = 0;
    if (w4a16_status s = device_props(-1, &d, &device)) return s;
    const layout::Sections canon = layout::canonical_sections(w->n, w->k, w->group_size, w->has_zeros != 0);
    if (w4a16_status s = check_reachable({{w->data, w->bytes, "weights->data"},
                                          {dst->codes, canon.codes_bytes, "codes", true},
                                          {dst->scales, canon.scales_bytes, "scales", true},
                                          {w->has_zeros ? dst->zeros : nullptr, canon.zeros_bytes, "zeros", true}},
                                         *d, device, stream, Memo::Ask))
      return s;
    if (family_uses_mma_layout(w->family)) return launch_unpack_mma(*w, *dst, stream);
    const layout::Sections sec = sections_for(w->family, w->n, w->k, w->group_size, w->has_zeros != 0);
    const auto* b = static_cast<const uint8_t*>(w->data);
    if (cudaMemcpyAsync(dst->codes, b + sec.codes_off, sec.codes_bytes, cudaMemcpyDeviceToDevice, stream) != cudaSuccess ||
        cudaMemcpyAsync(dst->scales, b + sec.scales_off, sec.scales_bytes, cudaMemcpyDeviceToDevice, stream) != cudaSuccess ||
        (w->has_zeros && cudaMemcpyAsync(dst->zeros, b + sec.zeros_off, sec.zeros_bytes, cudaMemcpyDeviceToDevice,
                                         stream) != cudaSuccess))
      return check_launch("copying canonical weights");
    return W4A16_OK;
  });
}

w4a16_status w4a16_workspace_size(const w4a16_problem* p, const w4a16_weights* w, size_t* bytes) {
  return w4a16_workspace_size_config(p, w, -1, bytes);
}

w4a16_status w4a16_workspace_size_config(const w4a16_problem* p, const w4a16_weights* w, int32_t index,
                                         size_t* bytes) {
  clear_error();
  return guarded("w4a16_workspace_size_config", [&]() -> w4a16_status {
    if (!bytes) return fail(W4A16_ERR_NULL_POINTER, "bytes is NULL");
    Prepared pr;
    if (w4a16_status s = prepare(p, w, index, &pr)) return s;
    *bytes = pr.plan.workspace_bytes;
    return W4A16_OK;
  });
}

w4a16_status w4a16_workspace_init(void* workspace, size_t bytes, cudaStream_t stream) {
  clear_error();
  return guarded("w4a16_workspace_init", [&]() -> w4a16_status {
    if (bytes == 0) return W4A16_OK;
    if (w4a16_status s = validate_pointer(workspace, "workspace")) return s;
    if (cudaMemsetAsync(workspace, 0, bytes, stream) != cudaSuccess) return check_launch("cudaMemsetAsync(workspace)");
    return W4A16_OK;
  });
}

w4a16_status w4a16_gemm(const w4a16_problem* p, const void* x, const w4a16_weights* w, const void* bias, void* y,
                        void* workspace, size_t workspace_bytes, cudaStream_t stream) {
  return gemm_impl(p, x, w, bias, y, workspace, workspace_bytes, -1, stream);
}

w4a16_status w4a16_gemm_config(const w4a16_problem* p, const void* x, const w4a16_weights* w, const void* bias,
                               void* y, void* workspace, size_t workspace_bytes, int32_t index, cudaStream_t stream) {
  return gemm_impl(p, x, w, bias, y, workspace, workspace_bytes, index < 0 ? -1 : index, stream);
}

w4a16_status w4a16_config_count(w4a16_family family, int32_t* count) {
  clear_error();
  if (!count) return fail(W4A16_ERR_NULL_POINTER, "count is NULL");
  switch (family) {
    case W4A16_FAMILY_SM90: *count = cfg::kSm90ConfigCount; return W4A16_OK;
    case W4A16_FAMILY_SM80: *count = cfg::kSm80ConfigCount; return W4A16_OK;
    case W4A16_FAMILY_REFERENCE: *count = 1; return W4A16_OK;
    default: return fail(W4A16_ERR_INVALID_ARGUMENT, "family %d has no configuration table", (int)family);
  }
}

w4a16_status w4a16_config_name(w4a16_family family, int32_t index, const char** name) {
  clear_error();
  if (!name) return fail(W4A16_ERR_NULL_POINTER, "name is NULL");
  int32_t count = 0;
  if (w4a16_status s = w4a16_config_count(family, &count)) return s;
  if (index < 0 || index >= count)
    return fail(W4A16_ERR_UNSUPPORTED_CONFIG, "config %d does not exist for %s; valid: 0..%d", index,
                w4a16_family_name(family), count - 1);
  *name = family == W4A16_FAMILY_SM90 ? cfg::kSm90Configs[index].name
          : family == W4A16_FAMILY_SM80 ? cfg::kSm80Configs[index].name
                                        : "simple";
  return W4A16_OK;
}

w4a16_status w4a16_chosen_config(const w4a16_problem* p, const w4a16_weights* w, int32_t* index) {
  clear_error();
  return guarded("w4a16_chosen_config", [&]() -> w4a16_status {
    if (!index) return fail(W4A16_ERR_NULL_POINTER, "index is NULL");
    Prepared pr;
    if (w4a16_status s = prepare(p, w, -1, &pr)) return s;
    *index = pr.plan.config;
    return W4A16_OK;
  });
}

w4a16_status w4a16_tune_cache_load(const char* path) {
  clear_error();
  return guarded("w4a16_tune_cache_load", [&]() -> w4a16_status {
    return tune_load(path);
  });
}

w4a16_status w4a16_tune_cache_clear(void) {
  clear_error();
  tune_clear();
  return W4A16_OK;
}

}  // extern "C"
