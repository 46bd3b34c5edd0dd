// Every figure of the report, on the statistics page and in the API; the
// batch selector and the day the figures are as of. The demo's 2022 batch
// is closed as of 2022-08-31; this year's batch is open, with proposals
// that are not public and change no figure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, validHtml, sql } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const byCategory = { 项目建设类: 28, 城市建设类: 9, 乡村振兴类: 16, 民生发展类: 10,
  社会治理类: 10, 队伍建设类: 4, 生态环保类: 1, 其他: 8 };

test('the stats API gives every figure of the report for the demo', async () => {
  const r = await get(srv, '/api/v1/stats');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  const s = r.json();
  assert.equal(s.problems, 104);
  assert.equal(s.claimed, 86);
  assert.equal(s.solved, 33);
  assert.equal(s.promotions, 6);
  assert.deepEqual(s.claimed_by_category, byCategory);
  assert.deepEqual(s.claiming_units, { 县直单位: 62, 镇街: 17 });
  assert.deepEqual(s.claiming_cadres, { 科级: 209, 股级以下: 43 });
  assert.equal(Object.keys(s.problems_by_category).length, 8);
  assert.equal(Object.values(s.problems_by_category).reduce((a, b) => a + b, 0), 104);
  assert.equal(Object.values(s.by_state).reduce((a, b) => a + b, 0), 104);
  assert.equal(s.by_state.published, 18);
  assert.equal(s.by_state.solved, 33);
});

test('the stats API filtered by the demo batch agrees and names it; an unknown batch is a 404', async () => {
  const days = [today()];
  const all = (await get(srv, '/api/v1/stats')).json();
  const b1 = (await get(srv, '/api/v1/stats?batch=1')).json();
  days.push(today());
  assert.deepEqual(all.batch, null);
  assert.deepEqual(b1.batch, { id: 1, name: '2022年第一批' });
  // The demo batch closed with August 2022 ("截至2022年8月"): its figures are as of then.
  assert.equal(b1.as_of, '2022-08-31');
  assert.ok(days.some((d) => d.iso === all.as_of), 'this year\'s batch is open: all batches are as of today');
  assert.deepEqual({ ...b1, batch: null, as_of: all.as_of }, all, 'the figures of every batch are the 2022 batch\'s');
  const cur = (await get(srv, '/api/v1/stats?batch=2')).json();
  assert.deepEqual(cur.batch, { id: 2, name: `${days[0].year}年第一批` });
  assert.deepEqual([cur.problems, cur.claimed, cur.solved, cur.promotions], [0, 0, 0, 0], 'its proposals are not public');
  const none = await get(srv, '/api/v1/stats?batch=999');
  assert.equal(none.status, 404);
  assert.deepEqual([none.json().error.code, none.json().error.field], ['not_found', 'batch']);
  assert.equal((await get(srv, '/stats?batch=999')).status, 404);
});

// One bar of a chart: its label, an SVG bar, its value.
const bar = (label, n) => new RegExp(`<li><span class="bar-label">${label.replace(/[()（）]/g, '\\$&')}</span>` +
  `<svg class="bar" [^>]*><rect width="\\d+" height="10"/></svg><span class="bar-value">${n}</span></li>`);

test('the statistics page shows the same figures with bar charts', async () => {
  const r = await get(srv, '/stats');
  assert.equal(r.status, 200);
  validHtml(r.text);
  for (const [label, n] of [['榜单难题', 104], ['累计揭榜', 86], ['累计破题', 33], ['揭榜单位', 79], ['揭榜干部', 252], ['提拔使用', 6]])
    assert.ok(r.text.includes(`<span class="num">${n}</span><span class="lbl">${label}</span>`), `figure ${label} ${n}`);
  assert.equal((r.text.match(/<ul class="chart" aria-labelledby="[a-z]+-h">/g) || []).length, 5, 'five charts');
  // the lights of the 86 counted claims as of 2022-08-31: the 9 overdue ones red, the 33 solved awaiting evaluation
  const lights = (await get(srv, '/api/v1/stats')).json().lights;
  assert.equal(Object.values(lights).reduce((a, b) => a + b, 0), 86);
  assert.equal(lights.red, 9);
  assert.equal(lights.awaiting, 33);
  for (const [label, n] of [['逾期', lights.red], ['未报送', lights.unreported], ['滞后', lights.yellow], ['正常', lights.green], ['待验收', 33]])
    assert.match(r.text, bar(label, n), label);
  for (const [name, n] of Object.entries(byCategory)) {
    assert.match(r.text, new RegExp(`<th scope="row" data-label="类别" class="card-title">${name}</th><td data-label="榜单难题">\\d+</td><td data-label="累计揭榜">${n}</td>`), name);
    assert.match(r.text, bar(name, n), `${name} bar`);
  }
  for (const [label, n] of [['县直单位', 62], ['镇街', 17], ['科级干部', 209], ['股级以下干部', 43]])
    assert.match(r.text, bar(label, n), label);
});

test('the headline "累计揭榜" and the current-state chart cannot be confused', async () => {
  const r = await get(srv, '/stats');
  const s = (await get(srv, '/api/v1/stats')).json();
  // 86 problems were ever claimed; 5 are claimed now, still waiting for their pledge.
  assert.ok(r.text.includes('<span class="num">86</span><span class="lbl">累计揭榜</span>'));
  assert.match(r.text, /<h2 id="state-h">难题当前状态<\/h2>/);
  assert.match(r.text, bar('已揭榜（待立军令状）', s.by_state.claimed));
  assert.match(r.text, bar('已破题（待验收）', s.by_state.solved));
  assert.match(r.text, bar('攻坚中', s.by_state.in_progress));
  assert.doesNotMatch(r.text, /<span class="(?:lbl|bar-label)">已揭榜<\/span>/, 'no bare 已揭榜 figure');
  assert.equal(s.claimed, s.by_state.claimed + s.by_state.in_progress + s.by_state.solved + (s.by_state.accepted ?? 0));
});

test('the statistics page offers every batch and says which batch and day it shows', async () => {
  const days = [today()];
  const all = await get(srv, '/stats');
  days.push(today());
  assert.match(all.text, new RegExp('<select name="batch"><option value="">全部批次</option>' +
    `<option value="2">${days[0].year}年第一批</option><option value="1">2022年第一批</option></select>`));
  assert.ok(days.some((d) => all.text.includes(`<p class="as-of"><strong>全部批次</strong> · 统计截至 ${d.zh}</p>`)));
  const one = await get(srv, '/stats?batch=1');
  validHtml(one.text);
  assert.match(one.text, /<option value="1" selected>2022年第一批<\/option>/);
  assert.match(one.text, /<p class="as-of"><strong>2022年第一批<\/strong> · 统计截至 2022年8月31日<\/p>/);
});

// Today in Asia/Shanghai, as 2026-12-01 and 2026年12月1日.
function today() {
  const d = new Date(Date.now() + 8 * 3600 * 1000);
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  return { year: y, iso: `${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`, zh: `${y}年${m}月${day}日` };
}

test('a batch still open is counted as of today, apart from the closed one; all batches together as of today', async () => {
  const now = Math.floor(Date.now() / 1000);
  sql(srv.store, `INSERT INTO batch (tenant_id, id, name, year, phase, opens_at, closes_at) VALUES (1, 3, '本年第一批', 2030, 'collecting', ${now - 86400}, ${now + 300 * 86400});` +
    ` INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name, state, is_public, created_at, updated_at)` +
    ` VALUES (1, 9001, 3, 2, '老旧小区加装电梯', '居民反映强烈', '居民', 'published', 1, ${now}, ${now})`);
  const days = [today()];
  const b2 = (await get(srv, '/api/v1/stats?batch=3')).json();
  const page2 = await get(srv, '/stats?batch=3');
  const all = (await get(srv, '/api/v1/stats')).json();
  days.push(today()); // the day may turn during the requests
  assert.deepEqual(b2.batch, { id: 3, name: '本年第一批' });
  assert.deepEqual([b2.problems, b2.claimed, b2.problems_by_category['城市建设类']], [1, 0, 1]);
  assert.ok(days.some((d) => d.iso === b2.as_of), `${b2.as_of} is today`);
  assert.ok(days.some((d) => page2.text.includes(`<p class="as-of"><strong>本年第一批</strong> · 统计截至 ${d.zh}</p>`)));
  assert.ok(days.some((d) => d.iso === all.as_of), 'one batch is open: all are as of today');
  assert.equal(all.problems, 105);
  const b1 = (await get(srv, '/api/v1/stats?batch=1')).json();
  assert.deepEqual([b1.problems, b1.claimed, b1.as_of], [104, 86, '2022-08-31'], 'the closed batch keeps its figures and day');
  assert.match((await get(srv, '/stats')).text, /<option value="3">本年第一批<\/option><option value="2">\d{4}年第一批<\/option><option value="1">2022年第一批<\/option>/, 'newest first');
});

test('a bad batch on the statistics page is a 400 naming the parameter', async () => {
  const r = await get(srv, '/stats?batch=abc');
  assert.equal(r.status, 400);
  assert.match(r.text, /batch/);
  const j = await get(srv, '/api/v1/stats?batch=-1');
  assert.equal(j.status, 400);
  assert.equal(j.json().error.field, 'batch');
});
