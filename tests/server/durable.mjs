// durable.mjs - helpers for the durability tests (crash, disk full,
// restore): a server process the test may kill -9 and start again on the
// same data directory and store, a fixture of batches, published problems
// and signed claims made through the API, a bounded write load of
// proposals, claim applications and progress reports with files that
// records every write the server acknowledged, and the checks that each of
// them is in the store with its file.
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, freePort } from './harness.mjs';
import { login, api, freshUser } from './accounts.mjs';

const DAY = 86400;
const now = () => Math.floor(Date.now() / 1000);
const ymd = (epoch) => new Date((epoch + 8 * 3600) * 1000).toISOString().slice(0, 10);
export const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PNG = readFileSync('tests/fixtures/evidence/chart.png');

// Start `jiebang serve` on dir and store (a new port each time unless one
// is given); resolves once /healthz answers 200. Returns { url, port, dir,
// store, child, exited, log() }.
export async function serve(dir, store, { env = {}, port } = {}) {
  port ??= await freePort();
  let log = '';
  const child = spawn(BIN, ['serve', '--data', dir, '--db', store, '--port', String(port)], {
    env: { ...process.env, JIEBANG_LOGINS_PER_ADDR: '100000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url + '/healthz')).status === 200) break;
    } catch {}
    if (child.exitCode !== null || i > 400) throw new Error(`server did not start:\n${log}`);
    await sleep(25);
  }
  return { url, port, dir, store, child, exited, log: () => log };
}

// SIGKILL: no shutdown code runs.
export async function kill9(p) {
  p.child.kill('SIGKILL');
  const { sig } = await p.exited;
  assert.equal(sig, 'SIGKILL');
}

// A clean stop: exit 0 (a sanitizer report exits non-zero).
export async function stop(p) {
  if (p.child.exitCode === null) p.child.kill('SIGTERM');
  const { code, sig } = await p.exited;
  assert.equal(code, 0, `server exited with ${code} ${sig}:\n${p.log().slice(-4000)}`);
}

// The fixture, through the API of srv: an admin, the demo cadre (owner),
// a lead with a login, a collecting batch for proposals, `problems`
// published problems in a claiming batch to apply for, and `signed`
// signed claims to report progress on. Returns what the load needs.
export async function fixture(srv, { problems = 40, signed = 3 } = {}) {
  const admin = await login(srv, 'admin');
  const cadre = await login(srv, 'cadre');
  const conn = { query: (t) => execFileSync(srv.store.startsWith('sqlite:') ? 'sqlite3' : 'psql',
    srv.store.startsWith('sqlite:') ? [srv.store.slice(7), t] : [srv.store, '-qAtXc', t], { encoding: 'utf8' }).trim() };
  const owner = cadre.user.person_id;
  const unitId = +conn.query(`SELECT unit_id FROM person WHERE id = ${owner}`);
  const lp = conn.query(`SELECT id, unit_id FROM person WHERE tenant_id = 1 AND id <> ${owner}` +
    ' AND id NOT IN (SELECT person_id FROM app_user WHERE person_id IS NOT NULL) ORDER BY id LIMIT 1').split('|').map(Number);
  const lead = (await freshUser(srv, 'crashlead', ['cadre'], ['--person', String(lp[0]), '--unit', String(lp[1])])).session;
  const batch = async (name, phase) => {
    const r = await api(srv, admin, 'POST', '/api/v1/batches', { name, year: 2027, phase });
    assert.equal(r.status, 201, r.text);
    return r.json().batch.id;
  };
  const collecting = await batch('耐久测试征集批次', 'collecting');
  const claiming = await batch('耐久测试揭榜批次', 'collecting');
  const published = [];
  for (let i = 0; i < problems + signed; i++) {
    const r = await api(srv, cadre, 'POST', '/api/v1/problems', {
      title: `耐久测试难题第${i + 1}号`, description: '测试用难题：多个部门职责交叉，长期推不动，需要跨单位攻坚。',
      category: '项目建设类', batch_id: claiming,
    });
    assert.equal(r.status, 201, r.text);
    published.push(r.json().problem.id);
  }
  const t = await api(srv, admin, 'POST', '/api/v1/problems/transitions', { action: 'select', ids: published });
  assert.equal(t.status, 200, t.text);
  const p = await api(srv, admin, 'POST', '/api/v1/problems/transitions', { action: 'publish', ids: published });
  assert.equal(p.status, 200, p.text);
  assert.equal((await api(srv, admin, 'PATCH', `/api/v1/batches/${claiming}`, { phase: 'claiming' })).status, 200);
  const application = () => ({
    unit_id: unitId, lead_person_id: lp[0], owner_person_id: owner, goals: '年内完成改造3公里', pledge: '不破难题不收兵',
    reward_penalty: '完成则记功，未完成则约谈', deadline: ymd(now() + 200 * DAY),
    metrics: [{ name: '改造管网', kind: 'count', uom: '米', target: '3000' }],
  });
  const claims = [];
  for (const pid of published.slice(problems)) {
    let r = await api(srv, cadre, 'POST', `/api/v1/problems/${pid}/claims`, application());
    assert.equal(r.status, 201, r.text);
    const k = r.json().claim;
    assert.equal((await api(srv, admin, 'POST', `/api/v1/claims/${k.id}/approve`, {})).status, 200);
    assert.equal((await api(srv, cadre, 'POST', `/api/v1/claims/${k.id}/sign`, {})).status, 200);
    r = await api(srv, lead, 'POST', `/api/v1/claims/${k.id}/sign`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json().claim.state, 'signed');
    claims.push({ id: k.id, metric: k.metrics[0].id });
  }
  return { admin, cadre, lead, collecting, open: published.slice(0, problems), signed: claims, application };
}

// One write through plain fetch (the load does not validate answers against
// the OpenAPI document: it counts them). Resolves { status, json } or
// { error } when no answer came (the server was killed meanwhile).
async function send(url, sess, path, body, multipart = false) {
  const headers = { Cookie: sess.cookie, 'X-CSRF-Token': sess.csrf };
  if (!multipart) headers['Content-Type'] = 'application/json';
  try {
    const r = await fetch(url + path, { method: 'POST', headers, body: multipart ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(20000) });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch {}
    return { status: r.status, json, text, retryAfter: r.headers.get('retry-after') };
  } catch (e) {
    return { error: e };
  }
}

// A bounded write load on target() (a function: the server may change
// between requests), `workers` of each kind at once, until stop() is
// called. ack holds every write answered 2xx: problems [{ id, title }],
// claims [{ id, problem }], reports [{ id, claim, sha, size }]. counts the
// answers by kind and status ('none': no answer).
export function load(fx, target, { workers = 2 } = {}) {
  const ack = { problems: [], claims: [], reports: [] };
  const counts = {};
  let stopped = false, seq = 0;
  const queue = [...fx.open];
  const count = (kind, r) => {
    const k = `${kind} ${r.error ? 'none' : r.status}`;
    counts[k] = (counts[k] || 0) + 1;
  };
  const tag = () => `${process.pid}-${++seq}-${randomBytes(3).toString('hex')}`;
  async function propose() {
    const title = `耐久负载提议${tag()}`;
    const r = await send(target().url, fx.cadre, '/api/v1/problems', {
      title, description: '负载测试用难题：多个部门职责交叉，长期推不动，需要跨单位攻坚。', category: '项目建设类',
      batch_id: fx.collecting,
    });
    count('propose', r);
    if (r.status === 201) ack.problems.push({ id: r.json.problem.id, title });
    return r;
  }
  async function apply() {
    if (!queue.length) return propose();
    const pid = queue.shift();
    const r = await send(target().url, fx.cadre, `/api/v1/problems/${pid}/claims`, fx.application());
    count('apply', r);
    if (r.status === 201) ack.claims.push({ id: r.json.claim.id, problem: pid });
    else if (r.error || r.status >= 500) queue.push(pid); // not taken: another try later
    return r;
  }
  async function report() {
    const k = fx.signed[seq % fx.signed.length];
    const bytes = Buffer.concat([PNG, Buffer.from(`crash-test ${tag()}`)]);
    const h = sha(bytes);
    const fd = new FormData();
    fd.append('text', `负载进展${tag()}`);
    fd.append('values.0.metric_id', String(k.metric));
    fd.append('values.0.value', String(seq % 3000));
    fd.append('file', new Blob([bytes]), '现场照片.png');
    const r = await send(target().url, fx.cadre, `/api/v1/claims/${k.id}/progress`, fd, true);
    count('report', r);
    if (r.status === 201) {
      const p = r.json.claim.progress.find((x) => x.files.some((f) => f.sha256 === h));
      assert.ok(p, `the answer lists the report with its file ${h}`);
      ack.reports.push({ id: p.id, claim: k.id, sha: h, size: bytes.length });
    }
    return r;
  }
  const loop = async (fn) => {
    while (!stopped) {
      const r = await fn();
      if (r.error || r.status >= 500) await sleep(20);
    }
  };
  const running = [];
  for (let i = 0; i < workers; i++) running.push(loop(propose), loop(apply), loop(report));
  return {
    ack, counts,
    total: () => ack.problems.length + ack.claims.length + ack.reports.length,
    async stop() { stopped = true; await Promise.all(running); },
  };
}

// Every acknowledged write is in the store (q: a SQL runner giving text)
// and readable through the API of srv as admin; the lists of what is
// missing are returned (each should be empty).
export async function missing(srv, fx, ack, q) {
  const ids = (list) => list.length ? list.map((x) => x.id).join(',') : '0';
  const lost = { problems: [], claims: [], reports: [], files: [] };
  const rows = new Map(q(`SELECT id, title FROM problem WHERE tenant_id = 1 AND id IN (${ids(ack.problems)})`)
    .split('\n').filter(Boolean).map((l) => { const i = l.indexOf('|'); return [+l.slice(0, i), l.slice(i + 1)]; }));
  for (const p of ack.problems) if (rows.get(p.id) !== p.title) lost.problems.push(p.id);
  const claims = new Set(q(`SELECT id FROM claim WHERE tenant_id = 1 AND id IN (${ids(ack.claims)})`).split('\n').filter(Boolean).map(Number));
  for (const k of ack.claims) if (!claims.has(k.id)) lost.claims.push(k.id);
  const ev = new Set(q(`SELECT p.id || ':' || e.sha256 FROM progress p JOIN evidence e ON e.tenant_id = p.tenant_id` +
    ` AND e.progress_id = p.id WHERE p.tenant_id = 1 AND p.id IN (${ids(ack.reports)})`).split('\n').filter(Boolean));
  for (const r of ack.reports) {
    if (!ev.has(`${r.id}:${r.sha}`)) lost.reports.push(r.id);
    const f = join(srv.dir, 'files', r.sha.slice(0, 2), r.sha);
    if (!existsSync(f) || sha(readFileSync(f)) !== r.sha) lost.files.push(r.sha);
  }
  // through the API as well: a sample of each kind, read back as admin
  const sample = (list) => list.filter((_, i) => i % Math.max(1, Math.floor(list.length / 25)) === 0);
  for (const p of sample(ack.problems)) {
    const r = await fetch(`${srv.url}/api/v1/proposals/${p.id}`, { headers: { Cookie: fx.admin.cookie } });
    const j = r.status === 200 ? await r.json() : null;
    if (j?.problem?.title !== p.title && !lost.problems.includes(p.id)) lost.problems.push(p.id);
  }
  for (const k of sample(ack.claims)) {
    const r = await fetch(`${srv.url}/api/v1/claims/${k.id}`, { headers: { Cookie: fx.admin.cookie } });
    if (r.status !== 200 && !lost.claims.includes(k.id)) lost.claims.push(k.id);
  }
  for (const rep of sample(ack.reports)) {
    const r = await fetch(`${srv.url}/api/v1/files/${rep.sha}`, { headers: { Cookie: fx.admin.cookie } });
    const body = Buffer.from(await r.arrayBuffer());
    if ((r.status !== 200 || sha(body) !== rep.sha) && !lost.files.includes(rep.sha)) lost.files.push(rep.sha);
  }
  return lost;
}

// Files and rows agree both ways: every stored file is named by a row and
// holds the content its name says; every row's file is there. Returns
// { files, orphans, absent, corrupt }.
export function filesAndRows(dir, q) {
  const root = join(dir, 'files');
  const stored = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => join(e.path ?? e.parentPath, e.name));
  const named = new Set(q('SELECT DISTINCT sha256 FROM evidence').split('\n').filter(Boolean));
  const names = new Set(stored.map((f) => f.slice(-64)));
  return {
    files: stored.length,
    rows: named.size,
    orphans: [...names].filter((h) => !named.has(h)),
    absent: [...named].filter((h) => !names.has(h)),
    corrupt: stored.filter((f) => sha(readFileSync(f)) !== f.slice(-64)),
  };
}

// The store's own consistency checks: SQLite's integrity_check and
// foreign_key_check (the server stopped), PostgreSQL's pg_amcheck over
// every table and index (amcheck installed by it, as the superuser of the
// test cluster). Asserts they pass; returns what they printed.
export function storeChecks(store) {
  if (store.startsWith('sqlite:')) {
    const file = store.slice(7);
    const ic = execFileSync('sqlite3', [file, 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim();
    assert.equal(ic, 'ok', `integrity_check: ${ic}`);
    const fk = execFileSync('sqlite3', [file, 'PRAGMA foreign_key_check'], { encoding: 'utf8' }).trim();
    assert.equal(fk, '', `foreign_key_check: ${fk}`);
    return `integrity_check ${ic}; foreign_key_check clean`;
  }
  const PGBIN = process.env.PGBIN || '/usr/lib/postgresql/15/bin';
  const amcheck = join(PGBIN, 'pg_amcheck');
  assert.ok(existsSync(amcheck), `pg_amcheck not found at ${amcheck} (Debian postgresql-15)`);
  const r = spawnSync(amcheck, ['--install-missing', '--heapallindexed', '--parent-check', '--progress', store],
    { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, `pg_amcheck failed:\n${r.stdout}${r.stderr}`);
  assert.equal(r.stdout.trim(), '', 'pg_amcheck reports no corruption');
  const done = r.stderr.split(/[\r\n]/).map((l) => l.trim()).filter(Boolean).at(-1) || '';
  assert.match(done, /^(\d+)\/\1 relations \(100%\)/, `pg_amcheck checked every relation: ${done}`);
  return `pg_amcheck clean (${done})`;
}
