// Backup, restore and migrate-store on both stores, and the bad cases: a
// wrong URL, a refused connection, a wrong password, a missing database and
// a schema newer than the binary each give a one-line error naming the cause
// and a non-zero exit, and leave nothing half-done. The parts that need
// both stores run when JIEBANG_TEST_PG is set (tests/run.sh always sets it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, STORE, run, freshStore, freePort, sql, startServer, get } from './harness.mjs';

const PG = process.env.JIEBANG_TEST_PG;
if (STORE === 'postgres')
  assert.ok(PG, 'JIEBANG_TEST_STORE=postgres needs JIEBANG_TEST_PG (a base URL)');

const IDS = [1, 2, 17, 33, 50, 86, 104];
const dirs = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'jiebang-store-')); dirs.push(d); return d; };
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

let dbSeq = 0;
// A new, empty PostgreSQL database in the test cluster.
function pgStore(owner) {
  const name = `jb_st_${process.pid}_${++dbSeq}`;
  psql('postgres', `CREATE DATABASE ${name}${owner ? ` OWNER ${owner}` : ''}`);
  return PG + name;
}
function psql(db, text) {
  return execFileSync('psql', [PG + db, '-qAtc', text], { encoding: 'utf8' }).trim();
}
const sqliteStore = (dir, name) => `sqlite:${join(dir, name)}`;

// Serve an existing store; returns { url, get(path), stop() }.
async function serveOn(store) {
  const port = await freePort();
  let log = '';
  const child = spawn(BIN, ['serve', '--db', store, '--port', String(port)], {
    env: { ...process.env, JIEBANG_QUIET: '1' },
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
    if (i > 200 || child.exitCode !== null) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    get: (path) => get({ url }, path),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const { code, sig } = await exited;
      assert.equal(code, 0, `server exited with ${code} ${sig}:\n${log.slice(-4000)}`);
    },
  };
}

// What the API says about a deployment: the statistics, a board query
// (with a 2-character search) and a few problems in full.
async function snapshot(srv) {
  const out = {};
  for (const path of ['/api/v1/stats', '/api/v1/problems?per_page=50&sort=updated',
    '/api/v1/problems?q=' + encodeURIComponent('缆线'), ...IDS.map((id) => `/api/v1/problems/${id}`)]) {
    const r = await srv.get(path);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    out[path] = r.json();
  }
  assert.equal(out['/api/v1/stats'].problems, 104);
  return out;
}

// A command that must fail: exit 1, one line on stderr matching cause.
function fails(args, cause, secret) {
  const r = run(args, { env: { ...process.env, JIEBANG_QUIET: '1' }, timeout: 30000 });
  const what = args.join(' ');
  assert.equal(r.status, 1, `${what}: exit ${r.status}\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${what}: not one line:\n${r.stderr}`);
  assert.match(lines[0], /^jiebang: /, what);
  assert.match(lines[0], cause, what);
  if (secret) assert.ok(!(r.stderr + r.stdout).includes(secret), `${what} printed the password`);
  return lines[0];
}

function ok(args) {
  const r = run(args, { env: { ...process.env, JIEBANG_QUIET: '1' } });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('a backup taken while serving restores into a fresh store with the same answers', async () => {
  const srv = await startServer();
  const dir = tmp();
  const file = join(dir, 'backup');
  try {
    const orig = await snapshot({ get: (p) => get(srv, p) });
    assert.match(ok(['backup', file, '--db', srv.store]), /backed up/);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'a backup is private to its owner');
    assert.ok(!existsSync(file + '.partial'));
    // Never over an existing file.
    fails(['backup', file, '--db', srv.store], /exists; will not overwrite/);

    const target = freshStore(dir);
    assert.match(ok(['restore', file, '--db', target]), /restored/);
    const copy = await serveOn(target);
    try {
      assert.deepEqual(await snapshot(copy), orig);
    } finally {
      await copy.stop();
    }
    // A second restore into the now non-empty store is refused.
    fails(['restore', file, '--db', target], /not empty \(it has 1 tenant\)/);
    fails(['restore', file, '--db', srv.store], /not empty/);
  } finally {
    await srv.stop();
  }
});

test('restore refuses a file that is not a backup for this store, naming its kind', () => {
  const dir = tmp();
  const target = freshStore(dir);
  const junk = join(dir, 'junk');
  writeFileSync(junk, 'hello\n');
  fails(['restore', junk, '--db', target], /is not a jiebang backup/);
  fails(['restore', join(dir, 'missing'), '--db', target], /cannot open .*missing/);
  if (STORE === 'sqlite') {
    const dump = join(dir, 'pg.dump');
    writeFileSync(dump, Buffer.from('PGDMP\x01\x0e\x00'));
    fails(['restore', dump, '--db', target], /is a PostgreSQL \(pg_dump\) backup and the store is SQLite/);
  } else {
    const lite = join(dir, 'lite.db');
    execFileSync('sqlite3', [lite, 'CREATE TABLE t (x INT)']);
    fails(['restore', lite, '--db', target], /is a SQLite backup and the store is PostgreSQL.*migrate-store/);
  }
  // The refused target was not created or changed.
  if (STORE === 'sqlite') assert.ok(!existsSync(target.slice(7)));
  else assert.equal(psql(target.slice(PG.length), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), '0');
});

test('backup, restore and migrate-store take FILE once and need it', () => {
  assert.equal(run(['backup']).status, 2);
  assert.equal(run(['restore', 'a', 'b']).status, 2);
  assert.equal(run(['migrate-store', '--from', 'sqlite:x.db']).status, 2);
  assert.match(run(['migrate-store', '--from', 'sqlite:x.db']).stderr, /--to/);
  for (const c of ['backup', 'restore', 'migrate-store']) {
    const h = run([c, '--help']);
    assert.equal(h.status, 0);
    assert.match(h.stdout, new RegExp(`usage: jiebang ${c}`));
  }
});

test('migrate-store copies SQLite to PostgreSQL and back with identical answers', { skip: !PG && 'needs JIEBANG_TEST_PG' }, async () => {
  const dir = tmp();
  const a = sqliteStore(dir, 'a.db');
  ok(['demo', '--db', a]);
  const b = pgStore();
  const out = ok(['migrate-store', '--from', a, '--to', b]);
  assert.match(out, /^problem +110$/m);
  assert.match(out, /^tenant +1$/m);
  assert.match(out, /^copied \d+ rows in \d+ tables$/m);
  const c = sqliteStore(dir, 'c.db');
  const back = ok(['migrate-store', '--from', b, '--to', c]);
  assert.equal(back, out, 'the same rows per table both ways');

  const snaps = [];
  for (const store of [a, b, c]) {
    const srv = await serveOn(store);
    try {
      snaps.push(await snapshot(srv));
    } finally {
      await srv.stop();
    }
  }
  assert.deepEqual(snaps[1], snaps[0], 'PostgreSQL copy answers as the SQLite original');
  assert.deepEqual(snaps[2], snaps[0], 'SQLite copy of the copy answers the same');

  // A non-empty target is refused, whichever way.
  fails(['migrate-store', '--from', a, '--to', b], /target store is not empty \(it has 1 tenant\)/);
  fails(['migrate-store', '--from', b, '--to', c], /target store is not empty/);
  fails(['migrate-store', '--from', a, '--to', a], /same store/);
  // A missing SQLite source is an error, not a new empty file.
  fails(['migrate-store', '--from', sqliteStore(dir, 'nope.db'), '--to', pgStore()], /source store: cannot open database/);
  assert.ok(!existsSync(join(dir, 'nope.db')));
});

test('a schema newer than the binary stops migrate, serve and migrate-store with one line', async () => {
  const dir = tmp();
  const store = freshStore(dir);
  ok(['init', '--db', store]);
  sql(store, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)");
  const cause = /database schema version 999 is newer than this jiebang \(\d+\); upgrade jiebang/;
  fails(['migrate', '--db', store], cause);
  fails(['serve', '--db', store, '--port', String(await freePort())], cause);
  fails(['demo', '--db', store], cause);
  fails(['migrate-store', '--from', store, '--to', sqliteStore(dir, 'to.db')], cause);
  // A backup of it is still possible, and restoring that is refused alike.
  const file = join(dir, 'future.bak');
  ok(['backup', file, '--db', store]);
  if (STORE === 'sqlite')
    fails(['restore', file, '--db', sqliteStore(dir, 'r.db')], /has schema version 999, newer than this jiebang/);
});

test('a migration that fails half-way leaves no table behind', () => {
  const dir = tmp();
  const store = freshStore(dir);
  // A table in the way of the last statement of the first migration.
  sql(store, 'CREATE TABLE audit_event (x INT)');
  fails(['migrate', '--db', store], /migration failed: .*audit_event.*already exists/);
  const tables = STORE === 'sqlite'
    ? sql(store, "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table'")
    : sql(store, "SELECT string_agg(tablename, ',') FROM pg_tables WHERE schemaname = 'public'");
  assert.equal(tables.trim(), 'audit_event', 'only the table that was there before');
});

test('a missing SQLite directory or an unknown URL scheme is one line naming it', async () => {
  const dir = tmp();
  const fake = join(dir, 'fake.dump');
  writeFileSync(fake, 'PGDMP');
  const lite = sqliteStore(dir, 'x.db');
  ok(['init', '--db', lite]);
  const bad = 'sqlite:/nonexistent/dir/x.db';
  fails(['migrate', '--db', bad], /cannot open database '\/nonexistent\/dir\/x.db'/);
  fails(['backup', join(dir, 'b1'), '--db', bad], /cannot open database/);
  fails(['migrate-store', '--from', bad, '--to', sqliteStore(dir, 't.db')], /source store: cannot open database/);
  for (const url of ['mysql://x/y', 'http://127.0.0.1/']) {
    fails(['migrate', '--db', url], /unsupported database URL/);
    fails(['backup', join(dir, 'b2'), '--db', url], /unsupported database URL/);
    fails(['restore', fake, '--db', url], /unsupported database URL/);
    fails(['migrate-store', '--from', lite, '--to', url], /unsupported database URL/);
    fails(['migrate-store', '--from', url, '--to', sqliteStore(dir, 'y.db')], /unsupported database URL/);
  }
  assert.ok(!existsSync(join(dir, 'b1')) && !existsSync(join(dir, 'b2')));
});

// --- PostgreSQL connection failures ------------------------------------------

const ROLE = `jb_pw_${process.pid}`;
const SECRET = 'Right-Secret-4711';
const WRONG = 'Wrong-Secret-0815';
let hbaFile, hbaOrig;

// Password authentication for ROLE (the test cluster trusts everyone else).
async function requirePassword() {
  hbaFile = psql('postgres', 'SHOW hba_file');
  hbaOrig = readFileSync(hbaFile, 'utf8');
  psql('postgres', `CREATE ROLE ${ROLE} LOGIN PASSWORD '${SECRET}'`);
  writeFileSync(hbaFile, `host all ${ROLE} 127.0.0.1/32 scram-sha-256\n` + hbaOrig);
  psql('postgres', 'SELECT pg_reload_conf()');
  const u = new URL(PG);
  for (let i = 0; ; i++) {
    const r = run(['migrate', '--db', `postgres://${ROLE}:${WRONG}@${u.host}/postgres`]);
    if (/password authentication failed/.test(r.stderr)) return;
    if (i > 50) throw new Error(`pg_hba.conf reload did not take: ${r.stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function restoreHba() {
  if (!hbaFile) return;
  writeFileSync(hbaFile, hbaOrig);
  psql('postgres', 'SELECT pg_reload_conf()');
  const owned = psql('postgres', `SELECT string_agg(datname, ' ') FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = '${ROLE}'`);
  for (const db of owned.split(' ').filter(Boolean)) psql('postgres', `DROP DATABASE ${db} WITH (FORCE)`);
  psql('postgres', `DROP ROLE IF EXISTS ${ROLE}`);
}

test('PostgreSQL connection failures are one line naming the cause, without the password', { skip: !PG && 'needs JIEBANG_TEST_PG' }, async (t) => {
  await requirePassword();
  t.after(restoreHba);
  const dir = tmp();
  const u = new URL(PG);
  const dump = join(dir, 'fake.dump');
  writeFileSync(dump, 'PGDMP');
  const lite = sqliteStore(dir, 'lite.db');
  ok(['init', '--db', lite]);
  const closed = await freePort();
  const cases = [
    [`postgres://postgres@127.0.0.1:${closed}/x`, /cannot connect to PostgreSQL: .*Connection refused/],
    [`postgres://${ROLE}:${WRONG}@${u.host}/postgres`, /password authentication failed for user "jb_pw_\d+"/],
    [`postgres://${ROLE}@${u.host}/postgres?password=${WRONG}`, /password authentication failed/],
    [`${PG}jb_no_such_database`, /database "jb_no_such_database" does not exist/],
    [`postgres://postgres@127.0.0.1:notaport/x`, /cannot connect to PostgreSQL: invalid .*port/],
  ];
  for (const [url, cause] of cases) {
    fails(['migrate', '--db', url], cause, WRONG);
    fails(['serve', '--db', url, '--port', String(closed)], cause, WRONG);
    fails(['demo', '--db', url], cause, WRONG);
    fails(['backup', join(dir, 'never'), '--db', url], cause, WRONG);
    fails(['restore', dump, '--db', url], cause, WRONG);
    fails(['migrate-store', '--from', lite, '--to', url], cause, WRONG);
    fails(['migrate-store', '--from', url, '--to', sqliteStore(dir, 'never.db')], cause, WRONG);
  }
  assert.ok(!existsSync(join(dir, 'never')) && !existsSync(join(dir, 'never.partial')));
  assert.ok(!existsSync(join(dir, 'never.db')));

  // With the right password, pg_dump and pg_restore get it too (through the
  // environment, not their command line).
  const src = pgStore(ROLE).replace('postgres@', `${ROLE}:${SECRET}@`);
  const dst = pgStore(ROLE).replace('postgres@', `${ROLE}:${SECRET}@`);
  ok(['demo', '--db', src]);
  const file = join(dir, 'pw.dump');
  const b = run(['backup', file, '--db', src]);
  assert.equal(b.status, 0, b.stderr);
  assert.ok(!(b.stdout + b.stderr).includes(SECRET));
  const r = run(['restore', file, '--db', dst]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(sql(dst, 'SELECT count(*) FROM problem').trim(), '110');
  // A wrong password for a working database fails before pg_dump runs.
  fails(['backup', join(dir, 'pw2.dump'), '--db', src.replace(SECRET, WRONG)], /password authentication failed/, WRONG);
  // pg_restore refuses a database that has tables, and changes nothing.
  fails(['restore', file, '--db', dst], /not empty \(it has 1 tenant\)/, SECRET);
  const other = pgStore();
  psql(other.slice(PG.length), 'CREATE TABLE t (x INT)');
  fails(['restore', file, '--db', other], /database is not empty \(it has 1 table\); restore into a new database/);
});

test('a failed pg_restore leaves the database as empty as it was', { skip: !PG && 'needs JIEBANG_TEST_PG' }, () => {
  const dir = tmp();
  const src = pgStore();
  ok(['demo', '--db', src]);
  const file = join(dir, 'x.dump');
  ok(['backup', file, '--db', src]);
  // Cut the archive short: pg_restore fails part-way through.
  const bytes = readFileSync(file);
  writeFileSync(file + '.cut', bytes.subarray(0, Math.floor(bytes.length * 0.8)));
  const dst = pgStore();
  fails(['restore', file + '.cut', '--db', dst], /pg_restore failed: /);
  assert.equal(psql(dst.slice(PG.length), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), '0');
});
