'use strict';
// The error classes: one per entry of verify-core's table (walked here from the native
// module), instanceof, every field kept, the stack at the caller's line, the key never shown.

const test = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');
const fs = require('node:fs');
const path = require('node:path');
const verify = require('kaleyra-verify');
const native = require('kaleyra-verify/package.json') && require(
  path.join(path.dirname(require.resolve('kaleyra-verify')), 'native', 'index.js'));
const { setup } = require('./helpers.js');

const { Client, VerifyError, ERROR_KINDS } = verify;

test('the native table has 16 kinds numbered 1..16 and a class for each', () => {
  const kinds = native.errorKinds();
  assert.equal(kinds.length, 16);
  assert.deepEqual(kinds.map((k) => k.number), Array.from({ length: 16 }, (_, i) => i + 1));
  assert.deepEqual(ERROR_KINDS.map((k) => k.name), kinds.map((k) => k.name));
  const dts = fs.readFileSync(
    path.join(path.dirname(require.resolve('kaleyra-verify')), 'generated.d.ts'), 'utf8');
  for (const k of kinds) {
    const Class = verify[k.className];
    assert.equal(typeof Class, 'function', k.className);
    assert.equal(Class.name, k.className);
    assert.equal(Class.kind, k.name);
    assert.ok(Object.getPrototypeOf(Class) === VerifyError, `${k.className} extends VerifyError`);
    const e = new Class({ kind: k.name, message: 'm', code: 'X1', retry_after_ms: 5 });
    assert.ok(e instanceof Class && e instanceof VerifyError && e instanceof Error);
    assert.equal(e.name, k.className);
    assert.equal(e.kind, k.name);
    assert.equal(e.retryAfter, 5);
    assert.match(dts, new RegExp(`export declare class ${k.className} extends VerifyError`));
    for (const other of kinds) {
      if (other !== k) assert.ok(!(e instanceof verify[other.className]));
    }
  }
});

test('ESM named imports match the CommonJS exports', async () => {
  const esm = await import('kaleyra-verify');
  for (const k of native.errorKinds()) assert.equal(esm[k.className], verify[k.className]);
  assert.equal(esm.Client, Client);
  const testing = await import('kaleyra-verify/testing');
  assert.equal(testing.Emulator, require('kaleyra-verify/testing').Emulator);
});

test('an API error keeps kind, code, message, parameter, status, type', async (t) => {
  const { emulator, client } = setup(t);
  emulator.inject({ mode: 'status', status: 401 });
  const err = await client.generate({ mobile: '+12025550123' }).catch((e) => e);
  assert.ok(err instanceof verify.AuthenticationError, String(err));
  assert.equal(err.kind, 'authentication');
  assert.equal(err.status, 401);
  assert.equal(typeof err.code, 'string');
  assert.equal(typeof err.errorType, 'string');
  assert.ok(err.message.includes(err.code));
});

test('a 429 keeps retryAfter in milliseconds', async (t) => {
  const { emulator, client } = setup(t, { maxRetryAfterMs: 0, maxAttempts: 1 });
  emulator.inject({ mode: 'rate_limit', retry_after: 3 });
  const err = await client.generate({ mobile: '+12025550123' }).catch((e) => e);
  assert.ok(err instanceof verify.RateLimitedError, String(err));
  assert.equal(err.retryAfter, 3000);
  assert.equal(err.status, 429);
});

test('a generate that may have reached the service is OutcomeUnknownError with its cause', async (t) => {
  const { emulator, client } = setup(t);
  emulator.inject({ mode: 'close_after' });
  const err = await client.generate({ mobile: '+12025550123' }).catch((e) => e);
  assert.ok(err instanceof verify.OutcomeUnknownError, String(err));
  assert.equal(err.causeKind, 'transport');
  assert.equal(emulator.stats().otps_generated, 1);
});

test('a malformed 200 is a DecodeError with the body snippet', async (t) => {
  const { emulator, client } = setup(t, { maxAttempts: 1 });
  const sent = await client.generate({ mobile: '+12025550123' });
  emulator.inject({ mode: 'malformed' });
  const err = await client.validate(sent.verifyId, emulator.lastCode(sent.verifyId))
    .catch((e) => e);
  assert.ok(err instanceof verify.DecodeError, String(err));
  assert.equal(err.status, 200);
  assert.equal(typeof err.bodySnippet, 'string');
  assert.ok(err.bodySnippet.length > 0);
});

test('a lost validate answer is retried; E910 then is success with afterLostAttempt', async (t) => {
  const { emulator, client } = setup(t);
  const sent = await client.generate({ mobile: '+12025550123' });
  emulator.inject({ mode: 'malformed' });
  const ok = await client.validate(sent.verifyId, emulator.lastCode(sent.verifyId));
  assert.equal(ok.afterLostAttempt, true);
});

test('nothing listening is a ConnectError', async () => {
  const { Emulator } = require('kaleyra-verify/testing');
  const emulator = Emulator.start();
  const options = emulator.clientOptions();
  emulator.stop();
  const client = new Client({ ...options, maxAttempts: 1 });
  const err = await client.check('x', '1234').catch((e) => e);
  assert.ok(err instanceof verify.ConnectError, String(err));
});

test('a call that outlives timeoutMs is a RequestTimeoutError', async (t) => {
  const { emulator, client } = setup(t, { timeoutMs: 200, maxAttempts: 1 });
  emulator.inject({ mode: 'latency', ms: 2000 });
  const err = await client.check('x', '1234').catch((e) => e);
  assert.ok(err instanceof verify.RequestTimeoutError, String(err));
});

test('the stack points at the caller line, for async and sync errors', async (t) => {
  const { client } = setup(t);
  const line = Number(new Error().stack.split('\n')[1].match(/:(\d+):\d+\)?$/)[1]) + 1;
  const err = await client.generate({ mobile: '+12' }).catch((e) => e);
  const frames = err.stack.split('\n');
  assert.match(frames[0], /^ValidationError: /);
  assert.ok(frames[1].includes(`${__filename}:${line}:`), frames[1]);
  const line2 = Number(new Error().stack.split('\n')[1].match(/:(\d+):\d+\)?$/)[1]) + 2;
  try {
    new Client({ baseUrl: 'http://example.com' });
  } catch (e) {
    assert.ok(e instanceof verify.InvalidConfigError);
    assert.ok(e.stack.split('\n')[1].includes(`${__filename}:${line2}:`), e.stack);
  }
});

test('inspect and JSON of a client, its options and its errors never show the key', async (t) => {
  const { Emulator } = require('kaleyra-verify/testing');
  const emulator = Emulator.start();
  t.after(() => emulator.stop());
  const key = 'sk_live_SECRET_4f2a9c';
  const client = new Client({ ...emulator.clientOptions(), apiKey: key, maxAttempts: 1 });
  const err = await client.generate({ mobile: '+12025550123' }).catch((e) => e);
  assert.ok(err instanceof verify.AuthenticationError, String(err));
  const shown = [
    util.inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client),
    util.inspect(client.options, { showHidden: true }), JSON.stringify(client.options),
    util.inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err), String(err),
    err.stack, util.inspect(emulator), JSON.stringify(emulator),
  ];
  assert.ok(emulator.apiKey.length > 0);
  for (const s of shown) {
    assert.ok(!s.includes(key), s);
    assert.ok(!s.includes(emulator.apiKey), s);
  }
  assert.equal(client.options.apiKey, '[redacted]');
  const bad = (() => { try { new Client({ apiKey: key, baseUrl: 'ftp://x' }); } catch (e) { return e; } })();
  assert.ok(bad instanceof verify.InvalidConfigError);
  assert.ok(!util.inspect(bad).includes(key));
});
