// figures.test.mjs - one source for every figure (issue 11 §1): on the demo,
// the statistics page, GET /api/v1/stats, the big screen, the ledger export
// and a bulletin issued at the same moment give the same numbers, and those
// are the report's (104 problems, 86 claimed, 33 solved, 6 promotions; on the
// 2022 batch 9 逾期, 7 滞后, 37 正常, 33 待验收, 0 未报送).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, parseCsv } from './harness.mjs';
import { login, api, page } from './accounts.mjs';

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await login(srv, 'admin');
});
after(() => srv?.stop());

// The <span class="num"> of each figure card, by its label.
function cards(html) {
  const out = {};
  for (const m of html.matchAll(/<span class="num">([^<]*)<\/span><span class="lbl">([^<]*)<\/span>/g))
    out[m[2]] = Number(m[1].replace(/,/g, ''));
  return out;
}

test('the page, the API, the big screen, the ledger and a bulletin agree, and agree with the report', async () => {
  const s = (await api(srv, admin, 'GET', '/api/v1/stats?batch=1')).json();
  const report = { problems: 104, claimed: 86, solved: 33, promotions: 6 };
  for (const [k, v] of Object.entries(report)) assert.equal(s[k], v, `API ${k}`);
  assert.deepEqual(s.lights, { green: 37, yellow: 7, red: 9, unreported: 0, awaiting: 33 });

  // the statistics page
  const p = await page(srv, admin, '/stats?batch=1');
  assert.equal(p.status, 200);
  const pc = cards(p.text);
  const want = { 榜单难题: s.problems, 累计揭榜: s.claimed, 累计破题: s.solved, 提拔使用: s.promotions,
    攻坚中: s.in_progress, 已验收: s.accepted, 逾期: s.lights.red, 经验做法转化: s.practices_adopted };
  for (const [k, v] of Object.entries(want)) assert.equal(pc[k], v, `page ${k}`);

  // the big screen (public figures; the admin may see it while it is off)
  const bs = cards((await page(srv, admin, '/bigscreen?batch=1&refresh=off')).text);
  for (const k of ['榜单难题', '累计揭榜', '攻坚中', '累计破题', '已验收', '提拔使用', '经验做法转化'])
    assert.equal(bs[k], want[k], `big screen ${k}`);
  assert.equal(bs['逾期'], s.lights.red, 'big screen 逾期');
  assert.equal(bs['未报送'], s.lights.unreported, 'big screen 未报送');

  // the ledger: one row per problem on the board, its state and light
  const r = await fetch(srv.url + '/api/v1/export/ledger.csv', { headers: { Cookie: admin.cookie } });
  assert.equal(r.status, 200);
  const rows = parseCsv((await r.text()).replace(/^\uFEFF/, ''));
  const head = rows.shift();
  const col = (name) => head.indexOf(name);
  assert.ok(col('状态') >= 0 && col('灯色') >= 0, head.join(','));
  const n = (f) => rows.filter(f).length;
  assert.equal(rows.length, s.problems, 'ledger rows = problems on the board');
  assert.equal(n((x) => ['已揭榜', '攻坚中', '已破题', '已验收'].includes(x[col('状态')])), s.claimed, 'ledger claimed');
  assert.equal(n((x) => ['已破题', '已验收'].includes(x[col('状态')])), s.solved, 'ledger solved');
  assert.equal(n((x) => x[col('状态')] === '已验收'), s.accepted, 'ledger accepted');
  assert.equal(n((x) => ['已揭榜', '攻坚中'].includes(x[col('状态')])), s.in_progress, 'ledger in progress');
  for (const [code, zh] of [['red', '逾期'], ['yellow', '滞后'], ['green', '正常'], ['unreported', '未报送'], ['awaiting', '待验收']])
    assert.equal(n((x) => x[col('灯色')] === zh), s.lights[code], `ledger 灯色 ${zh}`);

  // a bulletin issued now freezes the same figures
  const b = await api(srv, admin, 'POST', '/api/v1/bulletins',
    { batch: 1, period_from: '2022-07-01', period_to: '2022-08-31' });
  assert.equal(b.status, 201, b.text);
  const f = b.json().bulletin.figures;
  for (const k of ['problems', 'claimed', 'solved', 'accepted', 'in_progress', 'promotions', 'practices_adopted'])
    assert.equal(f[k], s[k], `bulletin ${k}`);
  assert.equal(f.overdue, s.lights.red, 'bulletin overdue');
  assert.equal(f.unreported, s.lights.unreported, 'bulletin unreported');
});
