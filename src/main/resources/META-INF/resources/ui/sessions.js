// Sessions: the live table (admin API, filtered, sorted and paged by the server), one session's detail, kills.
import { ApiError, Watch, json, may, request, withQuery } from './api.js';
import { confirm, duration, growing, h, notice, replace, when } from './dom.js';
import { kvHref } from './kv.js';
import { boundChecks } from './nodes.js';

const PAGE_SIZE = 50;
/** What the table shows of each session: neither its log nor its connections, which the detail view has. */
const FIELDS = 'state,remote,port,connected,seconds_alive,idle,lease,locks,services';

/** The table's columns: the admin API field each shows, sorts and filters by, and how its filter reads. */
const COLUMNS = [
  { key: 'id', label: 'ID', path: 'id', kind: 'text' },
  { key: 'name', label: 'Name', path: 'lease/name', kind: 'text' },
  { key: 'node', label: 'Node', path: 'lease/node', kind: 'text' },
  { key: 'service', label: 'Service', path: 'services', kind: 'text' },
  { key: 'remote', label: 'Remote client', path: 'remote', kind: 'text' },
  { key: 'behavior', label: 'Behavior', path: 'lease/behavior', kind: 'choice', choices: ['release', 'delete'] },
  { key: 'ttl', label: 'TTL', path: 'lease/ttl', kind: 'seconds', num: true },
  { key: 'left', label: 'Time left', path: 'lease/expires', kind: 'until', num: true },
  { key: 'lockdelay', label: 'Lock-delay', path: 'lease/lock_delay', kind: 'seconds', num: true },
  { key: 'age', label: 'Age', path: 'seconds_alive', kind: 'seconds', num: true },
  { key: 'idle', label: 'Idle', path: 'idle', kind: 'seconds', num: true },
  { key: 'locks', label: 'Locks held', path: 'locks', kind: 'count', num: true },
  { key: 'state', label: 'State', path: 'state', kind: 'choice', choices: ['Session started', 'Stopping session'] },
];

const OPERATORS = [['gt', '>'], ['lt', '<'], ['eq', '=']];

/** "90", "90s", "15m", "1h", "2d" as seconds; NaN if it is none of them. */
export function seconds(text) {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$/.exec(text || '');
  if (!match) return NaN;
  return Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2]];
}

/** The UI's filter state (from the location) as the admin API's filter[...] parameters. */
function apiFilters(state) {
  const params = {};
  for (const column of COLUMNS) {
    const value = state.get(`f.${column.key}`);
    if (!value) continue;
    if (column.kind === 'text' || column.kind === 'choice') {
      // As a JSON operand, so that text such as "gt(1)" is compared as it is, not read as an expression.
      params[`filter[${column.path}]`] = `eq(${JSON.stringify(value)})`;
    } else {
      const [op, amount] = value.split(':');
      const number = seconds(amount);
      if (Number.isNaN(number)) continue;
      if (column.kind === 'until') {
        // "ends within N": its expiry is before now + N, an IMF-fixdate the server compares as a time.
        params[`filter[${column.path}]`] = `${op}(${JSON.stringify(new Date(Date.now() + number * 1000).toUTCString())})`;
      } else {
        params[`filter[${column.path}]`] = op === 'eq' ? String(number) : `${op}(${number})`;
      }
    }
  }
  return params;
}

function listUrl(state) {
  return withQuery('sessions', {
    ...apiFilters(state),
    sort: state.get('sort') || undefined,
    'fields[sessions]': FIELDS,
    'page[size]': PAGE_SIZE,
  });
}

function describeFilters(state) {
  return COLUMNS.filter((c) => state.get(`f.${c.key}`)).map((c) => {
    const value = state.get(`f.${c.key}`);
    if (!c.num) return `${c.label} = ${value}`;
    const [op, amount] = value.split(':');
    return `${c.label} ${Object.fromEntries(OPERATORS)[op] || op} ${amount}`;
  });
}

/** Kill one session, now or after N seconds, once the user confirmed; resolves to a message. */
async function kill(session) {
  const name = session.attributes?.lease?.name;
  const locks = session.attributes?.locks ?? 0;
  const behavior = session.attributes?.lease?.behavior || 'release';
  const extra = h('fieldset.kill-when', {},
    h('legend', {}, 'When'),
    h('label', {}, h('input', { type: 'radio', name: 'when', value: 'now', checked: true }), ' Now'),
    h('label', {}, h('input', { type: 'radio', name: 'when', value: 'later', id: 'kill-later' }),
      ' After ', h('input', { type: 'number', name: 'after', min: 1, value: 30, 'aria-label': 'seconds from now', id: 'kill-after' }),
      ' seconds'));
  const choice = await confirm({
    title: 'Kill session',
    text: [h('p', {}, 'Kill ', h('strong', {}, name || session.id), name ? ` (${session.id})` : '', '?'),
      `Its ${locks} lock${locks === 1 ? '' : 's'} will be ${behavior === 'delete' ? 'deleted' : 'released'}, `
      + `and nobody can take them during its lock-delay (${duration(session.attributes?.lease?.lock_delay)}).`],
    ok: 'Kill',
    extra,
    read: (form) => (form.elements.when.value === 'later' ? Number(form.elements.after.value) : 0),
  });
  if (choice === null) return null;
  const ttl = Math.max(0, Math.floor(choice || 0));
  await request(withQuery(`sessions/${encodeURIComponent(session.id)}`, ttl ? { ttl } : {}), { method: 'DELETE' });
  return ttl ? `Session ${name || session.id} ends in ${ttl} s.` : `Session ${name || session.id} killed.`;
}

/** A Kill… button for one session; what happened (or why not) goes to `message`. */
function killButton(session, message, attrs) {
  return h('button', {
    type: 'button',
    ...attrs,
    onclick: async () => {
      try {
        const done = await kill(session);
        if (done) replace(message, notice('info', done));
      } catch (e) {
        replace(message, notice('error', e.message));
      }
    },
  }, 'Kill…');
}

/** Which of these nodes' sessions the token may kill (session:write on the node). */
async function writableNodes(nodes) {
  const unique = [...new Set(nodes)];
  const answers = await may(unique.map((node) => ['session', node, 'write']));
  return new Set(unique.filter((_, i) => answers[i]));
}

export function sessionsView(main, params) {
  const state = new URLSearchParams(params);
  let pageLink = null;
  let watch = null;
  let current = null;
  const message = h('div', { id: 'sessions-message' });
  const tableArea = h('div', { id: 'sessions-table' });
  const pager = h('nav.pager', { 'aria-label': 'Pages' });
  const total = h('span', { id: 'sessions-total', role: 'status' });

  const go = (next) => {
    location.hash = `#/sessions${next.toString() ? `?${next}` : ''}`;
  };

  const form = h('form.filters', {
    id: 'session-filters', 'aria-label': 'Filter sessions',
    onsubmit: (e) => {
      e.preventDefault();
      const next = new URLSearchParams();
      for (const column of COLUMNS) {
        const value = form.elements[`f-${column.key}`].value.trim();
        if (!value) continue;
        next.set(`f.${column.key}`, column.num ? `${form.elements[`op-${column.key}`].value}:${value}` : value);
      }
      if (state.get('sort')) next.set('sort', state.get('sort'));
      go(next);
    },
  }, COLUMNS.map((column) => {
    const id = `f-${column.key}`;
    const saved = state.get(`f.${column.key}`) || '';
    if (column.num) {
      const [op, amount] = saved ? saved.split(':') : ['gt', ''];
      const hint = column.kind === 'count' ? 'a number' : column.kind === 'until' ? 'ends within: 30s, 5m, 1h' : 'seconds, or 5m, 1h, 2d';
      return h('div.field', {},
        h('label', { for: id }, column.label),
        h('div.pair', {},
          h('select', { id: `op-${column.key}`, name: `op-${column.key}`, 'aria-label': `${column.label}: comparison` },
            OPERATORS.map(([value, text]) => h('option', { value, selected: value === op }, text))),
          h('input', { id, name: id, value: amount, inputmode: 'text', placeholder: hint, title: hint })));
    }
    if (column.kind === 'choice') {
      return h('div.field', {}, h('label', { for: id }, column.label),
        h('select', { id, name: id }, h('option', { value: '' }, 'any'),
          column.choices.map((c) => h('option', { value: c, selected: c === saved }, c))));
    }
    return h('div.field', {}, h('label', { for: id }, column.label),
      h('input', { id, name: id, value: saved, placeholder: 'equals', autocomplete: 'off' }));
  }), h('div.actions', {},
    h('button', { type: 'submit' }, 'Filter'),
    h('button', { type: 'button', onclick: () => go(new URLSearchParams(state.get('sort') ? { sort: state.get('sort') } : {})) }, 'Clear')));

  const bulk = h('button.danger', { type: 'button', id: 'bulk-kill', hidden: true, onclick: () => bulkKill() }, 'Kill all matching…');

  replace(main,
    h('h1', {}, 'Sessions'),
    // Open on a wide screen, or when a filter is set; on a phone the table comes first.
    h('details', { open: window.innerWidth > 700 || describeFilters(state).length > 0 }, h('summary', {}, 'Filters'), form),
    h('div.toolbar', {}, total, bulk),
    message, tableArea, pager);

  const filters = describeFilters(state);

  function sortHeader(column) {
    const sort = state.get('sort') || '';
    const ascending = sort === column.path;
    const descending = sort === `-${column.path}`;
    const next = ascending ? `-${column.path}` : column.path;
    return h(`th${column.num ? '.num' : ''}`, { scope: 'col', 'aria-sort': ascending ? 'ascending' : descending ? 'descending' : 'none' },
      h('button.sort', {
        type: 'button', title: `Sort by ${column.label}`,
        onclick: () => { const s = new URLSearchParams(state); s.set('sort', next); go(s); },
      }, column.label, ascending ? ' ▲' : descending ? ' ▼' : ''));
  }

  function cell(column, session, fetchedAt) {
    const a = session.attributes || {};
    const lease = a.lease || {};
    switch (column.key) {
      case 'id': return h('td.mono', {}, h('a', { href: `#/session/${encodeURIComponent(session.id)}`, title: session.id }, session.id.slice(0, 8)));
      case 'name': return h('td', {}, lease.name || h('span.muted', {}, '—'));
      case 'node': return h('td', {}, lease.node);
      case 'service': return h('td', {}, session.relationships?.services?.data?.[0]?.id || '');
      case 'remote': return h('td.mono', {}, a.remote ? `${a.remote}:${a.port}` : '—');
      case 'behavior': return h('td', {}, lease.behavior);
      case 'ttl': return h('td.num', {}, lease.ttl ? duration(lease.ttl) : h('span.muted', {}, 'none'));
      case 'left': return h('td.num', {}, lease.expires ? when(lease.expires) : h('span.muted', {}, 'no TTL'));
      case 'lockdelay': return h('td.num', {}, duration(lease.lock_delay));
      case 'age': return h('td.num', {}, growing(a.seconds_alive, fetchedAt), h('span.abs', {}, new Date(a.connected).toLocaleString()));
      case 'idle': return h('td.num', {}, growing(a.idle, fetchedAt));
      case 'locks': return h('td.num', {}, String(a.locks ?? 0));
      case 'state': return h('td', { title: a.state }, a.state === 'Stopping session' ? 'stopping' : 'started');
      default: return h('td');
    }
  }

  function labelled(td, label) {
    td.dataset.label = label;
    return td;
  }

  async function render(document, filteredByAcls) {
    current = document;
    const fetchedAt = Date.now();
    const sessions = document.data || [];
    const count = document.meta?.total ?? sessions.length;
    total.textContent = `${count} session${count === 1 ? '' : 's'}${filters.length ? ` matching ${filters.join(', ')}` : ''}`
      + (filteredByAcls ? ' (some are hidden: your token may not read them)' : '');
    let writable = new Set();
    try {
      writable = await writableNodes(sessions.map((s) => s.attributes?.lease?.node));
    } catch (e) {
      replace(message, notice('error', e.message));
    }
    bulk.hidden = count === 0 || writable.size === 0 && sessions.length > 0;
    bulk.textContent = `Kill all ${count} matching…`;
    if (!sessions.length) {
      replace(tableArea, h('p.empty', {}, filters.length ? 'No session matches these filters.' : 'No sessions.'));
    } else {
      replace(tableArea, h('div.table-wrap', {}, h('table', { id: 'sessions', class: 'cards-on-phone' },
        h('caption.visually-hidden', {}, 'Sessions; column headers sort'),
        h('thead', {}, h('tr', {}, COLUMNS.map(sortHeader), h('th', { scope: 'col' }, 'Actions'))),
        h('tbody', {}, sessions.map((session) => h('tr', { dataset: { id: session.id } },
          COLUMNS.map((column) => labelled(cell(column, session, fetchedAt), column.label)),
          h('td', { 'data-label': 'Actions' }, writable.has(session.attributes?.lease?.node)
            ? killButton(session, message, { class: 'kill', 'aria-label': `Kill session ${session.attributes?.lease?.name || session.id}` })
            : h('span.muted', { title: 'your token may not kill sessions on this node' }, '—'))))))));
    }
    renderPager(document.links || {});
  }

  function renderPager(links) {
    const number = (link) => Number(new URL(link).searchParams.get('page[number]') || 0);
    const buttons = [['first', 'First'], ['prev', 'Previous'], ['next', 'Next'], ['last', 'Last']].map(([rel, text]) =>
      h('button', { type: 'button', disabled: !links[rel], onclick: () => follow(links[rel]), dataset: { rel } }, text));
    replace(pager, links.self && links.last
      ? [buttons[0], buttons[1], h('span', {}, `Page ${number(links.self) + 1} of ${number(links.last) + 1}`), buttons[2], buttons[3]]
      : []);
  }

  function follow(link) {
    pageLink = link;
    start();
  }

  function start() {
    watch?.stop();
    watch = new Watch(pageLink || listUrl(state), async (response) => {
      await render(await response.json(), response.headers.get('X-Consul-Results-Filtered-By-ACLs') === 'true');
    });
    watch.onError = (e) => {
      replace(message, notice('error', e.message));
      replace(tableArea);
    };
  }

  /** Every session the filters match (all pages, one snapshot), then each killed; refusals counted and explained. */
  async function bulkKill() {
    const count = current?.meta?.total ?? 0;
    const ok = await confirm({
      title: 'Kill sessions',
      text: [h('p', {}, 'Kill ', h('strong', {}, `all ${count} sessions`),
        filters.length ? ` matching ${filters.join(', ')}` : ' (no filter: every session you may see)', '?'),
      'Their locks are released or deleted, each by its behavior. This cannot be undone.'],
      ok: `Kill ${count} sessions`,
    });
    if (!ok) return;
    const ids = [];
    let link = withQuery(listUrl(state), { 'fields[sessions]': 'state', 'page[size]': 500 });
    while (link) {
      const page = await json(link);
      page.data.forEach((s) => ids.push(s.id));
      link = page.links?.next;
    }
    let killed = 0;
    const refusals = new Map();
    const queue = [...ids];
    const worker = async () => {
      while (queue.length) {
        const id = queue.shift();
        try {
          await request(`sessions/${encodeURIComponent(id)}`, { method: 'DELETE', allow: [404] });
          killed++;
        } catch (e) {
          refusals.set(e.message, (refusals.get(e.message) || 0) + 1);
        }
        replace(message, notice('info', `Killing: ${killed} of ${ids.length} done…`));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    replace(message, notice(refusals.size ? 'warn' : 'info', `Killed ${killed} of ${ids.length} sessions.`,
      ...[...refusals].map(([text, n]) => h('div', {}, `${n} refused: ${text}`))));
  }

  start();
  return { stop: () => watch?.stop() };
}

/** One session: its lease, clients with their counters, locks, the checks it is bound to, its log. */
export function sessionView(main, id) {
  const message = h('div');
  const body = h('div');
  let heldKeys = null;
  replace(main, h('p', {}, h('a', { href: '#/sessions' }, '← All sessions')),
    h('h1', {}, 'Session ', h('span.mono', {}, id)), message, body);

  async function load(document) {
    if (!document) {
      replace(message, notice('warn', 'This session has ended (killed, expired or invalidated). Its locks were released or deleted by its behavior.'));
      replace(body);
      return;
    }
    const session = document;
    const a = session.attributes;
    const lease = a.lease || {};
    const fetchedAt = Date.now();
    // The node's sessions, not session/info: reading a session by its ID counts as its client's use (idle).
    const onNode = (await json(`session/node/${encodeURIComponent(lease.node)}`).catch(() => [])) || [];
    const consul = onNode.find((s) => s.ID === id);
    const checks = consul ? boundChecks(consul) : [];
    // Consul's KV API cannot ask for one session's keys: read them all, but only when its lock count moved.
    if (!heldKeys || heldKeys.count !== a.locks) {
      const all = await json('kv/?recurse', { allow: [404] }).catch(() => null);
      heldKeys = { count: a.locks, entries: all && all.filter((entry) => entry.Session === id) };
    }
    const held = heldKeys.entries;
    const [health, [writable]] = await Promise.all([
      json(`health/node/${encodeURIComponent(lease.node)}`, { allow: [403] }).catch(() => []),
      may([['session', lease.node, 'write']]),
    ]);
    const locks = held || [];
    replace(message);
    replace(body,
      h('div.toolbar', {}, writable ? killButton(session, message, { class: 'danger', id: 'kill-session' })
        : h('span.muted', {}, 'Your token may not kill sessions on this node.')),
      h('div.cards', {},
        h('section.card', {}, h('h2', {}, 'Lease'), h('dl.props', {},
          h('dt', {}, 'Name'), h('dd', {}, lease.name || '—'),
          h('dt', {}, 'State'), h('dd', {}, a.state),
          h('dt', {}, 'Node'), h('dd', {}, lease.node),
          h('dt', {}, 'Service'), h('dd', {}, session.relationships?.services?.data?.[0]?.id || ''),
          h('dt', {}, 'Created by'), h('dd.mono', {}, a.remote ? `${a.remote}:${a.port}` : '—'),
          h('dt', {}, 'Created'), h('dd', {}, when(a.connected)),
          h('dt', {}, 'Age'), h('dd', {}, growing(a.seconds_alive, fetchedAt)),
          h('dt', {}, 'Idle'), h('dd', {}, growing(a.idle, fetchedAt)),
          h('dt', {}, 'TTL'), h('dd', {}, lease.ttl ? duration(lease.ttl) : 'none'),
          h('dt', {}, 'Ends'), h('dd', {}, lease.expires ? when(lease.expires) : 'only when killed or its checks fail'),
          h('dt', {}, 'Behavior'), h('dd', {}, lease.behavior),
          h('dt', {}, 'Lock-delay'), h('dd', {}, duration(lease.lock_delay)))),
        h('section.card', {}, h('h2', {}, `Locks (${locks.length})`),
          locks.length ? h('ul', { id: 'session-locks' }, locks.map((entry) => h('li', {},
            h('a.mono', { href: kvHref(entry.Key) }, entry.Key), h('span.muted', {}, ` LockIndex ${entry.LockIndex}`))))
            : h('p.muted', {}, held === null ? 'Your token may not list keys.' : 'It holds no lock.')),
        h('section.card', {}, h('h2', {}, 'Checks'),
          checks.length ? h('ul', {}, checks.map((check) => {
            const found = (health || []).find((c) => c.CheckID === check);
            return h('li', {}, h('span.mono', {}, check), ' ',
              found ? h(`span.badge.${found.Status}`, {}, found.Status) : h('span.muted', {}, 'not visible'),
              found?.Output ? h('span.muted', {}, ` ${found.Output}`) : '');
          })) : h('p.muted', {}, 'Bound to no check: only its TTL or a kill ends it.'))),
      h('h2', {}, 'Connections'),
      a.connections?.length ? h('div.table-wrap', {}, h('table', { id: 'connections' },
        h('thead', {}, h('tr', {}, ['Client', 'Address', 'Connected', 'Idle', 'State', 'Reads', 'Writes']
          .map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, a.connections.map((c) => h('tr', {},
          h('td', {}, c.client || (c.state === 'folded' ? `${c.folded_clients} earlier clients` : '—')),
          h('td.mono', {}, c.remote ? `${c.remote}:${c.port}` : '—'),
          h('td', {}, when(c.connected)),
          h('td.num', {}, growing(c.idle, fetchedAt)),
          h('td', {}, c.state),
          h('td.num', {}, String(c.reads)),
          h('td.num', {}, String(c.writes)))))))
        : h('p.muted', {}, 'No client has used it.'),
      h('h2', {}, 'Log'),
      h('ol', {}, (a.log || []).map((line) => h('li.mono', {}, line))));
  }

  // One long-poll: the admin listing of this one session wakes when sessions or locks change.
  const watch = new Watch(withQuery('sessions', { 'filter[id]': id }), async (response) => {
    try {
      await load((await response.json()).data[0]);
    } catch (e) {
      replace(message, notice('error', e.message));
    }
  });
  watch.onError = (e) => replace(message, notice('error', e instanceof ApiError ? e.message : String(e)));
  return { stop: () => watch.stop() };
}
