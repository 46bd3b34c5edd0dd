// The permission matrix: every role (and anonymous) against every
// state-changing route, as a page form and as an API call, on targets in
// the actor's unit and in another unit. An allowed call must do what it
// says; a refused one must answer 401/403 (page or JSON), change nothing
// (a snapshot of every account table) and leave a "denied" audit entry.
// ASVS 4.1.1 / 4.1.3 / 4.1.5 / 4.2.1 / 1.4.5.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, run } from './harness.mjs';
import { DEMO_PASSWORD, ROLES, login, form, api, page, snapshot, snapshotWithDenials, openSql, cliToken } from './accounts.mjs';
import { mkClaim as fixtureClaim, day, ymd } from './claims_fixture.mjs';
import { createHmac } from 'node:crypto';

let srv, adminBearer, personIn6, conn, batchId;
const pw = {}, sess = {};
const LOGIN = { admin: 'admin', unit: 'unit', cadre: 'cadre', evaluator: 'evaluator', leader: 'leader' };
const OWN_UNIT = 6, OTHER_UNIT = 18; // 县委宣传部 (the "unit" login's), 县财政局
const CADRE_PERSON = 102, OTHER_PERSON = 103; // the "cadre" login's person, and one without an account
let seq = 0;

before(async () => {
  // Every role logs in, and anonymous is refused, many times from one
  // address: more than the default limits of successful log-ins and of
  // refusals logged one by one per address (throttle.test.mjs and
  // flood.test.mjs test those); here every refusal must be logged.
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000', JIEBANG_REFUSALS_PER_ADDR: '100000' } });
  conn = openSql(srv.store);
  adminBearer = { bearer: cliToken(srv, 'admin') };
  for (const r of Object.keys(LOGIN)) pw[r] = DEMO_PASSWORD;
  personIn6 = +(await conn.query(`SELECT min(id) FROM person WHERE tenant_id = 1 AND unit_id = ${OWN_UNIT}`)).trim();
  const b = await api(srv, adminBearer, 'POST', '/api/v1/batches', { name: '权限矩阵征集批次', year: 2027, phase: 'collecting' });
  assert.equal(b.status, 201, b.text);
  batchId = b.json().batch.id;
});
after(async () => { conn.close(); await srv.stop(); });

// A role's session. Sensitive changes want a password proof of the last 5
// minutes (sudo mode, web/auth.c): a log-in is one; a session older than 4
// minutes proves it again before it is used (the matrix runs longer).
async function S(role) {
  if (role === 'anonymous') return null;
  if (!sess[role]) {
    sess[role] = await login(srv, LOGIN[role], pw[role]);
    assert.equal(sess[role].status, 200, `${role} logs in: ${sess[role].text}`);
    sess[role].at = Date.now();
  } else if (Date.now() - sess[role].at > 240e3) {
    const r = await api(srv, sess[role], 'POST', '/api/v1/me/reauth', { password: pw[role] });
    assert.equal(r.status, 200, `${role} proves its password again: ${r.text}`);
    sess[role].at = Date.now();
  }
  return sess[role];
}

// Two-factor log-in (domain/totp.h): RFC 6238's key, and its code now.
const RFC_B32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
function totpNow() {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30e3)));
  const h = createHmac('sha1', Buffer.from('12345678901234567890')).update(msg).digest();
  const o = h[19] & 15;
  return String((((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1e6).padStart(6, '0');
}
const setTotp = (loginName, on) => conn.query(on
  ? `UPDATE app_user SET totp_secret = '${RFC_B32}', totp_step = 0, totp_recovery = '' WHERE tenant_id = 1 AND login = '${loginName}'`
  : `UPDATE app_user SET totp_secret = NULL, totp_pending = NULL, totp_step = 0, totp_recovery = '' WHERE tenant_id = 1 AND login = '${loginName}'`);
const totpCol = async (loginName, col) => (await conn.query(`SELECT coalesce(${col}, '') FROM app_user WHERE tenant_id = 1 AND login = '${loginName}'`)).trim();
let totpUser = null;

// A user made by the admin's API token (no CSRF needed).
async function mkUser(unit, roles = ['cadre'], { disabled = false } = {}) {
  const r = await api(srv, adminBearer, 'POST', '/api/v1/users', { login: `m${++seq}`, role: roles, unit });
  assert.equal(r.status, 201, r.text);
  const u = r.json().user;
  if (disabled) assert.equal((await api(srv, adminBearer, 'POST', `/api/v1/users/${u.id}/disable`, {})).status, 200);
  return u;
}

async function userRow(id) {
  const [login, disabled, must, unit, person] = (await conn.query(
    `SELECT login, disabled, must_change, coalesce(unit_id, 0), coalesce(person_id, 0) FROM app_user WHERE tenant_id = 1 AND id = ${id}`)).trim().split('|');
  const roles = (await conn.query(`SELECT role FROM user_role WHERE tenant_id = 1 AND user_id = ${id} ORDER BY role`)).trim().split('\n').filter(Boolean);
  return { login, disabled: +disabled, must: +must, unit: +unit, person: +person, roles };
}

// An API token of login, made on the command line; its id.
async function mkToken(loginName) {
  cliToken(srv, loginName);
  return +(await conn.query('SELECT max(id) FROM api_token WHERE tenant_id = 1')).trim();
}

// A units CSV naming one unit, uploaded as sess: the page form (csrf field)
// or the API (X-CSRF-Token).
async function importUpload(sess, path, name, surface) {
  const fd = new FormData();
  fd.append('kind', 'units');
  if (surface === 'page' && sess?.csrf) fd.append('csrf', sess.csrf);
  fd.append('file', new Blob([`单位名称,单位类型\n${name},其他\n`]), 'm.csv');
  const headers = sess?.cookie ? { Cookie: sess.cookie, ...(surface === 'api' ? { 'X-CSRF-Token': sess.csrf } : {}) } : {};
  const { get } = await import('./harness.mjs');
  return get(srv, path, { method: 'POST', headers, body: fd });
}

// A disabled webhook robot written into the store; its id.
async function mkRobot() {
  const id = +(await conn.query(`INSERT INTO id_seq (tenant_id, name, next_id) VALUES (1, 'robot', 1) ON CONFLICT (tenant_id, name)` +
    ` DO UPDATE SET next_id = id_seq.next_id + 1 RETURNING next_id`)).trim();
  await conn.query(`INSERT INTO robot (tenant_id, id, kind, name, url, events, enabled, created_at, updated_at)` +
    ` VALUES (1, ${id}, 'webhook', '矩阵机器人${id}', 'http://203.0.113.10/hook', '', 0, 0, 0)`);
  return id;
}

const newPassword = () => `correct horse battery staple ${++seq}`;
const all = () => true;
const roles = (...list) => (role) => list.includes(role);
const anyLoggedIn = (role) => role !== 'anonymous';

const PROPOSAL = { description: '权限矩阵测试用的难题描述，足够长。', category: '城市建设类' };
// A proposal by sess (admin's token when null); its id.
async function mkProposal(sess) {
  const r = await api(srv, sess || adminBearer, 'POST', '/api/v1/problems', { ...PROPOSAL, title: `矩阵出卷${++seq}`, batch_id: batchId });
  assert.equal(r.status, 201, r.text);
  return r.json().problem.id;
}
// role's session to propose as (the admin's token for anonymous).
const own = async (role) => (role === 'anonymous' ? null : S(role));
const problemState = async (id) => (await conn.query(`SELECT state FROM problem WHERE id = ${id}`)).trim();

// One row per route and target. call(s, ctx, surface) returns the answer;
// okStatus is what an allowed call answers (page, api); check(ctx, role)
// proves the change happened.
// ---- claims: the demo cadre (person 102, unit 6) owns them, the unit
// liaison (person 4, unit 6) leads them ----
let claimBatch = 0;
const bearer = (loginName) => ({ bearer: cliToken(srv, loginName) });
const inDays = (d) => new Date((Date.now() / 1000 + d * 86400 + 8 * 3600) * 1000).toISOString().slice(0, 10);
const CLAIM = () => ({ unit_id: OWN_UNIT, owner_person_id: 102, lead_person_id: 4, goals: '矩阵目标', pledge: '矩阵承诺',
  reward_penalty: '矩阵奖惩', deadline: inDays(100), milestones: [{ title: '矩阵节点', due: inDays(50) }] });
// An application as the page's form posts it ("milestones.0.title").
const claimForm = (o) => Object.entries(o).flatMap(([k, v]) => Array.isArray(v)
  ? v.flatMap((item, i) => Object.entries(item).map(([f, x]) => [`${k}.${i}.${f}`, String(x)])) : [[k, String(v)]]);
// A problem on the board of a batch in 发榜揭榜; its id.
async function mkPublished() {
  if (!claimBatch) {
    const b = await api(srv, adminBearer, 'POST', '/api/v1/batches', { name: '权限矩阵揭榜批次', year: 2027, phase: 'claiming' });
    assert.equal(b.status, 201, b.text);
    claimBatch = b.json().batch.id;
  }
  const id = await mkProposal();
  for (const action of ['select', 'publish'])
    assert.equal((await api(srv, adminBearer, 'POST', `/api/v1/problems/${id}/transitions`, { action })).status, 200);
  await conn.query(`UPDATE problem SET batch_id = ${claimBatch} WHERE id = ${id}`);
  return id;
}
// A claim brought to stage (endorsing, applied, assigned, approved, signed, solved); its id.
async function mkClaim(stage) {
  const pid = await mkPublished();
  const route = stage === 'endorsing' ? 'recommended' : stage === 'assigned' ? 'assigned' : 'self';
  const r = await api(srv, route === 'assigned' ? adminBearer : bearer('cadre'), 'POST', `/api/v1/problems/${pid}/claims`, { ...CLAIM(), route });
  assert.equal(r.status, 201, r.text);
  const id = r.json().claim.id;
  const step = async (who, action, body = {}) =>
    assert.equal((await api(srv, who, 'POST', `/api/v1/claims/${id}/${action}`, body)).status, 200, action);
  if (['approved', 'signed', 'solved'].includes(stage)) await step(adminBearer, 'approve');
  if (['signed', 'solved'].includes(stage)) {
    await step(bearer('cadre'), 'sign');
    await step(bearer('unit'), 'sign');
  }
  if (stage === 'solved')
    assert.equal((await api(srv, bearer('cadre'), 'POST', `/api/v1/claims/${id}/solve`, { text: '矩阵破题' })).status, 201);
  return id;
}
const claimState = async (id) => (await conn.query(`SELECT state FROM claim WHERE id = ${id}`)).trim();
// A row for POST /claims/:id/<action> (the page's form, confirmed where
// the page asks first) and POST /api/v1/claims/:id/<action> on a claim at stage.
const claimRow = (action, stage, allow, to, body = {}) => ({
  what: `claim: ${action}`, route: [`POST /claims/:id/${action}`, `POST /api/v1/claims/:id/${action}`], surfaces: ['page', 'api'], allow,
  ok: [303, ['progress', 'solve'].includes(action) ? 201 : 200],
  setup: async () => ({ id: await mkClaim(stage) }),
  call: (s, c, surface) => surface === 'page' ? form(srv, s, `/claims/${c.id}/${action}`, { ...body, confirm: '1' })
    : api(srv, s, 'POST', `/api/v1/claims/${c.id}/${action}`, body),
  check: async (c) => assert.equal(await claimState(c.id), to),
  unchanged: async (c) => assert.equal(await claimState(c.id), stage),
});

// 考评验收 (web/evaluate.h): a solved claim of the cadre assigned to a new
// panel of the demo evaluator (its unit takes no part in the claim), scored
// by it when asked.
async function evalTarget({ assign = true, scored = false } = {}) {
  const c = await fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON, state: 'solved', problemState: 'solved' });
  const ev = +(await conn.query("SELECT id FROM app_user WHERE tenant_id = 1 AND login = 'evaluator'")).trim();
  let r = await api(srv, adminBearer, 'POST', `/api/v1/batches/${batchId}/panels`, { name: `矩阵考评组${++seq}`, user_ids: [ev] });
  assert.equal(r.status, 201, r.text);
  const panel = r.json().panel.id;
  if (assign) {
    r = await api(srv, adminBearer, 'POST', `/api/v1/panels/${panel}/assignments`, { claim_ids: [c.claim] });
    assert.equal(r.status, 200, r.text);
  }
  let evaluation = 0;
  if (scored) {
    r = await api(srv, await S('evaluator'), 'POST', `/api/v1/claims/${c.claim}/scores`, EVAL_SCORES);
    assert.equal(r.status, 201, r.text);
    evaluation = r.json().mine.id;
  }
  return { ...c, panel, evaluation };
}
const EVAL_SCORES = { scores: [{ criterion: '完成情况', score: 90 }, { criterion: '工作成效', score: 85 },
  { criterion: '创新性', score: 80 }, { criterion: '可复制推广', score: 80 }] };
const evalForm = () => [['stage', 'final'], ...EVAL_SCORES.scores.flatMap((x, i) => [[`scores.${i}.criterion`, x.criterion], [`scores.${i}.score`, String(x.score)]])];
const evalCount = async (c) => +(await conn.query(`SELECT count(*) FROM evaluation WHERE claim_id = ${c.claim}`)).trim();
// The open promotions notice objections are lodged to (promotion 2), made once.
let lodgeNotice = 0;
async function openNotice() {
  if (!lodgeNotice) {
    const r = await api(srv, adminBearer, 'POST', '/api/v1/batches/1/notices', { kind: 'promotions', promotion_ids: [2], title: '矩阵异议公示' });
    assert.equal(r.status, 201, r.text);
    lodgeNotice = r.json().notice.id;
  }
  return lodgeNotice;
}

const rows = [
  {
    what: 'log in', route: ['POST /login', 'POST /api/v1/session'], allow: all, ok: [303, 200],
    setup: async (role) => ({ name: role === 'anonymous' ? 'leader' : LOGIN[role], password: role === 'anonymous' ? pw.leader : pw[role] }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/login', { login: c.name, password: c.password }, { csrf: false })
      : api(srv, s, 'POST', '/api/v1/session', { login: c.name, password: c.password }),
    check: async (c, role, r) => {
      assert.match(r.headers.get('set-cookie'), /jb_session=[A-Za-z0-9_-]{43}/);
      if (role !== 'anonymous') sess[role] = null; // its old session was replaced
    },
  },
  {
    what: 'log out', route: ['POST /logout', 'DELETE /api/v1/session'], allow: anyLoggedIn, ok: [303, 200],
    setup: async () => ({}),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/logout') : api(srv, s, 'DELETE', '/api/v1/session'),
    check: async (c, role) => {
      assert.equal((await api(srv, sess[role], 'GET', '/api/v1/me')).status, 401);
      sess[role] = null;
    },
  },
  {
    what: 'change own password', route: ['POST /account/password', 'POST /api/v1/me/password'], allow: anyLoggedIn, ok: [303, 200],
    setup: async (role) => ({ cur: pw[role] ?? 'x', next: newPassword() }),
    call: (s, c, surface) => surface === 'page'
      ? form(srv, s, '/account/password', { current_password: c.cur, new_password: c.next, new_password2: c.next })
      : api(srv, s, 'POST', '/api/v1/me/password', { current_password: c.cur, new_password: c.next }),
    check: async (c, role) => {
      pw[role] = c.next;
      assert.equal((await login(srv, LOGIN[role], c.next)).status, 200);
      // A password change ends the user's API tokens.
      if (role === 'admin') {
        assert.equal((await page(srv, adminBearer, '/api/v1/me')).status, 401);
        adminBearer = { bearer: cliToken(srv, 'admin') };
      }
    },
  },
  {
    what: 'make an API token', route: ['POST /account/tokens', 'POST /api/v1/tokens'], allow: anyLoggedIn, ok: [201, 201],
    setup: async () => ({ before: +(await conn.query('SELECT count(*) FROM api_token')).trim() }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/account/tokens', { name: 'matrix' })
      : api(srv, s, 'POST', '/api/v1/tokens', { name: 'matrix' }),
    check: async (c) => assert.equal(+(await conn.query('SELECT count(*) FROM api_token')).trim(), c.before + 1),
  },
  {
    what: 'revoke an own API token', route: ['POST /account/tokens/:id/revoke', 'DELETE /api/v1/tokens/:id'], allow: anyLoggedIn, ok: [303, 200],
    setup: async (role) => ({ id: await mkToken(role === 'anonymous' ? 'leader' : LOGIN[role]) }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/account/tokens/${c.id}/revoke`, { confirm: '1' })
      : api(srv, s, 'DELETE', `/api/v1/tokens/${c.id}`),
    check: async (c) => assert.notEqual((await conn.query(`SELECT coalesce(revoked_at, 0) FROM api_token WHERE id = ${c.id}`)).trim(), '0'),
  },
  {
    what: 'end all one\'s other sessions', route: ['POST /account/sessions/:id/end', 'DELETE /api/v1/me/sessions/:id'], allow: anyLoggedIn, ok: [303, 200],
    setup: async (role) => { const r = role === 'anonymous' ? 'leader' : role; assert.equal((await login(srv, LOGIN[r], pw[r])).status, 200); return { login: LOGIN[r] }; },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/account/sessions/others/end', {})
      : api(srv, s, 'DELETE', '/api/v1/me/sessions/others'),
    check: async (c) => assert.equal((await conn.query(`SELECT count(*) FROM user_session s JOIN app_user u ON u.tenant_id = s.tenant_id AND u.id = s.user_id WHERE u.login = '${c.login}'`)).trim(), '1'),
  },
  // two-factor log-in: the second step, and one's own TOTP on the account page
  {
    what: 'log in: the second step (a TOTP code)', route: ['POST /login/totp', 'POST /api/v1/session/totp'], allow: all, ok: [303, 200],
    setup: async () => {
      if (!totpUser) {
        const r = await api(srv, adminBearer, 'POST', '/api/v1/users', { login: `totp${++seq}`, role: ['cadre'], unit: OWN_UNIT });
        assert.equal(r.status, 201, r.text);
        totpUser = { login: r.json().user.login, password: r.json().initial_password };
      }
      await setTotp(totpUser.login, true);
      const l = await login(srv, totpUser.login, totpUser.password);
      assert.equal(l.status, 202, l.text);
      return { pending: l.json.pending, code: totpNow() };
    },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/login/totp', { pending: c.pending, code: c.code }, { csrf: false })
      : api(srv, s, 'POST', '/api/v1/session/totp', { pending: c.pending, code: c.code }),
    check: async (c, role, r) => {
      assert.match(r.headers.get('set-cookie'), /jb_session=[A-Za-z0-9_-]{43}/);
      if (role !== 'anonymous') sess[role] = null; // its old session was replaced
    },
  },
  {
    what: 'prove one\'s password again (sudo mode)', route: ['POST /account/reauth', 'POST /api/v1/me/reauth'], allow: anyLoggedIn, ok: [303, 200],
    setup: async (role) => ({ password: pw[role] ?? 'x' }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/account/reauth', { password: c.password, next: '/account' })
      : api(srv, s, 'POST', '/api/v1/me/reauth', { password: c.password }),
    check: async (c, role) => assert.equal((await conn.query("SELECT action FROM audit_event ORDER BY tenant_id DESC, id DESC LIMIT 1")).trim(), 'session.reauth'),
  },
  {
    what: 'start one\'s TOTP enrolment', route: ['POST /account/totp/enrol', 'POST /api/v1/me/totp'], allow: anyLoggedIn, ok: [200, 200],
    setup: async () => ({}),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/account/totp/enrol') : api(srv, s, 'POST', '/api/v1/me/totp', {}),
    check: async (c, role) => { assert.equal((await totpCol(LOGIN[role], 'totp_pending')).length, 32); await setTotp(LOGIN[role], false); },
  },
  {
    what: 'confirm one\'s TOTP enrolment', route: ['POST /account/totp/confirm', 'POST /api/v1/me/totp/confirm'], allow: anyLoggedIn, ok: [200, 200],
    setup: async (role) => {
      if (role !== 'anonymous') await conn.query(`UPDATE app_user SET totp_pending = '${RFC_B32}' WHERE tenant_id = 1 AND login = '${LOGIN[role]}'`);
      return { code: totpNow() };
    },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/account/totp/confirm', { code: c.code })
      : api(srv, s, 'POST', '/api/v1/me/totp/confirm', { code: c.code }),
    check: async (c, role) => { assert.equal(await totpCol(LOGIN[role], 'totp_secret'), RFC_B32); await setTotp(LOGIN[role], false); },
  },
  {
    what: 'new TOTP recovery codes', route: ['POST /account/totp/recovery', 'POST /api/v1/me/totp/recovery'], allow: anyLoggedIn, ok: [200, 200],
    setup: async (role) => { if (role !== 'anonymous') await setTotp(LOGIN[role], true); return { code: totpNow() }; },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/account/totp/recovery', { code: c.code })
      : api(srv, s, 'POST', '/api/v1/me/totp/recovery', { code: c.code }),
    check: async (c, role) => { assert.equal((await totpCol(LOGIN[role], 'totp_recovery')).split(' ').length, 10); await setTotp(LOGIN[role], false); },
  },
  {
    what: 'turn one\'s TOTP off', route: ['POST /account/totp/disable', 'POST /api/v1/me/totp/disable'], allow: anyLoggedIn, ok: [303, 200],
    setup: async (role) => { if (role !== 'anonymous') await setTotp(LOGIN[role], true); return { code: totpNow() }; },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/account/totp/disable', { code: c.code })
      : api(srv, s, 'POST', '/api/v1/me/totp/disable', { code: c.code }),
    check: async (c, role) => assert.equal(await totpCol(LOGIN[role], 'totp_secret'), ''),
  },
  {
    what: "revoke another user's API token", route: ['POST /account/tokens/:id/revoke', 'DELETE /api/v1/tokens/:id'], allow: roles('admin'), ok: [303, 200],
    setup: async () => { const u = await mkUser(OWN_UNIT); return { id: await mkToken(u.login) }; },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/account/tokens/${c.id}/revoke`, { confirm: '1' })
      : api(srv, s, 'DELETE', `/api/v1/tokens/${c.id}`),
    check: async (c) => assert.notEqual((await conn.query(`SELECT coalesce(revoked_at, 0) FROM api_token WHERE id = ${c.id}`)).trim(), '0'),
  },
  ...[
    ['a cadre in the own unit', OWN_UNIT, ['cadre'], roles('admin', 'unit')],
    ['a cadre in another unit', OTHER_UNIT, ['cadre'], roles('admin')],
    ['an admin in the own unit (escalation)', OWN_UNIT, ['cadre', 'admin'], roles('admin')],
  ].map(([target, unit, rs, allow]) => ({
    what: `create ${target}`, route: ['POST /admin/users', 'POST /api/v1/users'], allow, ok: [201, 201],
    setup: async () => ({ login: `n${++seq}` }),
    call: (s, c, surface) => surface === 'page'
      ? form(srv, s, '/admin/users', [['login', c.login], ...rs.map((r) => ['role', r]), ['unit', String(unit)]])
      : api(srv, s, 'POST', '/api/v1/users', { login: c.login, role: rs, unit }),
    check: async (c) => {
      const id = +(await conn.query(`SELECT id FROM app_user WHERE tenant_id = 1 AND login = '${c.login}'`)).trim();
      const u = await userRow(id);
      assert.deepEqual(u.roles, [...rs].sort());
      assert.equal(u.unit, unit);
      assert.equal(u.must, 1);
    },
  })),
  ...[['own', OWN_UNIT, roles('admin', 'unit')], ['other', OTHER_UNIT, roles('admin')]].flatMap(([label, unit, allow]) => [
    {
      what: `disable a user of the ${label} unit`, route: ['POST /admin/users/:id/disable', 'POST /api/v1/users/:id/disable'], allow, ok: [303, 200],
      setup: async () => mkUser(unit),
      call: (s, c, surface) => surface === 'page' ? form(srv, s, `/admin/users/${c.id}/disable`, { confirm: '1' }) : api(srv, s, 'POST', `/api/v1/users/${c.id}/disable`, {}),
      check: async (c) => assert.equal((await userRow(c.id)).disabled, 1),
    },
    {
      what: `enable a user of the ${label} unit`, route: ['POST /admin/users/:id/enable', 'POST /api/v1/users/:id/enable'], allow, ok: [303, 200],
      setup: async () => mkUser(unit, ['cadre'], { disabled: true }),
      call: (s, c, surface) => surface === 'page' ? form(srv, s, `/admin/users/${c.id}/enable`) : api(srv, s, 'POST', `/api/v1/users/${c.id}/enable`, {}),
      check: async (c) => assert.equal((await userRow(c.id)).disabled, 0),
    },
    {
      // A liaison gives only the cadre role, so it changes no one's roles.
      what: `make a cadre of the ${label} unit an evaluator instead`, route: ['POST /admin/users/:id/roles', 'POST /api/v1/users/:id/roles'], allow: roles('admin'), ok: [303, 200],
      setup: async () => mkUser(unit),
      call: (s, c, surface) => surface === 'page' ? form(srv, s, `/admin/users/${c.id}/roles`, { role: 'evaluator' })
        : api(srv, s, 'POST', `/api/v1/users/${c.id}/roles`, { role: ['evaluator'] }),
      check: async (c) => assert.deepEqual((await userRow(c.id)).roles, ['evaluator']),
    },
    {
      what: `reset the password of a user of the ${label} unit`, route: ['POST /admin/users/:id/reset-password', 'POST /api/v1/users/:id/reset-password'], allow, ok: [200, 200],
      setup: async () => ({ ...(await mkUser(unit)), hash: '' }),
      call: async (s, c, surface) => {
        c.hash = await conn.query(`SELECT password_hash FROM app_user WHERE tenant_id = 1 AND id = ${c.id}`);
        return surface === 'page' ? form(srv, s, `/admin/users/${c.id}/reset-password`, { confirm: '1' }) : api(srv, s, 'POST', `/api/v1/users/${c.id}/reset-password`, {});
      },
      check: async (c, role, r) => {
        assert.notEqual(await conn.query(`SELECT password_hash FROM app_user WHERE tenant_id = 1 AND id = ${c.id}`), c.hash);
        assert.equal((await userRow(c.id)).must, 1);
        const shown = r.json ? (() => { try { return r.json().initial_password; } catch { return null; } })() : null;
        const pwd = shown || r.text.match(/<p class="secret"><code>([^<]+)</)[1];
        assert.equal((await login(srv, c.login, pwd)).status, 200);
      },
    },
  ]),
  {
    what: 'give the admin role to a cadre of the own unit (escalation)', route: ['POST /admin/users/:id/roles', 'POST /api/v1/users/:id/roles'], allow: roles('admin'), ok: [303, 200],
    setup: async () => mkUser(OWN_UNIT),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/admin/users/${c.id}/roles`, [['role', 'cadre'], ['role', 'admin']])
      : api(srv, s, 'POST', `/api/v1/users/${c.id}/roles`, { role: ['cadre', 'admin'] }),
    check: async (c) => assert.deepEqual((await userRow(c.id)).roles, ['admin', 'cadre']),
  },
  {
    what: 'link a user of the own unit to a person there', route: ['POST /admin/users/:id/link', 'POST /api/v1/users/:id/link'], allow: roles('admin', 'unit'), ok: [303, 200],
    setup: async () => mkUser(OWN_UNIT),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/admin/users/${c.id}/link`, { person: String(personIn6), unit: String(OWN_UNIT) })
      : api(srv, s, 'POST', `/api/v1/users/${c.id}/link`, { person: personIn6, unit: OWN_UNIT }),
    check: async (c) => assert.deepEqual([(await userRow(c.id)).person, (await userRow(c.id)).unit], [personIn6, OWN_UNIT]),
  },
  {
    what: 'move a user of the own unit to another unit', route: ['POST /admin/users/:id/link', 'POST /api/v1/users/:id/link'], allow: roles('admin'), ok: [303, 200],
    setup: async () => mkUser(OWN_UNIT),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/admin/users/${c.id}/link`, { unit: String(OTHER_UNIT) })
      : api(srv, s, 'POST', `/api/v1/users/${c.id}/link`, { unit: OTHER_UNIT }),
    check: async (c) => assert.equal((await userRow(c.id)).unit, OTHER_UNIT),
  },
  {
    what: 'create a batch', route: ['POST /admin/batches', 'POST /api/v1/batches'], allow: roles('admin'), ok: [303, 201],
    setup: async () => ({ name: `批次${++seq}` }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/admin/batches', { name: c.name, year: '2027', phase: 'collecting' })
      : api(srv, s, 'POST', '/api/v1/batches', { name: c.name, year: 2027, phase: 'collecting' }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM batch WHERE name = '${c.name}'`)).trim(), 1),
  },
  {
    what: 'edit a batch', route: ['POST /admin/batches/:id', 'PATCH /api/v1/batches/:id'], allow: roles('admin'), ok: [303, 200],
    setup: async () => {
      const r = await api(srv, adminBearer, 'POST', '/api/v1/batches', { name: `批次${++seq}`, year: 2027, phase: 'collecting' });
      assert.equal(r.status, 201, r.text);
      return { id: r.json().batch.id, name: `改名${seq}` };
    },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/admin/batches/${c.id}`, { name: c.name, year: '2027', phase: 'screening' })
      : api(srv, s, 'PATCH', `/api/v1/batches/${c.id}`, { name: c.name }),
    check: async (c) => assert.equal((await conn.query(`SELECT name FROM batch WHERE id = ${c.id}`)).trim(), c.name),
  },
  // Setting up the evaluation (web/rubric.c, api/evaluation_setup.c).
  {
    what: "replace a batch's rubric", route: ['POST /batches/:id/rubric', 'PUT /api/v1/batches/:id/rubric'], allow: roles('admin'), ok: [303, 200],
    setup: async () => {
      const r = await api(srv, adminBearer, 'POST', '/api/v1/batches', { name: `评分批次${++seq}`, year: 2027, phase: 'evaluating' });
      assert.equal(r.status, 201, r.text);
      return { id: r.json().batch.id };
    },
    call: (s, c, surface) => surface === 'page'
      ? form(srv, s, `/batches/${c.id}/rubric`, { stage: 'final', 'criteria.0.name': '总体', 'criteria.0.weight': '100', 'criteria.0.max': '100' })
      : api(srv, s, 'PUT', `/api/v1/batches/${c.id}/rubric`, { criteria: [{ name: '总体', weight: 100, max: 100 }] }),
    check: async (c) => assert.equal((await conn.query(`SELECT name FROM rubric_criterion WHERE batch_id = ${c.id}`)).trim(), '总体'),
    unchanged: async (c, label) => assert.equal((await conn.query(`SELECT count(*) FROM rubric_criterion WHERE batch_id = ${c.id}`)).trim(), '0', label),
  },
  {
    what: 'mark a working claim at risk (中期评估)', route: ['POST /claims/:id/risk', 'POST /api/v1/claims/:id/risk'], allow: roles('admin'), ok: [303, 200],
    setup: async () => ({ id: await mkClaim('signed') }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/claims/${c.id}/risk`, { level: 'red', note: '矩阵风险' })
      : api(srv, s, 'POST', `/api/v1/claims/${c.id}/risk`, { level: 'red', note: '矩阵风险' }),
    check: async (c) => assert.equal((await conn.query(`SELECT risk FROM claim WHERE id = ${c.id}`)).trim(), 'red'),
    unchanged: async (c, label) => assert.equal((await conn.query(`SELECT risk FROM claim WHERE id = ${c.id}`)).trim(), '', label),
  },
  // The intake verbs: each page form and its API call (web/intake.c, api/intake.c).
  // Page targets are the role's own proposals: a proposal one may not see is 404.
  {
    what: 'propose a problem', route: ['POST /propose', 'POST /api/v1/problems'], allow: anyLoggedIn, ok: [303, 201],
    setup: async () => ({ title: `矩阵出卷${++seq}` }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/propose', { ...PROPOSAL, title: c.title, batch_id: String(batchId) })
      : api(srv, s, 'POST', '/api/v1/problems', { ...PROPOSAL, title: c.title, batch_id: batchId }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM problem WHERE title = '${c.title}'`)).trim(), 1),
  },
  {
    what: "propose on the residents' form", route: ['POST /public/propose', 'POST /api/v1/public/problems'], allow: all, ok: [303, 201],
    // Twelve from one address: over the hourly limit (intake_pages.test.mjs tests it).
    setup: async () => { await conn.query('DELETE FROM rate_event'); return { title: `群众来件${++seq}` }; },
    call: (s, c, surface) => surface === 'page'
      ? form(srv, s, '/public/propose', { ...PROPOSAL, title: c.title, batch_id: String(batchId) })
      : api(srv, s, 'POST', '/api/v1/public/problems', { ...PROPOSAL, title: c.title, batch_id: batchId }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM problem WHERE title = '${c.title}'`)).trim(), 1),
  },
  {
    what: 'select a proposal', route: ['POST /proposals/:id/transitions', 'POST /api/v1/problems/:id/transitions'], allow: roles('admin'), ok: [303, 200],
    setup: async (role) => ({ id: await mkProposal(await own(role)) }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/proposals/${c.id}/transitions`, { action: 'select' })
      : api(srv, s, 'POST', `/api/v1/problems/${c.id}/transitions`, { action: 'select' }),
    check: async (c) => assert.equal(await problemState(c.id), 'selected'),
    unchanged: async (c) => assert.equal(await problemState(c.id), 'proposed'),
  },
  {
    what: 'reject proposals in bulk', route: ['POST /admin/screening/bulk', 'POST /api/v1/problems/transitions'], allow: roles('admin'), ok: [303, 200],
    setup: async (role) => ({ ids: [await mkProposal(await own(role)), await mkProposal(await own(role))] }),
    call: (s, c, surface) => surface === 'page'
      ? form(srv, s, '/admin/screening/bulk', [['action', 'reject'], ['reason', '矩阵测试'], ['confirm', '1'], ...c.ids.map((id) => ['ids', String(id)])])
      : api(srv, s, 'POST', '/api/v1/problems/transitions', { action: 'reject', ids: c.ids, reason: '矩阵测试' }),
    check: async (c) => { for (const id of c.ids) assert.equal(await problemState(id), 'rejected'); },
    unchanged: async (c) => { for (const id of c.ids) assert.equal(await problemState(id), 'proposed'); },
  },
  {
    what: 'set a proposal\'s priority', route: ['POST /proposals/:id/screening', 'PATCH /api/v1/problems/:id'], allow: roles('admin'), ok: [303, 200],
    setup: async (role) => ({ id: await mkProposal(await own(role)) }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/proposals/${c.id}/screening`, { priority: '1' })
      : api(srv, s, 'PATCH', `/api/v1/problems/${c.id}`, { priority: '1' }),
    check: async (c) => assert.equal((await conn.query(`SELECT priority FROM problem WHERE id = ${c.id}`)).trim(), '1'),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT priority FROM problem WHERE id = ${c.id}`)).trim(), '0'),
  },
  {
    what: 'revise an own proposal', route: ['POST /proposals/:id/revise', 'POST /api/v1/proposals/:id/revise'], allow: anyLoggedIn, ok: [303, 200],
    setup: async (role) => ({ id: await mkProposal(await own(role)), title: `修改后${++seq}` }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/proposals/${c.id}/revise`, { ...PROPOSAL, title: c.title })
      : api(srv, s, 'POST', `/api/v1/proposals/${c.id}/revise`, { ...PROPOSAL, title: c.title }),
    check: async (c) => assert.equal((await conn.query(`SELECT title FROM problem WHERE id = ${c.id}`)).trim(), c.title),
    unchanged: async (c) => assert.notEqual((await conn.query(`SELECT title FROM problem WHERE id = ${c.id}`)).trim(), c.title),
  },
  {
    // API only: the page answers 404 for a proposal its reader may not see.
    what: "revise another user's proposal", route: ['POST /api/v1/proposals/:id/revise'], surfaces: ['api'], allow: () => false, ok: [200],
    setup: async (role) => ({ id: await mkProposal(await S(role === 'cadre' ? 'leader' : 'cadre')), title: `不该改${++seq}` }),
    call: (s, c) => api(srv, s, 'POST', `/api/v1/proposals/${c.id}/revise`, { ...PROPOSAL, title: c.title }),
    check: async () => assert.fail('never allowed'),
  },
  {
    what: 'mark an own notification read', route: ['POST /me/notifications/:id/read', 'POST /api/v1/notifications/:id/read'], allow: anyLoggedIn, ok: [303, 200],
    setup: async (role) => {
      const id = await mkProposal(await own(role));
      assert.equal((await api(srv, adminBearer, 'POST', `/api/v1/problems/${id}/transitions`, { action: 'select' })).status, 200);
      return { id: +(await conn.query(`SELECT max(id) FROM notification WHERE object_id = ${id}`)).trim() };
    },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/me/notifications/${c.id}/read`)
      : api(srv, s, 'POST', `/api/v1/notifications/${c.id}/read`, {}),
    check: async (c) => assert.notEqual((await conn.query(`SELECT coalesce(read_at, 0) FROM notification WHERE id = ${c.id}`)).trim(), '0'),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT coalesce(read_at, 0) FROM notification WHERE id = ${c.id}`)).trim(), '0'),
  },
  {
    what: 'carry a problem into another batch', route: ['POST /api/v1/problems/carry'], surfaces: ['api'], allow: roles('admin'), ok: [200],
    setup: async () => {
      const b = await api(srv, adminBearer, 'POST', '/api/v1/batches', { name: `转入批次${++seq}`, year: 2028, phase: 'collecting' });
      return { id: await mkProposal(), batch: b.json().batch.id };
    },
    call: (s, c) => api(srv, s, 'POST', '/api/v1/problems/carry', { batch_id: c.batch, ids: [c.id] }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT batch_id FROM problem WHERE id = ${c.id}`)).trim(), c.batch),
  },
  {
    what: 'mark all own notifications read', route: ['POST /me/notifications/read', 'POST /api/v1/notifications/read'], allow: anyLoggedIn, ok: [303, 200],
    setup: async () => ({}),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/me/notifications/read') : api(srv, s, 'POST', '/api/v1/notifications/read', {}),
    check: async (c, role) => assert.equal(+(await conn.query('SELECT count(*) FROM notification n JOIN app_user u ON u.tenant_id = n.tenant_id' +
      ` AND u.id = n.user_id WHERE u.login = '${LOGIN[role]}' AND n.read_at IS NULL`)).trim(), 0),
  },
  {
    what: 'send a complaint or suggestion', route: ['POST /feedback', 'POST /api/v1/feedback'], allow: all, ok: [303, 201],
    setup: async () => ({ subject: `矩阵建议${++seq}` }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/feedback', { kind: 'suggestion', subject: c.subject, body: '权限矩阵的测试内容' })
      : api(srv, s, 'POST', '/api/v1/feedback', { kind: 'suggestion', subject: c.subject, body: '权限矩阵的测试内容' }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM complaint WHERE subject = '${c.subject}'`)).trim(), 1),
  },
  {
    what: 'answer a complaint', route: ['POST /admin/feedback/:id', 'POST /api/v1/feedback/:id/answer'], allow: roles('admin'), ok: [303, 200],
    setup: async () => {
      const r = await api(srv, adminBearer, 'POST', '/api/v1/feedback', { kind: 'complaint', subject: `矩阵投诉${++seq}`, body: '权限矩阵的测试内容' });
      assert.equal(r.status, 201, r.text);
      return { id: r.json().complaint.id, answer: `矩阵答复${seq}` };
    },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/admin/feedback/${c.id}`, { answer: c.answer, answered_at: '0' })
      : api(srv, s, 'POST', `/api/v1/feedback/${c.id}/answer`, { answer: c.answer }),
    check: async (c) => assert.equal((await conn.query(`SELECT answer FROM complaint WHERE id = ${c.id}`)).trim(), c.answer),
  },

  // 公示, 异议, 工作日历 (web/notice.h): promotions notices of the demo's
  // 2022 batch (the demo has no accepted claims for a results notice yet).
  {
    what: 'publish a public notice', route: ['POST /admin/batches/:id/notices', 'POST /api/v1/batches/:id/notices'], allow: roles('admin'), ok: [303, 201],
    setup: async () => ({ title: `矩阵公示${++seq}` }),
    call: (s, c, surface) => surface === 'page'
      ? form(srv, s, '/admin/batches/1/notices', [['kind', 'promotions'], ['title', c.title], ['working_days', '5'], ['promotion_ids', '1']])
      : api(srv, s, 'POST', '/api/v1/batches/1/notices', { kind: 'promotions', promotion_ids: [1], title: c.title }),
    check: async (c) => {
      assert.equal(+(await conn.query(`SELECT count(*) FROM notice WHERE title = '${c.title}'`)).trim(), 1);
      await conn.query(`UPDATE notice SET state = 'closed' WHERE title = '${c.title}'`); // promotion 1 is free again
    },
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM notice WHERE title = '${c.title}'`)).trim(), 0),
  },
  {
    what: 'lodge an objection to an open notice', route: ['POST /notices/:id/objections', 'POST /api/v1/public/objections'], allow: all, ok: [303, 201],
    setup: async () => ({ notice: await openNotice(), body: `矩阵异议：公示的材料与实际情况不符，请核实${++seq}` }),
    call: (s, c, surface) => surface === 'page'
      ? form(srv, s, `/notices/${c.notice}/objections`, { name: '王小明', contact: '13812345678', body: c.body })
      : api(srv, s, 'POST', '/api/v1/public/objections', { notice_id: c.notice, name: '王小明', contact: '13812345678', body: c.body }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM objection WHERE body = '${c.body}'`)).trim(), 1),
  },
  {
    what: 'answer an objection', route: ['POST /admin/objections/:id/answer', 'POST /api/v1/objections/:id/answer'], allow: roles('admin'), ok: [303, 200],
    setup: async () => {
      const notice = await openNotice();
      const r = await api(srv, adminBearer, 'POST', '/api/v1/public/objections', { notice_id: notice, name: '王小明', contact: '13812345678', body: `矩阵异议，请组织部核实${++seq}` });
      assert.equal(r.status, 201, r.text);
      return { notice, id: r.json().objection.id };
    },
    call: (s, c, surface) => surface === 'page'
      ? form(srv, s, `/admin/objections/${c.id}/answer`, { notice: String(c.notice), kind: 'dismissed', answer: '矩阵答复' })
      : api(srv, s, 'POST', `/api/v1/objections/${c.id}/answer`, { kind: 'dismissed', answer: '矩阵答复' }),
    check: async (c) => assert.equal((await conn.query(`SELECT answer_kind FROM objection WHERE id = ${c.id}`)).trim(), 'dismissed'),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT answer_kind FROM objection WHERE id = ${c.id}`)).trim(), ''),
  },
  {
    what: 'close a notice whose period is over', route: ['POST /admin/notices/:id/close', 'POST /api/v1/notices/:id/close'], allow: roles('admin'), ok: [303, 200],
    setup: async () => {
      await conn.query("UPDATE notice SET state = 'closed' WHERE state = 'open' AND id IN (SELECT notice_id FROM notice_item WHERE promotion_id = 3)");
      const r = await api(srv, adminBearer, 'POST', '/api/v1/batches/1/notices', { kind: 'promotions', promotion_ids: [3], title: `矩阵期满公示${++seq}` });
      assert.equal(r.status, 201, r.text);
      const id = r.json().notice.id;
      await conn.query(`UPDATE notice SET starts_on = '2020-01-02', ends_on = '2020-01-08' WHERE id = ${id}`); // the period is over
      return { id };
    },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/admin/notices/${c.id}/close`) : api(srv, s, 'POST', `/api/v1/notices/${c.id}/close`, {}),
    check: async (c) => assert.equal((await conn.query(`SELECT state FROM notice WHERE id = ${c.id}`)).trim(), 'closed'),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT state FROM notice WHERE id = ${c.id}`)).trim(), 'open'),
  },
  {
    what: 'save a year of the working-day calendar', route: ['POST /calendar/:year', 'PUT /api/v1/calendar/:year'], allow: roles('admin'), ok: [303, 200],
    setup: async () => ({ name: `矩阵假日${++seq}` }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, '/calendar/2030', { lines: `2030-01-01 放假 ${c.name}` })
      : api(srv, s, 'PUT', '/api/v1/calendar/2030', { days: [{ day: '2030-01-01', kind: 'off', name: c.name }] }),
    check: async (c) => assert.equal((await conn.query("SELECT name FROM calendar_day WHERE day = '2030-01-01'")).trim(), c.name),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM calendar_day WHERE name = '${c.name}'`)).trim(), 0),
  },

  // 督办, 延期, 意见交流 (web/supervise.h): targets are claims of the cadre (its
  // person owns them), written into the store.
  {
    what: 'issue a supervision notice on a red claim', route: ['POST /claims/:id/supervisions', 'POST /api/v1/claims/:id/supervisions'], allow: roles('admin'), ok: [303, 201],
    setup: async () => fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON, milestoneDue: day(-2) }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/claims/${c.claim}/supervisions`, { reason: '矩阵督办', reply_by: ymd(day(3)) })
      : api(srv, s, 'POST', `/api/v1/claims/${c.claim}/supervisions`, { reason: '矩阵督办', reply_by: ymd(day(3)) }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM supervision WHERE claim_id = ${c.claim}`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM supervision WHERE claim_id = ${c.claim}`)).trim(), 0),
  },
  {
    what: 'answer a supervision notice on an own claim', route: ['POST /supervisions/:id/reply', 'POST /api/v1/supervisions/:id/reply'], allow: roles('cadre'), ok: [303, 200],
    setup: async () => {
      const c = await fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON, milestoneDue: day(-2) });
      const r = await api(srv, adminBearer, 'POST', `/api/v1/claims/${c.claim}/supervisions`, { reason: '矩阵督办', reply_by: ymd(day(3)) });
      assert.equal(r.status, 201, r.text);
      return { id: r.json().supervision.id };
    },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/supervisions/${c.id}/reply`, { reply: '矩阵答复' })
      : api(srv, s, 'POST', `/api/v1/supervisions/${c.id}/reply`, { reply: '矩阵答复' }),
    check: async (c) => assert.equal((await conn.query(`SELECT reply FROM supervision WHERE id = ${c.id}`)).trim(), '矩阵答复'),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT reply FROM supervision WHERE id = ${c.id}`)).trim(), ''),
  },
  {
    what: 'ask to extend an own claim', route: ['POST /claims/:id/extend', 'POST /api/v1/claims/:id/extend'], allow: roles('cadre'), ok: [303, 201],
    setup: async () => fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON, deadline: day(20) }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/claims/${c.claim}/extend`, { reason: '矩阵延期', new_deadline: ymd(day(40)) })
      : api(srv, s, 'POST', `/api/v1/claims/${c.claim}/extend`, { reason: '矩阵延期', new_deadline: ymd(day(40)) }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM extension WHERE claim_id = ${c.claim}`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM extension WHERE claim_id = ${c.claim}`)).trim(), 0),
  },
  ...[['approve', 'approved', {}], ['refuse', 'refused', { reason: '矩阵不同意' }]].map(([verb, state, body]) => ({
    what: `${verb} an extension request`, route: [`POST /extensions/:id/${verb}`, `POST /api/v1/extensions/:id/${verb}`], allow: roles('admin'), ok: [303, 200],
    setup: async () => {
      const c = await fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON, deadline: day(20) });
      const r = await api(srv, await S('cadre'), 'POST', `/api/v1/claims/${c.claim}/extend`, { reason: '矩阵延期', new_deadline: ymd(day(40)) });
      assert.equal(r.status, 201, r.text);
      return { id: r.json().extension.id };
    },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/extensions/${c.id}/${verb}`, body) : api(srv, s, 'POST', `/api/v1/extensions/${c.id}/${verb}`, body),
    check: async (c) => assert.equal((await conn.query(`SELECT state FROM extension WHERE id = ${c.id}`)).trim(), state),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT state FROM extension WHERE id = ${c.id}`)).trim(), 'pending'),
  })),
  // 提拔使用, 容错纠错 (web/people.h): promotions of the cadre's person; tolerance on its overdue claims.
  {
    what: 'record a promotion', route: ['POST /promotions', 'POST /api/v1/promotions'], allow: roles('admin'), ok: [303, 201],
    setup: async () => ({ doc: `矩阵文号${++seq}` }),
    call: (s, c, surface) => surface === 'page'
      ? form(srv, s, '/promotions', { op: 'submit', person_id: String(CADRE_PERSON), at: ymd(day(-1)), kind: 'commended', doc_no: c.doc })
      : api(srv, s, 'POST', '/api/v1/promotions', { person_id: CADRE_PERSON, at: ymd(day(-1)), kind: 'commended', doc_no: c.doc }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM promotion WHERE doc_no = '${c.doc}'`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM promotion WHERE doc_no = '${c.doc}'`)).trim(), 0),
  },
  {
    what: 'apply for fault tolerance on an own failed claim', route: ['POST /claims/:id/tolerance', 'POST /api/v1/claims/:id/tolerance'],
    allow: roles('admin', 'cadre'), ok: [303, 201],
    setup: async () => fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON, deadline: day(-3) }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/claims/${c.claim}/tolerance`, { reason: '矩阵容错', tried: '矩阵措施' })
      : api(srv, s, 'POST', `/api/v1/claims/${c.claim}/tolerance`, { reason: '矩阵容错', tried: '矩阵措施' }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM tolerance WHERE claim_id = ${c.claim}`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM tolerance WHERE claim_id = ${c.claim}`)).trim(), 0),
  },
  {
    what: 'decide a fault-tolerance request', route: ['POST /tolerances/:id/decide', 'POST /api/v1/tolerances/:id/decide'], allow: roles('admin'), ok: [303, 200],
    setup: async () => {
      const c = await fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON, deadline: day(-3) });
      const r = await api(srv, await S('cadre'), 'POST', `/api/v1/claims/${c.claim}/tolerance`, { reason: '矩阵容错', tried: '矩阵措施' });
      assert.equal(r.status, 201, r.text);
      return { id: r.json().tolerance.id };
    },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/tolerances/${c.id}/decide`, { decision: 'granted', basis: '矩阵依据' })
      : api(srv, s, 'POST', `/api/v1/tolerances/${c.id}/decide`, { decision: 'granted', basis: '矩阵依据' }),
    check: async (c) => assert.equal((await conn.query(`SELECT state FROM tolerance WHERE id = ${c.id}`)).trim(), 'granted'),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT state FROM tolerance WHERE id = ${c.id}`)).trim(), 'pending'),
  },
  {
    what: 'comment on a problem of the own team', route: ['POST /problems/:id/comments', 'POST /api/v1/problems/:id/comments'], allow: roles('admin', 'cadre'), ok: [303, 201],
    setup: async () => fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/problems/${c.problem}/comments`, { body: '矩阵意见' })
      : api(srv, s, 'POST', `/api/v1/problems/${c.problem}/comments`, { body: '矩阵意见' }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM problem_comment WHERE problem_id = ${c.problem}`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM problem_comment WHERE problem_id = ${c.problem}`)).trim(), 0),
  },
  {
    // The author edits its own (the admin and the cadre write theirs; the others try the cadre's).
    what: 'edit an own comment', route: ['POST /comments/:id/edit', 'PATCH /api/v1/comments/:id'], allow: roles('admin', 'cadre'), ok: [303, 200],
    setup: async (role) => {
      const c = await fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON });
      const author = role === 'admin' ? await S('admin') : await S('cadre');
      const r = await api(srv, author, 'POST', `/api/v1/problems/${c.problem}/comments`, { body: '矩阵原文' });
      assert.equal(r.status, 201, r.text);
      return { id: r.json().comment.id };
    },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/comments/${c.id}/edit`, { body: '矩阵改后' })
      : api(srv, s, 'PATCH', `/api/v1/comments/${c.id}`, { body: '矩阵改后' }),
    check: async (c) => assert.equal((await conn.query(`SELECT body FROM problem_comment WHERE id = ${c.id}`)).trim(), '矩阵改后'),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT body FROM problem_comment WHERE id = ${c.id}`)).trim(), '矩阵原文'),
  },
  {
    what: 'remove a comment', route: ['POST /comments/:id/remove', 'POST /api/v1/comments/:id/remove'], allow: roles('admin'), ok: [303, 200],
    setup: async () => {
      const c = await fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON });
      const r = await api(srv, await S('cadre'), 'POST', `/api/v1/problems/${c.problem}/comments`, { body: '矩阵待删' });
      assert.equal(r.status, 201, r.text);
      return { id: r.json().comment.id };
    },
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/comments/${c.id}/remove`) : api(srv, s, 'POST', `/api/v1/comments/${c.id}/remove`, {}),
    check: async (c) => assert.notEqual((await conn.query(`SELECT coalesce(removed_at, 0) FROM problem_comment WHERE id = ${c.id}`)).trim(), '0'),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT coalesce(removed_at, 0) FROM problem_comment WHERE id = ${c.id}`)).trim(), '0'),
  },
  {
    what: 'apply for a claim', route: ['POST /problems/:id/claim', 'POST /api/v1/problems/:id/claims'], surfaces: ['page', 'api'],
    allow: roles('cadre', 'unit'), ok: [303, 201],
    setup: async () => ({ id: await mkPublished() }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/problems/${c.id}/claim`, claimForm(CLAIM()))
      : api(srv, s, 'POST', `/api/v1/problems/${c.id}/claims`, CLAIM()),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM claim WHERE problem_id = ${c.id}`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM claim WHERE problem_id = ${c.id}`)).trim(), 0),
  },
  // Practices (经验做法): written by an admin or the owner of a solved claim
  // (the cadre owns this one, the unit admin does not), edited by the author
  // or an admin, recommended by evaluators and admins, adopted by admins.
  {
    what: 'write a practice on an own solved claim', route: ['POST /practices', 'POST /api/v1/practices'], allow: roles('admin', 'cadre'), ok: [303, 201],
    setup: async () => fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON, state: 'solved', problemState: 'solved' }),
    call: (s, c, surface) => surface === 'page'
      ? form(srv, s, '/practices', [['title', '矩阵做法'], ['summary', '矩阵概述'], ['claim_ids', String(c.claim)]])
      : api(srv, s, 'POST', '/api/v1/practices', { title: '矩阵做法', summary: '矩阵概述', claim_ids: [c.claim] }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM practice_claim WHERE claim_id = ${c.claim}`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM practice_claim WHERE claim_id = ${c.claim}`)).trim(), 0),
  },
  ...[['edit a draft practice (its author or an admin)', 'draft', roles('admin', 'cadre'), 'edit', 'PATCH', '', [303, 200]],
    ['recommend a practice', 'draft', roles('admin', 'evaluator'), 'recommend', 'POST', '/recommend', [303, 200]],
    ['adopt a practice as policy', 'recommended', roles('admin'), 'adopt', 'POST', '/adopt', [303, 200]]].map(([what, stage, allow, verb, method, tail, ok]) => ({
    what, route: [`POST /practices/:id/${verb}`, `${method} /api/v1/practices/:id${tail}`], allow, ok,
    setup: async () => {
      const k = await fixtureClaim(conn, { batch: batchId, owner: CADRE_PERSON, lead: OTHER_PERSON, state: 'solved', problemState: 'solved' });
      let r = await api(srv, await S('cadre'), 'POST', '/api/v1/practices', { title: '矩阵做法', summary: '矩阵概述', claim_ids: [k.claim] });
      assert.equal(r.status, 201, r.text);
      const id = r.json().practice.id;
      if (stage === 'recommended') {
        r = await api(srv, adminBearer, 'POST', `/api/v1/practices/${id}/recommend`);
        assert.equal(r.status, 200, r.text);
      }
      return { id, claim: k.claim };
    },
    call: (s, c, surface) => {
      const body = verb === 'edit' ? { title: '矩阵改后', summary: '矩阵概述', claim_ids: [c.claim] }
        : verb === 'adopt' ? { doc_no: '矩阵〔2027〕1号', issuer: '矩阵县政府', adopted_on: ymd(day(0)) } : {};
      if (surface === 'api') return api(srv, s, method, `/api/v1/practices/${c.id}${tail}`, body);
      return form(srv, s, `/practices/${c.id}/${verb}`, Object.entries(body).flatMap(([k, v]) => Array.isArray(v) ? v.map((x) => [k, String(x)]) : [[k, v]]));
    },
    check: async (c) => assert.equal((await conn.query(`SELECT state || title FROM practice WHERE id = ${c.id}`)).trim(),
      { edit: 'draft矩阵改后', recommend: 'recommended矩阵做法', adopt: 'adopted矩阵做法' }[verb]),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT state || title FROM practice WHERE id = ${c.id}`)).trim(), `${stage}矩阵做法`),
  })),
  // 简报: issued by admins only (leaders read it; tests/server/bulletin.test.mjs).
  {
    what: 'issue a bulletin', route: ['POST /bulletins', 'POST /api/v1/bulletins'], allow: roles('admin'), ok: [303, 201],
    setup: async () => ({ office: `矩阵简报${++seq}` }),
    call: (s, c, surface) => surface === 'page'
      ? form(srv, s, '/bulletins', { period_from: '2022-07-01', period_to: '2022-08-31', office: c.office })
      : api(srv, s, 'POST', '/api/v1/bulletins', { period_from: '2022-07-01', period_to: '2022-08-31', office: c.office }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM bulletin WHERE office = '${c.office}'`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM bulletin WHERE office = '${c.office}'`)).trim(), 0),
  },
  claimRow('endorse', 'endorsing', roles('unit'), 'applied'),
  claimRow('approve', 'applied', roles('admin'), 'approved'),
  claimRow('reject', 'endorsing', roles('admin', 'unit'), 'rejected', { reason: '矩阵理由' }),
  claimRow('accept-assignment', 'assigned', roles('cadre'), 'approved'),
  claimRow('decline-assignment', 'assigned', roles('cadre'), 'declined', { reason: '矩阵理由' }),
  claimRow('sign', 'approved', roles('cadre', 'unit'), 'approved'),
  claimRow('withdraw', 'signed', roles('cadre', 'admin'), 'withdrawn', { reason: '矩阵理由' }),
  claimRow('return', 'solved', roles('admin'), 'signed', { reason: '矩阵理由' }),
  claimRow('progress', 'signed', roles('cadre', 'unit'), 'signed', { text: '矩阵进展' }),
  claimRow('solve', 'signed', roles('cadre'), 'solved', { text: '矩阵破题' }),
  {
    what: 'form an evaluation panel', route: ['POST /batches/:id/panels', 'POST /api/v1/batches/:id/panels'], allow: roles('admin'), ok: [303, 201],
    setup: async () => ({ name: `矩阵新考评组${++seq}`, ev: +(await conn.query("SELECT id FROM app_user WHERE tenant_id = 1 AND login = 'evaluator'")).trim() }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/batches/${batchId}/panels`, { name: c.name, user_ids: String(c.ev) })
      : api(srv, s, 'POST', `/api/v1/batches/${batchId}/panels`, { name: c.name, user_ids: [c.ev] }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM panel WHERE name = '${c.name}'`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM panel WHERE name = '${c.name}'`)).trim(), 0),
  },
  {
    what: 'rename an evaluation panel', route: ['POST /panels/:id', 'PATCH /api/v1/panels/:id'], allow: roles('admin'), ok: [303, 200],
    setup: async () => evalTarget({ assign: false }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/panels/${c.panel}`, { name: `矩阵改名${c.panel}` })
      : api(srv, s, 'PATCH', `/api/v1/panels/${c.panel}`, { name: `矩阵改名${c.panel}` }),
    check: async (c) => assert.equal((await conn.query(`SELECT name FROM panel WHERE id = ${c.panel}`)).trim(), `矩阵改名${c.panel}`),
    unchanged: async (c) => assert.match((await conn.query(`SELECT name FROM panel WHERE id = ${c.panel}`)).trim(), /^矩阵考评组/),
  },
  {
    what: 'assign a solved claim to a panel', route: ['POST /panels/:id/assignments', 'POST /api/v1/panels/:id/assignments'], allow: roles('admin'), ok: [303, 200],
    setup: async () => evalTarget({ assign: false }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/panels/${c.panel}/assignments`, { claim_ids: String(c.claim) })
      : api(srv, s, 'POST', `/api/v1/panels/${c.panel}/assignments`, { claim_ids: [c.claim] }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM panel_claim WHERE claim_id = ${c.claim}`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM panel_claim WHERE claim_id = ${c.claim}`)).trim(), 0),
  },
  {
    what: 'score a claim assigned to the own panel', route: ['POST /claims/:id/score', 'POST /api/v1/claims/:id/scores'], allow: roles('evaluator'), ok: [303, 201],
    setup: async () => evalTarget(),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/claims/${c.claim}/score`, evalForm())
      : api(srv, s, 'POST', `/api/v1/claims/${c.claim}/scores`, EVAL_SCORES),
    check: async (c) => assert.equal(await evalCount(c), 1),
    unchanged: async (c) => assert.equal(await evalCount(c), 0),
  },
  {
    what: 'reopen a submitted score', route: ['POST /evaluations/:id/reopen', 'POST /api/v1/evaluations/:id/reopen'], allow: roles('admin'), ok: [303, 200],
    setup: async () => evalTarget({ scored: true }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/evaluations/${c.evaluation}/reopen`, { reason: '矩阵退回' })
      : api(srv, s, 'POST', `/api/v1/evaluations/${c.evaluation}/reopen`, { reason: '矩阵退回' }),
    check: async (c) => assert.equal((await conn.query(`SELECT state FROM evaluation WHERE id = ${c.evaluation}`)).trim(), 'reopened'),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT state FROM evaluation WHERE id = ${c.evaluation}`)).trim(), 'submitted'),
  },
  {
    what: 'accept a claim whose panel has scored it', route: ['POST /claims/:id/accept', 'POST /api/v1/claims/:id/accept'], allow: roles('admin'), ok: [303, 200],
    setup: async () => evalTarget({ scored: true }),
    call: (s, c, surface) => surface === 'page' ? form(srv, s, `/claims/${c.claim}/accept`) : api(srv, s, 'POST', `/api/v1/claims/${c.claim}/accept`, {}),
    check: async (c) => assert.equal((await conn.query(`SELECT state FROM claim WHERE id = ${c.claim}`)).trim(), 'accepted'),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT state FROM claim WHERE id = ${c.claim}`)).trim(), 'solved'),
  },
  // the dashboard's area: the big screen's switch (tenant.settings)
  {
    what: 'open the big screen to everyone', route: ['POST /admin/settings'], surfaces: ['page'], allow: roles('admin'), ok: [303],
    setup: async () => { await conn.query('UPDATE tenant SET bigscreen = 0 WHERE id = 1'); return {}; },
    call: (s) => form(srv, s, '/admin/settings', { bigscreen: '1' }),
    check: async () => assert.equal((await conn.query('SELECT bigscreen FROM tenant WHERE id = 1')).trim(), '1'),
    unchanged: async () => assert.equal((await conn.query('SELECT bigscreen FROM tenant WHERE id = 1')).trim(), '0'),
  },
  // a person's data (web/pii.c, issue 13 §6): find, export and erase a resident's contact details
  {
    what: "find a person's records", route: ['POST /admin/personal-data'], surfaces: ['page'], allow: roles('admin'), ok: [200],
    setup: async () => {
      const phone = `1350000${String(++seq).padStart(4, '0')}`;
      await conn.query(`UPDATE problem SET contact_name = '矩阵居民', contact_phone = '${phone}', contact_erased_at = NULL WHERE id = (SELECT min(id) FROM problem WHERE proposer_user_id IS NULL)`);
      return { phone };
    },
    call: (s, c) => form(srv, s, '/admin/personal-data', { q: c.phone }),
    // a search changes nothing: the admin sees the record, the others a 403 without it
    check: async (c, role, r) => assert.match(r.text, /找到 1 条记录/),
  },
  {
    what: "export a person's data", route: ['POST /admin/personal-data/export'], surfaces: ['page'], allow: roles('admin'), ok: [200],
    setup: async () => {
      const phone = `1350000${String(++seq).padStart(4, '0')}`;
      await conn.query(`UPDATE problem SET contact_name = '矩阵居民', contact_phone = '${phone}' WHERE id = (SELECT min(id) FROM problem WHERE proposer_user_id IS NULL)`);
      return { phone, n: +(await conn.query("SELECT count(*) FROM audit_event WHERE action = 'pii.export'")).trim() };
    },
    call: (s, c) => form(srv, s, '/admin/personal-data/export', { q: c.phone }),
    check: async (c) => assert.equal(+(await conn.query("SELECT count(*) FROM audit_event WHERE action = 'pii.export'")).trim(), c.n + 1),
    unchanged: async (c) => assert.equal(+(await conn.query("SELECT count(*) FROM audit_event WHERE action = 'pii.export'")).trim(), c.n),
  },
  {
    what: "erase a person's contact details", route: ['POST /admin/personal-data/erase'], surfaces: ['page'], allow: roles('admin'), ok: [200],
    setup: async () => {
      const phone = `1350000${String(++seq).padStart(4, '0')}`;
      const id = +(await conn.query('SELECT min(id) FROM problem WHERE proposer_user_id IS NULL')).trim();
      await conn.query(`UPDATE problem SET contact_name = '矩阵居民', contact_phone = '${phone}', contact_erased_at = NULL WHERE id = ${id}`);
      return { phone, id };
    },
    call: (s, c) => form(srv, s, '/admin/personal-data/erase', { q: c.phone, confirm: '1' }),
    check: async (c) => assert.equal((await conn.query(`SELECT contact_phone FROM problem WHERE id = ${c.id}`)).trim(), ''),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT contact_phone FROM problem WHERE id = ${c.id}`)).trim(), c.phone),
  },
  // 推送机器人 (web/robots.c, issue 12 §4): robots are made disabled, so the
  // delivery thread never reaches out; 203.0.113.10 is a public (TEST-NET-3) literal.
  {
    what: 'add a group robot', route: ['POST /admin/robots'], surfaces: ['page'], allow: roles('admin'), ok: [303],
    setup: async () => ({ name: `矩阵机器人${++seq}` }),
    call: (s, c) => form(srv, s, '/admin/robots', { kind: 'webhook', name: c.name, url: 'http://203.0.113.10/hook' }),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM robot WHERE name = '${c.name}'`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM robot WHERE name = '${c.name}'`)).trim(), 0),
  },
  {
    what: 'edit a group robot', route: ['POST /admin/robots/:id'], surfaces: ['page'], allow: roles('admin'), ok: [303],
    setup: async () => ({ id: await mkRobot(), name: `矩阵改名${++seq}` }),
    call: (s, c) => form(srv, s, `/admin/robots/${c.id}`, { kind: 'wecom', name: c.name, url: 'http://203.0.113.10/wecom' }),
    check: async (c) => assert.equal((await conn.query(`SELECT name FROM robot WHERE id = ${c.id}`)).trim(), c.name),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT kind FROM robot WHERE id = ${c.id}`)).trim(), 'webhook'),
  },
  {
    what: 'delete a group robot', route: ['POST /admin/robots/:id/delete'], surfaces: ['page'], allow: roles('admin'), ok: [303],
    setup: async () => ({ id: await mkRobot() }),
    call: (s, c) => form(srv, s, `/admin/robots/${c.id}/delete`),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM robot WHERE id = ${c.id}`)).trim(), 0),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM robot WHERE id = ${c.id}`)).trim(), 1),
  },
  {
    what: 'send a test message to a group robot', route: ['POST /admin/robots/:id/test'], surfaces: ['page'], allow: roles('admin'), ok: [303],
    setup: async () => ({ id: await mkRobot() }),
    call: (s, c) => form(srv, s, `/admin/robots/${c.id}/test`),
    check: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM outbox WHERE robot_id = ${c.id}`)).trim(), 1),
    unchanged: async (c) => assert.equal(+(await conn.query(`SELECT count(*) FROM outbox WHERE robot_id = ${c.id}`)).trim(), 0),
  },
  {
    what: 'resend a dead letter', route: ['POST /admin/outbox/:id/resend'], surfaces: ['page'], allow: roles('admin'), ok: [303],
    setup: async () => {
      const robot = await mkRobot();
      const id = +(await conn.query(`INSERT INTO id_seq (tenant_id, name, next_id) VALUES (1, 'outbox', 1) ON CONFLICT (tenant_id, name)` +
        ` DO UPDATE SET next_id = id_seq.next_id + 1 RETURNING next_id`)).trim();
      await conn.query(`INSERT INTO outbox (tenant_id, id, robot_id, event, delivery_id, body, state, attempts, next_at, last_error, created_at)` +
        ` VALUES (1, ${id}, ${robot}, 'test', 'matrix${id}x${seq}', '{}', 'dead', 8, 0, 'HTTP 500', 0)`);
      return { id };
    },
    call: (s, c) => form(srv, s, `/admin/outbox/${c.id}/resend`),
    check: async (c) => assert.equal((await conn.query(`SELECT state FROM outbox WHERE id = ${c.id}`)).trim(), 'pending'),
    unchanged: async (c) => assert.equal((await conn.query(`SELECT state FROM outbox WHERE id = ${c.id}`)).trim(), 'dead'),
  },
  // Imports (web/import.c, api/import.c): the page's check is a dry run
  // that writes nothing; its confirmation and the API import.
  {
    what: 'import units from a CSV', route: ['POST /admin/import', 'POST /api/v1/import/:kind'], allow: roles('admin'), ok: [200, 200],
    setup: async () => ({ name: `矩阵导入单位${++seq}` }),
    call: (s, c, surface) => importUpload(s, surface === 'page' ? '/admin/import' : '/api/v1/import/units', c.name, surface),
    check: async (c, role, r) => {
      const n = +(await conn.query(`SELECT count(*) FROM unit WHERE name = '${c.name}'`)).trim();
      if (r.headers.get('content-type').includes('html')) { assert.match(r.text, /确认导入/); assert.equal(n, 0); } else assert.equal(n, 1);
    },
    unchanged: async (c, label) => assert.equal((await conn.query(`SELECT count(*) FROM unit WHERE name = '${c.name}'`)).trim(), '0', label),
  },
  {
    what: 'confirm an import the admin checked', route: ['POST /admin/import/confirm'], surfaces: ['page'], allow: roles('admin'), ok: [200],
    setup: async () => {
      const name = `矩阵确认单位${++seq}`;
      const r = await importUpload(await S('admin'), '/admin/import', name, 'page');
      assert.equal(r.status, 200, r.text);
      return { name, sha: r.text.match(/name="sha256" value="([0-9a-f]{64})"/)[1] };
    },
    call: (s, c) => form(srv, s, '/admin/import/confirm', { kind: 'units', sha256: c.sha, batch_id: '', name: 'm.csv' }),
    check: async (c) => assert.equal((await conn.query(`SELECT count(*) FROM unit WHERE name = '${c.name}'`)).trim(), '1'),
    unchanged: async (c, label) => assert.equal((await conn.query(`SELECT count(*) FROM unit WHERE name = '${c.name}'`)).trim(), '0', label),
  },
  // Many counties (web/tenants.c): only the deployment's operator, a role
  // none of the matrix's logins holds (region.test.mjs tests it allowed).
  {
    what: 'create a tenant', route: ['POST /ops/tenants', 'POST /api/v1/tenants'], allow: () => false, ok: [201, 201],
    setup: async () => ({ slug: `matrix${++seq}` }),
    call: (s, c, surface) => (surface === 'page'
      ? form(srv, s, '/ops/tenants', { name: '矩阵县', slug: c.slug, tz: 'Asia/Shanghai' })
      : api(srv, s, 'POST', '/api/v1/tenants', { name: '矩阵县', slug: c.slug, tz: 'Asia/Shanghai' })),
    check: async () => assert.fail('nobody in the matrix is an operator'),
    unchanged: async (c, label) => assert.equal((await conn.query(`SELECT count(*) FROM tenant WHERE slug = '${c.slug}'`)).trim(), '0', label),
  },
  {
    what: 'rename a tenant', route: ['POST /ops/tenants/:id'], surfaces: ['page'], allow: () => false, ok: [303],
    setup: async () => ({}),
    call: (s) => form(srv, s, '/ops/tenants/1', { name: '矩阵改名县', tz: 'Asia/Shanghai' }),
    check: async () => assert.fail('nobody in the matrix is an operator'),
    unchanged: async (c, label) => assert.equal((await conn.query('SELECT name FROM tenant WHERE id = 1')).trim(), '滦南县', label),
  },
];

const cells = [];

test('ASVS 4.1.1 / 4.1.3 / 4.1.5 / 4.2.1: the permission matrix of every role against every state-changing route', async () => {
  for (const row of rows) {
    for (const [i, surface] of (row.surfaces || ['page', 'api']).entries()) {
      for (const role of ROLES) {
        const label = `${role} × ${row.route[i]} (${row.what})`;
        const ctx = await row.setup(role);
        const s = await S(role);
        const allowed = row.allow(role);
        cells.push({ role, route: row.route[i], what: row.what, allowed });
        if (allowed) {
          const r = await row.call(s, ctx, surface);
          assert.equal(r.status, row.ok[i], `${label}: ${r.status} ${r.text.slice(0, 300)}`);
          await row.check(ctx, role, r);
          continue;
        }
        const before_ = await snapshotWithDenials(conn);
        const r = await row.call(s, ctx, surface);
        assert.equal(r.status, role === 'anonymous' ? 401 : 403, `${label}: ${r.status} ${r.text.slice(0, 300)}`);
        if (surface === 'page') {
          assert.match(r.headers.get('content-type'), /text\/html/, label);
          assert.match(r.text, role === 'anonymous' ? /需要登录/ : /没有权限/, label);
        } else {
          assert.equal(r.json().error.code, role === 'anonymous' ? 'unauthenticated' : 'forbidden', label);
        }
        const after_ = await snapshotWithDenials(conn);
        const accounts = (rows_) => rows_.filter((l) => !l.startsWith('z'));
        assert.deepEqual(accounts(after_), accounts(before_), `${label}: nothing changed`);
        if (row.unchanged) await row.unchanged(ctx, label);
        const denials = (rows_) => +rows_.find((l) => l.startsWith('z|')).split('|')[2];
        assert.equal(denials(after_), denials(before_) + 1, `${label}: the refusal is logged`);
        const last = after_.find((l) => l.startsWith('zz|')).split('|');
        assert.equal(last[3], role === 'anonymous' ? 'anonymous' : LOGIN[role], label);
      }
    }
  }
  const routes = new Set(cells.map((c) => c.route));
  const distinct = new Set(cells.map((c) => `${c.role} ${c.route}`));
  const allowedCount = cells.filter((c) => c.allowed).length;
  console.log(`# permission matrix: ${ROLES.length} roles × ${routes.size} state-changing routes = ${distinct.size} role×route pairs; ` +
    `${cells.length} checks with targets in and outside the unit (${allowedCount} allowed, ${cells.length - allowedCount} refused)`);
  const expected = new Set(rows.flatMap((r) => r.route)).size;
  assert.ok(routes.size >= 39, `${routes.size} routes`);
  assert.equal(routes.size, expected);
  assert.equal(distinct.size, ROLES.length * expected);
});

test('ASVS 4.1.1: every state-changing route of the route table is in the matrix', async () => {
  // The table's unsafe routes, read from the 405 Allow headers is indirect;
  // the source is the table itself.
  const { readFileSync } = await import('node:fs');
  const src = readFileSync(new URL('../../src/web/routes.c', import.meta.url), 'utf8');
  const table = [...src.matchAll(/\{ "(POST|DELETE|PUT|PATCH)", "([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`);
  const covered = new Set(rows.flatMap((r) => r.route));
  for (const route of table) assert.ok(covered.has(route), `${route} has a row in the matrix`);
  assert.equal(table.length, covered.size);
});

test('ASVS 4.1.1 / 4.2.1: reading users and the audit log follows the same table', async () => {
  const expect = {
    anonymous: { users: 303, audit: 303, apiUsers: 401 },
    admin: { users: 200, audit: 200, apiUsers: 200 },
    unit: { users: 200, audit: 403, apiUsers: 200 },
    cadre: { users: 403, audit: 403, apiUsers: 403 },
    evaluator: { users: 403, audit: 403, apiUsers: 403 },
    leader: { users: 200, audit: 403, apiUsers: 200 },
  };
  for (const role of ROLES) {
    const s = await S(role);
    assert.equal((await page(srv, s, '/admin/users')).status, expect[role].users, `${role} /admin/users`);
    assert.equal((await page(srv, s, '/admin/audit')).status, expect[role].audit, `${role} /admin/audit`);
    const u = await page(srv, s, '/api/v1/users');
    assert.equal(u.status, expect[role].apiUsers, `${role} /api/v1/users`);
    if (role === 'unit') {
      assert.ok(u.json().items.length > 0);
      assert.ok(u.json().items.every((x) => x.unit_id === OWN_UNIT), 'a unit_admin sees its own unit only');
      const other = await mkUser(OTHER_UNIT);
      assert.equal((await page(srv, s, `/api/v1/users/${other.id}`)).status, 403);
      assert.equal((await page(srv, s, `/admin/users/${other.id}`)).status, 403);
    }
  }
});

test('ASVS 4.1.2 / 4.2.1: role escalation through extra form fields changes nothing it should not', async () => {
  const cadre = await S('cadre');
  const before_ = await userRow(cadre.user.id);
  const next = newPassword();
  const r = await form(srv, cadre, '/account/password', [['current_password', pw.cadre], ['new_password', next], ['new_password2', next],
    ['role', 'admin'], ['roles', 'admin'], ['disabled', '0'], ['must_change', '0'], ['tenant_id', '2'], ['user_id', '1'], ['unit', '18']]);
  assert.equal(r.status, 303);
  pw.cadre = next;
  const after_ = await userRow(cadre.user.id);
  assert.deepEqual({ ...after_ }, { ...before_ }, 'roles, unit and state unchanged');
  // A unit_admin cannot make itself an admin, nor move itself out of its unit.
  const unit = await S('unit');
  const self = unit.user.id;
  for (const [path, body] of [[`/api/v1/users/${self}/roles`, { role: ['unit_admin', 'admin'] }], [`/api/v1/users/${self}/link`, { unit: OTHER_UNIT }],
    ['/api/v1/users', { login: 'sneaky', role: 'unit_admin', unit: OWN_UNIT }]]) {
    const snap = snapshot(srv);
    const x = await api(srv, unit, 'POST', path, body);
    assert.equal(x.status, 403, `${path}: ${x.text}`);
    assert.equal(snapshot(srv), snap);
  }
  // The page offers a unit_admin only the roles it may give.
  const p = await page(srv, unit, '/admin/users');
  assert.match(p.text, /name="role" value="cadre">/);
  assert.doesNotMatch(p.text, /name="role" value="admin"/);
});

test('ASVS 4.1.5: an admin cannot lock itself out', async () => {
  const admin = await S('admin');
  const id = admin.user.id;
  const snap = snapshot(srv);
  assert.equal((await api(srv, admin, 'POST', `/api/v1/users/${id}/disable`, {})).status, 400);
  assert.equal((await api(srv, admin, 'POST', `/api/v1/users/${id}/roles`, { role: ['cadre'] })).status, 400);
  assert.equal((await api(srv, admin, 'POST', `/api/v1/users/${id}/reset-password`, {})).status, 400);
  assert.equal(snapshot(srv), snap);
  assert.ok(run(['user', 'list', '--db', srv.store]).stdout.includes('\tadmin\tadmin\t'));
});
