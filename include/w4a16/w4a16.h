/* w4a16.h -- the C API (and ABI) of w4a16: 4-bit-weight, 16-bit-activation matrix products.
 *
 *   Y[M,N] = X[M,K] * W^[N,K]^T (+ bias[N])        (the nn.Linear convention)
 *
 * X, Y and bias are fp16 or bf16 (one dtype per call), accumulation is fp32, Y is rounded once.
 * W^ is dequantized from 4-bit codes q in [0,15] with one scale s (and optionally one zero z) per
 * group of g consecutive K elements of one output row n:
 *   symmetric:  W^ = (q - 8) * s
 *   with zeros: W^ = q * s + z          (z is a floating offset in the activation dtype)
 * The bit-exact definition is docs/FORMAT.md.
 *
 * Conventions
 * - Every function returns a w4a16_status. On failure, w4a16_last_error() returns a message for the
 *   calling thread that names the offending value and what is accepted. No function throws, aborts
 *   or prints.
 * - Device functions (w4a16_gemm, w4a16_unpack_device) are stream-ordered: they validate on the host,
 *   enqueue work on `stream` and return; they never synchronize and never allocate. The exception is
 *   w4a16_pack_device (a one-time step): it reads one flag back, so it returns after the work on
 *   `stream` is done (it waits for that stream; on a device without memory pools, for the device: see
 *   its declaration) and cannot be captured into a CUDA graph (on a capturing stream it fails with
 *   W4A16_ERR_INVALID_ARGUMENT before enqueuing work). Host functions (_host suffix) work on host
 *   memory and return when done.
 * - Weights are given in the canonical format (w4a16_canonical) and packed once, by the library, for
 *   one kernel family (w4a16_weights). The packed bytes are opaque; their size is w4a16_packed_size().
 * - Pointers handed to device functions must be 16-byte aligned; leading dimensions are in elements
 *   and must be multiples of 8.
 */
#ifndef W4A16_W4A16_H
#define W4A16_W4A16_H

#include <stddef.h>
#include <stdint.h>

#include <cuda_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define W4A16_API __declspec(dllexport)
#else
#define W4A16_API __attribute__((visibility("default")))
#endif

#define W4A16_VERSION_MAJOR 0
#define W4A16_VERSION_MINOR 1
#define W4A16_VERSION_PATCH 0

/* ---- status ------------------------------------------------------------------------------------ */
typedef enum w4a16_status {
  W4A16_OK = 0,
  W4A16_ERR_INVALID_ARGUMENT = 1,   /* an enum out of range, a NULL output argument, overlapping
                                       buffers, a buffer the device cannot reach, ...                */
  W4A16_ERR_INVALID_SHAPE = 2,      /* M, N or K <= 0 or > 2^30, N % 8 != 0, K % 32 != 0            */
  W4A16_ERR_INVALID_GROUP = 3,      /* group size not in {32, 64, 128, 256, per-channel}            */
  W4A16_ERR_K_NOT_MULTIPLE_OF_GROUP = 4,
  W4A16_ERR_INVALID_LEADING_DIM = 5,/* lda < K, ldy < N, either > 2^30 or not a multiple of 8       */
  W4A16_ERR_NULL_POINTER = 6,
  W4A16_ERR_MISALIGNED_POINTER = 7, /* a device pointer that is not 16-byte aligned                 */
  W4A16_ERR_WEIGHTS_MISMATCH = 8,   /* packed weights not from w4a16_pack*, or their shape, group,
                                       zeros or dtype differ from the problem                       */
  W4A16_ERR_WRONG_FAMILY = 9,       /* weights packed for a family this device cannot run, or a
                                       host/device mismatch                                          */
  W4A16_ERR_WORKSPACE_TOO_SMALL = 10,
  W4A16_ERR_NO_DEVICE = 11,         /* no CUDA device, or no driver                                 */
  W4A16_ERR_UNSUPPORTED_DEVICE = 12,/* compute capability below 8.0, or this build holds no code for
                                       the device (w4a16_compiled_targets)                          */
  W4A16_ERR_UNSUPPORTED_CONFIG = 13,/* a forced configuration that does not exist or cannot run     */
  W4A16_ERR_CUDA = 14,              /* a CUDA runtime call failed; the message carries its error     */
  W4A16_ERR_BUFFER_TOO_SMALL = 15,  /* an output buffer smaller than w4a16_packed_size(), or a
                                       buffer whose allocation ends before what the call uses of it  */
  W4A16_ERR_IO = 16,                /* tuning cache file could not be read or parsed                */
  W4A16_ERR_INTERNAL = 17,
  W4A16_ERR_OUT_OF_MEMORY = 18      /* host memory could not be allocated (the _host functions'
                                       scratch above all)                                            */
} w4a16_status;

/* Short fixed name of a status ("W4A16_ERR_INVALID_SHAPE"). Never NULL. */
W4A16_API const char* w4a16_status_name(w4a16_status s);
/* Message of the last failed call on this thread ("" if none). Valid until the next w4a16 call on
 * this thread. */
W4A16_API const char* w4a16_last_error(void);
/* "0.1.0" */
W4A16_API const char* w4a16_version(void);

/* ---- types ------------------------------------------------------------------------------------- */
typedef enum w4a16_dtype { W4A16_FP16 = 0, W4A16_BF16 = 1 } w4a16_dtype;

/* Source precision of unquantized weights given to the quantizer. */
typedef enum w4a16_src_dtype { W4A16_SRC_FP32 = 0, W4A16_SRC_FP16 = 1, W4A16_SRC_BF16 = 2 } w4a16_src_dtype;

/* Kernel families. A packed weight buffer belongs to exactly one. */
typedef enum w4a16_family {
  W4A16_FAMILY_AUTO = 0,      /* pack: choose the family the current device runs best              */
  W4A16_FAMILY_REFERENCE = 1, /* simple GPU kernel, one thread per output (canonical layout)      */
  W4A16_FAMILY_SM80 = 2,      /* mma.sync family: CC 8.x, 9.0, 10.x, 12.x                          */
  W4A16_FAMILY_SM90 = 3,      /* TMA + wgmma family (+ a gemv decode kernel): CC 9.0 exactly       */
  W4A16_FAMILY_HOST = 4       /* CPU backend: canonical layout in host memory                      */
} w4a16_family;
W4A16_API const char* w4a16_family_name(w4a16_family f); /* "auto","reference","sm80","sm90","host" */

/* Group size value meaning "one group per output row" (g = K). */
#define W4A16_GROUP_PER_CHANNEL 0

/* One matrix product. lda/ldy 0 mean K and N. */
typedef struct w4a16_problem {
  int64_t m, n, k;
  w4a16_dtype dtype;
  int32_t group_size; /* 32, 64, 128, 256 or W4A16_GROUP_PER_CHANNEL */
  int32_t has_zeros;  /* 0: symmetric, W^=(q-8)s;  1: W^ = q*s + z   */
  int32_t has_bias;
  int64_t lda;        /* X row stride in elements (>= K, multiple of 8), 0 = K */
  int64_t ldy;        /* Y row stride in elements (>= N, multiple of 8), 0 = N */
} w4a16_problem;

/* Quantized weights in the canonical format (docs/FORMAT.md):
 *   codes  uint8 [n][k/2], row n contiguous, element k in byte k/2, low nibble for even k
 *   scales dtype [n][k/g]
 *   zeros  dtype [n][k/g] (only if has_zeros; NULL otherwise)
 * Pointers are host or device memory depending on the function they are given to. */
typedef struct w4a16_canonical {
  int64_t n, k;
  int32_t group_size;
  int32_t has_zeros;
  w4a16_dtype dtype;
  void* codes;
  void* scales;
  void* zeros;
} w4a16_canonical;

/* Packed weights: filled in by w4a16_pack_host / w4a16_pack_device, read by w4a16_gemm. The buffer
 * `data` is the caller's (w4a16_packed_size bytes) and must outlive every use. Do not edit fields. */
typedef struct w4a16_weights {
  uint32_t magic;  /* W4A16_WEIGHTS_MAGIC once packed */
  w4a16_family family;
  w4a16_dtype dtype;
  int32_t group_size; /* resolved: per-channel is stored as k */
  int32_t has_zeros;
  int32_t on_device;  /* 1: data is device memory; 0: host memory */
  int64_t n, k;
  void* data;
  size_t bytes;
  int32_t small_scales; /* 1: every scale is finite with |s| < 0.25 (the pack checks). The sm90
                           16- to 64-token tiles (bf16: 16- to 128-token) and the sm80 tiles with
                           whole-group scales dequantize such weights faster when the group covers a
                           k-block; 0 only costs speed there (docs/FORMAT.md) */
} w4a16_weights;
#define W4A16_WEIGHTS_MAGIC 0x57344136u /* "W4A6" */

/* ---- quantizer (host) -------------------------------------------------------------------------- */
/* Round-to-nearest quantization of w [n][k] (row n contiguous, src dtype) into the canonical format,
 * per group of g elements of a row. Symmetric: s = max|w| / 7 (rounded to dtype), q = clamp(rint(w/s),
 * -8, 7) + 8. With zeros: s = (max - min) / 15, z = min (both rounded to dtype), q = clamp(rint((w -
 * z)/s), 0, 15). A group of equal values gets s = 0 and reproduces them exactly (up to dtype). Refused
 * (W4A16_ERR_INVALID_ARGUMENT, before anything is written): non-finite weights, and groups whose s or z,
 * or the largest code's value (7 s; with zeros z + 15 s), rounds to infinity in the dtype. `out`
 * describes the destination: its n, k, group_size, has_zeros, dtype and host pointers. */
W4A16_API w4a16_status w4a16_quantize_host(const void* w, w4a16_src_dtype src_dtype, const w4a16_canonical* out);

/* W^ [n][k] as float, computed exactly as the kernels compute it (rounded to the dtype), from host
 * canonical weights. */
W4A16_API w4a16_status w4a16_dequantize_host(const w4a16_canonical* q, float* w_out);

/* ---- packing ----------------------------------------------------------------------------------- */
/* Bytes of the packed buffer for weights of shape n x k (group size, zeros) for `family`. AUTO is not
 * accepted here (the size depends on the family: pass the family from w4a16_device_info or
 * w4a16_select_family). */
W4A16_API w4a16_status w4a16_packed_size(w4a16_family family, int64_t n, int64_t k, int32_t group_size,
                                         int32_t has_zeros, size_t* bytes);

/* Family a device runs by default: SM90 on CC 9.0, SM80 on CC >= 8.0 otherwise. device < 0 means the
 * current device. Fails with W4A16_ERR_NO_DEVICE / W4A16_ERR_UNSUPPORTED_DEVICE. */
W4A16_API w4a16_status w4a16_select_family(int device, w4a16_family* family);

/* Pack host canonical weights `src` into the host buffer `dst` (dst_bytes >= w4a16_packed_size) for
 * `family` (not AUTO). `out` is filled with on_device = 0; copy `dst` to the device and call
 * w4a16_weights_set_data to use it with w4a16_gemm. */
W4A16_API w4a16_status w4a16_pack_host(const w4a16_canonical* src, w4a16_family family, void* dst, size_t dst_bytes,
                                       w4a16_weights* out);
/* Same on the device: src pointers and dst are memory the current device reaches (as for w4a16_gemm:
 * host canonical weights are refused, W4A16_ERR_INVALID_ARGUMENT); work is enqueued on `stream`. AUTO picks
 * the current device's family. The driver is asked about every buffer on every call (nothing is remembered,
 * unlike w4a16_gemm), so a dst shorter than dst_bytes is refused (W4A16_ERR_BUFFER_TOO_SMALL) even at the
 * address of a longer buffer freed before. Returns after the work on `stream` is done: it reads back whether every
 * scale is small (w4a16_weights::small_scales), which the descriptor needs, through 4 bytes from the
 * stream-ordered allocator (cudaMallocAsync), so other streams keep running. On a device without
 * memory pools (cudaDevAttrMemoryPoolsSupported = 0), or if that allocation fails, the 4 bytes come
 * from cudaMalloc, and their cudaFree synchronizes the device. A stream being captured into a CUDA
 * graph is refused (W4A16_ERR_INVALID_ARGUMENT) before any work is enqueued. */
W4A16_API w4a16_status w4a16_pack_device(const w4a16_canonical* src, w4a16_family family, void* dst,
                                         size_t dst_bytes, w4a16_weights* out, cudaStream_t stream);
/* Point packed weights at a copy of their bytes (e.g. after cudaMemcpy of a host-packed buffer):
 * sets data and on_device. The copy must hold the same bytes. */
W4A16_API w4a16_status w4a16_weights_set_data(w4a16_weights* w, void* data, int32_t on_device);
/* Unpack to canonical. `dst` gives the destination pointers (host for _host, device for _device, where
 * they and the weights must be memory the current device reaches, as for w4a16_gemm, asked on every call as
 * for w4a16_pack_device); its shape fields must match `w`. */
W4A16_API w4a16_status w4a16_unpack_host(const w4a16_weights* w, const w4a16_canonical* dst);
W4A16_API w4a16_status w4a16_unpack_device(const w4a16_weights* w, const w4a16_canonical* dst, cudaStream_t stream);

/* ---- the product ------------------------------------------------------------------------------- */
/* Bytes of device workspace w4a16_gemm needs for problem `p` with weights `w` on the current device
 * (0 when the chosen kernel does not split K). A workspace starts with a 256 KiB block of split-K
 * counters; the rest is scratch. It needs no zeroing: memory fresh from any allocator (a framework's
 * caching allocator included) works as it is, because a counter that the launch did not set itself
 * is recognised as such and the splits count again beside it, tagged with the launch (a chance of
 * about 2^-48 per counter of misreading leftover bytes, each time a counter is found dirty). Every
 * w4a16_gemm leaves the counters it used zero, so reusing a workspace skips that recount (a dirty
 * counter costs the split-K fixup a few compare-and-swaps). One workspace of the largest
 * w4a16_workspace_size among the problems it serves (the size does not grow with the problem: decode
 * shapes that split K need one, large M often none) serves every later product on the same stream.
 * Products that may run concurrently (different streams, parallel branches of a graph) need separate
 * workspaces: sharing one between them is not detected, gives a wrong Y and can leave counters that
 * stay wrong, as can a kernel that did not complete; w4a16_workspace_init (a memset to zero) restores
 * such a workspace and is otherwise optional. */
W4A16_API w4a16_status w4a16_workspace_size(const w4a16_problem* p, const w4a16_weights* w, size_t* bytes);
W4A16_API w4a16_status w4a16_workspace_init(void* workspace, size_t bytes, cudaStream_t stream);

/* Y = X * W^T (+ bias). x: [m][lda], y: [m][ldy], bias: [n] (ignored unless has_bias), all in p->dtype
 * and in memory the current device reaches (below); w packed for a GPU family and on the device. Y may not
 * overlap X, the weights, bias or the workspace (W4A16_ERR_INVALID_ARGUMENT), nor the workspace the
 * others. Each buffer must be memory the current device reaches, as the driver reports it
 * (cuPointerGetAttributes): its own device memory, managed memory, or pinned or registered host memory.
 * Pageable host memory, an address of no allocation, or another device's memory (with or without peer
 * access: a rule based on the driver's access flags was seen to pass it without peer access) is refused
 * (W4A16_ERR_INVALID_ARGUMENT) before anything is enqueued, where a kernel would have ended the
 * context; except on devices with pageable memory access (cudaDevAttrPageableMemoryAccess: HMM, ATS), and
 * on a stream being captured (a cudaMallocAsync allocation made during the capture is not known yet),
 * where those cannot be told from good memory and are passed. A buffer whose allocation (cudaMalloc's, a
 * pool's, a registered range, a cuMemAddressReserve range) ends before the bytes the product uses of it
 * is refused too (W4A16_ERR_BUFFER_TOO_SMALL: X's (M-1)*lda + K elements, Y's (M-1)*ldy + N, bias's N,
 * the packed bytes, the workspace the plan uses). Device and managed addresses found good are remembered
 * per thread with their allocation's end (2048 slots), so the query (~0.2 us) is paid once per buffer
 * while the buffers in use fit, and the checks hold when a thread first passes an address: a buffer freed
 * and allocated again at the same address, shorter or on another device, is taken as before.
 * Stream-ordered; no sync, no alloc. */
W4A16_API w4a16_status w4a16_gemm(const w4a16_problem* p, const void* x, const w4a16_weights* w, const void* bias,
                                  void* y, void* workspace, size_t workspace_bytes, cudaStream_t stream);

/* CPU backend: same operation on host memory, w packed for W4A16_FAMILY_HOST; multi-threaded. */
W4A16_API w4a16_status w4a16_gemm_host(const w4a16_problem* p, const void* x, const w4a16_weights* w,
                                       const void* bias, void* y);

/* ---- configurations, tuning -------------------------------------------------------------------- */
/* Each GPU family has a fixed table of kernel configurations. config_count/config_name list them;
 * w4a16_gemm_config runs one by index (-1 = the heuristic's or the tuning cache's choice);
 * w4a16_chosen_config tells which one w4a16_gemm would run. */
W4A16_API w4a16_status w4a16_config_count(w4a16_family family, int32_t* count);
W4A16_API w4a16_status w4a16_config_name(w4a16_family family, int32_t index, const char** name);
W4A16_API w4a16_status w4a16_chosen_config(const w4a16_problem* p, const w4a16_weights* w, int32_t* index);
W4A16_API w4a16_status w4a16_workspace_size_config(const w4a16_problem* p, const w4a16_weights* w, int32_t index,
                                                   size_t* bytes);
W4A16_API w4a16_status w4a16_gemm_config(const w4a16_problem* p, const void* x, const w4a16_weights* w,
                                         const void* bias, void* y, void* workspace, size_t workspace_bytes,
                                         int32_t index, cudaStream_t stream);
/* Tuning cache (written by `w4a16 tune`; format in docs/TUNING.md). Loaded automatically on first
 * use from the file named by the environment variable W4A16_TUNE_CACHE, or explicitly here (replaces
 * what was loaded). Entries are matched exactly on (device name, family, dtype, group, zeros, m, n, k). */
W4A16_API w4a16_status w4a16_tune_cache_load(const char* path);
W4A16_API w4a16_status w4a16_tune_cache_clear(void);

/* ---- device information ------------------------------------------------------------------------ */
typedef struct w4a16_device_info {
  char name[256];
  int32_t device;
  int32_t cc_major, cc_minor;
  int32_t sm_count;
  int64_t global_mem_bytes;
  int32_t l2_bytes;
  int32_t smem_per_block_optin;
  w4a16_family family;         /* what w4a16_select_family picks; AUTO (0) if unsupported      */
  int32_t supported;           /* 1 if CC >= 8.0                                                */
} w4a16_device_info;
W4A16_API w4a16_status w4a16_get_device_info(int device, w4a16_device_info* info);
/* Number of CUDA devices (0 without a GPU or driver; never an error). */
W4A16_API int32_t w4a16_device_count(void);
/* The targets this library was compiled for, e.g. "sm_80 sm_86 sm_89 sm_90a sm_120 compute_80". */
W4A16_API const char* w4a16_compiled_targets(void);

#ifdef __cplusplus
} /* extern "C" */
#endif
#endif /* W4A16_W4A16_H */
