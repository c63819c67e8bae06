// A timeline that scales: after a Suspend the run lasts an hour and the
// pod squeezes into the first pixels; zooming (buttons, Ctrl+wheel at the
// pointer, W/S keys), panning (drag, Shift+wheel, A/D) and fitting bring
// it back, the axis relabels, and playback follows the playhead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, openPlayground, screenshot, text, indexedScenario } from './harness.mjs';

let env;
before(async () => {
  env = await start();
});
after(async () => {
  await env?.stop();
});

const ticks = (page) => page.locator('.axis .tick').allInnerTexts();
const barWidth = async (page) => (await page.getByTestId('pod-bar').first().boundingBox())?.width ?? 0;
const windowText = (page) => text(page, 'zoom-window');
/** Seconds of a duration as the page writes it (1h2m3.5s, 250ms). */
function seconds(d) {
  let total = 0;
  for (const [, n, unit] of d.matchAll(/([\d.]+)(ms|h|m|s)/g)) total += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600 }[unit];
  return total;
}
/** The window shown, [from, to] in seconds. */
const shownWindow = async (page) => (await windowText(page)).split('–').map(seconds);
const near = (a, b, what) => assert.ok(Math.abs(a - b) < 0.03, `${what}: ${a} vs ${b}`);

test('zoom, pan and fit a run that a Suspend stretched to an hour', async () => {
  const { page, errors } = await openPlayground(env);
  // Suspend the pi Job at 5 s: it never finishes, the run lasts 1 h.
  await page.getByTestId('scrubber').fill('5000');
  await page.getByTestId('suspend').click();
  await page.locator('h1').click();
  await page.keyboard.press('End');
  assert.equal(await text(page, 'clock'), '3600.0');
  assert.deepEqual(await ticks(page), ['0s', '10m', '20m', '30m', '40m', '50m', '1h']);
  const squeezed = await barWidth(page);
  assert.ok(squeezed < 5, `the pod is a sliver of the hour (${squeezed} px)`);
  await screenshot(page, 'zoom-before');

  // Zoom in with the buttons (about the cursor, or the middle when the
  // cursor is out of view), then jump back to the start: the pod fills the view.
  await page.getByTestId('scrubber').fill('0');
  for (let i = 0; i < 8; i++) await page.getByTestId('zoom-in').click();
  assert.equal(await windowText(page), '0s–14.063s', 'an hour / 2^8');
  assert.deepEqual(await ticks(page), ['0s', '2s', '4s', '6s', '8s', '10s', '12s', '14s']);
  const wide = await barWidth(page);
  assert.ok(wide > 150, `zoomed in, the pod is wide (${wide} px)`);
  await screenshot(page, 'zoom-in');

  // Ctrl+wheel zooms about the pointer: the time under it stays put.
  const track = await page.locator('.lanes-track').boundingBox();
  const x = track.x + track.width * 0.5;
  await page.mouse.move(x, track.y + 10);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  let [from, to] = await shownWindow(page);
  near(to - from, 3600 / 512, 'twice as close');
  near((from + to) / 2, 3600 / 512, 'the time under the pointer stays under it');

  // Drag pans: 1/7 of the width to the left is one seventh of the window later.
  const span = to - from;
  await page.mouse.move(x, track.y + 10);
  await page.mouse.down();
  await page.mouse.move(x - track.width / 7, track.y + 10, { steps: 4 });
  await page.mouse.up();
  let [from2, to2] = await shownWindow(page);
  near(from2 - from, span / 7, 'dragged later');
  near(to2 - from2, span, 'the same span');
  // Shift+wheel pans back; S (out) and D (a quarter right), W (in) and A
  // (a quarter left) inside the timeline.
  await page.keyboard.down('Shift');
  await page.mouse.wheel(0, -track.width / 7);
  await page.keyboard.up('Shift');
  [from2, to2] = await shownWindow(page);
  near(from2, from, 'panned back');
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('s');
  [from, to] = await shownWindow(page);
  near(to - from, 2 * span, 'S zooms out');
  await page.keyboard.press('d');
  [from2, to2] = await shownWindow(page);
  near(from2 - from, (to - from) / 4, 'D pans a quarter');
  await page.keyboard.press('w');
  await page.keyboard.press('a');
  [from, to] = await shownWindow(page);
  near(to - from, span, 'W zooms in');
  assert.deepEqual(await ticks(page), (await ticks(page)).filter((t) => /^[\d.]+s$/.test(t)), 'seconds on the axis');
  await screenshot(page, 'zoom-panned');

  // Fit shows the hour again.
  await page.getByTestId('zoom-fit').click();
  assert.deepEqual(await ticks(page), ['0s', '10m', '20m', '30m', '40m', '50m', '1h']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('playback follows the playhead out of a zoomed window', async () => {
  const { page } = await openPlayground(env);
  for (let i = 0; i < 3; i++) await page.getByTestId('zoom-in').click();
  const before = await windowText(page);
  await page.getByTestId('speed').selectOption('2');
  await page.getByTestId('play').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=clock]').textContent.trim() === '12.0', null, { timeout: 15000 });
  // The clock is painted each frame; the model hears of the end just after.
  await page.waitForFunction(() => document.querySelector('[data-testid=play]:not([disabled])') !== null, null, { timeout: 5000 });
  const after = await windowText(page);
  assert.notEqual(after, before, 'the window moved with the playhead');
  const [, to] = after.split('–');
  assert.equal(to, '12s', 'it ends at the end of the run');
  await page.close();
});

test('the overview shows a 10,000-pod run whole; dragging on it chooses the stretch shown', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const scenario = indexedScenario({
    name: 'wide',
    completions: 10_000,
    parallelism: 500,
    spec: '    backoffLimitPerIndex: 1\n',
    behavior: '  pods:\n  - match: {attempt: 0, index: 7}\n    exitCode: 1\n',
  });
  await page.goto(`${env.url}#s=${Buffer.from(scenario).toString('base64url')}`);
  const canvas = page.locator('[data-testid=overview] canvas');
  await canvas.waitFor();
  await page.keyboard.press('End');
  // The stacked area is drawn: the canvas has coloured pixels.
  const painted = await canvas.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n / (c.width * c.height);
  });
  assert.ok(painted > 0.3, `the overview is drawn (${(painted * 100).toFixed(0)} % of its pixels)`);
  assert.equal(await page.getByTestId('overview-brush').count(), 0, 'no brush while the whole run shows');
  // Drag across a fifth of it: the timeline shows that fifth.
  const box = await canvas.boundingBox();
  const end = Number(await page.getByTestId('scrubber').getAttribute('max')) / 1000;
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  const [from, to] = await shownWindow(page);
  near(from / end, 0.2, 'from');
  near(to / end, 0.4, 'to');
  const brush = await page.getByTestId('overview-brush').boundingBox();
  near(brush.width / box.width, 0.2, 'the brush marks it');
  // The lanes scroll to the pods of that stretch.
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=pod-bar]').length > 3);
  await screenshot(page, 'overview-10000');
  await page.close();
});

test('a stretch with no pod collapses into a marked break, and one click opens it', async () => {
  const { page } = await openPlayground(env);
  await page.getByTestId('scrubber').fill('5000');
  await page.getByTestId('suspend').click();
  await page.locator('h1').click();
  await page.keyboard.press('End');
  const linear = await barWidth(page);
  await page.getByTestId('zoom-collapse').click();
  const brk = page.getByTestId('axis-break');
  assert.equal(await brk.count(), 1);
  assert.match(await brk.getAttribute('title'), /^59m\d+(\.\d+)?s with no pod, collapsed: click to open$/);
  const collapsed = await barWidth(page);
  assert.ok(collapsed > 20 * linear, `the pod gets the room (${linear} → ${collapsed} px)`);
  await screenshot(page, 'zoom-collapsed');
  await brk.click();
  assert.equal(await page.getByTestId('axis-break').count(), 0);
  assert.deepEqual(await ticks(page), ['0s', '10m', '20m', '30m', '40m', '50m', '1h']);
  await page.close();
});

test('a two-finger pinch on the lanes zooms about the fingers', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  await page.goto(env.url);
  await page.waitForSelector('main.app[data-loading=false]');
  const track = await page.locator('.lanes-track').boundingBox();
  const y = track.y + 10;
  const middle = track.x + track.width / 2;
  const cdp = await page.context().newCDPSession(page);
  const touch = (type, spread) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints: type === 'touchEnd' ? [] : [
        { x: middle - spread, y, id: 1 },
        { x: middle + spread, y, id: 2 },
      ],
    });
  await touch('touchStart', 50);
  for (const spread of [70, 90, 110, 130, 150]) await touch('touchMove', spread);
  await touch('touchEnd', 150);
  const [from, to] = await shownWindow(page);
  near(to - from, 12 / 3, 'fingers three times apart: a third of the run');
  near((from + to) / 2, 6, 'about the point between them');
  await page.close();
});
