// Password guessing is slowed, then locked, per login and per address,
// with counts in the store (ASVS 2.2.1). The server trusts X-Forwarded-For
// (JIEBANG_TRUST_PROXY=1, as behind nginx) so each test is its own address.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, sql } from './harness.mjs';
import { DEMO_PASSWORD, audit, count } from './accounts.mjs';

let srv;
before(async () => { srv = await startServer({ env: { JIEBANG_TRUST_PROXY: '1' } }); });
after(async () => { await srv.stop(); });

function attempt(login, password, addr, { page = false } = {}) {
  const headers = { 'X-Forwarded-For': `203.0.113.9, ${addr}` };
  if (page)
    return get(srv, '/login', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login, password }).toString() });
  return get(srv, '/api/v1/session', { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }) });
}

test('ASVS 2.2.1: after 5 failures a login must wait, told in minutes; unknown and known logins alike', async () => {
  for (const name of ['leader', 'nobody-here']) {
    for (let i = 0; i < 5; i++) {
      const r = await attempt(name, 'a wrong guess ' + i, `10.0.0.${i + 1}`);
      assert.equal(r.status, 401, `${name} #${i + 1}`);
      assert.equal(r.json().error.message, '登录名或密码不正确');
    }
    const r = await attempt(name, 'a wrong guess 6', '10.0.0.99');
    assert.equal(r.status, 429, name);
    assert.equal(r.json().error.code, 'throttled');
    assert.equal(r.json().error.message, '登录失败次数过多，请在 1 分钟后再试');
    const ra = +r.headers.get('retry-after');
    assert.ok(ra > 0 && ra <= 60, `Retry-After ${ra}`);
  }
  // Even the right password waits: it is not checked while throttled.
  const right = await attempt('leader', DEMO_PASSWORD, '10.0.0.100', { page: true });
  assert.equal(right.status, 429);
  assert.match(right.text, /请在 1 分钟后再试/);
  assert.equal(count(srv, "SELECT count(*) FROM user_session WHERE user_id = (SELECT id FROM app_user WHERE login = 'leader')"), 0);
  // The delay grows with each failure after the fifth.
  sql(srv.store, "UPDATE login_failure SET at = at - 61 WHERE subject = 'leader'");
  assert.equal((await attempt('leader', 'still wrong', '10.0.0.101')).status, 401);
  const r = await attempt('leader', 'still wrong', '10.0.0.102');
  assert.equal(r.status, 429);
  assert.equal(r.json().error.message, '登录失败次数过多，请在 2 分钟后再试');
  // When the window has passed, the right password works and clears the count.
  sql(srv.store, "UPDATE login_failure SET at = at - 900 WHERE subject = 'leader'");
  assert.equal((await attempt('leader', DEMO_PASSWORD, '10.0.0.103')).status, 200);
  assert.equal(count(srv, "SELECT count(*) FROM login_failure WHERE kind = 'login' AND subject = 'leader'"), 0);
  // Refusals are in the audit log, and the failures, with the forwarded address.
  const denied = audit(srv, "outcome = 'denied' AND action = 'session.create'");
  assert.ok(denied.some((e) => e.after.includes('"login":"leader"') && e.after.includes('throttled') && e.client_addr === '10.0.0.100'));
  assert.ok(audit(srv, "outcome = 'failed'").some((e) => e.client_addr === '10.0.0.3'));
});

test('ASVS 2.2.1: 20 failures within an hour lock a login until the hour has passed', async () => {
  const now = Math.floor(Date.now() / 1000);
  // 20 failures between 50 and 16 minutes ago: none within the last 15
  // minutes, so only the lock can refuse.
  const rows = [];
  for (let i = 0; i < 20; i++) rows.push(`(1, 'login', 'evaluator', ${now - 3000 + i * 100})`);
  sql(srv.store, `INSERT INTO login_failure (tenant_id, kind, subject, at) VALUES ${rows.join(', ')}`);
  const r = await attempt('evaluator', DEMO_PASSWORD, '10.0.1.1');
  assert.equal(r.status, 429);
  assert.equal(r.json().error.message, '登录失败次数过多，请在 10 分钟后再试');
  const denied = audit(srv, "outcome = 'denied'");
  assert.ok(denied.some((e) => e.after.includes('"login":"evaluator"') && e.after.includes('locked')));
  // Another login from the same address is not locked.
  assert.equal((await attempt('cadre', DEMO_PASSWORD, '10.0.1.1')).status, 200);
  // Once the oldest failure is an hour old the lock is gone.
  sql(srv.store, "UPDATE login_failure SET at = at - 700 WHERE subject = 'evaluator'");
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
