// accounts.mjs - helpers for the tests of accounts, sessions, permissions,
// tenants and the audit log: log in, post a form or call the API as a
// session or with a bearer token, and snapshot what a refused request must
// leave unchanged.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { get, run, sql } from './harness.mjs';
import { checkAnswer } from './openapi.mjs';

export const DEMO_PASSWORD = 'jiebang-demo';
export const ROLES = ['anonymous', 'admin', 'unit', 'cadre', 'evaluator', 'leader'];

// Log in through the API; returns { cookie, csrf, user, status, headers }.
export async function login(srv, login, password = DEMO_PASSWORD, { base = '' } = {}) {
  const r = await fetch(srv.url + base + '/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  const text = await r.text();
  await checkAnswer(srv, 'POST', base + '/api/v1/session', r.status, r.headers, text);
  const cookies = r.headers.getSetCookie();
  const setCookie = cookies.find((c) => /^(?:__Host-)?jb_session=/.test(c)) || '';
  const m = setCookie.match(/((?:__Host-)?jb_session)=([^;]*)/);
  const out = { status: r.status, headers: r.headers, text, setCookie,
    deviceCookie: cookies.find((c) => /^(?:__Host-)?jb_dev_/.test(c)) };
  if (r.status === 200) {
    const j = JSON.parse(text);
    out.cookie = `${m[1]}=${m[2]}`;
    out.token = m[2];
    out.csrf = j.csrf_token;
    out.user = j.user;
    out.base = base;
  } else {
    out.json = JSON.parse(text);
  }
  return out;
}

function formBody(fields) {
  const p = new URLSearchParams();
  for (const [k, v] of Array.isArray(fields) ? fields : Object.entries(fields)) p.append(k, v);
  return p.toString();
}

// POST a form as a page would: the session's cookie and CSRF field.
export async function form(srv, sess, path, fields = {}, { csrf = true, headers = {} } = {}) {
  const list = Array.isArray(fields) ? [...fields] : Object.entries(fields);
  if (sess && csrf && sess.csrf) list.push(['csrf', sess.csrf]);
  return get(srv, (sess?.base || '') + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(sess?.cookie ? { Cookie: sess.cookie } : {}), ...headers },
    body: formBody(list),
  });
}

// Call the JSON API as a cookie session (with X-CSRF-Token), a bearer token
// ({ bearer }) or anonymously (null).
export async function api(srv, sess, method, path, body, { csrf = true, headers = {} } = {}) {
  const h = { ...headers };
  if (sess?.bearer) h.Authorization = `Bearer ${sess.bearer}`;
  if (sess?.cookie) h.Cookie = sess.cookie;
  if (sess?.cookie && csrf && sess.csrf) h['X-CSRF-Token'] = sess.csrf;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  return get(srv, (sess?.base || '') + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
}

// A page or API GET as a session.
export function page(srv, sess, path) {
  return get(srv, (sess?.base || '') + path, { headers: sess?.cookie ? { Cookie: sess.cookie } : sess?.bearer ? { Authorization: `Bearer ${sess.bearer}` } : {} });
}

// Everything an account change could touch, as text (sessions and the
// audit log aside: log-ins and refusals add to those).
const SNAPSHOT_SQL =
  "SELECT 'u', tenant_id, id, login, password_hash, coalesce(person_id, 0), coalesce(unit_id, 0), must_change, disabled FROM app_user" +
  " UNION ALL SELECT 'r', tenant_id, user_id, role, '', 0, 0, 0, 0 FROM user_role" +
  " UNION ALL SELECT 't', tenant_id, id, name, token_hash, user_id, coalesce(revoked_at, 0), 0, 0 FROM api_token" +
  " UNION ALL SELECT 'n', id, 0, slug, name, 0, 0, 0, 0 FROM tenant" +
  " UNION ALL SELECT 'd', tenant_id, 0, host, '', 0, 0, 0, 0 FROM tenant_domain";

export function snapshot(srv) {
  return sql(srv.store, SNAPSHOT_SQL + ' ORDER BY 1, 2, 3, 4, 5');
}

// The same through an openSql() connection.
export function snapshotOn(conn) {
  return conn.query(SNAPSHOT_SQL + ' ORDER BY 1, 2, 3, 4, 5');
}

const AUDIT_SQL = 'SELECT id, actor, action, object_type, coalesce(object_id, 0), outcome, client_addr,' +
  " coalesce(before_json, ''), coalesce(after_json, ''), at FROM audit_event";

function auditRows(text) {
  return text.split('\n').filter(Boolean).map((l) => {
    const f = l.split('|');
    const [id, actor, action, object_type, object_id, outcome, client_addr] = f;
    const at = +f[f.length - 1];
    // before/after are JSON without '|' in practice; rejoin to be safe
    const rest = f.slice(7, -1).join('|');
    const split = rest.startsWith('{') ? rest.indexOf('}|') + 1 : rest.indexOf('|');
    return { id: +id, actor, action, object_type, object_id: +object_id, outcome, client_addr,
      before: rest.slice(0, split), after: rest.slice(split + 1), at };
  });
}

// Audit entries (newest first) as objects.
export function audit(srv, where = '1 = 1') {
  return auditRows(sql(srv.store, `${AUDIT_SQL} WHERE ${where} ORDER BY tenant_id, id DESC`));
}

export async function auditOn(conn, where = '1 = 1') {
  return auditRows(await conn.query(`${AUDIT_SQL} WHERE ${where} ORDER BY tenant_id, id DESC`));
}

// One open connection for many queries: psql costs ~0.2 s to start, which
// hundreds of snapshots cannot afford. query(text) resolves to the same
// text as harness.mjs sql() gives.
export function openSql(url) {
  const lite = url.startsWith('sqlite:');
  const p = lite ? spawn('sqlite3', ['-batch', '-cmd', '.timeout 5000', url.slice(7)], { stdio: ['pipe', 'pipe', 'pipe'] })
    : spawn('psql', [url, '-qAtX'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const marker = lite ? '.print __jb_end__' : '\\echo __jb_end__';
  let out = '', err = '', waiting = null;
  const END = '__jb_end__\n';
  // Decode as a stream: a character split across two chunks stays whole.
  p.stdout.setEncoding('utf8');
  p.stderr.setEncoding('utf8');
  p.stdout.on('data', (d) => {
    out += d;
    if (waiting && out.endsWith(END)) {
      const w = waiting;
      waiting = null;
      const text = out.slice(0, -END.length);
      out = '';
      if (err) { const e = err; err = ''; w.reject(new Error(e)); } else w.resolve(text);
    }
  });
  p.stderr.on('data', (d) => (err += d));
  return {
    query(text) {
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        p.stdin.write(`${text};\n${marker}\n`);
      });
    },
    close() { p.stdin.end(); },
  };
}

// snapshot() plus the number of refusals logged and the latest refusal's
// actor, in one query (the permission matrix runs it hundreds of times).
export async function snapshotWithDenials(conn) {
  return (await conn.query(SNAPSHOT_SQL +
    " UNION ALL SELECT 'z', 0, count(*), '', '', 0, 0, 0, 0 FROM audit_event WHERE outcome = 'denied'" +
    " UNION ALL SELECT 'zz', 0, 0, actor, action, 0, 0, 0, 0 FROM audit_event WHERE id = (SELECT max(id) FROM audit_event WHERE outcome = 'denied')" +
    ' ORDER BY 1, 2, 3, 4, 5')).split('\n').filter(Boolean);
}

export function count(srv, query) {
  return Number(sql(srv.store, query).trim());
}

// jiebang user add ... → { id, password }.
export function cliAdd(srv, login, args = [], env = {}) {
  const r = run(['user', 'add', login, '--db', srv.store, ...args], { env: { ...process.env, ...env } });
  assert.equal(r.status, 0, r.stderr);
  return { id: +r.stdout.match(/id (\d+)/)[1], password: r.stdout.match(/initial password: (\S+)/)[1], out: r.stdout };
}

// A fresh user with a password of our choosing (initial password changed).
export async function freshUser(srv, login, roles = ['cadre'], extra = []) {
  const args = [...roles.flatMap((r) => ['--role', r]), ...extra];
  const { id, password } = cliAdd(srv, login, args);
  const s = await login_(srv, login, password);
  const pw = `a morning walk to the county office ${Math.random().toString(36).slice(2, 8)}`;
  const r = await api(srv, s, 'POST', '/api/v1/me/password', { current_password: password, new_password: pw });
  assert.equal(r.status, 200, r.text);
  return { id, password: pw, session: s };
}
const login_ = login;

// A bearer token for a login, made on the command line.
export function cliToken(srv, loginName, tenant) {
  const r = run(['user', 'token', loginName, '--db', srv.store, ...(tenant ? ['--tenant', tenant] : [])]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}
