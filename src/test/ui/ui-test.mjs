// The web UI in a real browser (Debian's Chromium driven by playwright-core) against a running sessiond:
//   node ui-test.mjs <base URL> open                       ACLs off
//   node ui-test.mjs <base URL> acl <management SecretID>  ACLs on, default policy deny
// Changes are made "elsewhere" through the HTTP APIs, as other clients make them, and the page must show them
// by itself. Prints one "ok"/"not ok" line per step, then "N passed, M failed"; exits 1 on any failure.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';

const [base, suite, management] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SHOTS = process.env.UI_SCREENSHOTS || '../../../target/ui-screenshots';
/** The promise: a change shows within a second. */
const LIVE_MS = 1000;

if (!existsSync(CHROMIUM)) {
  console.log(`not ok - Chromium is missing at ${CHROMIUM} (apt-get install chromium)`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
mkdirSync(SHOTS, { recursive: true });

let passed = 0;
let failed = 0;
const pageErrors = [];
const unique = randomUUID().slice(0, 8);

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function step(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}: ${e.stack || e}`);
  }
}

/** A request through the APIs, as another client makes it; the answer's body as JSON or text. */
async function api(method, path, body, secret = management) {
  const headers = secret ? { 'X-Consul-Token': secret } : {};
  const response = await fetch(new URL(path, base), {
    method, headers, body: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok && response.status !== 404) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const createSession = async (spec, secret) => (await api('PUT', '/v1/session/create', spec, secret)).ID;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
page.setDefaultTimeout(10000);
page.on('pageerror', (e) => pageErrors.push(e.message));

const row = (id) => page.locator(`#sessions tr[data-id="${id}"]`);

/** Milliseconds until `locator` reaches `state`, failing past the live budget. */
async function within(locator, state, what) {
  const start = Date.now();
  await locator.waitFor({ state, timeout: 10000 });
  const took = Date.now() - start;
  console.log(`# ${what}: ${took} ms`);
  check(took <= LIVE_MS, `${what} took ${took} ms, more than ${LIVE_MS} ms`);
}

/** The view's long-poll is parked (its page is shown and the status bar says live). */
async function live() {
  await page.locator('#connection[data-state="live"]').waitFor();
}

async function openSuite() {
  const service = `ui-${unique}`;
  const ids = [];

  await step('the table shows sessions created through the Consul API', async () => {
    for (const name of ['alpha', 'beta', 'gamma']) ids.push(await createSession({ Name: name, TTL: '120s', Service: service }));
    await page.goto(`${base}/ui/#/sessions?f.service=${service}`);
    for (const id of ids) await row(id).waitFor();
    check(await page.locator('#sessions tbody tr').count() === 3, 'three rows');
    check((await row(ids[0]).innerText()).includes('alpha'), 'the name is shown');
    check((await page.locator('#sessions-total').innerText()).startsWith('3 sessions'), 'the total');
    await page.screenshot({ path: `${SHOTS}/sessions.png` });
  });

  await step('a session created elsewhere appears within a second, without reloading', async () => {
    await live();
    const id = await createSession({ Name: 'delta', TTL: '120s', Service: service });
    ids.push(id);
    await within(row(id), 'visible', 'created session shown');
  });

  await step('a session killed elsewhere disappears within a second', async () => {
    await live();
    const id = ids.pop();
    await api('PUT', `/v1/session/destroy/${id}`);
    await within(row(id), 'detached', 'destroyed session gone');
  });

  await step('sorting by a column header orders the rows on the server', async () => {
    await page.locator('#sessions thead button', { hasText: 'Name' }).click();
    await page.waitForURL(/sort=lease%2Fname|sort=lease\/name/);
    await row(ids[0]).waitFor();
    const names = await page.locator('#sessions tbody td[data-label="Name"]').allInnerTexts();
    check(JSON.stringify(names) === JSON.stringify(['alpha', 'beta', 'gamma']), `ascending: ${names}`);
    await page.locator('#sessions thead button', { hasText: 'Name' }).click();
    await page.waitForFunction(() => document.querySelector('#sessions tbody td[data-label="Name"]')?.textContent === 'gamma');
  });

  await step('kill asks for confirmation, and the killed session releases its lock', async () => {
    const holder = ids[0];
    const key = `ui/${unique}/leader`;
    check(await api('PUT', `/v1/kv/${key}?acquire=${holder}`, 'worker-alpha') === true, 'lock taken');
    await page.goto(`${base}/ui/#/sessions?f.service=${service}`);
    await row(holder).locator('button.kill').click();
    await page.locator('#confirm-dialog[open]').waitFor();
    check((await page.locator('#confirm-text').innerText()).includes('1 lock will be released'), 'says what happens');
    await page.locator('#confirm-cancel').click();
    check(await row(holder).isVisible(), 'cancel kills nothing');
    check((await api('GET', `/v1/kv/${key}`))[0].Session === holder, 'still locked after cancel');
    await row(holder).locator('button.kill').click();
    await page.locator('#confirm-ok').click();
    await row(holder).waitFor({ state: 'detached' });
    const [entry] = await api('GET', `/v1/kv/${key}`);
    check(entry.Session === undefined && entry.LockIndex === 1, `released: ${JSON.stringify(entry)}`);
  });

  await step('kill after N seconds stops the session then', async () => {
    const id = ids[1];
    await row(id).locator('button.kill').click();
    await page.locator('#kill-later').check();
    await page.locator('#kill-after').fill('45');
    await page.locator('#confirm-ok').click();
    await page.locator('#sessions-message .notice', { hasText: 'ends in 45 s' }).waitFor();
    const document = await api('GET', `/v1/sessions/${id}`);
    check(document.data.attributes.state === 'Stopping session', document.data.attributes.state);
    await row(id).locator('td[data-label="State"]', { hasText: 'stopping' }).waitFor();
  });

  await step('bulk kill ends exactly the filtered set', async () => {
    const bulkService = `ui-bulk-${unique}`;
    const doomed = [];
    for (let i = 0; i < 4; i++) doomed.push(await createSession({ Name: 'batch', Service: bulkService }));
    const kept = await createSession({ Name: 'keep', Service: bulkService });
    await page.goto(`${base}/ui/#/sessions`);
    await page.locator('#f-service').fill(bulkService);
    await page.locator('#f-name').fill('batch');
    await page.locator('#op-idle').selectOption('lt');
    await page.locator('#f-idle').fill('1h');
    await page.locator('#f-idle').press('Enter');
    await page.locator('#sessions-total', { hasText: '4 sessions matching' }).waitFor();
    await page.locator('#bulk-kill').click();
    check((await page.locator('#confirm-text').innerText()).includes('all 4 sessions'), 'names the count');
    await page.locator('#confirm-ok').click();
    await page.locator('#sessions-message', { hasText: 'Killed 4 of 4 sessions' }).waitFor();
    const left = await api('GET', `/v1/sessions?filter%5Bservices%5D=${bulkService}`);
    check(JSON.stringify(left.data.map((s) => s.id)) === JSON.stringify([kept]), `left: ${left.data.map((s) => s.id)}`);
    check(doomed.length === 4, 'four killed');
  });

  await step('a session\'s detail shows its locks, connections with counters and checks', async () => {
    const id = ids[2];
    const key = `ui/${unique}/detail`;
    await api('PUT', `/v1/kv/${key}?acquire=${id}`, 'x');
    await api('GET', `/v1/session/info/${id}`);
    await page.goto(`${base}/ui/#/session/${id}`);
    await page.locator('#session-locks a', { hasText: key }).waitFor();
    const connections = await page.locator('#connections tbody tr').count();
    check(connections >= 1, 'connections listed');
    check((await page.locator('#main').innerText()).includes('serfHealth'), 'its check');
    await page.screenshot({ path: `${SHOTS}/session.png` });
    await api('PUT', `/v1/session/destroy/${id}`);
    await page.locator('.notice', { hasText: 'This session has ended' }).waitFor({ timeout: 2000 });
  });

  await step('KV: an edit that lost the race is refused as a CAS conflict, and nothing is overwritten', async () => {
    const key = `ui/${unique}/config`;
    await api('PUT', `/v1/kv/${key}`, 'first');
    await page.goto(`${base}/ui/#/kv/${key}`);
    await page.locator('#kv-value', { hasText: 'first' }).waitFor();
    await page.locator('#kv-edit').click();
    await page.locator('#kv-editor').fill('mine');
    await api('PUT', `/v1/kv/${key}`, 'theirs');
    await page.locator('#kv-save').click();
    await page.locator('#kv-message .notice', { hasText: 'conflict' }).waitFor();
    check(await api('GET', `/v1/kv/${key}?raw`) === 'theirs', 'the other write stands');
    check(await page.locator('#kv-editor').inputValue() === 'mine', 'the user\'s text is kept');
    await page.screenshot({ path: `${SHOTS}/kv-conflict.png` });
    await page.locator('#kv-edit-form button', { hasText: 'Cancel' }).click();
    await page.locator('#kv-value', { hasText: 'theirs' }).waitFor();
    await page.locator('#kv-edit').click();
    await page.locator('#kv-editor').fill('merged');
    await page.locator('#kv-save').click();
    await page.locator('#kv-message .notice', { hasText: 'Saved' }).waitFor();
    check(await api('GET', `/v1/kv/${key}?raw`) === 'merged', 'saved with CAS');
  });

  await step('KV values read as JSON pretty-printed, binary as hex, and a held lock links its session', async () => {
    const holder = await createSession({ Name: 'kv-holder', TTL: '120s', Service: service });
    await api('PUT', `/v1/kv/ui/${unique}/json?acquire=${holder}`, '{"db":"postgres://x","pool":5}');
    await page.goto(`${base}/ui/#/kv/ui/${unique}/json`);
    await page.locator('#kv-value', { hasText: '"pool": 5' }).waitFor();
    check(await page.locator('#kv-holder').getAttribute('href') === `#/session/${holder}`, 'holder linked');
    const binary = new Uint8Array([0, 1, 255, 16]);
    await fetch(new URL(`/v1/kv/ui/${unique}/blob`, base), { method: 'PUT', body: binary });
    await page.goto(`${base}/ui/#/kv/ui/${unique}/blob`);
    await page.locator('#kv-value', { hasText: '00 01 ff 10' }).waitFor();
    await page.locator('#kv-show-as').selectOption('base64');
    await page.locator('#kv-value', { hasText: 'AAH/EA==' }).waitFor();
    await api('PUT', `/v1/session/destroy/${holder}`);
    await page.goto(`${base}/ui/#/kv/ui/${unique}/json`);
    await page.locator('#kv-props', { hasText: 'nobody may take it until' }).waitFor();
  });

  await step('a check that is not passing shows the sessions it will end', async () => {
    const node = `ui-node-${unique}`;
    await api('PUT', '/v1/catalog/register', { Node: node, Address: '10.0.0.9',
      Checks: [{ CheckID: 'serfHealth', Status: 'passing' }, { CheckID: 'disk', Name: 'Disk', Status: 'warning' }] });
    await createSession({ Name: 'on-disk', Node: node, Checks: ['disk'] });
    await page.goto(`${base}/ui/#/nodes`);
    const check_ = page.locator(`section[data-node="${node}"] li[data-check="disk"]`);
    await check_.locator('.ends', { hasText: 'on-disk' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/nodes.png` });
    await live();
    await api('PUT', '/v1/catalog/register', { Node: node, Address: '10.0.0.9', Check: { CheckID: 'disk', Name: 'Disk', Status: 'critical' } });
    await within(check_.locator('.badge.critical'), 'visible', 'critical check shown');
    await check_.locator('.muted', { hasText: 'No session is bound' }).waitFor();
  });

  await step('web sessions show metadata only and can be killed', async () => {
    const created = await api('POST', '/v1/web-sessions', { data: { secret: `data-${unique}` } });
    await page.goto(`${base}/ui/#/web-sessions`);
    const webRow = page.locator(`#web-sessions tr[data-id="${created.id}"]`);
    await webRow.waitFor();
    check(!(await page.locator('#main').innerText()).includes(`data-${unique}`), 'never the data');
    check(!(await page.locator('#main').innerText()).includes(created.cookie), 'never the cookie');
    await webRow.locator('button').click();
    await page.locator('#confirm-ok').click();
    await webRow.waitFor({ state: 'detached' });
    check((await fetch(new URL(`/v1/web-sessions/${created.id}`, base))).status === 404, 'gone from the store');
  });

  await step('keyboard: skip link, navigation, and a kill dialog that Escape closes', async () => {
    const id = await createSession({ Name: 'keyboard', TTL: '120s', Service: service });
    await page.goto('about:blank');
    await page.goto(`${base}/ui/#/kv/`);
    await page.locator('#kv-list').waitFor();
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement.className) === 'skip', 'the skip link comes first');
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement.textContent) === 'Sessions', 'then the views');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/sessions$/);
    await page.goto(`${base}/ui/#/sessions?f.service=${service}&f.name=keyboard`);
    await row(id).waitFor();
    let found = false;
    for (let i = 0; i < 60 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement.classList.contains('kill'));
    }
    check(found, 'the Kill button is reachable by Tab');
    await page.keyboard.press('Enter');
    await page.locator('#confirm-dialog[open]').waitFor();
    check(await page.evaluate(() => document.activeElement.id) === 'confirm-cancel', 'the dialog focuses Cancel');
    await page.keyboard.press('Escape');
    await page.locator('#confirm-dialog[open]').waitFor({ state: 'detached' });
    check(await page.evaluate(() => document.activeElement.classList.contains('kill')), 'focus returns to the button');
    check(await row(id).isVisible(), 'Escape killed nothing');
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
      .filter((el) => !el.labels?.length && !el.getAttribute('aria-label')).map((el) => el.id || el.name));
    check(unlabelled.length === 0, `every control is labelled: ${unlabelled}`);
  });

  await step('phone width: no sideways scrolling, each session reads as a card', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/ui/#/sessions?f.service=${service}`);
    await page.locator('#sessions tbody tr').first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 390, `page is ${width} px wide`);
    const display = await page.locator('#sessions tbody td').first().evaluate((td) => getComputedStyle(td).display);
    check(display === 'flex', `cells stack: ${display}`);
    await page.screenshot({ path: `${SHOTS}/sessions-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
}

async function aclSuite() {
  const policy = `ui-read-${unique}`;
  await api('PUT', '/v1/acl/policy', { Name: policy, Rules: JSON.stringify({
    session_prefix: { '': { policy: 'read' } }, key_prefix: { '': { policy: 'read' } },
    node_prefix: { '': { policy: 'read' } }, service_prefix: { '': { policy: 'read' } } }) });
  const reader = await api('PUT', '/v1/acl/token', { Description: `read-only ${unique}`, Policies: [{ Name: policy }] });
  const id = await createSession({ Name: `locked-${unique}`, TTL: '120s' });
  await api('PUT', `/v1/kv/acl-ui/${unique}?acquire=${id}`, 'held');

  await step('with ACLs on and no token, the UI asks for one', async () => {
    await page.goto(`${base}/ui/`);
    await page.locator('#token-dialog[open]').waitFor();
    check(await page.evaluate(() => document.activeElement.id) === 'token-input', 'the field has focus');
    await page.screenshot({ path: `${SHOTS}/token-prompt.png` });
  });

  await step('a read-only token sees sessions and keys but no kill or edit control', async () => {
    await page.locator('#token-input').fill(reader.SecretID);
    await page.locator('#token-use').click();
    await page.locator('#identity', { hasText: `read-only ${unique}` }).waitFor();
    await page.goto(`${base}/ui/#/sessions?f.name=locked-${unique}`);
    await row(id).waitFor();
    check(await page.locator('button.kill').count() === 0, 'no Kill button');
    check(await page.locator('#bulk-kill').isHidden(), 'no bulk kill');
    check(await page.locator('#nav-acl').isHidden(), 'no ACL view');
    await page.goto(`${base}/ui/#/kv/acl-ui/${unique}`);
    await page.locator('#kv-value', { hasText: 'held' }).waitFor();
    check(await page.locator('#kv-edit').count() === 0 && await page.locator('#kv-delete').count() === 0, 'no edit or delete');
    await page.locator('text=Your token may not change this key.').waitFor();
    check(await page.evaluate(() => sessionStorage.getItem('sessiond.token')) === reader.SecretID, 'kept for the tab');
  });

  await step('a refusal is explained, not shown raw', async () => {
    await page.goto(`${base}/ui/#/web-sessions`);
    const text = await page.locator('.notice.error').innerText();
    check(text.includes('Your token may not read web sessions of store “default”') && text.includes('web_session:read'), text);
  });

  await step('a management token lists policies and tokens, never a SecretID', async () => {
    await page.locator('#token-button').click();
    await page.locator('#token-input').fill(management);
    await page.locator('#token-use').click();
    await page.locator('#nav-acl:not([hidden])').waitFor();
    await page.goto(`${base}/ui/#/acl`);
    await page.locator('#acl-tokens tbody tr', { hasText: reader.AccessorID }).waitFor();
    await page.locator('#acl-policies', { hasText: policy }).waitFor();
    const shown = await page.locator('body').innerText();
    check(!shown.includes(reader.SecretID) && !shown.includes(management), 'no SecretID on the page');
    await page.goto(`${base}/ui/#/sessions?f.name=locked-${unique}`);
    await row(id).locator('button.kill').waitFor();
  });

  await step('an unknown token is explained and asked again', async () => {
    await page.evaluate(() => sessionStorage.setItem('sessiond.token', '11111111-2222-3333-4444-555555555555'));
    await page.reload();
    await page.locator('#token-dialog[open]').waitFor();
    check((await page.locator('#token-reason').innerText()).includes('does not know the token'), 'says why');
  });
}

try {
  if (suite === 'acl') await aclSuite();
  else await openSuite();
  await step('no script error on any page', async () => check(pageErrors.length === 0, pageErrors.join('; ')));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
