'use strict';
// One measurement, in a process of its own: `kaleyra-verify`'s check() or a hand-written
// fetch() of the same validate request, at a given concurrency, for SECS seconds after a
// warm-up. Prints one line: rate, CPU per request (process.cpuUsage: every thread of the
// process, the addon's runtime included), peak RSS.
//
//   node bench.js <sdk|fetch> <concurrency> <seconds>   (env: URL, SID, KEY, VID, OTP)

const [mode, cArg, sArg] = process.argv.slice(2);
const concurrency = Number(cArg);
const seconds = Number(sArg);
const { URL: base, SID: sid, KEY: key, VID: vid, OTP: otp } = process.env;

function op() {
  if (mode === 'sdk') {
    const { Client } = require('kaleyra-verify');
    const client = new Client({ sid, apiKey: key, baseUrl: base, maxAttempts: 1 });
    return async () => {
      const outcome = await client.check(vid, otp);
      if (outcome !== 'not_found') throw new Error(`unexpected ${outcome}`);
    };
  }
  if (mode === 'fetch') {
    const url = `${base}/v1/${sid}/verify/validate`;
    const body = JSON.stringify({ verify_id: vid, otp });
    const headers = { 'content-type': 'application/json', 'api-key': key };
    return async () => {
      const res = await fetch(url, { method: 'POST', headers, body });
      const json = await res.json();
      if (res.status !== 404 || !json.error) throw new Error(`unexpected ${res.status}`);
    };
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
  await Promise.all(Array.from({ length: concurrency },
    () => loop(call, performance.now() + 500, warm)));
  const done = { n: 0 };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency },
    () => loop(call, t0 + seconds * 1000, done)));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = cpu.user + cpu.system;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`mode=${mode} concurrency=${concurrency} requests=${done.n} ` +
    `rps=${(done.n / elapsed).toFixed(0)} cpu_us_per_req=${(cpuUs / done.n).toFixed(1)} ` +
    `peak_rss_mb=${rssMb.toFixed(1)}`);
  process.exit(0);
}

main().catch((e) => { console.error(e); process.exit(1); });
