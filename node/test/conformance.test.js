'use strict';
// The repository's conformance suite (conformance/README.md), every case, through the
// package: scenarios and flows against a fresh in-process emulator each, the vectors
// through the native module's verify-core entry points.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const verify = require('kaleyra-verify');
const { Emulator } = require('kaleyra-verify/testing');

const native = require(path.join(path.dirname(require.resolve('kaleyra-verify')), 'native', 'index.js'));
const dir = path.join(process.env.KALEYRA_REPO || path.join(__dirname, '..', '..'), 'conformance');
const load = (f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));

// A file that lost cases must not pass with fewer run.
const EXPECTED = { scenarios: 51, flows: 9, requests: 24, responses: 28 };

const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const camelKeys = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), v]));
const wrongCode = (code) => (code === '000000' ? '111111' : '000000');

function client(emulator, options) {
  return new verify.Client({ ...emulator.clientOptions(), ...camelKeys(options) });
}

/** Runs one operation; resolves to {ok: snake_case fields} or {error: VerifyError}. */
async function call(c, op, input) {
  try {
    if (op === 'generate') {
      const g = await c.generate(camelKeys(Object.fromEntries(
        Object.entries(input).filter(([, v]) => v !== null))));
      return { ok: { verify_id: g.verifyId, mobile: g.mobile ?? null, email: g.email ?? null,
        flow_id: g.flowId ?? null } };
    }
    if (op === 'validate') {
      const v = await c.validate(input.verify_id, input.otp);
      return { ok: { verify_id: v.verifyId, message: v.message,
        after_lost_attempt: v.afterLostAttempt } };
    }
    if (op === 'check') return { ok: { outcome: await c.check(input.verify_id, input.otp) } };
  } catch (e) {
    return { error: e };
  }
  throw new Error(`unknown operation ${op}`);
}

/** The error's fields under the suite's snake_case names. */
function errorField(e, key) {
  const v = e[camel(key === 'retry_after_ms' ? 'retry_after' : key)];
  return v === undefined ? undefined : v;
}

function checkResult(got, want, apiKey) {
  if (want.result === 'ok') {
    assert.ok(got.ok, `failed with ${got.error}, expected ${JSON.stringify(want)}`);
    for (const [k, w] of Object.entries(want.ok ?? {})) assert.deepEqual(got.ok[k], w, k);
    return;
  }
  assert.equal(want.result, 'error');
  assert.ok(got.error, `succeeded with ${JSON.stringify(got.ok)}, expected an error`);
  const e = got.error;
  assert.ok(e instanceof verify.VerifyError, `not a VerifyError: ${e && e.stack}`);
  const cls = verify.ERROR_KINDS.find((k) => k.name === e.kind).className;
  assert.ok(e instanceof verify[cls], `${e.name} for kind ${e.kind}`);
  for (const s of [String(e), e.stack, JSON.stringify(e)]) assert.ok(!s.includes(apiKey));
  if (e.kind === 'outcome_unknown') {
    assert.ok(e.message.startsWith('outcome unknown: an OTP may have been sent'), e.message);
  }
  for (const [k, w] of Object.entries(want.error ?? {})) {
    assert.deepEqual(errorField(e, k), w, `error ${k} (${e.message})`);
  }
}

function count(what, got, want) {
  if (want === undefined) return;
  if (typeof want === 'number') assert.equal(got, want, what);
  else assert.ok(got <= want.at_most, `${what}: ${got}, expected at most ${want.at_most}`);
}

const requests = (stats, route) =>
  Object.values(stats.requests[route] ?? {}).reduce((a, b) => a + b, 0);

function counters(emulator, route, want) {
  const stats = emulator.stats();
  count(`requests on ${route}`, requests(stats, route), want.requests);
  for (const [status, n] of Object.entries(want.answered ?? {})) {
    count(`${route} answered ${status}`, (stats.requests[route] ?? {})[status] ?? 0, n);
  }
  count('otps_generated', stats.otps_generated, want.otps_generated);
}

test('scenarios', async (t) => {
  const file = load('scenarios.json');
  assert.ok(file.scenarios.length >= EXPECTED.scenarios, `${file.scenarios.length} scenarios`);
  for (const sc of file.scenarios) {
    await t.test(sc.name, async () => {
      const emulator = Emulator.start();
      try {
        const c = client(emulator, { ...file.defaults.client, ...(sc.client ?? {}) });
        const mobile = file.defaults.mobile;
        let input = { mobile };
        if (sc.operation !== 'generate') {
          const sent = await c.generate({ mobile });
          const code = emulator.lastCode(sent.verifyId);
          input = { verify_id: sent.verifyId, otp: (sc.otp ?? 'right') === 'right' ? code : wrongCode(code) };
        }
        for (const f of sc.faults) emulator.inject(f);
        const started = performance.now();
        const got = await call(c, sc.operation, input);
        const took = performance.now() - started;
        const want = sc.expect;
        checkResult(got, want, emulator.apiKey);
        if (got.ok && sc.operation === 'generate') assert.ok(got.ok.verify_id.length > 0);
        if (got.ok && sc.operation === 'validate') assert.equal(got.ok.verify_id, input.verify_id);
        if (want.min_elapsed_ms !== undefined) assert.ok(took >= want.min_elapsed_ms, `took ${took} ms`);
        if (want.max_elapsed_ms !== undefined) assert.ok(took < want.max_elapsed_ms, `took ${took} ms`);
        const route = sc.operation === 'generate' ? 'generate' : 'validate';
        counters(emulator, route, want);
        if (want.later) {
          await new Promise((r) => setTimeout(r, want.later.after_ms));
          counters(emulator, route, want.later);
        }
        c.close();
      } finally {
        emulator.stop();
      }
    });
  }
});

function substitute(v, vars) {
  if (typeof v === 'string' && v.startsWith('$')) {
    assert.ok(Object.hasOwn(vars, v.slice(1)), `no variable ${v}`);
    return vars[v.slice(1)];
  }
  if (Array.isArray(v)) return v.map((x) => substitute(x, vars));
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, vars)]));
  }
  return v;
}

test('flows', async (t) => {
  const file = load('flows.json');
  assert.ok(file.flows.length >= EXPECTED.flows, `${file.flows.length} flows`);
  for (const flow of file.flows) {
    await t.test(flow.name, async () => {
      const emulator = Emulator.start();
      try {
        const options = { ...file.defaults.client, ...(flow.client ?? {}) };
        const c = client(emulator, options);
        const apiKey = options.api_key ?? emulator.apiKey;
        const vars = {};
        for (const [n, raw] of flow.steps.entries()) {
          const step = substitute(raw, vars);
          const where = `step ${n + 1} (${JSON.stringify(step)})`;
          if (['generate', 'validate', 'check'].includes(step.do)) {
            const got = await call(c, step.do, step.input);
            try {
              checkResult(got, step.expect, apiKey);
            } catch (e) {
              e.message = `${where}: ${e.message}`;
              throw e;
            }
            if (step.save && got.ok) vars[step.save] = got.ok.verify_id;
          } else if (step.do === 'read_code') {
            const last = emulator.outbox().filter((d) => d.verifyId === step.verify_id).pop();
            assert.ok(last, `${where}: nothing delivered`);
            for (const [k, w] of Object.entries(step.expect ?? {})) {
              assert.deepEqual(last[camel(k)], w, `${where}: ${k}`);
            }
            const name = step.save ?? 'code';
            vars[`${name}_wrong`] = wrongCode(last.code);
            vars[name] = last.code;
          } else if (step.do === 'advance_clock') {
            emulator.advanceClock(step.seconds * 1000);
          } else if (step.do === 'counters') {
            const stats = emulator.stats();
            for (const [route, n] of Object.entries(step.expect.requests ?? {})) {
              count(`${where}: requests on ${route}`, requests(stats, route), n);
            }
            for (const key of ['otps_generated', 'connections_accepted']) {
              count(`${where}: ${key}`, stats[key], step.expect[key]);
            }
          } else {
            assert.fail(`${where}: unknown step`);
          }
        }
        c.close();
      } finally {
        emulator.stop();
      }
    });
  }
});

test('vectors: requests', async (t) => {
  const file = load('vectors/requests.json');
  const n = file.generate.length + file.validate.length;
  assert.ok(n >= EXPECTED.requests, `${n} request vectors`);
  for (const endpoint of ['generate', 'validate']) {
    for (const v of file[endpoint]) {
      await t.test(`${endpoint}: ${v.name}`, () => {
        const got = JSON.parse(native.encodeRequest(endpoint, JSON.stringify(v.input)));
        if ('ok' in v.expect) {
          assert.ok(got.ok, `refused with ${JSON.stringify(got.error)}`);
          assert.deepEqual(got.ok, v.expect.ok);
        } else {
          assert.ok(got.error, `accepted ${JSON.stringify(got.ok)}`);
          const e = new verify.VerifyError(got.error);
          assert.equal(e.code, v.expect.error);
          assert.equal(e.status, null, 'a local refusal sent nothing');
        }
      });
    }
  }
});

test('vectors: responses', async (t) => {
  const file = load('vectors/responses.json');
  assert.ok(file.cases.length >= EXPECTED.responses, `${file.cases.length} response vectors`);
  for (const v of file.cases) {
    await t.test(v.name, () => {
      const got = JSON.parse(native.decodeResponse(v.endpoint, v.status,
        JSON.stringify(v.headers ?? {}), v.body));
      const want = v.expect;
      if (want.ok) {
        assert.ok(got.ok, `failed with ${JSON.stringify(got.error)}`);
        for (const [k, w] of Object.entries(want.ok)) assert.deepEqual(got.ok[k] ?? null, w, k);
        return;
      }
      assert.ok(got.error, `decoded ${JSON.stringify(got.ok)}`);
      const Class = verify[verify.ERROR_KINDS.find((k) => k.name === got.error.kind).className];
      const e = new Class(got.error);
      assert.equal(e.status, v.status, 'status kept');
      if (want.decode_error) {
        assert.ok(e instanceof verify.DecodeError, `${e.name}: ${e.message}`);
        return;
      }
      const w = want.error;
      assert.equal(e.kind, w.category, 'category');
      assert.equal(e.code, w.code, 'code');
      assert.equal(e.errorType, w.type, 'type');
      assert.equal(e.parameter, w.parameter, 'parameter');
      assert.equal(e.serviceMessage, w.message, 'message');
      assert.equal(e.reference, w.reference, 'reference');
      const secs = w.retry_after_s ?? null;
      assert.equal(e.retryAfter, secs === null ? null : secs * 1000, 'retry after');
      if (w.code === null) {
        assert.equal(e.bodySnippet, v.body.slice(0, 256), 'body snippet');
      }
    });
  }
});

