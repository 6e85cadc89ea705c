// Submit: a template from the server's allowed directories, a form generated from its input definitions (types,
// defaults, valid_values, required), validated by the server's compiler with each error shown at its line.
import { api, ApiError, Unauthorized } from './api.js';
import { h } from './format.js';
import { toast, requireSignIn } from './app.js';

function validValues(input) {
  for (const c of input.constraints || []) {
    const m = /^valid_values:\s*\[(.*)\]$/.exec(c);
    if (m) return m[1].split(',').map(v => v.trim().replace(/^["']|["']$/g, ''));
  }
  return null;
}

function field(input) {
  const id = `input-${input.name}`;
  const choices = validValues(input);
  const def = input.default;
  let control;
  if (choices) {
    control = h('select', { id, name: input.name }, choices.map(v => h('option', { value: v, selected: def !== undefined && String(def) === v }, v)));
  } else if (input.type === 'boolean') {
    control = h('input', { id, name: input.name, type: 'checkbox', checked: def === true });
  } else if (input.type === 'integer' || input.type === 'float') {
    control = h('input', { id, name: input.name, type: 'number', step: input.type === 'integer' ? '1' : 'any', value: def ?? '', required: input.required });
  } else if (input.type === 'list' || input.type === 'map' || (def !== undefined && typeof def === 'object')) {
    control = h('textarea', { id, name: input.name, rows: '3', placeholder: 'JSON', required: input.required }, def !== undefined ? JSON.stringify(def) : '');
  } else {
    control = h('input', { id, name: input.name, type: 'text', value: def ?? '', required: input.required });
  }
  control.dataset.type = input.type;
  return h('div', { class: 'field' },
    h('label', { for: id }, input.name, input.required ? h('span', { class: 'required', title: 'required' }, ' *') : null,
      h('span', { class: 'muted' }, ` ${input.type}`)),
    control,
    input.description ? h('p', { class: 'muted help' }, input.description) : null,
    (input.constraints || []).length ? h('p', { class: 'muted help' }, input.constraints.join('; ')) : null);
}

function readInputs(form, definitions) {
  const values = {};
  for (const input of definitions) {
    const control = form.elements.namedItem(input.name);
    if (control.type === 'checkbox') { values[input.name] = control.checked; continue; }
    const text = control.value.trim();
    if (text === '') continue;
    if (control.tagName === 'TEXTAREA') values[input.name] = JSON.parse(text);
    else if (control.type === 'number') values[input.name] = Number(text);
    else values[input.name] = text;
  }
  return values;
}

export async function renderSubmit(main) {
  const templates = await api('/api/templates');
  const select = h('select', { id: 'template', required: true, 'aria-label': 'Template' },
    h('option', { value: '' }, templates.length ? 'Choose a template…' : 'No template in the allowed directories'),
    templates.map(t => h('option', { value: t.path, title: t.path }, t.name)));
  const name = h('input', { id: 'name', type: 'text', pattern: '[A-Za-z0-9_.\\-]+', placeholder: 'default: the file\'s name' });
  const onFailure = h('select', { id: 'on-failure' }, h('option', { value: '' }, 'as the template says'),
    h('option', { value: 'halt' }, 'halt'), h('option', { value: 'rollback' }, 'roll back'));
  const fields = h('div', { id: 'inputs' });
  const problems = h('div', { id: 'problems', role: 'alert' });
  const source = h('div', { id: 'source', class: 'source' });
  let definition = null;

  const form = h('form', { class: 'submit card', id: 'submit-form', novalidate: true },
    h('h1', {}, 'Submit a deployment'),
    h('div', { class: 'field' }, h('label', { for: 'template' }, 'Template'), select),
    h('div', { class: 'field' }, h('label', { for: 'name' }, 'Name'), name),
    h('div', { class: 'field' }, h('label', { for: 'on-failure' }, 'On failure'), onFailure),
    h('h2', {}, 'Inputs'), fields,
    problems,
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'validate', onclick: () => send(false) }, 'Validate'),
      h('button', { type: 'submit', id: 'deploy', class: 'primary' }, 'Deploy')));
  main.replaceChildren(h('section', { class: 'submit-page' }, form, source));

  function showSource(errors = []) {
    if (!definition) { source.replaceChildren(); return; }
    const byLine = new Map();
    for (const e of errors) if (e.line && (!e.file || e.file === definition.templatePath)) (byLine.get(e.line) || byLine.set(e.line, []).get(e.line)).push(e);
    const lines = definition.text.split('\n');
    source.replaceChildren(h('h2', {}, definition.templatePath.split('/').pop()),
      h('ol', { class: 'code' }, lines.map((text, i) => h('li', { class: byLine.has(i + 1) ? 'has-error' : '', id: `line-${i + 1}` },
        h('code', {}, text || ' '),
        (byLine.get(i + 1) || []).map(e => h('div', { class: 'line-error' }, `${' '.repeat(Math.max(0, (e.column || 1) - 1))}^ ${e.code}: ${e.message}`))))));
    const first = source.querySelector('.has-error');
    if (first) first.scrollIntoView({ block: 'center' });
  }

  select.addEventListener('change', async () => {
    problems.replaceChildren();
    definition = null;
    fields.replaceChildren();
    if (!select.value) { showSource(); return; }
    definition = await api(`/api/templates/inputs?path=${encodeURIComponent(select.value)}`);
    fields.replaceChildren(...(definition.inputs.length ? definition.inputs.map(field) : [h('p', { class: 'muted' }, 'This template declares no inputs.')]));
    showSource();
  });

  async function send(deploy) {
    problems.replaceChildren();
    if (!select.value) { problems.replaceChildren(h('p', { class: 'error' }, 'Choose a template.')); select.focus(); return; }
    let inputs;
    try { inputs = readInputs(form, definition?.inputs || []); } catch (err) {
      problems.replaceChildren(h('p', { class: 'error' }, `An input is not valid JSON: ${err.message}`)); return;
    }
    const body = { templatePath: select.value, inputs };
    if (name.value.trim()) body.id = name.value.trim();
    if (onFailure.value) body.onFailure = onFailure.value;
    try {
      if (!deploy) {
        const result = await api('/api/templates/plan', { method: 'POST', body });
        problems.replaceChildren(h('p', { class: 'ok', id: 'valid' }, `Valid: ${result.plan.nodes.length} nodes.`),
          ...(result.diagnostics || []).map(d => h('p', { class: 'warning' }, `line ${d.line}: ${d.code}: ${d.message}`)));
        showSource(result.diagnostics || []);
        return;
      }
      const view = await api('/api/deployments', { method: 'POST', body });
      toast(`Submitted '${view.deploymentId}'`, 'ok');
      location.hash = `#/d/${encodeURIComponent(view.deploymentId)}`;
    } catch (err) {
      if (err instanceof Unauthorized) { requireSignIn(); return; }
      if (!(err instanceof ApiError)) throw err;
      const errors = err.problem.errors || [];
      problems.replaceChildren(h('p', { class: 'error' }, err.message),
        h('ul', { class: 'errors' }, errors.map(e => h('li', {}, h('a', { href: `#/submit`, onclick: ev => { ev.preventDefault(); document.getElementById(`line-${e.line}`)?.scrollIntoView({ block: 'center' }); } },
          `line ${e.line}, column ${e.column}`), `: ${e.code}: ${e.message}`))));
      showSource(errors);
    }
  }

  form.addEventListener('submit', e => { e.preventDefault(); send(true); });
  select.focus();
}
