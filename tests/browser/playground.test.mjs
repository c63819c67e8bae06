// The first slice: the editor is prefilled with the docs' "pi" Job, parsed on
// every edit; the page shows the Job's summary or the YAML error's position.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, openPlayground, replaceEditorText, screenshot } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

test('the pi Job is summarised with its defaults', async () => {
  const { page, errors } = await openPlayground(env);
  const editor = page.getByTestId('editor');
  assert.match(await editor.inputValue(), /print bpi\(2000\)/);
  const summary = page.getByTestId('job-summary');
  await summary.waitFor();
  const text = await summary.innerText();
  assert.match(text, /Name\s+pi/);
  assert.match(text, /Completions\s+1/);
  assert.match(text, /Parallelism\s+1/);
  assert.match(text, /Completion mode\s+NonIndexed/);
  assert.match(text, /Backoff limit\s+4/);
  assert.match(text, /Restart policy\s+Never/);
  assert.equal(await page.getByTestId('error').count(), 0);
  await screenshot(page, 'slice-pi-summary');
  assert.deepEqual(errors, []);
  await page.close();
});

test('broken YAML shows an error naming its line, and fixing it brings the summary back', async () => {
  const { page } = await openPlayground(env);
  const broken = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\n   labels: x\nspec: {}\n';
  await replaceEditorText(page, broken);
  const error = page.getByTestId('error');
  await error.waitFor();
  const message = await error.innerText();
  assert.match(message, /yaml: line 5: mapping values are not allowed in this context/);
  assert.match(message, /line 5, column 10/);
  assert.equal(await page.getByTestId('job-summary').count(), 0);
  await screenshot(page, 'slice-yaml-error');

  await replaceEditorText(page, 'kind: Job\nmetadata: {name: fixed}\nspec: {parallelism: 3}\n');
  await page.getByTestId('job-summary').waitFor();
  assert.match(await page.getByTestId('job-summary').innerText(), /Completions\s+unset/);
  assert.equal(await page.getByTestId('error').count(), 0);
  await page.close();
});

test('a narrow docs column stacks the editor above the summary', async () => {
  const { page } = await openPlayground(env, { width: 420, height: 900 });
  const editorBox = await page.getByTestId('editor').boundingBox();
  const summaryBox = await page.getByTestId('job-summary').boundingBox();
  assert.ok(summaryBox.y > editorBox.y + editorBox.height - 1, 'summary should be below the editor');
  assert.ok(editorBox.width <= 420);
  await screenshot(page, 'slice-narrow');
  await page.close();
});
