'use strict';
// kaleyra-verify/testing: the emulator in-process, every method.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Client } = require('kaleyra-verify');
const { Emulator } = require('kaleyra-verify/testing');

test('start, options, outbox, lastCode, stats, stop', async () => {
  const a = Emulator.start();
  const b = Emulator.start();
  assert.notEqual(a.baseUrl, b.baseUrl, 'each on a free port of its own');
  b.stop();
  assert.match(a.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.ok(a.sid.length > 0 && a.apiKey.length > 0);
  assert.deepEqual(a.clientOptions(), { sid: a.sid, apiKey: a.apiKey, baseUrl: a.baseUrl });
  const client = new Client(a.clientOptions());
  const sent = await client.generate({ mobile: '+12025550123', email: 'user@example.com' });
  const outbox = a.outbox().filter((d) => d.verifyId === sent.verifyId);
  assert.ok(outbox.length >= 1);
  assert.equal(outbox[0].recipient, '12025550123');
  assert.equal(outbox[0].channel, 'sms');
  assert.equal(typeof outbox[0].at, 'number');
  assert.equal(a.lastCode(sent.verifyId), outbox[outbox.length - 1].code);
  assert.equal(a.lastCode('no-such-id'), null);
  const stats = a.stats();
  assert.equal(stats.otps_generated, 1);
  assert.equal(stats.requests.generate['200'], 1);
  a.stop();
  a.stop();
  assert.throws(() => a.outbox(), /stopped/);
});

test('advanceClock expires a code', async () => {
  const e = Emulator.start();
  try {
    const client = new Client(e.clientOptions());
    const sent = await client.generate({ mobile: '+12025550123' });
    e.advanceClock(3600 * 1000);
    assert.equal(await client.check(sent.verifyId, e.lastCode(sent.verifyId)), 'expired');
    assert.throws(() => e.advanceClock(-5), /advanceClock/);
  } finally {
    e.stop();
  }
});

test('inject takes an object or JSON, counts down, and clearFaults drops the rest', async () => {
  const e = Emulator.start();
  try {
    const client = new Client({ ...e.clientOptions(), maxAttempts: 1 });
    e.inject({ mode: 'status', status: 503, count: 2 });
    await assert.rejects(client.check('x', '1234'), { kind: 'server', status: 503 });
    await assert.rejects(client.check('x', '1234'), { kind: 'server', status: 503 });
    assert.equal(await client.check('00000000-0000-4000-8000-000000000000', '1234'), 'not_found');
    e.inject('{"mode": "status", "status": 401, "count": 5}');
    e.clearFaults();
    assert.equal(await client.check('00000000-0000-4000-8000-000000000000', '1234'), 'not_found');
    assert.throws(() => e.inject({ mode: 'no_such_mode' }), /inject/);
  } finally {
    e.stop();
  }
});
