-- POST /message/{topic} with a 100-byte body; the topic comes from the BENCH_TOPIC environment variable.
package.path = package.path .. ";./bench/?.lua"
require "report"
wrk.method = "POST"
wrk.path = "/message/" .. os.getenv("BENCH_TOPIC")
wrk.body = string.rep("x", 100)
wrk.headers["Content-Type"] = "text/plain"
done = report
