-- wrk script: POST each line of BODIES (one JSON request body per line) once, the lines shared out among wrk's
-- threads so that no body is sent twice. Usage: BODIES=file wrk -s bodies.lua -t2 -c16 -d20s --latency URL
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  bodies = {}
  local i = 0
  for line in io.lines(os.getenv("BODIES")) do
    if i % tonumber(os.getenv("WRK_THREADS") or "1") == id then
      table.insert(bodies, line)
    end
    i = i + 1
  end
  next_body = 1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local body = bodies[next_body]
  if body == nil then
    body = "{}" -- the bodies ran out: answered 400, counted as a failure
  end
  next_body = next_body + 1
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors (status) %d, p50 %.2f ms, p99 %.2f ms\n", summary.requests,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
