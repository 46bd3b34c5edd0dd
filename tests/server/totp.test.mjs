// totp.test.mjs - two-factor log-in (issue 13 §5, ASVS 2.8) and the
// re-authentication before sensitive changes (ASVS 3.7.1). Codes are
// worked out here (RFC 6238: HMAC-SHA1, 6 digits, 30 s) from the key the
// enrolment page shows: enrolment by a code, the log-in's second step by a
// code (a used one refused) or a recovery code (once), wrong codes ending
// the pending log-in, new recovery codes, turning it off; the tenant's rule
// that admins and liaisons enrol before anything else; and sudo mode: an
// old session must give its password again before changing roles,
// disabling a user, resetting a password, the settings, a token, or an
// export with personal data, and then may for 5 minutes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer, sql, run, validHtml } from './harness.mjs';
import { DEMO_PASSWORD, login, api, form, page, freshUser, cliToken, audit } from './accounts.mjs';

let srv;
before(async () => { srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } }); });
after(() => srv?.stop());

function b32decode(s) {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, v = 0;
  const out = [];
  for (const c of s.replace(/\s/g, '').toUpperCase()) {
    const i = A.indexOf(c);
    assert.ok(i >= 0, `base32: ${c}`);
    v = ((v << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) { out.push((v >> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out);
}

// The code of secret (base32) for time t (seconds).
function totp(secret, t = Date.now() / 1000) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const h = createHmac('sha1', b32decode(secret)).update(msg).digest();
  const o = h[19] & 15;
  const n = (((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1e6;
  return String(n).padStart(6, '0');
}

test('the code of RFC 6238\'s key at its test times (the helper itself)', () => {
  const key = Buffer.from('12345678901234567890').toString('base64'); // to base32 below
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, v = 0, b32 = '';
  for (const byte of Buffer.from(key, 'base64')) {
    v = ((v << 8) | byte) & 0xffff; bits += 8;
    while (bits >= 5) { b32 += A[(v >> (bits - 5)) & 31]; bits -= 5; }
  }
  assert.equal(b32, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
  assert.equal(totp(b32, 59), '287082');
  assert.equal(totp(b32, 1111111109), '081804');
  assert.equal(totp(b32, 1234567890), '005924');
});

const userId = (loginName) => +sql(srv.store, `SELECT id FROM app_user WHERE tenant_id = 1 AND login = '${loginName}'`).trim();
const totpRow = (id) => sql(srv.store, `SELECT coalesce(totp_secret, ''), coalesce(totp_pending, ''), totp_step, totp_recovery FROM app_user WHERE id = ${id} AND tenant_id = 1`).trim().split('|');
// Make a session old: its password proof older than sudo mode's 5 minutes.
const age = (s) => sql(srv.store, `UPDATE user_session SET auth_at = auth_at - 3600 WHERE csrf = '${s.csrf}'`);

// Enrol s's user through the account page: the key, and the codes shown once.
async function enrol(s) {
  const start = await form(srv, s, '/account/totp/enrol');
  assert.equal(start.status, 200, start.text.slice(0, 300));
  assert.match(start.headers.get('cache-control') || '', /no-store/);
  validHtml(start.text);
  assert.match(start.text, /<svg class="qr"[^>]*role="img" aria-labelledby="qr-title"[^>]*><title id="qr-title">两步验证二维码/);
  assert.match(start.text, /<path fill="#000" d="(M\d+ \d+h\d+v1h-\d+z)+"\/>/);
  const secret = start.text.match(/<code id="totp-secret">([A-Z2-7 ]+)<\/code>/)[1].replace(/ /g, '');
  assert.equal(secret.length, 32);
  assert.equal(b32decode(secret).length, 20);
  return secret;
}

test('enrol by a code, log in with a code or a recovery code, each once; new codes; turn it off', async () => {
  const u = await freshUser(srv, 'twofa', ['cadre']);
  const s = u.session;
  let acct = await page(srv, s, '/account');
  assert.match(acct.text, /<h2 id="totp">两步验证<\/h2>/);
  assert.match(acct.text, /启用两步验证/);
  const secret = await enrol(s);
  assert.equal(totpRow(u.id)[0], '', 'not on before the code');
  assert.equal(totpRow(u.id)[1], secret, 'the pending key');

  // a wrong code: the page again, with the message beside the field, nothing on
  const wrong = String((+totp(secret) + 1) % 1e6).padStart(6, '0');
  let r = await form(srv, s, '/account/totp/confirm', { code: wrong });
  assert.equal(r.status, 400);
  assert.match(r.text, /验证码不正确/);
  assert.match(r.text, new RegExp(secret.slice(0, 4)));
  assert.equal(totpRow(u.id)[0], '');

  // the right one: on, and ten recovery codes shown once, kept hashed
  const first = totp(secret);
  r = await form(srv, s, '/account/totp/confirm', { code: first });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  validHtml(r.text);
  assert.match(r.headers.get('cache-control') || '', /no-store/);
  const codes = [...r.text.matchAll(/<li><code>([a-z2-7]{5}-[a-z2-7]{5})<\/code><\/li>/g)].map((m) => m[1]);
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  const row = totpRow(u.id);
  assert.equal(row[0], secret);
  assert.equal(row[1], '');
  assert.equal(row[3].split(' ').length, 10);
  const kept = sql(srv.store, `SELECT totp_recovery FROM app_user WHERE id = ${u.id}`);
  for (const c of codes) assert.ok(!kept.includes(c.replace('-', '')) && !kept.includes(c), 'codes are kept hashed');
  assert.equal(audit(srv, `action = 'totp.enrol' AND object_id = ${u.id}`).length, 1);
  acct = await page(srv, s, '/account');
  assert.match(acct.text, /已启用/);
  assert.match(acct.text, /剩余恢复码 10 个/);

  // log in through the API: the password gives no session, only a pending log-in
  let l = await login(srv, 'twofa', u.password);
  assert.equal(l.status, 202, l.text);
  assert.equal(l.json.second_factor, 'totp');
  assert.ok(!/jb_session=/.test(l.headers.get('set-cookie') || ''), 'no session yet');
  // the code already used at the enrolment is refused (its step is used)
  r = await api(srv, null, 'POST', '/api/v1/session/totp', { pending: l.json.pending, code: first });
  assert.equal(r.status, 401, r.text);
  assert.equal(r.json().error.code, 'bad_code');
  // the next step's code (within the window) logs in
  const next = totp(secret, Date.now() / 1000 + 30);
  r = await api(srv, null, 'POST', '/api/v1/session/totp', { pending: l.json.pending, code: next });
  assert.equal(r.status, 200, r.text);
  const cookie = r.headers.get('set-cookie').match(/(jb_session=[^;]+)/)[1];
  assert.equal((await api(srv, { cookie }, 'GET', '/api/v1/me')).status, 200);
  assert.match(audit(srv, `action = 'session.create' AND object_id = ${u.id}`)[0].after, /"second_factor":"totp"/);
  // the pending log-in is used up; the same code on a new one is a replay
  r = await api(srv, null, 'POST', '/api/v1/session/totp', { pending: l.json.pending, code: next });
  assert.equal(r.json().error.code, 'pending_expired');
  l = await login(srv, 'twofa', u.password);
  r = await api(srv, null, 'POST', '/api/v1/session/totp', { pending: l.json.pending, code: next });
  assert.equal(r.status, 401);
  assert.equal(r.json().error.code, 'bad_code');
  assert.equal(audit(srv, `action = 'session.create' AND outcome = 'failed' AND after_json LIKE '%totp%'`).length >= 2, true);

  // a recovery code logs in once (upper case and without the dash too)
  r = await api(srv, null, 'POST', '/api/v1/session/totp', { pending: l.json.pending, code: codes[0].toUpperCase().replace('-', '') });
  assert.equal(r.status, 200, r.text);
  assert.equal(audit(srv, `action = 'totp.recover' AND object_id = ${u.id}`).length, 1);
  assert.equal(totpRow(u.id)[3].split(' ').length, 9);
  l = await login(srv, 'twofa', u.password);
  r = await api(srv, null, 'POST', '/api/v1/session/totp', { pending: l.json.pending, code: codes[0] });
  assert.equal(r.status, 401, 'a recovery code works once');

  // five wrong codes end the pending log-in
  for (let i = 0; i < 4; i++)
    assert.equal((await api(srv, null, 'POST', '/api/v1/session/totp', { pending: l.json.pending, code: '000000' })).json().error.code, 'bad_code');
  r = await api(srv, null, 'POST', '/api/v1/session/totp', { pending: l.json.pending, code: codes[1] });
  assert.equal(r.json().error.code, 'pending_expired', 'the fifth try never gets checked');

  // wrong codes count as failed log-ins of the login: it is throttled now,
  // as after wrong passwords (the attempts are cleared to go on)
  r = await login(srv, 'twofa', u.password);
  assert.equal(r.status, 429, r.text);
  assert.ok(+r.headers.get('retry-after') > 0);
  sql(srv.store, 'DELETE FROM login_attempt');

  // the pages: /login answers with the code page, the cookie holds the pending log-in
  r = await form(srv, null, '/login', { login: 'twofa', password: u.password, next: '/account' }, { csrf: false });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /\/login\/totp\?next=%2Faccount$/);
  const pend = r.headers.get('set-cookie').match(/(jb_2fa=[^;]+)/)[1];
  assert.match(r.headers.get('set-cookie'), /jb_2fa=[^;]+;.*HttpOnly/i);
  const p = await page(srv, { cookie: pend }, '/login/totp?next=/account');
  assert.equal(p.status, 200);
  validHtml(p.text);
  assert.match(p.text, /autocomplete="one-time-code"/);
  assert.match(p.text, /恢复码/);
  r = await form(srv, { cookie: pend }, '/login/totp', { code: '000000', next: '/account' }, { csrf: false });
  assert.equal(r.status, 401);
  assert.match(r.text, /验证码不正确/);
  // A later step, as if 30 s had passed: the step used is set back by hand.
  sql(srv.store, `UPDATE app_user SET totp_step = 0 WHERE id = ${u.id}`);
  r = await form(srv, { cookie: pend }, '/login/totp', { code: totp(secret), next: '/account' }, { csrf: false });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.match(r.headers.get('location'), /\/account$/);
  const ps = { cookie: r.headers.get('set-cookie').match(/(jb_session=[^;]+)/)[1] };
  assert.equal((await page(srv, ps, '/account')).status, 200);

  // new recovery codes for a code of the app (not a recovery code); the old ones stop
  const me = await api(srv, ps, 'GET', '/api/v1/me');
  const sess2 = { cookie: ps.cookie, csrf: me.json().csrf_token };
  r = await form(srv, sess2, '/account/totp/recovery', { code: codes[2] });
  assert.equal(r.status, 400, 'not for a recovery code');
  sql(srv.store, `UPDATE app_user SET totp_step = 0 WHERE id = ${u.id}`);
  r = await form(srv, sess2, '/account/totp/recovery', { code: totp(secret) });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const codes2 = [...r.text.matchAll(/<li><code>([a-z2-7]{5}-[a-z2-7]{5})<\/code><\/li>/g)].map((m) => m[1]);
  assert.equal(codes2.length, 10);
  assert.equal(audit(srv, `action = 'totp.recovery_codes' AND object_id = ${u.id}`).length, 1);

  // off: a wrong code changes nothing; an old recovery code is wrong now; a new one turns it off
  assert.equal((await form(srv, sess2, '/account/totp/disable', { code: '123456' })).status, 400);
  assert.equal((await form(srv, sess2, '/account/totp/disable', { code: codes[3] })).status, 400);
  assert.equal(totpRow(u.id)[0], secret);
  r = await form(srv, sess2, '/account/totp/disable', { code: codes2[0] });
  assert.equal(r.status, 303);
  assert.deepEqual(totpRow(u.id).filter((x, i) => i !== 2), ['', '', '']);
  assert.equal(audit(srv, `action = 'totp.disable' AND object_id = ${u.id}`).length, 1);
  assert.equal((await login(srv, 'twofa', u.password)).status, 200, 'one step again');
});

test('the tenant requires it of admins and unit liaisons: they enrol before anything else', async () => {
  const admin = await login(srv, 'admin');
  assert.equal(admin.status, 200);
  let set = await page(srv, admin, '/admin/settings');
  assert.match(set.text, /管理员和联络员必须启用两步验证/);
  let r = await form(srv, admin, '/admin/settings', { require_totp: '1' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(sql(srv.store, 'SELECT require_totp FROM tenant WHERE id = 1').trim(), '1');
  assert.match(audit(srv, "action = 'tenant.settings'")[0].after, /"require_totp":true/);

  const liaison = await freshUser(srv, 'liaison2fa', ['unit_admin'], ['--unit', '6']);
  const s = liaison.session;
  // pages lead to the enrolment, the API refuses, changes are refused
  r = await page(srv, s, '/admin/users');
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /\/account\/totp$/);
  r = await api(srv, s, 'GET', '/api/v1/users');
  assert.equal(r.status, 403);
  assert.equal(r.json().error.code, 'totp_required');
  r = await form(srv, s, '/account/tokens', { name: 'x' });
  assert.equal(r.status, 403);
  r = await page(srv, s, '/account/totp');
  assert.equal(r.status, 200);
  validHtml(r.text);
  assert.match(r.text, /本单位要求管理员和联络员启用两步验证/);
  // a log-in goes straight to the enrolment
  const l = await form(srv, null, '/login', { login: 'liaison2fa', password: liaison.password }, { csrf: false });
  assert.match(l.headers.get('location'), /\/account\/totp$/);
  // a cadre is not asked
  const cadre = await freshUser(srv, 'cadre2fa', ['cadre']);
  assert.equal((await api(srv, cadre.session, 'GET', '/api/v1/me/sessions')).status, 200);
  // an API token of the liaison's is held back too
  const bearer = { bearer: cliToken(srv, 'liaison2fa') };
  assert.equal((await api(srv, bearer, 'GET', '/api/v1/users')).json().error.code, 'totp_required');
  // enrolled: free again
  const secret = await enrol(s);
  r = await form(srv, s, '/account/totp/confirm', { code: totp(secret) });
  assert.equal(r.status, 200);
  assert.equal((await page(srv, s, '/admin/users')).status, 200);
  assert.equal((await api(srv, bearer, 'GET', '/api/v1/users')).status, 200);

  // the admin has no TOTP either: held back now, and turns the rule off after enrolling
  r = await page(srv, admin, '/admin/settings');
  assert.equal(r.status, 303);
  const asecret = await enrol(admin);
  assert.equal((await form(srv, admin, '/account/totp/confirm', { code: totp(asecret) })).status, 200);
  r = await form(srv, admin, '/admin/settings', {});
  assert.equal(r.status, 303);
  assert.equal(sql(srv.store, 'SELECT require_totp FROM tenant WHERE id = 1').trim(), '0');
  sql(srv.store, `UPDATE app_user SET totp_secret = NULL, totp_recovery = '' WHERE login = 'admin'`);
});

test('sudo mode: an old session gives its password again before sensitive changes, then may for 5 minutes', async () => {
  const admin = await login(srv, 'admin');
  assert.equal(admin.status, 200);
  const victim = await freshUser(srv, 'sudovictim', ['cadre']);
  // a fresh log-in counts: no question
  let r = await api(srv, admin, 'POST', `/api/v1/users/${victim.id}/roles`, { role: ['evaluator'] });
  assert.equal(r.status, 200, r.text);

  age(admin);
  const snapshot = () => sql(srv.store, `SELECT disabled, must_change, password_hash FROM app_user WHERE id = ${victim.id}`) +
    sql(srv.store, `SELECT role FROM user_role WHERE user_id = ${victim.id} ORDER BY role`) + sql(srv.store, 'SELECT bigscreen FROM tenant WHERE id = 1');
  const before_ = snapshot();
  for (const [path, body] of [[`/api/v1/users/${victim.id}/roles`, { role: ['cadre'] }], [`/api/v1/users/${victim.id}/disable`, {}],
    [`/api/v1/users/${victim.id}/reset-password`, {}], ['/api/v1/tokens', { name: 'sudo' }]]) {
    r = await api(srv, admin, 'POST', path, body);
    assert.equal(r.status, 403, `${path}: ${r.text}`);
    assert.equal(r.json().error.code, 'reauth_required');
  }
  // the page asks for the password, carrying the form
  r = await form(srv, admin, `/admin/users/${victim.id}/roles`, { role: 'leader' });
  assert.equal(r.status, 200);
  validHtml(r.text);
  assert.match(r.text, /<h1>验证密码<\/h1>/);
  assert.match(r.text, new RegExp(`action="/admin/users/${victim.id}/roles"`));
  assert.match(r.text, /<input type="hidden" name="role" value="leader">/);
  assert.match(r.text, /name="reauth_password" autocomplete="current-password"/);
  r = await form(srv, admin, '/admin/settings', { bigscreen: '1' });
  assert.match(r.text, /<h1>验证密码<\/h1>/);
  r = await form(srv, admin, `/admin/users/${victim.id}/roles`, { role: 'leader', reauth_password: 'not the password at all' });
  assert.equal(r.status, 403);
  assert.match(r.text, /密码不正确/);
  assert.equal(snapshot(), before_, 'nothing changed');
  assert.equal(audit(srv, "action = 'session.reauth' AND outcome = 'failed'").length, 1);
  // the right password: the change is made, and the session is fresh again
  r = await form(srv, admin, `/admin/users/${victim.id}/roles`, { role: 'leader', reauth_password: DEMO_PASSWORD });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(sql(srv.store, `SELECT role FROM user_role WHERE user_id = ${victim.id}`).trim(), 'leader');
  assert.equal(audit(srv, "action = 'session.reauth' AND outcome = 'ok'").length, 1);
  r = await api(srv, admin, 'POST', `/api/v1/users/${victim.id}/disable`, {});
  assert.equal(r.status, 200, 'within 5 minutes no question');

  // the API's own way: POST /api/v1/me/reauth
  age(admin);
  r = await api(srv, admin, 'POST', '/api/v1/me/reauth', { password: 'wrong wrong wrong' });
  assert.equal(r.status, 403);
  r = await api(srv, admin, 'POST', '/api/v1/me/reauth', { password: DEMO_PASSWORD });
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json().fresh_until > Date.now() / 1000 + 250);
  assert.equal((await api(srv, admin, 'POST', `/api/v1/users/${victim.id}/reset-password`, {})).status, 200);

  // exports: personal data asks, the rest does not; the form comes back to the export
  age(admin);
  r = await page(srv, admin, '/export/units.csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  r = await page(srv, admin, '/export/people.csv');
  assert.match(r.headers.get('content-type'), /text\/html/);
  assert.match(r.text, /<h1>验证密码<\/h1>/);
  assert.match(r.text, /name="next" value="\/export\/people.csv"/);
  r = await api(srv, admin, 'GET', '/api/v1/export/screening.csv');
  assert.equal(r.json().error.code, 'reauth_required');
  r = await form(srv, admin, '/account/reauth', { password: DEMO_PASSWORD, next: '/export/people.csv' });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location'), /\/export\/people\.csv$/);
  r = await page(srv, admin, '/export/people.csv');
  assert.match(r.headers.get('content-type'), /text\/csv/);
  // the operator's edit of a tenant asks too
  const op = await freshUser(srv, 'op2fa', ['operator']);
  age(op.session);
  r = await form(srv, op.session, '/ops/tenants/1', { name: '滦南县', tz: 'Asia/Shanghai' });
  assert.match(r.text, /<h1>验证密码<\/h1>/);
  r = await form(srv, op.session, '/ops/tenants/1', { name: '滦南县', tz: 'Asia/Shanghai', reauth_password: op.password });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  // an API token is a credential of its own: no session to age
  const bearer = { bearer: cliToken(srv, 'admin') };
  assert.equal((await api(srv, bearer, 'POST', `/api/v1/users/${victim.id}/enable`, {})).status, 200);
  assert.equal((await api(srv, bearer, 'POST', `/api/v1/users/${victim.id}/disable`, {})).status, 200);
});

test('the operator turns a user\'s TOTP off on the command line (a lost phone)', async () => {
  const u = await freshUser(srv, 'lostphone', ['cadre']);
  const secret = await enrol(u.session);
  assert.equal((await form(srv, u.session, '/account/totp/confirm', { code: totp(secret) })).status, 200);
  assert.equal((await login(srv, 'lostphone', u.password)).status, 202);
  let r = run(['user', 'totp-off', 'lostphone', '--db', srv.store]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /two-factor log-in is off/);
  assert.equal(totpRow(u.id)[0], '');
  assert.match(audit(srv, `action = 'totp.disable' AND object_id = ${u.id}`)[0].after, /"reset":true/);
  assert.equal((await login(srv, 'lostphone', u.password)).status, 200);
  r = run(['user', 'totp-off', 'lostphone', '--db', srv.store]);
  assert.match(r.stdout, /has no two-factor log-in/);
});

test('enrolling again while on is refused (a stolen session cannot swap the key); an old session proves its password first', async () => {
  const u = await freshUser(srv, 'swapkey', ['cadre']);
  const secret = await enrol(u.session);
  assert.equal((await form(srv, u.session, '/account/totp/confirm', { code: totp(secret) })).status, 200);
  let r = await form(srv, u.session, '/account/totp/enrol');
  assert.equal(r.status, 409);
  assert.equal(totpRow(u.id)[0], secret);
  assert.equal(totpRow(u.id)[1], '', 'no new pending key');
  const v = await freshUser(srv, 'oldsession', ['cadre']);
  age(v.session);
  r = await form(srv, v.session, '/account/totp/enrol');
  assert.match(r.text, /<h1>验证密码<\/h1>/);
  assert.equal(totpRow(v.id)[1], '');
  r = await form(srv, v.session, '/account/totp/enrol', { reauth_password: v.password });
  assert.equal(r.status, 200);
  assert.match(r.text, /<svg class="qr"/);
});

test('the same through the API: enrol, confirm, new codes, off', async () => {
  const u = await freshUser(srv, 'apitotp', ['cadre']);
  const s = u.session;
  let r = await api(srv, s, 'POST', '/api/v1/me/totp', {});
  assert.equal(r.status, 200, r.text);
  const { secret, otpauth_uri: uri } = r.json();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  assert.equal(uri, `otpauth://totp/jiebang:apitotp?secret=${secret}&issuer=jiebang&algorithm=SHA1&digits=6&period=30`);
  r = await api(srv, s, 'POST', '/api/v1/me/totp/confirm', { code: '000000' === totp(secret) ? '111111' : '000000' });
  assert.equal(r.status, 400);
  assert.equal(r.json().error.code, 'bad_code');
  r = await api(srv, s, 'POST', '/api/v1/me/totp/confirm', { code: totp(secret) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().recovery_codes.length, 10);
  assert.equal((await api(srv, s, 'POST', '/api/v1/me/totp', {})).json().error.code, 'totp_on');
  r = await api(srv, s, 'POST', '/api/v1/me/totp/recovery', { code: r.json().recovery_codes[0] });
  assert.equal(r.status, 400, 'new codes want a code of the app');
  sql(srv.store, `UPDATE app_user SET totp_step = 0 WHERE id = ${u.id}`); // as if the next step had come
  r = await api(srv, s, 'POST', '/api/v1/me/totp/recovery', { code: totp(secret) });
  assert.equal(r.status, 200, r.text);
  r = await api(srv, s, 'POST', '/api/v1/me/totp/disable', { code: r.json().recovery_codes[9] });
  assert.equal(r.status, 200, r.text);
  assert.equal(totpRow(u.id)[0], '');
  assert.equal((await api(srv, s, 'POST', '/api/v1/me/totp/disable', { code: '123456' })).json().error.code, 'no_totp');
});

test('two second steps of one pending log-in at once (a code and a recovery code): one session, the other refused', async () => {
  const u = await freshUser(srv, 'twofarace', ['cadre']);
  const secret = await enrol(u.session);
  const on = await form(srv, u.session, '/account/totp/confirm', { code: totp(secret) });
  assert.equal(on.status, 200, on.text.slice(0, 300));
  const codes = [...on.text.matchAll(/<li><code>([a-z2-7]{5}-[a-z2-7]{5})<\/code><\/li>/g)].map((m) => m[1]);
  for (let round = 0; round < 3; round++) {
    const l = await login(srv, 'twofarace', u.password);
    assert.equal(l.status, 202, l.text);
    const step = (code) => api(srv, null, 'POST', '/api/v1/session/totp', { pending: l.json.pending, code });
    const rs = await Promise.all([step(totp(secret, Date.now() / 1000 + 30 * (round + 1))), step(codes[round])]);
    assert.deepEqual(rs.map((r) => r.status).filter((s) => s === 200), [200], rs.map((r) => r.text).join(' | '));
    const other = rs.find((r) => r.status !== 200);
    assert.ok(['pending_expired', 'bad_code'].includes(other.json().error.code), other.text);
  }
});
