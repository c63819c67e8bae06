// ▶ Simulate for documentation pages: with this one script on a page, every
// code block whose YAML is a batch/v1 Job or CronJob gets a button that runs
// it in the Kubernetes Job Playground, in a new tab (a share link) or, with
// data-simulate="inline" on the script tag, in an embed under the block.
// Nothing is sent anywhere: the manifest travels in the link's fragment.
//
// <script src="https://HOST/PATH/simulate.js" defer
//   data-playground="https://HOST/PATH/"  (default: where this script is)
//   data-simulate="inline"                (default: a new tab)
//   data-release="1.33"                   (default: the playground's newest)
//   data-height="560"></script>           (the inline embed's height in px)
//
// A block (or an element around it) may say data-exit-code="42",
// data-run-for="30s" or data-release; an annotation after the block,
// <!-- jobsim: behavior: {...}; release: 1.33 -->, gives the behaviour
// jobsim doc-test checks its claims with. README: "Embedding in documentation".
(() => {
  const script = document.currentScript;
  const opt = (key, fallback) => (script && script.dataset[key]) || fallback;
  const playground = new URL(opt('playground', './'), script ? script.src : location.href);
  const inline = opt('simulate') === 'inline';
  const isJob = (code) =>
    /^apiVersion:\s*["']?batch\/v1["']?\s*$/m.test(code) && /^kind:\s*["']?(Job|CronJob)["']?\s*$/m.test(code);

  // A block's code as its reader sees it: line breaks from <br> (Docusaurus),
  // no line numbers (Chroma, Pygments, Docusaurus) and no copy buttons (mdBook).
  function codeOf(pre) {
    const copy = pre.cloneNode(true);
    copy.querySelectorAll('br').forEach((br) => br.replaceWith('\n'));
    copy
      .querySelectorAll('.linenos, .lnt, .ln, [class*="LineNumber"], [class*="lineNumber"], button, .buttons')
      .forEach((n) => n.remove());
    const text = copy.textContent.replace(/\u00a0/g, ' ');
    // The Job of a multi-document block.
    return text.split(/^---\s*$/m).find(isJob) || text;
  }

  // The annotation after a block: the next comment, with only space or
  // closing tags between.
  function annotation(el) {
    for (let n = el.nextSibling; n; n = n.nextSibling) {
      if (n.nodeType === Node.COMMENT_NODE) {
        const m = n.data.trim().match(/^jobsim:([\s\S]*)$/);
        return m ? m[1] : '';
      }
      if (n.nodeType === Node.ELEMENT_NODE || n.textContent.trim()) return '';
    }
    return el.parentElement && el.parentElement !== document.body ? annotation(el.parentElement) : '';
  }

  function scenario(code, pre, note) {
    const data = (key) => {
      const holder = pre.closest(`[data-${key}]`);
      return holder ? holder.getAttribute(`data-${key}`) : undefined;
    };
    const part = (key) => {
      const m = note.match(new RegExp(`(?:^|;)\\s*${key}:\\s*([^;]*)`));
      return m ? m[1].trim() : undefined;
    };
    const release = data('release') || part('release') || opt('release');
    let behavior = part('behavior');
    const exit = data('exit-code');
    const runFor = data('run-for');
    if (!behavior && (exit || runFor)) {
      const fields = [exit && `exitCode: ${Number(exit)}`, runFor && `runFor: ${runFor}`].filter(Boolean);
      behavior = `{default: {${fields.join(', ')}}}`;
    }
    const lines = ['scenario: v1'];
    if (release) lines.push(`kubernetesVersion: "${release}"`);
    lines.push('manifest:', ...code.replace(/\s+$/, '').split('\n').map((l) => `  ${l}`));
    if (behavior) lines.push(`behavior: ${behavior}`);
    return lines.join('\n') + '\n';
  }

  const base64url = (bytes) => {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  };

  // The playground's share link (docs/sharing.md): raw DEFLATE when the
  // browser has it (format 1), else the text itself (format 0).
  async function link(text, embed) {
    const url = new URL(playground);
    if (embed) url.searchParams.set('embed', '1');
    const bytes = new TextEncoder().encode(text);
    if (typeof CompressionStream === 'function') {
      const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
      const deflated = new Uint8Array(await new Response(stream).arrayBuffer());
      url.hash = `v=1&t=0&z=${base64url(deflated)}`;
    } else {
      url.hash = `s=${base64url(bytes)}`;
    }
    return url.href;
  }

  function add(pre) {
    const code = codeOf(pre);
    if (!isJob(code)) return;
    pre.dataset.jobsim = '1';
    const ja = (pre.closest('[lang]') || document.documentElement).lang.startsWith('ja');
    const kind = /^kind:\s*["']?CronJob/m.test(code) ? 'CronJob' : 'Job';
    const wrapper = pre.closest('.highlight, .code-sample, [class*="codeBlockContainer"], .highlighttable') || pre;
    const outer = wrapper.parentElement.closest('.code-sample, .highlight') || wrapper;
    const note = annotation(outer);
    const row = document.createElement('div');
    row.className = 'jobsim-simulate';
    row.style.cssText = 'margin:.3em 0 1em';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = ja ? '▶ シミュレート' : '▶ Simulate';
    button.setAttribute('aria-label', ja ? `この ${kind} をプレイグラウンドでシミュレート` : `Simulate this ${kind} in the playground`);
    button.style.cssText = 'font:inherit;cursor:pointer;padding:.2em .8em;border:1px solid #326ce5;border-radius:4px;background:#fff;color:#1d4fb8';
    row.append(button);
    outer.after(row);
    let frame = null;
    button.addEventListener('click', async () => {
      const text = scenario(code, pre, note);
      if (!inline) {
        // The tab opens now (a click allows it), then goes to the link.
        const tab = window.open('', '_blank');
        const url = await link(text, false);
        if (tab) {
          tab.opener = null;
          tab.location.href = url;
        } else {
          location.href = url;
        }
        return;
      }
      if (frame) {
        frame.remove();
        frame = null;
        button.setAttribute('aria-expanded', 'false');
        return;
      }
      frame = document.createElement('iframe');
      frame.title = ja ? `${kind} のシミュレーション` : `Simulation of this ${kind}`;
      frame.loading = 'lazy';
      frame.style.cssText = `display:block;box-sizing:border-box;width:100%;height:${Number(opt('height', 560))}px;border:1px solid #c8c8c8;border-radius:4px;margin-top:.5em`;
      frame.src = await link(text, true);
      row.append(frame);
      button.setAttribute('aria-expanded', 'true');
    });
  }

  const start = () => document.querySelectorAll('pre').forEach((pre) => pre.dataset.jobsim || add(pre));
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
