'use strict';
// One measurement of one Node client, in a process of its own (bench/run.py runs it):
// kaleyra-verify's check() or a hand-written fetch() of the same validate request, at a
// concurrency, for SECS seconds after a 0.5 s warm-up. Any complete answer counts (nginx
// answers 200, the emulator 404 E909). Prints one line: rate and CPU per request
// (process.cpuUsage: every thread, the addon's runtime included).
//
//   node node_client.js <sdk|fetch> <concurrency> <seconds>   (env: URL, SID, KEY, VID, OTP)

const [mode, cArg, sArg] = process.argv.slice(2);
const concurrency = Number(cArg);
const seconds = Number(sArg);
const { URL: base, SID: sid, KEY: key, VID: vid, OTP: otp } = process.env;

function op() {
  if (mode === 'sdk') {
    const { Client } = require('kaleyra-verify');
    const client = new Client({ sid, apiKey: key, baseUrl: base, maxAttempts: 1 });
    return () => client.check(vid, otp);
  }
  if (mode === 'fetch') {
    const url = `${base}/v1/${sid}/verify/validate`;
    const body = JSON.stringify({ verify_id: vid, otp });
    const headers = { 'content-type': 'application/json', 'api-key': key };
    return async () => (await fetch(url, { method: 'POST', headers, body })).json();
  }
  throw new Error(`mode ${mode}?`);
}

async function loop(call, until, counter) {
  while (performance.now() < until) {
    await call();
    counter.n++;
  }
}

async function main() {
  const call = op();
  const warm = { n: 0 };
  await Promise.all(Array.from({ length: concurrency }, () => loop(call, performance.now() + 500, warm)));
  const done = { n: 0 };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, () => loop(call, t0 + seconds * 1000, done)));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(`mode=${mode} concurrency=${concurrency} requests=${done.n} ` +
    `rps=${(done.n / elapsed).toFixed(0)} cpu_us_per_req=${((cpu.user + cpu.system) / done.n).toFixed(1)}`);
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
