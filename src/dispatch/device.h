// device.h -- device properties read once per device and cached (attribute queries never sync).
#pragma once
#include "dispatch/heuristic.h"

namespace w4a16 {

// Properties of `device` (< 0: the current device). W4A16_ERR_NO_DEVICE without a GPU or driver.
w4a16_status device_props(int device, const DeviceProps** out, int* resolved_device = nullptr);

// Whether this build contains the sm_90a kernels (W4A16_HAVE_SM90, set by CMake).
bool have_sm90();

}  // namespace w4a16
