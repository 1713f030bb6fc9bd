// Nodes and checks: every node (sessiond instances and registered nodes), its checks, how many sessions it
// has, and for a check that is not passing, the sessions bound to it, which end when it turns critical.
import { Watch, json, withQuery } from './api.js';
import { h, notice, replace } from './dom.js';

/** Every check a session is bound to: Consul lists them as Checks (as asked), NodeChecks and ServiceChecks. */
export function boundChecks(session) {
  return [...new Set([...(session.Checks || []), ...(session.NodeChecks || []), ...(session.ServiceChecks || []).map((c) => c.ID)])];
}

export function nodesView(main) {
  const message = h('div');
  const cards = h('div.cards', { id: 'nodes' });
  replace(main, h('h1', {}, 'Nodes & checks'),
    h('p.muted', {}, 'Each sessiond instance is a node with a serfHealth check; sessions end when a check they are bound to turns critical.'),
    message, cards);

  async function render(checks) {
    const nodes = (await json('catalog/nodes')) || [];
    const byNode = new Map(nodes.map((n) => [n.Node, []]));
    for (const check of checks) {
      if (!byNode.has(check.Node)) byNode.set(check.Node, []);
      byNode.get(check.Node).push(check);
    }
    const rendered = await Promise.all([...byNode].map(async ([node, nodeChecks]) => {
      const address = nodes.find((n) => n.Node === node)?.Address;
      const failing = nodeChecks.filter((c) => c.Status !== 'passing');
      // Only a node with a check that is not passing needs its sessions' bindings (one read per such node).
      const [sessions, total] = await Promise.all([
        failing.length ? json(`session/node/${encodeURIComponent(node)}`).then((found) => found || []).catch(() => []) : [],
        json(withQuery('sessions', { 'filter[lease/node]': node, 'fields[sessions]': 'state', 'page[size]': 1 }))
          .then((d) => d.meta.total).catch(() => null)]);
      return h('section.card', { dataset: { node } },
        h('h2', {}, node, address ? h('span.muted', {}, ` ${address}`) : ''),
        h('p', {}, total === null ? h('span.muted', {}, 'Sessions not visible to your token')
          : h('a', { href: `#/sessions?f.node=${encodeURIComponent(node)}` }, `${total} session${total === 1 ? '' : 's'}`)),
        nodeChecks.length ? h('ul', {}, nodeChecks.map((check) => {
          const bound = sessions.filter((s) => boundChecks(s).includes(check.CheckID));
          return h('li', { dataset: { check: check.CheckID } },
            h(`span.badge.${check.Status}`, {}, check.Status), ' ', h('strong', {}, check.Name || check.CheckID),
            check.ServiceName ? h('span.muted', {}, ` (service ${check.ServiceName})`) : '',
            check.Output ? h('div.muted.mono', {}, check.Output) : '',
            check.Status === 'passing' ? '' : bound.length
              ? h('div', { class: 'ends' }, check.Status === 'critical' ? 'Ending: ' : 'Turning critical ends: ',
                bound.map((s, i) => [i ? ', ' : '', h('a.mono', { href: `#/session/${s.ID}` }, s.Name || s.ID.slice(0, 8))]))
              : h('div.muted', {}, 'No session is bound to it.'));
        })) : h('p.muted', {}, 'No checks.'));
    }));
    replace(cards, rendered.length ? rendered : h('p.empty', {}, 'No nodes visible to your token.'));
  }

  // One long-poll: every check's state; a change to a check (or a node's registration with its checks) wakes it.
  const watch = new Watch('health/state/any', async (response) => {
    try {
      replace(message);
      await render(await response.json());
    } catch (e) {
      replace(message, notice('error', e.message));
    }
  });
  watch.onError = (e) => replace(message, notice('error', e.message));
  return { stop: () => watch.stop() };
}
