// Prints the heuristic's sm90 plan on an H100/H200-like device (132 SMs) for N K dtype(0/1) M...
#include <cstdio>
#include <cstdlib>
#include "dispatch/heuristic.h"
#include "dispatch/configs.h"
using namespace w4a16;
int main(int argc, char** argv) {
  DeviceProps d; d.name = "H"; d.cc_major = 9; d.sm_count = 132; d.smem_optin = 232448; d.smem_per_sm = 233472; d.l2_bytes = 50 << 20; d.quad_clusters = getenv("QC") ? atoi(getenv("QC")) : 0;
  int64_t n = atoll(argv[1]), k = atoll(argv[2]); bool bf16 = atoi(argv[3]);
  for (int i = 4; i < argc; ++i) {
    Problem p; p.m = atoll(argv[i]); p.n = n; p.k = k; p.group = getenv("G") ? atoi(getenv("G")) : 128; if (p.group == 0) { p.group = p.k; p.per_channel = true; } p.zeros = getenv("Z") != nullptr; p.lda = k; p.ldy = n; p.bf16 = bf16; p.small_scales = true;
    Plan pl; w4a16_status s = make_plan(d, p, W4A16_FAMILY_SM90, getenv("CFG") ? atoi(getenv("CFG")) : -1, -1, &pl);
    if (s) { printf("err %d\n", s); continue; }
    printf("%lldx%lld M=%lld %s: %s split %d cluster %d grid %d tiles %lldx%lld stages %d sk %d band_m %d band %d smem %zu kblocks %lld full %lld\n", (long long)n, (long long)k, (long long)p.m, bf16 ? "bf16" : "fp16",
           cfg::kSm90Configs[pl.config].name, pl.split, pl.cluster, pl.grid, (long long)pl.tiles_n, (long long)pl.tiles_m, pl.stages, pl.sk_ctas, (int)pl.band_m, pl.band, pl.smem_bytes, (long long)pl.kblocks, (long long)pl.full_tiles);
  }
}
