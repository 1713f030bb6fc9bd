// Locks and KV: the key tree one level at a time, a key's value in the form it reads best, its lock, and
// edits and deletes that only succeed on the version the user saw (Consul's ?cas=ModifyIndex).
import { Watch, json, may, request, withQuery } from './api.js';
import { confirm, h, notice, replace, when } from './dom.js';

/** A key as a KV API path: each segment escaped, the slashes kept. */
export function keyPath(key) {
  return `kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function bytesOf(base64) {
  const binary = atob(base64 || '');
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function base64Of(bytes) {
  let binary = '';
  bytes.forEach((b) => { binary += String.fromCharCode(b); });
  return btoa(binary);
}

/** A key's place in the UI's own address (#/kv/...), each segment escaped as in keyPath. */
export function kvHref(key) {
  return `#/kv/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The value as text if it is UTF-8 without control characters other than whitespace; else null. */
function textOf(bytes) {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? null : text;
  } catch {
    return null;
  }
}

function hexOf(bytes) {
  const lines = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = [...bytes.slice(i, i + 16)];
    lines.push(`${i.toString(16).padStart(6, '0')}  ${row.map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
  }
  return lines.join('\n');
}

/** The ways a value can be shown, best first: JSON pretty-printed, text, hex, base64. */
function renderings(bytes) {
  const text = textOf(bytes);
  const shown = [];
  if (text !== null && text.trim()) {
    try {
      const parsed = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) shown.push(['json', 'JSON', JSON.stringify(parsed, null, 2)]);
    } catch { /* not JSON */ }
  }
  if (text !== null) shown.push(['text', 'Text', text]);
  shown.push(['hex', 'Hex', hexOf(bytes)]);
  shown.push(['base64', 'Base64', base64Of(bytes)]);
  return shown;
}

export function kvView(main, path) {
  const key = path.endsWith('/') || path === '' ? null : path;
  const prefix = key === null ? path : path.slice(0, path.lastIndexOf('/') + 1);
  const message = h('div', { id: 'kv-message' });
  const list = h('div', { id: 'kv-list' });
  const detail = h('div', { id: 'kv-detail' });
  let editor = null; // { entry, textarea, flags, mode } while the user edits
  let writable = false;

  const crumbs = [h('a', { href: '#/kv/' }, '(root)')];
  let walked = '';
  for (const segment of prefix.split('/').filter(Boolean)) {
    walked += `${segment}/`;
    crumbs.push(' / ', h('a', { href: kvHref(walked) }, segment));
  }
  replace(main, h('h1', {}, 'Locks & KV'), h('nav', { 'aria-label': 'Key path' }, crumbs), message,
    h('div.split', {}, h('section', { 'aria-label': 'Keys' }, list), h('section', { 'aria-label': 'Key' }, detail)));

  async function renderList(keys) {
    const entries = (keys || []).filter((k) => k !== prefix);
    const [mayWrite] = await may([['key', prefix, 'write']]);
    replace(list,
      entries.length ? h('ul.tree', { id: 'kv-keys' }, entries.map((k) => h('li', {},
        h('a', { href: kvHref(k), 'aria-current': k === key ? 'true' : null },
          k.endsWith('/') ? '📁 ' : '', k.slice(prefix.length)))))
        : h('p.empty', {}, 'No keys here.'),
      mayWrite ? newKeyForm() : null);
  }

  function newKeyForm() {
    const form = h('form', {
      id: 'kv-new', onsubmit: async (e) => {
        e.preventDefault();
        const name = form.elements.name.value.trim();
        if (!name) return;
        try {
          const response = await request(withQuery(keyPath(prefix + name), { cas: 0 }), { method: 'PUT', body: form.elements.value.value });
          if ((await response.text()).trim() === 'true') {
            location.hash = kvHref(prefix + name);
          } else {
            replace(message, notice('warn', `“${prefix}${name}” already exists: open it to change it.`));
          }
        } catch (err) {
          replace(message, notice('error', err.message));
        }
      },
    }, h('h2', {}, 'New key'),
    h('label', { for: 'kv-new-name' }, `Name under “${prefix || '(root)'}”`), h('input', { id: 'kv-new-name', name: 'name', required: true }),
    h('label', { for: 'kv-new-value' }, 'Value'), h('textarea', { id: 'kv-new-value', name: 'value', rows: 3 }),
    h('button', { type: 'submit' }, 'Create'));
    return form;
  }

  async function renderKey() {
    if (key === null) {
      replace(detail, h('p.muted', {}, 'Choose a key to see its value and lock.'));
      return;
    }
    const response = await request(keyPath(key), { allow: [404] });
    if (response.status === 404) {
      replace(detail, h('h2.mono', {}, key), notice('warn', 'This key does not exist (any more).'));
      editor = null;
      return;
    }
    const [entry] = await response.json();
    const lockDelayUntil = response.headers.get('X-Sessiond-Lock-Delay-Until');
    [writable] = await may([['key', key, 'write']]);
    if (editor) {
      // Keep what the user typed; say when the key moved on since the edit began (the save will be refused).
      const stale = entry.ModifyIndex !== editor.entry.ModifyIndex;
      editor.warning.replaceChildren(...(stale ? [notice('warn', `Changed by someone else since you began editing `
        + `(ModifyIndex ${editor.entry.ModifyIndex} → ${entry.ModifyIndex}); saving will be refused.`)] : []));
      return;
    }
    const bytes = bytesOf(entry.Value);
    const shown = renderings(bytes);
    const pre = h('pre.value', { id: 'kv-value', tabindex: 0, 'aria-label': 'Value' }, shown[0][2]);
    const select = h('select', {
      id: 'kv-show-as', onchange: () => { pre.textContent = shown.find(([m]) => m === select.value)[2]; },
    }, shown.map(([mode, label]) => h('option', { value: mode }, label)));
    replace(detail,
      h('h2.mono', {}, key),
      h('dl.props', { id: 'kv-props' },
        h('dt', {}, 'Size'), h('dd', {}, `${bytes.length} bytes`),
        h('dt', {}, 'Flags'), h('dd', {}, String(entry.Flags)),
        h('dt', {}, 'CreateIndex'), h('dd', {}, String(entry.CreateIndex)),
        h('dt', {}, 'ModifyIndex'), h('dd', {}, String(entry.ModifyIndex)),
        h('dt', {}, 'LockIndex'), h('dd', {}, String(entry.LockIndex)),
        h('dt', {}, 'Held by'), h('dd', {}, entry.Session
          ? h('a.mono', { href: `#/session/${entry.Session}`, id: 'kv-holder' }, entry.Session) : 'nobody (unlocked)'),
        h('dt', {}, 'Lock-delay'), h('dd', {}, lockDelayUntil && new Date(lockDelayUntil) > new Date()
          ? ['nobody may take it until ', when(lockDelayUntil)] : 'none')),
      h('label', { for: 'kv-show-as' }, 'Show as'), select, pre,
      writable ? h('div.toolbar', {},
        h('button', { type: 'button', id: 'kv-edit', onclick: () => edit(entry, bytes) }, 'Edit'),
        h('button.danger', { type: 'button', id: 'kv-delete', onclick: () => remove(entry) }, 'Delete…'))
        : h('p.muted', {}, 'Your token may not change this key.'));
  }

  function edit(entry, bytes) {
    const text = textOf(bytes);
    const mode = text === null ? 'base64' : 'text';
    const textarea = h('textarea', { id: 'kv-editor', name: 'value', 'aria-describedby': 'kv-editor-help' }, text ?? base64Of(bytes));
    const flags = h('input', { id: 'kv-flags', name: 'flags', type: 'number', min: 0, value: entry.Flags });
    const warning = h('div');
    editor = { entry, textarea, flags, mode, warning };
    const form = h('form', {
      id: 'kv-edit-form', onsubmit: async (e) => {
        e.preventDefault();
        const body = mode === 'base64' ? bytesOf(textarea.value.trim()) : textarea.value;
        try {
          const response = await request(withQuery(keyPath(key), { cas: entry.ModifyIndex, flags: flags.value || 0 }),
            { method: 'PUT', body });
          if ((await response.text()).trim() === 'true') {
            editor = null;
            replace(message, notice('info', `Saved “${key}”.`));
            await renderKey();
          } else {
            const now = await json(keyPath(key), { allow: [404] });
            replace(message, notice('error', h('strong', {}, 'Not saved: conflict. '),
              `Someone changed “${key}” after you opened it (you edited ModifyIndex ${entry.ModifyIndex}`,
              now ? `, it is now ${now[0].ModifyIndex}). ` : ', it has been deleted since). ',
              'Your text is still in the editor: cancel to see the current value, then edit again.'));
          }
        } catch (err) {
          replace(message, notice('error', err.message));
        }
      },
    },
    h('h2.mono', {}, `Editing ${key}`), warning,
    h('label', { for: 'kv-editor' }, mode === 'base64' ? 'Value (base64: it is binary)' : 'Value'), textarea,
    h('p.muted', { id: 'kv-editor-help' }, `Saved only if the key is still at ModifyIndex ${entry.ModifyIndex} (check-and-set).`),
    h('label', { for: 'kv-flags' }, 'Flags'), flags,
    h('div.toolbar', {}, h('button', { type: 'submit', id: 'kv-save' }, 'Save'),
      h('button', { type: 'button', onclick: () => { editor = null; replace(message); renderKey(); } }, 'Cancel')));
    replace(detail, form);
    textarea.focus();
  }

  async function remove(entry) {
    const ok = await confirm({
      title: 'Delete key', ok: 'Delete',
      text: [h('p', {}, 'Delete ', h('strong.mono', {}, key), '?'),
        entry.Session ? `It is locked by session ${entry.Session}: its holder loses it.` : 'Nobody holds its lock.'],
    });
    if (!ok) return;
    try {
      const response = await request(withQuery(keyPath(key), { cas: entry.ModifyIndex }), { method: 'DELETE' });
      if ((await response.text()).trim() === 'true') {
        replace(message, notice('info', `Deleted “${key}”.`));
        location.hash = kvHref(prefix);
      } else {
        replace(message, notice('error', h('strong', {}, 'Not deleted: conflict. '),
          `“${key}” changed after you opened it (ModifyIndex ${entry.ModifyIndex} is no longer current). Look again first.`));
      }
    } catch (err) {
      replace(message, notice('error', err.message));
    }
  }

  // One long-poll: the listing of this level wakes on any change to the KV store, the open key's too.
  const watch = new Watch(withQuery(keyPath(prefix), { keys: '', separator: '/' }), async (response) => {
    try {
      await renderList(response.status === 404 ? [] : await response.json());
      await renderKey();
    } catch (e) {
      replace(message, notice('error', e.message));
    }
  }, { allow: [404] });
  watch.onError = (e) => replace(message, notice('error', e.message));
  return { stop: () => watch.stop() };
}
