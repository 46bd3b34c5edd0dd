// The intake pages as a browser without scripts uses them (src/web/intake.c):
// every page is valid HTML and escapes what was typed; the residents' form
// (honeypot, other sites, a signed-in visitor's cookie, the hourly limit per
// address, the phone shown to screeners only); returning a proposal and the
// proposer's revision; who sees a proposal; the bulk form's refusals; the
// confirmation step carrying the form's fields; notifications of others;
// category and priority; bad filters. A refused form keeps what was typed
// and changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, validHtml } from './harness.mjs';
import { login, form, api, page, openSql } from './accounts.mjs';

let srv, conn, admin, cadre, leader, evaluator, batch;
const q = (s) => conn.query(s).then((t) => t.trim());
const count = async (where) => +(await q(`SELECT count(*) FROM problem WHERE tenant_id = 1 AND ${where}`));
let seq = 0;

before(async () => {
  srv = await startServer();
  conn = openSql(srv.store);
  [admin, cadre, leader, evaluator] = [await login(srv, 'admin'), await login(srv, 'cadre'), await login(srv, 'leader'), await login(srv, 'evaluator')];
  const r = await api(srv, admin, 'POST', '/api/v1/batches', { name: '2027年第一批', year: 2027, phase: 'collecting' });
  assert.equal(r.status, 201, r.text);
  batch = r.json().batch.id;
});
after(async () => { conn.close(); await srv.stop(); });

// A proposal by sess through the API; its id.
async function proposal(sess, fields = {}) {
  const r = await api(srv, sess, 'POST', '/api/v1/problems', { title: `测试难题第${++seq}号`, description: '这是一个用于测试的难题描述。',
    category: '其他', batch_id: batch, ...fields });
  assert.equal(r.status, 201, r.text);
  return r.json().problem.id;
}

const state = async (id) => q(`SELECT state || '|' || coalesce(returned_at, 0) FROM problem WHERE tenant_id = 1 AND id = ${id}`);

function residents(fields, headers = {}) {
  return get(srv, '/public/propose', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString() });
}
// The demo's batch is open for 征集 too: the form asks which.
const resident = (n) => ({ title: `群众反映的第${n}个问题`, description: '村里的问题已经很久没有解决了。', category: '乡村振兴类',
  batch_id: String(batch) });

test('every intake page is valid HTML and escapes what was typed', async () => {
  const id = await proposal(cadre, { title: '<b>"引号"&\'撇号\'</b>' });
  await form(srv, admin, `/proposals/${id}/transitions`, { action: 'select' });
  for (const [sess, path] of [[cadre, '/propose'], [null, '/public/propose'], [null, '/public/propose?sent=1'],
    [admin, '/admin/screening'], [admin, '/admin/screening?state=selected&q=' + encodeURIComponent('"引号"')],
    [admin, `/proposals/${id}`], [cadre, `/proposals/${id}`], [cadre, '/me/proposals'], [cadre, '/me/notifications'],
    [leader, '/admin/screening']]) {
    const r = await page(srv, sess, path);
    assert.equal(r.status, 200, `${path}: ${r.text.slice(0, 300)}`);
    validHtml(r.text);
    assert.doesNotMatch(r.text, /<b>"引号"/, path);
    if (!path.startsWith('/p')) assert.match(r.text, /&lt;b&gt;&quot;引号&quot;&amp;&#39;撇号&#39;&lt;\/b&gt;|通知/, path);
  }
  // The screeners' queue finds it by a piece of its title; a leader reads it but has no bulk form.
  assert.match((await page(srv, admin, '/admin/screening?state=selected&q=' + encodeURIComponent('"引号"'))).text, /name="ids" value="\d+"/);
  assert.doesNotMatch((await page(srv, leader, '/admin/screening')).text, /name="ids"/);
  assert.equal((await page(srv, cadre, '/admin/screening')).status, 403);
});

test("the residents' form: a filled honeypot is refused without a hint and writes nothing", async () => {
  const before_ = await count('1 = 1');
  const r = await residents({ ...resident(1), website: 'http://spam.example' });
  assert.equal(r.status, 400);
  assert.match(r.text, /提交未成功，请刷新页面后重新填写/);
  assert.doesNotMatch(r.text, /网站.*必须为空|honeypot/);
  assert.match(r.text, new RegExp(`value="${resident(1).title}"`), 'what was typed is kept');
  assert.equal(await count('1 = 1'), before_);
});

test("the residents' form posted from another site is refused and writes nothing", async () => {
  const before_ = await count('1 = 1');
  const r = await residents(resident(2), { Origin: 'http://evil.example' });
  assert.equal(r.status, 403);
  assert.match(r.text, /请求来自其他网站/);
  assert.equal(await count('1 = 1'), before_);
});

test("the residents' form from a signed-in visitor needs the session's CSRF token, and stays a resident's proposal", async () => {
  await q('DELETE FROM rate_event');
  let r = await residents(resident(3), { Cookie: cadre.cookie });
  assert.equal(r.status, 403);
  assert.equal(await count(`title = '${resident(3).title}'`), 0);
  assert.match((await page(srv, cadre, '/public/propose')).text, /<input type="hidden" name="csrf" value="[^"]+">/);
  r = await residents({ ...resident(3), csrf: cadre.csrf }, { Cookie: cadre.cookie });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/public/propose?sent=1');
  assert.equal(await q(`SELECT coalesce(proposer_user_id, 0) || '|' || proposer_name FROM problem WHERE title = '${resident(3).title}'`), '0|群众');
});

test('the sixth resident proposal within an hour from one address is answered 429, with the form kept', async () => {
  await q('DELETE FROM rate_event');
  for (let i = 0; i < 5; i++) assert.equal((await residents(resident(10 + i))).status, 303, `proposal ${i + 1}`);
  const before_ = await count('1 = 1');
  const r = await residents({ ...resident(20), contact_name: '李四' });
  assert.equal(r.status, 429);
  assert.ok(+r.headers.get('retry-after') > 0, r.headers.get('retry-after'));
  assert.match(r.text, /提交过于频繁，请在 \d\d:\d\d 后再试/);
  assert.match(r.text, /name="contact_name" value="李四"/);
  validHtml(r.text);
  assert.equal(await count('1 = 1'), before_);
  await q('DELETE FROM rate_event');
});

test("a resident's phone is shown to screeners only", async () => {
  const r = await residents({ ...resident(30), contact_name: '王五', contact_phone: '13900001111' });
  assert.equal(r.status, 303);
  const id = +(await q(`SELECT id FROM problem WHERE title = '${resident(30).title}'`));
  const seen = await page(srv, admin, `/proposals/${id}`);
  assert.match(seen.text, /<dt>联系电话<\/dt><dd>13900001111<\/dd>/);
  assert.match(seen.text, /<dt>称呼<\/dt><dd>王五<\/dd>/);
  const leaderView = await page(srv, leader, `/proposals/${id}`);
  assert.equal(leaderView.status, 200);
  assert.doesNotMatch(leaderView.text, /13900001111/);
  assert.equal((await page(srv, evaluator, `/proposals/${id}`)).status, 404);
});

test('a proposal returned for more detail: the proposer revises it and it waits for screening again', async () => {
  const id = await proposal(cadre);
  // No reason: refused beside the field, nothing changes.
  let r = await form(srv, admin, `/proposals/${id}/transitions`, { action: 'return' });
  assert.equal(r.status, 400);
  assert.match(r.text, /<textarea name="reason"[^>]*aria-invalid="true"/);
  assert.match(r.text, /请填写退回补充的理由/);
  assert.equal(await state(id), 'proposed|0');
  r = await form(srv, admin, `/proposals/${id}/transitions`, { action: 'return', reason: '请补充涉及的小区名单' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/proposals/${id}?done=return&n=1`);
  assert.match(await state(id), /^proposed\|[1-9]/);
  // No second return while it waits for the proposer: the form is not offered.
  assert.doesNotMatch((await page(srv, admin, `/proposals/${id}`)).text, /value="return"/);
  const mine = await page(srv, cadre, '/me/proposals');
  assert.match(mine.text, /已退回补充<\/strong>：请补充涉及的小区名单 — 请修改后重新提交/);
  const own = await page(srv, cadre, `/proposals/${id}`);
  assert.match(own.text, /修改后重新提交/);
  assert.doesNotMatch(own.text, /遴选操作/);
  // A mistake is kept with its message; the fix is taken.
  r = await form(srv, cadre, `/proposals/${id}/revise`, { title: '修改后的测试难题', description: '太短', category: '其他' });
  assert.equal(r.status, 400);
  assert.match(r.text, /value="修改后的测试难题"/);
  assert.match(r.text, /难题描述至少 10 个字/);
  assert.match(await state(id), /^proposed\|[1-9]/);
  r = await form(srv, cadre, `/proposals/${id}/revise`, { title: '修改后的测试难题', description: '涉及城关镇三个小区，名单见附件。', category: '其他' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/me/proposals?done=revised');
  assert.equal(await state(id), 'proposed|0');
  assert.match((await page(srv, admin, `/proposals/${id}`)).text, /value="return"/);
  // Someone else's proposal cannot be revised.
  assert.equal((await form(srv, leader, `/proposals/${id}/revise`, { title: '别人改的标题', description: '涉及城关镇三个小区，名单见附件。', category: '其他' })).status, 403);
});

test('a proposal the reader may not see is 404, and redirects to the board once published', async () => {
  const id = await proposal(cadre);
  assert.equal((await page(srv, evaluator, `/proposals/${id}`)).status, 404);
  assert.equal((await page(srv, null, `/proposals/${id}`)).status, 303, 'anonymous: to the log-in');
  for (const action of ['select', 'publish'])
    assert.equal((await form(srv, admin, `/proposals/${id}/transitions`, { action })).status, 303, action);
  const r = await page(srv, evaluator, `/proposals/${id}`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/problems/${id}`);
  // The proposer still sees the proposal, with the link to its public page.
  assert.match((await page(srv, cadre, `/proposals/${id}`)).text, new RegExp(`href="/problems/${id}">查看公开页面`));
});

test('bulk: nothing chosen, or one that may not move among them, is refused and nothing changes', async () => {
  let r = await form(srv, admin, `/admin/screening/bulk?batch=${batch}`, { action: 'select', reason: '' });
  assert.equal(r.status, 400);
  assert.match(r.text, /class="field-error" id="f-ids-err"/);
  // Nothing chosen for a change that asks first: refused, not asked.
  r = await form(srv, admin, '/admin/screening/bulk', { action: 'reject', reason: '重复' });
  assert.equal(r.status, 400);
  assert.doesNotMatch(r.text, /<section class="confirm">/);
  assert.match(r.text, /请至少选择一个难题/);
  const a = await proposal(cadre), b = await proposal(cadre);
  assert.equal((await form(srv, admin, `/proposals/${b}/transitions`, { action: 'reject', reason: '重复', confirm: '1' })).status, 303);
  r = await form(srv, admin, `/admin/screening/bulk?batch=${batch}`, [['action', 'select'], ['ids', String(a)], ['ids', String(b)]]);
  assert.equal(r.status, 409);
  assert.match(r.text, new RegExp(`“#${b} 测试难题第\\d+号”现为“未入选”`));
  assert.match(r.text, new RegExp(`name="ids" value="${a}" checked`), 'the choice is kept');
  assert.equal(await state(a), 'proposed|0');
  // The filter in the query string survives the refusal and the redirect.
  assert.match(r.text, new RegExp(`<option value="${batch}" selected>`));
  r = await form(srv, admin, `/admin/screening/bulk?batch=${batch}&state=proposed`, [['action', 'select'], ['ids', String(a)]]);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/admin/screening?page=1&state=proposed&batch=${batch}&done=select&n=1`);
});

test('a change one click should not make asks first, carrying the fields, and changes nothing until confirmed', async () => {
  const id = await proposal(cadre);
  let r = await form(srv, admin, `/proposals/${id}/transitions`, { action: 'reject', reason: '不属于本轮范围 <&>' });
  assert.equal(r.status, 200);
  validHtml(r.text);
  assert.match(r.text, /<section class="confirm">/);
  assert.match(r.text, /<input type="hidden" name="action" value="reject">/);
  assert.match(r.text, /<input type="hidden" name="reason" value="不属于本轮范围 &lt;&amp;&gt;">/);
  assert.match(r.text, /<input type="hidden" name="confirm" value="1"><button type="submit" class="danger solid">不予入选<\/button>/);
  assert.equal(await state(id), 'proposed|0');
  r = await form(srv, admin, `/proposals/${id}/transitions`, { action: 'reject', reason: '不属于本轮范围 <&>', confirm: '1' });
  assert.equal(r.status, 303);
  assert.equal(await state(id), 'rejected|0');
  // Selecting asks nothing.
  const other = await proposal(cadre);
  assert.equal((await form(srv, admin, `/proposals/${other}/transitions`, { action: 'select' })).status, 303);
  // Merging into a closed problem is refused with the verb's message, beside the field.
  r = await form(srv, admin, `/proposals/${other}/transitions`, { action: 'merge', into: String(id), confirm: '1' });
  assert.equal(r.status, 400);
  assert.match(r.text, /<input type="number" name="into" value="\d+"[^>]*aria-invalid="true"/);
  assert.match(r.text, /已未入选，不能合并到它/);
});

test("opening another user's notification is 404 and marks nothing; one's own goes to its object", async () => {
  const id = await proposal(cadre);
  await form(srv, admin, `/proposals/${id}/transitions`, { action: 'select' });
  const n = +(await q(`SELECT max(id) FROM notification WHERE tenant_id = 1 AND object_id = ${id}`));
  assert.equal((await form(srv, leader, `/me/notifications/${n}/read`)).status, 404);
  assert.equal(await q(`SELECT coalesce(read_at, 0) FROM notification WHERE tenant_id = 1 AND id = ${n}`), '0');
  const list = await page(srv, cadre, '/me/notifications');
  assert.match(list.text, new RegExp(`action="/me/notifications/${n}/read"`));
  assert.match(list.text, /aria-hidden="true">\d+<\/span><span class="vh">（\d+条未读）<\/span>/);
  const r = await form(srv, cadre, `/me/notifications/${n}/read`);
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/proposals/${id}`);
  assert.notEqual(await q(`SELECT coalesce(read_at, 0) FROM notification WHERE tenant_id = 1 AND id = ${n}`), '0');
  assert.equal((await form(srv, cadre, '/me/notifications/read')).headers.get('location'), '/me/notifications?done=read');
  assert.equal(+(await q(`SELECT count(*) FROM notification WHERE tenant_id = 1 AND user_id = ${cadre.user.id} AND read_at IS NULL`)), 0);
  assert.doesNotMatch((await page(srv, cadre, '/me/notifications')).text, /class="badge"/);
});

test('category and priority: a bad value is refused beside its field, a good one saved', async () => {
  const id = await proposal(cadre);
  let r = await form(srv, admin, `/proposals/${id}/screening`, { category: '其他', priority: '9' });
  assert.equal(r.status, 400);
  assert.match(r.text, /<select name="priority" aria-invalid="true"/);
  r = await form(srv, admin, `/proposals/${id}/screening`, { category: '生态环保类', priority: '2' });
  assert.equal(r.status, 303);
  assert.equal(await q(`SELECT c.name || '|' || p.priority FROM problem p JOIN category c ON c.tenant_id = p.tenant_id AND c.id = p.category_id WHERE p.tenant_id = 1 AND p.id = ${id}`), '生态环保类|2');
  assert.match((await page(srv, admin, `/admin/screening?batch=${batch}`)).text, /<span class="flag flag-prio">紧急<\/span>/);
});

test('查重 without scripts shows the similar problems, keeps what was typed and writes nothing', async () => {
  const before_ = await count('1 = 1');
  const r = await form(srv, cadre, '/propose', { title: '城区空中缆线', description: '只写了一半', check: '1' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<div class="similar" id="similar" aria-live="polite" data-similar-live><p>已有相似的难题/);
  assert.match(r.text, /<a href="\/problems\/33">#33 城区空中缆线专项整治工作<\/a>/);
  assert.match(r.text, />\n只写了一半<\/textarea>/);
  assert.doesNotMatch(r.text, /form-errors/, 'a check is no refusal');
  assert.equal(await count('1 = 1'), before_);
  assert.match((await form(srv, cadre, '/propose', { title: '城', check: '1' })).text, /请先输入至少两个字的标题/);
});

test('the queue refuses bad filters with 400', async () => {
  for (const p of ['state=bogus', 'page=0', 'batch=x', 'category=-1', 'q=' + '长'.repeat(61)])
    assert.equal((await page(srv, admin, `/admin/screening?${p}`)).status, 400, p);
});
