// Share, embed, persist and teach, as users do it: share links (made now
// and committed ones from earlier releases), the too-long fallback, import
// by picker and by drop, work kept across reloads, the docs embed page, a
// sub-path host with no foreign requests, Japanese and English, and a
// workshop level solved end to end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { start, openPlayground, replaceEditorText, selectPreset, screenshot, loaded, SUB_PATH, text, job, editorText } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures');

async function share(page) {
  await page.getByTestId('share').click();
  await page.waitForFunction(() => location.hash.startsWith('#v=1&'));
  return page.evaluate(() => location.href);
}

test('a share link reproduces the run: scenario, actions, version, cursor', async () => {
  const { page, errors } = await openPlayground(env);
  await selectPreset(page, 'pod-failure-policy');
  await page.getByTestId('version-select').selectOption('1.30');
  await page.getByTestId('scrubber').fill('60000');
  await page.getByTestId('suspend').click();
  await page.getByTestId('scrubber').fill('100000');
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').textContent === '100.0');
  const link = await share(page);
  assert.match(link, /#v=1&t=100000&z=[\w-]+$/);
  const before = { editor: await editorText(page), actions: await text(page, 'actions'), status: await text(page, 'job-status') };

  const other = await env.browser.newPage();
  await other.goto(link);
  await other.waitForFunction(() => document.querySelector('[data-testid=clock]')?.textContent === '100.0');
  assert.equal(await editorText(other), before.editor);
  assert.equal(await text(other, 'actions'), before.actions);
  assert.equal(await text(other, 'job-status'), before.status);
  assert.equal(await other.getByTestId('version-select').inputValue(), '1.30');
  await other.close();
  assert.deepEqual(errors, []);
  await page.close();
});

test('committed links from earlier releases open exactly as they were made', async () => {
  const lines = fs.readFileSync(path.join(FIXTURES, 'links.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  assert.ok(lines.length >= 2);
  for (const line of lines) {
    const [file, cursor, link] = line.split(' ');
    const scenario = fs.readFileSync(path.join(FIXTURES, 'links', file), 'utf8');
    const after = scenario.split('\nmanifest:\n')[1].split('\n');
    const end = after.findIndex((l) => l !== '' && !l.startsWith('  '));
    const manifest = after.slice(0, end < 0 ? after.length : end).map((l) => l.slice(2));
    const page = await env.browser.newPage();
    await page.goto(env.url + link.slice(link.indexOf('#')));
    const clock = (Number(cursor) / 1000).toFixed(1);
    await page.waitForFunction((c) => document.querySelector('[data-testid=clock]')?.textContent === c
      && document.querySelector('main.app')?.dataset.loading === 'false'
      && document.querySelector('[data-testid=editor]')?.value?.includes('kind:'), clock);
    const expected = manifest.join('\n').trimEnd() + '\n';
    assert.equal(await editorText(page), expected, file);
    const version = scenario.match(/kubernetesVersion: "([\d.]+)"/)[1];
    assert.equal(await page.getByTestId('version-select').inputValue(), version, file);
    await page.close();
  }
});

test('a damaged link says so and the page still opens its example', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}#v=1&t=0&z=AAAA`);
  await loaded(page);
  await page.waitForSelector('main.app[data-preset="pi"]');
  assert.equal(await text(page, 'problem'), 'error: the link is damaged: its scenario does not inflate (cut short?)');
  await page.close();
});

test('a scenario too long for a link offers the file instead', async () => {
  const { page } = await openPlayground(env);
  // 600 environment variables with values that do not compress.
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed.toString(36));
  const env_ = Array.from({ length: 600 }, (_, i) => `        - {name: V${i}, value: "${random()}${random()}"}`).join('\n');
  await replaceEditorText(page, job('big', '', `        env:\n${env_}\n`));
  await page.getByTestId('timeline').waitFor();
  await page.getByTestId('share').click();
  const notice = page.getByTestId('link-too-long');
  await notice.waitFor();
  assert.match(await notice.innerText(), /too long for a link \(\d{4,} characters; links are at most 8000\)/);
  assert.equal(await page.evaluate(() => location.hash), '', 'no half-made link in the address');
  const [download] = await Promise.all([page.waitForEvent('download'), notice.getByRole('button').click()]);
  assert.equal(download.suggestedFilename(), 'scenario.yaml');
  await page.close();
});

test('import by file picker and by drop; a bad file says why', async () => {
  const { page } = await openPlayground(env);
  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: imported\nspec:\n  completions: 3\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - {name: main, image: busybox}\n';
  await page.getByTestId('import-file').setInputFiles({ name: 'job.yaml', mimeType: 'text/yaml', buffer: Buffer.from(job) });
  await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value?.includes('name: imported'));
  assert.equal(await editorText(page), job);

  const scenario = fs.readFileSync(path.join(FIXTURES, 'links', 'cron-forbid-1.30.yaml'), 'utf8');
  const drop = await page.evaluateHandle((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'batch.yaml', { type: 'text/yaml' }));
    return dt;
  }, scenario);
  await page.dispatchEvent('main.app', 'drop', { dataTransfer: drop });
  await page.getByTestId('cronjob-panel').waitFor();
  assert.equal(await page.getByTestId('version-select').inputValue(), '1.30');

  await page.getByTestId('import-file').setInputFiles({ name: 'bad.yaml', mimeType: 'text/yaml', buffer: Buffer.from('scenario: v1\nmanifest: {kind: Job}\nuntill: 5s\n') });
  const problem = page.getByTestId('problem');
  await problem.waitFor();
  assert.match(await problem.innerText(), /^error: scenario untill: unknown field `untill`/);
  assert.equal(await page.getByTestId('version-select').inputValue(), '1.30', 'the work is kept');
  await page.close();
});

test('edits survive a reload; Restore example brings the example back', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(env.url);
  await loaded(page);
  await selectPreset(page, 'indexed');
  const original = await editorText(page);
  await replaceEditorText(page, original.replace('completions: 5', 'completions: 4'));
  await page.reload();
  await loaded(page);
  assert.equal(await editorText(page), original.replace('completions: 5', 'completions: 4'));
  await page.getByTestId('restore-example').click();
  await page.waitForSelector('main.app[data-preset="indexed"]');
  assert.equal(await editorText(page), original);
  await context.close();
});

test('the docs embed page, served from a sub-path, with no foreign requests', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const origin = new URL(env.url).origin;
  const foreign = [];
  context.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('about:') && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  await page.goto(`${origin}${SUB_PATH}embed-example.html`);
  const frame = page.frameLocator('[data-testid=embedded]');
  await frame.getByTestId('timeline').waitFor({ timeout: 15000 });
  // Compact: no example menu or share buttons; the manifest is folded.
  assert.equal(await frame.getByTestId('preset-select').count(), 0);
  assert.equal(await frame.locator('details.fold').getAttribute('open'), null);
  await frame.getByTestId('play').waitFor();
  await frame.getByTestId('step').click();
  assert.notEqual(await frame.getByTestId('clock').innerText(), '0.0');
  await screenshot(page, 'embed-example');
  // "Open in full playground" carries the scenario and the cursor.
  const clock = await frame.getByTestId('clock').innerText();
  const [full] = await Promise.all([context.waitForEvent('page'), frame.getByTestId('open-full').click()]);
  await full.waitForURL(/#v=1&/);
  assert.ok(full.url().startsWith(`${origin}${SUB_PATH}`), full.url());
  assert.doesNotMatch(full.url(), /embed=/);
  await full.waitForFunction((c) => document.querySelector('[data-testid=clock]')?.textContent === c, clock);
  assert.match(await editorText(full), /name: job-pod-failure-policy-example/);
  assert.deepEqual(foreign, []);
  // The embed never touched the full playground's saved work.
  assert.equal(await page.evaluate(() => localStorage.getItem('jobsim.scenario')), null);
  await context.close();
});

test('Japanese and English: ?lang=, the switcher, remembered; no shortcut while composing', async () => {
  const context = await env.browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${env.url}?lang=ja`);
  await loaded(page);
  assert.equal(await page.getByTestId('play').innerText(), '▶ 再生');
  assert.equal(await page.getByTestId('restore-example').innerText(), '例に戻す');
  await page.getByTestId('locale-select').selectOption('en');
  assert.equal(await page.getByTestId('play').innerText(), '▶ Play');
  await page.goto(env.url);
  await loaded(page);
  await page.getByTestId('locale-select').selectOption('ja');
  await page.reload();
  await loaded(page);
  assert.equal(await page.getByTestId('workshop-toggle').innerText(), '🎓 ワークショップ', 'the choice is remembered');
  // An IME composition's Space must not start playback.
  await page.evaluate(() => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', isComposing: true, bubbles: true })));
  await page.evaluate(() => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', keyCode: 229, bubbles: true })));
  assert.equal(await page.getByTestId('pause').isDisabled(), true, 'not playing');
  await page.evaluate(() => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true })));
  await page.waitForFunction(() => !document.querySelector('[data-testid=pause]').disabled);
  await context.close();
});

test('a workshop answer that breaks the level\'s intent is not solved, and says why', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}?level=stop-retries`);
  await page.getByTestId('level-view').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value?.includes('nightly-import'));
  // Letter, not spirit: a one-second deadline also stops the import early.
  const manifest = await editorText(page);
  await replaceEditorText(page, manifest.replace('spec:\n  template:', 'spec:\n  activeDeadlineSeconds: 1\n  template:'));
  await page.getByTestId('level-check').click();
  assert.equal(
    await text(page, 'level-verdict'),
    'This level is about spec.backoffLimit, spec.podFailurePolicy; another part of the manifest was changed. Reset the level and change only that.',
  );
  // Another example from the menu is not the level's scenario either.
  await page.locator('[data-testid=level][data-level=proxy-sidecar]').click();
  await page.waitForSelector('main.app[data-preset="sidecar-never-completes"]');
  await page.getByTestId('preset-select').selectOption('sidecar-native');
  await page.waitForSelector('main.app[data-preset="sidecar-native"][data-loading=false]');
  await page.getByTestId('level-check').click();
  assert.match(await text(page, 'level-verdict'), /^This level is about spec\.template\.spec\.containers, spec\.template\.spec\.initContainers;/);
  // A prediction is judged on the level's own run, not on an edited one.
  await page.locator('[data-testid=level][data-level=predict-backoff]').click();
  await page.waitForSelector('main.app[data-preset="pod-failure-policy"][data-loading=false]');
  const original = await editorText(page);
  await replaceEditorText(page, original.replace('backoffLimit: 6', 'backoffLimit: 0'));
  await page.getByTestId('level-answer').fill('31s');
  await page.getByTestId('level-check').click();
  assert.match(await text(page, 'level-verdict'), /^This level asks only for your prediction/);
  await page.close();
});

test('a workshop level solved end to end, in Japanese, with progress kept', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.url}?level=stop-retries&lang=ja`);
  await page.getByTestId('level-view').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value?.includes('nightly-import'));
  assert.match(await text(page, 'level-goal'), /インポート/);
  await page.getByTestId('level-check').click();
  assert.equal(await text(page, 'level-verdict'), 'Job は Pod を 7 個作りました。目標は ≤ 1 個です。');
  await page.getByTestId('level-hint').click();
  assert.match(await text(page, 'hint'), /backoffLimit/);
  const manifest = await editorText(page);
  await replaceEditorText(page, manifest.replace('spec:\n  template:', 'spec:\n  backoffLimit: 0\n  template:'));
  await page.getByTestId('level-check').click();
  assert.match(await text(page, 'level-verdict'), /^クリア/);
  assert.equal(await page.locator('[data-testid=level][data-level=stop-retries]').getAttribute('data-solved'), 'true');
  await screenshot(page, 'workshop-solved');

  // A prediction level: the answer is checked against the simulation.
  await page.locator('[data-testid=level][data-level=predict-backoff]').click();
  await page.waitForSelector('main.app[data-preset="pod-failure-policy"]');
  await page.getByTestId('level-answer').fill('2m');
  await page.getByTestId('level-check').click();
  assert.equal(
    await text(page, 'level-verdict'),
    '惜しい: 予想は 2m でしたが、Job が Failed になったのは 9m5s で、予想より 7m5s 遅い時刻でした。実行を再生して、時間がどこでかかったか確かめましょう。',
  );
  // Locked in: another answer needs the level reset (the run is hidden again).
  assert.notEqual(await page.getByTestId('level-answer').getAttribute('readonly'), null);
  await page.getByTestId('level-reset').click();
  await page.getByTestId('sealed').waitFor();
  await page.getByTestId('level-answer').fill('9m5s');
  await page.getByTestId('level-check').click();
  assert.equal(await text(page, 'level-verdict'), 'クリア! ✓ シミュレーションが目標を満たしました。 Job が Failed になったのは 9m5s で、予想は 9m5s でした。');

  await page.goto(env.url);
  await loaded(page);
  await page.getByTestId('workshop-toggle').click();
  await page.locator('[data-testid=level][data-level=stop-retries]').waitFor();
  const solved = await page.getByTestId('level').evaluateAll((ls) => ls.filter((l) => l.dataset.solved === 'true').map((l) => l.dataset.level));
  assert.deepEqual(solved, ['predict-backoff', 'stop-retries']);
  assert.ok((await page.getByTestId('level').count()) >= 8);
  await context.close();
});
