// The page tells the truth and never goes blank: what it shows at an
// instant is what an injection there acts on; refused injections are not
// recorded; runs degrade instead of vanishing; gaps are explained from the
// controller's record; and the defects a new user met are gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, openPlayground, replaceEditorText, selectPreset, screenshot, loaded, seek, text, editorText } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** Opens a scenario by a format-0 share link (`#s=` base64url). */
async function openScenario(page, scenario) {
  await page.goto(`${env.url}#s=${Buffer.from(scenario).toString('base64url')}`);
  await page.getByTestId('timeline').waitFor();
  await page.waitForSelector('[data-testid=pod-bar]');
}

function job(name, spec, rest = '') {
  return `scenario: v1
manifest:
  apiVersion: batch/v1
  kind: Job
  metadata: {name: ${name}}
  spec:
${spec}
    template:
      spec:
        restartPolicy: Never
        containers: [{name: main, image: busybox}]
${rest}`;
}

/** The element at the middle of `locator`'s box, as a click there would hit it. */
function hitAt(page, locator) {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit === el || el.contains(hit);
  });
}

test('1. an injection at an instant acts on what the page shows then', async () => {
  const { page, errors } = await openPlayground(env);
  await page.getByTestId('reset').click();
  await page.getByTestId('step').click();
  assert.equal(await text(page, 'clock'), '1.0');
  assert.equal(await page.getByTestId('pod-bar').getAttribute('data-phase'), 'Running');
  const fail = page.getByTestId('inject-fail');
  assert.equal(await fail.isEnabled(), true);
  await fail.click();
  assert.equal(await page.getByTestId('run-error').count(), 0, 'the run still runs');
  assert.equal(await page.getByTestId('inject-error').count(), 0);
  assert.match(await text(page, 'actions'), /^1s fail-pod \{name: pi-\w+\} exit 1/);
  await page.keyboard.press('End');
  assert.equal(await text(page, 'status-failed'), '1');
  assert.equal(await page.getByTestId('pod-bar').count(), 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('2. a patch or an injection the API server refuses is not recorded', async () => {
  const { page } = await openPlayground(env);
  await selectPreset(page, 'indexed');
  await seek(page, 5);
  await page.locator('details.patch summary').click();
  await page.getByTestId('patch-text').fill('{"spec":{"completions":9}}');
  await page.getByTestId('apply-patch').click();
  assert.equal(
    await text(page, 'patch-error'),
    'The Job "indexed-job" is invalid: spec.completions: Invalid value: 9: can only be modified in tandem with spec.parallelism',
  );
  assert.equal(await page.locator('[data-testid=actions] li').count(), 0, 'nothing recorded');
  assert.equal(await page.getByTestId('run-error').count(), 0);
  await page.keyboard.press('End');
  assert.equal(await page.getByTestId('pod-bar').count(), 6, 'the Job goes on untouched');
  // An injection button with a value the API server refuses.
  await seek(page, 5);
  await page.getByTestId('parallelism-value').fill('-1');
  await page.getByTestId('parallelism-value').dispatchEvent('change');
  await page.getByTestId('set-parallelism').click();
  assert.match(
    await text(page, 'inject-error'),
    /spec\.parallelism: Invalid value: -1: must be greater than or equal to 0/,
  );
  assert.equal(await page.locator('[data-testid=actions] li').count(), 0);
  await screenshot(page, 'truth-refused');
  await page.close();
});

test('3. a half-typed manifest keeps the last run on screen, dimmed', async () => {
  const { page } = await openPlayground(env);
  await seek(page, 5);
  const editor = page.getByTestId('editor');
  await editor.click();
  await page.keyboard.press('Control+End');
  // Typing a new field, key by key: invalid until it is complete.
  await page.keyboard.type('  paral');
  const sim = page.locator('section.sim');
  assert.equal(await sim.getAttribute('data-stale'), 'true');
  assert.equal(await page.getByTestId('pod-bar').count(), 1, 'the last run stays');
  assert.match(await text(page, 'error'), /^error converting YAML to JSON: yaml: line 15/);
  await page.getByTestId('stale-note').waitFor();
  // The opacity the timeline is seen with: its own and its containers'.
  const opacity = await page.locator('.sim .timeline').evaluate((el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  });
  assert.ok(opacity < 0.7, `the stale run is dimmed (opacity ${opacity})`);
  assert.equal(await page.getByTestId('inject-fail').isDisabled(), true, 'no injection into a stale run');
  await screenshot(page, 'truth-stale');
  await page.keyboard.type('lelism: 2');
  assert.equal(await sim.getAttribute('data-stale'), 'false');
  assert.equal(await page.getByTestId('error').count(), 0);
  await page.close();
});

test('4. selecting a pod does not wash out the page', async () => {
  const { page } = await openPlayground(env);
  await seek(page, 5);
  await page.getByTestId('pod-bar').click();
  // The pod's story goes on after 5 s: its last item is in the future.
  const later = page.locator('.story li').last();
  assert.equal(await later.first().evaluate((el) => getComputedStyle(el).position), 'static');
  // The page's top-left corner and the status panel are still what they were.
  assert.equal(await hitAt(page, page.getByTestId('job-status')), true);
  const box = await later.first().boundingBox();
  const panel = await page.getByTestId('explain').boundingBox();
  assert.ok(box.x >= panel.x && box.x + box.width <= panel.x + panel.width + 1, 'inside the Explain panel');
  await screenshot(page, 'truth-pod-selected');
  await page.close();
});

test('5. gaps say why a replacement came when it did, from the controller\'s record', async () => {
  const { page } = await openPlayground(env);
  await selectPreset(page, 'indexed');
  await page.keyboard.press('End');
  const gap = page.getByTestId('backoff-gap');
  assert.equal(await gap.count(), 1);
  assert.equal(await gap.getAttribute('data-reason'), 'reset-by-success');
  assert.equal(await gap.innerText(), 'backoff reset by a success');
  await gap.click();
  const explain = await text(page, 'explain');
  assert.match(explain, /after 7s: from the failure at 8s .* to its creation at 15s/);
  assert.match(explain, /a pod succeeded at 14s, and a success resets the backoff/);
  assert.doesNotMatch(explain, /forgot/);
  // Japanese, from the same record.
  await page.getByTestId('locale-select').selectOption('ja');
  assert.equal(await gap.innerText(), '成功でバックオフがリセット');
  assert.match(await text(page, 'explain'), /14s に Pod が成功し/);
  await page.getByTestId('locale-select').selectOption('en');

  // backoffLimitPerIndex: every index waits for its own backoff.
  await openScenario(
    page,
    job(
      'perindex',
      '    completionMode: Indexed\n    completions: 8\n    parallelism: 8\n    backoffLimitPerIndex: 1',
      'behavior:\n  default: {runFor: 5s}\n  pods:\n  - match: {attempt: 0}\n    runFor: 1s\n    exitCode: 1\n',
    ),
  );
  await page.keyboard.press('End');
  assert.equal(await page.getByTestId('backoff-gap').count(), 8);
  for (const g of await page.getByTestId('backoff-gap').all()) {
    assert.equal(await g.getAttribute('data-reason'), 'backoff');
    assert.equal(await g.getAttribute('data-delay'), '10s');
  }
  // A replacement after a controller outage has its gap too.
  await openScenario(
    page,
    job(
      'outage',
      '    backoffLimit: 1',
      'behavior:\n  default: {runFor: 1s, exitCode: 1}\nactions:\n- {at: 5s, action: controller-down}\n- {at: 60s, action: controller-up}\n',
    ),
  );
  await page.keyboard.press('End');
  assert.equal(await page.getByTestId('backoff-gap').first().getAttribute('data-reason'), 'controller-down');
  await page.close();
});

test('6. caps over gaps, a visible error line, a readable axis, markers, the parallelism box', async () => {
  const { page } = await openPlayground(env);
  // A failed pod's cap is above its gap; the label stays inside the gap.
  await seek(page, 5);
  await page.getByTestId('pod-bar').click();
  await page.getByTestId('inject-fail').click();
  await page.keyboard.press('End');
  // Drawn above the gap: with pointer events on, the cap is what is hit.
  const capOnTop = await page.locator('.cap-failed').first().evaluate((el) => {
    el.style.pointerEvents = 'auto';
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    el.style.pointerEvents = '';
    return hit === el;
  });
  assert.equal(capOnTop, true, 'the failed pod\'s cap is drawn over its gap');
  const gap = await page.getByTestId('backoff-gap').boundingBox();
  const label = await page.locator('.gap-label').boundingBox();
  assert.ok(label.x + label.width <= gap.x + gap.width + 1, 'the label stays in its gap');
  await page.locator('.timeline').screenshot({ path: `${process.env.SCREENSHOT_DIR ?? 'target/screenshots'}/truth-gap-cap.png` });

  // The condition marker explains itself, whatever was selected before.
  await page.getByTestId('pod-bar').first().click();
  await page.getByTestId('condition-marker').last().click();
  assert.match(await text(page, 'explain'), /^Explain\s+Complete \(CompletionsReached\)/);

  // At t = 0 the axis is above the cover and its last label inside.
  await page.keyboard.press('Home');
  for (const tick of await page.locator('.tick').all()) {
    assert.equal(await hitAt(page, tick), true, `tick ${await tick.innerText()} is not covered`);
  }
  const last = await page.locator('.tick').last().boundingBox();
  const timeline = await page.getByTestId('timeline').boundingBox();
  assert.ok(last.x + last.width <= timeline.x + timeline.width, 'the last tick is not cut off');
  await screenshot(page, 'truth-start');

  // The error line's mark and the misspelt key are visible in the editor.
  const manifest = await editorText(page);
  await replaceEditorText(page, manifest.replace('backoffLimit', 'backofLimit'));
  const mark = page.locator('.cm-lint-marker-error');
  await mark.waitFor();
  const box = await mark.boundingBox();
  assert.ok(box.width >= 8 && box.height >= 8, `the error mark is visible (${box.width}×${box.height})`);
  assert.equal(await page.locator('.cm-lintRange-error').first().innerText(), 'backofLimit');
  await page.locator('.editor').screenshot({ path: `${process.env.SCREENSHOT_DIR ?? 'target/screenshots'}/truth-gutter.png` });

  // The parallelism box says the Job's parallelism; a CronJob has none.
  await selectPreset(page, 'indexed');
  assert.equal(await page.getByTestId('parallelism-value').inputValue(), '3');
  await selectPreset(page, 'cronjob-hello');
  assert.equal(await page.getByTestId('parallelism-value').count(), 0);
  // Before its first Job, a CronJob's Job status says so.
  await page.keyboard.press('Home');
  assert.match(await text(page, 'job-status'), /No Job yet/);
  await page.close();
});

test('7. a deleted Job is shown as deleted, with its last status', async () => {
  const { page } = await openPlayground(env);
  await seek(page, 12);
  await page.getByTestId('delete-job').click();
  assert.equal(await text(page, 'job-status'), 'Deleted at 12s');
  assert.equal(await page.getByTestId('job-status').getAttribute('data-deleted'), 'true');
  assert.match(await text(page, 'last-status'), /last status before the deletion/);
  // Nothing acts on a Job that is gone.
  assert.equal(await page.getByTestId('suspend').isDisabled(), true);
  await seek(page, 5);
  assert.equal(await text(page, 'job-status'), 'Running');
  await page.close();
});

test('8. edits survive a reload on a ?preset= address', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}?preset=indexed`);
  await page.waitForSelector('main.app[data-preset="indexed"][data-loading=false]');
  const manifest = await editorText(page);
  await replaceEditorText(page, manifest.replace('parallelism: 3', 'parallelism: 2'));
  await page.waitForFunction(() => !location.search.includes('preset'));
  await page.reload();
  await loaded(page);
  assert.match(await editorText(page), /parallelism: 2/);
  // Share links no longer carry ?preset= either.
  await page.close();
});

test('a link whose action cannot apply shows the run up to it, the action marked', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1400, height: 900 } });
  // pi's pod succeeds at 11 s: failing it at 12 s cannot be.
  await openScenario(
    page,
    job('late', '', 'actions:\n- {at: 5s, action: set-parallelism, value: 1}\n- {at: 12s, action: fail-pod, pod: {ordinal: 0}}\n- {at: 20s, action: suspend}\n'),
  );
  assert.match(await text(page, 'run-error'), /^error: actions\[1\] \(fail-pod at 12s\): pod "late-\w+" has no running container$/);
  const items = page.locator('[data-testid=actions] li');
  assert.deepEqual(
    await items.evaluateAll((li) => li.map((l) => l.dataset.state)),
    ['applied', 'failed', 'not-applied'],
  );
  assert.match(await text(page, 'action-error'), /has no running container/);
  await page.keyboard.press('End');
  assert.equal(await text(page, 'clock'), '12.0');
  assert.equal(await page.getByTestId('pod-bar').count(), 1, 'the run up to the action is drawn');
  assert.match(await text(page, 'job-status'), /Complete/);
  await screenshot(page, 'truth-partial-run');
  await page.close();
});
