// The command line: help, versions, bad flags, init/demo/migrate, shutdown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { run, freshStore, startServer, get } from './harness.mjs';

const TOP = fileURLToPath(new URL('../..', import.meta.url));

test('--help works for the program and every command', () => {
  const r = run(['--help']);
  assert.equal(r.status, 0);
  for (const c of ['serve', 'init', 'demo', 'migrate', 'backup', 'restore', 'migrate-store', 'user', 'tenant', 'version']) {
    assert.match(r.stdout, new RegExp(c));
    const h = run([c, '--help']);
    assert.equal(h.status, 0, c);
    assert.match(h.stdout, new RegExp(`usage: jiebang ${c}`));
  }
});

test('a bad command, flag or value is one line on stderr and exit 2', () => {
  const cases = [['nope'], ['serve', '--bogus'], ['serve', '--port', 'abc'], ['serve', '--port', '70000'],
    ['serve', '--port'], ['version', '--data', 'x'], ['demo', 'extra'], []];
  for (const args of cases) {
    const r = run(args);
    assert.equal(r.status, 2, args.join(' '));
    if (args.length) assert.equal(r.stderr.trim().split('\n').length, 1, args.join(' '));
  }
  assert.match(run(['serve', '--port', 'abc']).stderr, /--port/);
  assert.match(run(['serve', '--bogus']).stderr, /--bogus/);
});

test('version prints the version and schema', () => {
  const r = run(['version']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^jiebang \d+\.\d+\.\d+ \(schema \d+\)/);
});

test('init creates an empty deployment once; demo refuses a non-empty store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiebang-cli-'));
  try {
    const db = freshStore(dir);
    const i1 = run(['init', '--db', db, '--name', '测试县']);
    assert.equal(i1.status, 0, i1.stderr);
    const i2 = run(['init', '--db', db]);
    assert.equal(i2.status, 0);
    assert.match(i2.stdout, /already initialised/);
    const d = run(['demo', '--db', db]);
    assert.notEqual(d.status, 0);
    assert.match(d.stderr, /not empty|already/);
    const m = run(['migrate', '--db', db]);
    assert.equal(m.status, 0);
    assert.match(m.stdout, /version \d+/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store that cannot be opened is a one-line error', () => {
  const r = run(['migrate', '--db', 'sqlite:/nonexistent/dir/x.db']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cannot open database/);
  const u = run(['migrate', '--db', 'mysql://x']);
  assert.notEqual(u.status, 0);
  assert.match(u.stderr, /unsupported database URL/);
});

test('SIGTERM lets an in-flight request finish and exits cleanly', async () => {
  const srv = await startServer();
  const pending = get(srv, '/stats');
  srv.child.kill('SIGTERM');
  const r = await pending.catch(() => null);
  assert.ok(r === null || r.status === 200);
  await srv.stop();
  assert.match(srv.log(), /stopped/);
});

test('serve on a busy port says why and exits 1 without claiming to serve', async () => {
  const srv = await startServer();
  try {
    const r = run(['serve', '--db', srv.store, '--port', String(srv.port)], { timeout: 20000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${srv.port}: Address already in use`));
    assert.doesNotMatch(r.stdout, /serving on/);
    assert.equal((await get(srv, '/healthz')).status, 200);
  } finally {
    await srv.stop();
  }
  assert.match(srv.log(), new RegExp(`jiebang serving on http://127\\.0\\.0\\.1:${srv.port}/`));
});

test('make run serves on PORT when given one', () => {
  const r = spawnSync('make', ['-n', 'run', 'PORT=8081'], { cwd: TOP, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /jiebang serve --data data --port 8081\n/);
  const d = spawnSync('make', ['-n', 'run'], { cwd: TOP, encoding: 'utf8' });
  assert.match(d.stdout, /--port 8080\n/);
});

test('a bad limit in the environment is a one-line error and exit 2', () => {
  const cases = [{ JIEBANG_HEAD_TIMEOUT: 'abc' }, { JIEBANG_MAX_CONNECTIONS: '0' }, { JIEBANG_REQUEST_TIMEOUT: '-1' },
    { JIEBANG_HEAD_TIMEOUT: '20', JIEBANG_REQUEST_TIMEOUT: '10' }, { JIEBANG_CONNECTIONS_PER_ADDR: '5000' }];
  for (const env of cases) {
    const r = run(['serve', '--db', 'sqlite:/nonexistent/x.db'], { env: { ...process.env, ...env } });
    assert.equal(r.status, 2, JSON.stringify(env));
    assert.equal(r.stderr.trim().split('\n').length, 1, JSON.stringify(env));
    assert.match(r.stderr, new RegExp(Object.keys(env)[0]), JSON.stringify(env));
  }
});
