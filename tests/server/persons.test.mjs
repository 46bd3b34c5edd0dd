// GET /api/v1/persons?q=&unit=: the person search behind the pickers.
// Who may read users may read people (user.read): the admin and the county
// leader the whole tenant, a unit liaison only its own unit; a cadre or an
// evaluator is refused (403) and anonymous must log in (401). At most 20
// people, names starting with the query first, then by unit and id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from './harness.mjs';
import { login, api, audit } from './accounts.mjs';

let srv, everyone;
const sess = {};
before(async () => {
  srv = await startServer();
  // No demo name has its surname later in another name: two people who
  // show that names starting with the query come first (no page makes
  // people yet).
  sql(srv.store, "INSERT INTO person (tenant_id, id, name, unit_id, rank, title) VALUES" +
    " (1, 9001, '宁静', 18, 'section', '县财政局副局长'), (1, 9002, '李宁', 6, 'below_section', '县委宣传部科员')");
  for (const l of ['admin', 'unit', 'cadre', 'evaluator', 'leader']) sess[l] = await login(srv, l);
  everyone = sql(srv.store, 'SELECT p.id, p.unit_id, p.name, u.name, p.title FROM person p JOIN unit u' +
    ' ON u.tenant_id = p.tenant_id AND u.id = p.unit_id WHERE p.tenant_id = 1').trim().split('\n')
    .map((l) => { const [id, unit_id, name, unit, title] = l.split('|'); return { id: +id, unit_id: +unit_id, name, unit, title }; });
});
after(async () => { await srv.stop(); });

// What the search must answer, computed from every person of the tenant.
function expected(q, unit) {
  const hits = everyone.filter((p) => p.name.includes(q) && (!unit || p.unit_id === unit))
    .sort((a, b) => (b.name.startsWith(q) - a.name.startsWith(q)) || a.unit_id - b.unit_id || a.id - b.id);
  return { ids: hits.slice(0, 20).map((p) => p.id), more: hits.length > 20 };
}

async function search(who, query) {
  const r = await api(srv, sess[who] ?? null, 'GET', `/api/v1/persons?${new URLSearchParams(query)}`);
  return { status: r.status, body: r.json() };
}

test('the admin and the leader search every unit by a name substring, names starting with it first', async () => {
  // 宁 starts a name and ends others; 王 starts many; '' lists everyone.
  for (const q of ['王', '宁', '王广', '']) {
    for (const who of ['admin', 'leader']) {
      const { status, body } = await search(who, { q });
      assert.equal(status, 200);
      const want = expected(q, 0);
      assert.deepEqual(body.items.map((p) => p.id), want.ids, `${who} q=${q}`);
      assert.equal(body.more, want.more, `${who} q=${q}: more`);
    }
  }
  const starts = everyone.filter((p) => p.name.startsWith('宁')).length, inside = everyone.filter((p) => p.name.includes('宁')).length;
  assert.ok(starts > 0 && inside > starts, 'there are names starting with 宁 and names with it later');
  assert.equal((await search('admin', { q: '宁' })).body.items[0].name, '宁静');
  const { body } = await search('admin', { q: '王广宁' });
  assert.deepEqual(body.items, [{ id: 102, name: '王广宁', unit_id: 6, unit: '县委宣传部', title: '县委宣传部副部长', rank: 'section' }]);
});

test('a search keeps to a unit when one is given; spaces around the name do not count', async () => {
  const { body } = await search('admin', { q: ' 王 ', unit: '6' });
  assert.deepEqual(body.items.map((p) => p.id), expected('王', 6).ids);
  assert.ok(body.items.every((p) => p.unit_id === 6));
  assert.deepEqual((await search('admin', { unit: '18' })).body.items.map((p) => p.id), expected('', 18).ids);
});

test('a unit liaison finds only the people of its own unit, and is refused another unit', async () => {
  for (const q of ['', '王', '宁']) {
    const { status, body } = await search('unit', { q });
    assert.equal(status, 200);
    assert.deepEqual(body.items.map((p) => p.id), expected(q, 6).ids, `q=${q}`);
  }
  assert.equal((await search('unit', { unit: '6' })).status, 200);
  const other = await search('unit', { unit: '18' });
  assert.equal(other.status, 403);
  assert.equal(other.body.error.code, 'forbidden');
  const last = audit(srv, "outcome = 'denied'")[0];
  assert.deepEqual([last.actor, last.action, last.object_type], ['unit', 'user.read', 'person']);
});

test('a cadre and an evaluator are refused (403, logged); anonymous must log in (401)', async () => {
  for (const who of ['cadre', 'evaluator']) {
    const r = await search(who, { q: '王' });
    assert.equal(r.status, 403, who);
    assert.equal(r.body.error.code, 'forbidden');
    assert.equal(audit(srv, "outcome = 'denied'")[0].actor, who);
  }
  const anon = await search('nobody', { q: '王' });
  assert.equal(anon.status, 401);
  assert.equal(anon.body.error.code, 'unauthenticated');
});

test('LIKE wildcards in the query are plain characters; bad parameters are a 400 naming them', async () => {
  for (const q of ['%', '_', '\\', "王'"]) {
    const { status, body } = await search('admin', { q });
    assert.equal(status, 200, q);
    assert.deepEqual(body.items, [], q);
  }
  for (const [query, field] of [[{ q: '王'.repeat(33) }, 'q'], [{ unit: 'abc' }, 'unit'], [{ unit: '-1' }, 'unit'], [{ unit: '0' }, 'unit']]) {
    const { status, body } = await search('admin', query);
    assert.equal(status, 400, JSON.stringify(query));
    assert.equal(body.error.field, field);
  }
  assert.equal((await search('admin', { q: '王'.repeat(32) })).status, 200, '32 characters are fine');
});
