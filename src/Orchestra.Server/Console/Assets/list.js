// The deployments list: filtered by status, searched by name, sorted by any column, virtualised (only the rows in view are in
// the DOM, so 10,000 stay fast) and live: the all-deployments event stream marks what changed and the list is re-read.
import { api, stream, Unauthorized } from './api.js';
import { h, localTime, ago, duration, between, settled } from './format.js';
import { setLive, requireSignIn } from './app.js';

const ROW = 36;
const OVERSCAN = 8;
const STATUSES = ['Pending', 'Running', 'Pausing', 'Paused', 'Halting', 'Halted', 'RollingBack', 'RolledBack',
  'Cancelling', 'Cancelled', 'Succeeded', 'Undeploying', 'Undeployed'];
const COLUMNS = [
  ['deploymentId', 'Name'], ['status', 'Status'], ['planName', 'Template'], ['submittedAt', 'Started'],
  ['duration', 'Duration'], ['progress', 'Progress'],
];

const state = { status: '', search: '', sort: 'submittedAt', descending: true };

function durationOf(d, now) {
  return between(d.submittedAt, settled.has(d.status) ? d.updatedAt : new Date(now).toISOString());
}

function value(d, key, now) {
  if (key === 'duration') return durationOf(d, now);
  if (key === 'progress') return d.operations ? d.succeeded / d.operations : 0;
  return d[key] ?? '';
}

export async function renderList(main) {
  let all = await api('/api/deployments');
  const abort = new AbortController();
  const search = h('input', { type: 'search', id: 'search', placeholder: 'Search by name', value: state.search, 'aria-label': 'Search by name' });
  const filter = h('select', { id: 'status-filter', 'aria-label': 'Filter by status' },
    h('option', { value: '' }, 'All statuses'), STATUSES.map(s => h('option', { value: s, selected: s === state.status }, s)));
  const count = h('span', { class: 'muted', id: 'count', 'aria-live': 'polite' });
  const head = h('div', { class: 'row head', role: 'row' }, COLUMNS.map(([key, label]) =>
    h('button', { type: 'button', class: 'cell sort', role: 'columnheader', dataset: { key }, onclick: () => sortBy(key) }, label)));
  const spacer = h('div', { class: 'spacer' });
  const viewport = h('div', { class: 'viewport', id: 'rows', role: 'rowgroup', tabindex: '0', 'aria-label': 'Deployments' }, spacer);
  main.replaceChildren(h('section', { class: 'list' },
    h('div', { class: 'toolbar' }, h('h1', {}, 'Deployments'), filter, search, count,
      h('a', { class: 'button primary', href: '#/submit' }, 'Submit…')),
    h('div', { class: 'table', role: 'table', 'aria-label': 'Deployments' }, head, viewport)));

  let rows = [];
  function refresh() {
    const now = Date.now();
    const needle = state.search.toLowerCase();
    rows = all.filter(d => (!state.status || d.status === state.status) && (!needle || d.deploymentId.toLowerCase().includes(needle)));
    const sign = state.descending ? -1 : 1;
    rows.sort((a, b) => {
      const x = value(a, state.sort, now), y = value(b, state.sort, now);
      return (x < y ? -1 : x > y ? 1 : 0) * sign || a.deploymentId.localeCompare(b.deploymentId);
    });
    count.textContent = `${rows.length} of ${all.length}`;
    head.querySelectorAll('.sort').forEach(b => b.setAttribute('aria-sort',
      b.dataset.key === state.sort ? (state.descending ? 'descending' : 'ascending') : 'none'));
    spacer.style.height = `${rows.length * ROW}px`;
    paint();
  }

  function paint() {
    const now = Date.now();
    const first = Math.max(0, Math.floor(viewport.scrollTop / ROW) - OVERSCAN);
    const last = Math.min(rows.length, Math.ceil((viewport.scrollTop + viewport.clientHeight) / ROW) + OVERSCAN);
    const visible = [];
    for (let i = first; i < last; i++) visible.push(rowOf(rows[i], i, now));
    spacer.replaceChildren(...visible);
  }

  function rowOf(d, index, now) {
    const done = d.succeeded ?? 0, total = d.operations ?? 0;
    const row = h('a', { class: `row st-${d.status}`, role: 'row', href: `#/d/${encodeURIComponent(d.deploymentId)}`, dataset: { id: d.deploymentId } },
      h('span', { class: 'cell name', role: 'cell' }, d.deploymentId, d.run > 1 ? h('span', { class: 'muted' }, ` run ${d.run}`) : null),
      h('span', { class: 'cell', role: 'cell' }, h('span', { class: `badge st-${d.status}` }, d.status)),
      h('span', { class: 'cell', role: 'cell' }, d.planName),
      h('span', { class: 'cell', role: 'cell', title: localTime(d.submittedAt) }, ago(d.submittedAt, now)),
      h('span', { class: 'cell', role: 'cell' }, duration(durationOf(d, now))),
      h('span', { class: 'cell', role: 'cell', title: `${done} of ${total} operations succeeded${d.failed ? `, ${d.failed} failed` : ''}` },
        h('progress', { max: total || 1, value: done }), ` ${done}/${total}`));
    row.style.transform = `translateY(${index * ROW}px)`;
    return row;
  }

  function sortBy(key) {
    state.descending = state.sort === key ? !state.descending : key === 'submittedAt';
    state.sort = key;
    refresh();
  }

  search.addEventListener('input', () => { state.search = search.value; viewport.scrollTop = 0; refresh(); });
  filter.addEventListener('change', () => { state.status = filter.value; viewport.scrollTop = 0; refresh(); });
  viewport.addEventListener('scroll', () => requestAnimationFrame(paint), { passive: true });
  window.addEventListener('resize', paint);
  refresh();
  performance.mark('orchestra:list-rendered');

  // Live: many events arrive in bursts; the list is re-read at most once per half second.
  let pending = null;
  const reload = () => {
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      try { all = await api('/api/deployments', { signal: abort.signal }); refresh(); } catch { /* the next event tries again */ }
    }, 500);
  };
  (async function follow() {
    while (!abort.signal.aborted) {
      try {
        setLive('live');
        await stream('/api/events', reload, { signal: abort.signal });
      } catch (err) {
        if (abort.signal.aborted) return;
        if (err instanceof Unauthorized) { requireSignIn(); return; }
      }
      setLive('reconnecting');
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
  })();
  const ticker = setInterval(paint, 1000);
  return () => { abort.abort(); clearTimeout(pending); clearInterval(ticker); window.removeEventListener('resize', paint); setLive('offline'); };
}
