// The audit log: every change, log-in, log-out, failed log-in and refusal
// is an entry with who, what, when, before/after and the client address;
// the admin page lists and filters it; nothing edits or deletes entries.
// ASVS 7.1.1, 7.1.3, 7.2.1, 7.2.2, 7.3.1 (and 7.3.3 in spirit: append only).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, get, validHtml, sql, run } from './harness.mjs';
import { DEMO_PASSWORD, login, form, api, page, audit, count, cliToken } from './accounts.mjs';

let srv, admin, bearer;
before(async () => {
  srv = await startServer();
  admin = await login(srv, 'admin');
  bearer = { bearer: cliToken(srv, 'admin') };
});
after(async () => { await srv.stop(); });

const last = (where) => audit(srv, where)[0];
const now = () => Math.floor(Date.now() / 1000);

test('ASVS 7.1.3 / 7.2.2: every account change writes who, what, when, before and after, and from where', async () => {
  const made = await api(srv, admin, 'POST', '/api/v1/users', { login: 'audited', role: 'cadre', unit: 6 });
  assert.equal(made.status, 201);
  const id = made.json().user.id;
  const expect = [
    ['user.create', null, { login: 'audited', roles: ['cadre'], unit_id: 6, must_change: true, disabled: false, person_id: null }],
  ];
  let e = last(`action = 'user.create' AND object_id = ${id}`);
  assert.equal(e.actor, 'admin');
  assert.equal(e.object_type, 'user');
  assert.equal(e.outcome, 'ok');
  assert.equal(e.client_addr, '127.0.0.1');
  assert.ok(Math.abs(e.at - now()) < 60);
  assert.equal(e.before, '');
  assert.deepEqual(JSON.parse(e.after), expect[0][2]);

  const steps = [
    [`/api/v1/users/${id}/disable`, {}, 'user.disable', { disabled: false }, { disabled: true }],
    [`/api/v1/users/${id}/enable`, {}, 'user.enable', { disabled: true }, { disabled: false }],
    [`/api/v1/users/${id}/roles`, { role: ['cadre', 'evaluator'] }, 'user.roles', { roles: ['cadre'] }, { roles: ['cadre', 'evaluator'] }],
    [`/api/v1/users/${id}/link`, { unit: 18 }, 'user.link', { person_id: null, unit_id: 6 }, { person_id: null, unit_id: 18 }],
    [`/api/v1/users/${id}/reset-password`, {}, 'user.password_reset', { must_change: true }, { must_change: true }],
  ];
  for (const [path, body, action, b, a] of steps) {
    const r = await api(srv, admin, 'POST', path, body);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    e = last(`object_type = 'user' AND object_id = ${id} AND outcome = 'ok'`);
    assert.equal(e.action, action);
    assert.equal(e.actor, 'admin');
    assert.deepEqual(JSON.parse(e.before), b, action);
    assert.deepEqual(JSON.parse(e.after), a, action);
  }
  // Tokens, and changes by the command line ("cli", no address).
  const t = await api(srv, admin, 'POST', '/api/v1/tokens', { name: '审计' });
  e = last("action = 'token.create'");
  assert.equal(e.object_id, t.json().id);
  assert.deepEqual(JSON.parse(e.after), { name: '审计', user_id: admin.user.id });
  await api(srv, admin, 'DELETE', `/api/v1/tokens/${t.json().id}`);
  e = last("action = 'token.revoke'");
  assert.deepEqual([JSON.parse(e.before), JSON.parse(e.after)], [{ revoked: false }, { revoked: true }]);
  e = audit(srv, "action = 'token.create' AND actor = 'cli'")[0];
  assert.equal(e.client_addr, '');
});

test('ASVS 7.2.1: log-in, log-out and failed log-ins are entries', async () => {
  const s = await login(srv, 'evaluator');
  let e = last("action = 'session.create' AND outcome = 'ok'");
  assert.equal(e.actor, 'evaluator');
  assert.equal(e.object_id, s.user.id);
  await api(srv, s, 'DELETE', '/api/v1/session');
  e = last("action = 'session.delete'");
  assert.equal(e.actor, 'evaluator');
  await login(srv, 'evaluator', 'a wrong password');
  e = last("outcome = 'failed'");
  assert.equal(e.action, 'session.create');
  assert.equal(e.actor, 'anonymous');
  assert.deepEqual(JSON.parse(e.after), { login: 'evaluator', reason: 'password' });
});

test('ASVS 7.2.2 / 4.1.x: refused actions are entries with the reason', async () => {
  const cadre = await login(srv, 'cadre');
  const r = await api(srv, cadre, 'POST', '/api/v1/users/1/disable', {});
  assert.equal(r.status, 403);
  let e = last("outcome = 'denied'");
  assert.deepEqual([e.actor, e.action, e.object_type, e.object_id], ['cadre', 'user.manage', 'user', 1]);
  assert.deepEqual(JSON.parse(e.after), { reason: 'permission' });
  await page(srv, cadre, '/admin/audit');
  e = last("outcome = 'denied'");
  assert.equal(e.action, 'audit.read');
  const anon = await get(srv, '/api/v1/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(anon.status, 401);
  e = last("outcome = 'denied'");
  assert.deepEqual([e.actor, e.action], ['anonymous', 'token.manage']);
  assert.deepEqual(JSON.parse(e.after), { reason: 'login' });
});

test('ASVS 7.1.1: no password, token or hash ever reaches the log', async () => {
  const t = (await api(srv, admin, 'POST', '/api/v1/tokens', { name: 'secret test' })).json().token;
  const reset = (await api(srv, admin, 'POST', '/api/v1/users/3/reset-password', {})).json().initial_password;
  await login(srv, 'leader', 'my secret guess 42');
  const all = sql(srv.store, "SELECT coalesce(before_json, '') || coalesce(after_json, '') || actor || client_addr FROM audit_event");
  for (const secret of [DEMO_PASSWORD, t, t.slice(3), reset, 'my secret guess', admin.token, admin.csrf, '$argon2id'])
    assert.ok(!all.includes(secret), `no ${secret.slice(0, 12)}… in the audit log`);
  for (const h of sql(srv.store, 'SELECT token_hash FROM user_session UNION ALL SELECT token_hash FROM api_token').trim().split('\n'))
    assert.ok(!all.includes(h));
  assert.ok(!srv.log().includes(DEMO_PASSWORD) && !srv.log().includes(t.slice(3)) && !srv.log().includes(admin.token),
    'nor the server log');
});

test('ASVS 7.3.1: a hostile login name cannot forge log lines or entries', async () => {
  const evil = 'x\n2026-01-01T00:00:00.000Z info req=forged GET / 200';
  const r = await get(srv, '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: evil.slice(0, 60), password: 'whatever it is' }) });
  assert.equal(r.status, 401);
  const e = last("outcome = 'failed'");
  assert.equal(JSON.parse(e.after).login, evil.slice(0, 60).toLowerCase(), 'kept (folded), as JSON');
  assert.ok(!srv.log().split('\n').some((l) => l.includes('req=forged') && !l.includes('\\x0a')));
});

test('ASVS 7.1.3: a failed change writes no entry: the entry and the change commit together', async () => {
  const n = count(srv, "SELECT count(*) FROM audit_event WHERE action = 'user.create'");
  const r = await api(srv, admin, 'POST', '/api/v1/users', { login: 'admin', role: 'cadre' });
  assert.equal(r.status, 409);
  assert.equal(count(srv, "SELECT count(*) FROM audit_event WHERE action = 'user.create'"), n);
});

test('ASVS 7.1.3 / 7.2.2: the audit page lists newest first, filters by actor, action, object and dates, and pages', async () => {
  for (let i = 0; i < 60; i++) await api(srv, bearer, 'POST', '/api/v1/tokens', { name: `bulk ${i}` });
  const p1 = await page(srv, admin, '/admin/audit');
  assert.equal(p1.status, 200);
  validHtml(p1.text);
  assert.equal((p1.text.match(/<tr><td[ >]/g) || []).length, 50);
  const more = p1.text.match(/href="(\/admin\/audit\?before=\d+)"/);
  assert.ok(more, 'a link to older entries');
  const p2 = await page(srv, admin, more[1].replace(/&amp;/g, '&'));
  assert.equal(p2.status, 200);
  assert.ok((p2.text.match(/<tr><td[ >]/g) || []).length > 0);

  const api1 = (await api(srv, admin, 'GET', '/api/v1/audit?action=token.create')).json();
  assert.equal(api1.items.length, 50);
  assert.ok(api1.items.every((e) => e.action === 'token.create'));
  assert.ok(api1.items[0].id > api1.items[49].id, 'newest first');
  const api2 = (await api(srv, admin, 'GET', `/api/v1/audit?action=token.create&before=${api1.next_before}`)).json();
  assert.ok(api2.items.length > 0 && api2.items.every((e) => e.id < api1.next_before));
  const byPrefix = (await api(srv, admin, 'GET', '/api/v1/audit?action=user.')).json().items;
  assert.ok(byPrefix.length > 0 && byPrefix.every((e) => e.action.startsWith('user.')));
  const byActor = (await api(srv, admin, 'GET', '/api/v1/audit?actor=cadre')).json().items;
  assert.ok(byActor.length > 0 && byActor.every((e) => e.actor === 'cadre'));
  const byObject = (await api(srv, admin, 'GET', '/api/v1/audit?object=user&object_id=1')).json().items;
  assert.ok(byObject.length > 0 && byObject.every((e) => e.object_type === 'user' && e.object_id === 1));
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  assert.ok((await api(srv, admin, 'GET', `/api/v1/audit?from=${today}&to=${today}`)).json().items.length > 0);
  assert.equal((await api(srv, admin, 'GET', '/api/v1/audit?to=2020-01-01')).json().items.length, 0);
  assert.equal((await api(srv, admin, 'GET', '/api/v1/audit?from=2099-01-01')).json().items.length, 0);
  const filtered = await page(srv, admin, '/admin/audit?actor=cadre&action=user.manage');
  assert.match(filtered.text, /管理用户/);
  assert.match(filtered.text, /拒绝/);
  validHtml(filtered.text);
  for (const bad of ['from=2022-13-01', 'to=yesterday', 'before=-1', 'object_id=x', `actor=${'a'.repeat(65)}`]) {
    const r = await api(srv, admin, 'GET', `/api/v1/audit?${bad}`);
    assert.equal(r.status, 400, bad);
  }
});

test('ASVS 7.3.3: nothing in the application edits or deletes an audit entry', async () => {
  const n = count(srv, 'SELECT count(*) FROM audit_event');
  for (const [method, path] of [['POST', '/admin/audit'], ['DELETE', '/admin/audit'], ['PUT', '/api/v1/audit'], ['DELETE', '/api/v1/audit'],
    ['DELETE', '/api/v1/audit/1'], ['PATCH', '/api/v1/audit/1'], ['POST', '/admin/audit/1/delete']]) {
    const r = await api(srv, admin, method, path, method === 'DELETE' ? undefined : {});
    assert.ok([404, 405].includes(r.status), `${method} ${path}: ${r.status}`);
  }
  // Refusals of those are not changes; entries only grow.
  assert.ok(count(srv, 'SELECT count(*) FROM audit_event') >= n);
  assert.equal(count(srv, `SELECT count(*) FROM audit_event WHERE id <= ${n}`), n);
  const g = spawnSync('grep', ['-rniE', '(UPDATE|DELETE FROM|TRUNCATE)( TABLE)? +audit_event', 'src'], { encoding: 'utf8' });
  // but for the one that hashes, once, an entry from before the chain
  const hits = g.stdout.split('\n').filter(Boolean);
  assert.equal(hits.length, 1, g.stdout);
  assert.match(hits[0], /^src\/domain\/audit_chain\.c:.*UPDATE audit_event SET hash = \$3 WHERE tenant_id = \$1 AND id = \$2 AND hash = ''/);
});

test('ASVS 7.3.3: the log is a hash chain; audit verify names the first entry changed in the store', async () => {
  const verify = () => run(['audit', 'verify', '--db', srv.store]);
  let v = verify();
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^tenant 1: (\d+) entries, chain holds; head entry (\d+) [0-9a-f]{64}$/m);
  const head = +v.stdout.match(/head entry (\d+)/)[1];
  assert.equal(head, count(srv, 'SELECT max(id) FROM audit_event WHERE tenant_id = 1'));
  // a write through the application links on
  await login(srv, 'evaluator', 'a wrong password');
  v = verify();
  assert.equal(v.status, 0, v.stdout);
  assert.ok(+v.stdout.match(/head entry (\d+)/)[1] > head);
  // an entry changed in the store, as someone with the database might
  const was = sql(srv.store, 'SELECT actor FROM audit_event WHERE tenant_id = 1 AND id = 5').trim();
  sql(srv.store, "UPDATE audit_event SET actor = 'nobody' WHERE tenant_id = 1 AND id = 5");
  v = verify();
  assert.equal(v.status, 1);
  assert.match(v.stdout, /^tenant 1: \d+ entries, BROKEN at entry 5 /m);
  sql(srv.store, `UPDATE audit_event SET actor = '${was}' WHERE tenant_id = 1 AND id = 5`);
  assert.equal(verify().status, 0);
  assert.equal(run(['audit', 'check', '--db', srv.store]).status, 2);
});
