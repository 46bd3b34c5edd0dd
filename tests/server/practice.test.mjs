// practice.test.mjs - practices (经验做法): written by a solved claim's owner
// or an admin (a cadre who owns none of the claims is refused), checked field
// by field in Chinese without changing anything, hidden from the public while
// drafts, found by the board's pair search (2-character queries too),
// recommended by an evaluator, adopted by an admin with 文号, 发文单位 and a
// date (two admins at once: one wins, the other 409), and printed. Runs on
// the demo store (its 33 solved claims) on SQLite and PostgreSQL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, validHtml } from './harness.mjs';
import { login, form, api, page, openSql } from './accounts.mjs';
import { ymd, day } from './claims_fixture.mjs';

let srv, conn;
const S = {};
let OWN, OWN_TITLE, OTHERS, NOT_SOLVED;

const count = async (q) => +(await conn.query(q)).trim();
const rows = async (q) => (await conn.query(q)).trim().split('\n').filter(Boolean);
// Everything a practice verb may write, as text (the audit log aside).
const snapshot = async () => [
  await conn.query('SELECT id, title, summary, steps, conditions, state, doc_no, issuer, coalesce(adopted_on, 0) FROM practice ORDER BY id'),
  await conn.query('SELECT practice_id, claim_id FROM practice_claim ORDER BY 1, 2'),
  await conn.query('SELECT practice_id, gram FROM practice_gram ORDER BY 1, 2'),
].join('\n');

const body = (extra = {}) => ({ title: '矛盾纠纷多元调解机制', summary: '建立“一站式”调解中心，整合司法、信访和村居力量。',
  steps: '一、设立窗口\n二、分级分流\n三、限时办结', conditions: '适用于矛盾纠纷集中的乡镇', claim_ids: [OWN], ...extra });

before(async () => {
  srv = await startServer({ env: { JIEBANG_TASK_PERIOD: '0', JIEBANG_LOGINS_PER_ADDR: '1000' } });
  conn = openSql(srv.store);
  for (const r of ['admin', 'unit', 'cadre', 'evaluator', 'leader']) S[r] = await login(srv, r);
  S.admin2 = await login(srv, 'admin');
  const cadrePerson = await count("SELECT person_id FROM app_user WHERE tenant_id = 1 AND login = 'cadre'");
  const own = await rows(`SELECT c.id || '|' || p.title FROM claim c JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id` +
    ` WHERE c.tenant_id = 1 AND c.state IN ('solved', 'accepted') AND c.owner_person_id = ${cadrePerson} ORDER BY c.id`);
  assert.ok(own.length >= 1, 'the demo cadre owns a solved claim');
  [OWN, OWN_TITLE] = own[0].split('|');
  OWN = +OWN;
  OTHERS = (await rows(`SELECT id FROM claim WHERE tenant_id = 1 AND state IN ('solved', 'accepted')` +
    ` AND owner_person_id <> ${cadrePerson} ORDER BY id`)).map(Number);
  assert.equal(OTHERS.length + own.length, 33, 'the demo has 33 solved claims');
  NOT_SOLVED = await count("SELECT min(id) FROM claim WHERE tenant_id = 1 AND state IN ('signed', 'approved')");
});
after(async () => { conn.close(); await srv.stop(); });

test('the owner of a solved claim writes a draft; an admin writes one linking others', async () => {
  let r = await api(srv, S.cadre, 'POST', '/api/v1/practices', body());
  assert.equal(r.status, 201, r.text);
  const p = r.json().practice;
  assert.equal(p.state, 'draft');
  assert.equal(p.state_label, '草稿');
  assert.equal(p.author_login, 'cadre');
  const person = (await conn.query("SELECT p.name FROM person p JOIN app_user u ON u.person_id = p.id AND u.tenant_id = p.tenant_id WHERE u.login = 'cadre'")).trim();
  assert.equal(p.author, person, "the author's name, not the login");
  assert.deepEqual(p.claims.map((k) => k.claim_id), [OWN]);
  assert.equal(p.claims[0].problem_title, OWN_TITLE);
  assert.ok(await count(`SELECT count(*) FROM practice_gram WHERE practice_id = ${p.id} AND gram = '调解'`) === 1);
  assert.equal(await count(`SELECT count(*) FROM audit_event WHERE action = 'practice.create' AND object_id = ${p.id}`), 1);

  r = await api(srv, S.admin, 'POST', '/api/v1/practices', body({ title: '管理员总结的做法', claim_ids: [OTHERS[0], OTHERS[1], OTHERS[0]] }));
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json().practice.claims.map((k) => k.claim_id), [OTHERS[0], OTHERS[1]], 'duplicates dropped');
});

test('a cadre who owns none of the linked claims is refused, and nothing changes', async () => {
  const was = await snapshot();
  let r = await api(srv, S.cadre, 'POST', '/api/v1/practices', body({ claim_ids: [OTHERS[2]] }));
  assert.equal(r.status, 403, r.text);
  r = await api(srv, S.unit, 'POST', '/api/v1/practices', body({ claim_ids: [OWN] }));
  assert.equal(r.status, 403, 'a unit admin who owns no linked claim');
  r = await api(srv, S.leader, 'POST', '/api/v1/practices', body());
  assert.equal(r.status, 403);
  r = await api(srv, null, 'POST', '/api/v1/practices', body());
  assert.equal(r.status, 401);
  assert.equal(await snapshot(), was);
  assert.ok(await count("SELECT count(*) FROM audit_event WHERE action = 'practice.write' AND outcome = 'denied'") >= 2);
});

test('bad input gets a Chinese error beside each field and changes nothing', async () => {
  const was = await snapshot();
  const cases = [
    [{ title: '' }, 'title', /请填写标题/],
    [{ title: '   ' }, 'title', /标题/],
    [{ title: '字'.repeat(101) }, 'title', /标题.*100/],
    [{ summary: undefined }, 'summary', /做法概述/],
    [{ summary: ' \n ' }, 'summary', /做法概述/],
    [{ steps: '步'.repeat(5001) }, 'steps', /主要步骤/],
    [{ claim_ids: [] }, 'claim_ids', /关联揭榜/],
    [{ claim_ids: [999999] }, 'claim_ids', /没有编号为 999999 的揭榜/],
    [{ claim_ids: [NOT_SOLVED] }, 'claim_ids', /还没有破题/],
    [{ claim_ids: 'x' }, 'claim_ids', /关联揭榜/],
  ];
  for (const [extra, field, message] of cases) {
    const r = await api(srv, S.admin, 'POST', '/api/v1/practices', body(extra));
    assert.equal(r.status, 400, `${JSON.stringify(extra).slice(0, 40)}: ${r.text}`);
    const e = r.json().error;
    assert.ok((e.fields ?? [e]).some((f) => f.field === field && message.test(f.message)), `${field}: ${r.text}`);
  }
  // The form shows each message beside its field with what was typed kept.
  const r = await form(srv, S.cadre, '/practices', [['title', '<b>保留的标题</b>'], ['summary', ''], ['steps', '第一步'],
    ['claim_ids', String(NOT_SOLVED)]]);
  assert.equal(r.status, 400);
  validHtml(r.text);
  assert.match(r.text, /value="&lt;b&gt;保留的标题&lt;\/b&gt;"/);
  assert.match(r.text, /第一步<\/textarea>/);
  assert.match(r.text, /class="field-error" id="f-summary-err">请填写做法概述/);
  const r2 = await form(srv, S.cadre, '/practices', [['title', '标题'], ['summary', '概述留着'], ['claim_ids', String(NOT_SOLVED)]]);
  assert.equal(r2.status, 400);
  assert.match(r2.text, /id="f-claim_ids-err">[^<]*还没有破题/);
  assert.match(r2.text, /概述留着<\/textarea>/);
  assert.equal(await snapshot(), was);
});

test('the public library hides drafts; those who recommend and the author see them', async () => {
  const mine = (await api(srv, S.cadre, 'POST', '/api/v1/practices', body({ title: '仅草稿可见测试' }))).json().practice;
  const seen = async (sess) => (await api(srv, sess, 'GET', '/api/v1/practices?per_page=100')).json().items.map((p) => p.id);
  assert.ok(!(await seen(null)).includes(mine.id));
  assert.ok(!(await seen(S.leader)).includes(mine.id));
  assert.ok((await seen(S.admin)).includes(mine.id));
  assert.ok((await seen(S.evaluator)).includes(mine.id));
  assert.ok((await seen(S.cadre)).includes(mine.id), 'the author sees their own draft');
  assert.equal((await api(srv, null, 'GET', `/api/v1/practices/${mine.id}`)).status, 404);
  assert.equal((await page(srv, null, `/practices/${mine.id}`)).status, 404);
  assert.equal((await api(srv, S.evaluator, 'GET', `/api/v1/practices/${mine.id}`)).status, 200);
  const anon = await page(srv, null, '/practices');
  assert.equal(anon.status, 200);
  validHtml(anon.text);
  assert.doesNotMatch(anon.text, /仅草稿可见测试/);
  assert.equal((await api(srv, null, 'GET', '/api/v1/practices?state=bogus')).status, 400);
  assert.equal((await api(srv, null, 'GET', '/api/v1/practices?page=0')).status, 400);
  assert.equal((await api(srv, null, 'GET', `/api/v1/practices?q=${'字'.repeat(65)}`)).status, 400);
  assert.equal((await api(srv, null, 'GET', '/api/v1/practices?q=一 二 三 四 五 六')).status, 400);
});

// The board's rule (domain/search.h): every term (split at blanks) is a
// substring of the text with ASCII letters lowercased.
const fold = (s) => s.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
const matches = (text, q) => fold(q).split(/[ \t\r\n\v\f\u3000]+/).filter(Boolean).every((t) => fold(text).includes(t));

test('search finds 2-character Chinese queries and every term, as the board would', async () => {
  const texts = [
    { title: '网格化治理WiFi', summary: '村级网格员每日巡查', steps: '缆线入地', conditions: '适用于老旧小区' },
    { title: '缆线整治', summary: '空中缆线“蜘蛛网”整治 100%完成', steps: '', conditions: '' },
    { title: '垃圾分类', summary: '积分兑换', steps: '网格员上门', conditions: '适用于城区_社区' },
  ];
  const made = [];
  for (const t of texts) {
    const r = await api(srv, S.admin, 'POST', '/api/v1/practices', { ...t, claim_ids: [OTHERS[3]] });
    assert.equal(r.status, 201, r.text);
    made.push({ ...r.json().practice, text: `${t.title}\n${t.summary}\n${t.steps}\n${t.conditions}` });
    assert.equal((await api(srv, S.evaluator, 'POST', `/api/v1/practices/${r.json().practice.id}/recommend`)).status, 200);
  }
  const queries = ['缆线', '网格', '网格员', '格员 缆线', '整治', 'wifi', 'WIFI', '100%', '城区_社区', '区_', '治理 完成',
    '线\n入', '理w', '治网', '垃', '入地 老旧', '空中缆线', '%', '_'];
  for (const q of queries) {
    const r = await api(srv, null, 'GET', `/api/v1/practices?per_page=100&q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, `${q}: ${r.text}`);
    const got = r.json().items.map((p) => p.id).filter((id) => made.some((m) => m.id === id)).sort();
    const want = made.filter((m) => matches(m.text, q)).map((m) => m.id).sort();
    assert.deepEqual(got, want, `query ${JSON.stringify(q)}`);
  }
  // Pairs across two fields are not in the index: "理\n村" is no match for "理村".
  const r = await api(srv, null, 'GET', `/api/v1/practices?q=${encodeURIComponent('wifi村')}`);
  assert.equal(r.json().total, 0);
  // The same query on the board runs the same search over problems.
  const board = await api(srv, null, 'GET', `/api/v1/problems?q=${encodeURIComponent('缆线')}`);
  assert.equal(board.status, 200);
  const state = await api(srv, null, 'GET', `/api/v1/practices?state=recommended&q=${encodeURIComponent('网格')}`);
  assert.equal(state.json().total, 2);
  const html = await page(srv, null, `/practices?q=${encodeURIComponent('缆线')}`);
  validHtml(html.text);
  assert.match(html.text, /共 <strong>2<\/strong> 条经验做法，搜索“缆线”/);
});

test('an evaluator recommends a draft (once); the author is told; a cadre may not', async () => {
  const p = (await api(srv, S.cadre, 'POST', '/api/v1/practices', body({ title: '待推荐的做法' }))).json().practice;
  let r = await api(srv, S.cadre, 'POST', `/api/v1/practices/${p.id}/recommend`);
  assert.equal(r.status, 403);
  r = await api(srv, S.leader, 'POST', `/api/v1/practices/${p.id}/recommend`);
  assert.equal(r.status, 403);
  r = await api(srv, S.evaluator, 'POST', `/api/v1/practices/${p.id}/recommend`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().practice.state, 'recommended');
  assert.equal(r.json().practice.recommended_by, 'evaluator');
  r = await api(srv, S.admin, 'POST', `/api/v1/practices/${p.id}/recommend`);
  assert.equal(r.status, 409);
  assert.match(r.json().error.message, /已推荐/);
  const cadre = await count("SELECT id FROM app_user WHERE tenant_id = 1 AND login = 'cadre'");
  assert.equal(await count(`SELECT count(*) FROM notification WHERE user_id = ${cadre} AND kind = 'practice.recommend' AND object_id = ${p.id}`), 1);
  // Editing is for drafts only.
  r = await api(srv, S.cadre, 'PATCH', `/api/v1/practices/${p.id}`, { title: '改不了' });
  assert.equal(r.status, 409);
  const pub = await api(srv, null, 'GET', `/api/v1/practices/${p.id}`);
  assert.equal(pub.status, 200, 'now public');
  assert.equal(pub.json().practice.recommended_by, undefined, 'no logins for the public');
  assert.equal(pub.json().practice.author_login, undefined);
});

test('a draft is edited by its author or an admin only; PATCH keeps what it does not send', async () => {
  const p = (await api(srv, S.cadre, 'POST', '/api/v1/practices', body({ title: '可修改的草稿' }))).json().practice;
  let r = await api(srv, S.cadre, 'PATCH', `/api/v1/practices/${p.id}`, { title: '修改后的标题' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().practice.title, '修改后的标题');
  assert.equal(r.json().practice.summary, p.summary);
  assert.equal(await count(`SELECT count(*) FROM practice_gram WHERE practice_id = ${p.id} AND gram = '修改'`), 1, 'reindexed');
  r = await api(srv, S.unit, 'PATCH', `/api/v1/practices/${p.id}`, { title: '他人修改' });
  assert.equal(r.status, 403, 'not the author');
  r = await api(srv, S.evaluator, 'PATCH', `/api/v1/practices/${p.id}`, { title: '他人修改' });
  assert.equal(r.status, 403, 'an evaluator sees drafts but writes none');
  r = await api(srv, S.cadre, 'PATCH', `/api/v1/practices/${p.id}`, { claim_ids: [OTHERS[0]] });
  assert.equal(r.status, 400, 'the author must keep a claim of their own');
  r = await api(srv, S.admin, 'PATCH', `/api/v1/practices/${p.id}`, { claim_ids: [OWN, OTHERS[0]] });
  assert.equal(r.status, 200, r.text);
  const cadre = await count("SELECT id FROM app_user WHERE tenant_id = 1 AND login = 'cadre'");
  assert.equal(await count(`SELECT count(*) FROM notification WHERE user_id = ${cadre} AND kind = 'practice.update' AND object_id = ${p.id}`), 1);
  // The form page, its fields filled from the draft.
  const edit = await page(srv, S.cadre, `/practices/${p.id}/edit`);
  assert.equal(edit.status, 200);
  validHtml(edit.text);
  assert.match(edit.text, new RegExp(`name="claim_ids" value="${OTHERS[0]}" checked`));
  assert.equal((await page(srv, S.evaluator, `/practices/${p.id}/edit`)).status, 403);
  assert.equal((await page(srv, S.unit, `/practices/${p.id}/edit`)).status, 403);
  r = await form(srv, S.cadre, `/practices/${p.id}/edit`, [['title', '表单修改'], ['summary', '概述'], ['claim_ids', String(OWN)]]);
  assert.equal(r.status, 303, r.text);
  assert.equal((await api(srv, S.cadre, 'GET', `/api/v1/practices/${p.id}`)).json().practice.title, '表单修改');
});

test('adopting needs 文号, 发文单位 and a date not in the future, from recommended, by an admin', async () => {
  const p = (await api(srv, S.cadre, 'POST', '/api/v1/practices', body({ title: '待转化的做法' }))).json().practice;
  const doc = { doc_no: 'X政办发〔2027〕12号', issuer: 'X县人民政府办公室', adopted_on: ymd(day(0)) };
  let r = await api(srv, S.admin, 'POST', `/api/v1/practices/${p.id}/adopt`, doc);
  assert.equal(r.status, 409, 'a draft is recommended first');
  await api(srv, S.evaluator, 'POST', `/api/v1/practices/${p.id}/recommend`);
  const was = await snapshot();
  r = await api(srv, S.admin, 'POST', `/api/v1/practices/${p.id}/adopt`, {});
  assert.equal(r.status, 400);
  assert.deepEqual(r.json().error.fields.map((f) => f.field).sort(), ['adopted_on', 'doc_no', 'issuer']);
  assert.equal(r.json().error.fields.find((f) => f.field === 'doc_no').message, '请填写文号');
  assert.ok(r.json().error.fields.every((f) => /[\u4e00-\u9fff]/.test(f.message)));
  r = await api(srv, S.admin, 'POST', `/api/v1/practices/${p.id}/adopt`, { ...doc, adopted_on: ymd(day(1)) });
  assert.equal(r.status, 400);
  assert.equal(r.json().error.field, 'adopted_on');
  assert.match(r.json().error.message, /不能晚于今天/);
  r = await api(srv, S.admin, 'POST', `/api/v1/practices/${p.id}/adopt`, { ...doc, adopted_on: '2027-02-30' });
  assert.equal(r.status, 400);
  r = await api(srv, S.evaluator, 'POST', `/api/v1/practices/${p.id}/adopt`, doc);
  assert.equal(r.status, 403);
  assert.equal(await snapshot(), was);
  // The page shows a refused adoption beside its fields, typed values kept.
  r = await form(srv, S.admin, `/practices/${p.id}/adopt`, { doc_no: '保留文号', issuer: '', adopted_on: ymd(day(0)) });
  assert.equal(r.status, 400);
  validHtml(r.text);
  assert.match(r.text, /value="保留文号"/);
  assert.match(r.text, /id="f-issuer-err">请填写发文单位/);

  r = await api(srv, S.admin, 'POST', `/api/v1/practices/${p.id}/adopt`, doc);
  assert.equal(r.status, 200, r.text);
  const a = r.json().practice;
  assert.equal(a.state, 'adopted');
  assert.equal(a.doc_no, doc.doc_no);
  assert.equal(a.adopted_on, doc.adopted_on);
  const lib = await page(srv, null, '/practices?state=adopted');
  validHtml(lib.text);
  assert.match(lib.text, /X政办发〔2027〕12号/);
  assert.match(lib.text, /X县人民政府办公室/);
  assert.match(lib.text, /已转化为制度/);
  const one = await page(srv, S.admin, `/practices/${p.id}`);
  validHtml(one.text);
  for (const step of ['撰写经验做法', '推荐经验做法', '经验做法转化为制度']) assert.match(one.text, new RegExp(step));
});

test('two admins adopting at once: one wins, the other gets 409', async () => {
  const p = (await api(srv, S.admin, 'POST', '/api/v1/practices', body({ title: '同时转化', claim_ids: [OTHERS[4]] }))).json().practice;
  await api(srv, S.evaluator, 'POST', `/api/v1/practices/${p.id}/recommend`);
  const doc = (n) => ({ doc_no: `文号${n}`, issuer: '县政府', adopted_on: ymd(day(-1)) });
  const [a, b] = await Promise.all([api(srv, S.admin, 'POST', `/api/v1/practices/${p.id}/adopt`, doc(1)),
    api(srv, S.admin2, 'POST', `/api/v1/practices/${p.id}/adopt`, doc(2))]);
  assert.deepEqual([a.status, b.status].sort(), [200, 409]);
  assert.equal(await count(`SELECT count(*) FROM audit_event WHERE action = 'practice.adopt' AND object_id = ${p.id} AND outcome = 'ok'`), 1);
});

test('the claim page links 总结经验做法 for its owner and lists its practices; the print page', async () => {
  let r = await page(srv, S.cadre, `/claims/${OWN}`);
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`/practices/new\\?claim=${OWN}">总结经验做法`));
  r = await page(srv, null, `/claims/${OWN}`);
  assert.doesNotMatch(r.text, /总结经验做法/);
  assert.match(r.text, /待推荐的做法/, 'a recommended practice is listed for everyone');
  assert.doesNotMatch(r.text, /可修改的草稿|表单修改/, 'drafts are not');
  r = await page(srv, S.cadre, `/claims/${OTHERS[5]}`);
  assert.doesNotMatch(r.text, /总结经验做法/, 'not for a claim the cadre does not own');
  r = await page(srv, S.cadre, `/practices/new?claim=${OWN}`);
  assert.equal(r.status, 200);
  validHtml(r.text);
  assert.match(r.text, new RegExp(`name="claim_ids" value="${OWN}" checked`));
  assert.equal((await page(srv, S.leader, '/practices/new')).status, 403);
  r = await form(srv, S.cadre, '/practices', [['title', '表单撰写'], ['summary', '概述'], ['claim_ids', String(OWN)]]);
  assert.equal(r.status, 303);
  const id = +r.headers.get('location').match(/\/practices\/(\d+)/)[1];
  assert.equal((await api(srv, S.cadre, 'GET', `/api/v1/practices/${id}`)).json().practice.title, '表单撰写');

  const adopted = (await api(srv, null, 'GET', '/api/v1/practices?state=adopted')).json().items[0];
  r = await page(srv, null, `/practices/${adopted.id}/print`);
  assert.equal(r.status, 200);
  validHtml(r.text);
  assert.match(r.text, /class="pledge-doc"/);
  assert.match(r.text, /class="crumbs no-print"/);
  assert.ok(r.text.includes(adopted.doc_no));
  assert.doesNotMatch(r.text, /<form/);
  assert.equal((await page(srv, null, '/practices/999999/print')).status, 404);
  assert.equal((await page(srv, null, '/practices/abc')).status, 400);
});
