// Crash test (issue 13 §1), on the store the harness runs (SQLite or
// PostgreSQL): a bounded write load through the API - proposals, claim
// applications, progress reports with a file each - while the server is
// killed with SIGKILL several times at random moments and started again on
// the same data directory and store. Afterwards every write the server
// acknowledged (answered 201) is there, in the store and through the API;
// no stored file lacks its row and no row lacks its file (the start-up
// sweep removes what a kill between a file's link and its commit left);
// SQLite's integrity_check and foreign_key_check, or PostgreSQL's
// pg_amcheck, find nothing.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STORE, freshStore, run, sql } from './harness.mjs';
import { serve, kill9, stop, fixture, load, missing, filesAndRows, storeChecks, sleep } from './durable.mjs';

const KILLS = 5;
let dir, srv, w;
after(async () => {
  w?.stop().catch(() => {}); // a failed test leaves no load running
  if (srv?.child.exitCode === null) srv.child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(`kill -9 under write load, ${KILLS} times: every acknowledged write is there, files and rows agree, the store checks clean (${STORE})`, async () => {
  const t0 = Date.now();
  dir = mkdtempSync(join(tmpdir(), 'jiebang-crash-'));
  const store = freshStore(dir);
  const r = run(['demo', '--data', dir, '--db', store]);
  assert.equal(r.status, 0, r.stderr);
  srv = await serve(dir, store);
  const fx = await fixture(srv, { problems: 60, signed: 3 });
  w = load(fx, () => srv);
  const kills = [], logs = [];
  for (let i = 0; i < KILLS; i++) {
    // a random moment: after 15-120 more acknowledged writes and a random
    // part of a millisecond-scale gap, so that some kills land inside a
    // transaction, some between a file's link and its commit
    const want = w.total() + 15 + Math.floor(Math.random() * 105);
    for (const t = Date.now(); w.total() < want; await sleep(5))
      assert.ok(Date.now() - t < 30000, `no progress after restart ${i}: ${JSON.stringify(w.counts)}\n${srv.log().slice(-2000)}`);
    await sleep(Math.random() * 20);
    const before = w.total();
    await kill9(srv);
    logs.push(srv.log());
    kills.push(before);
    srv = await serve(dir, store, { port: srv.port });
  }
  await sleep(300);
  await w.stop();
  // one more kill with nothing in flight, then the reads
  await kill9(srv);
  logs.push(srv.log());
  srv = await serve(dir, store, { port: srv.port });
  const q = (text) => sql(store, text).trim();
  const lost = await missing(srv, fx, w.ack, q);
  const fr = filesAndRows(dir, q);
  await stop(srv);
  logs.push(srv.log());
  const checks = storeChecks(store);
  const swept = logs.join('').match(/removed \d+ stored files? no row names/g)?.map((l) => +l.split(' ')[1]) ?? [];
  const acked = w.total();
  const nlost = lost.problems.length + lost.claims.length + lost.reports.length + lost.files.length;
  console.log(`crash (${STORE}): ${KILLS} kills (after ${kills.join(', ')} acknowledged writes); acknowledged ${acked}` +
    ` (proposals ${w.ack.problems.length}, applications ${w.ack.claims.length}, reports with a file ${w.ack.reports.length});` +
    ` lost ${nlost}; files ${fr.files}, rows naming files ${fr.rows};` +
    ` files no row named removed at start-up ${swept.reduce((a, b) => a + b, 0)}; ${checks}; answers ${JSON.stringify(w.counts)};` +
    ` ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.ok(w.ack.problems.length >= 20 && w.ack.claims.length >= 10 && w.ack.reports.length >= 10,
    `the load wrote enough of each kind: ${JSON.stringify(w.counts)}`);
  assert.ok(kills.every((n, i) => i === 0 || n > kills[i - 1]), `writes were acknowledged between kills: ${kills}`);
  assert.deepEqual(lost, { problems: [], claims: [], reports: [], files: [] }, 'no acknowledged write lost');
  assert.deepEqual(fr.orphans, [], 'no stored file without its row');
  assert.deepEqual(fr.absent, [], 'no row without its file');
  assert.deepEqual(fr.corrupt, [], 'every stored file holds the content its name says');
  const bad = Object.entries(w.counts).filter(([k]) => /\s5\d\d$/.test(k) && !/ 503$/.test(k));
  assert.deepEqual(bad, [], 'no 5xx other than 503 while the server came and went');
});
