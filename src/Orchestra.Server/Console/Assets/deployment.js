// A deployment: its graph (live from the event stream), the selected node's operations and logs, the history as a
// timeline, the outputs, and the actions its status allows (destructive ones ask first).
import { api, stream, Unauthorized, ApiError } from './api.js';
import { h, localTime, ago, duration, between, timeSpan, settled } from './format.js';
import { createGraph } from './graph.js';
import { toast, setLive, requireSignIn } from './app.js';

const ACTIONS = [
  { name: 'pause', label: 'Pause', when: s => s === 'Pending' || s === 'Running' },
  { name: 'resume', label: 'Resume', when: s => s === 'Paused' },
  { name: 'retry', label: 'Retry failed', when: s => s === 'Halted' },
  { name: 'cancel', label: 'Cancel', when: s => ['Pending', 'Running', 'Pausing', 'Paused', 'Halted'].includes(s),
    confirm: id => `Cancel '${id}'? Running operations are stopped and nothing new starts.` },
  { name: 'undeploy', label: 'Undeploy', when: (s, v) => ['Succeeded', 'Halted', 'RolledBack', 'Cancelled'].includes(s) && (v.deployedNodes ?? 1) > 0,
    confirm: id => `Undeploy '${id}'? Its teardown operations run and remove what it deployed.` },
];

export async function renderDeployment(main, id) {
  performance.mark('orchestra:deployment-open');
  const path = `/api/deployments/${encodeURIComponent(id)}`;
  let view = await api(path);
  const abort = new AbortController();
  let selected = null;
  let tab = 'graph';
  let lastId = view.sequenceNr ?? null;
  const liveLines = [];

  const title = h('h1', {}, id);
  const status = h('span', { class: 'badge', id: 'status' });
  const reason = h('p', { class: 'reason', id: 'status-reason' });
  const facts = h('dl', { class: 'facts' });
  const actions = h('div', { class: 'actions', id: 'actions' });
  const panel = h('aside', { class: 'panel', id: 'node-panel', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Select a node to see its operations and logs.'));
  const tabs = h('div', { class: 'tabs', role: 'tablist' });
  const body = h('div', { class: 'tab-body' });
  main.replaceChildren(h('section', { class: 'deployment' },
    h('div', { class: 'titlebar' }, h('a', { href: '#/', class: 'back' }, '← Deployments'), title, status, actions),
    reason, facts, tabs, body));

  const graph = createGraph(view.nodes, name => selectNode(name));
  const graphTools = h('div', { class: 'graph-tools' },
    h('button', { type: 'button', onclick: () => graph.zoomIn(), 'aria-label': 'Zoom in' }, '+'),
    h('button', { type: 'button', onclick: () => graph.zoomOut(), 'aria-label': 'Zoom out' }, '−'),
    h('button', { type: 'button', onclick: () => graph.fit() }, 'Fit'));
  const graphPane = h('div', { class: 'graph-pane' }, h('div', { class: 'graph-box' }, graph.element, graphTools), panel);
  const historyPane = h('ol', { class: 'timeline', id: 'history' });
  const outputsPane = h('div', { id: 'outputs' });

  function renderTabs() {
    const entries = [['graph', 'Graph'], ['history', 'History'], ['outputs', 'Outputs']];
    tabs.replaceChildren(...entries.map(([key, label]) => h('button', {
      type: 'button', role: 'tab', id: `tab-${key}`, 'aria-selected': String(key === tab), class: key === tab ? 'current' : '',
      onclick: () => { tab = key; renderTabs(); showTab(); },
    }, label)));
  }

  async function showTab() {
    if (tab === 'graph') { body.replaceChildren(graphPane); graph.fit(); return; }
    if (tab === 'outputs') { renderOutputs(); body.replaceChildren(outputsPane); return; }
    body.replaceChildren(historyPane);
    const history = await api(`${path}/history`);
    historyPane.replaceChildren(...history.map(item => h('li', { class: `event k-${item.kind}` },
      h('time', { datetime: item.at, title: localTime(item.at) }, localTime(item.at)),
      h('span', { class: 'kind' }, item.kind),
      item.node ? h('span', { class: 'node-name' }, `${item.node}${item.operation ? ' · ' + item.operation : ''}${item.attempt ? ' #' + item.attempt : ''}`) : null,
      h('span', { class: 'message' }, item.message || ''))));
  }

  function renderOutputs() {
    const entries = Object.entries(view.outputs || {});
    outputsPane.replaceChildren(entries.length
      ? h('table', { class: 'kv' }, h('tbody', {}, entries.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, h('code', {}, typeof v === 'string' ? v : JSON.stringify(v)))))))
      : h('p', { class: 'muted' }, 'No outputs yet.'));
  }

  function renderHeader() {
    status.textContent = view.status;
    status.className = `badge st-${view.status}`;
    reason.textContent = view.statusReason || '';
    const active = timeSpan(view.activeTime);
    const ops = view.nodes.flatMap(n => n.tasks);
    const done = ops.filter(t => t.status === 'Succeeded').length;
    facts.replaceChildren(
      h('dt', {}, 'Template'), h('dd', {}, view.planName),
      h('dt', {}, 'Run'), h('dd', {}, String(view.run ?? 1)),
      h('dt', {}, 'Started'), h('dd', { title: localTime(view.submittedAt) }, `${localTime(view.submittedAt)} (${ago(view.submittedAt)})`),
      h('dt', {}, 'Duration'), h('dd', {}, duration(active ?? between(view.submittedAt, view.updatedAt))),
      h('dt', {}, 'Progress'), h('dd', { id: 'progress' }, `${done}/${ops.length} operations`));
    actions.replaceChildren(...ACTIONS.filter(a => a.when(view.status, view)).map(a => h('button', {
      type: 'button', id: `action-${a.name}`, class: a.confirm ? 'danger' : '',
      onclick: () => act(a),
    }, a.label)));
    for (const node of view.nodes) graph.setStatus(node.name, node.status);
  }

  async function act(action) {
    if (action.confirm && !confirm(action.confirm(id))) return;
    try {
      view = await api(`${path}/${action.name}`, { method: 'POST', body: {} });
      toast(`${action.label}: done`, 'ok');
      renderHeader();
      follow();
    } catch (err) {
      if (err instanceof Unauthorized) requireSignIn();
      else toast(err.message, 'error');
    }
  }

  async function selectNode(name) {
    selected = name;
    graph.select(name);
    liveLines.length = 0;
    await renderPanel();
  }

  async function renderPanel() {
    const node = view.nodes.find(n => n.name === selected);
    if (!node) return;
    let logs = { attempts: [] };
    try { logs = await api(`${path}/logs?node=${encodeURIComponent(node.name)}`); } catch (err) { if (!(err instanceof ApiError)) throw err; }
    const tail = (label, s) => s?.text ? h('details', { open: true, class: `tail ${label}` },
      h('summary', {}, `${label}${s.truncated ? ` (last part of ${s.totalBytes} bytes)` : ''}`), h('pre', {}, s.text)) : null;
    // replaceChildren would print a null as "null": absent parts are dropped first.
    panel.replaceChildren(...[
      h('h2', {}, node.name, ' ', h('span', { class: `badge st-${node.status}` }, node.status)),
      h('p', { class: 'muted' }, node.type, node.reason ? ` · ${node.reason}` : ''),
      h('h3', {}, 'Operations'),
      h('ul', { class: 'ops' }, node.tasks.map(t => h('li', { class: `op st-${t.status}` },
        h('strong', {}, t.operation), ' ', h('span', { class: `badge st-${t.status}` }, t.status),
        t.attempt ? h('span', { class: 'muted' }, ` attempt ${t.attempt}`) : null,
        t.reason ? h('div', { class: 'muted' }, t.reason) : null,
        Object.keys(t.outputs || {}).length ? h('div', { class: 'outputs' }, Object.entries(t.outputs).map(([k, v]) => h('code', {}, `${k}=${v}`))) : null))),
      h('h3', {}, 'Attempts'),
      logs.attempts.length ? h('ol', { class: 'attempts', id: 'attempts' }, logs.attempts.map(a => h('li', { class: `attempt o-${a.outcome}` },
        h('div', {}, h('strong', {}, `${a.operation} #${a.attempt}`), ` ${a.phase} · `, h('span', { class: `badge st-${a.outcome}` }, a.outcome),
          ` · ${duration(between(a.startedAt, a.finishedAt))}`, a.exitCode !== undefined ? ` · exit ${a.exitCode}` : ''),
        a.error ? h('p', { class: 'error' }, a.error) : null,
        tail('stdout', a.stdout), tail('stderr', a.stderr)))) : h('p', { class: 'muted' }, 'No attempt yet.'),
      liveLines.length ? h('details', { open: true, class: 'tail live-lines' }, h('summary', {}, 'live'), h('pre', {}, liveLines.join('\n'))) : null].filter(Boolean));
  }

  // The whole view is re-read a moment after events stop arriving; the node colours change at once.
  let pending = null;
  const reload = () => {
    if (pending) return;
    pending = setTimeout(async () => {
      pending = null;
      try {
        view = await api(path, { signal: abort.signal });
        renderHeader();
        if (tab === 'outputs') renderOutputs();
        if (selected) await renderPanel();
      } catch { /* the next event tries again */ }
    }, 250);
  };

  let following = null;
  function follow() {
    if (following) following.abort();
    following = new AbortController();
    const signal = AbortSignal.any([abort.signal, following.signal]);
    setLive('live');
    stream(`${path}/events`, message => {
      if (message.id) lastId = message.id;
      const e = message.data;
      if (message.event === 'snapshot') { view = e; renderHeader(); return; }
      if (message.event === 'taskOutput') {
        if (e.node === selected) { liveLines.push(e.message); if (liveLines.length > 200) liveLines.shift(); reload(); }
        return;
      }
      if (e.node && e.nodeStatus) graph.setStatus(e.node, e.nodeStatus);
      if (e.status) { view.status = e.status; status.textContent = e.status; status.className = `badge st-${e.status}`; }
      reload();
    }, { signal, lastEventId: lastId }).then(() => { setLive('settled'); reload(); }, err => {
      if (signal.aborted) return;
      if (err instanceof Unauthorized) requireSignIn(); else setLive('offline');
    });
  }

  renderTabs();
  renderHeader();
  await showTab();
  performance.mark('orchestra:graph-rendered');
  if (!settled.has(view.status)) follow(); else setLive('settled');
  return () => { abort.abort(); clearTimeout(pending); setLive('offline'); };
}
