// The UI's shell: which view the address names, the ACL token for this tab, the status bar.
import { forgetPermissions, may, request, token } from './api.js';
import { startTicker } from './dom.js';
import { aclView } from './acl.js';
import { kvView } from './kv.js';
import { nodesView } from './nodes.js';
import { sessionView, sessionsView } from './sessions.js';
import { webSessionsView } from './websessions.js';

const ANONYMOUS_KEY = 'sessiond.anonymous';
const main = document.getElementById('main');

function decode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const ROUTES = [
  [/^#\/sessions(?:\?(.*))?$/, 'sessions', (m) => sessionsView(main, m[1] || '')],
  [/^#\/session\/([^/?]+)$/, 'sessions', (m) => sessionView(main, decode(m[1]))],
  [/^#\/kv\/(.*)$/, 'kv', (m) => kvView(main, m[1].split('/').map(decode).join('/'))],
  [/^#\/nodes$/, 'nodes', () => nodesView(main)],
  [/^#\/web-sessions$/, 'web-sessions', () => webSessionsView(main)],
  [/^#\/acl$/, 'acl', () => aclView(main)],
];

let current = null;

/** Shows the view the address names; after a navigation (not the first load) focus moves to it. */
function route(event) {
  const hash = location.hash || '#/sessions';
  const found = ROUTES.map(([pattern, nav, view]) => [pattern.exec(hash), nav, view]).find(([m]) => m);
  if (!found) {
    location.replace('#/sessions');
    return;
  }
  current?.stop();
  const [match, nav, view] = found;
  for (const link of document.querySelectorAll('.top nav a')) {
    link.toggleAttribute('aria-current', link.dataset.view === nav);
    if (link.dataset.view === nav) link.setAttribute('aria-current', 'page');
  }
  current = view(match);
  document.title = `${document.querySelector('main h1')?.textContent || 'sessiond'} · sessiond`;
  if (event) main.focus({ preventScroll: true });
}

/** Asks for a token in the dialog; resolves once the user chose one, or to go on without. */
function askToken(reason) {
  const dialog = document.getElementById('token-dialog');
  if (reason) document.getElementById('token-reason').textContent = reason;
  const input = document.getElementById('token-input');
  input.value = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue === 'use' && input.value.trim()) {
        token.set(input.value.trim());
        sessionStorage.removeItem(ANONYMOUS_KEY);
      } else {
        token.set('');
        sessionStorage.setItem(ANONYMOUS_KEY, 'true');
      }
      forgetPermissions();
      resolve();
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
  });
}

/** Whether ACLs are on, whose token this tab uses, and what that shows; asks for a token when there is none. */
async function identify() {
  const identity = document.getElementById('identity');
  const button = document.getElementById('token-button');
  const response = await request('acl/token/self', { allow: [401, 403] });
  if (response.status === 401) {
    identity.textContent = 'ACLs are off: everything is visible and allowed.';
    button.hidden = true;
    document.getElementById('nav-acl').hidden = true;
    return;
  }
  button.hidden = false;
  if (response.status === 403) {
    await askToken('The server does not know the token this tab had (deleted, expired or mistyped). Enter another one.');
    return identify();
  }
  if (!token.get() && !sessionStorage.getItem(ANONYMOUS_KEY)) {
    await askToken();
    return identify();
  }
  const self = await response.json();
  identity.textContent = token.get()
    ? `Token: ${self.Description || 'no description'} (${self.AccessorID.slice(0, 8)}…)`
    : 'No token: acting as the anonymous token';
  const [aclRead] = await may([['acl', '', 'read']]);
  document.getElementById('nav-acl').hidden = !aclRead;
}

document.getElementById('token-button').addEventListener('click', async () => {
  await askToken('Enter another token, or continue without one.');
  await identify();
  route(true);
});

startTicker();
window.addEventListener('hashchange', route);
identify().catch((e) => {
  document.getElementById('identity').textContent = e.message;
}).finally(() => route());
