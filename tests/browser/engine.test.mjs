// The engine compiled to WebAssembly gives byte-identical results to the
// native `jobsim` CLI: the JSON report of every seed scenario (with
// several seeds) and of every scenario the native tests run (recorded in
// $JOBSIM_CORPUS_DIR by `cargo test`), errors and limit errors included.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start, openPlayground } from './harness.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const JOBSIM = process.env.JOBSIM_BIN ?? path.join(ROOT, 'target/debug/jobsim');
const SCENARIOS = path.join(ROOT, 'www/scenarios');
const CORPUS = process.env.JOBSIM_CORPUS_DIR;

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** The scenario with `seed: n` (replacing its own seed, if any). */
function withSeed(text, n) {
  const lines = text.split('\n').filter((l) => !/^seed:/.test(l));
  return [`seed: ${n}`, ...lines].join('\n');
}

/** What the native CLI says of a scenario file. */
function native(file) {
  const r = spawnSync(JOBSIM, ['run', file, '--output', 'json'], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function compare(page, name, text, file) {
  const n = native(file);
  // The page's worker (src/worker.rs) makes the report the export button
  // downloads.
  const wasm = await page.evaluate(async (t) => {
    try {
      const { ask } = await import(new URL('services.js', document.baseURI).href);
      return { ok: await ask(['report', t]) };
    } catch (e) {
      return { err: String(e) };
    }
  }, text);
  if (n.stdout) {
    // A run (to its end, or stopped part-way: then exit 1 and an error).
    assert.equal(wasm.ok + '\n', n.stdout, `${name}: wasm and native reports differ`);
    assert.equal(n.status === 0, !wasm.ok.includes('\n  "error": {'), `${name}: exit ${n.status}`);
  } else {
    assert.equal(wasm.err, n.stderr.trimEnd(), `${name}: wasm and native errors differ`);
  }
}

test('wasm and native runs give byte-identical JSON reports and errors', async () => {
  const { page } = await openPlayground(env);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jobsim-seeds-'));
  const files = fs.readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml')).sort();
  assert.ok(files.length >= 8, 'the seed scenarios are there');
  let compared = 0;
  for (const file of files) {
    const text = fs.readFileSync(path.join(SCENARIOS, file), 'utf8');
    await compare(page, file, text, path.join(SCENARIOS, file));
    for (const seed of [1, 7, 12345]) {
      const variant = withSeed(text, seed);
      const at = path.join(tmp, `${seed}-${file}`);
      fs.writeFileSync(at, variant);
      await compare(page, `${file} seed ${seed}`, variant, at);
      compared++;
    }
    compared++;
  }
  if (CORPUS && fs.existsSync(CORPUS)) {
    const corpus = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.yaml')).sort();
    assert.ok(corpus.length > 100, `the native tests' scenarios are recorded (${corpus.length})`);
    for (const file of corpus) {
      const at = path.join(CORPUS, file);
      await compare(page, `corpus ${file}`, fs.readFileSync(at, 'utf8'), at);
      compared++;
    }
  }
  console.log(`compared ${compared} scenarios, wasm against native`);
  fs.rmSync(tmp, { recursive: true, force: true });
  await page.close();
});
