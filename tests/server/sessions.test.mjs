// sessions.test.mjs - "my sessions" (issue 13 §5, ASVS 3.3.4): a user sees
// each of their live sessions (browser, address, times, which is this one)
// on the account page and in the API, and ends any of them or all others;
// an ended session no longer signs anyone in; nobody ends another's; every
// end is audited; a bad id is refused and changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, validHtml } from './harness.mjs';
import { login, api, form, page, freshUser } from './accounts.mjs';

let srv;
before(async () => { srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } }); });
after(() => srv?.stop());

const live = async (s) => (await api(srv, s, 'GET', '/api/v1/me')).status;

test('a user lists their sessions and ends one, then all the others', async () => {
  const u = await freshUser(srv, 'sess', ['cadre']);
  const a = u.session;
  const b = await login(srv, 'sess', u.password);
  const c = await login(srv, 'sess', u.password);
  let list = (await api(srv, a, 'GET', '/api/v1/me/sessions')).json().items;
  assert.equal(list.length, 3);
  assert.equal(list.filter((s) => s.current).length, 1);
  for (const s of list) assert.match(s.id, /^[0-9a-f]{16}$/);
  const p = await page(srv, a, '/account');
  assert.equal(p.status, 200);
  validHtml(p.text);
  assert.match(p.text, /登录会话/);
  assert.match(p.text, /当前会话/);
  assert.equal((p.text.match(/\/account\/sessions\/[0-9a-f]{16}\/end/g) || []).length, 2);

  // end b's session from a, by the page's form
  const bid = (await api(srv, b, 'GET', '/api/v1/me/sessions')).json().items.find((s) => s.current).id;
  const r = await form(srv, a, `/account/sessions/${bid}/end`, {});
  assert.equal(r.status, 303);
  assert.equal(await live(b), 401);
  assert.equal(await live(a), 200);
  assert.match(sql(srv.store, "SELECT after_json FROM audit_event WHERE action = 'session.end' ORDER BY id DESC LIMIT 1"), new RegExp(bid));
  // the others, by the API
  const e = await api(srv, a, 'DELETE', '/api/v1/me/sessions/others');
  assert.equal(e.status, 200, e.text);
  assert.equal(e.json().ended, 1);
  assert.equal(await live(c), 401);
  assert.equal(await live(a), 200);
  list = (await api(srv, a, 'GET', '/api/v1/me/sessions')).json().items;
  assert.deepEqual(list.map((s) => s.current), [true]);
});

test('nobody ends another user\'s session; a bad id is 400; an unknown one 404; nothing changes', async () => {
  const x = await freshUser(srv, 'sessx', ['cadre']);
  const y = await freshUser(srv, 'sessy', ['cadre']);
  const yid = (await api(srv, y.session, 'GET', '/api/v1/me/sessions')).json().items[0].id;
  const n = sql(srv.store, 'SELECT count(*) FROM user_session');
  assert.equal((await api(srv, x.session, 'DELETE', `/api/v1/me/sessions/${yid}`)).status, 404);
  for (const bad of ['zz', '0123456789abcdeg', '0123456789ABCDEF', "1' OR '1'='1"]) {
    const r = await api(srv, x.session, 'DELETE', `/api/v1/me/sessions/${encodeURIComponent(bad)}`);
    assert.equal(r.status, 400, bad);
    assert.match(r.text, /会话编号/);
  }
  assert.equal(sql(srv.store, 'SELECT count(*) FROM user_session'), n);
  assert.equal(await live(y.session), 200);
  assert.equal((await api(srv, null, 'GET', '/api/v1/me/sessions')).status, 401);
});

test('two sessions ending the same third at once: exactly one ends it, the other gets a 404', async () => {
  const u = await freshUser(srv, 'sessz', ['cadre']);
  const b = await login(srv, 'sessz', u.password);
  const c = await login(srv, 'sessz', u.password);
  const cid = (await api(srv, c, 'GET', '/api/v1/me/sessions')).json().items.find((s) => s.current).id;
  const n = +sql(srv.store, "SELECT count(*) FROM audit_event WHERE action = 'session.end'");
  const rs = await Promise.all([u.session, b].map((s) => api(srv, s, 'DELETE', `/api/v1/me/sessions/${cid}`)));
  assert.deepEqual(rs.map((r) => r.status).sort(), [200, 404], rs.map((r) => r.text).join(' '));
  assert.equal(+sql(srv.store, "SELECT count(*) FROM audit_event WHERE action = 'session.end'"), n + 1);
  assert.equal(await live(c), 401);
});
