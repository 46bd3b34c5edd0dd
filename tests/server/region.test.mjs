// region.test.mjs - many counties, one deployment (issue 12 §6): the
// operator (a role above tenants, given on the command line) creates and
// configures tenants through the web and the API — name, slug, parent,
// time zone, host names, categories, and each one's first admin — and a
// parent's leaders see 辖区汇总: the same figures as each county's own
// dashboard, summed, one line per tenant under it, never a record a child
// has not published. Bad input changes nothing; others are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from './harness.mjs';
import { login, api, form, page, cliAdd, freshUser } from './accounts.mjs';

let srv, op, admin, leader;
const FIGS = ['problems', 'claimed', 'in_progress', 'solved', 'accepted', 'promotions', 'practices_adopted'];
const tenants = () => sql(srv.store, 'SELECT id, slug, name, coalesce(parent_id, 0), tz FROM tenant ORDER BY id');

// A leader of tenant slug, with a password of our own.
async function leaderOf(slug, name) {
  const { password } = cliAdd(srv, name, ['--role', 'leader', '--tenant', slug]);
  const s = await login(srv, name, password, { base: `/t/${slug}` });
  assert.equal(s.status, 200, s.text);
  const pw = `the long road to ${slug} county ${Math.random().toString(36).slice(2, 8)}`;
  assert.equal((await api(srv, s, 'POST', '/api/v1/me/password', { current_password: password, new_password: pw })).status, 200);
  return s;
}

const create = (sess, body) => api(srv, sess, 'POST', '/api/v1/tenants', { tz: 'Asia/Shanghai', ...body });

before(async () => {
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } });
  op = (await freshUser(srv, 'op', ['operator'])).session;
  admin = await login(srv, 'admin');
  leader = await login(srv, 'leader');
});
after(() => srv?.stop());

test('only the operator manages tenants; bad input is refused beside the field and changes nothing', async () => {
  const was = tenants();
  assert.equal((await create(admin, { name: '唐山市', slug: 'tangshan' })).status, 403, 'a tenant admin is no operator');
  assert.equal((await create(null, { name: '唐山市', slug: 'tangshan' })).status, 401);
  assert.equal((await page(srv, admin, '/ops/tenants')).status, 403);
  const cases = [[{ name: '唐山市', slug: 'luannan' }, 409, 'slug'], [{ name: '唐山市', slug: 'Tang Shan' }, 400, 'slug'],
    [{ name: '', slug: 'tangshan' }, 400, 'name'], [{ name: '唐山市', slug: 'tangshan', tz: 'Europe/Paris' }, 400, 'tz'],
    [{ name: '唐山市', slug: 'tangshan', hosts: 'jb.example.cn\nnot a host' }, 400, 'hosts'],
    [{ name: '唐山市', slug: 'tangshan', parent_id: 999 }, 400, 'parent_id'],
    [{ name: '唐山市', slug: 'tangshan', categories: '一个超过二十个字的难题类别名称一个超过二十个字的' }, 400, 'categories']];
  for (const [body, status, field] of cases) {
    const r = await create(op, body);
    assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
    const err = r.json().error;
    assert.ok(err.field === field || (err.fields || []).some((f) => f.field === field), r.text);
  }
  // the form keeps what was typed and says what is wrong beside the field
  const f = await form(srv, op, '/ops/tenants', { name: '唐山市', slug: 'Tang Shan', tz: 'Asia/Shanghai', categories: '其他' });
  assert.equal(f.status, 400);
  assert.match(f.text, /value="Tang Shan"/);
  assert.match(f.text, /简称须为 1 到 32 个小写字母、数字或短横线/);
  assert.equal(tenants(), was, 'nothing changed');
});

test('the operator builds a province, a city and its counties; a parent\'s leaders see the counties\' own figures summed', async () => {
  const city = await create(op, { name: '唐山市', slug: 'tangshan', hosts: 'JB.Tangshan.example', categories: '项目建设类\n其他\n其他' });
  assert.equal(city.status, 201, city.text);
  const c = city.json();
  assert.equal(c.admin.login, 'admin');
  assert.match(c.admin.initial_password, /^\S{16}$/);
  assert.equal(sql(srv.store, `SELECT host FROM tenant_domain WHERE tenant_id = ${c.id}`).trim(), 'jb.tangshan.example');
  assert.equal(sql(srv.store, `SELECT group_concat(name, ',') FROM (SELECT name FROM category WHERE tenant_id = ${c.id} ORDER BY position) x`.replace('group_concat(name, \',\')', srv.store.startsWith('sqlite:') ? "group_concat(name, ',')" : "string_agg(name, ',')")).trim(), '项目建设类,其他');
  // its admin logs in with the one-time password, which must be changed
  const ca = await login(srv, 'admin', c.admin.initial_password, { base: '/t/tangshan' });
  assert.equal(ca.status, 200);
  assert.equal(ca.user.must_change_password ?? ca.json?.must_change ?? true, true);
  assert.match(sql(srv.store, `SELECT actor || ' ' || action FROM audit_event WHERE tenant_id = ${c.id} AND action = 'tenant.create'`), /operator op tenant\.create/);

  // the demo county goes under the city by the edit form; a second county is made under it
  const was = sql(srv.store, 'SELECT id, name, tz FROM tenant WHERE id = 1');
  const e = await form(srv, op, '/ops/tenants/1', { name: '滦南县', tz: 'Asia/Shanghai', parent_id: String(c.id), hosts: '', categories: '' });
  assert.equal(e.status, 303, e.text);
  assert.equal(sql(srv.store, 'SELECT parent_id FROM tenant WHERE id = 1').trim(), String(c.id));
  assert.equal(sql(srv.store, 'SELECT id, name, tz FROM tenant WHERE id = 1'), was);
  const q = await create(op, { name: '迁安市', slug: 'qianan', parent_id: c.id });
  assert.equal(q.status, 201, q.text);
  // no tenant under itself or under one below it
  const cyc = await form(srv, op, `/ops/tenants/${c.id}`, { name: '唐山市', tz: 'Asia/Shanghai', parent_id: '1' });
  assert.equal(cyc.status, 400);
  assert.match(cyc.text, /上级地区不能是本地区或其下辖地区/);

  // the city's leader: 滦南县 has the figures of its own dashboard, 迁安市 none, the total both
  const boss = await leaderOf('tangshan', 'boss');
  const county = (await api(srv, admin, 'GET', '/api/v1/stats')).json();
  const g = (await api(srv, boss, 'GET', '/api/v1/region')).json();
  assert.deepEqual(g.tenants.map((t) => t.name), ['滦南县', '迁安市']);
  for (const k of FIGS) {
    assert.equal(g.tenants[0][k], county[k], `滦南县 ${k}`);
    assert.equal(g.tenants[1][k], 0, `迁安市 ${k}`);
    assert.equal(g.total[k], county[k], `total ${k}`);
  }
  assert.deepEqual(g.tenants[0].lights, county.lights);
  assert.equal(g.total.overdue, county.lights.red);
  assert.ok(county.problems > 0 && county.claimed > 0);

  // the answer is kept (domain/region.c), yet a write in a county, or the
  // operator's edit of one, shows in the very next read
  const proposed = sql(srv.store, "SELECT id FROM problem WHERE tenant_id = 1 AND state = 'proposed' ORDER BY id LIMIT 1").trim();
  for (const action of ['select', 'publish'])
    assert.equal((await api(srv, admin, 'POST', `/api/v1/problems/${proposed}/transitions`, { action })).status, 200, action);
  const g2 = (await api(srv, boss, 'GET', '/api/v1/region')).json();
  assert.equal(g2.tenants[0].problems, county.problems + 1);
  assert.equal(g2.total.problems, (await api(srv, admin, 'GET', '/api/v1/stats')).json().problems);
  assert.equal((await form(srv, op, `/ops/tenants/${q.json().id}`, { name: '迁安县', tz: 'Asia/Shanghai', parent_id: String(c.id), hosts: 'qa.example', categories: '' })).status, 303);
  const g3 = (await api(srv, boss, 'GET', '/api/v1/region')).json();
  assert.deepEqual(g3.tenants.map((t) => t.name), ['滦南县', '迁安县']);
  assert.match((await page(srv, boss, '/region')).text, /href="http:\/\/qa\.example\/">迁安县<\/a>/);
  assert.equal((await form(srv, op, `/ops/tenants/${q.json().id}`, { name: '迁安市', tz: 'Asia/Shanghai', parent_id: String(c.id), hosts: '', categories: '' })).status, 303);

  // the page: the total, a line per county linking to its board, no record of a county
  const p = await page(srv, boss, '/region');
  assert.equal(p.status, 200);
  assert.match(p.text, /辖区汇总/);
  assert.match(p.text, /href="\/t\/luannan\/">滦南县<\/a>/);
  assert.match(p.text, /href="\/t\/qianan\/">迁安市<\/a>/);
  assert.doesNotMatch(p.text, /\/problems\/\d+|\/claims\/\d+/, 'no link to a county\'s records');

  // a province over the city sees the city, with both counties inside
  const prov = await create(op, { name: '河北省', slug: 'hebei' });
  assert.equal(prov.status, 201);
  assert.equal((await form(srv, op, `/ops/tenants/${c.id}`, { name: '唐山市', tz: 'Asia/Shanghai', parent_id: String(prov.json().id) })).status, 303);
  const pg = (await api(srv, await leaderOf('hebei', 'gov'), 'GET', '/api/v1/region')).json();
  assert.deepEqual(pg.tenants.map((t) => [t.name, t.tenants_below]), [['唐山市', 2]]);
  for (const k of FIGS) assert.equal(pg.total[k], county[k] + (k === 'problems' ? 1 : 0), `province ${k}`);
});

test('two operators creating the same slug at once: exactly one wins, the other gets a conflict', async () => {
  const op2 = (await freshUser(srv, 'op2', ['operator'])).session;
  const body = { name: '并发县', slug: 'race' };
  const rs = await Promise.all([create(op, body), create(op2, body)]);
  assert.deepEqual(rs.map((r) => r.status).sort(), [201, 409], rs.map((r) => r.text).join('\n'));
  assert.equal(sql(srv.store, "SELECT count(*) FROM tenant WHERE slug = 'race'").trim(), '1');
  assert.equal(sql(srv.store, "SELECT count(*) FROM app_user u JOIN tenant t ON t.id = u.tenant_id WHERE t.slug = 'race'").trim(), '1',
    'one first admin');
});

test('a county\'s leader sees an empty region; a cadre may not read it; a city admin may not edit a county', async () => {
  const r = await api(srv, leader, 'GET', '/api/v1/region');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json().tenants, []);
  assert.match((await page(srv, leader, '/region')).text, /本地区下面还没有下辖地区/);
  const cadre = await login(srv, 'cadre');
  assert.equal((await api(srv, cadre, 'GET', '/api/v1/region')).status, 403);
  assert.equal((await form(srv, admin, '/ops/tenants/1', { name: '改名县', tz: 'Asia/Shanghai' })).status, 403);
  assert.equal(sql(srv.store, 'SELECT name FROM tenant WHERE id = 1').trim(), '滦南县');
});
