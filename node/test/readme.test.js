'use strict';
// The README's Node example, run as it is written: its output is checked line by line.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFile } = require('node:child_process');

const readme = path.join(process.env.KALEYRA_REPO || path.join(__dirname, '..', '..'), 'README.md');

test("the README's Node example runs and prints what it says", async () => {
  const text = fs.readFileSync(readme, 'utf8');
  const section = text.slice(text.indexOf('## The Node package'));
  const match = section.match(/```js\n([\s\S]*?)```/);
  assert.ok(match, 'no js block in the Node section of README.md');
  const file = path.join(__dirname, 'fixtures', 'readme-example.js');
  fs.writeFileSync(file, match[1]);
  try {
    const { stdout } = await new Promise((resolve, reject) => {
      execFile(process.execPath, [file], { timeout: 20000 }, (err, out, errout) =>
        (err ? reject(new Error(`${err}\n${errout}`)) : resolve({ stdout: out })));
    });
    assert.deepEqual(stdout.trim().split('\n'), ['verified', 'refused: E910']);
  } finally {
    fs.rmSync(file, { force: true });
  }
});
