-- post.lua: wrk script that POSTs a signed notification body and, every
-- WRK_TAMPER_EVERY-th request, a copy with one value character changed,
-- which the receiver must refuse with 403.
--
-- Environment:
--   WRK_BODY          file holding the signed form body (default body.txt)
--   WRK_TAMPER_EVERY  period of tampered requests (default 1000; 0: none)
--
-- done() prints one "key value" line per figure; run.sh parses them.

local body_path = os.getenv("WRK_BODY") or "body.txt"
local every = tonumber(os.getenv("WRK_TAMPER_EVERY") or "1000")

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

-- tamper changes the first alphanumeric character that starts a value, so
-- the body stays well formed but no longer matches its signatures.
local function tamper(s)
  local i = assert(s:find("=%w"), "no value to tamper with") + 1
  local c = s:sub(i, i)
  local r = (c == "A") and "B" or "A"
  return s:sub(1, i - 1) .. r .. s:sub(i + 1)
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local good, bad
local sent, tampered = 0, 0
statuses = {}       -- read by done() through thread:get
tampered_sent = 0
no_receipt = 0      -- 200 answers without a read receipt

function init(args)
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
  local body = read(body_path)
  good = wrk.format("POST", nil, headers, body)
  bad = wrk.format("POST", nil, headers, tamper(body))
end

function request()
  sent = sent + 1
  if every > 0 and sent % every == 0 then
    tampered_sent = tampered_sent + 1
    return bad
  end
  return good
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 and not (body:find("<sig", 1, true) or body:find("<EPAYMENT>", 1, true)) then
    no_receipt = no_receipt + 1
  end
end

function done(summary, latency, requests)
  local counts, tampered_total, missing = {}, 0, 0
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do
      counts[code] = (counts[code] or 0) + n
    end
    tampered_total = tampered_total + t:get("tampered_sent")
    missing = missing + t:get("no_receipt")
  end
  local secs = summary.duration / 1e6
  io.write(string.format("requests %d\n", summary.requests))
  io.write(string.format("rps %.0f\n", summary.requests / secs))
  io.write(string.format("p50_ms %.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("p99_ms %.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("socket_errors %d\n", summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
  io.write(string.format("tampered_sent %d\n", tampered_total))
  io.write(string.format("no_receipt %d\n", missing))
  for code, n in pairs(counts) do
    io.write(string.format("status_%d %d\n", code, n))
  end
end
