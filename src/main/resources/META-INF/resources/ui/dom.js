// Small DOM and formatting helpers: elements built from data, never from HTML strings (no injection).

/** h('tag.class', {attr: value, onclick: fn}, ...children) */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag);
  if (classes.length) el.className = classes.join(' ');
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

export function replace(target, ...children) {
  target.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

/** Seconds as "1h 2m", "3m 4s", "5.2s". */
export function duration(seconds) {
  if (seconds === undefined || seconds === null || Number.isNaN(seconds)) return '—';
  const s = Math.max(0, seconds);
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.floor(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${Math.floor(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

function absolute(date) {
  return date.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/**
 * A time shown both ways: relative ("3m ago", "in 20s"), kept current by the ticker, and absolute below it.
 * `at` is a Date or anything Date parses (the APIs' IMF-fixdates and ISO times).
 */
export function when(at) {
  if (!at) return h('span.muted', {}, '—');
  const date = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(date.getTime())) return h('span', {}, String(at));
  return h('time', { datetime: date.toISOString(), title: date.toISOString(), dataset: { tick: 'relative' } },
    relative(date), h('span.abs', {}, absolute(date)));
}

function relative(date) {
  const seconds = (date.getTime() - Date.now()) / 1000;
  return seconds >= 0 ? `in ${duration(seconds)}` : `${duration(-seconds)} ago`;
}

/**
 * A duration that grows with the clock from a value the server measured (idle, age): shown as it is now.
 */
export function growing(seconds, fetchedAt) {
  return h('span', { dataset: { tick: 'growing', base: seconds, at: fetchedAt } }, duration(seconds));
}

/** Keeps every relative time and growing duration on the page current, once a second. */
export function startTicker() {
  setInterval(() => {
    for (const el of document.querySelectorAll('[data-tick]')) {
      if (el.dataset.tick === 'growing') {
        el.textContent = duration(Number(el.dataset.base) + (Date.now() - Number(el.dataset.at)) / 1000);
      } else {
        el.firstChild.textContent = relative(new Date(el.getAttribute('datetime')));
      }
    }
  }, 1000);
}

/** Shows a message where the view explains itself (refusals, conflicts, results). */
export function notice(kind, ...text) {
  return h(`div.notice.${kind}`, { role: kind === 'error' ? 'alert' : 'status' }, ...text);
}

/**
 * Asks for confirmation in the modal dialog; `extra` (optional) are more controls inside the form, read by
 * `read(form)` when confirmed. Resolves to read's result (or true), or null when cancelled.
 */
export function confirm({ title, text, ok = 'OK', extra = null, read = null }) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-title').textContent = title;
  replace(document.getElementById('confirm-text'), ...[].concat(text).map((t) => (t instanceof Node ? t : h('p', {}, t))));
  replace(document.getElementById('confirm-extra'), extra);
  document.getElementById('confirm-ok').textContent = ok;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      const confirmed = dialog.returnValue === 'ok';
      opener?.focus?.();
      resolve(confirmed ? (read ? read(document.getElementById('confirm-form')) : true) : null);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}
