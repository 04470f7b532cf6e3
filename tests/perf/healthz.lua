-- wrk script for GET /healthz/live, the yardstick decisions.lua is measured against: the same
-- bookkeeping per request and per answer, so wrk spends alike on both.
-- done() prints "sent: N", "answered-200: N" and "not-200: N" per thread.
local threads = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  answered = 0
  refused = 0
end

request = function()
  sent = sent + 1
  return wrk.format("GET", "/healthz/live")
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
