// The API client of the console: the bearer token (kept in sessionStorage only, for this browser tab's session) or the
// session cookie a /signin URL set; problem documents become ApiError; event streams are read with fetch, so the token
// can be sent as a header (EventSource cannot).
const TOKEN_KEY = 'orchestra.token';

export class Unauthorized extends Error {}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: value => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const t = token.get();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

export async function api(path, { method = 'GET', body, signal } = {}) {
  const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }), credentials: 'same-origin', signal };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(path, init);
  if (res.status === 401) throw new Unauthorized('The server requires signing in.');
  const type = res.headers.get('content-type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : { detail: data });
  return data;
}

// Reads a Server-Sent Events stream, calling onEvent({event, id, data}) for each; resolves when the server ends it.
export async function stream(path, onEvent, { signal, lastEventId } = {}) {
  const extra = { Accept: 'text/event-stream' };
  if (lastEventId !== undefined && lastEventId !== null) extra['Last-Event-ID'] = String(lastEventId);
  const res = await fetch(path, { headers: headers(extra), credentials: 'same-origin', signal, cache: 'no-store' });
  if (res.status === 401) throw new Unauthorized('The server requires signing in.');
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})));
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const message = { event: 'message', id: null, data: '' };
      for (const line of block.split('\n')) {
        if (!line || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') message.event = text;
        else if (field === 'id') message.id = text;
        else if (field === 'data') message.data += (message.data ? '\n' : '') + text;
      }
      if (message.data) {
        try { message.data = JSON.parse(message.data); } catch { /* not JSON: kept as text */ }
        onEvent(message);
      }
    }
  }
}
