// Cross-site request forgery: every state-changing form and cookie API call
// needs the session's CSRF token, and unsafe methods must come from this
// site (Origin, else Referer). ASVS 4.2.2 / 3.5.x.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, validHtml } from './harness.mjs';
import { DEMO_PASSWORD, login, form, api, snapshotOn, auditOn, openSql, cliToken } from './accounts.mjs';

let srv, admin, conn;
before(async () => {
  srv = await startServer();
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
});
after(async () => { conn.close(); await srv.stop(); });

const changes = [
  ['/account/tokens', { name: 'x' }],
  ['/admin/users', [['login', 'csrfvictim'], ['role', 'admin']]],
  ['/admin/users/3/disable', { confirm: '1' }],
  ['/admin/users/3/roles', [['role', 'admin']]],
  ['/admin/users/3/reset-password', { confirm: '1' }],
  ['/account/password', { current_password: DEMO_PASSWORD, new_password: 'attacker chosen phrase' }],
  ['/logout', {}],
];

test('ASVS 4.2.2: a form without the CSRF token, or with a wrong one, is refused and changes nothing', async () => {
  const other = await login(srv, 'leader');
  for (const [path, fields] of changes) {
    for (const [how, extra] of [['missing', []], ['wrong', [['csrf', 'A'.repeat(43)]]], ["another session's", [['csrf', other.csrf]]], ['empty', [['csrf', '']]]]) {
      const before_ = await snapshotOn(conn);
      const list = [...(Array.isArray(fields) ? fields : Object.entries(fields)), ...extra];
      const r = await form(srv, admin, path, list, { csrf: false });
      assert.equal(r.status, 403, `${path} ${how}`);
      assert.match(r.text, /表单已过期或来源无法确认/);
      validHtml(r.text);
      assert.equal(await snapshotOn(conn), before_, `${path} ${how}: nothing changed`);
      const last = (await auditOn(conn, "outcome = 'denied'"))[0];
      assert.equal(last.actor, 'admin');
      assert.match(last.after, /"reason":"csrf"/);
    }
  }
  assert.equal((await api(srv, admin, 'GET', '/api/v1/me')).status, 200, 'still logged in: the log-out was refused too');
});

test('ASVS 4.2.2: API calls with the session cookie need X-CSRF-Token; bearer tokens do not', async () => {
  const before_ = await snapshotOn(conn);
  for (const headers of [{}, { 'X-CSRF-Token': 'nope' }]) {
    const r = await api(srv, admin, 'POST', '/api/v1/tokens', { name: 'x' }, { csrf: false, headers });
    assert.equal(r.status, 403);
    assert.equal(r.json().error.code, 'csrf');
    const d = await api(srv, admin, 'DELETE', '/api/v1/session', undefined, { csrf: false, headers });
    assert.equal(d.status, 403);
  }
  assert.equal(await snapshotOn(conn), before_);
  assert.equal((await api(srv, admin, 'POST', '/api/v1/tokens', { name: 'with header' })).status, 201);
  const bearer = { bearer: cliToken(srv, 'admin') };
  assert.equal((await api(srv, bearer, 'POST', '/api/v1/tokens', { name: 'by script' })).status, 201);
});

test('ASVS 4.2.2: a request from another site is refused by its Origin or Referer, even with the token', async () => {
  const evil = [
    { Origin: 'https://evil.example' },
    { Origin: 'null' },
    { Origin: `http://127.0.0.1:${srv.port}.evil.example` },
    { Origin: `http://127.0.0.1:${srv.port + 1}` },
    { Referer: 'https://evil.example/page' },
  ];
  for (const headers of evil) {
    const before_ = await snapshotOn(conn);
    const r = await form(srv, admin, '/account/tokens', { name: 'x' }, { headers });
    assert.equal(r.status, 403, JSON.stringify(headers));
    assert.match(r.text, /请求来自其他网站/);
    const j = await api(srv, admin, 'POST', '/api/v1/tokens', { name: 'x' }, { headers });
    assert.equal(j.status, 403);
    assert.equal(j.json().error.code, 'bad_origin');
    assert.equal(await snapshotOn(conn), before_);
  }
  assert.match((await auditOn(conn, "outcome = 'denied'"))[0].after, /"reason":"origin"/);
  // Log-in CSRF: a foreign page cannot log a visitor in to another account.
  const li = await get(srv, '/login', { method: 'POST', headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'login=admin&password=jiebang-demo' });
  assert.equal(li.status, 403);
  assert.equal(li.headers.get('set-cookie'), null);
  // Our own origin passes.
  for (const headers of [{ Origin: `http://127.0.0.1:${srv.port}` }, { Referer: `http://127.0.0.1:${srv.port}/account` }]) {
    const r = await form(srv, admin, '/account/tokens', { name: 'same site' }, { headers });
    assert.equal(r.status, 201, JSON.stringify(headers));
  }
  // Reading is never refused for its origin.
  assert.equal((await get(srv, '/', { headers: { Origin: 'https://evil.example' } })).status, 200);
});

test('ASVS 3.2.1 / 4.2.2: the CSRF token belongs to one session; a new log-in gets a new one', async () => {
  const a = await login(srv, 'cadre');
  const b = await login(srv, 'cadre');
  assert.notEqual(a.csrf, b.csrf);
  const r = await form(srv, { ...b, csrf: a.csrf }, '/account/tokens', { name: 'x' });
  assert.equal(r.status, 403);
  assert.equal((await form(srv, b, '/account/tokens', { name: 'x' })).status, 201);
});
