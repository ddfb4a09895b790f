-- Shared by the benchmark scripts: prints one machine-readable line that bench/run.sh turns into a table row.
-- Fields: requests, non-2xx answers, socket errors, p50, p99 and max latency (microseconds), duration (microseconds).
function report(summary, latency)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %.0f %.0f %.0f %d\n", summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99), latency.max,
    summary.duration))
end
