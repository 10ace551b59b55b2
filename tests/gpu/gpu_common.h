// gpu_common.h -- GPU test plumbing: every case skips (and says so) without a CUDA device.
#pragma once
#include <gtest/gtest.h>

#include <string>

#include "testkit/testkit.h"

extern bool g_have_gpu;

#define W4A16_REQUIRE_GPU()                                         \
  do {                                                              \
    if (!g_have_gpu) GTEST_SKIP() << "SKIPPED: no CUDA device";     \
  } while (0)

// Compute capability of the current device (major * 10 + minor); 0 without a GPU.
int device_cc();
