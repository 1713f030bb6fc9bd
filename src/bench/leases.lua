-- wrk script for run.sh: one lease operation, on sessiond's Consul API or on etcd's JSON gateway.
--
-- Environment: BENCH_SYSTEM (sessiond | etcd), BENCH_OP (create | renew | info | destroy),
-- BENCH_POOL (file of existing lease IDs, one a line: renew, info and destroy use them),
-- BENCH_OUT (directory: create writes the IDs it got, destroy the IDs it used, one file per thread),
-- BENCH_THREADS (wrk's -t: wrk starts each thread right after its setup(), so no thread could learn
-- the count from setup()).
--
-- renew and info pick a random ID of the pool; destroy uses each ID once (thread t of n takes the
-- lines t, t + n, ...), and if a thread runs out it counts it as "exhausted" and starts over, so run.sh
-- can refuse that figure. done() prints one machine-readable RESULT line.

local system = os.getenv("BENCH_SYSTEM")
local op = os.getenv("BENCH_OP")
local pool_file = os.getenv("BENCH_POOL")
local out_dir = os.getenv("BENCH_OUT")
local thread_total = tonumber(os.getenv("BENCH_THREADS"))

-- setup() runs in the main Lua state once per thread: it gives each thread its index (global index).
local all_threads = {}

function setup(thread)
  table.insert(all_threads, thread)
  thread:set("index", #all_threads - 1)
end

local ids = {}
local next_line
local out
exhausted = 0

local requests = {
  sessiond = {
    create = function() return wrk.format("PUT", "/v1/session/create", nil, '{"Name":"bench","TTL":"3600s"}') end,
    renew = function(id) return wrk.format("PUT", "/v1/session/renew/" .. id, nil, "") end,
    info = function(id) return wrk.format("GET", "/v1/session/info/" .. id) end,
    destroy = function(id) return wrk.format("PUT", "/v1/session/destroy/" .. id, nil, "") end,
  },
  etcd = {
    create = function() return wrk.format("POST", "/v3/lease/grant", nil, '{"TTL":3600}') end,
    renew = function(id) return wrk.format("POST", "/v3/lease/keepalive", nil, '{"ID":"' .. id .. '"}') end,
    info = function(id) return wrk.format("POST", "/v3/lease/timetolive", nil, '{"ID":"' .. id .. '"}') end,
    destroy = function(id) return wrk.format("POST", "/v3/lease/revoke", nil, '{"ID":"' .. id .. '"}') end,
  },
}
local make = requests[system][op]

function init(args)
  math.randomseed(os.time() + index)
  if op ~= "create" then
    for line in io.lines(pool_file) do
      ids[#ids + 1] = line
    end
    if #ids == 0 then
      error("empty pool " .. pool_file)
    end
  end
  if op == "create" or op == "destroy" then
    out = io.open(out_dir .. "/" .. op .. "-" .. index, "w")
    -- Buffered, and flushed when wrk exits: a write per request would cost the load generator CPU.
    out:setvbuf("full")
  end
  next_line = index + 1
end

local function destroy_id()
  if next_line > #ids then
    exhausted = exhausted + 1
    next_line = index + 1
  end
  local id = ids[next_line]
  next_line = next_line + thread_total
  out:write(id, "\n")
  return id
end

function request()
  if op == "create" then
    return make()
  elseif op == "destroy" then
    return make(destroy_id())
  end
  return make(ids[math.random(#ids)])
end

if op == "create" then
  local pattern = system == "sessiond" and '"ID":"([0-9a-f-]+)"' or '"ID":"(%d+)"'
  function response(status, headers, body)
    if status == 200 then
      local id = body:match(pattern)
      if id then
        out:write(id, "\n")
      end
    end
  end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  local exhausted_total = 0
  for _, thread in ipairs(all_threads) do
    exhausted_total = exhausted_total + (tonumber(thread:get("exhausted")) or 0)
  end
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d exhausted=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), errors,
      exhausted_total))
end
