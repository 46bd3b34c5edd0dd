// The problem page and its API: claim, task force, pledge, metrics, timeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, validHtml, sql } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

async function findCase(title) {
  const r = (await get(srv, '/api/v1/problems?per_page=5&q=' + encodeURIComponent(title))).json();
  const hit = r.items.find((i) => i.title === title);
  assert.ok(hit, `case ${title} is on the board`);
  return (await get(srv, '/api/v1/problems/' + hit.id)).json();
}

test('the cable case: a task force of 14 units, 320,000 m of cable and 224 poles', async () => {
  const p = await findCase('城区空中缆线专项整治工作');
  assert.equal(p.category, '城市建设类');
  assert.equal(p.claim.member_units, 14);
  assert.match(p.claim.owner_title, /县委宣传部副部长/);
  const units = new Set(p.claim.members.map((m) => m.unit));
  for (const u of ['供电', '移动', '电信', '联通', '有线电视'])
    assert.ok([...units].some((x) => x.includes(u)), u);
  const cable = p.claim.metrics.find((m) => m.target === 320000);
  assert.ok(cable && cable.achieved === 320000 && cable.uom === '米');
  const poles = p.claim.metrics.find((m) => m.target === 224);
  assert.ok(poles && poles.achieved === 224);
  assert.ok(p.claim.progress.length >= 1);

  const page = await get(srv, '/problems/' + p.id);
  assert.equal(page.status, 200);
  validHtml(page.text);
  assert.match(page.text, /320,000 米/);
  assert.match(page.text, /224 根/);
  assert.match(page.text, /来自 14 个单位/);
  assert.match(page.text, /挂帅领导/);
  assert.match(page.text, /主要负责人/);
  assert.match(page.text, /攻坚进展/);
});

test('the relocation case: a team of 15 people from different units', async () => {
  const p = await findCase('东张士坎南区征收搬迁');
  assert.equal(p.claim.members.filter((m) => m.role !== 'lead').length, 15);
  assert.match(p.claim.owner_title, /民政局副局长/);
  assert.ok(p.claim.member_units > 1);
});

test('the funding cases: ¥5,000,000 and ¥164,000,000 achieved', async () => {
  const fund = await findCase('破解相关领域资金短缺问题');
  assert.ok(fund.claim.metrics.some((m) => m.kind === 'money' && m.achieved === 500000000));
  assert.match(fund.claim.unit, /发展和改革局/);
  const bonds = await findCase('数智滦南“4+1”项目资金');
  assert.ok(bonds.claim.metrics.some((m) => m.kind === 'money' && m.achieved === 16400000000));
  assert.match(bonds.claim.unit, /财政局/);
  const page = await get(srv, '/problems/' + bonds.id);
  assert.match(page.text, /¥164,000,000/);
  const page2 = await get(srv, '/problems/' + fund.id);
  assert.match(page2.text, /¥5,000,000/);
});

test('an unclaimed problem says it awaits a claimant', async () => {
  const r = (await get(srv, '/api/v1/problems?state=published&per_page=1')).json();
  const page = await get(srv, '/problems/' + r.items[0].id);
  assert.equal(page.status, 200);
  validHtml(page.text);
  assert.match(page.text, /本题尚待揭榜/);
  assert.equal((await get(srv, '/api/v1/problems/' + r.items[0].id)).json().claim, null);
});

test('hostile text stored in a problem is escaped on every page', async () => {
  const evil = `<script>alert("x")</script>&'<img src=x onerror=alert(1)>`;
  const esc = evil.replaceAll("'", "''");
  sql(srv.store, `INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,
    state, is_public, created_at, updated_at) VALUES (1, 900, 1, 1, '${esc}', '${esc}', '${esc}', 'published', 1, 1, 1)`);
  for (const path of ['/problems/900', '/?state=published&per_page=100', '/?sort=updated']) {
    const page = await get(srv, path);
    assert.equal(page.status, 200, path);
    validHtml(page.text);
    assert.ok(!page.text.includes('<script>alert'), path);
    assert.ok(!page.text.includes('<img src=x'), path);
  }
  const j = (await get(srv, '/api/v1/problems/900')).json();
  assert.equal(j.title, evil);
  sql(srv.store, 'DELETE FROM problem WHERE tenant_id = 1 AND id = 900');
});

test('unknown, unpublished, malformed and overflowing ids', async () => {
  assert.equal((await get(srv, '/problems/99999')).status, 404);
  assert.equal((await get(srv, '/api/v1/problems/99999')).json().error.code, 'not_found');
  for (const id of ['abc', '0', '-5', '1.5', '99999999999999999999999', '%E7%BC%86']) {
    const r = await get(srv, '/api/v1/problems/' + id);
    assert.equal(r.status, 400, id);
    assert.equal(r.json().error.field, 'id');
    assert.equal((await get(srv, '/problems/' + id)).status, 400, id);
  }
  sql(srv.store, `INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name,
    state, is_public, created_at, updated_at) VALUES (1, 901, 1, 1, '未公开', '未公开', 'x', 'proposed', 1, 1, 1)`);
  assert.equal((await get(srv, '/problems/901')).status, 404);
  sql(srv.store, 'DELETE FROM problem WHERE tenant_id = 1 AND id = 901');
});
