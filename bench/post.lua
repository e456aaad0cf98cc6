-- wrk script: POST new comments to Rostra.
--
-- Usage (run.sh does this):
--   wrk -s bench/post.lua http://127.0.0.1:PORT -- SITE BASE_URL THREADS
-- posts to the page URLs BASE_URL/1 .. BASE_URL/THREADS of site SITE.
--
-- Every request carries a different body: a realistic Markdown text drawn from
-- a pool generated at start-up (long-tailed length, like `rostra seed`), with
-- a unique suffix (wrk thread number + request counter). Bodies are built
-- once, so wrk spends its CPU on sending, not on string building.
--
-- At the end it prints machine-readable lines that run.sh parses:
--   POST_CREATED <n>                 responses with status 201
--   POST_APPROVED <n>                those of them approved at once (the rest
--                                    the posting policy held for moderators)
--   POST_FAILED <n>                  responses with any other status
--   POST_LAST_FAILURE_STATUS <code>  the status of a failure (0 if none)

local WORDS = {
  "the", "policy", "government", "people", "country", "war", "article",
  "point", "really", "think", "never", "always", "media", "election", "truth",
  "because", "source", "report", "agree", "disagree", "history", "power",
  "money", "independence", "protest", "would", "should", "could", "again",
  "years", "world", "new", "old", "leader", "change", "influence", "interest",
  "security", "question", "answer", "nothing", "everything", "maybe",
  "clearly", "obviously", "read",
}
local NAMES = {
  "Ann", "Boris", "Chen", "Dana", "Emeka", "Fatima", "Georg", "Hana", "Ivan",
  "Jules", "Kwame", "Lena", "Malik", "Nadia", "Oscar", "Priya", "Rosa", "Sami",
}
local POOL = 256

-- Per-thread state (each wrk thread has its own Lua interpreter).
local site, base, threads
local bodies = {}
local n = 0

-- A JSON-safe Markdown body of realistic length: most comments are a
-- sentence or two, some run to ~1,800 characters (same shape as seed.rs).
local function make_body()
  local target = math.floor(math.random() ^ 3 * 1800 + 30 + math.random() * 60)
  local parts, len = {}, 0
  if math.random(12) == 1 then parts[1] = "> "; len = 2 end
  while len < target do
    local w = WORDS[math.random(#WORDS)]
    local r = math.random(60)
    if r == 1 then w = "**" .. w .. "**"
    elseif r == 2 then w = "*" .. w .. "*"
    elseif r == 3 then w = "[" .. w .. "](https://example.org/" .. w .. ")"
    elseif r == 4 then w = w .. ".\\n\\n" end -- a paragraph break, JSON-escaped
    parts[#parts + 1] = w
    len = len + #w + 1
  end
  return table.concat(parts, " ")
end

-- Runs in the main interpreter once per wrk thread: number the threads.
local counter = 0
local all_threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  all_threads[#all_threads + 1] = thread
end

function init(args)
  site = args[1] or "demo"
  base = args[2] or error("post.lua needs BASE_URL")
  threads = tonumber(args[3] or "5")
  math.randomseed(os.time() + (tid or 0) * 7919)
  for i = 1, POOL do bodies[i] = make_body() end
  wrk.method = "POST"
  wrk.path = "/api/v1/sites/" .. site .. "/comments"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local body = string.format(
    '{"url":"%s/%d","author":{"name":"%s"},"body":"%s (wrk %d #%d)"}',
    base, (n % threads) + 1, NAMES[(n % #NAMES) + 1], bodies[(n % POOL) + 1],
    tid or 0, n)
  return wrk.format(nil, nil, nil, body)
end

-- Count outcomes in globals (cheap: runs for every response); done() reads
-- them from each thread with thread:get().
created, listed, failed, last_failure = 0, 0, 0, 0
function response(status, headers, body)
  if status == 201 then
    created = created + 1
    -- The posting policy may hold a comment (201, status "pending"): only
    -- the approved ones count in the thread.
    if body and body:find('"status":"approved"', 1, true) then
      listed = listed + 1
    end
  else
    failed = failed + 1
    last_failure = status
  end
end

-- Runs once in the main interpreter after the run.
function done(summary, latency, requests)
  local c, a, f, last = 0, 0, 0, 0
  for _, t in ipairs(all_threads) do
    c = c + (tonumber(t:get("created")) or 0)
    a = a + (tonumber(t:get("listed")) or 0)
    f = f + (tonumber(t:get("failed")) or 0)
    local l = tonumber(t:get("last_failure")) or 0
    if l ~= 0 then last = l end
  end
  io.write(string.format("POST_CREATED %d\n", c))
  io.write(string.format("POST_APPROVED %d\n", a))
  io.write(string.format("POST_FAILED %d\n", f))
  io.write(string.format("POST_LAST_FAILURE_STATUS %d\n", last))
end
