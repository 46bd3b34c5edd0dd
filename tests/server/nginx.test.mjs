// Two stateless jiebang servers on one PostgreSQL database behind Debian's
// nginx (round robin, on loopback): requests alternate between them, each
// is logged by the server that answered it under the id it returned, and
// both give the same answers, including for a change made in the database.
// Runs in the PostgreSQL pass only: two servers cannot share a SQLite store
// across machines, which is what this models.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, STORE, run, freshStore, freePort, sql } from './harness.mjs';

const NGINX = '/usr/sbin/nginx';

if (STORE !== 'postgres') {
  console.log('# nginx.test.mjs: two servers need the PostgreSQL store; this file runs in the postgres pass');
} else {
  assert.ok(process.env.JIEBANG_TEST_PG, 'JIEBANG_TEST_STORE=postgres needs JIEBANG_TEST_PG');
  register();
}

// A child process with its output collected; stop() sends SIGTERM and
// waits for it to exit. env entries set to undefined are removed.
function start(cmd, args, env = {}) {
  const p = { out: '', child: null };
  const e = { ...process.env, ...env };
  for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
  p.child = spawn(cmd, args, { env: e, stdio: ['ignore', 'pipe', 'pipe'] });
  p.child.stdout.on('data', (d) => (p.out += d));
  p.child.stderr.on('data', (d) => (p.out += d));
  p.exited = new Promise((resolve) => p.child.on('exit', (code, sig) => resolve({ code, sig })));
  p.stop = async () => {
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    return p.exited;
  };
  return p;
}

async function waitFor(url, proc, what) {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {}
    if (i > 200 || proc.child.exitCode !== null) throw new Error(`${what} did not start:\n${proc.out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// The example server block an operator installs (docs/nginx-jiebang.conf),
// adapted to plain HTTP on loopback by the substitutions its header
// documents: lines marked "# tls" dropped, the TLS listen made a loopback
// one, the upstream's server lines replaced by ours.
const EXAMPLE = new URL('../../docs/nginx-jiebang.conf', import.meta.url);

function exampleServer(port, upstreams) {
  const src = readFileSync(EXAMPLE, 'utf8');
  const lines = src.split('\n').filter((l) => !/#\s*tls\s*$/.test(l));
  let out = lines.join('\n');
  assert.match(out, /^\s*listen 443 ssl http2;$/m, 'the example listens on 443 with TLS');
  out = out.replace(/^(\s*)listen 443 ssl http2;$/m, `$1listen 127.0.0.1:${port};`);
  const up = /upstream jiebang \{\n((?:\s*server [^\n]*\n)+)/;
  assert.match(out, up, 'the example has an upstream block of server lines');
  out = out.replace(up, `upstream jiebang {\n${upstreams.map((p) => `    server 127.0.0.1:${p};`).join('\n')}\n`);
  const directives = out.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
  assert.doesNotMatch(directives, /ssl|443|:80;/, 'no TLS left after the substitutions');
  return out;
}

// The example as an operator installs it, TLS and all, with a throwaway
// self-signed certificate in place of the real one: nginx -t accepts it.
// Both passes (it needs no store).
test('docs/nginx-jiebang.conf with TLS passes nginx -t', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jiebang-nginx-tls-'));
  try {
    const key = join(dir, 'key.pem'), cert = join(dir, 'cert.pem');
    const o = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=jiebang.example.gov.cn'], { encoding: 'utf8' });
    assert.equal(o.status, 0, o.stderr);
    const src = readFileSync(EXAMPLE, 'utf8');
    assert.match(src, /ssl_certificate +\/etc\/ssl\/certs\/jiebang\.example\.gov\.cn\.pem;/);
    const site = src.replace(/(ssl_certificate +)\S+;/, `$1${cert};`).replace(/(ssl_certificate_key +)\S+;/, `$1${key};`);
    writeFileSync(join(dir, 'site.conf'), site);
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, `pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 16; }
http {
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  access_log ${dir}/access.log;
  include ${dir}/site.conf;
}
`);
    const t = spawnSync(NGINX, ['-t', '-c', conf, '-p', dir + '/', '-e', join(dir, 'error.log')], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stderr, /test is successful/);
    assert.doesNotMatch(t.stderr, /\[warn\]|\[emerg\]/, t.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function nginxConf(dir, port, upstreams) {
  return `# jiebang test: docs/nginx-jiebang.conf on loopback, everything inside ${dir}
daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  default_type application/octet-stream;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  log_format upstream '$upstream_addr $status $request $upstream_http_x_request_id';
  access_log ${dir}/access.log upstream;
${exampleServer(port, upstreams)}
}
`;
}

function register() {
  let dir, store, servers = [], ports = [], nginx, base;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'jiebang-nginx-'));
    chmodSync(dir, 0o755); // nginx workers may run as another user
    store = freshStore(dir);
    const d = run(['demo', '--db', store]);
    assert.equal(d.status, 0, d.stderr);
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const s = start(BIN, ['serve', '--db', store, '--port', String(port)], { JIEBANG_QUIET: undefined } /* the access log is the evidence */);
      servers.push(s);
      ports.push(port);
      await waitFor(`http://127.0.0.1:${port}/healthz`, s, `jiebang serve on ${port}`);
    }
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, nginxConf(dir, port, ports));
    nginx = start(NGINX, ['-c', conf, '-p', dir + '/', '-e', join(dir, 'error.log')]);
    base = `http://127.0.0.1:${port}`;
    await waitFor(base + '/healthz', nginx, 'nginx');
  });

  after(async () => {
    if (nginx) {
      const { code } = await nginx.stop();
      assert.equal(code, 0, `nginx exited with ${code}:\n${nginx.out}`);
    }
    for (const s of servers) {
      const { code, sig } = await s.stop();
      assert.equal(code, 0, `jiebang exited with ${code} ${sig}:\n${s.out.slice(-4000)}`);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // Which server logged request id; -1 when none, -2 when both.
  function whoLogged(id) {
    const hits = servers.map((s) => s.out.includes(`req=${id} `));
    if (hits[0] && hits[1]) return -2;
    return hits.indexOf(true);
  }

  async function through(path) {
    const r = await fetch(base + path, { redirect: 'manual' });
    const text = await r.text();
    const id = r.headers.get('x-request-id');
    assert.equal(r.status, 200, `${path}: ${text.slice(0, 300)}`);
    assert.match(id || '', /^[0-9a-f]{16}$/, `${path}: X-Request-Id comes back through nginx`);
    return { id, text, type: r.headers.get('content-type') };
  }

  // The access log line is written when the response is done; give it a
  // moment to reach the pipe.
  async function loggedBy(id) {
    for (let i = 0; i < 100; i++) {
      const w = whoLogged(id);
      if (w !== -1) return w;
      await new Promise((r) => setTimeout(r, 20));
    }
    return -1;
  }

  test('requests through nginx alternate between the two servers, each logged once by id', async () => {
    const paths = ['/api/v1/stats', '/', '/problems/1', '/api/v1/problems/1', '/stats',
      '/api/v1/problems?category=1&per_page=5', '/problems/33', '/?q=' + encodeURIComponent('缆线'),
      '/api/v1/problems/104', '/healthz', '/api/v1/stats?batch=1', '/problems/86'];
    const who = [];
    for (const p of paths) {
      const { id } = await through(p);
      const w = await loggedBy(id);
      assert.ok(w >= 0, `request ${id} (${p}) logged by ${w === -2 ? 'both servers' : 'neither server'}`);
      who.push(w);
    }
    for (let i = 1; i < who.length; i++)
      assert.notEqual(who[i], who[i - 1], `round robin: requests ${i - 1} and ${i} went to the same server (${who})`);
    assert.equal(who.filter((w) => w === 0).length, paths.length / 2);
    // nginx saw both upstreams too, and every id it logged is one we got.
    const access = readFileSync(join(dir, 'access.log'), 'utf8');
    for (const port of ports) assert.match(access, new RegExp(`127\\.0\\.0\\.1:${port} 200 GET`));
  });

  test('both servers give the same statistics, board and problem pages', async () => {
    for (const p of ['/api/v1/stats', '/api/v1/problems?per_page=100&sort=updated', '/api/v1/problems/17',
      '/', '/stats', '/problems/2', '/?category=3&state=solved']) {
      const a = await through(p);
      const b = await through(p);
      assert.notEqual(await loggedBy(a.id), await loggedBy(b.id), `${p}: both servers answered`);
      if (/json/.test(a.type)) assert.deepEqual(JSON.parse(b.text), JSON.parse(a.text), p);
      else assert.equal(b.text, a.text, p);
    }
    const stats = JSON.parse((await through('/api/v1/stats')).text);
    assert.equal(stats.problems, 104);
    assert.equal(stats.solved, 33);
  });

  test('a change in the database shows on both servers at once (no per-process cache)', async () => {
    const before = JSON.parse((await through('/api/v1/problems/5')).text);
    const title = `${before.title}（已更新）`;
    sql(store, `UPDATE problem SET title = '${title.replace(/'/g, "''")}' WHERE tenant_id = 1 AND id = 5`);
    try {
      const api = new Set(), pages = new Set();
      for (let i = 0; i < 4; i++) {
        const r = await through('/api/v1/problems/5');
        api.add(await loggedBy(r.id));
        assert.equal(JSON.parse(r.text).title, title);
      }
      for (let i = 0; i < 4; i++) {
        const r = await through('/problems/5');
        pages.add(await loggedBy(r.id));
        assert.ok(r.text.includes(title), 'the page shows the new title');
      }
      assert.equal(api.size, 2, 'both servers answered the API');
      assert.equal(pages.size, 2, 'both servers served the page');
    } finally {
      sql(store, `UPDATE problem SET title = '${before.title.replace(/'/g, "''")}' WHERE tenant_id = 1 AND id = 5`);
    }
  });

  test('a log-in made through one server is honoured by the other, and so is its log-out', async () => {
    const login = await fetch(base + '/api/v1/session', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: 'jiebang-demo' }),
    });
    const body = await login.json();
    assert.equal(login.status, 200, JSON.stringify(body));
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const who = new Set();
    for (let i = 0; i < 4; i++) {
      const r = await fetch(base + '/api/v1/me', { headers: { Cookie: cookie } });
      assert.equal(r.status, 200);
      assert.equal((await r.json()).login, 'admin');
      who.add(await loggedBy(r.headers.get('x-request-id')));
    }
    assert.equal(who.size, 2, 'both servers recognised the session');
    // A state-changing call with the session's CSRF token, on whichever server.
    const token = await fetch(base + '/api/v1/tokens', {
      method: 'POST',
      headers: { Cookie: cookie, 'X-CSRF-Token': body.csrf_token, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'nginx-test' }),
    });
    assert.equal(token.status, 201, await token.text());
    const out = await fetch(base + '/api/v1/session', {
      method: 'DELETE', headers: { Cookie: cookie, 'X-CSRF-Token': body.csrf_token },
    });
    assert.ok(out.status === 200 || out.status === 204, `log-out: ${out.status}`);
    for (let i = 0; i < 2; i++) {
      const r = await fetch(base + '/api/v1/me', { headers: { Cookie: cookie } });
      assert.equal(r.status, 401, 'the session ended on both servers');
    }
  });

  test('nginx and both servers stop cleanly', async () => {
    const { code } = await nginx.stop();
    assert.equal(code, 0, nginx.out);
    assert.ok(!existsSync(join(dir, 'nginx.pid')), 'nginx removed its pid file');
    nginx = null;
    for (const s of servers) {
      const { code: c } = await s.stop();
      assert.equal(c, 0, s.out.slice(-4000));
      assert.match(s.out, /stopped/);
    }
    servers = [];
  });
}
