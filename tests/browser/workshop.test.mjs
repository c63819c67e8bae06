// The workshop as a trainer and a learner use it: a prediction that must be
// locked in before the run is shown, a set of levels by link, a trainer's
// own levels file, solving with hints, the solution, the debrief and the
// next level, the summary to copy, and a level built from the playground
// and reopened from its link. Nothing leaves the site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, screenshot, text, replaceEditorText, loaded, editorText } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});


/** A new page whose requests are all recorded (to check none leaves the site). */
async function newPage(context) {
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, requests, errors };
}

test('a prediction is locked in before the run is shown, then the run plays and the gap is shown', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await newPage(context);
  await page.goto(`${env.url}?level=predict-backoff`);
  await page.getByTestId('level-view').waitFor();
  await page.waitForSelector('main.app[data-preset="pod-failure-policy"][data-loading=false]');
  // Nothing of the run shows: no timeline, no axis, no end time.
  await page.getByTestId('sealed').waitFor();
  assert.equal(await page.getByTestId('timeline').count(), 0);
  assert.equal(await page.getByTestId('scrubber').count(), 0);
  assert.equal(await page.getByTestId('about').count(), 0, 'the example\'s notes may tell the answer');
  assert.equal(await page.getByTestId('level-check').innerText(), 'Lock in my answer');
  // End, Space and the arrow keys do not move time either.
  await page.locator('h1').click();
  for (const key of ['End', ' ', 'ArrowRight', 'n']) await page.keyboard.press(key);
  await screenshot(page, 'workshop-sealed');
  assert.equal(await page.getByTestId('sealed').count(), 1);
  // A wrong prediction: locked in, judged on the level's own run, revealed.
  await page.getByTestId('level-answer').fill('2m');
  await page.getByTestId('level-check').click();
  assert.equal(
    await text(page, 'level-verdict'),
    'Not quite: you said 2m; the Job ended Failed at 9m5s, 7m5s later. Watch the run to see where the time went.',
  );
  await page.getByTestId('timeline').waitFor();
  assert.equal(await page.getByTestId('sealed').count(), 0);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=clock]').textContent) > 0, null, { timeout: 5000 });
  assert.notEqual(await page.getByTestId('level-answer').getAttribute('readonly'), null, 'the answer is locked');
  assert.match(await text(page, 'answer-locked'), /locked in/);
  await screenshot(page, 'workshop-revealed');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a trainer picks levels by link, a learner solves one with hints and the solution, reads the debrief and moves on; the summary is produced', async () => {
  const context = await env.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const { page, requests, errors } = await newPage(context);
  await page.goto(`${env.url}?levels=ttl-cleanup,cap-runtime`);
  await page.getByTestId('workshop').waitFor();
  await page.getByTestId('level').first().waitFor();
  const shown = await page.getByTestId('level').evaluateAll((ls) => ls.map((l) => l.dataset.level));
  assert.deepEqual(shown, ['ttl-cleanup', 'cap-runtime'], 'the set, in its order');
  // Tracks with difficulty and minutes.
  assert.match(await text(page, 'track'), /^Job basics\n/);
  assert.match(await page.locator('[data-level=ttl-cleanup] .meta').innerText(), /★☆☆ · 5 min/);

  await page.locator('[data-testid=level][data-level=ttl-cleanup]').click();
  await page.waitForSelector('main.app[data-preset="pi"][data-loading=false]');
  // Both hints, then the solution.
  assert.equal(await page.getByTestId('show-solution').count(), 0, 'not before the last hint');
  await page.getByTestId('level-hint').click();
  await page.getByTestId('level-hint').click();
  assert.equal(await page.getByTestId('hint').count(), 2);
  await page.getByTestId('show-solution').click();
  assert.match(await text(page, 'solution'), /ttlSecondsAfterFinished: 30/);
  const manifest = await editorText(page);
  await replaceEditorText(page, manifest.replace('  backoffLimit: 4', '  backoffLimit: 4\n  ttlSecondsAfterFinished: 30'));
  await page.getByTestId('level-check').click();
  assert.match(await text(page, 'level-verdict'), /^Solved!/);
  assert.match(await text(page, 'debrief'), /TTL-after-finished controller/);
  assert.equal(
    await page.locator('[data-testid=debrief] a').getAttribute('href'),
    'https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/',
  );
  await screenshot(page, 'workshop-debrief');
  await page.getByTestId('next-level').click();
  await page.waitForFunction(() => document.querySelector('[aria-pressed=true][data-level=cap-runtime]'));
  assert.match(await text(page, 'level-goal'), /hangs/);
  // The progress shows the time and hints; the summary says it all.
  assert.match(await page.locator('[data-level=ttl-cleanup] .meta').innerText(), /\d+s · 2 hints · solution shown/);
  await page.getByTestId('workshop-summary').click();
  const summary = await text(page, 'summary-text');
  assert.match(summary, /^Kubernetes Job Playground workshop summary\nSolved 1 of 2 levels · 2 hints · \d+s\n/);
  assert.match(summary, /✓ Clean up finished Jobs — \d+s · 2 hints · solution shown\n– Stop a Job that hangs$/);
  await page.getByTestId('summary-copy').click();
  assert.equal((await page.evaluate(() => navigator.clipboard.readText())).trim(), summary);
  await screenshot(page, 'workshop-summary');
  // Progress survives a reload, and can be reset.
  await page.reload();
  await page.locator('[data-level=ttl-cleanup][data-solved=true]').waitFor();
  await page.getByTestId('reset-progress').click();
  await page.locator('[data-level=ttl-cleanup][data-solved=false]').waitFor();
  // Everything came from the site itself: a downloaded copy works offline.
  const origin = new URL(env.url).origin;
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a trainer\'s own levels file on the site opens; another site\'s is refused', async () => {
  const context = await env.browser.newContext();
  const { page } = await newPage(context);
  const own = `levels:
- id: room-1
  title: {en: "Room one", ja: "部屋 1"}
  seed: pi
  editable: [spec.backoffLimit]
  goal: "Keep pi as it is and check it."
  hints: ["Press Check.", "Really."]
  checks:
  - job: Complete
`;
  await page.route('**/trainer/levels.yaml', (route) => route.fulfill({ body: own, contentType: 'application/yaml' }));
  await page.goto(`${env.url}?levelsUrl=trainer%2Flevels.yaml&level=room-1`);
  await page.getByTestId('level-view').waitFor();
  assert.equal(await text(page, 'level-goal'), 'Keep pi as it is and check it.');
  await page.waitForSelector('main.app[data-preset="pi"][data-loading=false]');
  await page.getByTestId('level-check').click();
  assert.match(await text(page, 'level-verdict'), /^Solved!/);

  await page.goto(`${env.url}?levelsUrl=https%3A%2F%2Fevil.example%2Flevels.yaml`);
  assert.equal(
    await text(page, 'levels-error'),
    'error: levelsUrl: "https://evil.example/levels.yaml" is not on this site; a workshop\'s levels file must be served beside the playground',
  );
  // The room's order, whatever the tracks.
  await page.goto(`${env.url}?levels=cron-no-overlap,stop-retries`);
  await page.getByTestId('level').first().waitFor();
  assert.deepEqual(await page.getByTestId('level').evaluateAll((ls) => ls.map((l) => l.dataset.level)), ['cron-no-overlap', 'stop-retries']);
  assert.deepEqual(await page.locator('[data-testid=track] h3').allInnerTexts(), ['CronJobs', 'Job basics']);
  await page.goto(`${env.url}?levels=ttl-cleanup,nope`);
  assert.match(await text(page, 'levels-error'), /^levels: no level "nope" \(the levels are /);
  await context.close();
});

test('a level built from the playground reopens from its link and can be solved', async () => {
  const context = await env.browser.newContext();
  const { page, errors } = await newPage(context);
  await page.goto(`${env.url}?preset=pi`);
  await loaded(page);
  await page.getByTestId('workshop-toggle').click();
  await page.getByTestId('workshop-build').click();
  await page.getByTestId('builder-id').fill('pi-done');
  await page.getByTestId('builder-title').fill('Pi completes');
  await page.getByTestId('builder-goal').fill('Check that pi completes.');
  await page.getByTestId('builder-editable').fill('spec.parallelism');
  await page.getByTestId('builder-hints').fill('Just press Check.\nReally.');
  // The first suggestion (how and when the Job ended) is chosen; add the pod count.
  const checks = page.getByTestId('builder-check');
  assert.ok((await checks.count()) >= 3);
  assert.equal(await checks.nth(0).isChecked(), true);
  await checks.nth(2).check();
  const built = await text(page, 'built-level');
  assert.match(built, /- id: pi-done\n/);
  assert.match(built, /  - job: Complete\n    reason: CompletionsReached\n/);
  assert.match(built, /  - pods:\n      min: 1\n      max: 1$/);
  assert.equal(await page.getByTestId('builder-problem').count(), 0);
  await page.getByTestId('builder-link').click();
  const link = await page.getByTestId('level-link').inputValue();
  assert.match(link, /#v=1&w=[A-Za-z0-9_-]+$/);
  await screenshot(page, 'workshop-builder');

  const learner = await context.newPage();
  await learner.goto(link);
  await learner.getByTestId('level-view').waitFor();
  assert.equal(await text(learner, 'level-goal'), 'Check that pi completes.');
  await learner.waitForSelector('main.app[data-loading=false]');
  await learner.waitForFunction(() => document.querySelector('[data-testid=editor]').value?.includes('name: pi'));
  await learner.getByTestId('level-check').click();
  assert.match(await text(learner, 'level-verdict'), /^Solved!/);
  // Changing what the level did not open up is flagged, not solved.
  const manifest = await editorText(learner);
  await replaceEditorText(learner, manifest.replace('backoffLimit: 4', 'backoffLimit: 1'));
  await learner.getByTestId('level-check').click();
  assert.match(await text(learner, 'level-verdict'), /^This level is about spec\.parallelism; another part of the manifest was changed/);
  assert.deepEqual(errors, []);
  await context.close();
});
