// PostgreSQL failover with no acknowledged write lost (issue 13 §1). A
// primary and its synchronous hot standby (scripts/pgtest.sh start-pair,
// its own pair, not the shared JIEBANG_TEST_PG cluster); jiebang serves
// through the multi-host URL with target_session_attrs=read-write. Under a
// write load of proposals from several clients at once the primary dies
// (SIGKILL to the postmaster and its children), the standby is promoted,
// and jiebang finds the new primary by itself. Every request gets an answer
// within its deadline (none hangs); each is either acknowledged (201) or
// 503 with Retry-After; every acknowledged proposal is on the new primary
// with its id; writing works again within seconds of the promotion.
// PostgreSQL only: on SQLite there is no standby to fail over to.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STORE, startServer } from './harness.mjs';
import { login, api } from './accounts.mjs';
import { checkAnswer } from './openapi.mjs';

const PGTEST = fileURLToPath(new URL('../../scripts/pgtest.sh', import.meta.url));
const CLIENTS = 6;          // concurrent writers
const DEADLINE_MS = 30000;  // a request without an answer by then hung
const BEFORE_MS = 1500;     // load before the primary dies
const DOWN_MS = 1000;       // the primary is dead, the standby not promoted yet
const AFTER_ACKS = 60;      // acknowledged writes wanted that were sent after the crash

const pgdir = join(tmpdir(), `jb-failover-${process.pid}`);
const pg = (...args) => execFileSync(PGTEST, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let srv;
after(async () => {
  if (srv) await srv.stop();
  if (STORE === 'postgres') pg('stop', pgdir);
});

test('the primary dies under write load: the standby is promoted, jiebang reconnects, no acknowledged write is lost, no request hangs',
  { skip: STORE !== 'postgres' && 'PostgreSQL only (a primary and a synchronous standby)', timeout: 240000 }, async (t) => {
    const base = pg('start-pair', pgdir);
    assert.match(base, /^postgres:\/\/postgres@127\.0\.0\.1:\d+,127\.0\.0\.1:\d+\/$/);
    const [portA, portB] = base.match(/:(\d+),127\.0\.0\.1:(\d+)\//).slice(1);
    pg('createdb', pgdir, 'jb_failover');
    const store = `${base}jb_failover?target_session_attrs=read-write`;
    const psql = (port, text, db = 'jb_failover') => execFileSync('psql', [`postgres://postgres@127.0.0.1:${port}/${db}`, '-qAtXc', text],
      { encoding: 'utf8' }).trim();
    assert.equal(psql(portA, "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'b'", 'postgres'), 'sync');
    assert.equal(psql(portB, 'SELECT pg_is_in_recovery()', 'postgres'), 't', 'b is a hot standby');

    srv = await startServer({ store, env: { JIEBANG_LOGINS_PER_ADDR: '1000' } });
    const admin = await login(srv, 'admin');
    const cadre = await login(srv, 'cadre');
    assert.equal(cadre.status, 200, cadre.text);
    const b = await api(srv, admin, 'POST', '/api/v1/batches', { name: '故障切换测试批次', year: 2027, phase: 'collecting' });
    assert.equal(b.status, 201, b.text);
    const batchId = b.json().batch.id;

    // One proposal: { ok, id } when acknowledged, { status, retryAfter, code } when refused,
    // { hung } when no answer came within the deadline.
    let seq = 0;
    const acked = [], refused = [], hung = [], other = [];
    let phase = 'before', ackedAfter = 0, firstFail = 0, backAt = 0, promotedAt = 0; // backAt: first write acknowledged that was sent after the crash
    const propose = async (client) => {
      const title = `故障切换测试提案 ${client}-${++seq}`;
      const sent = Date.now(), sentIn = phase;
      const body = JSON.stringify({ title, description: '主库宕机时提交的提案，用于核对每条已确认的写入都在新主库上。',
        category: '城市建设类', batch_id: batchId, expected_outcome: '无一丢失', residents_concern: false });
      let r;
      try {
        r = await fetch(srv.url + '/api/v1/problems', {
          method: 'POST', body, signal: AbortSignal.timeout(DEADLINE_MS),
          headers: { 'Content-Type': 'application/json', Cookie: cadre.cookie, 'X-CSRF-Token': cadre.csrf },
        });
      } catch (e) {
        hung.push({ title, phase: sentIn, error: String(e), ms: Date.now() - sent });
        return;
      }
      const text = await r.text();
      await checkAnswer(srv, 'POST', '/api/v1/problems', r.status, r.headers, text);
      if (r.status === 201) {
        acked.push({ title, id: JSON.parse(text).problem.id, phase: sentIn });
        if (sentIn !== 'before') ackedAfter++;
        if (sentIn !== 'before' && !backAt) backAt = Date.now();
      } else if (r.status === 503) {
        if (!firstFail) firstFail = sent;
        refused.push({ title, phase: sentIn, retryAfter: r.headers.get('retry-after'), code: JSON.parse(text).error?.code });
      } else {
        other.push({ title, phase: sentIn, status: r.status, text: text.slice(0, 300) });
      }
    };
    let stop = false;
    const writer = async (client) => {
      while (!stop) {
        const before = refused.length;
        await propose(client);
        if (refused.length > before) await sleep(50); // a client backs off a little after a 503
      }
    };
    const writers = Array.from({ length: CLIENTS }, (_, i) => writer(i + 1));

    await sleep(BEFORE_MS);
    const ackedBefore = acked.length;
    assert.ok(ackedBefore > 0, 'writes were acknowledged before the crash');
    const crashAt = Date.now();
    phase = 'down';
    pg('crash', pgdir);
    await sleep(DOWN_MS);
    phase = 'after';
    pg('promote', pgdir);
    promotedAt = Date.now();
    while (ackedAfter < AFTER_ACKS && !hung.length && !other.length) {
      assert.ok(Date.now() - promotedAt < 60000, `only ${ackedAfter} writes acknowledged within 60 s of the promotion`);
      await sleep(50);
    }
    stop = true;
    await Promise.all(writers);

    assert.deepEqual(hung, [], 'every request was answered within its deadline');
    assert.deepEqual(other, [], 'every refusal was a 503');
    assert.ok(refused.length > 0, 'the crash was seen by some requests (else it tested nothing)');
    for (const f of refused) {
      assert.ok(['unavailable', 'busy'].includes(f.code), JSON.stringify(f));
      assert.match(f.retryAfter ?? '', /^\d+$/, `503 with Retry-After: ${JSON.stringify(f)}`);
    }
    assert.ok(backAt > 0, 'writes were acknowledged again after the failover');

    // b is the primary now, and has every acknowledged proposal, with its id.
    assert.equal(psql(portB, 'SELECT pg_is_in_recovery()'), 'f', 'b was promoted');
    const onB = new Map(psql(portB, `SELECT title, id FROM problem WHERE batch_id = ${batchId}`).split('\n').filter(Boolean)
      .map((l) => { const i = l.lastIndexOf('|'); return [l.slice(0, i), +l.slice(i + 1)]; }));
    const lost = acked.filter((a) => onB.get(a.title) !== a.id);
    assert.deepEqual(lost, [], 'every acknowledged proposal is on the new primary');
    const inDoubt = refused.filter((f) => onB.has(f.title)).length; // refused, yet committed
    assert.equal(onB.size, acked.length + inDoubt, 'nothing on the new primary that no request sent');
    // and the server is healthy against it
    const h = await fetch(srv.url + '/healthz');
    assert.equal(h.status, 200);
    const figures = `acknowledged ${acked.length} (${ackedBefore} before the crash), lost ${lost.length}; ` +
      `refused 503 ${refused.length} (${[...new Set(refused.map((f) => f.code))].map((c) => `${c} ${refused.filter((f) => f.code === c).length}`).join(', ')}; ` +
      `committed anyway ${inDoubt}); hung ${hung.length}; ` +
      `writes failed for ${backAt - firstFail} ms (crash to first acknowledgement ${backAt - crashAt} ms, ` +
      `promotion to first acknowledgement ${backAt - promotedAt} ms)`;
    t.diagnostic(figures);
    console.log(`failover: ${figures}`);
    if (process.env.JIEBANG_FAILOVER_LOG) console.log(srv.log());
  });
