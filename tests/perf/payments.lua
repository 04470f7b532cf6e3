-- wrk script for POST /v1/payments: 1 (minor unit) paid on a random open invoice, a fresh payment
-- id per request. BENCH_TOKEN: an invoices:write key; BENCH_INVOICE_PREFIX and BENCH_INVOICES:
-- the invoices <prefix>-0 .. <prefix>-(N-1), routed in EUR beforehand with far more outstanding
-- than a run can pay; BENCH_PAID_ON: the payments' date; BENCH_PREFIX: unique per run, so no
-- payment id is ever sent twice (a replay answers 200).
-- done() prints, per thread, "not-201: N", the statuses of those answers and the first one's
-- body: every answer should be 201.
local invoices = tonumber(os.getenv("BENCH_INVOICES"))
local invoice_prefix = os.getenv("BENCH_INVOICE_PREFIX")
local paid_on = os.getenv("BENCH_PAID_ON")
local prefix = os.getenv("BENCH_PREFIX") or "pmt"
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
  local body = string.format(
    '{"payment_id":"%s-%d-%d","invoice_id":"%s-%d","amount":1,"currency":"EUR","paid_on":"%s"}',
    prefix, thread_id, sent, invoice_prefix, math.random(0, invoices - 1), paid_on
  )
  return wrk.format(nil, "/v1/payments", nil, body)
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
