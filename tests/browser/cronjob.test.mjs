// The CronJob view, as a user meets it: pick the Forbid example, see the
// Jobs it created and the starts it skipped, trigger a Job by hand, pick a
// Job to see its pods, and switch the Kubernetes version.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, openPlayground, selectPreset, screenshot, seek } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

const text = (page, id) => page.getByTestId(id).innerText();
const rowStates = (page) =>
  page.getByTestId('cronjob-row').evaluateAll((rows) => rows.map((r) => `${r.dataset.jobName} ${r.dataset.state}`));

test('Forbid: skipped starts, drifting runs, history cleanup', async () => {
  const { page, errors } = await openPlayground(env);
  await selectPreset(page, 'cronjob-forbid-overrun');
  await page.getByTestId('cronjob-panel').waitFor();
  await page.keyboard.press('End');
  assert.equal(await text(page, 'clock'), '480.0');
  // Upstream cronjob_controllerv2.go: JobAlreadyActive at 3m, 4m and 5m
  // while the long second run is active; the 4m start runs when it ends
  // (4m32s); successfulJobsHistoryLimit 3 deletes the oldest finished Jobs.
  assert.deepEqual(await rowStates(page), [
    'batch-28401121 cleaned up',
    'batch-28401122 cleaned up',
    'batch-28401124 cleaned up',
    'batch-28401125 Complete',
    'batch-28401126 Complete',
    'batch-28401127 Complete',
  ]);
  const marks = await page.getByTestId('cron-mark').evaluateAll((m) => m.map((e) => e.dataset.reason));
  assert.deepEqual(marks, ['JobAlreadyActive', 'JobAlreadyActive', 'JobAlreadyActive']);
  assert.match(await text(page, 'kubectl-get-cronjob'), /^batch +\*\/1 \* \* \* \* +<none> +False +0 +60s +8m$/m);
  assert.equal(await text(page, 'next-schedules'), 'Next schedule times: 2024-01-01T00:09:00Z, 2024-01-01T00:10:00Z, 2024-01-01T00:11:00Z');

  // Scrub back into the long run: it is the active Job, the later ones do
  // not exist yet.
  await seek(page, 200);
  assert.deepEqual(await rowStates(page), ['batch-28401121 Complete', 'batch-28401122 Running']);
  assert.match(await text(page, 'kubectl-get-cronjob'), /^batch .* False +1 +80s +3m20s$/m);
  await screenshot(page, 'cronjob-forbid');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Trigger now creates a manual Job; picking a row shows its pods', async () => {
  const { page, errors } = await openPlayground(env);
  await selectPreset(page, 'cronjob-hello');
  await page.getByTestId('cronjob-panel').waitFor();
  await seek(page, 30);
  assert.equal(await page.getByTestId('cronjob-row').count(), 0);
  await page.getByTestId('trigger').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=cronjob-row]').length === 1);
  assert.deepEqual(await rowStates(page), ['hello-manual-1 Running']);
  assert.match(await page.getByTestId('cronjob-row').first().innerText(), /⚡ hello-manual-1/);
  // The action is recorded, so the run replays with it.
  assert.match(await page.getByTestId('actions').innerText(), /30s.*trigger/);
  // The manual Job is not in status.active, so each sync says so
  // (upstream: UnexpectedJob "Saw a job that the controller did not
  // create or forgot"): when it is created and when its pod starts.
  await seek(page, 40);
  const reasons = await page.getByTestId('cron-mark').evaluateAll((m) => m.map((e) => e.dataset.reason));
  assert.deepEqual(reasons, ['UnexpectedJob', 'UnexpectedJob']);
  assert.deepEqual(await rowStates(page), ['hello-manual-1 Complete']);

  await page.getByTestId('cronjob-row').first().click();
  await page.getByRole('tab', { name: 'get pods' }).click();
  await page.waitForFunction(() => /hello-manual-1-[a-z0-9]{5}/.test(document.querySelector('[data-testid=kubectl-get-pods]')?.textContent ?? ''));
  await screenshot(page, 'cronjob-trigger');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Kubernetes version changes what the Jobs report', async () => {
  const { page } = await openPlayground(env);
  await selectPreset(page, 'cronjob-hello');
  await page.getByTestId('cronjob-panel').waitFor();
  await page.keyboard.press('End');
  await page.getByTestId('cronjob-row').last().click();
  // 1.31+ adds SuccessCriteriaMet before Complete (job_controller.go).
  await page.waitForFunction(() => document.querySelector('[data-testid=job-status]')?.textContent.includes('SuccessCriteriaMet'));
  await page.getByTestId('version-select').selectOption('1.30');
  await page.getByTestId('cronjob-row').last().click();
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid=job-status]')?.textContent ?? '';
    return s.includes('Complete') && !s.includes('SuccessCriteriaMet');
  });
  await page.close();
});

test("a CronJob's Jobs share the pods' axis, say how they left and why a start was skipped", async () => {
  const { page } = await openPlayground(env);
  await selectPreset(page, 'cronjob-forbid-overrun');
  await page.locator('h1').click();
  await page.keyboard.press('End');
  // The Job created at 1m starts where the axis says 1m.
  const tick = await page.locator('.axis .tick', { hasText: /^1m$/ }).boundingBox();
  const bar = await page.locator('[data-testid=cronjob-row][data-job-name=batch-28401121] .cron-bar').boundingBox();
  assert.ok(Math.abs(bar.x - tick.x) < 3, `one axis: the bar at ${bar.x}, 1m at ${tick.x}`);
  // Zoom in: the Jobs' lanes zoom with the pods'.
  await page.getByTestId('zoom-in').click();
  const zoomedTick = await page.locator('.axis .tick', { hasText: /^6m$/ }).boundingBox();
  const zoomedBar = await page.locator('[data-testid=cronjob-row][data-job-name=batch-28401126] .cron-bar').boundingBox();
  assert.ok(Math.abs(zoomedBar.x - zoomedTick.x) < 3, `still one axis zoomed: ${zoomedBar.x} vs ${zoomedTick.x}`);
  await page.getByTestId('zoom-fit').click();
  // Cleaned up by the history limit is not a failure; skipped starts say why.
  const gone = page.locator('[data-testid=cronjob-row][data-job-name=batch-28401121] .cron-gone');
  assert.equal(await gone.innerText(), 'cleaned up');
  assert.equal(await page.locator('[data-testid=cronjob-row][data-job-name=batch-28401121] .cron-bar.complete').count(), 1);
  // Each skipped start says why: in its label as far as it fits before the next, always in its title.
  const marks = page.getByTestId('cron-mark');
  assert.match(await marks.first().getAttribute('title'), /^3m0\.1s JobAlreadyActive: Not starting job because prior execution is running/);
  assert.equal(await marks.last().innerText(), '⊘ start skipped (JobAlreadyActive)');
  const legend = await page.getByTestId('legend').innerText();
  for (const word of ['cleaned up', 'replaced', 'start skipped', 'controllers down']) assert.ok(legend.includes(word), `legend: ${word}`);
  await screenshot(page, 'cronjob-lanes');

  // The controllers' outage is drawn across the lanes.
  await selectPreset(page, 'cronjob-missed-schedules');
  await page.locator('h1').click();
  await page.keyboard.press('End');
  const band = page.getByTestId('outage').first();
  assert.match(await band.getAttribute('title'), /^controllers down: /);
  assert.ok((await band.boundingBox()).width > 100, 'two hours of a 2h5m run');
  await screenshot(page, 'cronjob-outage');
  await page.close();
});
