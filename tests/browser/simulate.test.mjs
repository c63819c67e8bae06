// The docs script (simulate.js) as a docs reader uses it: "▶ Simulate" on
// every Job and CronJob example of a page (in the page's language), by mouse
// or keyboard, opening the playground with that manifest in a new tab or
// inline under the block; on the markup of Hugo (kubernetes.io), mdBook,
// Docusaurus and MkDocs pages; and nothing at all on a page without one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { start, screenshot, text, editorText, SUB_PATH } from './harness.mjs';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/docs');

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

const PI = `apiVersion: batch/v1
kind: Job
metadata:
  name: pi
spec:
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
  backoffLimit: 4
`;

const buttons = (page) => page.locator('.jobsim-simulate button');

/** Serves a saved docs page at /docs/play/<name> with the script added. */
async function fixturePage(context, name, scriptAttrs = '') {
  const page = await context.newPage();
  const html = fs.readFileSync(path.join(FIXTURES, name), 'utf8').replace('</body>', `<script src="simulate.js" ${scriptAttrs} defer></script></body>`);
  await page.route(`**${SUB_PATH}${name}`, (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
  await page.goto(`${new URL(env.url).origin}${SUB_PATH}${name}`);
  return page;
}

/** The playground a click opened, once its example runs. */
async function opened(context, click) {
  const [tab] = await Promise.all([context.waitForEvent('page'), click()]);
  await tab.waitForURL(/#v=1&t=0&z=/);
  await tab.waitForSelector('main.app[data-loading=false]');
  return tab;
}

test('the docs example page: a button on each Job and CronJob, in its language, by keyboard; the playground opens with that manifest', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${new URL(env.url).origin}${SUB_PATH}docs-example.html`);
  await buttons(page).first().waitFor();
  assert.deepEqual(await buttons(page).allInnerTexts(), ['▶ Simulate', '▶ Simulate', '▶ シミュレート']);
  assert.equal(await buttons(page).nth(2).getAttribute('aria-label'), 'この CronJob をプレイグラウンドでシミュレート');
  await screenshot(page, 'docs-example');
  // Keyboard: Tab to the first button, Enter.
  await buttons(page).first().focus();
  const pi = await opened(context, () => page.keyboard.press('Enter'));
  assert.ok(pi.url().startsWith(`${new URL(env.url).origin}${SUB_PATH}`), pi.url());
  assert.match(await editorText(pi), /^apiVersion: batch\/v1\nkind: Job\nmetadata:\n  name: pi\n/);
  // The annotation's behaviour (10 s): the Job completes at 12 s.
  await pi.keyboard.press('End');
  await pi.waitForFunction(() => document.querySelector('[data-testid=job-status]').textContent.includes('Complete'));
  assert.equal(await text(pi, 'clock'), '12.0');
  await pi.close();
  // data-exit-code="42" on the block's wrapper: every pod fails.
  const failing = await opened(context, () => buttons(page).nth(1).click());
  await failing.locator('h1').click();
  await failing.keyboard.press('End');
  await failing.waitForFunction(() => document.querySelector('[data-testid=job-status]').textContent.includes('Failed'));
  await failing.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('inline: the embed opens under the block and closes again', async () => {
  const context = await env.browser.newContext();
  const page = await fixturePage(context, 'hugo.html', 'data-simulate="inline" data-height="480"');
  await buttons(page).first().click();
  const frame = page.frameLocator('.jobsim-simulate iframe').first();
  await frame.locator('main.app[data-loading=false]').waitFor();
  assert.match(await frame.locator('[data-testid=editor]').evaluate((el) => el.value ?? el.querySelector('textarea').value), /name: pi\n/);
  assert.equal(await page.locator('.jobsim-simulate iframe').first().evaluate((f) => f.getBoundingClientRect().height), 480);
  assert.match(await page.locator('.jobsim-simulate iframe').first().getAttribute('src'), /\?embed=1#v=1&t=0&z=/);
  assert.equal(await buttons(page).first().getAttribute('aria-expanded'), 'true');
  await screenshot(page, 'docs-inline');
  await buttons(page).first().click();
  assert.equal(await page.locator('.jobsim-simulate iframe').count(), 0);
  await context.close();
});

test('the markup of Hugo, mdBook, Docusaurus and MkDocs pages: the manifest as written', async () => {
  const context = await env.browser.newContext();
  const expected = [
    ['hugo.html', ['▶ Simulate', '▶ Simulate']],
    ['mdbook.html', ['▶ Simulate']],
    ['docusaurus.html', ['▶ シミュレート']],
    ['mkdocs.html', ['▶ Simulate']],
  ];
  for (const [name, labels] of expected) {
    const page = await fixturePage(context, name);
    await buttons(page).first().waitFor();
    assert.deepEqual(await buttons(page).allInnerTexts(), labels, name);
    const tab = await opened(context, () => buttons(page).first().click());
    const manifest = await editorText(tab);
    if (name === 'mkdocs.html') {
      // Line numbers are not part of the CronJob.
      assert.match(manifest, /^apiVersion: batch\/v1\nkind: CronJob\nmetadata:\n  name: hello\n/, name);
    } else {
      // The docs' pi Job, exactly as the page shows it.
      assert.equal(manifest, PI, name);
    }
    await tab.close();
    await page.close();
  }
  await context.close();
});

test('a page without a Job or CronJob is left exactly as it was', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  const html = '<!doctype html><html><body><h1>Pods</h1><pre><code class="language-yaml">apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n</code></pre><pre><code>kubectl get jobs</code></pre></body></html>';
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.route(`**${SUB_PATH}plain.html`, (route) => route.fulfill({ body: html, contentType: 'text/html' }));
  await page.goto(`${new URL(env.url).origin}${SUB_PATH}plain.html`);
  const before = await page.evaluate(() => document.body.innerHTML);
  await page.addScriptTag({ url: 'simulate.js' });
  await page.waitForTimeout(100);
  assert.equal(await page.evaluate(() => document.body.innerHTML.replace(/<script[^>]*><\/script>/, '')), before);
  assert.deepEqual(requests, [`${SUB_PATH}plain.html`, `${SUB_PATH}simulate.js`]);
  await context.close();
});
