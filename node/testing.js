'use strict';
// `kaleyra-verify/testing`: the Rust emulator of the Verify API inside this process, for
// your tests. It serves on its own threads on a free loopback port and never keeps the
// process alive.

const util = require('node:util');
const native = require('./native/index.js');

class Emulator {
  #native;

  /** Starts an emulator (default account and flow) on a free port. */
  static start() {
    return new Emulator(native.NativeEmulator.start());
  }

  /** @private use `Emulator.start()` */
  constructor(handle) {
    if (!(handle instanceof native.NativeEmulator)) {
      throw new TypeError('use Emulator.start()');
    }
    this.#native = handle;
  }

  /** Its base URL, e.g. http://127.0.0.1:41234 */
  get baseUrl() { return this.#native.baseUrl; }
  /** The account SID it accepts. */
  get sid() { return this.#native.sid; }
  /** The API key it accepts. */
  get apiKey() { return this.#native.apiKey; }

  /** `{ sid, apiKey, baseUrl }`, to spread into a `Client`'s options. */
  clientOptions() {
    return { sid: this.sid, apiKey: this.apiKey, baseUrl: this.baseUrl };
  }

  /** Every code "sent", oldest first. */
  outbox() { return this.#native.outbox(); }

  /** The last code sent for `verifyId`, or null. */
  lastCode(verifyId) { return this.#native.lastCode(verifyId); }

  /** Moves its clock forward by `ms` milliseconds (expiry, rate windows). */
  advanceClock(ms) { this.#native.advanceClock(ms); }

  /**
   * Fails the next requests: `{ mode: 'status', status: 503, count: 2 }`,
   * `{ mode: 'latency', ms: 300 }`, `{ mode: 'close_before' }`, `{ mode: 'rate_limit',
   * retry_after: 2 }`... (the JSON of the emulator's `/_emulator/faults` route).
   */
  inject(fault) {
    this.#native.inject(typeof fault === 'string' ? fault : JSON.stringify(fault));
  }

  /** Drops the faults still queued. */
  clearFaults() { this.#native.clearFaults(); }

  /** Its counters: otps_generated, requests by route and status, ... */
  stats() { return JSON.parse(this.#native.statsJson()); }

  /** Stops serving (idempotent). */
  stop() { this.#native.stop(); }

  toJSON() {
    return { baseUrl: this.baseUrl, sid: this.sid, apiKey: '[redacted]' };
  }

  [util.inspect.custom](depth, opts, inspect) {
    return `Emulator ${inspect(this.toJSON(), opts)}`;
  }
}

module.exports = { Emulator };
