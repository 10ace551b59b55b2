// packing.h -- what pack.cpp and quantize.cpp share with the API layer (src/api.cpp).
#pragma once
#include "host/internal.h"
#include "host/layout.h"

namespace w4a16 {

// A canonical descriptor is complete and its shape valid (host or device pointers alike); fills g.
w4a16_status check_canonical_desc(const w4a16_canonical* c, int64_t* g);
// `f` names a packable family (AUTO only when allowed).
w4a16_status check_family(w4a16_family f, bool allow_auto);
// Weights were filled in by a pack function and point at data.
w4a16_status check_weights_desc(const w4a16_weights* w);
// An unpack destination describes the same weights as `w`.
w4a16_status check_unpack_target(const w4a16_weights* w, const w4a16_canonical* dst);
// SM80 and SM90 share the mma layout; REFERENCE and HOST store the canonical arrays.
bool family_uses_mma_layout(w4a16_family f);
layout::Sections sections_for(w4a16_family f, int64_t n, int64_t k, int64_t g, bool zeros);
// The descriptor's buffer holds every section its shape needs (a hand-edited `bytes` would let the
// kernels or the host paths read past it): W4A16_ERR_WEIGHTS_MISMATCH otherwise.
w4a16_status check_weight_bytes(const w4a16_weights* w);
void fill_weights(w4a16_weights* out, w4a16_family f, const w4a16_canonical* c, int64_t g, void* data, size_t bytes,
                  bool on_device, bool small_scales);

}  // namespace w4a16
