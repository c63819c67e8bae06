// The page's worker (src/worker.rs): a second wasm program with the work the
// first render does not need (the JSON report, the kubectl views, the
// workshop's checks, the editor's completion, docs and diagnostics). This
// module is imported on the first request (after the first render), and the
// worker starts then; if it stops (a bug, out of memory), the requests
// waiting on it fail with why and the next request starts a new one. The
// page itself never stops.
let worker = null;
let ready = null;
let next = 0;
const pending = new Map();

function start() {
  const w = new Worker(new URL('worker_loader.js', document.baseURI));
  const fail = (why) => {
    if (worker === w) worker = null;
    w.terminate();
    for (const p of pending.values()) p.reject(String(why));
    pending.clear();
  };
  ready = new Promise((resolve, reject) => {
    w.onmessage = (e) => {
      if (e.data === 'ready') return resolve();
      const [id, ok, text] = e.data;
      if (id === '') return reject(text), fail(text);
      const p = pending.get(id);
      pending.delete(id);
      if (p) (ok ? p.resolve : p.reject)(text);
    };
    w.onerror = (e) => {
      e.preventDefault();
      const why = 'error: the worker stopped: ' + (e.message || 'unknown');
      reject(why);
      fail(why);
    };
  });
  worker = w;
}

/** ask(['report', scenarioText]) → a Promise of the answer's text; rejected
 * with the error's text. */
export async function ask(request) {
  if (!worker) start();
  const w = worker;
  await ready;
  const id = String(++next);
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage([id, ...request.map(String)]);
  });
}
