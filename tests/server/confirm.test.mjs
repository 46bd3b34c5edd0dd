// Dangerous changes ask first: disabling an account, resetting a password
// and revoking an API token, posted from a page without confirm=1, answer
// with a question and change nothing; the question's red button posts
// confirm=1 to the same path. API calls do not ask. Someone who may not
// make the change is refused (403), not asked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, validHtml } from './harness.mjs';
import { login, form, api, page, snapshotOn, openSql, cliToken } from './accounts.mjs';

let srv, conn, admin, adminBearer, seq = 0;
before(async () => {
  srv = await startServer();
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  adminBearer = { bearer: cliToken(srv, 'admin') };
});
after(async () => { conn.close(); await srv.stop(); });

async function mkUser() {
  const r = await api(srv, adminBearer, 'POST', '/api/v1/users', { login: `c${++seq}`, role: ['cadre'], unit: 6 });
  assert.equal(r.status, 201, r.text);
  return r.json().user;
}

async function tokenOf(u) {
  cliToken(srv, u.login);
  return +(await conn.query(`SELECT max(id) FROM api_token WHERE tenant_id = 1 AND user_id = ${u.id}`)).trim();
}

// [what, path of the change, the question, the red button, the cancel link]
const cases = [
  ['disable', (u) => `/admin/users/${u.id}/disable`, (u) => `确定要停用账号 <strong>${u.login}</strong> 吗？`, '停用账号', (u) => `/admin/users/${u.id}`],
  ['reset the password', (u) => `/admin/users/${u.id}/reset-password`, (u) => `确定要重置账号 <strong>${u.login}</strong> 的密码吗？`, '重置密码', (u) => `/admin/users/${u.id}`],
  ['revoke a token', (u) => `/account/tokens/${u.token}/revoke`, () => '确定要撤销 API 令牌 <strong>cli</strong> 吗？', '撤销令牌', (u) => `/admin/users/${u.id}`],
];

for (const [what, path, question, button, back] of cases) {
  test(`${what} from a page without confirm=1 shows a question and changes nothing; with it, acts`, async () => {
    const u = await mkUser();
    u.token = await tokenOf(u);
    const before_ = await snapshotOn(conn);
    const r = await form(srv, admin, path(u));
    assert.equal(r.status, 200, r.text.slice(0, 300));
    validHtml(r.text);
    assert.ok(r.text.includes(question(u)), `${what}: the question names the subject`);
    const f = r.text.match(/<form class="actions" method="post" action="([^"]+)">(.*?)<\/form>/s);
    assert.ok(f, 'a form that confirms');
    assert.equal(f[1], path(u), 'it posts to the same path');
    assert.match(f[2], /<input type="hidden" name="csrf" value="[^"]+">/);
    assert.match(f[2], /<input type="hidden" name="confirm" value="1">/);
    assert.ok(f[2].includes(`<button type="submit" class="danger solid">${button}</button>`), 'a red button');
    assert.ok(f[2].includes(`<a class="cancel" href="${back(u)}">取消</a>`), 'a cancel link');
    assert.equal(await snapshotOn(conn), before_, `${what}: nothing changed`);
    // confirm=0 or anything but 1 asks again
    assert.equal((await form(srv, admin, path(u), { confirm: 'yes' })).status, 200);
    assert.equal(await snapshotOn(conn), before_);

    const ok = await form(srv, admin, path(u), { confirm: '1' });
    assert.ok([200, 303].includes(ok.status), ok.text.slice(0, 300));
    assert.notEqual(await snapshotOn(conn), before_, `${what}: with confirm=1 it happened`);
  });
}

test('the API does not ask: disable, reset and revoke act at once', async () => {
  const u = await mkUser();
  const t = await tokenOf(u);
  assert.equal((await api(srv, admin, 'DELETE', `/api/v1/tokens/${t}`)).status, 200);
  const reset = await api(srv, admin, 'POST', `/api/v1/users/${u.id}/reset-password`, {});
  assert.equal(reset.status, 200);
  assert.ok(reset.json().initial_password);
  assert.equal((await api(srv, admin, 'POST', `/api/v1/users/${u.id}/disable`, {})).status, 200);
  assert.equal((await conn.query(`SELECT disabled FROM app_user WHERE id = ${u.id}`)).trim(), '1');
});

test('who may not make the change is refused, not asked', async () => {
  const u = await mkUser();
  const t = await tokenOf(u);
  const leader = await login(srv, 'leader');
  for (const p of [`/admin/users/${u.id}/disable`, `/admin/users/${u.id}/reset-password`, `/account/tokens/${t}/revoke`]) {
    const r = await form(srv, leader, p);
    assert.equal(r.status, 403, p);
    assert.doesNotMatch(r.text, /确定要/, p);
  }
});

test('enabling an account needs no confirmation', async () => {
  const u = await mkUser();
  assert.equal((await api(srv, adminBearer, 'POST', `/api/v1/users/${u.id}/disable`, {})).status, 200);
  assert.equal((await form(srv, admin, `/admin/users/${u.id}/enable`)).status, 303);
  assert.equal((await conn.query(`SELECT disabled FROM app_user WHERE id = ${u.id}`)).trim(), '0');
});

test('the dangerous buttons are marked as such; the others are not', async () => {
  const u = await mkUser();
  await tokenOf(u);
  const p = await page(srv, admin, `/admin/users/${u.id}`);
  assert.equal(p.status, 200);
  for (const b of ['停用账号', '重置密码', '撤销'])
    assert.ok(p.text.includes(`<button type="submit" class="danger">${b}</button>`), b);
  for (const b of ['保存角色', '保存关联'])
    assert.ok(p.text.includes(`<button type="submit">${b}</button>`), b);
});
