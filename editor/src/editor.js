// The manifest editor: CodeMirror 6 with YAML, completion, hover docs and
// diagnostics. This file is the editor only: what to complete, the docs and
// the diagnostics come from the engine (src/assist.rs), asked through the
// page's worker (`ask`, www/services.js). Bundled by editor/build.mjs into
// the site's editor.js, which the page imports after its first render
// (`mountEditor`, at the end).
import { EditorView, keymap, hoverTooltip } from '@codemirror/view';
import { EditorState } from '@codemirror/state';
import { basicSetup } from 'codemirror';
import { indentWithTab } from '@codemirror/commands';
import { indentUnit, indentService, syntaxHighlighting, HighlightStyle } from '@codemirror/language';
import { yaml } from '@codemirror/lang-yaml';
import { autocompletion } from '@codemirror/autocomplete';
import { linter, lintGutter } from '@codemirror/lint';
import { tags } from '@lezer/highlight';

// Colours with at least 4.5:1 contrast on white (WCAG AA for small text).
const highlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: '#1a4d8f' },
  { tag: [tags.string, tags.special(tags.string)], color: '#0b6b2e' },
  { tag: [tags.number, tags.integer, tags.float], color: '#8a3b00' },
  { tag: [tags.bool, tags.null, tags.atom, tags.keyword], color: '#6a1b9a' },
  { tag: [tags.comment, tags.lineComment], color: '#5f6368', fontStyle: 'italic' },
  { tag: [tags.meta, tags.punctuation, tags.separator], color: '#444444' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: '#ffffff', color: '#1b1b1b' },
  '.cm-scroller': { fontFamily: 'ui-monospace, Menlo, Consolas, monospace', lineHeight: '19px' },
  '.cm-gutters': { backgroundColor: '#f6f7f9', color: '#4d4d4d', borderRight: '1px solid #c8c8c8' },
  '.cm-activeLine': { backgroundColor: '#eef3ff' },
  '.cm-activeLineGutter': { backgroundColor: '#dde6f7' },
  '&.cm-focused': { outline: '2px solid #0b57d0', outlineOffset: '-2px' },
  '.cm-tooltip': { maxWidth: '34rem', fontSize: '13px' },
  '.cm-doc': { padding: '.4rem .6rem', lineHeight: 1.4, whiteSpace: 'pre-wrap' },
  '.cm-doc strong': { display: 'block' },
  '.cm-doc .type': { color: '#4d4d4d', fontFamily: 'ui-monospace, Menlo, Consolas, monospace' },
  '.cm-doc .note': { color: '#8a3b00' },
  '.cm-diagnosticText': { whiteSpace: 'pre-wrap' },
  '.cm-foldPlaceholder': { color: '#4d4d4d', backgroundColor: '#eeeeee', border: '1px solid #767676' },
});

// A new line's indentation, as people write block YAML: under a `key:`
// two spaces deeper, inside a `- item` at the item's keys, else as the line
// above.
const yamlIndent = indentService.of((context, pos) => {
  const above = context.lineAt(pos, -1).text;
  const indent = above.length - above.trimStart().length;
  const body = above.trim();
  if (body.endsWith(':')) return indent + (body.startsWith('- ') ? 4 : 2);
  if (body.startsWith('- ')) return indent + 2;
  return indent;
});

const reducedMotion = () => matchMedia('(prefers-reduced-motion: reduce)').matches;

/**
 * Mounts the editor in `host`. `options`: `doc` (the text), `onChange(text)`
 * (every change the user makes, not while an input method is composing),
 * `ask(request)` (the worker: a Promise of its text), `version()` (the
 * Kubernetes release chosen), `label` (the editor's accessible name).
 * Returns `{ setDoc(text), view }`: `setDoc` replaces the text when it
 * changed from outside (an example loaded), keeping the undo history.
 */
function mount(host, { doc, onChange, ask, version, label }) {
  let reported = doc;
  // A text from outside while an input method is composing waits for the
  // composition to end (replacing the text would break it).
  let pending = null;
  const report = (view) => {
    const text = view.state.doc.toString();
    if (text === reported) return;
    reported = text;
    onChange(text);
  };
  const askJson = async (request) => JSON.parse(await ask(request));

  async function complete(context) {
    const text = context.state.doc.toString();
    const r = await askJson(['complete', text, String(context.pos), version()]);
    if (!r.options.length) return null;
    return {
      from: r.from,
      to: r.to,
      options: r.options.map((o) => ({
        label: o.label,
        type: o.type,
        detail: o.detail,
        apply: o.apply,
        info: o.info || undefined,
        boost: o.info ? -10 : o.type === 'snippet' ? -1 : 0,
      })),
      validFor: /^[\w.-]*$/,
    };
  }

  async function hover(view, pos) {
    const r = await askJson(['hover', view.state.doc.toString(), String(pos), version()]);
    if (!r) return null;
    return {
      pos: r.from,
      end: r.to,
      above: true,
      create() {
        const dom = document.createElement('div');
        dom.className = 'cm-doc';
        dom.dataset.testid = 'field-doc';
        const title = document.createElement('strong');
        title.textContent = r.field;
        const type = document.createElement('span');
        type.className = 'type';
        type.textContent = r.type;
        dom.append(title, type);
        for (const [line, cls] of [[r.default, 'default'], [r.since, 'since'], [r.note, 'note']]) {
          if (!line) continue;
          const p = document.createElement('p');
          p.className = cls;
          p.textContent = line;
          dom.append(p);
        }
        const text = document.createElement('p');
        text.textContent = r.doc;
        dom.append(text);
        return { dom };
      },
    };
  }

  async function lint(view) {
    const text = view.state.doc.toString();
    const found = await askJson(['lint', text, version()]);
    // A newer text will be linted again.
    if (view.state.doc.toString() !== text) return [];
    return found.map((d) => ({
      from: d.from,
      to: d.to,
      severity: d.severity,
      message: d.message,
      actions: d.fixes.map((f) => ({
        name: f.label,
        apply: (v) => v.dispatch({ changes: { from: f.from, to: f.to, insert: f.insert } }),
      })),
    }));
  }

  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        // Tab and Shift-Tab indent; Escape then Tab leaves the editor.
        keymap.of([indentWithTab]),
        indentUnit.of('  '),
        EditorState.tabSize.of(2),
        yaml(),
        yamlIndent,
        syntaxHighlighting(highlight),
        autocompletion({ override: [complete], icons: false }),
        linter(lint, { delay: 300 }),
        lintGutter(),
        hoverTooltip(hover, { hoverTime: 300 }),
        theme,
        EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': 'editor-content' }),
        // With reduced motion the cursor does not blink (the layer's animation).
        reducedMotion() ? EditorView.theme({ '.cm-cursorLayer': { animation: 'none !important' } }) : [],
        // On a phone, long lines wrap instead of scrolling sideways.
        matchMedia('(max-width: 600px)').matches ? EditorView.lineWrapping : [],
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !u.view.composing) report(u.view);
        }),
        EditorView.domEventHandlers({
          compositionend: (_, v) =>
            void setTimeout(() => {
              report(v);
              if (pending !== null) setDoc(pending);
            }),
        }),
      ],
    }),
  });
  function setDoc(text) {
    // The editor's own change coming back, or no change: nothing to do
    // (the cursor, the selection and an input method stay as they are).
    if (text === reported || text === view.state.doc.toString()) return;
    if (view.composing) {
      pending = text;
      return;
    }
    pending = null;
    reported = text;
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  }
  return { view, setDoc };
}

/**
 * What the page calls (src/ui/editor.rs): mounts the editor in `host`,
 * inside the manifest box, and returns `{ setDoc(text), setVersion(v) }`.
 * The box then reads like a text box (`value`), focuses the editor, and
 * takes a whole new text as a paste does (`jobsimPaste`, for tests and
 * scripts).
 */
export async function mountEditor(host, doc, onChange, version, label) {
  // The worker's client comes with the first question (not before the
  // editor shows).
  const ask = async (request) => (await import('./services.js')).ask(request);
  let release = version;
  const editor = mount(host, { doc, onChange, ask, version: () => release, label });
  const box = host.closest('[data-testid=editor]');
  Object.defineProperty(box, 'value', { configurable: true, get: () => editor.view.state.doc.toString() });
  box.jobsimPaste = (text) =>
    editor.view.dispatch({ changes: { from: 0, to: editor.view.state.doc.length, insert: text }, userEvent: 'input.paste' });
  box.tabIndex = -1;
  box.addEventListener('focus', (e) => e.target === box && editor.view.focus());
  return {
    setDoc: (text) => editor.setDoc(text),
    setVersion: (v) => {
      release = v;
    },
  };
}
