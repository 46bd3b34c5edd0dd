// robots.test.mjs - 钉钉 / 企业微信 group robots and webhooks (issue 12 §4):
// a fake robot server on 127.0.0.1 checks the DingTalk signature and
// markdown body, the WeCom body, the webhook's HMAC header and delivery id;
// errors first, to see the retries and their backoff; a dead letter and its
// 重新发送; and restarts mid-delivery: SIGTERM lets the POST in flight finish
// and never sends it again, kill -9 sends it again with the same delivery id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { startServer, freePort, get, validHtml, BIN } from './harness.mjs';
import { login, form, api, page, openSql, cliToken } from './accounts.mjs';
import { mkClaim, day, ymd } from './claims_fixture.mjs';

const ENV = {
  JIEBANG_WEBHOOK_ALLOW_PRIVATE: '1', JIEBANG_OUTBOX_BACKOFF_MS: '200', JIEBANG_OUTBOX_POLL_MS: '50',
  JIEBANG_OUTBOX_TIMEOUT_MS: '2000', JIEBANG_OUTBOX_ATTEMPTS: '3', JIEBANG_PUBLIC_URL: 'https://jb.example.gov.cn/',
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The fake robot: every request is recorded; answer(req) decides the reply
// (a promise may hold it).
const got = [];
let answer = () => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } });
let fake, fakeUrl;

async function until(what, fn, ms = 15000) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// Serve again on srv's data and store (the first server's process gone).
async function serveAgain(srv) {
  const port = await freePort();
  let log = '';
  const child = spawn(BIN, ['serve', '--data', srv.dir, '--db', srv.store, '--port', String(port)],
    { env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
  const url = `http://127.0.0.1:${port}`;
  await until('the server', async () => { try { return (await fetch(url + '/healthz')).status === 200; } catch { return false; } });
  return { ...srv, url, port, child, exited, log: () => log };
}

let srv, conn, admin, bearer, batchId;

before(async () => {
  fake = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      const u = new URL(req.url, 'http://x');
      const rec = { path: u.pathname, query: u.searchParams, headers: req.headers, body, at: Date.now() };
      got.push(rec);
      const a = await answer(rec);
      res.writeHead(a.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(a.body ?? {}));
    });
  });
  await new Promise((r) => fake.listen(0, '127.0.0.1', r));
  fakeUrl = `http://127.0.0.1:${fake.address().port}`;
  srv = await startServer({ env: ENV });
  srv.exited = new Promise((resolve) => srv.child.on('exit', (code, sig) => resolve({ code, sig })));
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  bearer = { bearer: cliToken(srv, 'admin') };
  const b = await api(srv, bearer, 'POST', '/api/v1/batches', { name: '推送测试批次', year: 2027, phase: 'collecting' });
  assert.equal(b.status, 201, b.text);
  batchId = b.json().batch.id;
});
after(async () => {
  conn.close();
  fake.close();
  if (srv.child.exitCode === null) srv.child.kill('SIGTERM');
  await srv.exited;
  rmSync(srv.dir, { recursive: true, force: true });
});

const q1 = async (text) => (await conn.query(text)).trim();

async function addRobot(fields) {
  const list = [['kind', fields.kind], ['name', fields.name], ['url', fields.url], ['secret', fields.secret ?? ''], ['enabled', '1'],
    ...(fields.events ?? []).map((e) => ['events', e])];
  const r = await form(srv, admin, '/admin/robots', list);
  assert.equal(r.status, 303, r.text.slice(0, 2000));
  return +(await q1(`SELECT max(id) FROM robot WHERE tenant_id = 1 AND name = '${fields.name}'`));
}

async function sendTest(id) {
  const before = +(await q1('SELECT coalesce(max(id), 0) FROM outbox WHERE tenant_id = 1'));
  const r = await form(srv, admin, `/admin/robots/${id}/test`);
  assert.equal(r.status, 303, r.text);
  return +(await q1(`SELECT min(id) FROM outbox WHERE tenant_id = 1 AND id > ${before}`));
}

const row = async (id) => {
  const [state, attempts, did, err] = (await q1(`SELECT state, attempts, delivery_id, last_error FROM outbox WHERE tenant_id = 1 AND id = ${id}`)).split('|');
  return { state, attempts: +attempts, did, err };
};
const hmac = (key, msg, enc) => createHmac('sha256', key).update(msg).digest(enc);

test('a 钉钉 robot: the secret is write-only, the test message is signed and is markdown with a link', async () => {
  const secret = 'SECtest0123456789abcdef';
  const id = await addRobot({ kind: 'dingtalk', name: '攻坚群机器人', url: `${fakeUrl}/ding/robot/send?access_token=tok1`, secret,
    events: ['board_published'] });
  const p = await page(srv, admin, '/admin/robots');
  assert.equal(p.status, 200);
  validHtml(p.text);
  assert.match(p.text, /攻坚群机器人/);
  assert.match(p.text, /已设置/);
  assert.ok(!p.text.includes(secret), 'the secret is never shown again');
  const e = await page(srv, admin, `/admin/robots/${id}`);
  assert.ok(!e.text.includes(secret));
  assert.ok(!(await q1("SELECT coalesce(max(after_json), '') FROM audit_event WHERE action = 'robot.create'")).includes(secret), 'nor audited');

  const n0 = got.length;
  const oid = await sendTest(id);
  await until('the DingTalk POST', () => got.length > n0);
  const g = got[n0];
  assert.equal(g.path, '/ding/robot/send');
  assert.equal(g.query.get('access_token'), 'tok1');
  const ts = g.query.get('timestamp');
  assert.ok(Math.abs(+ts - Date.now()) < 60000, 'timestamp in milliseconds');
  assert.equal(g.query.get('sign'), hmac(secret, `${ts}\n${secret}`, 'base64'), 'sign = base64 HMAC-SHA256(secret, ts\\nsecret)');
  const body = JSON.parse(g.body);
  assert.equal(body.msgtype, 'markdown');
  assert.match(body.markdown.title, /测试消息/);
  assert.match(body.markdown.text, /^#### /);
  assert.match(body.markdown.text, /\[查看详情\]\(https:\/\/jb\.example\.gov\.cn\/t\/luannan\/\)/);
  await until('sent', async () => (await row(oid)).state === 'sent');
  assert.equal((await row(oid)).attempts, 1);
  assert.equal(+(await q1(`SELECT count(*) FROM audit_event WHERE action = 'robot.test' AND object_id = ${id}`)), 1);

  // errcode other than 0 is a failure, retried.
  answer = () => ({ status: 200, body: { errcode: 310000, errmsg: 'sign not match' } });
  const oid2 = await sendTest(id);
  await until('dead after 3 attempts', async () => (await row(oid2)).state === 'dead');
  assert.match((await row(oid2)).err, /310000: sign not match/);
  answer = () => ({ status: 200, body: { errcode: 0 } });
});

test('a 企业微信 robot gets a 督办 issued on a red claim; a robot not receiving that event does not', async () => {
  const id = await addRobot({ kind: 'wecom', name: '督办群', url: `${fakeUrl}/wecom/send?key=k-123`, events: ['supervision_issued', 'claim_approved'] });
  const c = await mkClaim(conn, { batch: batchId, owner: 102, lead: 103, milestoneDue: day(-2), title: '城区空中缆线整治推送测试' });
  const n0 = got.length;
  const r = await api(srv, bearer, 'POST', `/api/v1/claims/${c.claim}/supervisions`, { reason: '节点逾期，请说明原因', reply_by: ymd(day(3)) });
  assert.equal(r.status, 201, r.text);
  const oid = +(await q1(`SELECT id FROM outbox WHERE tenant_id = 1 AND event = 'supervision_issued' AND robot_id = ${id}`));
  assert.equal(+(await q1("SELECT count(*) FROM outbox WHERE event = 'supervision_issued'")), 1, 'only the robot receiving 督办');
  await until('the WeCom POST', () => got.slice(n0).find((g) => g.path === '/wecom/send'));
  const g = got.slice(n0).find((x) => x.path === '/wecom/send');
  assert.equal(g.query.get('key'), 'k-123');
  const body = JSON.parse(g.body);
  assert.deepEqual(Object.keys(body).sort(), ['markdown', 'msgtype']);
  assert.equal(body.msgtype, 'markdown');
  assert.match(body.markdown.content, /^\*\*督办单 .*城区空中缆线整治推送测试\*\*/);
  assert.match(body.markdown.content, /节点逾期，请说明原因/);
  assert.ok(body.markdown.content.includes(`(https://jb.example.gov.cn/t/luannan/claims/${c.claim})`));
  await until('sent', async () => (await row(oid)).state === 'sent');
  assert.equal(got.slice(n0).filter((x) => x.path.startsWith('/ding')).length, 0);
});

test('a webhook: HMAC header and delivery id; errors are retried with backoff, the same id each time', async () => {
  const secret = 'whsec-abc';
  const id = await addRobot({ kind: 'webhook', name: '业务系统', url: `${fakeUrl}/hook`, secret, events: ['supervision_issued'] });
  let calls = 0;
  answer = (g) => (g.path === '/hook' && ++calls <= 2 ? { status: 500, body: {} } : { status: 204 });
  const n0 = got.length;
  const oid = await sendTest(id);
  await until('sent after two errors', async () => (await row(oid)).state === 'sent');
  const hooks = got.slice(n0).filter((g) => g.path === '/hook');
  assert.equal(hooks.length, 3);
  const { did } = await row(oid);
  assert.match(did, /^[0-9a-f]{32}$/);
  for (const g of hooks) {
    assert.equal(g.headers['x-jiebang-delivery'], did);
    assert.equal(g.headers['x-jiebang-event'], 'test');
    assert.equal(g.headers['x-jiebang-signature'], `sha256=${hmac(secret, g.body, 'hex')}`);
    assert.equal(g.body, hooks[0].body, 'the same bytes every time');
  }
  const body = JSON.parse(hooks[0].body);
  assert.equal(body.event, 'test');
  assert.equal(body.delivery_id, did);
  assert.equal(body.tenant, 'luannan');
  assert.equal(typeof body.occurred_at, 'number');
  assert.match(body.data.title, /测试消息/);
  // Backoff 200 ms doubled, with equal jitter: at least 100 ms, then 200 ms.
  assert.ok(hooks[1].at - hooks[0].at >= 100, `first retry after ${hooks[1].at - hooks[0].at} ms`);
  assert.ok(hooks[2].at - hooks[1].at >= 200, `second retry after ${hooks[2].at - hooks[1].at} ms`);
  assert.equal((await row(oid)).attempts, 3);
  answer = () => ({ status: 200, body: { errcode: 0 } });
});

test('a dead letter is shown to the admin and 重新发送 delivers it, audited', async () => {
  const id = await addRobot({ kind: 'webhook', name: '总是失败', url: `${fakeUrl}/down`, events: [] });
  answer = (g) => (g.path === '/down' ? { status: 503 } : { status: 200, body: { errcode: 0 } });
  const oid = await sendTest(id);
  await until('dead', async () => (await row(oid)).state === 'dead');
  const r0 = await row(oid);
  assert.equal(r0.attempts, 3);
  assert.equal(r0.err, 'HTTP 503');
  const p = await page(srv, admin, '/admin/robots');
  validHtml(p.text);
  assert.match(p.text, /失败（死信）/);
  assert.ok(p.text.includes(`/admin/outbox/${oid}/resend`));
  const j = await api(srv, bearer, 'GET', '/api/v1/robots?state=dead');
  assert.equal(j.status, 200);
  assert.ok(j.json().outbox.some((o) => o.id === oid && o.state === 'dead' && o.attempts === 3));
  assert.ok(j.json().robots.every((x) => !('secret' in x)));

  answer = () => ({ status: 200, body: { errcode: 0 } });
  const n0 = got.length;
  const r = await form(srv, admin, `/admin/outbox/${oid}/resend`);
  assert.equal(r.status, 303, r.text);
  await until('sent after resend', async () => (await row(oid)).state === 'sent');
  const g = got.slice(n0).filter((x) => x.path === '/down');
  assert.equal(g.length, 1);
  assert.equal(g[0].headers['x-jiebang-delivery'], r0.did, 'the same delivery id');
  assert.equal(+(await q1(`SELECT count(*) FROM audit_event WHERE action = 'outbox.resend' AND object_id = ${oid}`)), 1);
  // A row that is not dead cannot be resent.
  const again = await form(srv, admin, `/admin/outbox/${oid}/resend`);
  assert.equal(again.status, 409);
  await form(srv, admin, `/admin/robots/${id}/delete`);
  assert.equal(+(await q1(`SELECT count(*) FROM robot WHERE id = ${id}`)), 0);
  assert.equal(+(await q1(`SELECT count(*) FROM outbox WHERE robot_id = ${id}`)), 0);
});

test('a bad URL or kind is refused beside the field, what was typed kept, nothing saved', async () => {
  const n = +(await q1('SELECT count(*) FROM robot'));
  const r = await form(srv, admin, '/admin/robots', [['kind', 'dingtalk'], ['name', '错误地址'], ['url', 'ftp://example.com/x'], ['enabled', '1']]);
  assert.equal(r.status, 400);
  validHtml(r.text);
  assert.match(r.text, /只能使用 http:\/\/ 或 https:\/\/ 地址/);
  assert.match(r.text, /value="ftp:\/\/example.com\/x"/);
  assert.match(r.text, /value="错误地址"/);
  const k = await form(srv, admin, '/admin/robots', [['kind', 'slack'], ['name', 'x'], ['url', `${fakeUrl}/x`]]);
  assert.equal(k.status, 400);
  assert.match(k.text, /请选择机器人类型/);
  assert.equal(+(await q1('SELECT count(*) FROM robot')), n);
});

test('private addresses are refused unless the deployment allows them', async () => {
  const s2 = await startServer({ env: { JIEBANG_OUTBOX: '0' } });
  try {
    const a = await login(s2, 'admin');
    for (const url of ['http://127.0.0.1:9/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest', 'http://[::1]/x', 'http://192.168.0.1/']) {
      const r = await form(s2, a, '/admin/robots', [['kind', 'webhook'], ['name', '内网'], ['url', url], ['enabled', '1']]);
      assert.equal(r.status, 400, url);
      assert.match(r.text, /不能发往本机、内网或保留地址/, url);
    }
  } finally {
    await s2.stop();
  }
});

test('SIGTERM mid-delivery: the POST in flight finishes and is recorded; after a restart it is not sent again', async () => {
  const id = await addRobot({ kind: 'webhook', name: '慢接收方', url: `${fakeUrl}/slow`, events: [] });
  let release;
  const held = new Promise((r) => (release = r));
  answer = async (g) => { if (g.path === '/slow') await held; return { status: 200, body: {} }; };
  const n0 = got.length;
  const oid = await sendTest(id);
  await until('the POST in flight', () => got.slice(n0).some((g) => g.path === '/slow'));
  srv.child.kill('SIGTERM');
  await sleep(300);
  assert.equal(srv.child.exitCode, null, 'the server waits for the delivery in flight');
  release();
  const { code } = await srv.exited;
  assert.equal(code, 0, srv.log().slice(-2000));
  const r = await row(oid);
  assert.equal(r.state, 'sent');
  assert.equal(r.attempts, 1);
  srv = await serveAgain(srv);
  admin = await login(srv, 'admin');
  await sleep(1500);
  assert.equal(got.slice(n0).filter((g) => g.path === '/slow').length, 1, 'sent exactly once');
  answer = () => ({ status: 200, body: { errcode: 0 } });
});

test('kill -9 mid-delivery: after a restart the message is sent again with the same delivery id, then never again', async () => {
  const id = await addRobot({ kind: 'webhook', name: '崩溃接收方', url: `${fakeUrl}/crash`, events: [] });
  let release;
  const held = new Promise((r) => (release = r));
  let first = true;
  answer = async (g) => {
    if (g.path === '/crash' && first) { first = false; await held; }
    return { status: 200, body: {} };
  };
  const n0 = got.length;
  const oid = await sendTest(id);
  await until('the POST in flight', () => got.slice(n0).some((g) => g.path === '/crash'));
  srv.child.kill('SIGKILL');
  await srv.exited;
  release();
  const r0 = await row(oid);
  assert.equal(r0.state, 'pending');
  assert.equal(r0.attempts, 1);
  srv = await serveAgain(srv);
  admin = await login(srv, 'admin');
  await until('sent after the restart', async () => (await row(oid)).state === 'sent', 20000);
  await sleep(500);
  const hits = got.slice(n0).filter((g) => g.path === '/crash');
  assert.equal(hits.length, 2);
  assert.equal(hits[0].headers['x-jiebang-delivery'], r0.did);
  assert.equal(hits[1].headers['x-jiebang-delivery'], r0.did, 'the same delivery id: the receiver dedupes');
  assert.equal(hits[1].body, hits[0].body);
  assert.equal((await row(oid)).attempts, 2);
});

test('the overdue digest (逾期汇总) from the background task is queued once a day to the robots receiving it', async () => {
  const { run } = await import('./harness.mjs');
  const id = await addRobot({ kind: 'webhook', name: '逾期汇总接收', url: `${fakeUrl}/digest`, events: ['overdue_digest'] });
  await mkClaim(conn, { batch: batchId, owner: 102, lead: 103, deadline: day(-2), title: '逾期汇总测试难题' });
  // yesterday 09:00 local, always past: a digest made at a moment still to
  // come (today's 09:00 before 09:00) waits for it in the outbox
  const at = String(day(-1) + 9 * 3600);
  for (let i = 0; i < 2; i++) {
    const r = run(['digest', '--db', srv.store, '--now', at]);
    assert.equal(r.status, 0, r.stderr);
  }
  assert.equal(+(await q1(`SELECT count(*) FROM outbox WHERE robot_id = ${id} AND event = 'overdue_digest'`)), 1, 'once a day');
  const g = await until('the digest POST', () => got.find((x) => x.path === '/digest'));
  const body = JSON.parse(g.body);
  assert.equal(body.event, 'overdue_digest');
  assert.ok(body.data.overdue >= 1);
  assert.match(body.data.text, /逾期汇总测试难题/);
  assert.match(body.data.title, /^逾期汇总：\d+ 项揭榜已超过完成时限$/);
});
