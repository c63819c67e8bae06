// When the playground's wasm instance stops (a panic, or a trap such as
// running out of memory), it cannot draw anything any more: this says so
// and how to go on. Plain JavaScript, so it works with the instance dead.
window.jobsimStopped = function (why) {
  if (document.getElementById('stopped')) return;
  const ja = document.documentElement.lang === 'ja';
  const box = document.createElement('div');
  box.id = 'stopped';
  box.setAttribute('role', 'alert');
  box.dataset.testid = 'stopped';
  const title = document.createElement('strong');
  title.textContent = ja ? 'プレイグラウンドが停止しました。' : 'The playground stopped.';
  const text = document.createElement('p');
  text.textContent = ja
    ? '最後に保存した作業はこのブラウザーに残っています。ページを再読み込みして続けてください。'
    : 'Your last saved work is kept in this browser: reload the page to go on.';
  const detail = document.createElement('p');
  detail.className = 'detail';
  detail.textContent = String(why).slice(0, 300);
  const reload = document.createElement('button');
  reload.textContent = ja ? '再読み込み' : 'Reload';
  reload.addEventListener('click', () => location.reload());
  box.append(title, text, detail, reload);
  document.body.prepend(box);
};
const stopsThePage = (e) => e instanceof WebAssembly.RuntimeError;
addEventListener('error', (e) => stopsThePage(e.error) && window.jobsimStopped(e.error.message));
addEventListener('unhandledrejection', (e) => stopsThePage(e.reason) && window.jobsimStopped(e.reason.message));
