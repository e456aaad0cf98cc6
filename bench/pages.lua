-- wrk script: GET the first page of a random thread among many.
--
-- Usage (scale.sh does this):
--   wrk -s bench/pages.lua http://127.0.0.1:PORT -- SITE BASE_URL THREADS
-- reads the first page (default size) of BASE_URL/i, i uniform in 1..THREADS,
-- so that reads spread over the whole database instead of one hot thread.
--   wrk -s bench/pages.lua http://127.0.0.1:PORT -- SITE BASE_URL THREADS SPREAD
-- with SPREAD > 0 reads only SPREAD threads, spaced evenly over 1..THREADS:
-- the same working set at every size of database.

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local site, base, threads, spread
local function enc(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  site, base, threads = args[1], args[2], tonumber(args[3])
  spread = tonumber(args[4] or "0") or 0
  math.randomseed(os.time() * 1000 + (id or 0))
end

function request()
  local i = math.random(1, threads)
  if spread > 0 and spread < threads then
    i = 1 + math.floor((math.random(1, spread) - 1) * threads / spread)
  end
  return wrk.format("GET", "/api/v1/sites/" .. site .. "/thread?url=" .. enc(base .. "/" .. i))
end
