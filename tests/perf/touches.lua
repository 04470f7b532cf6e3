-- wrk script for POST /v1/touches: a fresh touch id per request, on a random open invoice and
-- one of its three planned tasks (tests/perf/contacts.py loads them: invoice ci-<n> has tasks
-- 3n+1 .. 3n+3, in USD when n is a multiple of 10, else EUR). Outcomes as collectors' calls go:
-- 45% no answer, 25% no issue, 10% payment sent, 15% wrong contact, 5% a promise to pay (1 by
-- BENCH_PAY_ON). BENCH_TOKEN: a collections:write key; BENCH_INVOICES: how many open invoices;
-- BENCH_PREFIX: unique per run, so no touch id is ever sent twice (a replay answers 200).
-- done() prints, per thread, "not-201: N", the statuses of those answers and the first one's
-- body: every answer should be 201.
local invoices = tonumber(os.getenv("BENCH_INVOICES"))
local pay_on = os.getenv("BENCH_PAY_ON")
local prefix = os.getenv("BENCH_PREFIX") or "tch"
local steps = { { "phone", "service_check" }, { "email", "reminder" }, { "phone", "escalation" } }
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

local function outcome(n)
  local draw = math.random(1, 100)
  if draw <= 45 then return '"no_answer"' end
  if draw <= 70 then return '"no_issue"' end
  if draw <= 80 then return '"payment_sent"' end
  if draw <= 95 then return '"wrong_contact"' end
  local currency = (n % 10 == 0) and "USD" or "EUR"
  return string.format(
    '"promise_to_pay","promise":{"amount":1,"currency":"%s","pay_on":"%s"}', currency, pay_on
  )
end

request = function()
  sent = sent + 1
  local n = math.random(0, invoices - 1)
  local k = math.random(1, 3)
  local body = string.format(
    '{"touch_id":"%s-%d-%d","invoice_id":"ci-%07d","task_id":%d,"channel":"%s","kind":"%s",'
      .. '"occurred_at":"%s","outcome":%s}',
    prefix, thread_id, sent, n, 3 * n + k, steps[k][1], steps[k][2],
    os.date("!%Y-%m-%dT%H:%M:%SZ"), outcome(n)
  )
  return wrk.format(nil, "/v1/touches", nil, body)
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
