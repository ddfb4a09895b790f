-- GET /{topic}: one message per request (404 once the topic is drained; counted as non-2xx).
package.path = package.path .. ";./bench/?.lua"
require "report"
wrk.method = "GET"
wrk.path = "/" .. os.getenv("BENCH_TOPIC")
done = report
