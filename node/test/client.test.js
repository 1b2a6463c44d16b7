'use strict';
// Every method of Client against the emulator, over loopback HTTP.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, CHECK_OUTCOMES, InvalidConfigError, OtpRejectedError, ValidationError } =
  require('kaleyra-verify');
const { Emulator } = require('kaleyra-verify/testing');
const { setup } = require('./helpers.js');

test('generate then validate the code that was sent', async (t) => {
  const { emulator, client } = setup(t);
  const sent = await client.generate({ mobile: '+12025550123', email: 'user@example.com' });
  assert.equal(typeof sent.verifyId, 'string');
  assert.ok(sent.verifyId.length > 0);
  const code = emulator.lastCode(sent.verifyId);
  assert.match(code, /^[0-9A-Za-z]+$/);
  const ok = await client.validate(sent.verifyId, code);
  assert.deepEqual(ok, {
    verifyId: sent.verifyId, message: ok.message, afterLostAttempt: false,
  });
  assert.ok(ok.message.length > 0);
});

test('generate with flowId and otp passes them on', async (t) => {
  const { emulator, client } = setup(t);
  const first = await client.generate({ mobile: '+12025550123' });
  const mine = '7'.repeat(emulator.lastCode(first.verifyId).length);
  const sent = await client.generate({ mobile: '+12025550123', flowId: first.flowId, otp: mine });
  assert.equal(sent.flowId, first.flowId);
  assert.equal(emulator.lastCode(sent.verifyId), mine);
});

test('check answers each outcome as a string of CHECK_OUTCOMES', async (t) => {
  const { emulator, client } = setup(t);
  const names = CHECK_OUTCOMES.map((o) => o.name);
  const sent = await client.generate({ mobile: '+12025550123' });
  const code = emulator.lastCode(sent.verifyId);
  const wrong = code === '000000' ? '111111' : '000000';
  const answers = [
    await client.check(sent.verifyId, wrong),
    await client.check(sent.verifyId, code),
    await client.check(sent.verifyId, code),
    await client.check('00000000-0000-4000-8000-000000000000', code),
  ];
  assert.deepEqual(answers, ['wrong_code', 'verified', 'already_verified', 'not_found']);
  for (const a of answers) assert.ok(names.includes(a), a);
  const later = await client.generate({ mobile: '+12025550123' });
  emulator.advanceClock(24 * 3600 * 1000);
  assert.equal(await client.check(later.verifyId, emulator.lastCode(later.verifyId)), 'expired');
});

test('validate rejects a wrong code with OtpRejectedError and its code', async (t) => {
  const { emulator, client } = setup(t);
  const sent = await client.generate({ mobile: '+12025550123' });
  const wrong = emulator.lastCode(sent.verifyId) === '000000' ? '111111' : '000000';
  await assert.rejects(client.validate(sent.verifyId, wrong), (e) => {
    assert.ok(e instanceof OtpRejectedError);
    assert.equal(e.kind, 'otp_rejected');
    assert.match(e.code, /^E9\d\d$/);
    assert.equal(typeof e.status, 'number');
    return true;
  });
});

test('invalid input is refused locally with a ValidationError and sends nothing', async (t) => {
  const { emulator, client } = setup(t);
  await assert.rejects(client.generate({ mobile: '+12' }), ValidationError);
  await assert.rejects(client.generate({}), (e) => e instanceof ValidationError && e.code !== null);
  assert.equal(emulator.stats().otps_generated, 0);
});

test('values of the wrong JS type are TypeErrors', async (t) => {
  const { client } = setup(t);
  await assert.rejects(client.generate({ mobile: 12025550123 }), TypeError);
  await assert.rejects(client.validate(42, '1234'), TypeError);
  assert.throws(() => new Client('nope'), TypeError);
  assert.throws(() => new Client({ logger: 'nope' }), TypeError);
  assert.throws(() => new Client({ timeoutMs: 'soon' }), TypeError);
});

test('options the core refuses throw InvalidConfigError naming the field', () => {
  const emulator = Emulator.start();
  try {
    const base = emulator.clientOptions();
    for (const [field, value] of [
      ['timeoutMs', NaN], ['timeoutMs', -1], ['connectTimeoutMs', Infinity],
      ['maxAttempts', 0], ['maxAttempts', 1.5],
    ]) {
      assert.throws(() => new Client({ ...base, [field]: value }), (e) => {
        assert.ok(e instanceof InvalidConfigError, `${field}=${value}: ${e}`);
        assert.equal(e.kind, 'invalid_config');
        return true;
      });
    }
    assert.throws(() => new Client({ ...base, baseUrl: 'http://example.com' }), InvalidConfigError);
    assert.throws(() => new Client({ sid: 'HX1', apiKey: 'k', region: 'mars' }), InvalidConfigError);
    assert.throws(() => new Client({ apiKey: 'k', region: 'sg' }), InvalidConfigError);
    // A misspelt option is refused, not ignored.
    assert.throws(() => new Client({ ...base, timeoutMS: 10 }), (e) =>
      e instanceof InvalidConfigError && /unknown option `timeoutMS`/.test(e.message));
    assert.throws(() => Client.fromEnv({ ...base, apikey: 'x' }), InvalidConfigError);
  } finally {
    emulator.stop();
  }
});

test('fromEnv reads KALEYRA_* and lets options win', async (t) => {
  const emulator = Emulator.start();
  t.after(() => emulator.stop());
  const saved = { ...process.env };
  t.after(() => { process.env = saved; });
  process.env.KALEYRA_SID = emulator.sid;
  process.env.KALEYRA_API_KEY = emulator.apiKey;
  process.env.KALEYRA_BASE_URL = emulator.baseUrl;
  const client = Client.fromEnv();
  assert.ok(client instanceof Client);
  const sent = await client.generate({ mobile: '+12025550123' });
  assert.equal(await client.check(sent.verifyId, emulator.lastCode(sent.verifyId)), 'verified');
  process.env.KALEYRA_BASE_URL = 'http://example.com';
  assert.throws(() => Client.fromEnv(), InvalidConfigError);
  assert.ok(Client.fromEnv({ baseUrl: emulator.baseUrl }) instanceof Client);
  delete process.env.KALEYRA_SID;
  assert.throws(() => Client.fromEnv({ baseUrl: emulator.baseUrl }), InvalidConfigError);
});

test('a closed client rejects every call with InvalidConfigError', async (t) => {
  const { client } = setup(t);
  client.close();
  client.close();
  await assert.rejects(client.generate({ mobile: '+12025550123' }), InvalidConfigError);
  await assert.rejects(client.check('x', '1234'), InvalidConfigError);
});

test('1,000 calls in flight on one client all succeed', async (t) => {
  const { emulator, client } = setup(t);
  const sent = await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      client.generate({ mobile: `+1202555${String(i).padStart(4, '0')}` })),
  );
  assert.equal(new Set(sent.map((s) => s.verifyId)).size, 1000);
  assert.equal(emulator.stats().otps_generated, 1000);
  const outcomes = await Promise.all(
    sent.map((s) => client.check(s.verifyId, emulator.lastCode(s.verifyId))));
  assert.deepEqual(new Set(outcomes), new Set(['verified']));
});
