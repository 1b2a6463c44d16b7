//! The command as a user runs it: the real binary, against an emulator on loopback.

use std::process::{Command, Output};

use serde_json::Value;
use verify_emulator::{Emulator, EmulatorConfig};

const SECRET_KEY: &str = "not-the-right-key-s3cr3t";

fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kaleyra-verify"));
    for var in [
        "KALEYRA_SID",
        "KALEYRA_API_KEY",
        "KALEYRA_REGION",
        "KALEYRA_BASE_URL",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

fn against(em: &Emulator) -> Command {
    let mut cmd = bin();
    cmd.env("KALEYRA_BASE_URL", em.base_url())
        .env("KALEYRA_SID", em.sid())
        .env("KALEYRA_API_KEY", em.api_key());
    cmd
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("the binary runs");
    (
        status.code().expect("exited normally"),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

fn json(text: &str) -> Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

#[test]
fn demo_runs_the_whole_round_trip() {
    let (code, out, err) = run(bin().arg("demo"));
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    for step in [
        "1. Started the emulator",
        "2. Sent an OTP",
        "3. Received it",
        "4. Checked a wrong code",
        "5. Checked the right code",
        "6. Checked the same code again",
    ] {
        assert!(out.contains(step), "missing {step:?} in:\n{out}");
    }
    assert!(out.contains("wrong code"), "{out}");
    assert!(out.contains("Verified: the code is correct."), "{out}");
    assert!(out.contains("already used"), "{out}");
}

#[test]
fn demo_json_lists_each_step() {
    let (code, out, _) = run(bin().args(["demo", "--json"]));
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["ok"], true);
    let outcomes: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["outcome"].as_str())
        .collect();
    assert_eq!(outcomes, ["wrong_code", "verified", "already_verified"]);
}

#[test]
fn send_then_check_against_an_emulator() {
    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    let (code, out, err) = run(against(&em).args(["--json", "send", "--to", "+12025550123"]));
    assert_eq!(code, 0, "{out}{err}");
    let sent = json(&out);
    let verify_id = sent["verify_id"].as_str().unwrap().to_owned();
    assert_eq!(sent["mobile"], "12025550123");
    let otp = em
        .last_code(&verify_id)
        .expect("the emulator delivered a code");

    let wrong = if otp.starts_with('0') {
        "111111"
    } else {
        "000000"
    };
    let (code, out, _) =
        run(against(&em).args(["--json", "check", "--verify-id", &verify_id, "--otp", wrong]));
    assert_eq!(code, 1);
    assert_eq!(json(&out)["outcome"], "wrong_code");

    let (code, out, _) =
        run(against(&em).args(["check", "--verify-id", &verify_id, "--otp", &otp]));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Verified"), "{out}");
}

#[test]
fn exit_codes_follow_error_kinds() {
    // No credentials: invalid_config (24), with a hint on stderr.
    let (code, _, err) = run(bin().args(["send", "--to", "+12025550123"]));
    assert_eq!(code, 24, "{err}");
    assert!(err.contains("KALEYRA_SID"), "{err}");

    let em = Emulator::start(EmulatorConfig::default()).unwrap();
    // Local validation: validation (11), and nothing reached the emulator.
    let (code, out, _) = run(against(&em).args(["--json", "send", "--to", "+12"]));
    assert_eq!(code, 11);
    assert_eq!(json(&out)["error"]["code"], "E805");
    assert_eq!(em.stats().otps_generated, 0);

    // A wrong key: authentication (13), and the key never printed.
    let (code, out, err) =
        run(against(&em)
            .env("KALEYRA_API_KEY", SECRET_KEY)
            .args(["send", "--to", "+12025550123"]));
    assert_eq!(code, 13, "{out}{err}");
    assert!(
        !out.contains(SECRET_KEY) && !err.contains(SECRET_KEY),
        "{out}{err}"
    );

    // Plain http to a non-loopback host is refused before any request.
    let (code, _, err) = run(bin()
        .args([
            "--base-url",
            "http://api.kaleyra.io",
            "--sid",
            "HX1",
            "--api-key",
            SECRET_KEY,
        ])
        .args(["check", "--verify-id", "v", "--otp", "1"]));
    assert_eq!(code, 24, "{err}");
    assert!(!err.contains(SECRET_KEY));
}

#[test]
fn help_shows_examples_and_hides_the_key() {
    let (code, out, _) = run(bin().env("KALEYRA_API_KEY", SECRET_KEY).arg("--help"));
    assert_eq!(code, 0);
    assert!(
        out.contains("Examples:") && out.contains("kaleyra-verify demo"),
        "{out}"
    );
    assert!(!out.contains(SECRET_KEY), "{out}");
}

/// Kills the emulator even when an assertion fails, so no process outlives the test.
struct Killed(std::process::Child);
impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn emulator_command_serves_until_killed() {
    use std::io::{BufRead, BufReader};
    let mut child = Killed(
        bin()
            .args(["emulator", "--port", "0", "--json"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let info = json(&line);
    let url = info["base_url"].as_str().unwrap().to_owned();
    let (code, out, err) = run(bin()
        .args(["--base-url", &url, "--sid", info["sid"].as_str().unwrap()])
        .args(["--api-key", info["api_key"].as_str().unwrap()])
        .args(["--json", "send", "--to", "+12025550123"]));
    drop(child);
    assert_eq!(code, 0, "{out}{err}");
    assert!(json(&out)["verify_id"].is_string(), "{out}");
}

#[test]
fn https_with_an_extra_root_certificate() {
    let em = Emulator::start(EmulatorConfig {
        tls: true,
        ..EmulatorConfig::default()
    })
    .unwrap();
    assert!(em.base_url().starts_with("https://"));
    let pem = std::env::temp_dir().join(format!("kv-cli-ca-{}.pem", std::process::id()));
    std::fs::write(&pem, em.ca_cert_pem().unwrap()).unwrap();

    // Without the emulator's CA the handshake fails: nothing is trusted by accident.
    let (code, _, err) = run(against(&em).args(["send", "--to", "+12025550123"]));
    assert_eq!(code, 25, "expected a certificate error: {err}");

    let (code, out, err) = run(against(&em)
        .args(["--ca-cert", pem.to_str().unwrap()])
        .args(["--json", "send", "--to", "+12025550123"]));
    let _ = std::fs::remove_file(&pem);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(em.stats().otps_generated, 1);
}

#[test]
fn codes_lists_the_table_and_the_exit_codes() {
    let (code, out, _) = run(bin().arg("codes"));
    assert_eq!(code, 0);
    assert!(
        out.contains("E911") && out.contains("otp_rejected"),
        "{out}"
    );
    let (code, out, _) = run(bin().args(["codes", "--json"]));
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(
        v["codes"].as_array().unwrap().len(),
        verify_core::CODES.len()
    );
    let outcome_unknown = v["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "outcome_unknown")
        .unwrap();
    assert_eq!(outcome_unknown["exit_code"], 22);
}

const MY_KEY: &str = "my-own-emulator-key-9f2";
const MY_FLOW: &str = "0f6c3c3e-1111-4b00-ac18-51c000002344";

/// Every option of `emulator` at once, over a file that sets tls and the default flow:
/// the flags' account, the file's TLS and flow, the flags' workers, all seen from outside.
#[test]
fn emulator_command_takes_every_option_over_the_file() {
    use std::io::{BufRead, BufReader};
    let dir = std::env::temp_dir().join(format!("kv-cli-emu-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let flows = dir.join("flows.toml");
    std::fs::write(
        &flows,
        format!(
            "tls = true\nbind = \"127.0.0.1:1\"\n[[flows]]\nid = \"{MY_FLOW}\"\ndefault = true\n\
             otp_length = 4\nchannels = [{{ channel = \"sms\" }}]\n"
        ),
    )
    .unwrap();
    let mut child = Killed(
        bin()
            .args([
                "emulator",
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--workers",
                "3",
            ])
            .args(["--sid", "HXMINE", "--api-key", MY_KEY, "--json"])
            .arg("--flows")
            .arg(&flows)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(!line.contains(MY_KEY), "the given key was printed: {line}");
    let info = json(&line);
    assert_eq!(info["sid"], "HXMINE", "{info}");
    assert!(info["api_key"].is_null(), "{info}");
    assert_eq!(info["default_flow_id"], MY_FLOW, "{info}");
    let url = info["base_url"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with("https://localhost:"),
        "the file's tls was lost: {url}"
    );
    assert!(!url.ends_with(":1"), "--port lost to the file: {url}");

    #[cfg(target_os = "linux")]
    {
        // The emulator's thread and its workers are all named verify-emulator*; the
        // runtime starts its workers in the background, so wait (generously) for them.
        let named = || {
            std::fs::read_dir(format!("/proc/{}/task", child.0.id()))
                .unwrap()
                .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
                .filter(|c| c.starts_with("verify-emulator"))
                .count()
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while named() < 1 + 3 && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(named(), 1 + 3, "--workers 3 not honoured");
    }

    let pem = dir.join("ca.pem");
    std::fs::write(&pem, info["ca_cert_pem"].as_str().unwrap()).unwrap();
    let (code, out, err) = run(bin()
        .args(["--base-url", &url, "--sid", "HXMINE", "--api-key", MY_KEY])
        .arg("--ca-cert")
        .arg(&pem)
        .args(["--json", "send", "--to", "+12025550123"]));
    let (wrong, _, _) = run(bin()
        .args([
            "--base-url",
            &url,
            "--sid",
            "HXEMULATOR01",
            "--api-key",
            "emulator-api-key",
        ])
        .arg("--ca-cert")
        .arg(&pem)
        .args(["send", "--to", "+12025550123"]));
    drop(child);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["flow_id"], MY_FLOW, "{out}");
    assert_eq!(wrong, 13, "the built-in account must no longer be accepted");
}

/// invalid_config has several causes; each gets the hint that fits it.
#[test]
fn invalid_config_hints_fit_their_cause() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let (code, _, err) = run(bin().args(["emulator", "--port", &port]));
    assert_eq!(code, 24, "{err}");
    assert!(err.contains("hint:") && err.contains("--port"), "{err}");
    assert!(!err.contains("KALEYRA_SID"), "{err}");

    let (code, _, err) = run(bin().args(["--sid", "HX1", "--api-key", SECRET_KEY]).args([
        "--ca-cert",
        "/nonexistent/ca.pem",
        "send",
        "--to",
        "+12025550123",
    ]));
    assert_eq!(code, 24, "{err}");
    assert!(err.contains("hint:") && err.contains("--ca-cert"), "{err}");
    assert!(
        !err.contains("KALEYRA_SID") && !err.contains(SECRET_KEY),
        "{err}"
    );

    let (code, _, err) = run(bin().args(["emulator", "--port", "0", "--workers", "0"]));
    assert_eq!(code, 24, "{err}");
    assert!(
        err.contains("--workers") && !err.contains("KALEYRA_SID"),
        "{err}"
    );

    let (code, _, err) = run(bin()
        .args(["--sid", "HX1", "--api-key", SECRET_KEY, "--region", "mars"])
        .args(["send", "--to", "+12025550123"]));
    assert_eq!(code, 24, "{err}");
    assert!(
        err.contains("--region") && !err.contains("KALEYRA_SID"),
        "{err}"
    );
}

/// Logs asked for with RUST_LOG and written to a file or a pipe carry no ANSI colours.
#[test]
fn logs_to_a_pipe_have_no_colours() {
    let (code, _, err) = run(bin().env("RUST_LOG", "debug").arg("demo"));
    assert_eq!(code, 0, "{err}");
    assert!(!err.is_empty(), "RUST_LOG=debug logged nothing");
    assert!(
        !err.contains('\u{1b}'),
        "escape codes in piped logs: {err:?}"
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    use std::io::Read;
    let mut child = bin()
        .arg("codes")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Close the pipe before the command writes, as a reader that already has enough does.
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    child.wait().unwrap();
    assert!(!err.contains("panicked"), "{err}");
}
