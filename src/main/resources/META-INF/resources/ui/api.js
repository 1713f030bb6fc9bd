// The APIs as the UI uses them: the token, requests, refusals explained, blocking queries, permissions.
// Paths are relative to /ui/, so a proxy that serves sessiond under a prefix serves the UI too.

const TOKEN_KEY = 'sessiond.token';
const API = new URL('../v1/', document.baseURI);
/** How long one blocking query waits for a change before it is asked again. */
const WAIT = '30s';

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || '',
  set: (secret) => secret ? sessionStorage.setItem(TOKEN_KEY, secret) : sessionStorage.removeItem(TOKEN_KEY),
};

/** A refused or failed request, with the server's own text and what it means for the user. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(explain(status, detail));
    this.status = status;
    this.detail = detail;
  }
}

const VERBS = { read: 'read', write: 'change' };
const THINGS = {
  session: 'sessions on node', key: 'the key', node: 'the node', service: 'the service',
  web_session: 'web sessions of store', acl: 'ACLs', agent: 'the agent',
};

/** Turns a refusal into a sentence: what the token may not do, and what to do about it. */
export function explain(status, detail) {
  const text = (detail || '').trim();
  if (status === 0) return `sessiond cannot be reached (${text || 'network error'}).`;
  if (status === 403 && text === 'ACL not found') {
    return 'The server does not know this token (deleted, expired or mistyped): enter another one.';
  }
  const lacking = /lacks permission '(\w+):(\w+)'(?: on "(.*)")?/.exec(text);
  if (status === 403 && lacking) {
    const [, kind, access, name] = lacking;
    const what = THINGS[kind] || kind;
    return `Your token may not ${VERBS[access] || access} ${what}${name !== undefined ? ` “${name}”` : ''}: `
      + `it lacks ${kind}:${access}. A token whose policy grants it (ask an operator) can.`;
  }
  if (status === 403) return `Refused by the server's ACLs: ${text}`;
  if (status === 401 && /ACL support disabled/.test(text)) return 'ACLs are disabled on this server.';
  if (status === 503) return `The server's database is unreachable: ${text}`;
  return `${status}: ${text}`;
}

function url(path) {
  return path instanceof URL ? path : /^https?:/.test(path) ? new URL(path) : new URL(path, API);
}

/** One request with the tab's token; a refusal (4xx, 5xx) is thrown as ApiError, except the statuses in allow. */
export async function request(path, { method = 'GET', body, signal, allow = [], headers: extra = {} } = {}) {
  const headers = { ...extra };
  const secret = token.get();
  if (secret) headers['X-Consul-Token'] = secret;
  let response;
  try {
    response = await fetch(url(path), { method, body, signal, headers, cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, e.message);
  }
  if (!response.ok && !allow.includes(response.status)) {
    const text = await response.text();
    let detail = text;
    try {
      detail = JSON.parse(text).errors[0].detail;
    } catch { /* Consul's errors are plain text */ }
    throw new ApiError(response.status, detail);
  }
  return response;
}

export async function json(path, options) {
  const response = await request(path, options);
  return response.status === 204 || response.status === 404 ? null : response.json();
}

/** Adds query parameters to a path or URL (the admin API's links are absolute). */
export function withQuery(path, params) {
  const target = url(path);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null) target.searchParams.set(name, value);
  }
  return target;
}

/**
 * One live view's blocking query: asks `path` again each time it answers, with ?index= of the last
 * X-Consul-Index, so the server answers within a moment of a change and otherwise after WAIT. One per
 * view, whatever it shows; `onAnswer(response)` renders. Errors back off and retry; the status bar shows it.
 */
export class Watch {
  constructor(path, onAnswer, { allow = [] } = {}) {
    this.path = path;
    this.onAnswer = onAnswer;
    this.allow = allow;
    this.index = 0;
    this.controller = new AbortController();
    this.stopped = false;
    this.loop();
  }

  stop() {
    this.stopped = true;
    this.controller.abort();
  }

  async loop() {
    let failures = 0;
    while (!this.stopped) {
      try {
        const params = this.index ? { index: this.index, wait: WAIT } : {};
        const response = await request(withQuery(this.path, params), { signal: this.controller.signal, allow: this.allow });
        const next = Number(response.headers.get('X-Consul-Index') || 0);
        // Consul's rule: an index that went backwards (a reset) starts over.
        this.index = next > this.index ? next : next < this.index ? 0 : this.index;
        failures = 0;
        connection.live();
        if (!this.stopped) await this.onAnswer(response);
      } catch (e) {
        if (this.stopped || e.name === 'AbortError') return;
        failures++;
        connection.failed(e);
        if (e.status === 403 || e.status === 400 || e.status === 404) {
          await this.onError?.(e);
          return;
        }
        await sleep(Math.min(5000, 500 * failures));
      }
    }
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The status bar's connection state, set by every watch. */
export const connection = {
  element: () => document.getElementById('connection'),
  updated: () => document.getElementById('updated'),
  live() {
    const el = this.element();
    if (el.dataset.state !== 'live') {
      el.dataset.state = 'live';
      el.textContent = 'Live: updates as they happen';
    }
    this.updated().textContent = `Last update ${new Date().toLocaleTimeString()}`;
  },
  failed(error) {
    const el = this.element();
    if (error.status === 403) {
      el.dataset.state = 'denied';
      el.textContent = 'Not allowed: see the message above';
    } else if (error.status === 0 || error.status >= 500) {
      el.dataset.state = 'reconnecting';
      el.textContent = `Reconnecting: ${error.message}`;
    }
  },
};

/**
 * What the tab's token may do, asked with Consul's /v1/internal/acl/authorize: [kind, segment, access]
 * triples in, booleans out. Answers are kept until the token changes.
 */
const allowed = new Map();
export async function may(checks) {
  const missing = checks.filter(([kind, segment, access]) => !allowed.has(`${kind}|${segment}|${access}`));
  if (missing.length) {
    const asked = missing.map(([kind, segment, access]) => ({ Resource: kind, Segment: segment, Access: access }));
    const answers = await json('internal/acl/authorize', { method: 'POST', body: JSON.stringify(asked) });
    answers.forEach((answer) => allowed.set(`${answer.Resource}|${answer.Segment}|${answer.Access}`, answer.Allow));
  }
  return checks.map(([kind, segment, access]) => allowed.get(`${kind}|${segment}|${access}`));
}
export function forgetPermissions() {
  allowed.clear();
}
