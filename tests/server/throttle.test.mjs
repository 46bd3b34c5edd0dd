// Password guessing is slowed, then locked, per (login, address), per
// address and per account, with counts in the store (ASVS 2.2.1), without
// letting one machine lock its colleagues out; correct log-ins are limited
// per address too, and parallel guesses cannot slip past a limit. The
// server trusts X-Forwarded-For (JIEBANG_TRUST_PROXY=1, as behind nginx) so
// each test is its own address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, sql } from './harness.mjs';
import { DEMO_PASSWORD, audit, count } from './accounts.mjs';

let srv;
before(async () => { srv = await startServer({ env: { JIEBANG_TRUST_PROXY: '1' } }); });
after(async () => { await srv.stop(); });

function attempt(login, password, addr, { page = false, headers: extra = {} } = {}) {
  const headers = { 'X-Forwarded-For': `203.0.113.9, ${addr}`, ...extra };
  if (page)
    return get(srv, '/login', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login, password }).toString() });
  return get(srv, '/api/v1/session', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }) });
}

// n failed attempts of login from addr, between 50 and 16 minutes ago:
// none within the delays' 15 minutes, so only a lock can refuse.
function pastFailures(login, addrs, n) {
  const now = Math.floor(Date.now() / 1000), rows = [];
  const base = count(srv, 'SELECT coalesce(max(id), 0) FROM login_attempt') + 1000;
  for (let i = 0; i < n; i++)
    rows.push(`(1, ${base + i}, '${login}', '${addrs(i)}', 'failed', ${now - 3000 + Math.floor(i * 2000 / n)})`);
  sql(srv.store, `INSERT INTO login_attempt (tenant_id, id, login, addr, state, at) VALUES ${rows.join(', ')}`);
}

test('ASVS 2.2.1: after 5 failures at one address a login waits there, told in minutes; unknown and known logins alike; other addresses go on', async () => {
  for (const name of ['leader', 'nobody-here']) {
    for (let i = 0; i < 5; i++) {
      const r = await attempt(name, 'a wrong guess ' + i, '10.0.0.1');
      assert.equal(r.status, 401, `${name} #${i + 1}`);
      assert.equal(r.json().error.message, '登录名或密码不正确');
    }
    const r = await attempt(name, 'a wrong guess 6', '10.0.0.1');
    assert.equal(r.status, 429, name);
    assert.equal(r.json().error.code, 'throttled');
    assert.equal(r.json().error.message, '登录失败次数过多，请在 1 分钟后再试');
    const ra = +r.headers.get('retry-after');
    assert.ok(ra > 0 && ra <= 60, `Retry-After ${ra}`);
  }
  // The right password waits at that address too: it is not checked while throttled.
  const right = await attempt('leader', DEMO_PASSWORD, '10.0.0.1', { page: true });
  assert.equal(right.status, 429);
  assert.match(right.text, /请在 1 分钟后再试/);
  assert.equal(count(srv, "SELECT count(*) FROM user_session WHERE user_id = (SELECT id FROM app_user WHERE login = 'leader')"), 0);
  // A colleague's machine is not locked out by these failures (issue 7.5).
  assert.equal((await attempt('nobody-here', 'a wrong guess', '10.0.0.2')).status, 401);
  assert.equal((await attempt('leader', DEMO_PASSWORD, '10.0.0.2')).status, 200);
  // The delay grows with each failure after the fifth.
  sql(srv.store, "UPDATE login_attempt SET at = at - 61 WHERE login = 'leader' AND addr = '10.0.0.1'");
  assert.equal((await attempt('leader', 'still wrong', '10.0.0.1')).status, 401);
  const r = await attempt('leader', 'still wrong', '10.0.0.1');
  assert.equal(r.status, 429);
  assert.equal(r.json().error.message, '登录失败次数过多，请在 2 分钟后再试');
  // When the window has passed, the right password works and forgives that address's failures.
  sql(srv.store, "UPDATE login_attempt SET at = at - 900 WHERE login = 'leader' AND addr = '10.0.0.1'");
  assert.equal((await attempt('leader', DEMO_PASSWORD, '10.0.0.1')).status, 200);
  assert.equal(count(srv, "SELECT count(*) FROM login_attempt WHERE login = 'leader' AND state IN ('failed', 'pending')"), 0);
  // Refusals are in the audit log, and the failures, with the forwarded address.
  const denied = audit(srv, "outcome = 'denied' AND action = 'session.create'");
  assert.ok(denied.some((e) => e.after.includes('"login":"leader"') && e.after.includes('throttled') && e.client_addr === '10.0.0.1'));
  assert.equal(audit(srv, "outcome = 'failed' AND client_addr = '10.0.0.1'").length, 11);
});

test('ASVS 2.2.1: 20 failures within an hour lock a login at that address until the hour has passed; not at others', async () => {
  pastFailures('evaluator', () => '10.0.1.1', 20);
  const r = await attempt('evaluator', DEMO_PASSWORD, '10.0.1.1');
  assert.equal(r.status, 429);
  assert.equal(r.json().error.message, '登录失败次数过多，请在 10 分钟后再试');
  const denied = audit(srv, "outcome = 'denied'");
  assert.ok(denied.some((e) => e.after.includes('"login":"evaluator"') && e.after.includes('locked')));
  // Another login from the same address, and the same login from another address, are not locked.
  assert.equal((await attempt('cadre', DEMO_PASSWORD, '10.0.1.1')).status, 200);
  assert.equal((await attempt('evaluator', DEMO_PASSWORD, '10.0.1.2')).status, 200);
  // Once the oldest failure is an hour old the lock is gone.
  sql(srv.store, "UPDATE login_attempt SET at = at - 700 WHERE login = 'evaluator' AND addr = '10.0.1.1'");
  assert.equal((await attempt('evaluator', DEMO_PASSWORD, '10.0.1.1')).status, 200);
});

test('ASVS 2.2.1: one address guessing many logins is slowed after 20 failures; other addresses are not', async () => {
  for (let i = 0; i < 20; i++) {
    const r = await attempt(`someone${i}`, 'guess', '10.0.2.1');
    assert.equal(r.status, 401, `#${i + 1}`);
  }
  const r = await attempt('unit', DEMO_PASSWORD, '10.0.2.1');
  assert.equal(r.status, 429);
  assert.match(r.json().error.message, /请在 1 分钟后再试/);
  assert.equal((await attempt('unit', DEMO_PASSWORD, '10.0.2.2')).status, 200);
  // X-Forwarded-For is only believed from a trusted proxy, and only its last entry.
  assert.equal((await attempt('unit', DEMO_PASSWORD, '10.0.2.2, 10.0.2.1')).status, 429);
});

test('ASVS 2.2.1: a wrong current password on the change form counts as a failure too', async () => {
  const s = await get(srv, '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '10.0.3.1' },
    body: JSON.stringify({ login: 'admin', password: DEMO_PASSWORD }) });
  assert.equal(s.status, 200);
  const cookie = s.headers.get('set-cookie').split(';')[0], csrf = s.json().csrf_token;
  const change = (cur) => get(srv, '/api/v1/me/password', { method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: cookie, 'X-CSRF-Token': csrf, 'X-Forwarded-For': '10.0.3.1' },
    body: JSON.stringify({ current_password: cur, new_password: 'an entirely new phrase' }) });
  for (let i = 0; i < 5; i++) assert.equal((await change('guess ' + i)).status, 403);
  const r = await change(DEMO_PASSWORD);
  assert.equal(r.status, 429);
  assert.match(r.json().error.message, /请在 1 分钟后再试/);
  assert.equal(audit(srv, "action = 'account.password' AND outcome = 'failed'").length, 5);
});

test('issue 7.4: at most 30 successful log-ins per address in 10 minutes, then 429 told in minutes; other addresses go on', async () => {
  for (let i = 0; i < 30; i++)
    assert.equal((await attempt(['cadre', 'unit', 'leader'][i % 3], DEMO_PASSWORD, '10.0.5.1')).status, 200, `#${i + 1}`);
  const r = await attempt('cadre', DEMO_PASSWORD, '10.0.5.1', { page: true });
  assert.equal(r.status, 429);
  assert.match(r.text, /登录过于频繁，请在 10 分钟后再试/);
  assert.ok(+r.headers.get('retry-after') > 540);
  assert.equal((await attempt('cadre', 'a wrong guess', '10.0.5.1')).status, 429, 'no password is checked at all');
  assert.equal((await attempt('cadre', DEMO_PASSWORD, '10.0.5.2')).status, 200);
  assert.ok(audit(srv, "outcome = 'denied' AND client_addr = '10.0.5.1'").some((e) => e.after.includes('"reason":"frequent"')));
});

test('issue 7.6: 30 parallel wrong passwords for one login get at most 5 password checks', async () => {
  const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => attempt('cadre', `parallel guess ${i}`, '10.0.6.1')));
  const by = (s) => answers.filter((r) => r.status === s).length;
  assert.equal(by(401) + by(429), 30, answers.map((r) => r.status).join(' '));
  assert.equal(by(401), 5);
  assert.equal(audit(srv, "outcome = 'failed' AND client_addr = '10.0.6.1'").length, 5, 'five checks recorded');
  assert.equal(count(srv, "SELECT count(*) FROM login_attempt WHERE addr = '10.0.6.1'"), 5);
});

test('ASVS 2.2.1: at most 100 failures an hour per account, from any number of addresses; then untrusted clients wait', async () => {
  pastFailures('unit', (i) => `10.7.${i >> 4}.${i & 15}`, 100);
  const r = await attempt('unit', DEMO_PASSWORD, '10.0.7.200');
  assert.equal(r.status, 429);
  assert.equal(r.json().error.message, '登录失败次数过多，请在 10 分钟后再试');
  assert.ok(audit(srv, "outcome = 'denied' AND client_addr = '10.0.7.200'").some((e) => e.after.includes('locked')));
  sql(srv.store, "UPDATE login_attempt SET at = at - 700 WHERE login = 'unit' AND addr LIKE '10.7.%'");
  assert.equal((await attempt('unit', DEMO_PASSWORD, '10.0.7.200')).status, 200);
});

test('issue 7.5 / OWASP device cookies: a browser that logged in before is not locked out by others; a stolen cookie is limited on its own', async () => {
  const devOf = (r) => r.headers.getSetCookie().find((c) => c.startsWith('jb_dev_'));
  const first = await attempt('admin', DEMO_PASSWORD, '10.0.8.1');
  assert.equal(first.status, 200);
  assert.match(devOf(first), /^jb_dev_[0-9a-f]{16}=\d+\.[0-9a-f]{32}\.[A-Za-z0-9_-]{43}; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Strict$/);
  const cookie = devOf(first).split(';')[0];
  // Others guess 100 times from many addresses, and 20 times from this one.
  pastFailures('admin', (i) => `10.8.${i >> 4}.${i & 15}`, 100);
  pastFailures('admin', () => '10.0.8.1', 20);
  assert.equal((await attempt('admin', DEMO_PASSWORD, '10.0.8.1')).status, 429, 'without the cookie: locked out');
  assert.equal((await attempt('admin', DEMO_PASSWORD, '10.0.8.9')).status, 429);
  const again = await attempt('admin', DEMO_PASSWORD, '10.0.8.1', { headers: { Cookie: cookie } });
  assert.equal(again.status, 200, 'with it: signed in');
  assert.notEqual(devOf(again).split(';')[0], cookie, 'a new device cookie at each log-in');
  // A forged cookie, or another login's, is not trusted.
  const forged = cookie.replace(/\.([0-9a-f])/, (_, h) => `.${h === 'a' ? 'b' : 'a'}`);
  assert.equal((await attempt('admin', DEMO_PASSWORD, '10.0.8.1', { headers: { Cookie: forged } })).status, 429);
  const leader = devOf(await attempt('leader', DEMO_PASSWORD, '10.0.8.2'));
  assert.equal((await attempt('admin', DEMO_PASSWORD, '10.0.8.1',
    { headers: { Cookie: cookie.replace(/=.*/, '=') + leader.split(';')[0].split('=')[1] } })).status, 429);
  // The cookie's own failures slow it down: a stolen cookie gives 5 guesses, then waits.
  for (let i = 0; i < 5; i++)
    assert.equal((await attempt('admin', `stolen cookie guess ${i}`, '10.0.9.1', { headers: { Cookie: cookie } })).status, 401);
  const r = await attempt('admin', DEMO_PASSWORD, '10.0.9.2', { headers: { Cookie: cookie } });
  assert.equal(r.status, 429);
  assert.equal(r.json().error.message, '登录失败次数过多，请在 1 分钟后再试');
  assert.equal(count(srv, "SELECT count(*) FROM login_attempt WHERE login = 'admin' AND device <> '' AND state = 'failed'"), 5);
});
