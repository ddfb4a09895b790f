-- GET /{topic}: the seed's read, one message per request; the topic comes from the BENCH_TOPIC environment variable.
package.path = package.path .. ";./bench/?.lua"
require "report"
wrk.method = "GET"
wrk.path = "/" .. os.getenv("BENCH_TOPIC")
done = report
