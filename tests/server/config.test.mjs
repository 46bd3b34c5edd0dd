// config.test.mjs - the settings (src/domain/config.c): one key list that the
// README's table follows; precedence flag > env > file > default; unknown
// keys and bad values refused with the file's line; secrets masked; SIGHUP
// re-reads the file (log level, JSON access log) and reopens the log file;
// /metrics in Prometheus text for allowed addresses or a token; /readyz.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, renameSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, startServer, get, sql } from './harness.mjs';

const TMP = mkdtempSync(join(tmpdir(), 'jb-config-'));
const conf = (name, text) => { const f = join(TMP, name); writeFileSync(f, text); return f; };
const clean = { ...process.env };
for (const k of Object.keys(clean)) if (k.startsWith('JIEBANG_') && k !== 'JIEBANG_TEST_FAST_HASH' && k !== 'JIEBANG_BIN') delete clean[k];
const check = (args, env = {}) => run(['config', 'check', ...args], { env: { ...clean, ...env } });
// "key = value # source" lines of `config check` as { key: [value, source] }
const parse = (out) => Object.fromEntries(out.split('\n').filter((l) => /^[a-z_]+ +=/.test(l))
  .map((l) => { const m = l.match(/^([a-z_]+) += (.*?) *# (.*)$/); return [m[1], [m[2], m[3]]]; }));
const until = async (f, what) => {
  for (let i = 0; i < 100; i++) { if (await f()) return; await new Promise((r) => setTimeout(r, 50)); }
  assert.fail(`timed out waiting for ${what}`);
};

test('every key is in the README table with its variable, flag and default, and nothing else is', () => {
  const keys = run(['config', 'keys']).stdout.trim().split('\n').map((l) => l.split('\t'));
  assert.ok(keys.length >= 20);
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
  const rows = table.split('\n').filter((l) => /^\| `[a-z_]+`/.test(l));
  assert.equal(rows.length, keys.length, 'one README row per key');
  for (const [name, env, flag, def, when] of keys) {
    const row = rows.find((l) => l.startsWith(`| \`${name}\` `));
    assert.ok(row, `README has a row for ${name}`);
    assert.equal(row.startsWith(`| \`${name}\` ↻ |`), when === 'reload', `${name}: ↻ when SIGHUP applies it`);
    assert.ok(row.includes(`| \`${env}\` |`), `${name}: ${env} in ${row}`);
    assert.ok(row.includes(`| \`${flag}\``), `${name}: ${flag} in ${row}`);
    assert.ok(row.includes(def ? `| \`${def}\` |` : '| — |'), `${name}: default ${def || '—'} in ${row}`);
  }
});

test('a flag beats the environment, which beats the file, which beats the default', () => {
  const f = conf('prec.conf', '# a comment\n\nport = 9001\nhead_timeout = 5   \nlog_level=debug\n');
  const v = parse(check(['--config', f, '--port', '9003', '--task-period=5', '--trust-proxy'],
    { JIEBANG_PORT: '9002', JIEBANG_HEAD_TIMEOUT: '6' }).stdout);
  assert.deepEqual(v.task_period, ['5', '--task-period'], 'a flag with a dash, and with =');
  assert.deepEqual(v.trust_proxy, ['1', '--trust-proxy'], 'a switch');
  assert.equal(check(['--task_period', '5']).status, 2, 'a key is spelt with dashes as a flag');
  assert.deepEqual(v.port, ['9003', '--port']);
  assert.deepEqual(v.head_timeout, ['6', 'JIEBANG_HEAD_TIMEOUT']);
  assert.deepEqual(v.log_level, ['debug', `${f}:5`]);
  assert.deepEqual(v.request_timeout, ['30', 'default']);
  const e = parse(check([], { JIEBANG_CONFIG: f }).stdout);
  assert.deepEqual(e.port, ['9001', `${f}:3`], '$JIEBANG_CONFIG names the file');
});

test('an unknown key, a bad value or a repeated key is refused with the line, exit 2', () => {
  const cases = [['unknown.conf', 'port = 9000\nbogus = 1\n', /unknown\.conf:2: unknown key 'bogus'/],
    ['bad.conf', 'port = 70000\n', /bad\.conf:1: port: '70000' is not a whole number from 1 to 65535/],
    ['twice.conf', 'port = 1\n# x\nport = 2\n', /twice\.conf:3: 'port' is already set on line 1/],
    ['noeq.conf', 'port 9000\n', /noeq\.conf:1: expected 'key = value'/],
    ['choice.conf', 'access_log = yes\n', /access_log: 'yes' is not one of off\|text\|json/]];
  for (const [name, text, re] of cases) {
    const r = check(['--config', conf(name, text)]);
    assert.equal(r.status, 2, name);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, name);
  }
  const missing = check(['--config', join(TMP, 'none.conf')]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /cannot read the configuration file .*none\.conf/);
  // serve refuses to start on the same file
  assert.equal(run(['serve', '--config', join(TMP, 'unknown.conf')], { env: clean }).status, 2);
});

test('secrets are masked: a store URL\'s password and the metrics token', () => {
  const f = conf('secret.conf', 'db = postgres://jb:hunter2@db.example/jb?sslmode=require&password=hunter3\nmetrics_token = tok-123456\n');
  const r = check(['--config', f]);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /hunter2|hunter3|tok-123456/);
  const v = parse(r.stdout);
  assert.equal(v.db[0], 'postgres://jb:********@db.example/jb?sslmode=require&password=********');
  assert.equal(v.metrics_token[0], '********');
});

test('SIGHUP re-reads the file: a JSON access log, the level, a reopened log file; restart-only keys are named', async () => {
  const log = join(TMP, 'serve.log');
  const f = conf('hup.conf', `access_log = text\nlog_file = ${log}\nrequest_timeout = 30\n`);
  const srv = await startServer({ args: ['--config', f], env: { JIEBANG_QUIET: '' } });
  try {
    await get(srv, '/healthz');
    await until(() => readFileSync(log, 'utf8').includes(' access req='), 'a text access record in the log file');
    writeFileSync(f, `access_log = json\nlog_file = ${log}\nrequest_timeout = 40\n`);
    renameSync(log, log + '.1'); // as logrotate does
    srv.child.kill('SIGHUP');
    await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('reloaded the settings'), 'the reopened log');
    const r = await get(srv, '/readyz');
    assert.equal(r.status, 200);
    assert.equal(r.json().status, 'ready');
    let rec;
    await until(() => (rec = readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l))
      .find((o) => o.path === '/readyz')), 'a JSON access record');
    assert.equal(rec.status, 200);
    assert.equal(rec.method, 'GET');
    assert.equal(rec.route, '/readyz');
    assert.equal(rec.addr, '127.0.0.1');
    assert.ok(rec.us >= 0 && rec.bytes > 0 && rec.req.length >= 8);
    assert.match(readFileSync(log, 'utf8'), /request_timeout changed in .*hup\.conf; it takes effect on restart/);
    // a file that no longer parses changes nothing
    writeFileSync(f, 'access_log = nope\n');
    srv.child.kill('SIGHUP');
    await until(() => /reload: .*access_log: 'nope'/.test(readFileSync(log, 'utf8')), 'the refused reload');
    await get(srv, '/healthz');
    await until(() => readFileSync(log, 'utf8').split('\n').some((l) => l.startsWith('{') && l.includes('"/healthz"')),
      'JSON records still');
  } finally {
    await srv.stop();
  }
});

test('/metrics: Prometheus text from an allowed address or with the token, 403 through an untrusted proxy', async () => {
  const f = conf('metrics.conf', 'metrics_allow = 10.0.0.0/8\nmetrics_token = s3cret-token\n');
  const srv = await startServer({ args: ['--config', f] });
  try {
    assert.equal((await get(srv, '/metrics')).status, 403, 'loopback is not in 10.0.0.0/8');
    assert.equal((await get(srv, '/metrics', { headers: { Authorization: 'Bearer wrong-token!' } })).status, 403);
    for (let i = 0; i < 3; i++) await get(srv, '/problems/1');
    await get(srv, '/no/such/page');
    const m = await get(srv, '/metrics', { headers: { Authorization: 'Bearer s3cret-token' } });
    assert.equal(m.status, 200);
    assert.match(m.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const line = (re) => m.text.split('\n').find((l) => re.test(l));
    assert.match(line(/^jiebang_http_requests_total\{method="GET",route="\/problems\/:id",status="200"\}/), / 3$/);
    assert.match(line(/^jiebang_http_requests_total\{method="",route="\(none\)",status="404"\}/), / 1$/);
    assert.match(line(/^jiebang_http_request_duration_seconds_count\{method="GET",route="\/problems\/:id"\}/), / 3$/);
    assert.match(line(/^jiebang_http_request_duration_seconds_bucket\{method="GET",route="\/problems\/:id",le="\+Inf"\}/), / 3$/);
    assert.ok(line(/^jiebang_uptime_seconds \d+$/));
    assert.ok(line(/^jiebang_sessions \d+$/));
    assert.ok(line(/^jiebang_outbox_messages\{state="pending"\} \d+$/));
    assert.ok(line(/^jiebang_outbox_messages\{state="dead"\} \d+$/));
    assert.ok(line(/^jiebang_store_errors_total\{class="unavailable"\} 0$/));
    for (const l of m.text.split('\n').filter((x) => x && !x.startsWith('#')))
      assert.match(l, /^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/, `a sample line: ${l}`);
  } finally {
    await srv.stop();
  }
  const open = await startServer(); // default: loopback allowed
  try {
    assert.equal((await get(open, '/metrics')).status, 200);
    assert.equal((await get(open, '/metrics', { headers: { 'X-Forwarded-For': '203.0.113.9' } })).status, 403,
      'a proxied request is not the loopback client it appears to be');
  } finally {
    await open.stop();
  }
});

test('/readyz is 503 while the schema is behind the binary, /healthz stays 200', async () => {
  const srv = await startServer();
  try {
    assert.equal((await get(srv, '/readyz')).status, 200);
    const top = sql(srv.store, 'SELECT max(version) FROM schema_migrations').trim();
    sql(srv.store, `UPDATE schema_migrations SET version = -version WHERE version = ${top}`);
    // the version below (numbers may skip one while branches land)
    const below = sql(srv.store, 'SELECT max(version) FROM schema_migrations').trim();
    const r = await get(srv, '/readyz');
    assert.equal(r.status, 503);
    assert.equal(r.json().error.code, 'schema');
    assert.match(r.json().error.message, new RegExp(`数据库结构版本为 ${below}，本程序需要 ${top}`));
    assert.equal((await get(srv, '/healthz')).status, 200);
    sql(srv.store, `UPDATE schema_migrations SET version = -version WHERE version = -${top}`);
  } finally {
    await srv.stop();
  }
});

test.after(() => rmSync(TMP, { recursive: true, force: true }));
