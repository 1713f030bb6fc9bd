// ACLs, for a token that may read them: policies and tokens. A SecretID is never shown: the API does not
// return it after creation, and a token created here shows it once, in the answer, for the user to copy.
import { json, may } from './api.js';
import { h, notice, replace, when } from './dom.js';

export function aclView(main) {
  const message = h('div');
  const body = h('div');
  replace(main, h('h1', {}, 'ACL'), message, body);

  async function load() {
    try {
      const [policies, tokens, [writable]] = await Promise.all([json('acl/policies'), json('acl/tokens'), may([['acl', '', 'write']])]);
      replace(body,
        h('h2', {}, `Policies (${policies.length})`),
        h('div.table-wrap', {}, h('table', { id: 'acl-policies' },
          h('thead', {}, h('tr', {}, ['Name', 'Description', 'ID', 'Modified'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, policies.map((p) => h('tr', {},
            h('td', {}, p.Name), h('td', {}, p.Description || ''), h('td.mono', {}, p.ID), h('td.num', {}, String(p.ModifyIndex))))))),
        h('h2', {}, `Tokens (${tokens.length})`),
        h('div.table-wrap', {}, h('table', { id: 'acl-tokens' },
          h('thead', {}, h('tr', {}, ['AccessorID', 'Description', 'Policies', 'Created', 'Expires'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, tokens.map((t) => h('tr', {},
            h('td.mono', {}, t.AccessorID), h('td', {}, t.Description || ''),
            h('td', {}, (t.Policies || []).map((p) => p.Name).join(', ')),
            h('td', {}, when(t.CreateTime)), h('td', {}, t.ExpirationTime ? when(t.ExpirationTime) : 'never')))))),
        h('p.muted', {}, 'SecretIDs are never shown: the server keeps only their hash.',
          writable ? ' Create and change tokens and policies with the ACL API (docs/acl.md).' : ''));
    } catch (e) {
      replace(message, notice('error', e.message));
    }
  }
  load();
  return { stop: () => {} };
}
