-- The soak's wrk load (scripts/soak.sh; docs/PERFORMANCE.md, "Soak"). One script, two modes:
--   wrk -t1 -c16 -d60s --timeout 30s -s soak.lua URL -- chat   KEY_FILE PROGRESS_PREFIX FAULT_EVERY
--   wrk -t1 -c4  -d60s --timeout 30s -s soak.lua URL -- stream KEY_FILE PROGRESS_PREFIX FAULT_EVERY
--
-- Clean requests name the model soak/chat and vary in prompt, length and (streams) pacing. Every
-- FAULT_EVERY-th request names soak/faults instead and tells the upstream simulator to fail, through the
-- "simulator" object of its body, which the gateway forwards. soak/faults is served by a provider of its
-- own, so the faults never touch the health of the clean requests' endpoint, and every answer to a fault
-- request names that provider ("Soak Simulator (faults)"): that is how response() tells the two apart
-- without knowing which connection sent what. Each answer is one of:
--   ok        a clean request answered 200 with a whole completion (chat), or with a stream that ends in
--             [DONE], finishes with stop or length and carries no in-band error (streams);
--   expected  a fault request answered as its fault dictates: 502 or 429 carrying the provider's code or
--             the broken connection (chat), or 200 with exactly one in-band error event and then [DONE]
--             (streams, faults after the first chunks);
--   spurious  anything else; so is every socket error and timeout wrk counts (they never reach response()).
-- Counts go to PROGRESS_PREFIX.<thread> at most once a second, as one line of key=value pairs that the
-- sampler adds up; done() replaces those files with PROGRESS_PREFIX.final (all threads, socket errors
-- included) and prints one "SOAK-WRK" line.

-- Globals, not locals: done() runs in wrk's main state and reads them from a thread with thread:get.
mode, progress_prefix = "chat", nil
local fault_every = 200
local clean, faults = {}, {}
local sent, fault_sent = 0, 0
local last_flush = 0
local threads = {}

-- Flat, string-keyed: wrk copies such a table from a thread's state into done()'s, and no other kind.
counts = { requests = 0, ok = 0, expected = 0, spurious = 0, inband = 0, faults = 0 }

local CHAT_FAULTS = {
   '{"fault":"status","status":500}',
   '{"fault":"status","status":429}',
   '{"fault":"reset_mid_stream"}',
}
local STREAM_FAULTS = {
   '{"fault":"status","status":500}',
   '{"fault":"reset_mid_stream","fault_after_tokens":2}',
   '{"fault":"malformed_chunk","fault_after_tokens":4}',
}
-- Clean controls. The short stall is a fault the gateway must ride out: 150 ms of silence mid-stream is
-- far inside its idle timeout, so the stream has to finish normally.
local CHAT_SHAPES = {
   '{"output_tokens":16}', '{"output_tokens":8}', '{"output_tokens":48}', '{"output_tokens":24}',
}
local STREAM_SHAPES = {
   '{"output_tokens":16}', '{"output_tokens":32}', '{"output_tokens":24,"tokens_per_second":400}',
   '{"output_tokens":16,"fault":"stall_mid_stream","hang_ms":150}',
}
local WORDS = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet" }

local function body(model, stream, controls, i)
   local prompt = {}
   for w = 0, i % 7 do prompt[#prompt + 1] = WORDS[(i + w) % #WORDS + 1] end
   local max_tokens = (i % 5 == 0) and ',"max_tokens":12' or ''
   return string.format(
      '{"model":"%s","stream":%s%s,"messages":[{"role":"system","content":"soak %d"},'
         .. '{"role":"user","content":"%s"}],"simulator":%s}',
      model, stream and "true" or "false", max_tokens, i, table.concat(prompt, " "), controls)
end

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function init(args)
   mode = args[1] or "chat"
   local key_file = assert(args[2], "KEY_FILE missing")
   progress_prefix = assert(args[3], "PROGRESS_PREFIX missing")
   fault_every = tonumber(args[4] or "200")
   local f = assert(io.open(key_file, "r"))
   local key = f:read("*l")
   f:close()
   local headers = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
   local stream = mode == "stream"
   local shapes = stream and STREAM_SHAPES or CHAT_SHAPES
   -- 64 distinct clean bodies, built once: per request wrk only hands over a prepared string.
   for i = 1, 64 do
      clean[i] = wrk.format("POST", nil, headers, body("soak/chat", stream, shapes[i % #shapes + 1], i))
   end
   for i, controls in ipairs(stream and STREAM_FAULTS or CHAT_FAULTS) do
      faults[i] = wrk.format("POST", nil, headers, body("soak/faults", stream, controls, i))
   end
end

function request()
   sent = sent + 1
   if fault_every > 0 and sent % fault_every == 0 then
      fault_sent = fault_sent + 1
      counts.faults = counts.faults + 1
      return faults[fault_sent % #faults + 1]
   end
   return clean[sent % #clean + 1]
end

local function has(text, pattern)
   return string.find(text, pattern, 1, true) ~= nil
end

local function occurrences(text, pattern)
   local n, from = 0, 1
   while true do
      local at = string.find(text, pattern, from, true)
      if not at then return n end
      n, from = n + 1, at + #pattern
   end
end

local function finished(text)
   return has(text, '"finish_reason":"stop"') or has(text, '"finish_reason":"length"')
end

local function judge(status, text)
   local errors = occurrences(text, '"finish_reason":"error"')
   counts.inband = counts.inband + errors
   local done = string.sub(text, -14) == "data: [DONE]\n\n"
   if has(text, "Soak Simulator (faults)") then
      if status == 502 and (has(text, '"provider_code":"500"') or has(text, "closed before the response was complete")) then
         return "expected"
      elseif status == 429 and has(text, '"provider_code":"429"') then
         return "expected"
      elseif status == 200 and mode == "stream" and errors == 1 and done then
         return "expected"
      end
      return "spurious"
   end
   if status ~= 200 or errors > 0 then return "spurious" end
   if mode == "stream" then
      return (done and finished(text)) and "ok" or "spurious"
   end
   return (has(text, '"object":"chat.completion"') and finished(text)) and "ok" or "spurious"
end

local function line(c)
   local parts = {}
   for _, k in ipairs({ "requests", "ok", "expected", "spurious", "inband", "faults" }) do
      parts[#parts + 1] = k .. "=" .. (c[k] or 0)
   end
   local statuses = {}
   for k, v in pairs(c) do
      if string.sub(k, 1, 7) == "status_" then statuses[#statuses + 1] = k .. "=" .. v end
   end
   table.sort(statuses)
   return table.concat(parts, " ") .. (#statuses > 0 and " " .. table.concat(statuses, " ") or "")
end

-- Written aside and renamed over the old file, so that the sampler never reads one half-written.
local function flush()
   local path = progress_prefix .. "." .. id
   local f = io.open(path .. ".tmp", "w")
   if f then
      f:write(line(counts), "\n")
      f:close()
      os.rename(path .. ".tmp", path)
   end
end

function response(status, headers, text)
   counts.requests = counts.requests + 1
   local kind = judge(status, text or "")
   counts[kind] = counts[kind] + 1
   local key = "status_" .. status
   counts[key] = (counts[key] or 0) + 1
   if kind == "spurious" and counts.spurious <= 20 then
      io.stderr:write(string.format("SOAK-SPURIOUS mode=%s status=%d body=%s\n", mode, status,
         string.sub(string.gsub(text or "", "\n", "\\n"), 1, 600)))
   end
   local now = os.time()
   if now ~= last_flush then
      last_flush = now
      flush()
   end
end

function done(summary, latency, requests)
   local total = {}
   local prefix, kind = threads[1]:get("progress_prefix"), threads[1]:get("mode")
   for _, t in ipairs(threads) do
      for k, v in pairs(t:get("counts")) do total[k] = (total[k] or 0) + v end
   end
   local e = summary.errors
   local socket = e.connect + e.read + e.write + e.timeout
   total.socket_errors = socket
   total.spurious = (total.spurious or 0) + socket
   total.requests = (total.requests or 0) + socket
   local text = line(total) .. string.format(
      " socket_errors=%d connect=%d read=%d write=%d timeout=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.1f",
      socket, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000)
   -- The sampler reads PROGRESS_PREFIX.final instead of the threads' files once it exists.
   local f = assert(io.open(prefix .. ".final.tmp", "w"))
   f:write(line(total), "\n")
   f:close()
   os.rename(prefix .. ".final.tmp", prefix .. ".final")
   for _, t in ipairs(threads) do os.remove(prefix .. "." .. t:get("id")) end
   io.write("SOAK-WRK mode=", kind, " ", text, "\n")
end
