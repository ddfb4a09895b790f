-- Shared by the wrk scripts: prints the result line read_result in bench/run.sh reads (latencies in microseconds).
function report(summary, latency)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT %d %d %d %.1f %.1f %.0f %.0f %.0f %.0f\n", summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout, summary.requests / seconds, (summary.requests - e.status) / seconds,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
