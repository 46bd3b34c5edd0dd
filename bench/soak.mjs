// soak.mjs - `make soak` (issue 13 §4): SOAK_SECONDS (default 600) of mixed
// traffic on each store (SOAK_STORES, default "sqlite postgres"; PostgreSQL
// is a throwaway cluster from scripts/pgtest.sh): anonymous and signed-in
// reads, proposals, progress reports with a file upload, CSV and XLSX
// exports, and log-in / log-out cycles, from 8 clients at once. Reports per
// store the requests, throughput and p50/p99 per kind, the 5xx count (must
// be 0), and the server's resident memory sampled every 10 s, with a verdict:
// after a 30 s warm-up, the median of the last third of the samples of
// anonymous memory (the process's own; the store's mapped file pages are
// apart) may exceed the first third's by at most 10 % and at most 10 MiB.
// Exits non-zero when any store has a 5xx, a request without an answer
// within 30 s, any other failed request, or growing memory.
//
// The reads and exports touch only data that the writes do not grow (the
// public board, claims and their ledger; the proposals stay unpublished and
// the reports are spread over many claims, see fixture()), so a steady
// state is a flat line. Passwords are hashed at the test cost: a production-cost log-in
// holds a 64 MiB Argon2 buffer for ~0.2 s, which would show in the samples
// as noise, not as growth; the log-in path is otherwise the same.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, sql } from '../tests/server/harness.mjs';
import { login, api, freshUser } from '../tests/server/accounts.mjs';

const SECONDS = +(process.env.SOAK_SECONDS || 600);
const STORES = (process.env.SOAK_STORES || 'sqlite postgres').split(/[\s,]+/).filter(Boolean);
// SOAK_CLIENTS: the clients to run, to find what makes memory grow
// (default all: read read read signed-in write upload export log-in).
const CLIENTS = (process.env.SOAK_CLIENTS || 'read read read signed-in write upload export log-in').split(/[\s,]+/).filter(Boolean);
const SAMPLE_S = 10;
const WARMUP_S = Math.min(30, Math.floor(SECONDS / 4));
const DEADLINE_MS = 30000;
const MAX_GROWTH_PCT = 10, MAX_GROWTH_MIB = 10;
const top = fileURLToPath(new URL('..', import.meta.url));
const PGTEST = join(top, 'scripts/pgtest.sh');
const PNG = readFileSync(join(top, 'tests/fixtures/evidence/chart.png'));
const DAY = 86400;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ymd = (epoch) => new Date((epoch + 8 * 3600) * 1000).toISOString().slice(0, 10);

// Status /proc/PID/status fields in KiB.
function mem(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => +(s.match(new RegExp(`^${k}:\\s+(\\d+)`, 'm'))?.[1] ?? NaN);
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}
const mib = (kb) => (kb / 1024).toFixed(1);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN; };
const pct = (sorted, p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p / 100) - 1)] : NaN;

// Claims the cadre's team has signed, to report progress on (as in
// tests/server/upload.test.mjs), and an open batch for proposals. A report's
// answer is its claim with every report so far, so each claim takes at
// most REPORTS_PER_CLAIM reports and the uploads go round the claims: the
// answers stay the same size (one claim taking them all would grow its
// answer, and the memory that builds it, for the whole run).
const REPORTS_PER_CLAIM = 100;
const NCLAIMS = Math.max(4, Math.ceil(SECONDS / 3)); // enough for 33 reports a second
async function fixture(srv) {
  const admin = await login(srv, 'admin');
  const cadre = await login(srv, 'cadre');
  const owner = cadre.user.person_id;
  const unitId = +sql(srv.store, `SELECT unit_id FROM person WHERE id = ${owner}`).trim();
  const lp = sql(srv.store, `SELECT id, unit_id FROM person WHERE tenant_id = 1 AND id <> ${owner}` +
    ' AND id NOT IN (SELECT person_id FROM app_user WHERE person_id IS NOT NULL) ORDER BY id LIMIT 1').trim().split('|').map(Number);
  const lead = (await freshUser(srv, 'soaklead', ['cadre'], ['--person', String(lp[0]), '--unit', String(lp[1])])).session;
  const ok = (r, status = 200) => { if (r.status !== status) throw new Error(`setup: ${r.status} ${r.text}`); return r.json(); };
  const claimBatch = ok(await api(srv, admin, 'POST', '/api/v1/batches', { name: '压力测试攻坚批次', year: 2027, phase: 'collecting' }), 201).batch.id;
  const proposalBatch = ok(await api(srv, admin, 'POST', '/api/v1/batches', { name: '压力测试征集批次', year: 2027, phase: 'collecting' }), 201).batch.id;
  const problems = [];
  for (let i = 1; i <= NCLAIMS; i++) {
    const id = ok(await api(srv, cadre, 'POST', '/api/v1/problems', {
      title: `压力测试用难题 ${i}`, description: '压力测试用难题：多个部门职责交叉，长期推不动，需要跨单位攻坚。',
      category: '项目建设类', batch_id: claimBatch,
    }), 201).problem.id;
    for (const action of ['select', 'publish'])
      ok(await api(srv, admin, 'POST', `/api/v1/problems/${id}/transitions`, { action }));
    problems.push(id);
  }
  ok(await api(srv, admin, 'PATCH', `/api/v1/batches/${claimBatch}`, { phase: 'claiming' }));
  const claims = [];
  for (const problemId of problems) {
    const claim = ok(await api(srv, cadre, 'POST', `/api/v1/problems/${problemId}/claims`, {
      unit_id: unitId, lead_person_id: lp[0], owner_person_id: owner, goals: '年内完成改造3公里', pledge: '不破难题不收兵',
      reward_penalty: '完成则记功，未完成则约谈', deadline: ymd(Math.floor(Date.now() / 1000) + 200 * DAY),
      metrics: [{ name: '改造管网', kind: 'count', uom: '米', target: '3000' }],
    }), 201).claim;
    ok(await api(srv, admin, 'POST', `/api/v1/claims/${claim.id}/approve`, {}));
    ok(await api(srv, cadre, 'POST', `/api/v1/claims/${claim.id}/sign`, {}));
    ok(await api(srv, lead, 'POST', `/api/v1/claims/${claim.id}/sign`, {}));
    claims.push({ id: claim.id, metric: claim.metrics[0].id });
  }
  return { admin, cadre, claims, proposalBatch };
}

async function soak(store) {
  let pgdir, url, srv;
  const dir = mkdtempSync(join(tmpdir(), 'jiebang-soak-'));
  try {
    if (store === 'postgres') {
      pgdir = join(tmpdir(), `jb-soak-pg-${process.pid}`);
      const base = execFileSync(PGTEST, ['start', pgdir], { encoding: 'utf8' }).trim();
      execFileSync(PGTEST, ['createdb', pgdir, 'soak']);
      url = base + 'soak';
    } else {
      url = `sqlite:${join(dir, 'jiebang.db')}`;
    }
    srv = await startServer({ store: url, env: { JIEBANG_QUIET: '1', JIEBANG_LOGINS_PER_ADDR: '1000000' } });
    const pid = srv.child.pid;
    const fx = await fixture(srv);
    const stats = new Map(); // kind -> { ms: [], codes: Map }
    const failures = []; // the first 20 unexpected answers
    let total = 0, unexpected = 0, stop = false;
    const unexpectedAnswer = (what) => { unexpected++; if (failures.length < 20) failures.push(what); };
    const hit = async (kind, path, init = {}, want = [200]) => {
      const t0 = performance.now();
      let status = 'no answer';
      try {
        const r = await fetch(srv.url + path, { redirect: 'manual', ...init, signal: AbortSignal.timeout(DEADLINE_MS) });
        await r.arrayBuffer();
        status = r.status;
      } catch (e) {
        status = e.name === 'TimeoutError' ? 'timeout' : `error ${e.cause?.code || e.message}`;
      }
      const ms = performance.now() - t0;
      const s = stats.get(kind) ?? { ms: [], codes: new Map() };
      stats.set(kind, s);
      s.ms.push(ms);
      s.codes.set(status, (s.codes.get(status) || 0) + 1);
      total++;
      if (!want.includes(status)) unexpectedAnswer(`${kind} ${path}: ${status}`);
      return status;
    };
    const as = (sess, extra = {}) => ({ Cookie: sess.cookie, 'X-CSRF-Token': sess.csrf, ...extra });
    const reads = ['/', '/problems/1', '/stats', '/?q=%E7%BC%86%E7%BA%BF', '/api/v1/problems?q=%E7%BC%86', '/api/v1/stats', '/api/v1/problems/1'];
    let seq = 0, reports = 0;
    let readers = 0;
    const kinds = {
      // an anonymous reader (each starts elsewhere in the list)
      read: (c = readers++) => async () => { for (let i = c; !stop; i++) await hit('read', reads[i % reads.length]); },
      // a signed-in reader
      'signed-in': () => async () => { for (let i = 0; !stop; i++) await hit('read signed-in', ['/', '/api/v1/me', '/stats'][i % 3], { headers: as(fx.cadre) }); },
      // proposals
      write: () => async () => {
        while (!stop) {
          await hit('write', '/api/v1/problems', {
            method: 'POST', headers: as(fx.cadre, { 'Content-Type': 'application/json' }),
            body: JSON.stringify({ title: `压力测试提案 ${++seq}`, description: '压力测试：持续写入的提案，不公开，不影响读取的页面。',
              category: '城市建设类', batch_id: fx.proposalBatch, expected_outcome: '无', residents_concern: false }),
          }, [201]);
        }
      },
      // progress reports with a file (a new one each time: random bytes after the PNG's end)
      upload: () => async () => {
        while (!stop) {
          const i = ++reports, claim = fx.claims[Math.floor((i - 1) / REPORTS_PER_CLAIM) % fx.claims.length];
          const fd = new FormData();
          fd.append('text', `压力测试进展 ${i}`);
          fd.append('values.0.metric_id', String(claim.metric));
          fd.append('values.0.value', String(i % 3000));
          fd.append('file', new Blob([PNG, crypto.getRandomValues(new Uint8Array(16))]), `现场照片${i}.png`);
          await hit('upload', `/api/v1/claims/${claim.id}/progress`, { method: 'POST', headers: as(fx.cadre), body: fd }, [201]);
        }
      },
      // exports
      export: () => async () => {
        const ex = ['/api/v1/export/ledger.csv', '/api/v1/export/ledger.xlsx', '/api/v1/export/problems.csv?state=in_progress'];
        for (let i = 0; !stop; i++) await hit('export', ex[i % ex.length], { headers: { Cookie: fx.admin.cookie } });
      },
      // log in, read, log out
      'log-in': () => async () => {
        while (!stop) {
          const t0 = performance.now();
          let s;
          try {
            s = await login(srv, 'leader');
          } catch (e) { s = { status: `error ${e.message}` }; }
          const ms = performance.now() - t0;
          const st = stats.get('log-in') ?? { ms: [], codes: new Map() };
          stats.set('log-in', st);
          st.ms.push(ms);
          st.codes.set(s.status, (st.codes.get(s.status) || 0) + 1);
          total++;
          if (s.status !== 200) { unexpectedAnswer(`log-in: ${s.status}`); await sleep(100); continue; }
          await hit('read signed-in', '/api/v1/me', { headers: { Cookie: s.cookie } });
          await hit('log-out', '/api/v1/session', { method: 'DELETE', headers: as(s) }, [200, 204]);
        }
      },
    };
    const clients = CLIENTS.map((k) => {
      if (!kinds[k]) throw new Error(`SOAK_CLIENTS: unknown client '${k}' (${Object.keys(kinds).join(', ')})`);
      return kinds[k]();
    });

    const samples = []; // { t, rss, anon, file }
    const t0 = Date.now();
    const running = clients.map((c) => c());
    for (let t = SAMPLE_S; t <= SECONDS; t += SAMPLE_S) {
      await sleep(t0 + t * 1000 - Date.now());
      samples.push({ t, ...mem(pid) });
    }
    stop = true;
    await Promise.all(running);
    const elapsed = (Date.now() - t0) / 1000;

    // the report
    const out = [];
    let fivexx = 0, unanswered = 0;
    out.push(`== ${store}: ${SECONDS} s, ${clients.length} clients at once (${CLIENTS.join(' ')})`);
    const all = [];
    out.push(`  ${'kind'.padEnd(16)} ${'requests'.padStart(9)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  answers`);
    for (const [kind, s] of stats) {
      const sorted = [...s.ms].sort((a, b) => a - b);
      all.push(...s.ms);
      const codes = [...s.codes].map(([c, n]) => `${c}×${n}`).join(' ');
      for (const [c, n] of s.codes) {
        if (typeof c === 'number' && c >= 500) fivexx += n;
        else if (typeof c !== 'number') unanswered += n;
      }
      out.push(`  ${kind.padEnd(16)} ${String(s.ms.length).padStart(9)} ${(s.ms.length / elapsed).toFixed(1).padStart(8)} ${pct(sorted, 50).toFixed(1).padStart(8)} ${pct(sorted, 99).toFixed(1).padStart(8)}  ${codes}`);
    }
    all.sort((a, b) => a - b);
    out.push(`  ${'all'.padEnd(16)} ${String(total).padStart(9)} ${(total / elapsed).toFixed(1).padStart(8)} ${pct(all, 50).toFixed(1).padStart(8)} ${pct(all, 99).toFixed(1).padStart(8)}`);
    out.push(`  5xx: ${fivexx}; no answer within ${DEADLINE_MS / 1000} s or connection error: ${unanswered}; ` +
      `answers other than the expected: ${unexpected}${failures.length ? ` (${failures.join(', ')})` : ''}`);
    out.push(`  resident memory every ${SAMPLE_S} s (MiB; anonymous + mapped files):`);
    for (let i = 0; i < samples.length; i += 6)
      out.push('   ' + samples.slice(i, i + 6).map((s) => `${String(s.t).padStart(4)}s ${mib(s.anon).padStart(6)} + ${mib(s.file)}`).join('  '));
    const after = samples.filter((s) => s.t > WARMUP_S);
    const third = Math.max(1, Math.floor(after.length / 3));
    const first = median(after.slice(0, third).map((s) => s.anon)), last = median(after.slice(-third).map((s) => s.anon));
    const growKb = last - first, growPct = (100 * growKb) / first;
    const flat = after.length >= 3 && growKb <= MAX_GROWTH_MIB * 1024 && growPct <= MAX_GROWTH_PCT;
    out.push(`  memory after the ${WARMUP_S} s warm-up: first third median ${mib(first)} MiB, last third ${mib(last)} MiB: ` +
      `${growKb >= 0 ? '+' : ''}${mib(growKb)} MiB (${growPct >= 0 ? '+' : ''}${growPct.toFixed(1)} %): ` +
      (flat ? 'flat' : after.length < 3 ? 'TOO FEW SAMPLES (SOAK_SECONDS too short)' : `GROWING (more than ${MAX_GROWTH_PCT} % or ${MAX_GROWTH_MIB} MiB)`));
    if (reports > fx.claims.length * REPORTS_PER_CLAIM)
      out.push(`  note: ${reports} reports went round ${fx.claims.length} claims more than once (more than ${REPORTS_PER_CLAIM} each)`);
    const ok = fivexx === 0 && unanswered === 0 && unexpected === 0 && flat;
    out.push(`  ${store}: ${ok ? 'PASS' : 'FAIL'}`);
    console.log(out.join('\n'));
    return ok;
  } finally {
    if (srv) await srv.stop();
    rmSync(dir, { recursive: true, force: true });
    if (pgdir) execFileSync(PGTEST, ['stop', pgdir]);
  }
}

let failed = 0;
for (const store of STORES) {
  if (!['sqlite', 'postgres'].includes(store)) { console.error(`soak: unknown store '${store}' (sqlite, postgres)`); process.exit(2); }
  if (!(await soak(store))) failed++;
}
if (failed) { console.error(`soak: ${failed} store(s) failed`); process.exit(1); }
console.log('soak: all stores passed');
