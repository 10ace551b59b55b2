// bench_device.h -- what the tool does on the GPU besides calling the library: random data written
// on the device (so 470M-weight layers need no host generation), graph-replay timing, and ceilings.
#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>
#include <functional>

namespace w4a16::kit {

// Uniform values in [lo, hi] as fp16/bf16 bits, from a counter-based hash of (seed, index).
void fill_random_16(void* dst, int64_t count, bool bf16, float lo, float hi, uint64_t seed, cudaStream_t s);
void fill_random_bytes(void* dst, int64_t bytes, uint64_t seed, cudaStream_t s);

// Without a graph: 100 launches back to back on one stream. host_us is what enqueueing one costs the
// CPU (the calls return before the GPU runs them); eager_us is the time per call between events
// around all of them, as a caller without CUDA graphs sees it: the GPU's time with the gaps between
// launches, or the host's rate where enqueueing is slower than the kernel.
struct EagerTiming {
  double host_us = 0, eager_us = 0;
};

// The SM clock (MHz) just before the first and just after the last timed replay, each read by a
// one-thread kernel counting clock64 against %globaltimer over 100 us. Under sustained load the card's
// power management lowers the clock in steps after milliseconds, and the time follows it
// (docs/PERFORMANCE.md, probe 87): a timing whose two readings differ straddled a step.
struct ClockReading {
  double start_mhz = 0, end_mhz = 0;
};

// Median time in microseconds of one launch: `launch(i)` (i = 0..per_graph-1) is captured per_graph
// times into a CUDA graph, replayed `warmup` times, then `iters` replays are each timed with events.
// With `eager`, the same launches are then also run without the graph (EagerTiming); with `clock`,
// the SM clock around the timed replays (ClockReading).
double time_graph(const std::function<void(int, cudaStream_t)>& launch, int per_graph, int warmup, int iters,
                  EagerTiming* eager = nullptr, ClockReading* clock = nullptr);

// Device-to-device copy bandwidth (bytes read + written per second), median of a few 512 MiB
// cudaMemcpyAsync copies captured in a CUDA graph. Captured, the copy runs far slower than on a plain
// stream (the copy engines' rate, by all appearances): 2.41 TB/s on the H100 against DESIGN §5's ~3.0
// from a copy kernel; 2.68-2.75 on the H200 against 4.15-4.26 for the same copy on a plain stream and
// 3.99-4.06 for the kernel below (docs/PERFORMANCE.md, twenty-fourth session). "%roof" and the sweeps
// since the first session use this figure.
double measure_copy_gbps();
// The same 512 MiB copied by a kernel on the SMs (16-byte loads and stores, one CTA per 16 KiB):
// a copy (read + write) ceiling for code on the SMs, the stricter one for decode. Reads alone stream
// faster (cuBLAS's fp16 weights at up to 4.26 TB/s on the H200).
double measure_copy_kernel_gbps();

}  // namespace w4a16::kit
