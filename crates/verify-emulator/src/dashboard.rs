//! `GET /`: the OTPs generated and their status, like Kaleyra's console, as plain
//! server-rendered HTML. Every value is escaped: ids and addresses come from requests.

use std::fmt::Write;
use std::sync::Arc;

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};

use crate::app::App;

/// How many verifications the page lists, newest first.
pub const ROWS: usize = 200;

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

/// The handler.
pub async fn handle(State(app): State<Arc<App>>) -> Response {
    app.tick();
    let now = app.clock.now();
    let rows = app.store.recent(ROWS);
    let mut html = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Verify emulator</title>\
         <style>body{font-family:sans-serif}td,th{border:1px solid #ccc;padding:4px}\
         table{border-collapse:collapse}</style></head><body><h1>Verify emulator: OTPs</h1>",
    );
    let _ = write!(
        html,
        "<p>{} verifications held; showing the newest {}.</p><table id=\"otps\"><tr><th>verify_id</th>\
         <th>status</th><th>flow</th><th>to</th><th>attempts left</th><th>deliveries</th>\
         <th>created (ms)</th><th>expires (ms)</th></tr>",
        app.store.live(),
        rows.len()
    );
    for v in rows {
        let deliveries: Vec<String> = v
            .delivered
            .iter()
            .map(|(c, at)| format!("{} @{}", c.as_str(), at))
            .collect();
        let mut to = v.mobiles.join(", ");
        if let Some(e) = &v.email {
            to.push_str(", ");
            to.push_str(e);
        }
        let status = v.status(now);
        let _ = write!(
            html,
            "<tr data-verify-id=\"{id}\" class=\"{status}\"><td class=\"verify-id\">{id}</td>\
             <td class=\"status\">{status}</td><td>{flow}</td><td>{to}</td><td>{left}</td>\
             <td>{del}</td><td>{created}</td><td>{expires}</td></tr>",
            id = escape(&v.verify_id),
            flow = escape(&v.flow.id),
            to = escape(&to),
            left = v.attempts_left,
            del = escape(&deliveries.join("; ")),
            created = v.created_at,
            expires = v.expires_at,
        );
    }
    html.push_str("</table></body></html>");
    Html(html).into_response()
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes() {
        assert_eq!(
            super::escape("<a href='x'>&\""),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
        );
    }
}
