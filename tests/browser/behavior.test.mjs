// Nothing that drives the run is hidden: the Container behaviour panel
// can say everything a scenario's `behavior` can, shows an example's
// rules, and reproduces the CronJob pile-up of a proxy container that
// never exits entirely from the UI.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, openPlayground, replaceEditorText, selectPreset, screenshot, seek, text, openBehavior } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** A CronJob as blog posts about sidecars show it: the batch and its
 * database proxy as two ordinary containers. */
const blogCronJob = (proxyAsSidecar) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly-report
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
${
  proxyAsSidecar
    ? `          initContainers:
          - name: cloud-sql-proxy
            image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0
            restartPolicy: Always
          containers:
          - name: report
            image: registry.example.com/report:1.4`
    : `          containers:
          - name: report
            image: registry.example.com/report:1.4
          - name: cloud-sql-proxy
            image: gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.11.0`
}
`;

/** Types a value into a behaviour field and leaves it (a change event). */
async function type(input, value) {
  await input.fill(value);
  await input.dispatchEvent('change');
}

/** The ACTIVE column of `kubectl get cronjob` (after SUSPEND). */
async function activeJobs(page) {
  return Number((await text(page, 'kubectl-get-cronjob')).match(/ (?:True|False) +(\d+) /)[1]);
}

test('the pile-up of a proxy that never exits, made and fixed from the UI', async () => {
  const { page, errors } = await openPlayground(env);
  await replaceEditorText(page, blogCronJob(false));
  await page.getByTestId('cronjob-panel').waitFor();
  await openBehavior(page);
  // Both containers are listed; by default each exits after 10 s.
  const rows = page.getByTestId('behavior-container');
  assert.deepEqual(await rows.evaluateAll((r) => r.map((e) => e.dataset.container)), ['report', 'cloud-sql-proxy']);
  const proxy = page.locator('[data-testid=behavior-container][data-container=cloud-sql-proxy]');
  assert.equal(await proxy.getByTestId('container-run-for').getAttribute('placeholder'), '10s');
  await seek(page, 305);
  assert.equal(await activeJobs(page), 1, 'every Job completes while the proxy exits by itself');

  // The proxy never exits: each minute adds a Job that never finishes.
  await type(proxy.getByTestId('container-run-for'), 'forever');
  await seek(page, 305);
  assert.equal(await activeJobs(page), 5);
  await screenshot(page, 'behavior-pile-up');

  // The fix: the proxy as a native sidecar, stopped once the report is done.
  await replaceEditorText(page, blogCronJob(true));
  await page.locator('[data-testid=behavior-container][data-container=cloud-sql-proxy] .tag').filter({ hasText: 'sidecar' }).waitFor();
  assert.equal(await proxy.getByTestId('container-run-for').inputValue(), 'forever', 'the behaviour stays with the container');
  await seek(page, 305);
  assert.equal(await activeJobs(page), 1, 'the Jobs complete again');
  const states = await page.getByTestId('cronjob-row').evaluateAll((r) => r.map((e) => e.dataset.state));
  assert.ok(states.filter((s) => s === 'Complete').length >= 3, `Jobs complete: ${states}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an example shows every rule it has, and a rule that matches nothing says so', async () => {
  const { page } = await openPlayground(env);
  await selectPreset(page, 'cronjob-sidecar-never-finishes');
  await openBehavior(page);
  const proxy = page.locator('[data-testid=behavior-container][data-container=cloud-sql-proxy]');
  assert.equal(await proxy.getByTestId('container-run-for').inputValue(), 'forever', 'the example\'s hidden rule is shown');
  assert.equal(await page.getByTestId('behavior-run-for').inputValue(), '20s');

  // A pod rule for the first Job's report container: every field can be set.
  await page.getByRole('button', { name: 'Add rule' }).click();
  const rule = page.getByTestId('behavior-rule').last();
  await type(rule.getByTestId('rule-index'), '');
  await type(rule.getByTestId('rule-attempt'), '');
  await type(rule.getByTestId('rule-job'), '0');
  await rule.getByTestId('rule-container').selectOption('report');
  for (const [field, value] of [['exit-code', '3'], ['reason', 'Error'], ['start-delay', '2s'], ['run-for', '5s'], ['sigterm-delay', '1s'], ['sigterm-exit-code', '0']]) {
    await type(rule.getByTestId(`rule-${field}`), value);
  }
  assert.match(await rule.getByTestId('rule-starts').innerText(), /Decided 1 container starts/);
  // A Job the run never creates: the rule matches nothing, and says so.
  await type(rule.getByTestId('rule-job'), '40');
  await rule.getByTestId('rule-unmatched').waitFor();
  // Text a scenario file would refuse changes nothing and says why.
  await type(rule.getByTestId('rule-exit-code'), '300');
  assert.equal(await text(page, 'behavior-error'), 'invalid exit code "300": expected a number from 0 to 255');
  assert.equal(await rule.getByTestId('rule-exit-code').inputValue(), '3', 'the field shows the value in effect');
  await screenshot(page, 'behavior-panel');
  await page.close();
});

test('each example says what to notice, in the page\'s language, with its docs page', async () => {
  const { page } = await openPlayground(env);
  // The first-run example explains how to read the page.
  assert.match(await text(page, 'about-notice'), /Press ▶ Play/);
  assert.equal(await page.getByTestId('about-docs').getAttribute('href'), 'https://kubernetes.io/docs/concepts/workloads/controllers/job/');
  await selectPreset(page, 'pod-failure-policy');
  assert.match(await text(page, 'about-notice'), /about 9 minutes/);
  assert.match(await text(page, 'about-try'), /^Try this: Open pod-failure-policy-failjob/);
  await page.getByTestId('locale-select').selectOption('ja');
  assert.match(await text(page, 'about-notice'), /全体で約 9 分かかります/);
  await screenshot(page, 'about-ja');
  // Another object pasted over the example: its notes are gone.
  await replaceEditorText(page, blogCronJob(false));
  await page.getByTestId('cronjob-panel').waitFor();
  assert.equal(await page.getByTestId('about').count(), 0);
  await page.close();
});

test('a 700×500 embed shows the run and the Job status without scrolling; no key hints on touch', async () => {
  const page = await env.browser.newPage({ viewport: { width: 700, height: 500 } });
  await page.goto(`${env.url}?embed=1&preset=pi`);
  await page.waitForSelector('main.app[data-preset="pi"][data-loading=false]');
  await page.keyboard.press('End');
  const inView = async (id) => {
    const box = await page.getByTestId(id).boundingBox();
    return box !== null && box.y >= 0 && box.y + Math.min(box.height, 40) <= 500;
  };
  for (const id of ['timeline', 'job-status', 'play']) assert.ok(await inView(id), `${id} is visible without scrolling`);
  // The injections fold into one bar; opening it shows them.
  const inject = page.locator('details.inject');
  assert.equal(await inject.evaluate((d) => d.open), false);
  await inject.locator(':scope > summary').click();
  await page.getByTestId('inject-fail').waitFor();
  await screenshot(page, 'embed-700x500');
  await page.close();

  const phone = await env.browser.newPage({ viewport: { width: 390, height: 800 }, hasTouch: true, isMobile: true });
  await phone.goto(env.url);
  await phone.waitForSelector('main.app[data-loading=false]');
  assert.equal(await phone.locator('.keys').isVisible(), false, 'no keyboard hint on a touch screen');
  await phone.close();
});
