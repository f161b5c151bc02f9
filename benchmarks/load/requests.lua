-- wrk script: send each request of REQUESTS once (one per line: method, path, body, then field name and value
-- pairs, tab-separated, as GateLoad prepare writes them), the lines shared out among wrk's threads so that no request
-- (no nonce) is sent twice. Requests are formatted once, in init, so the load generator does little per request.
-- Usage: REQUESTS=file WRK_THREADS=2 wrk -s requests.lua -t2 -c16 -d20s URL
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local function split(s)
  local t, start = {}, 1
  while true do
    local i = string.find(s, "\t", start, true)
    if not i then
      table.insert(t, string.sub(s, start))
      return t
    end
    table.insert(t, string.sub(s, start, i - 1))
    start = i + 1
  end
end

function init(args)
  formatted = {}
  local threads = tonumber(os.getenv("WRK_THREADS") or "1")
  local i = 0
  for line in io.lines(os.getenv("REQUESTS")) do
    if i % threads == id then
      local f = split(line)
      local headers = {}
      for k = 4, #f - 1, 2 do
        headers[f[k]] = f[k + 1]
      end
      local body = f[3]
      if body == "" then
        body = nil
      end
      table.insert(formatted, wrk.format(f[1], f[2], headers, body))
    end
    i = i + 1
  end
  next_request = 1
  -- the requests ran out: an unsigned request, refused and counted as an error
  exhausted = wrk.format("GET", "/orders/exhausted", {["Host"] = "gate.test"}, nil)
end

function request()
  local r = formatted[next_request]
  next_request = next_request + 1
  return r or exhausted
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors (status) %d, p50 %.2f ms, p99 %.2f ms\n", summary.requests,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
