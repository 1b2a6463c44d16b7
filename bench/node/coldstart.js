'use strict';
// Cold start: wall time of `node -e "<require + new Client>"` minus `node -e 0`, alternated
// ROUNDS times; medians. Run from a directory where `kaleyra-verify` resolves.

const { spawnSync } = require('node:child_process');

const rounds = Number(process.env.ROUNDS_COLD || 21);
const script = "const { Client } = require('kaleyra-verify');" +
  "new Client({ sid: 'HX1', apiKey: 'k', baseUrl: 'http://127.0.0.1:9' });";
const run = (code) => {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', code], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`node -e exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
run('0');
run(script);
const base = [];
const sdk = [];
for (let i = 0; i < rounds; i++) {
  base.push(run('0'));
  sdk.push(run(script));
}
const b = median(base);
const s = median(sdk);
console.log(`cold_start rounds=${rounds} node_e_0_ms=${b.toFixed(1)} ` +
  `require_and_new_client_ms=${s.toFixed(1)} added_ms=${(s - b).toFixed(1)} (target < 10)`);
