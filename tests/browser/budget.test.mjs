// Budgets, measured and printed: the download size (wasm + JS, gzipped),
// the first render from localhost, and frame times while a 1,000-pod Job
// plays at 100×. Size and first render are hard limits; frame times are
// printed, with a loose bound that only catches a collapse (headless
// Chromium on a shared CI machine is not a phone).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { start, openPlayground, screenshot } from './harness.mjs';

const DIST = process.env.DIST_DIR ?? path.resolve(import.meta.dirname, '../../dist');
const SIZE_BUDGET_KB = 350;
const FIRST_RENDER_BUDGET_MS = 1000;

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

const figures = [];
function report(line) {
  figures.push(line);
  console.log(`budget: ${line}`);
}

test('wasm + JS download is at most 350 KB gzipped', () => {
  let total = 0;
  // Every script and module the page may load, snippets included.
  const files = fs.readdirSync(DIST, { recursive: true }).filter((f) => /\.(wasm|js)$/.test(f));
  for (const file of files) {
    const gz = zlib.gzipSync(fs.readFileSync(path.join(DIST, file)), { level: 9 }).length;
    report(`${file}: ${(fs.statSync(path.join(DIST, file)).size / 1024).toFixed(1)} KB raw, ${(gz / 1024).toFixed(1)} KB gzipped`);
    total += gz;
  }
  report(`wasm + JS gzipped: ${(total / 1024).toFixed(1)} KB (budget ${SIZE_BUDGET_KB} KB)`);
  assert.ok(total <= SIZE_BUDGET_KB * 1024, `over budget: ${(total / 1024).toFixed(1)} KB`);
});

test('first render within 1 s from localhost', async () => {
  const times = [];
  for (let i = 0; i < 3; i++) {
    const { page } = await openPlayground(env);
    const ms = await page.evaluate(() => performance.getEntriesByName('jobsim-rendered')[0]?.startTime ?? NaN);
    times.push(ms);
    await page.close();
  }
  const best = Math.min(...times);
  report(`first render: ${times.map((t) => t.toFixed(0)).join(', ')} ms (best ${best.toFixed(0)} ms, budget ${FIRST_RENDER_BUDGET_MS} ms)`);
  assert.ok(best <= FIRST_RENDER_BUDGET_MS, `first render took ${best} ms`);
});

/** A 1,000-pod Indexed Job (1,000 lanes) that runs about ten minutes. */
function bigScenario() {
  return `scenario: v1
name: thousand-pods
manifest:
  apiVersion: batch/v1
  kind: Job
  metadata: {name: thousand}
  spec:
    completions: 1000
    parallelism: 50
    completionMode: Indexed
    template:
      spec:
        restartPolicy: Never
        containers: [{name: work, image: busybox}]
behavior:
  default: {runFor: 30s}
`;
}

test('frame times while a 1,000-pod Job plays at 100×', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const encoded = Buffer.from(bigScenario()).toString('base64url');
  await page.goto(`${env.url}#s=${encoded}`);
  await page.getByTestId('timeline').waitFor();
  assert.match(await page.getByTestId('scrubber').getAttribute('max'), /^\d+$/);
  const pods = await page.evaluate(() => Number(document.querySelector('[data-testid=scrubber]').max));
  assert.ok(pods > 600_000, 'the Job runs about ten minutes');
  await page.getByTestId('speed').selectOption('100');
  await page.getByTestId('play').click();
  const stats = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const deltas = [];
        let last = performance.now();
        const until = last + 4000;
        function frame(now) {
          deltas.push(now - last);
          last = now;
          if (now < until) requestAnimationFrame(frame);
          else resolve({ deltas, bars: document.querySelectorAll('[data-testid=pod-bar]').length });
        }
        requestAnimationFrame(frame);
      }),
  );
  await page.getByTestId('pause').click();
  const sorted = [...stats.deltas.slice(2)].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
  const long = sorted.filter((d) => d > 1000 / 30).length;
  report(
    `100× playback of a 1,000-pod Job: ${sorted.length} frames in 4 s, frame time p50 ${pct(50).toFixed(1)} ms, ` +
      `p95 ${pct(95).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms, ${long} frames over 33 ms; ` +
      `${stats.bars} pod bars in the page (lanes outside the view are not rendered)`,
  );
  await screenshot(page, 'thousand-pods-playing');
  assert.ok(stats.bars < 300, `only visible lanes are rendered (${stats.bars} bars)`);
  assert.ok(pct(95) < 100, `frame time p95 ${pct(95)} ms`);
  await page.close();
});

after(() => {
  if (process.env.BUDGET_REPORT) fs.writeFileSync(process.env.BUDGET_REPORT, figures.join('\n') + '\n');
});
