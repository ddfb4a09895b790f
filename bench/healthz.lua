-- GET /healthz: the HTTP limit of a service (no Kafka on the request path).
package.path = package.path .. ";./bench/?.lua"
require "report"
wrk.method = "GET"
wrk.path = "/healthz"
done = report
