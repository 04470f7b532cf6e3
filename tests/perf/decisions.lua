-- wrk script for POST /v1/checkout/decisions: a random customer and a fresh order id a request.
-- BENCH_TOKEN: a terms:read key; BENCH_CUSTOMERS: how many cust-NNNNNNN ids are loaded (from 1);
-- BENCH_PREFIX: unique per run, so no order id is sent twice.
-- ~2% of customers are unknown (the policy's new-customer default); 15% of orders ask for net
-- 15, 10% for net 45 (more than any segment allows: cut back), the rest ask for nothing.
-- done() prints "sent: N", "answered-200: N" and "not-200: N" per thread, as healthz.lua does.
local customers = tonumber(os.getenv("BENCH_CUSTOMERS") or "100000")
local prefix = os.getenv("BENCH_PREFIX") or "ord"
local top = math.floor(customers * 1000 / 980)
local asked = {
  [15] = ',"requested_terms":{"type":"net","net_days":15}',
  [45] = ',"requested_terms":{"type":"net","net_days":45}',
}
local threads = {}

wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Content-Type"] = "application/json"

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  answered = 0
  refused = 0
  math.randomseed(42 + thread_id)
end

request = function()
  sent = sent + 1
  local pick = math.random(1, 100)
  local terms = pick <= 15 and asked[15] or pick <= 25 and asked[45] or ""
  local body = string.format(
    '{"customer_id":"cust-%07d","order_id":"%s-%d-%d","amount":%d,"currency":"USD"%s}',
    math.random(1, top), prefix, thread_id, sent, math.random(100, 5000000), terms
  )
  return wrk.format(nil, "/v1/checkout/decisions", nil, body)
end

response = function(status, headers, body)
  if status == 200 then
    answered = answered + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    io.write(string.format("sent: %d\n", thread:get("sent")))
    io.write(string.format("answered-200: %d\n", thread:get("answered")))
    io.write(string.format("not-200: %d\n", thread:get("refused")))
  end
end
