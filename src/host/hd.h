// hd.h -- W4A16_HD: a function both the host code and the kernels call (inline on the host compiler,
// __host__ __device__ __forceinline__ under nvcc).
#pragma once

#if defined(__CUDACC__)
#define W4A16_HD __host__ __device__ __forceinline__
#else
#define W4A16_HD inline
#endif
