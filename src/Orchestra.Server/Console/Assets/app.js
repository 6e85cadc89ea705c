// The operator console's shell: routes (#/, #/d/ID, #/submit), sign-in when the API asks for it, and the toast.
import { api, token, Unauthorized } from './api.js';
import { h } from './format.js';
import { renderList } from './list.js';
import { renderDeployment } from './deployment.js';
import { renderSubmit } from './submit.js';

const main = document.getElementById('main');
let leave = null;

export function toast(text, kind = 'info') {
  const box = document.getElementById('toast');
  box.replaceChildren(h('div', { class: `toast ${kind}` }, text));
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => box.replaceChildren(), 6000);
}

export function setLive(state) {
  const live = document.getElementById('live');
  live.textContent = state;
  live.dataset.state = state;
}

function signInView(message) {
  const input = h('input', { id: 'token', type: 'password', autocomplete: 'off', required: true, 'aria-describedby': 'token-help', size: 48 });
  const error = h('p', { class: 'error', id: 'signin-error', role: 'alert' }, message || '');
  const form = h('form', {
    class: 'signin card',
    onsubmit: async e => {
      e.preventDefault();
      token.set(input.value.trim());
      try {
        await api('/api/deployments?status=Running');
        route();
      } catch (err) {
        token.clear();
        error.textContent = err instanceof Unauthorized ? 'The server refused this token.' : err.message;
      }
    },
  },
  h('h1', {}, 'Sign in'),
  h('label', { for: 'token' }, 'Bearer token'),
  input,
  h('p', { id: 'token-help', class: 'muted' },
    'The token of Orchestra:Server:BearerToken, or of the server\'s token file (~/.local/state/orchestra/server/token). ',
    'It is kept in this tab\'s session storage only. The one-time /signin URL the server prints at start signs in too.'),
  error,
  h('button', { type: 'submit', class: 'primary', id: 'signin-submit' }, 'Sign in'));
  main.replaceChildren(form);
  input.focus();
}

async function route() {
  if (leave) { leave(); leave = null; }
  const hash = location.hash || '#/';
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('current',
    (a.dataset.nav === 'submit') === hash.startsWith('#/submit') && !hash.startsWith('#/d/')));
  document.getElementById('signout').hidden = !token.get();
  try {
    if (hash.startsWith('#/d/')) leave = await renderDeployment(main, decodeURIComponent(hash.slice(4)));
    else if (hash.startsWith('#/submit')) leave = await renderSubmit(main);
    else leave = await renderList(main);
  } catch (err) {
    if (err instanceof Unauthorized) signInView(token.get() ? 'The server refused the token; sign in again.' : '');
    else main.replaceChildren(h('p', { class: 'error', role: 'alert' }, err.message));
  }
}

// A view that meets a 401 later (a live stream, an action) comes back here.
export function requireSignIn() {
  if (leave) { leave(); leave = null; }
  token.clear();
  signInView('Your session ended; sign in again.');
}

document.getElementById('signout').addEventListener('click', () => { token.clear(); route(); });
window.addEventListener('hashchange', route);
route();
