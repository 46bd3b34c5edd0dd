// Two tenants in one store: the demo county (滦南县, tenant 1) and a second
// one made by `jiebang init --slug other`. No id, URL, parameter, session or
// token reaches across. ASVS 5.0 8.4.1 (cross-tenant isolation), 4.2.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, get, run, sql, validHtml } from './harness.mjs';
import { DEMO_PASSWORD, login, form, api, page, snapshot, cliToken } from './accounts.mjs';

let srv, other, luannan;
const T2 = '/t/other';

before(async () => {
  srv = await startServer();
  const r = run(['init', '--db', srv.store, '--slug', 'other', '--name', '另一县']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /initialised 另一县 \(tenant 2, served under \/t\/other\)/);
  const pw = r.stdout.match(/initial password (\S+)/)[1];
  const s = await login(srv, 'admin', pw, { base: T2 });
  assert.equal(s.status, 200, s.text);
  assert.equal(s.user.must_change, true);
  const ch = await api(srv, s, 'POST', '/api/v1/me/password', { current_password: pw, new_password: 'the second county phrase' });
  assert.equal(ch.status, 200, ch.text);
  other = s;
  luannan = await login(srv, 'admin');
  for (const [slug, host] of [['luannan', 'Luannan.example'], ['other', 'other.example']]) {
    const d = run(['tenant', 'domain', slug, host, '--db', srv.store]);
    assert.equal(d.status, 0, d.stderr);
  }
});
after(async () => { await srv.stop(); });

// fetch() will not send another Host header; node:http will.
function hostGet(host, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: srv.port, path, headers: { Host: host, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('ASVS 5.0 8.4.1: each tenant sees only its own board, problems and statistics, by prefix or by host', async () => {
  assert.equal((await get(srv, '/api/v1/problems')).json().total, 104);
  assert.equal((await get(srv, `${T2}/api/v1/problems`)).json().total, 0);
  assert.equal((await get(srv, `${T2}/api/v1/problems/1`)).status, 404);
  assert.equal((await get(srv, `${T2}/problems/1`)).status, 404);
  assert.equal((await get(srv, '/t/luannan/api/v1/problems')).json().total, 104);
  assert.equal((await hostGet('other.example', '/api/v1/problems')).json().total, 0);
  assert.equal((await hostGet('OTHER.example:8080', '/api/v1/problems')).json().total, 0, 'case and port do not matter');
  assert.equal((await hostGet('luannan.example', '/api/v1/problems')).json().total, 104);
  assert.equal((await hostGet('unknown.example', '/api/v1/problems')).json().total, 104, 'an unlisted host is the first tenant');
  const stats = (await get(srv, `${T2}/api/v1/stats`)).json();
  assert.ok(!JSON.stringify(stats).includes('缆线'));
  const home = await get(srv, `${T2}/`);
  assert.equal(home.status, 200);
  assert.match(home.text, /<span>另一县<\/span>/);
  assert.doesNotMatch(home.text, /滦南/);
  validHtml(home.text);
});

test('ASVS 5.0 8.4.1: an unknown tenant prefix, or a prefix on another tenant\'s host, is a 404', async () => {
  for (const path of ['/t/nosuch/', '/t/nosuch/api/v1/problems', '/t//api/v1/problems', `/t/${'x'.repeat(70)}/`]) {
    const r = await get(srv, path);
    assert.equal(r.status, 404, path);
  }
  assert.equal((await hostGet('other.example', '/t/luannan/api/v1/problems')).status, 404);
  assert.equal((await hostGet('other.example', '/t/other/api/v1/problems')).status, 404);
});

test('ASVS 5.0 8.4.1 / 3.3.1: a session or token of one tenant is anonymous on the other', async () => {
  assert.equal((await api(srv, luannan, 'GET', '/api/v1/me')).status, 200);
  assert.equal((await api(srv, { ...luannan, base: T2 }, 'GET', '/api/v1/me')).status, 401);
  assert.equal((await api(srv, other, 'GET', '/api/v1/me')).status, 200);
  assert.equal((await api(srv, { ...other, base: '' }, 'GET', '/api/v1/me')).status, 401);
  const byHost = await hostGet('other.example', '/api/v1/me', { Cookie: luannan.cookie });
  assert.equal(byHost.status, 401);
  // Pages: the other tenant's cookie makes no difference.
  const p = await page(srv, { ...luannan, base: T2 }, '/admin/users');
  assert.equal(p.status, 303);
  assert.equal(p.headers.get('location'), `${T2}/login?next=%2Fadmin%2Fusers`);
  // An API token is bound to its tenant too.
  const tok = cliToken(srv, 'admin');
  assert.equal((await api(srv, { bearer: tok }, 'GET', '/api/v1/me')).status, 200);
  assert.equal((await api(srv, { bearer: tok, base: T2 }, 'GET', '/api/v1/me')).status, 401);
  const tok2 = cliToken(srv, 'admin', 'other');
  assert.equal((await api(srv, { bearer: tok2, base: T2 }, 'GET', '/api/v1/me')).json().login, 'admin');
  assert.equal((await api(srv, { bearer: tok2 }, 'GET', '/api/v1/me')).status, 401);
  // The same login in both tenants is two users with two passwords.
  assert.equal((await login(srv, 'admin', 'the second county phrase')).status, 401);
  assert.equal((await login(srv, 'admin', DEMO_PASSWORD, { base: T2 })).status, 401);
});

test("ASVS 4.2.1 / 5.0 8.4.1: the other tenant's ids are not found, whatever the verb, and nothing changes", async () => {
  // Users 2..5 exist only in tenant 1 (tenant 2 has user 1, its admin), and
  // so do token ids above tenant 2's highest.
  for (let i = 0; i < 3; i++) cliToken(srv, 'cadre');
  const tokenId = +sql(srv.store, 'SELECT max(id) FROM api_token WHERE tenant_id = 1').trim();
  assert.ok(tokenId > +sql(srv.store, 'SELECT coalesce(max(id), 0) FROM api_token WHERE tenant_id = 2').trim());
  const before_ = snapshot(srv);
  const calls = [
    ['GET', '/api/v1/users/3', undefined, 404],
    ['POST', '/api/v1/users/3/disable', {}, 404],
    ['POST', '/api/v1/users/3/enable', {}, 404],
    ['POST', '/api/v1/users/3/roles', { role: ['admin'] }, 404],
    ['POST', '/api/v1/users/3/link', { unit: 1 }, 404],
    ['POST', '/api/v1/users/3/reset-password', {}, 404],
    ['DELETE', `/api/v1/tokens/${tokenId}`, undefined, 404],
    ['POST', '/api/v1/users', { login: 'spy', role: 'cadre', unit: 6 }, 400],
    ['POST', '/api/v1/users', { login: 'spy', role: 'cadre', person: 5 }, 400],
  ];
  for (const [method, path, body, status] of calls) {
    const r = await api(srv, other, method, path, body);
    assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  }
  for (const path of ['/admin/users/3', `/account/tokens/${tokenId}/revoke`]) {
    const r = path.includes('revoke') ? await form(srv, other, path) : await page(srv, other, path);
    assert.equal(r.status, 404, path);
  }
  assert.equal(snapshot(srv), before_);
  const users = (await api(srv, other, 'GET', '/api/v1/users')).json();
  assert.equal(users.total, 1);
  assert.deepEqual(users.items.map((u) => u.login), ['admin']);
  const auditList = (await api(srv, other, 'GET', '/api/v1/audit')).json().items;
  assert.ok(auditList.length > 0);
  for (const e of auditList) assert.ok(!['unit', 'cadre', 'leader', 'evaluator'].includes(e.actor), 'no entry of tenant 1');
  const unitsPage = await page(srv, other, '/admin/users');
  assert.doesNotMatch(unitsPage.text, /县委宣传部/, 'no unit of tenant 1 in the form');
});

test('ASVS 5.0 8.4.1: a tenant under a prefix keeps its prefix in every link, form and redirect', async () => {
  const p = await page(srv, other, '/account');
  assert.equal(p.status, 200);
  validHtml(p.text);
  for (const href of p.text.matchAll(/(?:href|action)="(\/[^"]*)"/g)) {
    if (href[1].startsWith('/static/')) continue;
    assert.ok(href[1].startsWith(`${T2}/`), `${href[1]} keeps the prefix`);
  }
  const board = await get(srv, `${T2}/?q=x`);
  for (const href of board.text.matchAll(/(?:href|action)="(\/[^"]*)"/g))
    if (!href[1].startsWith('/static/')) assert.ok(href[1].startsWith(`${T2}/`), href[1]);
  const li = await get(srv, `${T2}/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'login=admin&password=the+second+county+phrase&next=%2Fstats' });
  assert.equal(li.status, 303);
  assert.equal(li.headers.get('location'), `${T2}/stats`);
  const made = await form(srv, other, '/account/tokens', { name: 'x' });
  assert.equal(made.status, 201);
  const id = +sql(srv.store, 'SELECT max(id) FROM api_token WHERE tenant_id = 2').trim();
  const rv = await form(srv, other, `/account/tokens/${id}/revoke`, { confirm: '1' });
  assert.equal(rv.status, 303);
  assert.equal(rv.headers.get('location'), `${T2}/account?revoked=1`);
});

test('ASVS 5.1.3: init adds a tenant only for a new, valid slug', () => {
  const again = run(['init', '--db', srv.store, '--slug', 'other']);
  assert.equal(again.status, 0);
  assert.match(again.stdout, /already initialised: 另一县/);
  const plain = run(['init', '--db', srv.store]);
  assert.match(plain.stdout, /already initialised: 滦南县/);
  for (const slug of ['Bad', 'a b', 'x'.repeat(33), '']) {
    const r = run(['init', '--db', srv.store, '--slug', slug]);
    assert.equal(r.status, 2, slug);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  assert.equal(sql(srv.store, 'SELECT count(*) FROM tenant').trim(), '2');
});

test('ASVS 5.1.3 / 7.2.2: the tenant command lists tenants and maps host names (audited), refusing bad ones in one line', () => {
  const l = run(['tenant', 'list', '--db', srv.store]);
  assert.equal(l.status, 0);
  assert.match(l.stdout, /^1\tluannan\t滦南县\tluannan\.example$/m, 'host names are kept in lower case');
  assert.match(l.stdout, /^2\tother\t另一县\tother\.example$/m);
  const before_ = snapshot(srv);
  for (const [args, status, re] of [
    [['tenant', 'domain', 'other', 'luannan.example'], 1, /already serves/],
    [['tenant', 'domain', 'nosuch', 'x.example'], 1, /no tenant/],
    [['tenant', 'domain', 'other', 'x.example:8080'], 2, /host name/],
    [['tenant', 'domain', 'other', 'a b'], 2, /host name/],
    [['tenant', 'domain', 'other'], 2, /SLUG and HOST/],
    [['tenant', 'undomain', 'none.example'], 1, /no tenant is served/],
    [['tenant', 'rename', 'x'], 2, /unknown subcommand/],
  ]) {
    const r = run([...args, '--db', srv.store]);
    assert.equal(r.status, status, args.join(' '));
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  assert.equal(snapshot(srv), before_);
  assert.equal(run(['tenant', 'domain', 'other', 'other2.example', '--db', srv.store]).status, 0);
  assert.equal(run(['tenant', 'undomain', 'other2.example', '--db', srv.store]).status, 0);
  const entries = sql(srv.store, "SELECT action, tenant_id, actor FROM audit_event WHERE object_type = 'tenant' ORDER BY tenant_id, id");
  assert.match(entries, /tenant.domain_add\|2\|cli/);
  assert.match(entries, /tenant.domain_remove\|2\|cli/);
  assert.equal(run(['tenant', '--help']).status, 0);
});
