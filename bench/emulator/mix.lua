-- A realistic mix against the Verify API: each generate (with a caller-supplied code, so
-- that no outbox read is needed) is followed by a validate of the verify_id it returned.
-- The same script drives nginx, whose static answer has the same shape and size.
local sid = os.getenv("BENCH_SID") or "HXEMULATOR01"
local key = os.getenv("BENCH_KEY") or "emulator-api-key"
local ids = {}
local gen_path = "/v1/" .. sid .. "/verify"
local val_path = "/v1/" .. sid .. "/verify/validate"
local gen_body = '{"to":{"mobile":"+12025550123"},"otp":"123456"}'
local headers = { ["Content-Type"] = "application/json", ["api-key"] = key }

request = function()
  local id = table.remove(ids)
  if id then
    return wrk.format("POST", val_path, headers, '{"verify_id":"' .. id .. '","otp":"123456"}')
  end
  return wrk.format("POST", gen_path, headers, gen_body)
end

response = function(status, _, body)
  local id = body:match('"verify_id":"([%w%-]+)","to"')
  if status == 200 and id and #ids < 1000 then
    table.insert(ids, id)
  end
end
