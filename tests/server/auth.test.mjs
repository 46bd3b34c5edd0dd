// Accounts and sessions: logging in and out, passwords, session tokens and
// cookies, expiry, API tokens, the command line. Each test names the OWASP
// ASVS 4.0.3 requirement it proves (shared/SECURITY.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, get, run, sql, freshStore, validHtml } from './harness.mjs';
import { DEMO_PASSWORD, login, form, api, page, snapshot, audit, count, cliAdd, freshUser, cliToken } from './accounts.mjs';

let srv;
// These tests log in ~40 times from one address: more than the default
// limit of successful log-ins per address (throttle.test.mjs tests it).
before(async () => { srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } }); });
after(async () => { await srv.stop(); });

const withoutFastHash = () => {
  const env = { ...process.env };
  delete env.JIEBANG_TEST_FAST_HASH;
  return env;
};

test('ASVS 2.5.4: the demo has one login per role, all with the demo password', async () => {
  const expect = { admin: 'admin', unit: 'unit_admin', cadre: 'cadre', evaluator: 'evaluator', leader: 'leader' };
  for (const [name, role] of Object.entries(expect)) {
    const s = await login(srv, name);
    assert.equal(s.status, 200, `${name}: ${s.text}`);
    assert.deepEqual(s.user.roles, [role]);
    assert.equal(s.user.must_change, false);
    const me = (await api(srv, s, 'GET', '/api/v1/me')).json();
    assert.equal(me.login, name);
    assert.ok(me.person_id && me.unit_id, `${name} is linked to a person and a unit`);
  }
});

test('ASVS 2.3.1 / 2.5.4: init makes the first admin with a random password shown once, to be changed first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiebang-init-'));
  try {
    const db = freshStore(dir);
    const r = run(['init', '--db', db, '--name', '测试县']);
    assert.equal(r.status, 0, r.stderr);
    const pw = r.stdout.match(/initial password (\S+)/)[1];
    assert.ok(pw.length >= 16, 'at least 16 random characters');
    const again = run(['init', '--db', db]);
    assert.match(again.stdout, /already initialised/);
    assert.doesNotMatch(again.stdout, /password/, 'shown once only');
    const hash = sql(db, "SELECT password_hash FROM app_user WHERE login = 'admin'").trim();
    assert.match(hash, /^\$argon2id\$/);
    assert.ok(!hash.includes(pw));
    assert.equal(sql(db, "SELECT must_change FROM app_user WHERE login = 'admin'").trim(), '1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ASVS 2.4.1: by default passwords are hashed with argon2id at m >= 19 MiB, t >= 2, p = 1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiebang-cost-'));
  try {
    const db = freshStore(dir);
    const r = run(['init', '--db', db], { env: withoutFastHash() });
    assert.equal(r.status, 0, r.stderr);
    const hash = sql(db, "SELECT password_hash FROM app_user WHERE login = 'admin'").trim();
    const m = hash.match(/^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/);
    assert.ok(m, hash);
    assert.ok(+m[1] >= 19 * 1024, `m=${m[1]} KiB`);
    assert.ok(+m[2] >= 2, `t=${m[2]}`);
    assert.equal(+m[3], 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ASVS 2.4.2: a hash below the current cost is upgraded at the next log-in; an unknown login costs a hash too', async () => {
  const prod = await startServer({ env: { JIEBANG_TEST_FAST_HASH: '' } });
  try {
    const before = sql(prod.store, "SELECT password_hash FROM app_user WHERE login = 'cadre'").trim();
    assert.match(before, /m=8,t=1,/, 'the demo was made at test cost');
    assert.match(prod.log(), /./);
    const s = await login(prod, 'cadre');
    assert.equal(s.status, 200);
    const after_ = sql(prod.store, "SELECT password_hash FROM app_user WHERE login = 'cadre'").trim();
    assert.match(after_, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
    assert.equal((await login(prod, 'cadre')).status, 200, 'the upgraded hash verifies');
    // Timing does not tell whether a login exists: both cost one hash.
    const time = async (name) => {
      const t0 = process.hrtime.bigint();
      const r = await login(prod, name, 'not the password at all');
      assert.equal(r.status, 401);
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    assert.equal((await login(prod, 'leader')).status, 200, 'upgrade the hash first: in production all are at this cost');
    const known = [], unknown = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time('leader'));
      unknown.push(await time(`ghost${i}`));
    }
    const k = known.sort()[1], u = unknown.sort()[1];
    assert.ok(u > k / 3 && u < k * 3, `unknown ${u} ms vs known ${k} ms`);
  } finally {
    await prod.stop();
  }
});

test('ASVS 2.1.1 / 2.1.2 / 2.1.7 / 2.1.9: 12 to 128 characters, not a common password, no composition rules', async () => {
  const u = await freshUser(srv, 'pwrules');
  let current = u.password;
  const change = (pw) => api(srv, u.session, 'POST', '/api/v1/me/password', { current_password: current, new_password: pw });
  const refused = [
    ['short pass!', /至少需要 12 个字符/],
    ['x'.repeat(64) + 'y'.repeat(65), /最多 128 个字符/],
    ['Password1234', /太常见/],
    ['WOAINI1314520', /太常见/],
    ['1qaz2wsx3edc', /太常见/],
    [DEMO_PASSWORD, /太常见/],
    ['pwrules-is-my-name', /登录名/],
    ['揭榜挂帅破百题立军令状', /至少需要 12 个字符/], // 11 characters, 33 bytes
  ];
  for (const [pw, why] of refused) {
    const before_ = snapshot(srv);
    const r = await change(pw);
    assert.equal(r.status, 400, pw);
    assert.equal(r.json().error.code, 'weak_password');
    assert.equal(r.json().error.field, 'new_password');
    assert.match(r.json().error.message, why);
    assert.equal(snapshot(srv), before_, 'nothing changed');
  }
  for (const pw of ['all lower case words', '揭榜挂帅破百题立军令状干', 'z'.repeat(127) + 'q']) {
    const r = await change(pw);
    assert.equal(r.status, 200, `${pw}: ${r.text}`);
    current = pw;
  }
  assert.equal((await login(srv, 'pwrules', current)).status, 200);
});

test('ASVS 3.7.1: changing a password needs the current one; it ends the other sessions', async () => {
  const u = await freshUser(srv, 'reauth');
  const other = await login(srv, 'reauth', u.password);
  const before_ = snapshot(srv);
  const bad = await api(srv, u.session, 'POST', '/api/v1/me/password', { current_password: 'not my password', new_password: 'a brand new phrase' });
  assert.equal(bad.status, 403);
  assert.equal(bad.json().error.code, 'wrong_password');
  assert.equal(snapshot(srv), before_);
  const missing = await api(srv, u.session, 'POST', '/api/v1/me/password', { new_password: 'a brand new phrase' });
  assert.equal(missing.status, 400);
  assert.equal(missing.json().error.field, 'current_password');
  // The page form checks the repeat too.
  const mismatch = await form(srv, u.session, '/account/password', { current_password: u.password, new_password: 'a brand new phrase', new_password2: 'a brand new phrasE' });
  assert.equal(mismatch.status, 400);
  assert.match(mismatch.text, /两次输入的新密码不一致/);
  validHtml(mismatch.text);
  const ok = await form(srv, u.session, '/account/password', { current_password: u.password, new_password: 'a brand new phrase', new_password2: 'a brand new phrase' });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), '/account?changed=1');
  assert.equal((await api(srv, u.session, 'GET', '/api/v1/me')).status, 200, 'this session stays');
  assert.equal((await api(srv, other, 'GET', '/api/v1/me')).status, 401, 'the other one ended');
  assert.equal((await login(srv, 'reauth', u.password)).status, 401);
  assert.equal((await login(srv, 'reauth', 'a brand new phrase')).status, 200);
});

test('ASVS 2.3.1: a user made by an admin gets a one-time password and must change it before anything else', async () => {
  const admin = await login(srv, 'admin');
  const r = await form(srv, admin, '/admin/users', [['login', 'Newbie'], ['role', 'cadre'], ['unit', '6']]);
  assert.equal(r.status, 201, r.text);
  validHtml(r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const pw = r.text.match(/<p class="secret"><code>([^<]+)<\/code>/)[1];
  assert.equal(pw.length, 16);
  const s = await login(srv, 'newbie', pw);
  assert.equal(s.status, 200);
  assert.equal(s.user.must_change, true);
  assert.equal(s.user.login, 'newbie', 'logins are folded to lower case');
  const board = await page(srv, s, '/');
  assert.equal(board.status, 303);
  assert.equal(board.headers.get('location'), '/account/password');
  const apiCall = await api(srv, s, 'POST', '/api/v1/tokens', { name: 'x' });
  assert.equal(apiCall.status, 403);
  assert.equal(apiCall.json().error.code, 'password_change_required');
  const pwPage = await page(srv, s, '/account/password');
  assert.equal(pwPage.status, 200);
  assert.match(pwPage.text, /初始密码/);
  validHtml(pwPage.text);
  const ch = await api(srv, s, 'POST', '/api/v1/me/password', { current_password: pw, new_password: 'a phrase of my own choosing' });
  assert.equal(ch.status, 200);
  assert.equal((await page(srv, s, '/')).status, 200);
});

test('ASVS 3.2.1: every log-in issues a new session token and ends the one the browser had', async () => {
  const a = await login(srv, 'leader');
  const r = await fetch(srv.url + '/login', {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: a.cookie },
    body: 'login=leader&password=jiebang-demo&next=%2Fstats',
  });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/stats');
  const b = r.headers.get('set-cookie').match(/jb_session=([^;]+)/)[1];
  assert.notEqual(b, a.token);
  assert.equal((await api(srv, a, 'GET', '/api/v1/me')).status, 401);
  assert.equal((await api(srv, { cookie: `jb_session=${b}` }, 'GET', '/api/v1/me')).status, 200);
});

test('ASVS 3.2.2 / 3.2.4: session tokens carry 256 bits from the CSPRNG; the store keeps only their hash', async () => {
  const seen = new Set();
  for (let i = 0; i < 10; i++) {
    const s = await login(srv, 'evaluator');
    assert.match(s.token, /^[A-Za-z0-9_-]{43}$/);
    assert.match(s.csrf, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(!seen.has(s.token));
    seen.add(s.token);
  }
  const rows = sql(srv.store, 'SELECT token_hash FROM user_session');
  for (const t of seen) assert.ok(!rows.includes(t), 'no raw token in the store');
  for (const h of rows.trim().split('\n')) assert.match(h, /^[0-9a-f]{64}$/);
});

test('ASVS 3.3.1: log-out ends the session on the server and clears the cookie', async () => {
  const s = await login(srv, 'unit');
  const acct = await page(srv, s, '/account');
  const csrf = acct.text.match(/name="csrf" value="([^"]+)"/)[1];
  assert.equal(csrf, s.csrf);
  const r = await form(srv, s, '/logout');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/');
  assert.match(r.headers.get('set-cookie'), /jb_session=; Path=\/; Max-Age=0/);
  assert.equal((await api(srv, s, 'GET', '/api/v1/me')).status, 401, 'the old cookie is dead');
  const s2 = await login(srv, 'unit');
  const d = await api(srv, s2, 'DELETE', '/api/v1/session');
  assert.equal(d.status, 200);
  assert.equal((await api(srv, s2, 'GET', '/api/v1/me')).status, 401);
  const actions = audit(srv, "action = 'session.delete' AND actor = 'unit'");
  assert.equal(actions.length, 2);
});

test('ASVS 3.3.2: a session ends after 30 idle minutes and 12 hours after log-in, on the server', async () => {
  sql(srv.store, 'DELETE FROM user_session');
  const s = await login(srv, 'cadre');
  sql(srv.store, 'UPDATE user_session SET seen_at = seen_at - 1801, created_at = created_at - 1801');
  const r = await api(srv, s, 'GET', '/api/v1/me');
  assert.equal(r.status, 401);
  assert.match(r.headers.get('set-cookie'), /Max-Age=0/);
  assert.equal(count(srv, "SELECT count(*) FROM user_session s JOIN app_user u ON u.tenant_id = s.tenant_id AND u.id = s.user_id WHERE u.login = 'cadre'"), 0);
  const s2 = await login(srv, 'cadre');
  sql(srv.store, "UPDATE user_session SET created_at = created_at - 43201 WHERE user_id = (SELECT id FROM app_user WHERE login = 'cadre')");
  assert.equal((await api(srv, s2, 'GET', '/api/v1/me')).status, 401);
  const s3 = await login(srv, 'cadre');
  sql(srv.store, "UPDATE user_session SET seen_at = seen_at - 1700, created_at = created_at - 43000 WHERE user_id = (SELECT id FROM app_user WHERE login = 'cadre')");
  assert.equal((await api(srv, s3, 'GET', '/api/v1/me')).status, 200, 'within both limits');
});

test('ASVS 3.3.1 / 3.5.3: a forged, malformed or stale cookie is anonymous', async () => {
  for (const v of ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'x', '', '"quoted"', "%00'; DROP TABLE app_user; --"]) {
    const r = await api(srv, { cookie: `jb_session=${v}` }, 'GET', '/api/v1/me');
    assert.equal(r.status, 401, v);
    const p = await page(srv, { cookie: `jb_session=${v}` }, '/');
    assert.equal(p.status, 200);
    assert.match(p.text, /登录<\/a>/);
  }
  assert.ok(count(srv, 'SELECT count(*) FROM app_user') >= 5);
});

test('ASVS 3.4.1-3.4.3: the session cookie is HttpOnly, SameSite=Lax, Path=/ and not persistent', async () => {
  const s = await login(srv, 'cadre');
  assert.match(s.setCookie, /^jb_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
  assert.doesNotMatch(s.setCookie, /Expires|Max-Age/);
  // The device cookie (issue 7.5) lasts a year and goes with this site's own requests only.
  assert.match(s.deviceCookie, /^jb_dev_[0-9a-f]{16}=[\w.-]+; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Strict$/);
});

test('ASVS 3.4.1 / 3.4.4 / 14.4.5: behind TLS the cookie is Secure with the __Host- prefix, and HSTS is sent', async () => {
  const tls = await startServer({ env: { JIEBANG_SECURE_COOKIES: '1' } });
  try {
    const s = await login(tls, 'cadre');
    assert.match(s.setCookie, /^__Host-jb_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    assert.match(s.deviceCookie, /^__Host-jb_dev_[0-9a-f]{16}=[\w.-]+; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Strict; Secure$/);
    assert.equal((await api(tls, s, 'GET', '/api/v1/me')).status, 200);
    assert.equal((await api(tls, { cookie: `jb_session=${s.token}` }, 'GET', '/api/v1/me')).status, 401,
      'the unprefixed name is not read');
    assert.match(s.headers.get('strict-transport-security'), /max-age=\d+/);
  } finally {
    await tls.stop();
  }
});

test('ASVS 8.2.1 / 14.4.x: signed-in answers are no-store and keep every security header', async () => {
  const s = await login(srv, 'leader');
  for (const path of ['/', '/stats', '/account', '/api/v1/me', '/api/v1/problems', '/no/such/page']) {
    const r = await page(srv, s, path);
    assert.equal(r.headers.get('cache-control'), 'no-store', path);
    assert.match(r.headers.get('content-security-policy'), /frame-ancestors 'none'/);
    assert.doesNotMatch(r.headers.get('content-security-policy'), /unsafe-inline/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(r.headers.get('referrer-policy'));
    assert.equal(r.headers.get('server'), null);
  }
  assert.equal((await get(srv, '/')).headers.get('cache-control'), 'no-cache', 'anonymous pages may be revalidated');
  const tok = cliToken(srv, 'leader');
  assert.equal((await page(srv, { bearer: tok }, '/api/v1/me')).headers.get('cache-control'), 'no-store');
});

test('ASVS 3.5.2 / 3.5.3: API tokens are per user, shown once, stored hashed, need no CSRF, and die when revoked', async () => {
  const tok = cliToken(srv, 'unit');
  assert.match(tok, /^jb_[A-Za-z0-9_-]{43}$/);
  assert.ok(!sql(srv.store, 'SELECT token_hash FROM api_token').includes(tok.slice(3)));
  const me = (await api(srv, { bearer: tok }, 'GET', '/api/v1/me')).json();
  assert.equal(me.login, 'unit');
  assert.equal(me.via, 'token');
  assert.equal(me.csrf_token ?? null, null);
  const made = await api(srv, { bearer: tok }, 'POST', '/api/v1/tokens', { name: '同步脚本' });
  assert.equal(made.status, 201);
  const second = made.json();
  assert.match(second.token, /^jb_/);
  const list = (await api(srv, { bearer: tok }, 'GET', '/api/v1/tokens')).json().items;
  assert.ok(list.some((t) => t.id === second.id && t.name === '同步脚本'));
  assert.ok(!JSON.stringify(list).includes(second.token.slice(3)), 'a list never shows the token');
  const del = await api(srv, { bearer: tok }, 'DELETE', `/api/v1/tokens/${second.id}`);
  assert.equal(del.status, 200);
  const dead = await api(srv, { bearer: second.token }, 'GET', '/api/v1/me');
  assert.equal(dead.status, 401);
  assert.equal(dead.json().error.code, 'invalid_token');
  assert.match(dead.headers.get('www-authenticate'), /Bearer/);
  for (const bad of ['Bearer jb_nope', 'Basic dW5pdDpqaWViYW5nLWRlbW8=', `Bearer ${tok}x`]) {
    const r = await get(srv, '/api/v1/me', { headers: { Authorization: bad } });
    assert.equal(r.status, 401, bad);
  }
  // Disabling the user kills its tokens too.
  const u = await freshUser(srv, 'tokenuser');
  const t2 = cliToken(srv, 'tokenuser');
  assert.equal((await api(srv, { bearer: t2 }, 'GET', '/api/v1/me')).status, 200);
  assert.equal(run(['user', 'disable', 'tokenuser', '--db', srv.store]).status, 0);
  assert.equal((await api(srv, { bearer: t2 }, 'GET', '/api/v1/me')).status, 401);
  assert.equal((await api(srv, u.session, 'GET', '/api/v1/me')).status, 401, 'and its sessions');
});

test('ASVS 2.5.4 / 2.3.1: the command line adds, lists, disables and enables users, and sets passwords from stdin', async () => {
  const { password, out } = cliAdd(srv, 'clerk', ['--role', 'cadre', '--role', 'evaluator', '--person', '5']);
  assert.match(out, /must be changed/);
  const list = run(['user', 'list', '--db', srv.store]);
  assert.equal(list.status, 0);
  assert.match(list.stdout, /\tclerk\tcadre,evaluator\t[^\t]+\t[^\t]+\tmust-change-password/);
  assert.equal((await login(srv, 'clerk', password)).user.must_change, true);
  const weak = run(['user', 'passwd', 'clerk', '--db', srv.store], { input: '123456789012\n' });
  assert.equal(weak.status, 1);
  assert.match(weak.stderr, /太常见/);
  const ok = run(['user', 'passwd', 'clerk', '--db', srv.store], { input: 'keeps the ledger of the county\n' });
  assert.equal(ok.status, 0, ok.stderr);
  const s = await login(srv, 'clerk', 'keeps the ledger of the county');
  assert.equal(s.user.must_change, false);
  assert.equal(run(['user', 'disable', 'clerk', '--db', srv.store]).status, 0);
  const denied = await login(srv, 'clerk', 'keeps the ledger of the county');
  assert.equal(denied.status, 401);
  assert.equal(denied.json.error.message, '登录名或密码不正确', 'a disabled user gets the same answer');
  assert.equal((await api(srv, s, 'GET', '/api/v1/me')).status, 401);
  assert.equal(run(['user', 'enable', 'clerk', '--db', srv.store]).status, 0);
  assert.equal((await login(srv, 'clerk', 'keeps the ledger of the county')).status, 200);
  // Mistakes are one line and change nothing.
  const before_ = snapshot(srv);
  for (const [args, status, re] of [
    [['user', 'add', 'x1', '--role', 'root'], 2, /no such role/],
    [['user', 'add', 'clerk', '--role', 'cadre'], 1, /taken/],
    [['user', 'add', 'bad login', '--role', 'cadre'], 1, /登录名/],
    [['user', 'add', 'x2'], 1, /--role/],
    [['user', 'add', 'x3', '--role', 'cadre', '--person', '999999'], 1, /person/],
    [['user', 'add', 'x4', '--role', 'cadre', '--person', '5', '--unit', '99'], 1, /unit/],
    [['user', 'disable', 'nobody'], 1, /no user/],
    [['user', 'frobnicate', 'x'], 2, /unknown subcommand/],
    [['user', 'add'], 2, /LOGIN/],
    [['user', 'list', '--role', 'admin'], 2, /apply to/],
  ]) {
    const r = run([...args, '--db', srv.store]);
    assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  assert.equal(snapshot(srv), before_);
  assert.equal(run(['user', '--help']).status, 0);
});

test('ASVS 5.1.3 / 5.1.4 / 5.1.5: overlong, missing or malformed fields get a clear 400 naming the field and change nothing; no open redirect', async () => {
  const admin = await login(srv, 'admin');
  const before_ = snapshot(srv);
  const cases = [
    [null, 'POST', '/api/v1/session', { login: 'a'.repeat(65), password: 'x' }, 400, 'login'],
    [null, 'POST', '/api/v1/session', { login: 'admin', password: 'p'.repeat(129) }, 400, 'password'],
    [null, 'POST', '/api/v1/session', { password: 'x' }, 400, 'login'],
    [admin, 'POST', '/api/v1/users', { login: 'ok.name', role: ['cadre', 'superuser'] }, 400, 'role'],
    [admin, 'POST', '/api/v1/users', { login: '-bad', role: 'cadre' }, 400, 'login'],
    [admin, 'POST', '/api/v1/users', { login: 'x'.repeat(65), role: 'cadre' }, 400, 'login'],
    [admin, 'POST', '/api/v1/users', { login: 'ok.name', role: 'cadre', person: 'abc' }, 400, 'person'],
    [admin, 'POST', '/api/v1/users', { login: 'ok.name', role: 'cadre', unit: '99999' }, 400, 'unit'],
    [admin, 'POST', '/api/v1/users', { login: 'ok.name', role: 'cadre', unit: '-3' }, 400, 'unit'],
    [admin, 'POST', '/api/v1/users', { login: 'admin', role: 'cadre' }, 409, 'login'],
    [admin, 'POST', '/api/v1/tokens', { name: 'n'.repeat(65) }, 400, 'name'],
    [admin, 'POST', '/api/v1/tokens', {}, 400, 'name'],
    [admin, 'POST', '/api/v1/users/abc/disable', {}, 400, 'id'],
    [admin, 'POST', '/api/v1/users/999999/disable', {}, 404, undefined],
    [admin, 'DELETE', '/api/v1/tokens/999999', undefined, 404, undefined],
  ];
  for (const [who, method, path, body, status, field] of cases) {
    const r = await api(srv, who, method, path, body);
    assert.equal(r.status, status, `${path} ${JSON.stringify(body)}: ${r.text}`);
    assert.ok(r.json().error.message, 'a message');
    assert.equal(r.json().error.field, field, path);
  }
  for (const raw of ['{"login": ', '[1,2]', '{"login": {"a": 1}, "password": "x"}', '{"login": "a", "login": "b"}']) {
    const r = await get(srv, '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: raw });
    assert.equal(r.status, 400, raw);
  }
  assert.equal(snapshot(srv), before_);
});

// Where a log-in goes next, as the form carries it (the hidden field).
async function nextField(next, base = '') {
  const r = await get(srv, `${base}/login?next=${encodeURIComponent(next)}`);
  assert.equal(r.status, 200, next);
  return r.text.match(/name="next" value="([^"]*)"/)[1];
}

async function loginTo(next, base = '') {
  const r = await get(srv, base + '/login', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login: 'leader', password: DEMO_PASSWORD, next }).toString() });
  assert.equal(r.status, 303, `${JSON.stringify(next)}: ${r.text.slice(0, 200)}`);
  return r.headers.get('location');
}

test('ASVS 5.1.3: "next" is an allow-list of local paths; TAB, CR/LF, //, backslashes, schemes and their encoded forms go to /', async () => {
  const bad = ['/\t/evil.example/', '/%09/evil.example/', '/\r\nSet-Cookie: x=1', '/%0d%0aSet-Cookie:%20x=1', '/\n/evil.example',
    '//evil.example/', '/%2F%2Fevil.example/', '/%2f/evil.example', '/stats//evil', '/\\evil.example', '/%5Cevil.example',
    '/%5cevil.example', '\\/evil.example', '/\\/evil.example', 'javascript:alert(1)', 'http://evil.example/', 'https:evil.example',
    '/ /evil.example', '/a%20b', '/\u00a0/evil.example', '/\u3000x', '/"><script>', 'stats', '', '/', '/%C0%AF', '/%ff',
    '/login', '/logout', '/%6Cogin'];
  for (const next of bad) assert.equal(await nextField(next), '/', JSON.stringify(next));
  for (const next of ['/stats', '/problems/3#claim', '/?state=published&page=2', '/admin/users/5', '/a%2Fb-c_d.e~f'])
    assert.equal((await nextField(next)).replace(/&amp;/g, '&'), next);
  // After a correct log-in: the browser never gets an off-site Location, and never a 303 without one.
  assert.equal(await loginTo('/\t/evil.example/'), '/');
  assert.equal(await loginTo('/\r\n/evil.example/'), '/');
  assert.equal(await loginTo('/%2F%2Fevil.example/'), '/');
  assert.equal(await loginTo('/problems/3'), '/problems/3');
  // Behind a tenant's /t/<slug>/ prefix the path stays within the tenant.
  assert.equal(await nextField('/stats', '/t/luannan'), '/stats');
  assert.equal(await loginTo('/stats', '/t/luannan'), '/t/luannan/stats');
  assert.equal(await loginTo('//evil.example/', '/t/luannan'), '/t/luannan/');
});

test('ASVS 2.2.1 / 7.2.1: a wrong password and an unknown login get the same answer, and both are logged', async () => {
  const wrong = await login(srv, 'leader', 'wrong password here');
  const unknown = await login(srv, 'nosuchuser', 'wrong password here');
  assert.equal(wrong.status, 401);
  assert.equal(unknown.status, 401);
  assert.deepEqual({ ...wrong.json.error, request_id: 0 }, { ...unknown.json.error, request_id: 0 });
  const p = await get(srv, '/login', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'login=nosuchuser&password=wrong+password+here' });
  assert.equal(p.status, 401);
  assert.match(p.text, /登录名或密码不正确/);
  assert.match(p.text, /value="nosuchuser"/, 'the login is kept, the password is not');
  assert.doesNotMatch(p.text, /wrong password here/);
  validHtml(p.text);
  const failed = audit(srv, "outcome = 'failed' AND action = 'session.create'");
  assert.ok(failed.some((e) => e.after.includes('"login":"leader"') && e.after.includes('"reason":"password"')));
  assert.ok(failed.some((e) => e.after.includes('"login":"nosuchuser"') && e.after.includes('"reason":"unknown"')));
  assert.ok(failed.every((e) => e.client_addr === '127.0.0.1'));
});

test('ASVS 14.4.3 / 5.3.3: the account and admin pages are valid HTML without inline style or script (only our own script files)', async () => {
  const admin = await login(srv, 'admin');
  for (const path of ['/login', '/account', '/account/password', '/admin/users', '/admin/users/2', '/admin/audit', '/admin/audit?actor=admin&from=2020-01-01&to=2099-12-31']) {
    const r = await page(srv, admin, path);
    assert.equal(r.status, 200, path);
    validHtml(r.text);
    assert.ok(!/<[^>]+style="/.test(r.text), `${path}: no inline style`);
    for (const m of r.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)) {
      assert.match(m[1], /^ src="\/static\/[a-z]+\.js\?v=[0-9a-f]{16}" defer$/, `${path}: a script file of ours`);
      assert.equal(m[2], '', `${path}: no inline script`);
    }
    assert.equal((r.text.match(/<script/g) || []).length, [...r.text.matchAll(/<script[^>]*><\/script>/g)].length, `${path}: no other script`);
    assert.match(r.text, /<form class="logout" method="post" action="\/logout"><input type="hidden" name="csrf"/);
  }
  const anon = await get(srv, '/login');
  assert.match(anon.text, /name="password"/);
  assert.match(anon.text, /autocomplete="current-password"/);
  const redirect = await get(srv, '/admin/users');
  assert.equal(redirect.status, 303);
  assert.equal(redirect.headers.get('location'), '/login?next=%2Fadmin%2Fusers');
});
