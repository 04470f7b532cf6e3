-- wrk script for POST /v1/invoice-routes: a fresh invoice id per request, a random customer.
-- BENCH_TOKEN: an invoices:write key; BENCH_CUSTOMERS: how many cust-NNNNNNN ids are loaded;
-- BENCH_PREFIX: unique per run, so no invoice id is ever sent twice (a replay answers 200).
-- done() prints, per thread, "not-201: N", the statuses of those answers and the first one's
-- body: every answer should be 201.
local customers = tonumber(os.getenv("BENCH_CUSTOMERS") or "10000")
local prefix = os.getenv("BENCH_PREFIX") or "inv"
local top = math.floor(customers * 1000 / 980) -- ~2% unknown customers: the policy default
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
  not_created = 0
  statuses = ""
  first_body = ""
  math.randomseed(42 + thread_id)
end

request = function()
  sent = sent + 1
  local invoice_id = string.format("%s-%d-%d", prefix, thread_id, sent)
  local body = string.format(
    '{"invoice_id":"%s","customer_id":"cust-%07d","amount":%d,"currency":"EUR",'
      .. '"issued_on":"2026-11-20","order_id":"ord-%s"}',
    invoice_id, math.random(1, top), math.random(100, 5000000), invoice_id
  )
  return wrk.format(nil, "/v1/invoice-routes", nil, body)
end

response = function(status, headers, body)
  if status ~= 201 then
    not_created = not_created + 1
    statuses = statuses .. " " .. status
    if first_body == "" then
      first_body = string.sub(string.gsub(body or "", "\n", " "), 1, 500)
    end
  end
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    io.write(string.format("not-201: %d\n", thread:get("not_created")))
    io.write(string.format("not-201-statuses:%s\n", thread:get("statuses")))
    io.write(string.format("not-201-first: %s\n", thread:get("first_body")))
  end
end
