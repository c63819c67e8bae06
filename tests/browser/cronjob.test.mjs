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
