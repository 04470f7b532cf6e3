-- wrk script for GET /v1/customers/{id}/terms: a bearer key, and a random customer per request.
-- BENCH_TOKEN: the key; BENCH_CUSTOMERS: how many cust-NNNNNNN ids are loaded (from 1);
-- BENCH_UNKNOWN_PERMILLE: how many requests in 1000 ask for a customer nobody placed.
local customers = tonumber(os.getenv("BENCH_CUSTOMERS") or "1000000")
local unknown = tonumber(os.getenv("BENCH_UNKNOWN_PERMILLE") or "20")
local top = math.floor(customers * 1000 / (1000 - unknown))

wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
math.randomseed(42)

request = function()
  -- ids above `customers` have the same shape but are not in the store: source "default"
  return wrk.format(nil, string.format("/v1/customers/cust-%07d/terms", math.random(1, top)))
end
