//! `GET /`: the OTPs generated and their status, like Kaleyra's console, as plain
//! server-rendered HTML (no front-end build). A tester sees at a glance what was sent,
//! to whom, on which channels, and what became of it. Every value is escaped: ids and
//! addresses come from requests.

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};

use crate::app::App;
use crate::clock::Millis;
use crate::state::Verification;

/// How many verifications the page lists, newest first.
pub const ROWS: usize = 200;

/// Seconds between the page's automatic refreshes.
const REFRESH_SECONDS: u32 = 5;

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:24px;color:#1d2330}\
h1{font-size:22px;margin:0 0 4px}.meta{color:#5b6475;margin:0 0 16px}\
table{border-collapse:collapse;width:100%;font-size:14px}\
th{text-align:left;background:#f2f4f8;color:#3b4352;font-weight:600}\
td,th{padding:6px 10px;border-bottom:1px solid #e3e6ec;vertical-align:top}\
.mono{font-family:ui-monospace,monospace}.muted{color:#7a8294}\
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}\
.badge.pending{background:#fff4d6;color:#8a5a00}.badge.verified{background:#dcf5e3;color:#166534}\
.badge.expired{background:#eceef2;color:#4b5262}.badge.locked{background:#fde2e1;color:#9b1c1c}\
.empty{padding:24px;color:#5b6475}.nowrap{white-space:nowrap}";

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The time of day of an emulator instant, `hh:mm:ss` UTC.
fn time_of_day(at: Millis) -> String {
    let s = (at / 1000) % 86_400;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// A span of milliseconds as `9m 59s`.
fn span(ms: Millis) -> String {
    let s = ms / 1000;
    match s {
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m {}s", s / 60, s % 60),
        _ => format!("{}h {}m", s / 3600, s / 60 % 60),
    }
}

/// When the code expires, relative to now.
fn expiry(v: &Verification, now: Millis) -> String {
    if v.verified_at.is_some() {
        "<span class=\"muted\">used</span>".to_owned()
    } else if now >= v.expires_at {
        format!("expired {} ago", span(now - v.expires_at))
    } else {
        format!("in {}", span(v.expires_at - now))
    }
}

fn row(html: &mut String, v: &Verification, now: Millis) {
    let status = v.status(now);
    let mut to: Vec<String> = v
        .mobiles
        .iter()
        .map(|m| format!("+{}", escape(m)))
        .collect();
    to.extend(v.email.iter().map(|e| escape(e)));
    let deliveries = if v.delivered.is_empty() {
        "<span class=\"muted\">none yet</span>".to_owned()
    } else {
        v.delivered
            .iter()
            .map(|(c, at)| format!("{} {}", c.as_str(), time_of_day(*at)))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let _ = write!(
        html,
        "<tr data-verify-id=\"{id}\" class=\"{status}\"><td class=\"verify-id mono\">{id}</td>\
         <td class=\"status\"><span class=\"badge {status}\">{status}</span></td>\
         <td class=\"code mono\">{code}</td><td>{to}</td><td>{left} of {max}</td>\
         <td>{deliveries}</td><td>{created}</td><td class=\"nowrap\">{expires}</td>\
         <td class=\"mono muted\">{flow}</td></tr>",
        id = escape(&v.verify_id),
        code = escape(&v.code),
        to = to.join("<br>"),
        left = v.attempts_left,
        max = v.flow.max_attempts,
        created = time_of_day(v.created_at),
        expires = expiry(v, now),
        flow = escape(&v.flow.id),
    );
}

/// The handler.
pub async fn handle(State(app): State<Arc<App>>) -> Response {
    app.tick();
    let now = app.clock.now();
    let rows = app.store.recent(ROWS);
    let mut html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"{REFRESH_SECONDS}\">\
         <title>Verify emulator</title><style>{STYLE}</style></head><body>\
         <h1>Kaleyra Verify emulator: OTPs</h1>"
    );
    let advanced = app.clock.offset();
    let _ = write!(
        html,
        "<p class=\"meta\">Emulator clock {} UTC{}. {} verifications held, newest {} shown. \
         Refreshes every {REFRESH_SECONDS}s.</p>",
        time_of_day(now),
        if advanced > 0 {
            format!(" (advanced {})", span(advanced))
        } else {
            String::new()
        },
        app.store.live(),
        rows.len(),
    );
    if rows.is_empty() {
        html.push_str(
            "<p class=\"empty\">No OTPs yet. Send one with <span class=\"mono\">\
             kaleyra-verify send</span> or <span class=\"mono\">POST /v1/{SID}/verify</span>.</p>",
        );
    } else {
        html.push_str(
            "<table id=\"otps\"><tr><th>verify_id</th><th>status</th><th>code</th><th>to</th>\
             <th>attempts left</th><th>deliveries (UTC)</th><th>created (UTC)</th>\
             <th>expires</th><th>flow</th></tr>",
        );
        for v in &rows {
            row(&mut html, v, now);
        }
        html.push_str("</table>");
    }
    html.push_str("</body></html>");
    Html(html).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            escape("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
    }

    #[test]
    fn times() {
        assert_eq!(time_of_day(86_400_000 + 3_723_000), "01:02:03");
        assert_eq!(span(59_999), "59s");
        assert_eq!(span(600_000), "10m 0s");
        assert_eq!(span(7_260_000), "2h 1m");
    }
}
