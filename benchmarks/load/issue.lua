-- wrk script: POST /admin/agents/{AGENT}/credentials with the admin token, no body (the issuer builds the
-- AgentCredential from the registered agent). Usage: TOKEN=… wrk -s issue.lua -t2 -c16 -d20s --latency URL
function init(args)
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, errors (status) %d, p50 %.2f ms, p99 %.2f ms\n", summary.requests,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
