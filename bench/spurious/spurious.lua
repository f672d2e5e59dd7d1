-- Counts spurious failures under sustained load (scripts/spurious.sh; docs/PERFORMANCE.md, "Spurious
-- failures"). The upstream is the harness's nginx mock, which never fails, so every answer that is not
-- a whole success is spurious:
--   wrk -t1 -c48 -d600s --timeout 30s -s spurious.lua URL -- chat   BODY_FILE KEY_FILE
--   wrk -t1 -c16 -d600s --timeout 30s -s spurious.lua URL -- stream BODY_FILE KEY_FILE
-- ok: 200 with a whole completion (chat: a "choices" array and usage; stream: a finish reason, no
-- in-band error, and [DONE] last). Anything else is spurious, and so is every socket error and timeout
-- wrk counts itself (they never reach response()). done() prints one "SPURIOUS" line per run.

mode = "chat"
counts = { requests = 0, ok = 0, spurious = 0, bad_status = 0, bad_body = 0 }
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   mode = args[1] or "chat"
   local body = assert(io.open(assert(args[2], "BODY_FILE missing"), "rb"))
   local key = assert(io.open(assert(args[3], "KEY_FILE missing"), "r"))
   wrk.method = "POST"
   wrk.body = body:read("*a")
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "Bearer " .. key:read("*l")
   body:close()
   key:close()
end

local function has(text, pattern)
   return string.find(text, pattern, 1, true) ~= nil
end

local function whole(text)
   if mode == "stream" then
      return string.sub(text, -14) == "data: [DONE]\n\n"
         and has(text, '"finish_reason":"stop"')
         and not has(text, '"error"')
   end
   return has(text, '"choices"') and has(text, '"usage"') and not has(text, '"error"')
end

function response(status, headers, body)
   counts.requests = counts.requests + 1
   if status ~= 200 then
      counts.bad_status = counts.bad_status + 1
      counts.spurious = counts.spurious + 1
      io.stderr:write(string.format("spurious: status %d: %s\n", status, string.sub(body or "", 1, 300)))
   elseif not whole(body or "") then
      counts.bad_body = counts.bad_body + 1
      counts.spurious = counts.spurious + 1
      io.stderr:write(string.format("spurious: incomplete body: %s\n", string.sub(body or "", -300)))
   else
      counts.ok = counts.ok + 1
   end
end

function done(summary, latency, requests)
   local total = { requests = 0, ok = 0, spurious = 0, bad_status = 0, bad_body = 0 }
   local run_mode = "chat"
   for _, thread in ipairs(threads) do
      local c = thread:get("counts")
      for k, v in pairs(c) do total[k] = total[k] + v end
      run_mode = thread:get("mode")
   end
   local e = summary.errors
   local socket_errors = e.connect + e.read + e.write + e.timeout
   io.write(string.format(
      "SPURIOUS mode=%s requests=%d ok=%d spurious=%d bad_status=%d bad_body=%d socket_errors=%d "
         .. "(connect=%d read=%d write=%d timeout=%d) rps=%.1f\n",
      run_mode, total.requests, total.ok, total.spurious + socket_errors, total.bad_status, total.bad_body,
      socket_errors, e.connect, e.read, e.write, e.timeout, summary.requests / (summary.duration / 1e6)))
end
