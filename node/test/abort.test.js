'use strict';
// AbortSignal: a call rejects with the signal's reason, the Rust task is dropped (so the
// request is cancelled), and an already-aborted signal sends nothing.

const test = require('node:test');
const assert = require('node:assert/strict');
const { setup } = require('./helpers.js');

test('an already-aborted signal rejects at once and sends nothing', async (t) => {
  const { emulator, client } = setup(t);
  const signal = AbortSignal.abort();
  await assert.rejects(client.generate({ mobile: '+12025550123' }, { signal }),
    { name: 'AbortError' });
  assert.equal(emulator.stats().otps_generated, 0);
});

test('aborting mid-call rejects with the reason long before the response', async (t) => {
  const { emulator, client } = setup(t);
  emulator.inject({ mode: 'latency', ms: 3000 });
  const controller = new AbortController();
  const reason = new Error('user left');
  const started = Date.now();
  const call = client.check('00000000-0000-4000-8000-000000000000', '1234',
    { signal: controller.signal });
  setTimeout(() => controller.abort(reason), 50);
  await assert.rejects(call, (e) => e === reason);
  assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
});

test('AbortSignal.timeout aborts a slow generate, whose request is dropped', async (t) => {
  const { emulator, client } = setup(t);
  emulator.inject({ mode: 'latency', ms: 1500 });
  await assert.rejects(
    client.generate({ mobile: '+12025550123' }, { signal: AbortSignal.timeout(100) }),
    { name: 'TimeoutError' });
  // The emulator processes the request only after its latency; the dropped connection
  // must not have produced an OTP.
  await new Promise((r) => setTimeout(r, 1800));
  assert.equal(emulator.stats().otps_generated, 0);
});

test('a signal that never fires changes nothing, and listeners are removed', async (t) => {
  const { emulator, client } = setup(t);
  const controller = new AbortController();
  const sent = await client.generate({ mobile: '+12025550123' }, { signal: controller.signal });
  const outcome = await client.check(sent.verifyId, emulator.lastCode(sent.verifyId),
    { signal: controller.signal });
  assert.equal(outcome, 'verified');
  const { getEventListeners } = require('node:events');
  assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
  controller.abort();
});

test('a signal that is not an AbortSignal is a TypeError', async (t) => {
  const { client } = setup(t);
  await assert.rejects(client.check('x', '1234', { signal: {} }), TypeError);
});
