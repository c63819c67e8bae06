// Shared set-up for the browser tests: a static server for dist/ on
// 127.0.0.1 and a headless Chromium driven by playwright-core. Everything
// started here is stopped by `stop()`, also when a test fails.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

const DIST = process.env.DIST_DIR ?? path.resolve(import.meta.dirname, '../../dist');
export const SCREENSHOTS =
  process.env.SCREENSHOT_DIR ?? path.resolve(import.meta.dirname, '../../target/screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.yaml': 'text/yaml; charset=utf-8',
};

/** The same dist/ is also served under this sub-path (static hosting). */
export const SUB_PATH = '/docs/play/';

// Chromium flags for a closed network (see TOOLCHAIN.md).
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function serve(root) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const pathname = url.pathname.startsWith(SUB_PATH) ? `/${url.pathname.slice(SUB_PATH.length)}` : url.pathname;
    let file = path.join(root, decodeURIComponent(pathname));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await fs.stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
      let body = await fs.readFile(file);
      const headers = { 'content-type': type };
      // Compressed as static hosts send it: the build's precompressed
      // `.gz` when there is one (nginx gzip_static), else compressed now.
      if (/gzip/.test(req.headers['accept-encoding'] ?? '') && !type.startsWith('image/png')) {
        body = await fs.readFile(`${file}.gz`).catch(() => zlib.gzipSync(body, { level: 9 }));
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Starts the server and the browser; returns { url, browser, stop }. */
export async function start() {
  await fs.access(path.join(DIST, 'index.html')).catch(() => {
    throw new Error(`${DIST}/index.html is missing: build the site first (./dev build)`);
  });
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  const server = await serve(DIST);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const executablePath = process.env.CHROME_BIN;
  if (!executablePath) throw new Error('CHROME_BIN is not set (./dev test sets it)');
  const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
  return {
    url,
    browser,
    async stop() {
      await browser.close().catch(() => {});
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Opens the playground in a new page and waits for the app to render. */
export async function openPlayground(env, { width = 1280, height = 800 } = {}) {
  const page = await env.browser.newPage({ viewport: { width, height } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(env.url);
  await page.getByTestId('editor').waitFor({ timeout: 15000 });
  await loaded(page);
  await editorReady(page);
  return { page, errors };
}

/** Waits until the code editor (CodeMirror, loaded after the first render)
 * has taken over the manifest box. */
export function editorReady(page) {
  return page.waitForSelector('[data-testid=editor][data-editor=code] .cm-content', { timeout: 15000 });
}

/** The manifest as the editor holds it (the code editor, or the plain box). */
export const editorText = (page) =>
  page.getByTestId('editor').evaluate((el) => el.value ?? el.querySelector('textarea').value);

/** Waits until the example the page opens with has arrived. */
export function loaded(page) {
  return page.waitForSelector('main.app[data-loading=false]', { timeout: 15000 });
}

/** Picks an example from the menu and waits until it is loaded. */
export async function selectPreset(page, id) {
  await page.getByTestId('preset-select').selectOption(id);
  await page.waitForSelector(`main.app[data-preset="${id}"][data-loading=false]`);
}

/** A Job manifest named `name`: `spec` lines under its spec (indented
 * two spaces), `container` lines under its one busybox container. */
export const job = (name, spec, container = '') => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.36
${container}`;

/** A scenario of an Indexed Job of `completions` busybox pods,
 * `parallelism` at a time, each running 30 s; `spec` and `behavior`
 * add lines (indented as under the Job's spec and under behavior). */
export const indexedScenario = ({ name, completions, parallelism, spec = '', behavior = '' }) => `scenario: v1
name: ${name}
manifest:
  apiVersion: batch/v1
  kind: Job
  metadata: {name: ${name}}
  spec:
    completions: ${completions}
    parallelism: ${parallelism}
    completionMode: Indexed
${spec}    template:
      spec:
        restartPolicy: Never
        containers: [{name: work, image: busybox}]
behavior:
  default: {runFor: 30s}
${behavior}`;

/** Replaces the editor's text as a paste does: one change (Playwright's
 * fill() fires one per line of a textarea, each of which re-runs the engine). */
export async function replaceEditorText(page, text) {
  await page.getByTestId('editor').evaluate((el, t) => {
    if (el.jobsimPaste) return el.jobsimPaste(t);
    const area = el.querySelector('textarea');
    area.value = t;
    area.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
}

/** Opens the behaviour panel as a user does (it opens by itself when the
 * scenario says anything beyond the default). */
export async function openBehavior(page) {
  const panel = page.locator('details.behavior');
  if (!(await panel.evaluate((d) => d.open))) await panel.locator('summary').click();
}

export function screenshot(page, name) {
  return page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The text of the element with this data-testid, trimmed. */
export async function text(page, id) {
  // Views the page's worker prints are aria-busy until its answer arrives.
  await page.waitForSelector(`[data-testid="${id}"]:not([aria-busy=true])`);
  return (await page.getByTestId(id).innerText()).trim();
}

/** Moves the cursor to `seconds` with the scrubber, as a user drags it. */
export async function seek(page, seconds) {
  await page.getByTestId('scrubber').fill(String(Math.round(seconds * 1000)));
  await page.waitForFunction((s) => document.querySelector('[data-testid=clock]').textContent === s, seconds.toFixed(1));
}
