-- wrk script for scripts/load-test.sh: searches with varied questions, counts responses by status, checks
-- that every 503 is the documented overload answer (Retry-After, a problem detail), and prints a summary the
-- shell reads (one "key value" per line).
local questions = {
  "how do bees make honey", "what makes bread rise", "why do volcanoes erupt", "how are tides caused",
  "how to start composting at home", "what happens when coffee beans are roasted", "how do plants use sunlight",
  "training plan for a first marathon", "which chess opening should a beginner learn", "who warned ships in fog",
}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  bad_503 = 0
  counter = id
end

function request()
  counter = counter + 1
  local q = questions[(counter % #questions) + 1]:gsub(" ", "+")
  return wrk.format("GET", "/api/search?k=3&q=" .. q)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 503 then
    local problem = (headers["Content-Type"] or ""):find("application/problem+json", 1, true)
    if not headers["Retry-After"] or not problem or not body:find("overloaded", 1, true) then
      bad_503 = bad_503 + 1
    end
  end
end

function done(summary, latency, requests)
  local totals, bad = {}, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + n
    end
    bad = bad + thread:get("bad_503")
  end
  for status, n in pairs(totals) do
    io.write(string.format("status_%d %d\n", status, n))
  end
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("seconds %.1f\n", summary.duration / 1e6))
  io.write(string.format("errors_connect %d\nerrors_read %d\nerrors_write %d\nerrors_timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("bad_503 %d\n", bad))
  for _, p in ipairs({50, 90, 99}) do
    io.write(string.format("p%d_ms %.1f\n", p, latency:percentile(p) / 1000))
  end
  io.write(string.format("max_ms %.1f\n", latency.max / 1000))
end
