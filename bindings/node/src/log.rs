//! Request events for Node's way of logging: the core emits `tracing` events; this layer
//! sends each one, as a line, to the JS function of the client whose call emitted it
//! (found by the `sink` field of the span `spawn` wraps every call in). The JS layer
//! passes them to `util.debuglog('kaleyra-verify')` or the client's `logger` option.
//! Nothing is installed until a client asks for a logger; the core never logs the key.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// The span every call of a client with a logger runs in.
pub const SPAN: &str = "kaleyra_verify_node";

pub type SinkId = u64;

/// Weak: a logger never keeps the process alive.
type Sink = ThreadsafeFunction<String, (), String, Status, false, true>;

static NEXT: AtomicU64 = AtomicU64::new(1);
static SINKS: Mutex<Option<HashMap<SinkId, Sink>>> = Mutex::new(None);
static INSTALL: Once = Once::new();

/// Registers a JS function as a sink, installing the routing layer the first time.
pub fn register(f: Function<'_, String, ()>) -> Result<SinkId> {
    let tsfn: Sink = f
        .build_threadsafe_function()
        .weak::<true>()
        .callee_handled::<false>()
        .build()?;
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::registry().with(Route);
        // Another global subscriber (none in this addon) would keep its place.
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    sinks().get_or_insert_with(HashMap::new).insert(id, tsfn);
    Ok(id)
}

/// Forgets a sink (on close, or when the client is collected).
pub fn unregister(id: SinkId) {
    if let Some(map) = sinks().as_mut() {
        map.remove(&id);
    }
}

fn sinks() -> std::sync::MutexGuard<'static, Option<HashMap<SinkId, Sink>>> {
    SINKS.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// The fields of a span, kept to prefix its events, and its sink when it is ours.
struct Fields {
    sink: Option<SinkId>,
    text: String,
}

/// Writes fields as ` name=value`; `message` first, bare.
struct Writer<'a> {
    out: &'a mut String,
    sink: Option<SinkId>,
}

impl Visit for Writer<'_> {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "sink" {
            self.sink = Some(value);
        } else {
            let _ = write!(self.out, " {}={}", field.name(), value);
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.record_debug(field, &format_args!("{value}"));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.out, " {value:?}");
        } else {
            let _ = write!(self.out, " {}={:?}", field.name(), value);
        }
    }
}

struct Route;

impl<S> Layer<S> for Route
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    /// Only the SDK's own events and spans, at debug and above: the HTTP stack's trace
    /// output stays off (and costs nothing).
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        let target = metadata.target();
        *metadata.level() <= tracing::Level::DEBUG
            && (target.starts_with("verify_") || target.starts_with("kaleyra_verify"))
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut text = String::new();
        let mut w = Writer {
            out: &mut text,
            sink: None,
        };
        attrs.record(&mut w);
        let sink = w.sink;
        span.extensions_mut().insert(Fields { sink, text });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut ext = span.extensions_mut();
        if let Some(fields) = ext.get_mut::<Fields>() {
            let mut w = Writer {
                out: &mut fields.text,
                sink: None,
            };
            values.record(&mut w);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        let mut sink = None;
        let mut line = format!(
            "{} {}:",
            event.metadata().level(),
            event.metadata().target()
        );
        for span in scope.from_root() {
            if let Some(fields) = span.extensions().get::<Fields>() {
                sink = sink.or(fields.sink);
                if span.name() != SPAN {
                    let _ = write!(line, " {}{{{}}}", span.name(), fields.text.trim_start());
                }
            }
        }
        let Some(sink) = sink else { return };
        event.record(&mut Writer {
            out: &mut line,
            sink: None,
        });
        if let Some(tsfn) = sinks().as_ref().and_then(|m| m.get(&sink)) {
            tsfn.call(line, ThreadsafeFunctionCallMode::NonBlocking);
        }
    }
}
