'use strict';
// The process exits on its own after a call; worker threads each load the addon; logging
// goes to NODE_DEBUG=kaleyra-verify or a logger function, and never shows the key.

const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { Worker } = require('node:worker_threads');
const { Client } = require('kaleyra-verify');
const { Emulator } = require('kaleyra-verify/testing');
const { setup } = require('./helpers.js');

const fixture = (name) => path.join(__dirname, 'fixtures', name);

function runNode(script, env, timeoutMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    execFile(process.execPath, [script], { env: { ...process.env, ...env }, timeout: timeoutMs },
      (error, stdout, stderr) =>
        resolve({ error, stdout, stderr, ms: Date.now() - started }));
  });
}

test('a script that makes one call exits on its own, at once', async (t) => {
  const emulator = Emulator.start();
  t.after(() => emulator.stop());
  const env = { EMU_SID: emulator.sid, EMU_KEY: emulator.apiKey, EMU_URL: emulator.baseUrl };
  // The connection pool keeps idle connections for 90 s: a process held by it would be
  // killed by the 20 s timeout and fail here.
  const r = await runNode(fixture('one-call.js'), env, 20000);
  assert.equal(r.error, null, `${r.error} ${r.stderr}`);
  assert.equal(JSON.parse(r.stdout).ok, true, r.stdout);
  t.diagnostic(`child process ran and exited in ${r.ms} ms`);
  assert.ok(r.ms < 10000, `took ${r.ms} ms`);
});

test('several worker threads load the addon and call at once, and the main thread goes on',
  async (t) => {
    const { emulator, client } = setup(t);
    const workers = 4;
    const calls = 25;
    const results = await Promise.all(Array.from({ length: workers }, () => new Promise(
      (resolve, reject) => {
        const w = new Worker(fixture('worker.js'), {
          workerData: { options: emulator.clientOptions(), calls },
        });
        let msg;
        w.on('message', (m) => { msg = m; });
        w.on('error', reject);
        w.on('exit', (code) => (code === 0 ? resolve(msg) : reject(new Error(`exit ${code}`))));
      })));
    for (const r of results) {
      assert.equal(r.error, undefined, r.error);
      assert.equal(r.ids.length, calls);
      assert.equal(r.badIsValidationError, true);
    }
    assert.equal(new Set(results.flatMap((r) => r.ids)).size, workers * calls);
    assert.equal(emulator.stats().otps_generated, workers * calls);
    // The workers are gone; the addon still serves this thread.
    const sent = await client.generate({ mobile: '+12025550123' });
    assert.equal(await client.check(sent.verifyId, emulator.lastCode(sent.verifyId)), 'verified');
  });

test('a worker terminated with a call in flight goes away cleanly', async (t) => {
  const { emulator, client } = setup(t);
  emulator.inject({ mode: 'latency', ms: 600, count: 3 });
  const workers = await Promise.all([0, 1, 2].map(() => new Promise((resolve, reject) => {
    const w = new Worker(fixture('slow-worker.js'), {
      workerData: { options: emulator.clientOptions() },
    });
    w.on('error', reject);
    w.on('message', (m) => { if (m === 'started') resolve(w); });
  })));
  await Promise.all(workers.map((w) => w.terminate()));
  // The calls finish on the Rust side after their workers are gone; this thread goes on.
  await new Promise((r) => setTimeout(r, 800));
  const sent = await client.generate({ mobile: '+12025550123' });
  assert.equal(await client.check(sent.verifyId, emulator.lastCode(sent.verifyId)), 'verified');
});

test('NODE_DEBUG=kaleyra-verify shows request events, never the key', async (t) => {
  const emulator = Emulator.start();
  t.after(() => emulator.stop());
  const env = {
    EMU_SID: emulator.sid, EMU_KEY: emulator.apiKey, EMU_URL: emulator.baseUrl,
    NODE_DEBUG: 'kaleyra-verify',
  };
  const r = await runNode(fixture('one-call.js'), env, 20000);
  assert.equal(r.error, null, `${r.error} ${r.stderr}`);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('KALEYRA-VERIFY'));
  assert.ok(lines.length >= 1, r.stderr);
  assert.ok(lines.some((l) => l.includes('generate')), r.stderr);
  assert.ok(!r.stderr.includes(emulator.apiKey));
  const quiet = await runNode(fixture('one-call.js'), { ...env, NODE_DEBUG: '' }, 20000);
  assert.equal(quiet.stderr, '');
});

test('a logger option receives the events of its own client only, never the key', async (t) => {
  const emulator = Emulator.start();
  t.after(() => emulator.stop());
  const mine = [];
  const theirs = [];
  const a = new Client({ ...emulator.clientOptions(), logger: (l) => mine.push(l) });
  const b = new Client({ ...emulator.clientOptions(), logger: (l) => theirs.push(l) });
  const sent = await a.generate({ mobile: '+12025550123' });
  await a.check(sent.verifyId, '000000');
  // Events travel through a threadsafe function: give them a turn of the loop.
  await new Promise((r) => setTimeout(r, 50));
  assert.ok(mine.length >= 2, mine.join('\n'));
  assert.equal(theirs.length, 0, theirs.join('\n'));
  for (const l of mine) assert.ok(!l.includes(emulator.apiKey), l);
  b.close();
  a.close();
});
