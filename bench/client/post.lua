-- wrk: the same validate request the SDK and bare reqwest send (run.sh fills in the values).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["api-key"] = os.getenv("BENCH_KEY")
wrk.body = '{"verify_id":"' .. os.getenv("BENCH_VERIFY_ID") .. '","otp":"' .. os.getenv("BENCH_OTP") .. '"}'
wrk.path = "/v1/" .. os.getenv("BENCH_SID") .. "/verify/validate"
