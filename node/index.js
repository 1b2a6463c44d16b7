'use strict';
// The public module of `kaleyra-verify`: a `Client` with Promise methods over the native
// addon (the Rust core through Node-API), AbortSignal per call, logging the Node way, and
// the error classes derived from verify-core's table. It translates; it decides nothing.

const util = require('node:util');
const native = require('./native/index.js');
const { VerifyError, classes, toError, ERROR_KINDS } = require('./errors.js');

const debuglog = util.debuglog('kaleyra-verify');

/** Every outcome `check` can answer, from verify-core's `CheckOutcome::ALL`. */
const CHECK_OUTCOMES = Object.freeze(native.checkOutcomes().map((o) => Object.freeze(o)));
/** verify-core's code table: code, meaning, category, parameter, http_status. */
const CODES = Object.freeze(JSON.parse(native.codesJson()).map((c) => Object.freeze(c)));

const REDACTED = '[redacted]';

/** @param {Record<string, unknown>} options */
function redact(options) {
  const copy = { ...options };
  if (copy.apiKey !== undefined && copy.apiKey !== null) copy.apiKey = REDACTED;
  delete copy.logger;
  return Object.freeze(copy);
}

/** The function the native layer sends request events to, or undefined for none. */
function sinkFor(logger) {
  if (logger !== undefined && typeof logger !== 'function') {
    throw new TypeError('options.logger must be a function');
  }
  if (!logger && !debuglog.enabled) return undefined;
  return (/** @type {string} */ line) => {
    if (debuglog.enabled) debuglog('%s', line);
    if (logger) logger(line);
  };
}

/** Captures the caller's stack, without the frames of `fn` and above. */
function site(fn) {
  const s = {};
  Error.captureStackTrace(s, fn);
  return s;
}

/** @param {{signal?: AbortSignal} | undefined} opts */
function abortOf(opts) {
  const signal = opts ? opts.signal : undefined;
  if (signal === undefined || signal === null) return { signal: undefined, token: undefined };
  if (typeof signal.aborted !== 'boolean' || typeof signal.addEventListener !== 'function') {
    throw new TypeError('options.signal must be an AbortSignal');
  }
  signal.throwIfAborted();
  return { signal, token: new native.AbortToken() };
}

/**
 * Runs one native call with its AbortSignal. @template T
 * @param {(token: any) => Promise<T>} call @param {{signal?: AbortSignal}|undefined} opts
 * @param {{stack?: string}} at
 * @returns {Promise<T>}
 */
async function run(call, opts, at) {
  const { signal, token } = abortOf(opts);
  if (!token) {
    try {
      return await call(undefined);
    } catch (e) {
      throw toError(e, at);
    }
  }
  const onAbort = () => token.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await call(token);
  } catch (e) {
    throw toError(e, at, signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** How the next constructor call builds (set by `fromEnv` around its `new Client`). */
let pending;

/**
 * A client of the Verify API. Cheap to keep for the life of the process; one connection
 * pool per client. An idle client keeps nothing alive: the process exits on its own.
 */
class Client {
  #native;
  #options;

  /** @param {import('./index').ClientOptions} [options] */
  constructor(options = {}) {
    const { how, at } = pending ?? { how: 'new', at: site(Client) };
    pending = undefined;
    if (options === null || options === undefined) options = {};
    if (typeof options !== 'object') throw new TypeError('options must be an object');
    const { logger, ...rest } = options;
    const sink = sinkFor(logger);
    try {
      this.#native =
        how === 'new'
          ? new native.NativeClient(rest, Object.keys(rest), sink)
          : native.NativeClient.fromEnv(rest, Object.keys(rest), sink);
    } catch (e) {
      throw toError(e, at);
    }
    this.#options = redact(rest);
  }

  /**
   * A client from KALEYRA_SID, KALEYRA_API_KEY, KALEYRA_REGION and KALEYRA_BASE_URL, for
   * whatever `options` leaves unset.
   * @param {import('./index').ClientOptions} [options]
   */
  static fromEnv(options = {}) {
    pending = { how: 'fromEnv', at: site(Client.fromEnv) };
    try {
      return new Client(options);
    } finally {
      pending = undefined;
    }
  }

  /** The options this client was made with, the API key redacted. */
  get options() {
    return this.#options;
  }

  /**
   * Sends a code to `mobile` (and `email`, for flows with an email channel).
   * @param {import('./index').GenerateRequest} request
   * @param {import('./index').CallOptions} [opts]
   */
  generate(request, opts) {
    const at = site(this.generate);
    return run((t) => this.#native.generate(request, t), opts, at);
  }

  /**
   * Checks a code: resolves when it is right, rejects with an `OtpRejectedError` when it
   * is wrong, expired, used or out of attempts.
   * @param {string} verifyId @param {string} otp @param {import('./index').CallOptions} [opts]
   */
  validate(verifyId, otp, opts) {
    const at = site(this.validate);
    return run((t) => this.#native.validate(verifyId, otp, t), opts, at);
  }

  /**
   * Checks a code and answers its outcome ("verified", "wrong_code", ...); only failures
   * of the system (transport, authentication, server) reject.
   * @param {string} verifyId @param {string} otp @param {import('./index').CallOptions} [opts]
   */
  check(verifyId, otp, opts) {
    const at = site(this.check);
    return run((t) => this.#native.check(verifyId, otp, t), opts, at);
  }

  /** Releases the connection pool; later calls reject with an `InvalidConfigError`. */
  close() {
    if (this.#native) this.#native.close();
  }

  toJSON() {
    return { options: this.#options };
  }

  [util.inspect.custom](depth, opts, inspect) {
    return `Client ${inspect(this.#options, opts)}`;
  }
}

if (typeof Symbol.dispose === 'symbol') {
  Object.defineProperty(Client.prototype, Symbol.dispose, {
    value() { this.close(); }, configurable: true, writable: true,
  });
}

module.exports = {
  Client,
  VerifyError,
  ...classes,
  ERROR_KINDS,
  CHECK_OUTCOMES,
  CODES,
};
