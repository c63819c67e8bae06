// The manifest editor as people use it: completion of the keys valid where
// they type, the API reference on hover, kubectl's errors in place with a
// "did you mean" fix, Tab that indents (and Escape, Tab that leaves),
// Japanese input through an input method, undo across runs, and the plain
// box when the code editor is not wanted or cannot load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, openPlayground, screenshot, text, selectPreset, editorText, replaceEditorText, loaded } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

/** Puts the cursor at the end of the editor line that reads `line` (trimmed). */
async function cursorAfter(page, line) {
  await page.locator('.cm-line', { hasText: new RegExp(`^\\s*${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first().click();
  await page.keyboard.press('End');
}

const options = (page) => page.locator('.cm-tooltip-autocomplete li').allInnerTexts();

test('typing a key under spec: offers the keys valid there, from the schema', async () => {
  const { page, errors } = await openPlayground(env);
  await cursorAfter(page, 'spec:');
  await page.keyboard.press('Enter');
  await page.keyboard.type('backo');
  await page.locator('.cm-tooltip-autocomplete').waitFor();
  const offered = await options(page);
  assert.ok(offered.some((o) => /^backoffLimit\s*int32$/.test(o)), `${offered}`);
  assert.ok(offered.some((o) => o.startsWith('backoffLimitPerIndex')), `${offered}`);
  assert.ok(!offered.some((o) => o.startsWith('image')), 'only JobSpec keys');
  await screenshot(page, 'editor-completion');
  // Picking one writes the key, ready for its value.
  await page.locator('.cm-tooltip-autocomplete li', { hasText: /^backoffLimitPerIndex\s*int32$/ }).click();
  await page.keyboard.type('2');
  assert.match(await editorText(page), /\nspec:\n  backoffLimitPerIndex: 2\n/);
  // Values of an enum after its key.
  await page.keyboard.press('Enter');
  await page.keyboard.type('completionMode: ');
  await page.keyboard.press('Control+Space');
  await page.locator('.cm-tooltip-autocomplete').waitFor();
  const values = await options(page);
  assert.equal(values.length, 2, `${values}`);
  assert.deepEqual(values.map((v) => v.replace(/string$/, '')).sort(), ['Indexed', 'NonIndexed']);
  await page.keyboard.press('Escape');
  assert.deepEqual(errors, []);
  await page.close();
});

test('hovering a key shows its description from the API reference, fetched on first hover', async () => {
  const { page, errors } = await openPlayground(env);
  const requests = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await selectPreset(page, 'pi-with-timeout');
  assert.ok(!requests.some((p) => p.endsWith('docs.txt')), 'not before a hover');
  await page.locator('.cm-line span', { hasText: /^activeDeadlineSeconds$/ }).hover();
  const doc = page.getByTestId('field-doc');
  await doc.waitFor();
  const shown = await doc.innerText();
  assert.match(shown, /^JobSpec\.activeDeadlineSeconds\nint64\n/);
  assert.match(shown, /Specifies the duration in seconds relative to the startTime that the job may be continuously active/);
  // A field's default and the release it came with.
  await page.mouse.move(0, 0);
  await doc.waitFor({ state: 'detached' });
  await page.locator('.cm-line span', { hasText: /^backoffLimit$/ }).hover();
  await doc.waitFor();
  assert.match(await doc.innerText(), /Defaults to 6, unless backoffLimitPerIndex/);
  assert.ok(requests.some((p) => p.endsWith('tables/docs.txt')), 'the docs table came with the first hover');
  await screenshot(page, 'editor-hover');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a misspelt key is marked with the API server\'s error and a fix that replaces it', async () => {
  const { page, errors } = await openPlayground(env);
  await replaceEditorText(page, (await editorText(page)).replace('backoffLimit', 'backofLimit'));
  const range = page.locator('.cm-lintRange-error');
  await range.waitFor();
  assert.equal(await range.first().innerText(), 'backofLimit');
  await range.first().hover();
  const tooltip = page.locator('.cm-tooltip-lint');
  await tooltip.waitFor();
  assert.match(await tooltip.innerText(), /strict decoding error: unknown field "spec\.backofLimit"/);
  await screenshot(page, 'editor-lint');
  await tooltip.locator('.cm-diagnosticAction', { hasText: 'Did you mean backoffLimit?' }).click();
  assert.match(await editorText(page), /\n  backoffLimit: 4\n/);
  await page.getByTestId('error').waitFor({ state: 'detached' });
  await range.first().waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('Tab and Shift-Tab indent by two spaces; Escape then Tab leaves the editor; undo works across runs', async () => {
  const { page } = await openPlayground(env);
  await cursorAfter(page, 'backoffLimit: 4');
  await page.keyboard.press('Home');
  await page.keyboard.press('Tab');
  assert.match(await editorText(page), /\n {4}backoffLimit: 4\n/);
  await page.keyboard.press('Shift+Tab');
  assert.match(await editorText(page), /\n {2}backoffLimit: 4\n/);
  // The run follows every edit; undo goes back through them.
  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('1');
  await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value.includes('backoffLimit: 1'));
  await page.keyboard.press('Control+z');
  assert.match(await editorText(page), /\n {2}backoffLimit: 4\n/);
  // Escape, then Tab moves on to the next control.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  const inEditor = await page.evaluate(() => !!document.activeElement.closest('.cm-editor'));
  assert.equal(inEditor, false, 'Tab after Escape leaves the editor');
  await page.close();
});

test('Japanese input through an input method is not interrupted', async () => {
  const { page, errors } = await openPlayground(env);
  await cursorAfter(page, 'name: pi');
  const cdp = await page.context().newCDPSession(page);
  await page.keyboard.type(' # ');
  // Composing 日本語: the text changes while composing, then commits.
  for (const step of ['に', 'にほ', 'にほん', '日本']) {
    await cdp.send('Input.imeSetComposition', { text: step, selectionStart: step.length, selectionEnd: step.length });
  }
  await cdp.send('Input.insertText', { text: '日本語' });
  await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value.includes('# 日本語'));
  const manifest = await editorText(page);
  assert.equal(manifest.split('日本語').length, 2, 'committed once');
  assert.ok(!/にほ/.test(manifest), 'no composition left behind');
  // Nothing fired a playback shortcut meanwhile.
  assert.equal(await text(page, 'clock'), '0.0');
  assert.deepEqual(errors, []);
  await page.close();
});

test('?editor=plain, or an editor that cannot load, leaves the plain box working', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}?editor=plain`);
  await loaded(page);
  assert.equal(await page.locator('.cm-editor').count(), 0);
  assert.equal(await page.getByTestId('editor').getAttribute('data-editor'), 'plain');
  await replaceEditorText(page, (await editorText(page)).replace('backoffLimit', 'backofLimit'));
  // The plain box says it is invalid; the error is in the panel under it, with its line.
  await page.getByTestId('error').waitFor();
  assert.equal(await page.locator('[data-testid=editor] textarea').getAttribute('aria-invalid'), 'true');
  assert.match(await text(page, 'error'), /unknown field "spec\.backofLimit"/);
  await page.close();

  const offline = await env.browser.newPage();
  await offline.route('**/editor.js', (route) => route.abort());
  await offline.goto(env.url);
  await loaded(offline);
  await offline.getByTestId('editor').locator('textarea').fill((await editorText(offline)).replace('backoffLimit: 4', 'backoffLimit: 2'));
  await offline.waitForFunction(() => document.querySelector('[data-testid=editor] textarea').value.includes('backoffLimit: 2'));
  assert.equal(await offline.getByTestId('editor').getAttribute('data-editor'), 'plain');
  assert.equal(await offline.getByTestId('error').count(), 0);
  await offline.close();
});

test('on a phone, with search, folding and readable colours', async () => {
  const context = await env.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(env.url);
  await loaded(page);
  await page.waitForSelector('[data-testid=editor][data-editor=code] .cm-content');
  // A tap puts the cursor in the editor; typing edits the manifest.
  await page.locator('.cm-line', { hasText: /^\s*name: pi$/ }).first().tap();
  await page.keyboard.press('End');
  await page.keyboard.type('-x');
  await page.waitForFunction(() => document.querySelector('[data-testid=editor]').value.includes('name: pi-x'));
  await screenshot(page, 'editor-phone');
  // Search (Ctrl+F) opens CodeMirror's search panel.
  await page.keyboard.press('Control+f');
  await page.locator('.cm-search').waitFor();
  await page.keyboard.press('Escape');
  // A block folds from the gutter.
  await page.locator('.cm-foldGutter .cm-gutterElement span[title="Fold line"]').first().click();
  await page.locator('.cm-foldPlaceholder').waitFor();
  // Every highlighted token has at least 4.5:1 contrast on the editor's white (WCAG AA).
  const worst = await page.evaluate(() => {
    const lum = (rgb) => {
      const [r, g, b] = rgb.match(/\d+/g).slice(0, 3).map((c) => {
        const v = Number(c) / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const white = lum('rgb(255, 255, 255)');
    const ratios = [...document.querySelectorAll('.cm-line, .cm-line span')].map((el) => {
      const l = lum(getComputedStyle(el).color);
      return (white + 0.05) / (l + 0.05);
    });
    return Math.min(...ratios);
  });
  assert.ok(worst >= 4.5, `lowest contrast ${worst.toFixed(2)}:1`);
  await context.close();
});

test('with reduced motion the cursor does not blink', async () => {
  const context = await env.browser.newContext({ reducedMotion: 'reduce' });
  const page = await context.newPage();
  await page.goto(env.url);
  await page.waitForSelector('[data-testid=editor][data-editor=code] .cm-content');
  await page.locator('.cm-content').click();
  assert.equal(await page.locator('.cm-cursorLayer').evaluate((el) => getComputedStyle(el).animationName), 'none');
  await context.close();
  // Without the preference it blinks, as editors do.
  const plain = await env.browser.newPage();
  await plain.goto(env.url);
  await plain.waitForSelector('[data-testid=editor][data-editor=code] .cm-content');
  await plain.locator('.cm-content').click();
  assert.notEqual(await plain.locator('.cm-cursorLayer').evaluate((el) => getComputedStyle(el).animationName), 'none');
  await plain.close();
});
