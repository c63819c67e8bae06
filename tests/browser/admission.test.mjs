// What the API server says about a pasted manifest, in the browser:
// strict decoding, several errors at once, warnings, updates by patch,
// and a huge Job that stops at the playground's limit instead of freezing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, openPlayground, replaceEditorText, screenshot, job, text } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});


test('a misspelled field and several invalid fields, as kubectl words them', async () => {
  const { page } = await openPlayground(env);
  await replaceEditorText(page, job('pi', '  backofLimit: 3', '        imagePullPolicyy: Always\n'));
  const error = page.getByTestId('error');
  await error.waitFor();
  assert.equal(await error.innerText(), 'Error from server (BadRequest): error when creating "STDIN": Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.backofLimit", unknown field "spec.template.spec.containers[0].imagePullPolicyy"');
  // In the editor: each unknown key marked where it is, each line marked in the gutter.
  await page.waitForFunction(() => document.querySelectorAll('.cm-lintRange-error').length === 2);
  assert.deepEqual(await page.locator('.cm-lintRange-error').allInnerTexts(), ['backofLimit', 'imagePullPolicyy']);
  assert.equal(await page.locator('.cm-lint-marker-error').count(), 2);

  await replaceEditorText(page, job('pi', '  parallelism: -1\n  completionMode: Random'));
  await page.waitForFunction(() => document.querySelector('[data-testid=error]')?.textContent.startsWith('The Job "pi" is invalid: \n*'));
  assert.equal(await error.innerText(), 'The Job "pi" is invalid: \n* spec.parallelism: Invalid value: -1: must be greater than or equal to 0\n* spec.completionMode: Unsupported value: "Random": supported values: "NonIndexed", "Indexed"');
  await screenshot(page, 'admission-several-errors');
  await page.close();
});

test('warnings are shown above a Job that runs', async () => {
  const { page } = await openPlayground(env);
  await replaceEditorText(page, job('my.job', '  backoffLimit: 1', '        ports: [{containerPort: 80}, {containerPort: 80}]\n'));
  const warnings = page.getByTestId('warnings');
  await warnings.waitFor();
  assert.equal(await warnings.innerText(), [
    'Warning: metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]',
    'Warning: spec.template.spec.containers[0].ports[1]: duplicate port definition with spec.template.spec.containers[0].ports[0]',
  ].join('\n'));
  await page.getByTestId('timeline').waitFor();
  await page.getByRole('tab', { name: 'get job -o yaml' }).click();
  const yaml = await text(page, 'kubectl-yaml');
  assert.match(yaml, /^ {8}- containerPort: 80\n {10}protocol: TCP$/m);
  assert.match(yaml, /^ {2}podReplacementPolicy: TerminatingOrFailed$/m);
  await screenshot(page, 'admission-warnings');
  await page.close();
});

test('a patch of the running Job is validated as an update', async () => {
  const { page } = await openPlayground(env);
  await page.getByTestId('scrubber').fill('5000');
  await page.locator('details.patch summary').click();
  await page.getByTestId('patch-text').fill('spec:\n  template:\n    spec:\n      containers:\n      - name: pi\n        image: perl:5.36\n');
  await page.getByTestId('apply-patch').click();
  // kubectl refuses it and the Job goes on untouched: nothing is recorded.
  const refused = page.getByTestId('patch-error');
  await refused.waitFor();
  assert.equal(await refused.innerText(), 'The Job "pi" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable');
  assert.equal(await page.getByTestId('remove-action').count(), 0);
  assert.equal(await page.getByTestId('run-error').count(), 0);
  assert.equal(await page.getByTestId('pod-bar').count(), 1);

  await page.getByTestId('patch-text').fill('spec:\n  activeDeadlineSeconds: 3\n');
  await page.getByTestId('apply-patch').click();
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.querySelector('[data-testid=job-status]').textContent.includes('Failed'));
  assert.match(await page.getByTestId('actions').innerText(), /5s patch spec:\s+activeDeadlineSeconds: 3/);

  await page.getByTestId('patch-text').fill('spec: [oops');
  await page.getByTestId('apply-patch').click();
  assert.match(await page.getByTestId('patch-error').innerText(), /^error converting YAML to JSON: yaml: line \d+: did not find expected ',' or ']'/);
  await page.close();
});

test('a Job too big for a browser tab stops at the limit with a message', async () => {
  const { page } = await openPlayground(env);
  const started = Date.now();
  await replaceEditorText(page, job('big', '  completions: 2147483647\n  parallelism: 1000000000'));
  const runError = page.getByTestId('run-error');
  await runError.waitFor({ timeout: 10000 });
  const took = Date.now() - started;
  assert.match(await runError.innerText(), /the Job wants 1000000000 pods at once, more than the playground's limit of 20000; lower its parallelism/);
  // The page still answers.
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  console.log(`budget: a pasted Job with parallelism 1e9 stopped at the pod limit in ${took} ms`);
  assert.ok(took < 3000, `the tab was busy for ${took} ms`);
  await page.close();
});
