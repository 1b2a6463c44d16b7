//! Secrets (issue 12, part 5), for the Rust client and the command: one recognisable API
//! key, every success and failure path with the most verbose logging on (TRACE for every
//! crate, hyper, reqwest and rustls included, in process; RUST_LOG=trace for the
//! command), and every output searched for it: log lines, Display and Debug of every
//! error and value, the errors' JSON view, the command's text and --json output and its
//! stderr, the `emulator` command's own output, and the emulator's dashboard and other
//! pages. Zero hits, and the capture is proved to work (it holds the calls' spans).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use verify_emulator::{Account, Emulator, EmulatorConfig, Fault};
use verify_http::{BlockingClient, Client, ClientOptions, Error, GenerateRequest};

/// The key: distinctive, and a prefix of the wrong key used below, so that printing
/// either one is caught.
const KEY: &str = "CANARY-k3y-5ecret-d0-not-print";
const SID: &str = "HXSECRETS01";
const MOBILE: &str = "+12025550123";

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every output, named, to be searched at the end.
#[derive(Default)]
struct Outputs(Vec<(String, String)>);

impl Outputs {
    fn add(&mut self, what: impl Into<String>, text: impl Into<String>) {
        self.0.push((what.into(), text.into()));
    }
    fn error(&mut self, what: &str, e: &Error) {
        self.add(format!("{what}: Display"), e.to_string());
        self.add(format!("{what}: Debug"), format!("{e:?} {e:#?}"));
        let view = serde_json::to_string(&e.view()).expect("a view serialises");
        self.add(format!("{what}: view"), view);
    }
    fn result<T: std::fmt::Debug>(&mut self, what: &str, r: Result<T, Error>) {
        match r {
            Ok(v) => self.add(format!("{what}: Ok Debug"), format!("{v:?}")),
            Err(e) => self.error(what, &e),
        }
    }
}

fn emulator(tls: bool) -> Emulator {
    Emulator::start(EmulatorConfig {
        accounts: vec![Account {
            sid: SID.to_owned(),
            api_key: KEY.to_owned(),
        }],
        tls,
        ..EmulatorConfig::default()
    })
    .expect("the emulator starts")
}

fn options(base_url: &str, key: &str) -> ClientOptions {
    let mut o = ClientOptions::new();
    o.sid = Some(SID.to_owned());
    o.api_key = Some(key.to_owned());
    o.base_url = Some(base_url.to_owned());
    o.timeout_ms = Some(3000.0);
    o.initial_backoff_ms = Some(10.0);
    o
}

/// GET `path` from the emulator, the whole answer (headers and body) as text.
fn get(em: &Emulator, path: &str) -> String {
    let mut s = TcpStream::connect(em.addr()).expect("connect to the emulator");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// The Rust client's paths, in process, under the TRACE subscriber.
fn rust_paths(out: &mut Outputs) {
    let em = emulator(false);
    let url = em.base_url().to_owned();
    let client = BlockingClient::new(options(&url, KEY)).expect("a client");
    out.add("BlockingClient Debug", format!("{client:?} {client:#?}"));
    out.add("ClientOptions Debug", format!("{:?}", options(&url, KEY)));
    let builder = BlockingClient::builder()
        .sid(SID)
        .api_key(KEY)
        .base_url(&url);
    out.add("builder Debug", format!("{:?}", builder.options()));

    // Success: generate, check, validate.
    let sent = client
        .generate(GenerateRequest::new(MOBILE))
        .expect("generate");
    out.add("Generated Debug", format!("{sent:?}"));
    let code = em.last_code(&sent.verify_id).expect("a code");
    out.result("check right", client.check(&sent.verify_id, &code));
    // Service refusals: already verified, wrong code (then out of attempts), not found,
    // expired.
    out.result("check used", client.check(&sent.verify_id, &code));
    out.result("validate used", client.validate(&sent.verify_id, &code));
    let other = client
        .generate(GenerateRequest::new(MOBILE))
        .expect("generate");
    for i in 0..4 {
        out.result(
            &format!("check wrong {i}"),
            client.check(&other.verify_id, "000000"),
        );
    }
    out.result("check unknown", client.check("no-such-id", "123456"));
    let late = client
        .generate(GenerateRequest::new(MOBILE))
        .expect("generate");
    em.advance_clock(Duration::from_secs(3600));
    let late_code = em.last_code(&late.verify_id).unwrap_or_default();
    out.result("check expired", client.check(&late.verify_id, &late_code));
    // Local refusals.
    out.result("generate +12", client.generate(GenerateRequest::new("+12")));
    out.result("check no id", client.check("", "123456"));
    out.result("check bad otp", client.check("v", "!!"));
    out.result(
        "generate bad email",
        client.generate(GenerateRequest::new(MOBILE).email("nope")),
    );
    // Every fault the emulator injects, on both calls.
    for fault in [
        Fault::status(500),
        Fault::status(503),
        Fault::status(401),
        Fault::rate_limit(60),
        Fault::close_before(),
        Fault::close_after(),
        Fault::malformed(),
        Fault::truncated(),
    ] {
        let name = format!("{fault:?}");
        em.inject(fault.clone().times(3));
        out.result(
            &format!("generate {name}"),
            client.generate(GenerateRequest::new(MOBILE)),
        );
        em.clear_faults();
        em.inject(fault.times(3));
        out.result(
            &format!("validate {name}"),
            client.validate("v-1", "123456"),
        );
        em.clear_faults();
    }
    // A timeout, from the async client on its own.
    em.inject(Fault::latency(Duration::from_secs(2)));
    let mut slow = options(&url, KEY);
    slow.timeout_ms = Some(200.0);
    let slow = Client::new(slow).expect("a client");
    out.add("Client Debug", format!("{slow:?}"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    out.result(
        "generate timeout",
        rt.block_on(slow.generate(GenerateRequest::new(MOBILE))),
    );
    em.clear_faults();
    // The wrong key (the right one is its prefix): 401.
    let wrong = BlockingClient::new(options(&url, &format!("{KEY}-wrong"))).unwrap();
    out.result(
        "generate wrong key",
        wrong.generate(GenerateRequest::new(MOBILE)),
    );
    // Nothing listening.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let refused = BlockingClient::new(options(&format!("http://{closed}"), KEY)).unwrap();
    out.result(
        "generate refused",
        refused.generate(GenerateRequest::new(MOBILE)),
    );
    // A certificate that is not trusted.
    let tls = emulator(true);
    let untrusted = BlockingClient::new(options(tls.base_url(), KEY)).unwrap();
    out.result(
        "generate untrusted",
        untrusted.generate(GenerateRequest::new(MOBILE)),
    );
    // Configuration errors that hold the key.
    out.result(
        "plain http to a remote host",
        BlockingClient::new(options("http://example.com", KEY)),
    );
    let mut bad = options(&url, KEY);
    bad.timeout_ms = Some(-1.0);
    out.result("negative timeout", BlockingClient::new(bad));
    let mut no_sid = options(&url, KEY);
    no_sid.sid = None;
    out.result("no sid", BlockingClient::new(no_sid));
    for json in [
        format!(r#"{{"sid": "{SID}", "apikey": "{KEY}"}}"#),
        format!(r#"{{"sid": "{SID}", "timeout_ms": "{KEY}"}}"#),
        format!(r#"{{"api_key": {{"{KEY}": 1}}}}"#),
        format!(r#"{{"api_key": "{KEY}", "#),
    ] {
        out.result("options from JSON", ClientOptions::from_json(&json));
    }
    // The emulator's pages after all of it.
    for path in [
        "/",
        "/_emulator/outbox",
        "/_emulator/stats",
        "/_emulator/faults",
        "/_emulator/openapi.json",
        "/_emulator/clock",
    ] {
        out.add(format!("emulator GET {path}"), get(&em, path));
    }
    em.shutdown();
    tls.shutdown();
}

fn cli() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kaleyra-verify"));
    for var in ["KALEYRA_SID", "KALEYRA_REGION", "KALEYRA_BASE_URL"] {
        cmd.env_remove(var);
    }
    cmd.env("RUST_LOG", "trace")
        .env("KALEYRA_API_KEY", KEY)
        .env("NO_COLOR", "1");
    cmd
}

fn run(out: &mut Outputs, what: &str, cmd: &mut Command) -> String {
    let o = cmd.output().expect("the command runs");
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    out.add(format!("cli {what}: stdout"), stdout.clone());
    out.add(
        format!("cli {what}: stderr"),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    );
    stdout
}

/// The command's paths, each as text and as --json, with RUST_LOG=trace.
fn cli_paths(out: &mut Outputs) {
    let em = emulator(false);
    let url = em.base_url().to_owned();
    for json in [false, true] {
        let with = |args: &[&str]| {
            let mut c = cli();
            c.args(["--base-url", &url, "--sid", SID]);
            if json {
                c.arg("--json");
            }
            c.args(args);
            c
        };
        let tag = if json { "--json" } else { "text" };
        run(
            out,
            &format!("{tag} send"),
            &mut with(&["send", "--to", MOBILE, "--otp", "424242"]),
        );
        let id = em
            .outbox()
            .last()
            .map(|d| d.verify_id.clone())
            .expect("a delivery");
        for (what, otp) in [
            ("check wrong", "000000"),
            ("check right", "424242"),
            ("check used", "424242"),
        ] {
            run(
                out,
                &format!("{tag} {what}"),
                &mut with(&["check", "--verify-id", &id, "--otp", otp]),
            );
        }
        run(
            out,
            &format!("{tag} check unknown"),
            &mut with(&["check", "--verify-id", "nope", "--otp", "1"]),
        );
        run(
            out,
            &format!("{tag} send +12"),
            &mut with(&["send", "--to", "+12"]),
        );
        em.inject(Fault::close_after());
        run(
            out,
            &format!("{tag} send lost"),
            &mut with(&["send", "--to", MOBILE]),
        );
        em.inject(Fault::status(503).times(3));
        run(
            out,
            &format!("{tag} send 503"),
            &mut with(&["send", "--to", MOBILE]),
        );
        em.clear_faults();
        let mut wrong = with(&["send", "--to", MOBILE]);
        wrong.env("KALEYRA_API_KEY", format!("{KEY}-wrong"));
        run(out, &format!("{tag} wrong key"), &mut wrong);
        let mut flag = with(&["--api-key", KEY, "send", "--to", MOBILE]);
        flag.env_remove("KALEYRA_API_KEY");
        run(out, &format!("{tag} key as a flag"), &mut flag);
        let mut remote = cli();
        remote.args([
            "--base-url",
            "http://example.com",
            "--sid",
            SID,
            "--api-key",
            KEY,
        ]);
        if json {
            remote.arg("--json");
        }
        run(
            out,
            &format!("{tag} plain http remote"),
            remote.args(["send", "--to", MOBILE]),
        );
        let mut refused = cli();
        refused.args(["--base-url", "http://127.0.0.1:9", "--sid", SID]);
        if json {
            refused.arg("--json");
        }
        run(
            out,
            &format!("{tag} refused"),
            refused.args(["send", "--to", MOBILE]),
        );
        run(out, &format!("{tag} --help"), cli().arg("--help"));
        run(out, &format!("{tag} codes"), &mut with(&["codes"]));
    }
    // The emulator command, given the key: its banner and logs.
    let mut child = cli()
        .args(["--sid", SID, "--api-key", KEY, "emulator", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the emulator command starts");
    let mut banner = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    for _ in 0..8 {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        banner.push_str(&line);
        if line.contains("http://") {
            break;
        }
    }
    let _ = child.kill();
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    let _ = child.wait();
    out.add("cli emulator: stdout", banner);
    out.add("cli emulator: stderr", err);
    out.add("emulator GET / after the command", get(&em, "/"));
    em.shutdown();
}

#[test]
fn the_key_appears_in_no_output_of_any_path() {
    let capture = Capture::default();
    let sink = capture.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .init();

    let mut out = Outputs::default();
    rust_paths(&mut out);
    cli_paths(&mut out);
    let logs = String::from_utf8_lossy(&capture.0.lock().unwrap()).into_owned();
    out.add("in-process TRACE log", logs.clone());

    // The capture works: the calls' spans, hyper's own trace lines, and the command's logs.
    assert!(
        logs.contains("kaleyra_verify.request"),
        "no client span in the log"
    );
    assert!(logs.contains("TRACE"), "no TRACE line in the log");
    let cli_logs: usize = out
        .0
        .iter()
        .filter(|(what, text)| what.ends_with("stderr") && text.contains("kaleyra_verify.request"))
        .count();
    assert!(
        cli_logs > 0,
        "RUST_LOG=trace gave the command no request log"
    );
    let dashboard = &out.0.iter().find(|(w, _)| w == "emulator GET /").unwrap().1;
    assert!(
        dashboard.contains("<html") || dashboard.contains("<!DOCTYPE"),
        "{dashboard}"
    );
    // The search itself finds what it looks for.
    assert!(format!("x{KEY}x").contains(KEY));

    let hits: Vec<&str> = out
        .0
        .iter()
        .filter(|(_, text)| text.contains(KEY))
        .map(|(what, _)| what.as_str())
        .collect();
    let bytes: usize = out.0.iter().map(|(_, t)| t.len()).sum();
    eprintln!(
        "secrets: {} outputs, {bytes} bytes ({} of in-process log) searched; hits: {}",
        out.0.len(),
        logs.len(),
        hits.len()
    );
    assert!(hits.is_empty(), "the API key appears in: {hits:#?}");
}
