// The newest releases, as a user meets them: the retry-in-place example
// restarts its container in place (↻ on the one pod's bar, the matched
// rule in Explain); switching the release to 1.34 brings back replacement
// pods with a note; a rule the release refuses is shown in kubectl's words;
// describe shows the pod template as kubectl prints it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, openPlayground, replaceEditorText, selectPreset, screenshot, text, openBehavior, editorText } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

test('retry in place: one pod restarted by its rule, replacement pods in 1.34', async () => {
  const { page, errors } = await openPlayground(env);
  await selectPreset(page, 'retry-in-place');
  await page.keyboard.press('End');
  const bars = page.getByTestId('pod-bar');
  assert.equal(await bars.count(), 1, 'no replacement pod');
  assert.equal(await bars.first().locator('.restart').count(), 2, 'two in-place restarts');
  assert.equal(await text(page, 'status-failed'), '0');
  await bars.first().click();
  const explain = await text(page, 'explain');
  assert.match(explain, /Container worker exited with 42, which matched restartPolicyRules\[0\] \(Restart\); the kubelet restarted it in place at once/);
  assert.match(explain, /after 10s of CrashLoopBackOff/);
  assert.match(explain, /the Job creates no replacement and counts nothing toward backoffLimit/);
  await screenshot(page, 'retry-in-place-1.37');

  await page.getByTestId('version-select').selectOption('1.34');
  await page.keyboard.press('End');
  assert.equal(await bars.count(), 3, 'each exit 42 fails its pod in 1.34');
  assert.match(await text(page, 'notes'), /restartPolicyRules was dropped: the ContainerRestartRules feature gate is off by default in 1.34/);
  assert.equal(await text(page, 'status-failed'), '2');
  await screenshot(page, 'retry-in-place-1.34');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a rule the release refuses is an error in kubectl words; describe prints the template', async () => {
  const { page } = await openPlayground(env);
  await selectPreset(page, 'retry-in-place');
  await page.getByTestId('version-select').selectOption('1.35');
  const manifest = await editorText(page);
  await replaceEditorText(page, manifest.replace('action: Restart', 'action: RestartAllContainers'));
  await page.getByTestId('error').waitFor();
  assert.equal(
    await text(page, 'error'),
    'The Job "retry-in-place" is invalid: spec.template.spec.containers[0].restartPolicyRules[0].action: Unsupported value: "RestartAllContainers": supported values: "Restart"',
  );
  await page.getByTestId('version-select').selectOption('1.36');
  assert.equal(await page.getByTestId('error').count(), 0, 'accepted from 1.36');
  await page.getByRole('tab', { name: 'describe job' }).click();
  const describe = await text(page, 'kubectl-describe');
  // One column block from Image to Tolerations (no line without a tab
  // between them), as kubectl's tab writer aligns it.
  assert.ok(
    describe.includes(
      '   worker:\n' +
        '    Image:         registry.example/worker:1.0\n' +
        '    Port:          <none>\n' +
        '    Host Port:     <none>\n' +
        '    Environment:   <none>\n' +
        '    Mounts:        <none>\n' +
        '  Volumes:         <none>\n' +
        '  Node-Selectors:  <none>\n' +
        '  Tolerations:     <none>\n',
    ),
    describe,
  );
  await page.close();
});

test('the behaviour panel can match a container run', async () => {
  const { page } = await openPlayground(env);
  await selectPreset(page, 'retry-in-place');
  await openBehavior(page);
  const runs = page.getByTestId('rule-run');
  assert.equal(await runs.count(), 3);
  assert.equal(await runs.nth(0).inputValue(), '0');
  assert.equal(await runs.nth(1).inputValue(), '1');
  // The second transient failure gone: one restart fewer.
  await runs.nth(1).fill('5');
  await runs.nth(1).press('Enter');
  await runs.nth(1).dispatchEvent('change');
  await page.keyboard.press('End');
  assert.equal(await page.getByTestId('pod-bar').first().locator('.restart').count(), 1);
  await page.close();
});
