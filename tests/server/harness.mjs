// harness.mjs - starts the real jiebang binary on a free loopback port with a
// temporary store (SQLite, or a fresh PostgreSQL database when
// JIEBANG_TEST_STORE=postgres) and offers small request helpers.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import net from 'node:net';
import assert from 'node:assert/strict';
import { checkAnswer } from './openapi.mjs';

// Test-only: passwords are hashed at libsodium's minimum cost so the suite
// stays fast under sanitizers (src/domain/password.h). Tests of the
// production cost start the binary without it.
process.env.JIEBANG_TEST_FAST_HASH ??= '1';

// absolute, so that a command run in another directory (cwd) finds it
export const BIN = resolve(process.env.JIEBANG_BIN || './jiebang');
export const STORE = process.env.JIEBANG_TEST_STORE || 'sqlite';

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

let dbCounter = 0;
// A fresh store URL for one test file; PostgreSQL databases are created in
// the cluster named by JIEBANG_TEST_PG (see scripts/pgtest.sh).
export function freshStore(dir) {
  if (STORE === 'sqlite') return `sqlite:${join(dir, 'jiebang.db')}`;
  const base = process.env.JIEBANG_TEST_PG;
  assert.ok(base, 'JIEBANG_TEST_STORE=postgres needs JIEBANG_TEST_PG (a base URL)');
  const name = `jb_${process.pid}_${++dbCounter}_${Date.now() % 100000}`;
  execFileSync('psql', [base + 'postgres', '-qAtc', `CREATE DATABASE ${name}`]);
  return base + name;
}

// Run SQL against a store (for fixtures the UI cannot create yet).
export function sql(url, text) {
  if (url.startsWith('sqlite:'))
    return execFileSync('sqlite3', [url.slice(7), text], { encoding: 'utf8' });
  return execFileSync('psql', [url, '-qAtc', text], { encoding: 'utf8' });
}

export function run(args, opts = {}) {
  return spawnSync(BIN, args, { encoding: 'utf8', timeout: 60000, ...opts });
}

// Start a server (args: more flags for serve; store: an empty store URL of
// the caller's instead of a fresh one); returns { url, port, store, dir,
// stop(), log() }. pgOptions: PostgreSQL settings for the store's sessions
// ("-c name=value", libpq's options), on a fresh PostgreSQL store only.
export async function startServer({ demo = true, env = {}, args = [], pgOptions, store: given } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'jiebang-test-'));
  const store = given ?? freshStore(dir) + (STORE !== 'sqlite' && pgOptions ? `?options=${encodeURIComponent(pgOptions)}` : '');
  if (demo) {
    const r = run(['demo', '--data', dir, '--db', store]);
    assert.equal(r.status, 0, `jiebang demo failed: ${r.stderr}`);
  }
  const port = await freePort();
  let log = '';
  const child = spawn(BIN, ['serve', '--data', dir, '--db', store, '--port', String(port), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(url + '/healthz');
      if (r.status === 200) break;
    } catch {}
    if (i > 200) throw new Error(`server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url, port, store, dir, child,
    log: () => log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const { code, sig } = await exited;
      rmSync(dir, { recursive: true, force: true });
      // A clean shutdown exits 0; a sanitizer report exits non-zero.
      assert.equal(code, 0, `server exited with ${code} ${sig}:\n${log.slice(-4000)}`);
    },
  };
}

export async function get(srv, path, init = {}) {
  const r = await fetch(srv.url + path, { redirect: 'manual', ...init });
  const text = await r.text();
  // Every answer under /api/ matches the server's OpenAPI document (openapi.mjs).
  await checkAnswer(srv, init.method || 'GET', path, r.status, r.headers, text);
  return { status: r.status, headers: r.headers, text, json: () => JSON.parse(text) };
}

// Send raw bytes and return the raw answer (for malformed HTTP), or what
// came before the connection was idle for timeout ms. With { end: true }
// the client half-closes after writing: a server waiting for more bytes
// sees that there are none.
export function raw(srv, bytes, { end = false, timeout = 5000 } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(srv.port, '127.0.0.1');
    let out = '';
    s.setTimeout(timeout, () => s.destroy());
    s.on('data', (d) => (out += d));
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(out));
    if (end) s.end(bytes);
    else s.write(bytes);
  });
}

// RFC 4180 rows of a CSV export (fields, quotes doubled, CRLF rows; the
// text after its BOM). Asserts the last row ends with CRLF.
export function parseCsv(text) {
  const rows = []; let row = [], f = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (c === '"') q = false; else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') { row.push(f); f = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(f); rows.push(row); row = []; f = ''; i++; } else f += c;
  }
  assert.equal(f + row.join(''), '', 'the CSV ends with CRLF');
  return rows;
}

// Validate a page with tidy: no errors (warnings are reported, not fatal).
export function validHtml(html) {
  const r = spawnSync('tidy', ['-q', '-e', '-utf8', '--show-warnings', 'no'], { input: html, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `tidy found HTML errors:\n${r.stderr}`);
  return r;
}
