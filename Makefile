# Entry points a new user needs; the logic lives in scripts/.
.PHONY: test demo

## Run every test of every language (what CI runs).
test:
	scripts/test.sh

## The main job: send, receive and validate an OTP on the embedded emulator.
demo:
	cargo run --release --locked -- demo
