// The playground in headless Chromium: what users do (pick an example,
// play, inject, scrub, edit) and what they must see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, openPlayground, replaceEditorText, selectPreset, screenshot, loaded, seek, text, openBehavior, editorText } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

test('the pi example plays to Complete', async () => {
  const { page, errors } = await openPlayground(env);
  assert.match(await editorText(page), /print bpi\(2000\)/);
  assert.equal(await text(page, 'clock'), '0.0');
  await page.getByTestId('speed').selectOption('10');
  await page.getByTestId('play').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=job-status]').textContent.includes('Complete'), null, { timeout: 15000 });
  assert.equal(await text(page, 'clock'), '12.0');
  assert.match(await text(page, 'job-status'), /SuccessCriteriaMet, Complete/);
  assert.equal(await text(page, 'status-succeeded'), '1');
  assert.equal(await text(page, 'status-active'), '0');
  const bar = page.getByTestId('pod-bar');
  assert.equal(await bar.count(), 1);
  assert.equal(await bar.getAttribute('data-phase'), 'Succeeded');
  assert.match(await bar.getAttribute('data-pod-name'), /^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.equal(await page.getByTestId('pause').isDisabled(), true, 'playback stopped at the end');
  assert.equal(await page.getByTestId('error').count(), 0);
  await screenshot(page, 'pi-complete');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an injected failure produces a backoff gap labelled with its delay', async () => {
  const { page } = await openPlayground(env);
  await seek(page, 5);
  const bar = page.getByTestId('pod-bar').first();
  assert.equal(await bar.getAttribute('data-phase'), 'Running');
  await bar.click();
  await page.getByTestId('inject-exit-code').fill('3');
  await page.getByTestId('inject-exit-code').dispatchEvent('change');
  await page.getByTestId('inject-fail').click();
  assert.match(await text(page, 'actions'), /5s fail-pod \{name: pi-\w+\} exit 3/);
  await page.keyboard.press('End');
  // Failed at 5 s, counted at 6 s; the replacement waits 10 s from the failure.
  const gap = page.getByTestId('backoff-gap');
  await gap.waitFor();
  assert.equal(await gap.getAttribute('data-delay'), '10s');
  assert.equal(await gap.innerText(), 'backoff 10s');
  assert.equal(await page.getByTestId('pod-bar').count(), 2);
  assert.equal(await text(page, 'status-failed'), '1');
  await gap.click();
  assert.match(await text(page, 'explain'), /The pod-failure backoff: the 1st failure in a row waits 10s from the failure at 5s, until 15s\./);
  assert.equal(await gap.getAttribute('data-reason'), 'backoff');
  await screenshot(page, 'inject-backoff-gap');
  // Undo: removing the action brings the plain run back.
  await page.getByTestId('remove-action').click();
  await page.keyboard.press('End');
  assert.equal(await page.getByTestId('backoff-gap').count(), 0);
  assert.equal(await page.getByTestId('pod-bar').count(), 1);
  await page.close();
});

test('suspend deletes the running pods and shows Suspended; resume brings new ones', async () => {
  const { page } = await openPlayground(env);
  await selectPreset(page, 'pi-with-timeout');
  await seek(page, 20);
  await page.getByTestId('suspend').click();
  await seek(page, 21);
  assert.match(await text(page, 'job-status'), /Suspended/);
  assert.equal(await text(page, 'status-active'), '0');
  assert.equal(await text(page, 'status-failed'), '0', 'pods deleted by suspend are not failures');
  await page.getByRole('tab', { name: 'Events' }).click();
  const events = await text(page, 'events');
  assert.match(events, /20s\s+Normal\s+Suspended\s+Job\/pi-with-timeout\s+Job suspended/);
  assert.match(events, /20s\s+Normal\s+SuccessfulDelete\s+Job\/pi-with-timeout\s+Deleted pod: pi-with-timeout-\w{5}/);
  await seek(page, 40);
  await page.getByTestId('resume').click();
  await seek(page, 41);
  assert.doesNotMatch(await text(page, 'job-status'), /Suspended/);
  assert.equal(await text(page, 'status-active'), '1');
  await page.getByTestId('condition-marker').first().click();
  assert.match(await text(page, 'explain'), /Suspended/);
  await screenshot(page, 'suspend-resume');
  await page.close();
});

test('an invalid manifest shows the API server\'s error at its line', async () => {
  const { page } = await openPlayground(env);
  const manifest = (await editorText(page)).replace('backoffLimit: 4', 'backoffLimit: -4');
  await replaceEditorText(page, manifest);
  const error = page.getByTestId('error');
  await error.waitFor();
  assert.equal(await error.innerText(), 'The Job "pi" is invalid: spec.backoffLimit: Invalid value: -4: must be greater than or equal to 0');
  assert.equal(await text(page, 'error-position'), 'line 13, column 3');
  // The editor marks the value's key on that line.
  await page.locator('.cm-lintRange-error').waitFor();
  assert.equal(await page.locator('.cm-lintRange-error').innerText(), 'backoffLimit');
  assert.equal(await page.locator('.cm-lint-marker-error').count(), 1);
  await screenshot(page, 'invalid-manifest');

  await replaceEditorText(page, 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\n   labels: x\nspec: {}\n');
  assert.equal(await error.innerText(), 'error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context');
  assert.equal(await text(page, 'error-position'), 'line 5, column 10');

  await replaceEditorText(page, manifest.replace('backoffLimit: -4', 'backoffLimit: 4'));
  await page.getByTestId('timeline').waitFor();
  assert.equal(await page.getByTestId('error').count(), 0);
  await page.close();
});

test('scrubbing back restores the earlier state, and forward again the same', async () => {
  const { page } = await openPlayground(env);
  await selectPreset(page, 'pod-failure-policy');
  await page.keyboard.press('End');
  assert.equal(await text(page, 'clock'), '545.0');
  assert.equal(await text(page, 'status-failed'), '8');
  assert.equal(await page.getByTestId('pod-bar').count(), 8);
  await seek(page, 40);
  assert.equal(await text(page, 'status-failed'), '2');
  assert.equal(await text(page, 'status-active'), '0');
  assert.equal(await page.getByTestId('pod-bar').count(), 2);
  assert.doesNotMatch(await text(page, 'job-status'), /Failed/);
  await seek(page, 545);
  assert.equal(await text(page, 'status-failed'), '8');
  assert.match(await text(page, 'job-status'), /FailureTarget, Failed/);
  const delays = await page.getByTestId('backoff-gap').evaluateAll((gaps) => gaps.map((g) => g.dataset.delay));
  assert.deepEqual([...new Set(delays)], ['20s', '1m20s', '5m20s']);
  await screenshot(page, 'pod-failure-policy-end');
  await page.close();
});

test('keyboard: Space plays and pauses, arrows step between events, Home and End jump', async () => {
  const { page } = await openPlayground(env);
  await page.locator('h1').click();
  await page.keyboard.press('ArrowRight');
  assert.equal(await text(page, 'clock'), '1.0');
  await page.keyboard.press('ArrowRight');
  assert.equal(await text(page, 'clock'), '2.0');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await text(page, 'clock'), '1.0');
  await page.keyboard.press('End');
  assert.equal(await text(page, 'clock'), '12.0');
  await page.keyboard.press('Home');
  assert.equal(await text(page, 'clock'), '0.0');
  await page.keyboard.press(' ');
  assert.equal(await page.getByTestId('pause').isEnabled(), true);
  await page.keyboard.press(' ');
  assert.equal(await page.getByTestId('play').isEnabled(), true);
  // The timeline is one Tab stop; ↓ selects a pod, and Explain says why it exists.
  await page.keyboard.press('End');
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('ArrowDown');
  assert.match(await text(page, 'explain'), /Created 1 pod: the Job controller wants min\(completions 1 − succeeded 0, parallelism 1\) = 1 active/);
  // Typing in the editor is typing, not playback.
  await page.getByTestId('editor').focus();
  await page.keyboard.press('End');
  assert.equal(await text(page, 'clock'), '12.0');
  await page.close();
});

test('kubectl views, Japanese UI and a share link', async () => {
  const { page } = await openPlayground(env);
  await seek(page, 5);
  await page.getByRole('tab', { name: 'get pods' }).click();
  assert.match(await text(page, 'kubectl-get-pods'), /pi-\w{5}\s+1\/1\s+Running\s+0\s+5s/);
  await page.getByRole('tab', { name: 'describe job' }).click();
  assert.match(await text(page, 'kubectl-describe'), /Pods Statuses:\s+1 Active \(1 Ready\) \/ 0 Succeeded \/ 0 Failed/);
  await page.getByRole('tab', { name: 'get job -o yaml' }).click();
  assert.match(await text(page, 'kubectl-yaml'), /backoffLimit: 4/);
  await page.getByTestId('locale-select').selectOption('ja');
  assert.equal(await page.locator('h1').innerText(), 'Kubernetes Job プレイグラウンド');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
  // A share link carries the whole scenario, actions included.
  await page.getByTestId('suspend').click();
  await page.getByTestId('share').click();
  await page.waitForFunction(() => location.hash.startsWith('#v=1&'));
  const link = await page.evaluate(() => location.href);
  assert.match(link, /#v=1&t=5000&z=[\w-]+$/);
  const other = await env.browser.newPage();
  await other.goto(link);
  await other.waitForFunction(() => /5s suspend/.test(document.querySelector('[data-testid=actions]')?.textContent));
  await other.close();
  const narrow = (await openPlayground(env, { width: 420, height: 900 })).page;
  await narrow.goto(`${env.url}?lang=ja`);
  await narrow.getByTestId('timeline').waitFor();
  assert.equal(await narrow.getByTestId('play').innerText(), '▶ 再生');
  const width = await narrow.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 420, `no horizontal scrolling in a 420 px column (${width})`);
  await screenshot(narrow, 'narrow-ja');
  await narrow.close();
  await page.close();
});

test('the behaviour panel changes what containers do, without writing YAML', async () => {
  const { page } = await openPlayground(env);
  await openBehavior(page);
  const exit = page.getByTestId('behavior-exit-code');
  await exit.fill('1');
  await exit.dispatchEvent('change');
  await page.locator('h1').click();
  await page.keyboard.press('End');
  // backoffLimit 4: the fifth failure fails the Job.
  assert.equal(await text(page, 'status-failed'), '5');
  assert.match(await text(page, 'job-status'), /FailureTarget, Failed/);
  assert.equal(await page.getByTestId('pod-bar').count(), 5);
  const runFor = page.getByTestId('behavior-run-for');
  await runFor.fill('forever');
  await runFor.dispatchEvent('change');
  await page.locator('h1').click();
  await page.keyboard.press('End');
  assert.equal(await text(page, 'clock'), '3600.0', 'a never-ending pod runs until the 1 h limit');
  await page.close();
});

test('with reduced motion, playback moves in discrete steps', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  await page.goto(env.url);
  await loaded(page);
  await page.getByTestId('speed').selectOption('2');
  await page.getByTestId('play').click();
  const seen = new Set();
  for (let i = 0; i < 30; i++) {
    seen.add(await text(page, 'clock'));
    await page.waitForTimeout(50);
  }
  await page.getByTestId('pause').click();
  const values = [...seen].map(Number).sort((a, b) => a - b);
  // 2× with a jump every half second: whole seconds, a handful of values.
  assert.ok(values.length <= 5, `discrete steps, not a smooth count: ${values}`);
  assert.ok(values.every((v) => Number.isInteger(v)), `jumps of 1 s: ${values}`);
  await page.close();
});
