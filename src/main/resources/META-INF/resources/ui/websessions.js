// Web sessions: what the store knows about each (never its data or its cookie), and a forced logout.
import { connection, may, request, sleep, withQuery } from './api.js';
import { confirm, growing, h, notice, replace, when } from './dom.js';

const PAGE_SIZE = 50;
/** The web-session store has no change index to block on: the page is read again this often (304 when unchanged). */
const REFRESH_MS = 1000;

export function webSessionsView(main) {
  const message = h('div');
  const area = h('div');
  const pager = h('nav.pager', { 'aria-label': 'Pages' });
  // The store's own order (oldest first): it cuts the page itself, reading only the page's rows.
  let link = withQuery('admin/web-sessions', { 'page[size]': PAGE_SIZE });
  let stopped = false;
  let etag = null;

  replace(main, h('h1', {}, 'Web sessions'),
    h('p.muted', {}, 'Metadata only: the data and the cookie stay the application\'s.'), message, area, pager);

  async function render(document) {
    const fetchedAt = Date.now();
    const [writable] = await may([['web_session', 'default', 'write']]);
    const rows = document.data || [];
    replace(area, rows.length ? h('div.table-wrap', {}, h('table', { id: 'web-sessions' },
      h('thead', {}, h('tr', {}, ['ID', 'Created', 'Last access', 'Expires', 'Idle', 'Version', 'Size', 'Encrypted', 'Locked', 'Actions']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((ws) => {
        const a = ws.attributes;
        return h('tr', { dataset: { id: ws.id } },
          h('td.mono', {}, ws.id.slice(0, 12)),
          h('td', {}, when(a.created)), h('td', {}, when(a.accessed)),
          h('td', {}, a.expires ? when(a.expires) : h('span.muted', {}, 'never')),
          h('td.num', {}, growing(a.idle, fetchedAt)), h('td.num', {}, String(a.version)),
          h('td.num', {}, `${a.data_size} B`), h('td', {}, a.encrypted ? 'yes' : 'no'),
          h('td', {}, a.locked ? ['yes, until ', when(a.lock_expires)] : 'no'),
          h('td', {}, writable ? h('button', {
            type: 'button', 'aria-label': `Kill web session ${ws.id}`,
            onclick: async () => {
              const ok = await confirm({ title: 'Kill web session', ok: 'Kill',
                text: [h('p', {}, 'Kill web session ', h('strong.mono', {}, ws.id), '?'), 'Its user is logged out: the cookie finds no session any more.'] });
              if (!ok) return;
              try {
                await request(`admin/web-sessions/${encodeURIComponent(ws.id)}`, { method: 'DELETE', allow: [404] });
                replace(message, notice('info', `Web session ${ws.id} killed.`));
                etag = null;
              } catch (e) {
                replace(message, notice('error', e.message));
              }
            },
          }, 'Kill…') : h('span.muted', {}, '—')));
      })))) : h('p.empty', {}, 'No web sessions.'));
    const links = document.links || {};
    replace(pager, [['first', 'First'], ['prev', 'Previous'], ['next', 'Next'], ['last', 'Last']].map(([rel, text]) =>
      h('button', { type: 'button', disabled: !links[rel], onclick: () => { link = links[rel]; etag = null; } }, text)),
    h('span', {}, `${document.meta?.total ?? rows.length} in all`));
  }

  (async () => {
    while (!stopped) {
      try {
        const response = await fetchPage();
        if (response) await render(await response.json());
        connection.live();
      } catch (e) {
        connection.failed(e);
        replace(message, notice('error', e.message));
        if (e.status === 403) return;
      }
      await sleep(REFRESH_MS);
    }
  })();

  /** The page, or null when it is unchanged (the admin API's weak ETag: 304). */
  async function fetchPage() {
    const response = await request(link, { allow: [304], headers: etag ? { 'If-None-Match': etag } : {} });
    if (response.status === 304) return null;
    etag = response.headers.get('ETag');
    return response;
  }

  return { stop: () => { stopped = true; } };
}
