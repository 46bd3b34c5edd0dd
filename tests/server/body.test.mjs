// Request bodies by route (http/router.h, web/routes.c): each route reads
// the kinds of body it declares (a form, a JSON object, none) up to its own
// cap. A body over the cap is refused with 413 and a zh-CN message naming
// the cap, before any of it is read and before anything changes; one of a
// kind the route does not read is not parsed; the JSON handlers bind the
// object itself (no flattening into form pairs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, raw, validHtml } from './harness.mjs';
import { login, api, form, openSql } from './accounts.mjs';

let srv, conn, admin;
before(async () => {
  srv = await startServer();
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
});
after(async () => { conn.close(); await srv.stop(); });

const batches = async () => Number((await conn.query('SELECT count(*) FROM batch')).trim());
const postJson = (path, body, headers = {}) =>
  get(srv, path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

test('a log-in body over its 4 KiB cap is a 413 with a Chinese JSON error; no session is made', async () => {
  const body = JSON.stringify({ login: 'admin', password: 'jiebang-demo', pad: 'x'.repeat(5000) });
  const r = await postJson('/api/v1/session', body);
  assert.equal(r.status, 413);
  assert.equal(r.json().error.code, 'too_large');
  assert.match(r.json().error.message, /提交内容过大（此地址最多 4 KiB）/);
  assert.ok(r.json().error.request_id);
  assert.equal(r.headers.get('set-cookie'), null);
  // Just under the cap it is read as usual.
  const ok = await postJson('/api/v1/session', JSON.stringify({ login: 'admin', password: 'jiebang-demo', pad: 'x'.repeat(3900) }));
  assert.equal(ok.status, 200, ok.text);
});

test('the log-in form over its cap is a 413 page in Chinese', async () => {
  const r = await get(srv, '/login', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `login=admin&password=jiebang-demo&next=/${'a'.repeat(5000)}` });
  assert.equal(r.status, 413);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /提交内容过大/);
  assert.match(r.text, /此地址最多 4 KiB/);
  validHtml(r.text);
});

test('a batch of 12 KiB passes where the log-in would be refused; 17 KiB is over the batch cap', async () => {
  const before_ = await batches();
  const big = { name: '大批次', year: 2027, phase: 'collecting', note: '说明'.repeat(2000) }; // 12 KB of JSON, the note ignored
  const bytes = Buffer.byteLength(JSON.stringify(big));
  assert.ok(bytes > 12000 && bytes < 16 * 1024, `${bytes} bytes`);
  const ok = await api(srv, admin, 'POST', '/api/v1/batches', big);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json().batch.name, '大批次');
  const over = await api(srv, admin, 'POST', '/api/v1/batches', { ...big, name: '过大批次', note: 'x'.repeat(17 * 1024) });
  assert.equal(over.status, 413);
  assert.match(over.json().error.message, /此地址最多 16 KiB/);
  assert.equal(await batches(), before_ + 1, 'only the one within the cap was made');
});

test('a chunked body is held to the cap as it comes', async () => {
  const chunk = 'y'.repeat(8 * 1024);
  const out = await raw(srv, 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`, { end: true });
  assert.match(out, /^HTTP\/1\.1 413/);
  assert.match(out, /此地址最多 4 KiB/);
});

test('a route that reads no body refuses one; an empty one is fine', async () => {
  const out = await raw(srv, 'GET /stats HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello');
  assert.match(out, /^HTTP\/1\.1 413/);
  assert.match(out, /该地址不接受请求体/);
  const empty = await raw(srv, 'GET /stats HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  assert.match(empty, /^HTTP\/1\.1 200/);
});

test('a body of a kind the route does not read is not parsed: the handler sees no fields', async () => {
  // A form to the JSON log-in, JSON to the form log-in.
  const f = await get(srv, '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'login=admin&password=jiebang-demo' });
  assert.equal(f.status, 400);
  assert.equal(f.json().error.field, 'login');
  assert.equal(f.headers.get('set-cookie'), null);
  const j = await get(srv, '/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: 'jiebang-demo' }) });
  assert.equal(j.status, 400);
  assert.match(j.text, /请填写登录名/);
});

test('a JSON body must be one object without repeated members; any members bind, whatever else it holds', async () => {
  for (const body of ['[1]', '"admin"', '{"login":"admin","login":"x","password":"jiebang-demo"}', '{"login":', '{} {}']) {
    const r = await postJson('/api/v1/session', body);
    assert.equal(r.status, 400, body);
    assert.match(r.json().error.message, /JSON 对象/, body);
  }
  // Members the route does not bind are ignored, reals and nested objects too
  // (the flattening refused a body with a real number anywhere in it).
  const r = await postJson('/api/v1/session', JSON.stringify({ login: 'admin', password: 'jiebang-demo', x: 1.5, y: { z: [{}] } }));
  assert.equal(r.status, 200, r.text);
  // Every wrong field at once, each named.
  const both = await postJson('/api/v1/session', JSON.stringify({ login: { a: 1 } }));
  assert.equal(both.status, 400);
  assert.deepEqual(both.json().error.fields.map((e) => [e.field, e.code]), [['login', 'not_single'], ['password', 'missing_field']]);
});

test('roles bind from a JSON array of codes or repeated form fields alike; anything else is a bad role', async () => {
  const make = (body) => api(srv, admin, 'POST', '/api/v1/users', body);
  for (const role of [[1], [null], [{}], 'nosuch', ['cadre', 'nosuch']]) {
    const r = await make({ login: `r${Math.random().toString(36).slice(2, 8)}`, role });
    assert.equal(r.status, 400, JSON.stringify(role));
    assert.deepEqual([r.json().error.code, r.json().error.field], ['bad_role', 'role'], JSON.stringify(role));
  }
  const one = await make({ login: 'rolestring', role: 'cadre', unit: 6 });
  assert.equal(one.status, 201, one.text);
  assert.deepEqual(one.json().user.roles, ['cadre']);
  const f = await form(srv, admin, '/admin/users', [['login', 'roleform'], ['role', 'cadre'], ['role', 'leader'], ['unit', '6']]);
  assert.equal(f.status, 201, f.text.slice(0, 300));
  const u = await api(srv, admin, 'GET', '/api/v1/users?page=1');
  assert.deepEqual(u.json().items.find((x) => x.login === 'roleform').roles.sort(), ['cadre', 'leader']);
});

test('a JSON body may carry the CSRF token as its "csrf" member, as a form carries its field', async () => {
  const sess = { cookie: admin.cookie };
  const none = await api(srv, sess, 'POST', '/api/v1/tokens', { name: 'no token' });
  assert.equal(none.status, 403);
  const ok = await api(srv, sess, 'POST', '/api/v1/tokens', { name: 'in the body', csrf: admin.csrf });
  assert.equal(ok.status, 201, ok.text);
});
