-- POST /topics/{topic}/messages with a JSON batch of 100 records of 100 bytes; the topic comes from BENCH_TOPIC.
package.path = package.path .. ";./bench/?.lua"
require "report"
local record = '{"value":"' .. string.rep("x", 100) .. '"}'
local records = {}
for i = 1, 100 do records[i] = record end
wrk.method = "POST"
wrk.path = "/topics/" .. os.getenv("BENCH_TOPIC") .. "/messages"
wrk.body = '{"records":[' .. table.concat(records, ",") .. ']}'
wrk.headers["Content-Type"] = "application/json"
done = report
