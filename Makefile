# Entry points a new user needs; the logic lives in scripts/.
.PHONY: test demo bench

## Run every test of every language (what CI runs).
test:
	scripts/test.sh

## The main job: send, receive and validate an OTP on the embedded emulator.
demo:
	cargo run --release --locked -- demo

## Every client and its peers in one run: writes docs/benchmarks.md and docs/benchmarks.svg.
bench:
	bench/run.sh
