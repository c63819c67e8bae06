// The engine compiled to WebAssembly gives byte-identical JSON to the
// native `jobsim` CLI for every seed scenario.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { start, openPlayground } from './harness.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const JOBSIM = process.env.JOBSIM_BIN ?? path.join(ROOT, 'target/debug/jobsim');
const SCENARIOS = path.join(ROOT, 'www/scenarios');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

test('wasm and native runs give byte-identical JSON reports', async () => {
  const { page } = await openPlayground(env);
  const files = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')).sort();
  assert.ok(files.length >= 8, 'the seed scenarios are there');
  for (const file of files) {
    const text = fs.readFileSync(path.join(SCENARIOS, file), 'utf8');
    const native = execFileSync(JOBSIM, ['run', path.join(SCENARIOS, file), '--output', 'json'], {
      encoding: 'utf8',
    });
    const wasm = await page.evaluate((t) => window.wasmBindings.jobsim_run_json(t), text);
    assert.equal(wasm + '\n', native, `${file}: wasm and native reports differ`);
  }
  await page.close();
});
