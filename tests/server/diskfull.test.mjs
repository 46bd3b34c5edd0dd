// Disk full and read-only store (issue 13 §1), on the store the harness
// runs. Two small tmpfs are mounted for the test (it runs as root, as CI
// does; otherwise it fails saying so): one for the store - SQLite's
// database file, or a PostgreSQL tablespace the test database is created
// in (the cluster's WAL stays on its own disk) - and one for the data
// directory (evidence files and uploads in flight).
// Disk full: both filled. Writes are refused with a 503, a Retry-After and
// a Chinese message, never a 500; reads keep answering 200; writes succeed
// again once space returns.
// Read-only: the data directory's filesystem remounted read-only, and on
// PostgreSQL the database set default_transaction_read_only with its
// sessions ended (what a standby or an operator's switch gives): writes
// 503 the same way, reads 200, writes again once writable. A live SQLite
// file cannot be made read-only under its server (a filesystem with files
// open for writing refuses a read-only remount, and root ignores modes),
// so on SQLite the read-only case covers the files' filesystem only.
// Afterwards every write acknowledged before, during and after is there,
// files and rows agree, and the store checks clean.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, unlinkSync, writeSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORE, run, sql } from './harness.mjs';
import { serve, stop, fixture, load, missing, filesAndRows, storeChecks, sleep, sha } from './durable.mjs';

const MiB = 1024 * 1024;
let mnt, dmnt, dir, store, srv, fx, dbName;
const q = (text) => sql(store, text).trim();
const acked = { problems: [], claims: [], reports: [] };
const PNG = readFileSync('tests/fixtures/evidence/chart.png');
const CJK = /[\u4e00-\u9fff]/;

function mount(...args) {
  const r = spawnSync('mount', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `mount ${args.join(' ')} failed (the test needs root, as in CI): ${r.stderr}${r.error ?? ''}`);
}

before(async () => {
  assert.equal(process.getuid(), 0, 'the disk-full test mounts a small tmpfs: it must run as root (CI does)');
  mnt = mkdtempSync(join(tmpdir(), 'jiebang-full-'));
  mount('-t', 'tmpfs', '-o', 'size=32m,mode=0755', 'none', mnt);
  dmnt = mkdtempSync(join(tmpdir(), 'jiebang-full-data-'));
  mount('-t', 'tmpfs', '-o', 'size=16m,mode=0755', 'none', dmnt);
  dir = join(dmnt, 'data');
  mkdirSync(dir);
  if (STORE === 'sqlite') {
    store = `sqlite:${join(mnt, 'jiebang.db')}`;
  } else {
    const base = process.env.JIEBANG_TEST_PG;
    assert.ok(base, 'JIEBANG_TEST_STORE=postgres needs JIEBANG_TEST_PG');
    const ts = join(mnt, 'pg');
    mkdirSync(ts);
    const pg = +execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    chownSync(ts, pg, pg);
    dbName = `jb_full_${process.pid}`;
    sql(base + 'postgres', `CREATE TABLESPACE ${dbName} LOCATION '${ts}'`);
    sql(base + 'postgres', `CREATE DATABASE ${dbName} TABLESPACE ${dbName}`);
    store = base + dbName;
  }
  const r = run(['demo', '--data', dir, '--db', store]);
  assert.equal(r.status, 0, r.stderr);
  srv = await serve(dir, store);
  fx = await fixture(srv, { problems: 4, signed: 1 });
});

after(async () => {
  if (srv?.child.exitCode === null) { srv.child.kill('SIGKILL'); await srv.exited; }
  if (dmnt) spawnSync('mount', ['-o', 'remount,rw', dmnt]);
  if (dbName) {
    const base = process.env.JIEBANG_TEST_PG;
    spawnSync('psql', [base + 'postgres', '-qAtc', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`]);
    spawnSync('psql', [base + 'postgres', '-qAtc', `DROP TABLESPACE IF EXISTS ${dbName}`]);
  }
  for (const m of [mnt, dmnt].filter(Boolean)) { spawnSync('umount', ['-l', m]); rmSync(m, { recursive: true, force: true }); }
});

async function post(path, body, { multipart = false } = {}) {
  const headers = { Cookie: fx.cadre.cookie, 'X-CSRF-Token': fx.cadre.csrf };
  if (!multipart) headers['Content-Type'] = 'application/json';
  const r = await fetch(srv.url + path, { method: 'POST', headers, body: multipart ? body : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch {}
  return { status: r.status, json, text, retryAfter: r.headers.get('retry-after') };
}
let n = 0;
async function propose() {
  const title = `磁盘测试提议${++n}号`;
  const r = await post('/api/v1/problems', { title, description: '测试用难题：多个部门职责交叉，长期推不动，需要跨单位攻坚。',
    category: '项目建设类', batch_id: fx.collecting });
  if (r.status === 201) acked.problems.push({ id: r.json.problem.id, title });
  return r;
}
async function report() {
  const k = fx.signed[0];
  const bytes = Buffer.concat([PNG, Buffer.from(`disk-full ${++n} `.repeat(2000))]);
  const fd = new FormData();
  fd.append('text', `磁盘测试进展${n}`);
  fd.append('file', new Blob([bytes]), '照片.png');
  const r = await post(`/api/v1/claims/${k.id}/progress`, fd, { multipart: true });
  if (r.status === 201) {
    const h = sha(bytes);
    const p = r.json.claim.progress.find((x) => x.files.some((f) => f.sha256 === h));
    assert.ok(p, 'the answer lists the report');
    acked.reports.push({ id: p.id, claim: k.id, sha: h, size: bytes.length });
  }
  return r;
}

// A refusal as the issue asks: 503, Retry-After, a Chinese message.
function refused(r, what) {
  assert.equal(r.status, 503, `${what}: ${r.status} ${r.text}`);
  assert.ok(+r.retryAfter > 0, `${what}: a Retry-After (${r.retryAfter})`);
  assert.match(r.json?.error?.message ?? '', CJK, `${what}: a Chinese message: ${r.text}`);
}

// Reads that must keep working: public pages and API, signed-in API.
async function reads(why) {
  const k = fx.signed[0].id;
  for (const [path, sess] of [['/', null], ['/api/v1/stats', null], ['/api/v1/problems', null],
    [`/api/v1/claims/${k}`, null], [`/claims/${k}`, null], [`/api/v1/proposals/${acked.problems[0].id}`, fx.admin],
    ['/api/v1/me', fx.cadre], ['/api/v1/notifications', fx.cadre], [`/api/v1/claims/${k}`, fx.cadre]]) {
    const r = await fetch(srv.url + path, { headers: sess ? { Cookie: sess.cookie } : {} });
    assert.equal(r.status, 200, `${why}: GET ${path} ${sess ? 'signed in' : ''}: ${r.status} ${(await r.text()).slice(0, 300)}`);
    await r.arrayBuffer().catch(() => {});
  }
}

// Writes until the store refuses (at most tries): the answers' statuses.
async function untilRefused(fn, tries = 400) {
  const seen = [];
  for (let i = 0; i < tries; i++) {
    const r = await fn();
    seen.push(r.status);
    assert.notEqual(r.status, 500, `never a 500: ${r.text}`);
    if (r.status === 503) return { r, seen };
  }
  assert.fail(`no refusal after ${tries} writes: ${seen.join(',')}`);
}

test(`disk full: writes 503 with Retry-After, reads 200, nothing lost or corrupt, writes again when space returns (${STORE})`, async () => {
  for (let i = 0; i < 5; i++) assert.equal((await propose()).status, 201);
  assert.equal((await report()).status, 201);
  await reads('before');
  // fill both filesystems: big blocks, then small ones, until ENOSPC
  let filled = 0;
  const fillers = [join(mnt, 'filler'), join(dmnt, 'filler')];
  for (const filler of fillers) {
    const fd = openSync(filler, 'w');
    for (const size of [MiB, 64 * 1024, 4096, 512]) {
      const b = Buffer.alloc(size, 1);
      try { for (;;) filled += writeSync(fd, b); } catch (e) { assert.equal(e.code, 'ENOSPC', e.message); }
    }
    closeSync(fd);
  }
  const up = await report();
  refused(up, 'a report with a file on a full disk');
  const p = await untilRefused(propose);
  refused(p.r, 'a proposal on a full disk');
  assert.match(p.r.json.error.message, /存储空间已满|无法保存/);
  // the same through a page's form: an HTML 503 page saying so
  const page = await fetch(srv.url + '/propose', { method: 'POST', redirect: 'manual',
    headers: { Cookie: fx.cadre.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ title: '磁盘测试表单提议', description: '测试用难题：多个部门职责交叉，长期推不动，需要跨单位攻坚。',
      category: '项目建设类', batch_id: String(fx.collecting), csrf: fx.cadre.csrf }) });
  const html = await page.text();
  assert.equal(page.status, 503, `a proposal through the form on a full disk: ${page.status} ${html.slice(0, 300)}`);
  assert.ok(+page.headers.get('retry-after') > 0, 'the page has a Retry-After');
  assert.match(html, /存储空间已满/);
  // a log-in writes a session: refused the same way, not a 500
  const li = await fetch(srv.url + '/api/v1/session', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: 'jiebang-demo' }) });
  assert.ok([200, 503].includes(li.status), `log-in on a full disk: ${li.status} ${await li.text()}`);
  const loginStatus = li.status;
  await reads('disk full');
  // space returns
  for (const filler of fillers) unlinkSync(filler);
  assert.equal((await propose()).status, 201, 'a proposal once space returns');
  const again = await report();
  assert.equal(again.status, 201, `a report with a file once space returns: ${again.text}`);
  await reads('after');
  console.log(`disk full (${STORE}): filled ${(filled / MiB).toFixed(1)} MiB; proposals before the first 503: ${p.seen.length - 1};` +
    ` refusal: ${p.r.status} Retry-After ${p.r.retryAfter} “${p.r.json.error.message}”; upload refusal “${up.json.error.message}”; a log-in: ${loginStatus}`);
});

test(`read-only store: writes 503 with Retry-After, reads 200, writes again once writable (${STORE})`, async () => {
  mount('-o', 'remount,ro', dmnt);
  const up = await report();
  refused(up, 'a report with a file on a read-only files filesystem');
  let p = null;
  if (STORE === 'postgres') {
    sql(store, `ALTER DATABASE ${dbName} SET default_transaction_read_only = on`);
    sql(store, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName}' AND pid <> pg_backend_pid()`);
    // the first request on each ended session finds it gone: a 503 too
    // (unavailable); then each session reconnects, read-only
    for (let i = 0; i < 40 && (p = await propose()).json?.error?.code !== 'store_full'; i++)
      refused(p, 'a proposal while the sessions reconnect');
    refused(p, 'a proposal on a read-only database');
    assert.equal(p.json.error.code, 'store_full', p.text);
    refused(await report(), 'a report with a file on a read-only database');
  }
  await reads('read-only');
  mount('-o', 'remount,rw', dmnt);
  if (STORE === 'postgres') {
    const base = process.env.JIEBANG_TEST_PG;
    sql(base + 'postgres', `ALTER DATABASE ${dbName} RESET default_transaction_read_only`);
    sql(base + 'postgres', `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName}'`);
  }
  let r;
  // PostgreSQL: each ended session answers one 503 before it reconnects
  for (let i = 0; i < 40 && (r = await propose()).status !== 201; i++) refused(r, 'a proposal while the sessions reconnect');
  assert.equal(r.status, 201, `a proposal once writable: ${r.text}`);
  const again = await report();
  assert.equal(again.status, 201, again.text);
  console.log(`read-only (${STORE}): upload refusal ${up.status} Retry-After ${up.retryAfter} “${up.json.error.message}”` +
    (p ? `; database refusal ${p.status} Retry-After ${p.retryAfter} “${p.json.error.message}”` : ''));
});

test('afterwards: every acknowledged write there, files and rows agree, the store checks clean', async () => {
  const lost = await missing(srv, fx, acked, q);
  assert.deepEqual(lost, { problems: [], claims: [], reports: [], files: [] });
  const fr = filesAndRows(dir, q);
  assert.deepEqual([fr.orphans, fr.absent, fr.corrupt], [[], [], []]);
  await stop(srv);
  console.log(`disk full/read-only (${STORE}): acknowledged ${acked.problems.length} proposals, ${acked.reports.length} reports, 0 lost; ${storeChecks(store)}`);
});
