// A batch's rubric (评分标准): the default until a batch has its own, an
// admin replaces it through PUT /api/v1/batches/:id/rubric or the page's
// form (bands a line each, "名称=分数"); bad input gets Chinese errors that
// name the criterion and changes nothing; once scores exist it is fixed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, validHtml } from './harness.mjs';
import { login, form, api, page, openSql } from './accounts.mjs';

let srv, conn, admin, cadre, evaluator, batch;
const q = async (text) => (await conn.query(text)).trim();

before(async () => {
  srv = await startServer();
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  cadre = await login(srv, 'cadre');
  evaluator = await login(srv, 'evaluator');
  // A batch of its own, so that the demo's batch keeps its default.
  const r = await api(srv, admin, 'POST', '/api/v1/batches', { name: '评分标准测试批', year: 2027, phase: 'evaluating' });
  assert.equal(r.status, 201, r.text);
  batch = r.json().batch.id;
});
after(async () => { conn.close(); await srv.stop(); });

const RUBRIC = {
  criteria: [
    { name: '完成情况', weight: 50, max: 100, description: '对照目标', bands: [
      { label: '全面完成', score: 100 }, { label: '基本完成', score: 92.5 }, { label: '未完成', score: 0 }] },
    { name: '工作成效', weight: 30, max: 50 },
    { name: '创新性', weight: 20, max: 10.5 },
  ],
};

const rows = async () => (await q(`SELECT count(*) FROM rubric_criterion WHERE batch_id = ${batch}`)) + '/' +
  await q(`SELECT count(*) FROM rubric_band b JOIN rubric_criterion c ON c.tenant_id = b.tenant_id AND c.id = b.criterion_id WHERE c.batch_id = ${batch}`);

test('a batch without a rubric of its own answers the default, marked is_default, for each stage', async () => {
  const r = await page(srv, evaluator, `/api/v1/batches/${batch}/rubric`);
  assert.equal(r.status, 200, r.text);
  const v = r.json();
  assert.equal(v.stage, 'final');
  assert.equal(v.is_default, true);
  assert.equal(v.locked, false);
  assert.deepEqual(v.criteria.map((c) => [c.name, c.weight, c.max]),
    [['完成情况', 40, 100], ['工作成效', 30, 100], ['创新性', 15, 100], ['可复制推广', 15, 100]]);
  assert.equal(v.criteria[0].bands.length, 5);
  assert.deepEqual(v.criteria[0].bands[0], { label: '全面完成或提前完成', score: 100 });
  const m = (await page(srv, admin, `/api/v1/batches/${batch}/rubric?stage=midterm`)).json();
  assert.equal(m.stage, 'midterm');
  assert.deepEqual(m.criteria.map((c) => c.weight), [60, 40]);
  assert.equal((await page(srv, admin, `/api/v1/batches/${batch}/rubric?stage=bogus`)).status, 400);
  assert.equal((await page(srv, admin, '/api/v1/batches/99999/rubric')).status, 404);
  // The page marks it 默认.
  const p = await page(srv, admin, `/batches/${batch}/rubric`);
  assert.equal(p.status, 200);
  validHtml(p.text);
  assert.match(p.text, /<strong>默认<\/strong>/);
  assert.match(p.text, /权重合计须为 100/);
});

test('an admin replaces the rubric; decimals are kept in hundredths; audited with before and after', async () => {
  const r = await api(srv, admin, 'PUT', `/api/v1/batches/${batch}/rubric`, RUBRIC);
  assert.equal(r.status, 200, r.text);
  const v = r.json();
  assert.equal(v.is_default, false);
  assert.deepEqual(v.criteria.map((c) => [c.name, c.weight, c.max]), [['完成情况', 50, 100], ['工作成效', 30, 50], ['创新性', 20, 10.5]]);
  assert.deepEqual(v.criteria[0].bands.map((b) => b.score), [100, 92.5, 0]);
  assert.equal(await q(`SELECT max_score FROM rubric_criterion WHERE batch_id = ${batch} AND name = '创新性'`), '1050');
  assert.equal(await q(`SELECT b.score FROM rubric_band b JOIN rubric_criterion c ON c.tenant_id = b.tenant_id AND c.id = b.criterion_id WHERE c.batch_id = ${batch} AND b.label = '基本完成'`), '9250');
  assert.equal(await rows(), '3/3');
  const a = await q(`SELECT before_json || ' ' || after_json FROM audit_event WHERE action = 'rubric.update' AND object_id = ${batch}`);
  assert.match(a, /"default":true/);
  assert.match(a, /"bands":0,"max":"10.50","name":"创新性","weight":20/);
  // The midterm stage is untouched; replacing again replaces, not adds.
  assert.equal((await page(srv, admin, `/api/v1/batches/${batch}/rubric?stage=midterm`)).json().is_default, true);
  const again = await api(srv, admin, 'PUT', `/api/v1/batches/${batch}/rubric`, { criteria: [{ name: '总体', weight: 100, max: 100 }] });
  assert.equal(again.status, 200, again.text);
  assert.equal(await rows(), '1/0');
  assert.equal((await api(srv, admin, 'PUT', `/api/v1/batches/${batch}/rubric`, RUBRIC)).status, 200);
});

test('bad rubrics are refused in Chinese naming the criterion, and change nothing', async () => {
  const was = await rows();
  const put = (body) => api(srv, admin, 'PUT', `/api/v1/batches/${batch}/rubric`, body);
  const sum = await put({ criteria: [{ name: '甲', weight: 50, max: 100 }, { name: '乙', weight: 40, max: 100 }] });
  assert.equal(sum.status, 400);
  assert.equal(sum.json().error.field, 'criteria');
  assert.match(sum.json().error.message, /权重合计须为 100/);
  const dup = await put({ criteria: [{ name: '甲', weight: 50, max: 100 }, { name: '甲', weight: 50, max: 100 }] });
  assert.equal(dup.status, 400);
  assert.equal(dup.json().error.field, 'criteria.1');
  assert.match(dup.json().error.message, /评分项“甲”：评分项名称重复/);
  const order = await put({ criteria: [{ name: '甲', weight: 100, max: 100, bands: [{ label: '低', score: 50 }, { label: '高', score: 90 }] }] });
  assert.equal(order.status, 400);
  assert.equal(order.json().error.field, 'criteria.0');
  assert.match(order.json().error.message, /评分项“甲”：分档须从高分到低分排列/);
  const over = await put({ criteria: [{ name: '甲', weight: 100, max: 10, bands: [{ label: '高', score: 20 }, { label: '低', score: 0 }] }] });
  assert.match(over.json().error.message, /每一档的分数须在 0 到满分之间/);
  const fields = await put({ criteria: [{ name: '', weight: 0, max: 'x' }], stage: 'later' });
  assert.equal(fields.status, 400);
  assert.deepEqual(fields.json().error.fields.map((f) => f.field).sort(), ['criteria.0.max', 'criteria.0.name', 'criteria.0.weight', 'stage']);
  assert.ok(fields.json().error.fields.every((f) => /[\u4e00-\u9fa5]/.test(f.message)));
  assert.equal((await put({ criteria: [] })).status, 400);
  assert.equal((await put({ criteria: 'x' })).status, 400);
  assert.equal(await rows(), was);
  assert.equal((await api(srv, admin, 'PUT', '/api/v1/batches/99999/rubric', RUBRIC)).status, 404);
});

test('only those who manage evaluations may change a rubric', async () => {
  const was = await rows();
  assert.equal((await api(srv, cadre, 'PUT', `/api/v1/batches/${batch}/rubric`, RUBRIC)).status, 403);
  assert.equal((await api(srv, evaluator, 'PUT', `/api/v1/batches/${batch}/rubric`, RUBRIC)).status, 403);
  assert.equal((await api(srv, null, 'PUT', `/api/v1/batches/${batch}/rubric`, RUBRIC)).status, 401);
  assert.equal(await rows(), was);
  // An evaluator reads it, without the form.
  const p = await page(srv, evaluator, `/batches/${batch}/rubric`);
  assert.equal(p.status, 200);
  assert.doesNotMatch(p.text, /保存评分标准/);
});

test('the form takes bands a line each; a bad line is shown beside its field with what was typed', async () => {
  const was = await rows();
  const typed = {
    stage: 'final', criteria_rows: '3',
    'criteria.0.name': '完成情况', 'criteria.0.weight': '60', 'criteria.0.max': '100', 'criteria.0.description': '',
    'criteria.0.bands_text': '全面完成=100\n大部分完成 80\n未完成=0',
    'criteria.1.name': '', 'criteria.1.weight': '', 'criteria.1.max': '', 'criteria.1.description': '', 'criteria.1.bands_text': '',
    'criteria.2.name': '成效', 'criteria.2.weight': '30', 'criteria.2.max': '100', 'criteria.2.description': '', 'criteria.2.bands_text': '',
  };
  const r = await form(srv, admin, `/batches/${batch}/rubric`, typed);
  assert.equal(r.status, 400, r.text);
  validHtml(r.text);
  assert.match(r.text, /role="alert"/);
  assert.match(r.text, /评分项“完成情况”分档第 2 行应为“名称=分数”/);
  assert.match(r.text, /name="criteria.0.bands_text"[^>]*aria-invalid="true"[^>]*>\n全面完成=100\n大部分完成 80\n未完成=0<\/textarea>/);
  // The blank middle row is dropped: 成效 is row 1 now, as typed.
  assert.match(r.text, /name="criteria.1.name" value="成效"/);
  assert.equal(await rows(), was);
  // The weights' sum is said above the rows.
  const sum = await form(srv, admin, `/batches/${batch}/rubric`, { ...typed, 'criteria.0.bands_text': '全面完成=100\n大部分完成=80\n未完成=0' });
  assert.equal(sum.status, 400);
  assert.match(sum.text, /各评分项的权重合计须为 100/);
  assert.equal(await rows(), was);
  // Fixed, it is saved (full-width ＝ and a decimal accepted) and shown.
  const ok = await form(srv, admin, `/batches/${batch}/rubric`, {
    ...typed, 'criteria.0.weight': '70', 'criteria.0.bands_text': '全面完成=100\n大部分完成＝87.5\n\n未完成=0',
  });
  assert.equal(ok.status, 303, ok.text);
  assert.match(ok.headers.get('location'), new RegExp(`^/batches/${batch}/rubric\\?stage=final`));
  const v = (await page(srv, admin, `/api/v1/batches/${batch}/rubric`)).json();
  assert.deepEqual(v.criteria.map((c) => c.name), ['完成情况', '成效']);
  assert.deepEqual(v.criteria[0].bands, [{ label: '全面完成', score: 100 }, { label: '大部分完成', score: 87.5 }, { label: '未完成', score: 0 }]);
  const p = await page(srv, admin, ok.headers.get('location'));
  validHtml(p.text);
  assert.match(p.text, /评分标准已保存/);
  assert.match(p.text, /大部分完成=87.5/);
  assert.doesNotMatch(p.text, /<strong>默认<\/strong>/);
});

test('once a score of the stage exists the rubric is fixed: 409 in Chinese, nothing changed', async () => {
  // Scores come from the panels' scoring (another branch): a fixture row
  // stands for one submitted evaluation of a claim in the demo's batch.
  const [claim, demoBatch] = (await q("SELECT k.id, p.batch_id FROM claim k JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id WHERE k.state = 'solved' ORDER BY k.id LIMIT 1")).split('|').map(Number);
  const user = +(await q("SELECT id FROM app_user WHERE login = 'evaluator'"));
  await q(`INSERT INTO panel (tenant_id, id, batch_id, name, created_at) VALUES (1, 900001, ${demoBatch}, '测试考评组', 0)`);
  await q(`INSERT INTO evaluation (tenant_id, id, claim_id, stage, round, panel_id, user_id, state, total, submitted_at) VALUES (1, 900001, ${claim}, 'final', 1, 900001, ${user}, 'submitted', 9000, 0)`);
  const was = await q(`SELECT count(*) FROM rubric_criterion WHERE batch_id = ${demoBatch}`);
  const r = await api(srv, admin, 'PUT', `/api/v1/batches/${demoBatch}/rubric`, RUBRIC);
  assert.equal(r.status, 409, r.text);
  assert.match(r.json().error.message, /已有评分，不能修改评分标准/);
  assert.equal(await q(`SELECT count(*) FROM rubric_criterion WHERE batch_id = ${demoBatch}`), was);
  const v = (await page(srv, admin, `/api/v1/batches/${demoBatch}/rubric`)).json();
  assert.equal(v.locked, true);
  const p = await page(srv, admin, `/batches/${demoBatch}/rubric`);
  assert.match(p.text, /已有评分，不能修改评分标准/);
  assert.doesNotMatch(p.text, /保存评分标准/);
  // The mid-term rubric has no scores: still editable.
  assert.equal((await api(srv, admin, 'PUT', `/api/v1/batches/${demoBatch}/rubric`, { ...RUBRIC, stage: 'midterm' })).status, 200);
});

test('no rubric body crashes the server: malformed shapes are 400 and change nothing', async () => {
  const was = await rows();
  const many = Array.from({ length: 13 }, (_, i) => ({ name: `项${i}`, weight: 1, max: 1 }));
  const nine = Array.from({ length: 9 }, (_, i) => ({ label: `档${i}`, score: 9 - i }));
  for (const body of [{ criteria: [null] }, { criteria: [{ name: '甲', weight: 100, max: 100, bands: 'x' }] },
    { criteria: [{ name: '甲', weight: 100, max: 100, bands: [{ label: '甲', score: '1e9' }, null] }] },
    { criteria: many }, { criteria: [{ name: '甲', weight: 100, max: 100, bands: nine }] },
    { criteria: [{ name: '甲', weight: 100, max: 100, bands_text: '=\n=\n＝' }] },
    { criteria: [{ name: '甲', weight: 100, max: 100, bands_text: '甲=1\n'.repeat(300) }] },
    { criteria: [{ name: '甲\u0000', weight: 100, max: 100 }] }, { criteria: [{ name: { a: 1 }, weight: [1], max: -1 }] }]) {
    const r = await api(srv, admin, 'PUT', `/api/v1/batches/${batch}/rubric`, body);
    assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
    assert.ok(/[\u4e00-\u9fa5]/.test(r.json().error.message));
  }
  assert.equal(await rows(), was);
});
