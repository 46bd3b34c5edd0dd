// Every figure of the report, on the statistics page and in the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, validHtml } from './harness.mjs';

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

test('the stats API filtered by the demo batch agrees, an unknown batch gives zeros', async () => {
  const all = (await get(srv, '/api/v1/stats')).json();
  const b1 = (await get(srv, '/api/v1/stats?batch=1')).json();
  assert.deepEqual(b1, all);
  const none = (await get(srv, '/api/v1/stats?batch=999')).json();
  assert.equal(none.problems, 0);
  assert.equal(none.claiming_units['县直单位'], 0);
});

test('the statistics page shows the same figures with SVG charts', async () => {
  const r = await get(srv, '/stats');
  assert.equal(r.status, 200);
  validHtml(r.text);
  for (const n of ['104', '86', '33', '79', '252', '6'])
    assert.match(r.text, new RegExp(`<span class="num">${n}</span>`), `figure ${n}`);
  assert.ok((r.text.match(/<svg /g) || []).length >= 4, 'four charts');
  for (const [name, n] of Object.entries(byCategory))
    assert.match(r.text, new RegExp(`<th scope="row">${name}</th><td>\\d+</td><td>${n}</td>`), name);
  assert.match(r.text, />县直单位<\/text><rect[^>]*\/><text[^>]*>62</);
  assert.match(r.text, />镇街<\/text><rect[^>]*\/><text[^>]*>17</);
  assert.match(r.text, />科级干部<\/text><rect[^>]*\/><text[^>]*>209</);
  assert.match(r.text, />股级以下干部<\/text><rect[^>]*\/><text[^>]*>43</);
});

test('a bad batch on the statistics page is a 400 naming the parameter', async () => {
  const r = await get(srv, '/stats?batch=abc');
  assert.equal(r.status, 400);
  assert.match(r.text, /batch/);
  const j = await get(srv, '/api/v1/stats?batch=-1');
  assert.equal(j.status, 400);
  assert.equal(j.json().error.field, 'batch');
});
