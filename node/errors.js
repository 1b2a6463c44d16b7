'use strict';
// The error classes, made at load time from verify-core's table of kinds (exported by the
// native module), never listed by hand: `VerifyError` and one subclass per kind, named by
// the core's `class_name()`. Also turns a native failure into the right class, with the
// stack of the caller's line.

const native = require('./native/index.js');

const markers = native.markers();
/** @type {ReadonlyArray<{name: string, number: number, className: string, description: string}>} */
const ERROR_KINDS = Object.freeze(native.errorKinds().map((k) => Object.freeze(k)));

/**
 * Every error of this package. `kind` says which class it is; the other fields keep all
 * that the service said. The message never contains the API key.
 */
class VerifyError extends Error {
  /** @param {Record<string, any>} view the core's ErrorView (snake_case or camelCase) */
  constructor(view = {}) {
    super(view.message ?? '');
    /** @type {string} */
    this.kind = view.kind ?? 'internal';
    /** @type {string | null} the code as the service sent it */
    this.code = view.code ?? null;
    /** @type {string | null} the envelope's `type` */
    this.errorType = view.type ?? view.errorType ?? null;
    /** @type {string | null} the request parameter it names */
    this.parameter = view.parameter ?? null;
    /** @type {string | null} the envelope's `message`, as sent */
    this.serviceMessage = view.service_message ?? view.serviceMessage ?? null;
    /** @type {string | null} the service's reference for support */
    this.reference = view.reference ?? null;
    /** @type {number | null} the HTTP status, when an answer was read */
    this.status = view.status ?? null;
    /** @type {number | null} milliseconds the service asked to wait (Retry-After) */
    this.retryAfter = view.retry_after_ms ?? view.retryAfter ?? null;
    /** @type {string | null} the first bytes of a body that was not the envelope */
    this.bodySnippet = view.body_snippet ?? view.bodySnippet ?? null;
    /** @type {string | null} for outcome_unknown: the kind of what happened */
    this.causeKind = view.cause_kind ?? view.causeKind ?? null;
  }

  toJSON() {
    const { name, kind, code, message, errorType, parameter, serviceMessage, reference } = this;
    const { status, retryAfter, bodySnippet, causeKind } = this;
    return {
      name, kind, code, message, errorType, parameter, serviceMessage, reference,
      status, retryAfter, bodySnippet, causeKind,
    };
  }
}
Object.defineProperty(VerifyError.prototype, 'name', {
  value: 'VerifyError', writable: true, configurable: true,
});

/** @type {Record<string, typeof VerifyError>} by class name */
const classes = {};
/** @type {Map<string, typeof VerifyError>} by kind */
const byKind = new Map();
for (const k of ERROR_KINDS) {
  // A computed key names the class itself (`ValidationError.name`), not only its instances.
  const Class = { [k.className]: class extends VerifyError {} }[k.className];
  Object.defineProperty(Class.prototype, 'name', {
    value: k.className, writable: true, configurable: true,
  });
  Object.defineProperty(Class, 'kind', { value: k.name });
  classes[k.className] = Class;
  byKind.set(k.name, Class);
}

/**
 * A native failure as the error to throw. `site` holds the stack captured when the caller
 * called us, so that the stack points at the caller's line, not at the native layer.
 * @param {any} e @param {{stack?: string}} [site] @param {AbortSignal} [signal]
 */
function toError(e, site, signal) {
  if (signal && signal.aborted && e && e.message === markers.aborted) return signal.reason;
  let err;
  if (e instanceof Error && e.message.startsWith(markers.view)) {
    const view = JSON.parse(e.message.slice(markers.view.length));
    const Class = byKind.get(view.kind) ?? VerifyError;
    err = new Class(view);
  } else if (e instanceof Error && /^InvalidArg$|Expected$/.test(String(e.code))) {
    // napi refused a value of the wrong JS type (StringExpected, ...) before any core code ran.
    err = new TypeError(e.message);
  } else {
    return e;
  }
  if (site && typeof site.stack === 'string') {
    const nl = site.stack.indexOf('\n');
    err.stack = `${err.name}: ${err.message}${nl >= 0 ? site.stack.slice(nl) : ''}`;
  }
  return err;
}

module.exports = { VerifyError, classes, byKind, toError, ERROR_KINDS };
