// A share link is untrusted input that runs in someone else's tab: hostile
// links and files stop at a named limit, promptly, with the page still
// answering; the largest scenario the limits allow runs; and if the wasm
// instance ever stops, the page says so and how to go on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { start, openPlayground, screenshot, text } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

// Issue 11's aim for the upstream-maximum Job (100,000 completions,
// parallelism 10,000) in the page, unthrottled.
const ENGINE_MAX_MS = 1000;

const b64 = (bytes) => Buffer.from(bytes).toString('base64url');

/** Opens a fragment and returns the problem shown, and how long it took. */
async function openLink(page, fragment) {
  const started = Date.now();
  await page.goto(`${env.url}#${fragment}`);
  const problem = page.getByTestId('problem');
  await problem.waitFor({ timeout: 10000 });
  const took = Date.now() - started;
  // The page still answers.
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  return { message: await problem.innerText(), took };
}

function indexed(completions, parallelism) {
  let t = `scenario: v1\nname: upstream-maximum\nmanifest:\n  apiVersion: batch/v1\n  kind: Job\n  metadata: {name: big}\n  spec:\n    completions: ${completions}\n    parallelism: ${parallelism}\n    completionMode: Indexed\n    backoffLimit: 100000\n    template:\n      spec:\n        restartPolicy: Never\n        containers: [{name: work, image: busybox}]\nbehavior:\n  pods:\n`;
  for (let i = 0; i < completions; i += 20) t += `  - match: {index: ${i}, attempt: 0}\n    exitCode: 1\n`;
  return t;
}

test('hostile links stop at a named limit without freezing the tab', async () => {
  const page = await env.browser.newPage();
  // 100,000 nested brackets: the nesting is found before parsing.
  let r = await openLink(page, `s=${b64('scenario: v1\nbehavior: ' + '['.repeat(100_000))}`);
  assert.match(r.message, /the YAML nests deeper than 64 levels, the playground's limit/);
  console.log(`budget: a 100,000-bracket link was refused in ${r.took} ms`);
  assert.ok(r.took < 3000, `${r.took} ms`);
  // A deflate bomb: 10 MB of zeros in a few kilobytes.
  r = await openLink(page, `v=1&t=0&z=${b64(zlib.deflateRawSync(Buffer.alloc(10 << 20)))}`);
  assert.match(r.message, /larger than 1\.0 MB when inflated, the playground's limit/);
  // Link formats that do not exist.
  r = await openLink(page, 'v=0&z=AA');
  assert.match(r.message, /the link is damaged: v=0 is not a link format/);
  r = await openLink(page, 'v=2&z=AA');
  assert.match(r.message, /format 2, made by a newer playground/);
  await page.close();
});

test('a Job wider than the playground runs stops at once, with its reason', async () => {
  const { page } = await openPlayground(env);
  const started = Date.now();
  await page.getByTestId('import-file').setInputFiles({
    name: 'wide.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from(indexed(100_000, 20_001)),
  });
  const error = page.getByTestId('run-error');
  await error.waitFor({ timeout: 15000 });
  assert.match(await error.innerText(), /the Job wants 20001 pods at once, more than the playground's limit of 20000; lower its parallelism/);
  console.log(`budget: a Job just past the limits stopped in ${Date.now() - started} ms`);
  await page.close();
});

test('the largest Job the limits allow runs in the browser', async () => {
  const { page, errors } = await openPlayground(env);
  const started = Date.now();
  await page.getByTestId('import-file').setInputFiles({
    name: 'max.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from(indexed(100_000, 10_000)),
  });
  await page.waitForFunction(() => document.querySelector('[data-testid=scrubber]').max > 100000, null, { timeout: 30000 });
  const took = Date.now() - started;
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.querySelector('[data-testid=job-status]').textContent.includes('Complete'));
  assert.equal(await text(page, 'status-succeeded'), '100000');
  assert.equal(await page.getByTestId('run-error').count(), 0);
  console.log(`budget: 100,000 completions (parallelism 10,000) imported and drawn in ${took} ms`);
  // The engine alone, as the page measures it around its run.
  const engine = await page.evaluate(() => performance.getEntriesByName('jobsim-engine', 'measure').at(-1).duration);
  console.log(`budget: 100,000 completions simulated to the end in the page in ${Math.round(engine)} ms (budget ${ENGINE_MAX_MS} ms)`);
  assert.ok(engine < ENGINE_MAX_MS, `the engine took ${engine} ms`);
  await screenshot(page, 'limits-upstream-maximum');
  assert.deepEqual(errors, []);
  await page.close();
});

test('if the wasm instance stops, the page says so and offers a reload', async () => {
  const { page } = await openPlayground(env);
  // What a trap (a panic, running out of memory) reports to the page.
  await page.evaluate(() =>
    window.dispatchEvent(new ErrorEvent('error', { error: new WebAssembly.RuntimeError('unreachable') })),
  );
  const stopped = page.getByTestId('stopped');
  await stopped.waitFor();
  assert.match(await stopped.innerText(), /The playground stopped\.\s+Your last saved work is kept in this browser/);
  assert.match(await stopped.innerText(), /unreachable/);
  await screenshot(page, 'limits-stopped');
  await stopped.getByRole('button', { name: 'Reload' }).click();
  await page.getByTestId('editor').waitFor();
  assert.equal(await page.getByTestId('stopped').count(), 0);
  await page.close();
});
