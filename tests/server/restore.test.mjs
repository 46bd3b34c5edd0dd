// A restore drill (issue 13 §1), on the store the harness runs: `jiebang
// backup` taken while a write load (proposals, applications, progress
// reports with files) runs, `restore` into a fresh store, a second server
// on it. "The same answers" is made exact with a second backup taken once
// the load has stopped: a server on its restore answers a set of API reads
// (stats, the problem list, proposals, problems, claims with their reports,
// files) exactly as the original does. The backup taken under load is a
// consistent point in time: it restores, its store checks clean, every
// write acknowledged before it began is in it, and each of its rows naming
// a file has the file. (The backup copies the store; evidence files live in
// <data>/files, which operators copy alongside - the restored servers get
// a copy of it.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, STORE, freshStore, run, sql } from './harness.mjs';
import { serve, stop, fixture, load, missing, filesAndRows, storeChecks, sleep, sha } from './durable.mjs';

const dirs = [];
const servers = [];
let w;
after(async () => {
  w?.stop().catch(() => {}); // a failed test leaves no load running
  for (const s of servers) if (s.child.exitCode === null) { s.child.kill('SIGKILL'); await s.exited; }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tmp = (name) => { const d = mkdtempSync(join(tmpdir(), `jiebang-${name}-`)); dirs.push(d); return d; };

// `jiebang backup FILE` as a child process (the load goes on meanwhile).
function backup(store, dir, file) {
  return new Promise((resolve) => {
    const p = spawn(BIN, ['backup', file, '--db', store, '--data', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('exit', (code) => resolve({ code, out }));
  });
}

// A fresh store restored from file, with a copy of the original's files,
// and a server on it.
async function restored(file, filesFrom, name) {
  const dir = tmp(name);
  const store = freshStore(dir);
  const r = run(['restore', file, '--db', store, '--data', dir]);
  assert.equal(r.status, 0, `restore ${file}: ${r.stderr}`);
  cpSync(join(filesFrom, 'files'), join(dir, 'files'), { recursive: true });
  const s = await serve(dir, store);
  servers.push(s);
  return s;
}

// An answer without the moment it was read at (claims carry as_of: now).
function timeless(v) {
  if (Array.isArray(v)) return v.map(timeless);
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).filter(([k, x]) => !(k === 'as_of' && typeof x === 'number'))
      .map(([k, x]) => [k, timeless(x)]));
  return v;
}

// The answers compared: JSON of public and signed-in reads.
async function answers(srv, fx, ack) {
  const paths = [
    [null, '/api/v1/stats'], [null, '/api/v1/problems?per_page=50&sort=updated'], [null, '/api/v1/problems?per_page=50&page=2'],
    [fx.admin, '/api/v1/stats'], [fx.cadre, '/api/v1/me/proposals'], [fx.admin, `/api/v1/batches/${fx.collecting}`],
    ...ack.problems.filter((_, i) => i % 7 === 0).map((p) => [fx.admin, `/api/v1/proposals/${p.id}`]),
    ...fx.open.slice(0, 10).map((id) => [null, `/api/v1/problems/${id}`]),
    ...ack.claims.map((k) => [fx.admin, `/api/v1/claims/${k.id}`]),
    ...fx.signed.map((k) => [fx.cadre, `/api/v1/claims/${k.id}`]),
  ];
  const out = {};
  for (const [sess, path] of paths) {
    const r = await fetch(srv.url + path, { headers: sess ? { Cookie: sess.cookie } : {} });
    const text = await r.text();
    assert.equal(r.status, 200, `${path}: ${text.slice(0, 300)}`);
    out[`${sess ? 'signed-in ' : ''}${path}`] = timeless(JSON.parse(text));
  }
  for (const rep of ack.reports.filter((_, i) => i % 5 === 0)) {
    const r = await fetch(`${srv.url}/api/v1/files/${rep.sha}`, { headers: { Cookie: fx.admin.cookie } });
    out[`file ${rep.sha}`] = `${r.status} ${sha(Buffer.from(await r.arrayBuffer()))}`;
  }
  return out;
}

test(`restore drill: a backup under load restores consistent and complete; a backup at rest restores the same answers (${STORE})`, async () => {
  const t0 = Date.now();
  const dir = tmp('drill');
  const store = freshStore(dir);
  assert.equal(run(['demo', '--data', dir, '--db', store]).status, 0);
  const srv = await serve(dir, store);
  servers.push(srv);
  const fx = await fixture(srv, { problems: 40, signed: 2 });
  w = load(fx, () => srv, { workers: 1 });
  await sleep(1500);
  // under load: what was acknowledged before the backup began must be in it
  const before = { problems: [...w.ack.problems], claims: [...w.ack.claims], reports: [...w.ack.reports] };
  const file1 = join(tmp('backup'), 'under-load.bak');
  const b1 = await backup(store, dir, file1);
  assert.equal(b1.code, 0, b1.out);
  const during = w.total() - (before.problems.length + before.claims.length + before.reports.length);
  await sleep(500);
  await w.stop();
  const file2 = join(tmp('backup'), 'at-rest.bak');
  const b2 = await backup(store, dir, file2);
  assert.equal(b2.code, 0, b2.out);

  const one = await restored(file1, dir, 'restored-under-load');
  const q1 = (t) => sql(one.store, t).trim();
  const lost = await missing(one, fx, before, q1);
  assert.deepEqual(lost, { problems: [], claims: [], reports: [], files: [] }, 'every write acknowledged before the backup is in it');
  assert.deepEqual(filesAndRows(one.dir, q1).absent, [], 'each row naming a file has it');
  const inBackup = +q1(`SELECT count(*) FROM problem WHERE tenant_id = 1 AND batch_id = ${fx.collecting}`);

  const two = await restored(file2, dir, 'restored-at-rest');
  const a = await answers(srv, fx, w.ack), b = await answers(two, fx, w.ack);
  assert.deepEqual(b, a, 'the restored store answers as the original');
  const q2 = (t) => sql(two.store, t).trim();
  assert.deepEqual(await missing(two, fx, w.ack, q2), { problems: [], claims: [], reports: [], files: [] });
  const fr = filesAndRows(two.dir, q2);
  assert.deepEqual([fr.orphans, fr.absent, fr.corrupt], [[], [], []], 'at rest, files and rows agree both ways');
  for (const s of [one, two, srv]) await stop(s);
  const checks = [storeChecks(one.store), storeChecks(two.store)];
  console.log(`restore drill (${STORE}): acknowledged ${w.total()} writes (${before.problems.length + before.claims.length +
    before.reports.length} before the backup under load began, ${during} while it ran); the backup under load holds` +
    ` ${inBackup} of the load's proposals and all ${before.problems.length} acknowledged before it; at rest: ${Object.keys(a).length}` +
    ` answers identical; ${checks.join('; ')}; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});
