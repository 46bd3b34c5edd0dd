// The complaint and suggestion channel (投诉建议, issue 8 §3): anyone sends
// one, signed in or not; a resident gets an unguessable reference number and
// reads the answer with it, a signed-in sender under /me/feedback (and is
// notified); only admins answer, and of two answering at once one wins and
// the other gets 409; a resident's address is limited to 5 an hour; bad
// input, the honeypot and cross-site posts change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, validHtml } from './harness.mjs';
import { login, form, api, page, openSql } from './accounts.mjs';

let srv, conn, admin, admin2, cadre, cadreId;
const q = async (text) => (await conn.query(text)).trim();
const REF = /^TS\d{8}-[2-9A-HJ-NP-Z]{8}$/;
let addrSeq = 0;
// Each test sends from addresses of its own (behind a trusted proxy the
// client address is X-Forwarded-For's), so the per-address limit of one
// test does not spill into another.
const freshAddr = () => `192.0.2.${++addrSeq}`;

before(async () => {
  srv = await startServer({ env: { JIEBANG_TRUST_PROXY: '1' } });
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  admin2 = await login(srv, 'admin');
  cadre = await login(srv, 'cadre');
  cadreId = cadre.user.id;
});
after(async () => { conn.close(); await srv.stop(); });

// A resident's API call from addr.
function anonApi(method, path, body, addr, headers = {}) {
  return get(srv, path, {
    method,
    headers: { 'X-Forwarded-For': addr, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

// A resident's form post from addr.
function anonForm(path, fields, addr, headers = {}) {
  return get(srv, path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': addr, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

const stored = async () => ({
  complaints: await q('SELECT count(*) FROM complaint'),
  counted: await q('SELECT count(*) FROM rate_event'),
  audit: await q("SELECT count(*) FROM audit_event WHERE action LIKE 'complaint.%' AND outcome = 'ok'"),
});

const GOOD = { kind: 'complaint', subject: '路灯不亮', body: '幸福路北段的路灯已经坏了两周。\n晚上行人很不方便。' };

async function submitAnon(addr, extra = {}) {
  const r = await anonApi('POST', '/api/v1/feedback', { ...GOOD, ...extra }, addr);
  assert.equal(r.status, 201, r.text);
  return r.json().complaint;
}

test('a resident submits: a reference number comes back, the row holds the contact, the audit entry does not', async () => {
  const r = await anonApi('POST', '/api/v1/feedback', { ...GOOD, name: '张大爷', contact: '13800001111' }, freshAddr());
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const c = r.json().complaint;
  assert.match(c.ref, REF);
  // The date in the reference is today in Asia/Shanghai.
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10).replaceAll('-', '');
  assert.equal(c.ref.slice(2, 10), today);
  assert.equal(c.state, 'open');
  assert.equal(c.answer, null);
  assert.equal(c.id, undefined, 'a resident is not given the sequence number');
  assert.equal(c.contact, undefined);
  const row = await q(`SELECT kind, coalesce(user_id, 0), name, contact, subject, body FROM complaint WHERE ref = '${c.ref}'`);
  assert.equal(row, `complaint|0|张大爷|13800001111|路灯不亮|${GOOD.body}`);
  const id = +(await q(`SELECT id FROM complaint WHERE ref = '${c.ref}'`));
  const a = await q(`SELECT actor || '|' || coalesce(after_json, '') || '|' || coalesce(before_json, '') FROM audit_event WHERE action = 'complaint.create' AND object_id = ${id}`);
  assert.equal(a, 'anonymous|{"kind":"complaint","subject":"路灯不亮"}|');
  assert.doesNotMatch(await q(`SELECT count(*) FROM audit_event WHERE after_json LIKE '%13800001111%' OR before_json LIKE '%13800001111%'`), /[1-9]/);
});

test('the reference numbers are random: many submissions, no two alike, none sequential', async () => {
  const refs = new Set();
  for (let i = 0; i < 12; i++) {
    const r = await api(srv, admin, 'POST', '/api/v1/feedback', { ...GOOD, subject: `编号测试${i}` });
    assert.equal(r.status, 201, r.text);
    refs.add(r.json().complaint.ref.slice(11));
  }
  assert.equal(refs.size, 12);
  // Every letter of the alphabet is unambiguous (no 0, O, 1, I).
  for (const t of refs) assert.doesNotMatch(t, /[01OI]/);
});

test('the lookup shows the complaint to whoever holds the reference, without the contact; a wrong one says so and shows nothing', async () => {
  const c = await submitAnon(freshAddr(), { name: '李女士', contact: 'li@example.com', kind: 'suggestion', subject: '建议增设公交站' });
  const r = await anonApi('GET', `/api/v1/feedback/${c.ref}`, undefined, freshAddr());
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const j = r.json().complaint;
  assert.deepEqual(Object.keys(j).sort(), ['answer', 'answered_at', 'body', 'created_at', 'kind', 'ref', 'state', 'subject']);
  assert.equal(j.subject, '建议增设公交站');
  assert.doesNotMatch(r.text, /li@example\.com|李女士/);
  // Typed in lower case with spaces around it: the same complaint.
  const lower = await get(srv, `/feedback/lookup?ref=${encodeURIComponent('  ' + c.ref.toLowerCase() + ' ')}`);
  assert.equal(lower.status, 200);
  validHtml(lower.text);
  assert.match(lower.text, /建议增设公交站/);
  assert.match(lower.text, /尚未答复/);
  assert.doesNotMatch(lower.text, /li@example\.com|李女士/);
  // Wrong: one character changed, a made-up one, garbage.
  const last = c.ref.at(-1) === 'Z' ? 'Y' : 'Z';
  for (const wrong of [c.ref.slice(0, -1) + last, 'TS20270101-AAAAAAAA', '"><b>x', '1']) {
    const a = await anonApi('GET', `/api/v1/feedback/${encodeURIComponent(wrong)}`, undefined, freshAddr());
    assert.equal(a.status, 404, wrong);
    assert.equal(a.json().error.code, 'not_found');
    assert.match(a.json().error.message, /没有找到这个查询编号/);
    const p = await get(srv, `/feedback/lookup?ref=${encodeURIComponent(wrong)}`);
    assert.equal(p.status, 404, wrong);
    validHtml(p.text);
    assert.match(p.text, /没有找到这个查询编号/);
    assert.match(p.text, /name="ref" value="[^"]*"[^>]*aria-invalid="true"/, 'the field is marked');
    assert.ok(p.text.includes(`value="${wrong.replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}"`), 'what was typed is kept, escaped');
    assert.doesNotMatch(p.text, /<h2 id="c-h">/, 'no complaint shown');
  }
  // The empty lookup form.
  const empty = await get(srv, '/feedback/lookup');
  assert.equal(empty.status, 200);
  validHtml(empty.text);
  assert.doesNotMatch(empty.text, /aria-invalid/);
});

test('the page form: a resident posts without a CSRF token, is sent to the reference number, and the answer page links the lookup', async () => {
  const f = await get(srv, '/feedback');
  assert.equal(f.status, 200);
  validHtml(f.text);
  assert.match(f.text, /name="name"/);
  assert.match(f.text, /name="contact"/);
  assert.match(f.text, /<div hidden><label>[^<]*<input type="text" name="website"/);
  const before_ = await stored();
  const r = await anonForm('/feedback', { ...GOOD, name: '王先生', contact: '0315-1234567', website: '' }, freshAddr());
  assert.equal(r.status, 303, r.text);
  const where = r.headers.get('location');
  const m = where.match(/^\/feedback\?sent=(TS\d{8}-[2-9A-HJ-NP-Z]{8})$/);
  assert.ok(m, where);
  const sent = await get(srv, where);
  assert.equal(sent.status, 200);
  validHtml(sent.text);
  assert.ok(sent.text.includes(`<code>${m[1]}</code>`));
  assert.match(sent.text, /请保存此编号，凭编号查询答复/);
  assert.ok(sent.text.includes(`href="/feedback/lookup?ref=${m[1]}"`));
  const after_ = await stored();
  assert.equal(+after_.complaints, +before_.complaints + 1);
  assert.equal(+after_.counted, +before_.counted + 1, 'counted against the address');
  // A made-up ?sent= shows the plain form, not a confirmation.
  const fake = await get(srv, '/feedback?sent=TS20270101-AAAAAAAA');
  assert.doesNotMatch(fake.text, /请保存此编号/);
});

test('bad input: every field error at once, in Chinese, beside the field with what was typed; nothing stored or counted', async () => {
  const before_ = await stored();
  const r = await anonApi('POST', '/api/v1/feedback', { kind: 'complaint', subject: '灯' }, freshAddr());
  assert.equal(r.status, 400, r.text);
  const e = r.json().error;
  assert.deepEqual(e.fields.map((f) => `${f.field}:${f.code}`).sort(), ['body:missing_field', 'subject:too_short']);
  assert.ok(e.fields.every((f) => /[\u4e00-\u9fa5]/.test(f.message)));
  const more = await anonApi('POST', '/api/v1/feedback', { kind: 'praise', subject: 'x'.repeat(61), body: '短', contact: 'c'.repeat(61) }, freshAddr());
  assert.equal(more.status, 400);
  assert.deepEqual(more.json().error.fields.map((f) => `${f.field}:${f.code}`).sort(),
    ['body:too_short', 'contact:too_long', 'kind:bad_choice', 'subject:too_long']);
  // Nothing but spaces (ASCII and ideographic) is no subject.
  const blank = await anonApi('POST', '/api/v1/feedback', { ...GOOD, subject: '\u3000\u3000 ' }, freshAddr());
  assert.equal(blank.status, 400);
  assert.equal(blank.json().error.field, 'subject');
  assert.match(blank.json().error.message, /请填写主题/);
  // A control character in one line text; not JSON at all.
  assert.equal((await anonApi('POST', '/api/v1/feedback', { ...GOOD, subject: '路灯\n不亮' }, freshAddr())).status, 400);
  const notJson = await get(srv, '/api/v1/feedback', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': freshAddr() }, body: '{"kind":' });
  assert.equal(notJson.status, 400);
  // The page form shows it again.
  const p = await anonForm('/feedback', { kind: 'suggestion', subject: '灯', body: '', name: '赵<b>' }, freshAddr());
  assert.equal(p.status, 400);
  validHtml(p.text);
  assert.match(p.text, /role="alert"/);
  assert.match(p.text, /name="subject" value="灯"[^>]*aria-invalid="true"/);
  assert.match(p.text, /主题至少 2 个字/);
  assert.match(p.text, /<textarea name="body"[^>]*aria-invalid="true"[^>]*>\n?<\/textarea><span class="field-error" id="f-body-err">请填写内容<\/span>/);
  assert.match(p.text, /value="赵&lt;b&gt;"/);
  assert.match(p.text, /<option value="suggestion" selected>/);
  assert.deepEqual(await stored(), before_);
});

test('the honeypot: a filled "website" field is refused with a generic message, and nothing is stored or counted', async () => {
  const before_ = await stored();
  const r = await anonApi('POST', '/api/v1/feedback', { ...GOOD, website: 'http://spam.example' }, freshAddr());
  assert.equal(r.status, 400);
  assert.equal(r.json().error.field, undefined);
  assert.doesNotMatch(r.json().error.message, /网站|website/i, 'the message does not say why');
  const p = await anonForm('/feedback', { ...GOOD, website: 'x' }, freshAddr());
  assert.equal(p.status, 400);
  assert.match(p.text, /提交未成功/);
  assert.deepEqual(await stored(), before_);
});

test('a resident address may send 5 an hour: the 6th gets 429 with Retry-After and a time, stores nothing; others and signed-in users go on', async () => {
  const addr = freshAddr();
  for (let i = 0; i < 5; i++) await submitAnon(addr, { subject: `限流测试${i}` });
  const before_ = await stored();
  const r = await anonApi('POST', '/api/v1/feedback', { ...GOOD, subject: '第六条' }, addr);
  assert.equal(r.status, 429, r.text);
  const wait = +r.headers.get('retry-after');
  assert.ok(wait > 3500 && wait <= 3600, `Retry-After ${wait}`);
  assert.equal(r.json().error.code, 'too_frequent');
  assert.match(r.json().error.message, /提交过于频繁，请在 \d\d:\d\d 后再试/);
  // The page form too, keeping what was typed.
  const p = await anonForm('/feedback', { ...GOOD, subject: '第六条' }, addr);
  assert.equal(p.status, 429);
  assert.ok(+p.headers.get('retry-after') > 3500);
  validHtml(p.text);
  assert.match(p.text, /提交过于频繁，请在 \d\d:\d\d 后再试/);
  assert.match(p.text, /name="subject" value="第六条"/);
  assert.deepEqual(await stored(), before_);
  assert.equal(await q("SELECT count(*) FROM complaint WHERE subject = '第六条'"), '0');
  // Another address is not affected.
  await submitAnon(freshAddr());
  // A signed-in user is known by account, not limited by address.
  for (let i = 0; i < 7; i++) {
    const s = await api(srv, cadre, 'POST', '/api/v1/feedback', { ...GOOD, subject: `干部${i}` }, { headers: { 'X-Forwarded-For': addr } });
    assert.equal(s.status, 201, s.text);
  }
});

test('a signed-in cadre: name and contact are ignored, the CSRF token is required, and the submission is under /me/feedback', async () => {
  const noToken = await api(srv, cadre, 'POST', '/api/v1/feedback', GOOD, { csrf: false });
  assert.equal(noToken.status, 403);
  assert.equal(noToken.json().error.code, 'csrf');
  const r = await api(srv, cadre, 'POST', '/api/v1/feedback', { ...GOOD, subject: '干部的建议', kind: 'suggestion', name: '冒名', contact: '123' });
  assert.equal(r.status, 201, r.text);
  const c = r.json().complaint;
  assert.ok(c.id > 0);
  assert.equal(await q(`SELECT coalesce(user_id, 0) || '|' || name || '|' || contact FROM complaint WHERE id = ${c.id}`), `${cadreId}||`);
  const f = await page(srv, cadre, '/feedback');
  assert.doesNotMatch(f.text, /name="contact"|name="name"/, 'no name or contact fields when signed in');
  assert.match(f.text, /您已登录为 <strong>cadre<\/strong>/);
  const p = await form(srv, cadre, '/feedback', { kind: 'complaint', subject: '表单提交的投诉', body: '第一行\r\n第二行 <b>粗</b>' });
  assert.equal(p.status, 303, p.text);
  const mine = await page(srv, cadre, '/me/feedback');
  assert.equal(mine.status, 200);
  validHtml(mine.text);
  assert.match(mine.text, /干部的建议/);
  assert.match(mine.text, /<p>第一行<\/p>\n<p>第二行 &lt;b&gt;粗&lt;\/b&gt;<\/p>/);
  const list = (await page(srv, cadre, '/api/v1/me/feedback')).json();
  assert.ok(list.items.length >= 2);
  assert.ok(list.items.every((x) => x.id > 0 && REF.test(x.ref)));
  assert.deepEqual(list.items.map((x) => x.id), [...list.items.map((x) => x.id)].sort((a, b) => b - a), 'newest first');
  // The admin's own list has none of the cadre's.
  const adminMine = (await page(srv, admin, '/api/v1/me/feedback')).json().items;
  assert.ok(!adminMine.some((x) => x.id === c.id));
  // Not signed in: to the log-in page, or 401.
  assert.equal((await get(srv, '/me/feedback')).status, 303);
  assert.equal((await get(srv, '/api/v1/me/feedback')).status, 401);
});

test('an admin answers: the sender is notified, sees the answer under /me/feedback and by reference; the answer is audited', async () => {
  const c = (await api(srv, cadre, 'POST', '/api/v1/feedback', { ...GOOD, subject: '等待答复的投诉' })).json().complaint;
  const item = await page(srv, admin, `/api/v1/admin/feedback/${c.id}`);
  assert.equal(item.status, 200);
  assert.equal(item.json().complaint.sender, 'cadre');
  assert.equal(item.json().complaint.answered_at, null);
  const r = await api(srv, admin, 'POST', `/api/v1/feedback/${c.id}/answer`, { answer: '已安排维修，三日内修复。\n感谢监督。', answered_at: null });
  assert.equal(r.status, 200, r.text);
  const a = r.json().complaint;
  assert.equal(a.state, 'answered');
  assert.equal(a.answered_by, 'admin');
  assert.ok(a.answered_at > 0);
  const n = await q(`SELECT kind || '|' || object_type || '|' || object_id || '|' || title || '|' || body FROM notification WHERE user_id = ${cadreId} AND object_id = ${c.id}`);
  assert.equal(n, `complaint.answer|complaint|${c.id}|您的投诉已有答复|“等待答复的投诉”`);
  const mine = await page(srv, cadre, '/me/feedback');
  assert.match(mine.text, /<p>已安排维修，三日内修复。<\/p>\n<p>感谢监督。<\/p>/);
  const byRef = (await get(srv, `/api/v1/feedback/${c.ref}`)).json().complaint;
  assert.equal(byRef.answer, '已安排维修，三日内修复。\n感谢监督。');
  assert.equal(byRef.answered_by, undefined, 'who answered is for admins');
  assert.equal(await q(`SELECT actor || '|' || after_json || '|' || coalesce(before_json, '') FROM audit_event WHERE action = 'complaint.answer' AND object_id = ${c.id}`),
    'admin|{"answer":"已安排维修，三日内修复。\\n感谢监督。"}|');
  // A revision names the answer it replaces; audited with both; notified again.
  const rev = await api(srv, admin, 'POST', `/api/v1/feedback/${c.id}/answer`, { answer: '已修复。', answered_at: a.answered_at });
  assert.equal(rev.status, 200, rev.text);
  assert.ok(rev.json().complaint.answered_at > a.answered_at, 'each answer has a later time, even within one second');
  const audits = await q(`SELECT count(*) FROM audit_event WHERE action = 'complaint.answer' AND object_id = ${c.id}`);
  assert.equal(audits, '2');
  assert.match(await q(`SELECT before_json FROM audit_event WHERE action = 'complaint.answer' AND object_id = ${c.id} ORDER BY id DESC LIMIT 1`), /三日内修复/);
  assert.equal(await q(`SELECT title FROM notification WHERE user_id = ${cadreId} AND object_id = ${c.id} ORDER BY id DESC LIMIT 1`), '您的投诉的答复已更新');
  // A resident's complaint is answered too; nobody to notify.
  const res = await submitAnon(freshAddr());
  const resId = +(await q(`SELECT id FROM complaint WHERE ref = '${res.ref}'`));
  const notes = await q('SELECT count(*) FROM notification');
  assert.equal((await api(srv, admin, 'POST', `/api/v1/feedback/${resId}/answer`, { answer: '收到，已转交。' })).status, 200);
  assert.equal(await q('SELECT count(*) FROM notification'), notes);
  assert.equal((await get(srv, `/api/v1/feedback/${res.ref}`)).json().complaint.answer, '收到，已转交。');
});

test('the answer page: an admin answers through the form; a blank answer is shown again beside the field', async () => {
  const c = (await api(srv, cadre, 'POST', '/api/v1/feedback', { ...GOOD, subject: '页面答复 <i>x</i>' })).json().complaint;
  const p = await page(srv, admin, `/admin/feedback/${c.id}`);
  assert.equal(p.status, 200);
  validHtml(p.text);
  assert.match(p.text, /页面答复 &lt;i&gt;x&lt;\/i&gt;/);
  assert.match(p.text, /name="answered_at" value="0"/);
  const bad = await form(srv, admin, `/admin/feedback/${c.id}`, { answer: ' ', answered_at: '0' });
  assert.equal(bad.status, 400);
  validHtml(bad.text);
  assert.match(bad.text, /<textarea name="answer"[^>]*aria-invalid="true"[^>]*>\n? <\/textarea>/);
  assert.equal(await q(`SELECT coalesce(answered_at, 0) FROM complaint WHERE id = ${c.id}`), '0');
  const ok = await form(srv, admin, `/admin/feedback/${c.id}`, { answer: '已处理。', answered_at: '0' });
  assert.equal(ok.status, 303, ok.text);
  assert.equal(ok.headers.get('location'), `/admin/feedback/${c.id}?answered=1`);
  const after_ = await page(srv, admin, ok.headers.get('location'));
  assert.match(after_.text, /答复已保存/);
  assert.match(after_.text, /修改答复/);
  const at = +(await q(`SELECT answered_at FROM complaint WHERE id = ${c.id}`));
  assert.ok(after_.text.includes(`name="answered_at" value="${at}"`));
});

test('a cadre cannot answer or read the queue (403, logged, nothing changed); anonymous is sent to log in', async () => {
  const c = await submitAnon(freshAddr());
  const id = +(await q(`SELECT id FROM complaint WHERE ref = '${c.ref}'`));
  const row = () => q(`SELECT answer || '|' || coalesce(answered_at, 0) FROM complaint WHERE id = ${id}`);
  const denials = () => q("SELECT count(*) FROM audit_event WHERE action = 'complaint.answer' AND outcome = 'denied'");
  const before_ = [await row(), await denials()];
  const r = await api(srv, cadre, 'POST', `/api/v1/feedback/${id}/answer`, { answer: '我来答复' });
  assert.equal(r.status, 403);
  assert.equal(r.json().error.code, 'forbidden');
  const p = await form(srv, cadre, `/admin/feedback/${id}`, { answer: '我来答复', answered_at: '0' });
  assert.equal(p.status, 403);
  assert.match(p.text, /没有权限/);
  assert.equal(await row(), before_[0]);
  assert.equal(+(await denials()), +before_[1] + 2);
  assert.equal((await api(srv, null, 'POST', `/api/v1/feedback/${id}/answer`, { answer: '匿名答复' })).status, 401);
  for (const path of ['/admin/feedback', `/admin/feedback/${id}`, '/api/v1/admin/feedback', `/api/v1/admin/feedback/${id}`])
    assert.equal((await page(srv, cadre, path)).status, 403, path);
  assert.equal((await get(srv, '/admin/feedback')).status, 303);
  assert.equal(await row(), before_[0]);
  // Only admins see the queue link.
  assert.match((await page(srv, admin, '/')).text, /href="\/admin\/feedback">投诉建议处理</);
  assert.doesNotMatch((await page(srv, cadre, '/')).text, /投诉建议处理/);
  // No such complaint.
  assert.equal((await api(srv, admin, 'POST', '/api/v1/feedback/999999/answer', { answer: '不存在的' })).status, 404);
  assert.equal((await page(srv, admin, '/admin/feedback/999999')).status, 404);
});

test('two admins answering at once: one 200, one 409; a stale revision is refused and the page shows the answer that won', async () => {
  for (let round = 0; round < 5; round++) {
    const c = (await api(srv, cadre, 'POST', '/api/v1/feedback', { ...GOOD, subject: `并发${round}` })).json().complaint;
    const [x, y] = await Promise.all([
      api(srv, admin, 'POST', `/api/v1/feedback/${c.id}/answer`, { answer: `甲的答复${round}`, answered_at: 0 }),
      api(srv, admin2, 'POST', `/api/v1/feedback/${c.id}/answer`, { answer: `乙的答复${round}`, answered_at: 0 }),
    ]);
    assert.deepEqual([x.status, y.status].sort(), [200, 409], `${x.text} ${y.text}`);
    const won = x.status === 200 ? x : y, lost = x.status === 200 ? y : x;
    assert.equal(lost.json().error.code, 'answer_changed');
    assert.equal(await q(`SELECT answer FROM complaint WHERE id = ${c.id}`), won.json().complaint.answer);
    assert.equal(await q(`SELECT count(*) FROM audit_event WHERE action = 'complaint.answer' AND object_id = ${c.id} AND outcome = 'ok'`), '1');
  }
  // A revision from a form loaded before the last answer.
  const c = (await api(srv, cadre, 'POST', '/api/v1/feedback', { ...GOOD, subject: '过期的表单' })).json().complaint;
  const first = (await api(srv, admin, 'POST', `/api/v1/feedback/${c.id}/answer`, { answer: '第一版' })).json().complaint;
  const second = await api(srv, admin2, 'POST', `/api/v1/feedback/${c.id}/answer`, { answer: '第二版', answered_at: first.answered_at });
  assert.equal(second.status, 200);
  const stale = await form(srv, admin, `/admin/feedback/${c.id}`, { answer: '基于第一版的修改', answered_at: String(first.answered_at) });
  assert.equal(stale.status, 409);
  validHtml(stale.text);
  assert.match(stale.text, /刚刚已被答复或修改了答复/);
  assert.match(stale.text, /<p>第二版<\/p>/, 'the answer that won is shown');
  assert.match(stale.text, />\n?基于第一版的修改<\/textarea>/, 'what was typed is kept');
  assert.ok(stale.text.includes(`name="answered_at" value="${second.json().complaint.answered_at}"`), 'the form now names the new answer');
  assert.equal(await q(`SELECT answer FROM complaint WHERE id = ${c.id}`), '第二版');
  // Without naming the answer seen, an answered complaint is not overwritten.
  assert.equal((await api(srv, admin, 'POST', `/api/v1/feedback/${c.id}/answer`, { answer: '盲目覆盖' })).status, 409);
  assert.equal(await q(`SELECT answer FROM complaint WHERE id = ${c.id}`), '第二版');
});

test('the queue: open ones first, longest waiting first, counts by state, filters; the admin sees the contact', async () => {
  // More than a page of them.
  while (+(await q('SELECT count(*) FROM complaint')) <= 60)
    assert.equal((await api(srv, admin, 'POST', '/api/v1/feedback', { ...GOOD, subject: '凑满一页' })).status, 201);
  const open = (await api(srv, admin, 'GET', '/api/v1/admin/feedback?state=open')).json();
  assert.ok(open.items.length > 0);
  assert.ok(open.items.every((x) => x.state === 'open'));
  assert.deepEqual(open.items.map((x) => x.id), [...open.items.map((x) => x.id)].sort((a, b) => a - b), 'longest waiting first');
  const answered = (await api(srv, admin, 'GET', '/api/v1/admin/feedback?state=answered')).json();
  assert.ok(answered.items.every((x) => x.state === 'answered'));
  const counts = (await q("SELECT sum(CASE WHEN answered_at IS NULL THEN 1 ELSE 0 END) || '|' || count(*) FROM complaint")).split('|').map(Number);
  assert.equal(open.open, counts[0]);
  assert.equal(open.answered, counts[1] - counts[0]);
  const all = (await api(srv, admin, 'GET', '/api/v1/admin/feedback')).json();
  const states = all.items.concat((await api(srv, admin, 'GET', '/api/v1/admin/feedback?page=2')).json().items).map((x) => x.state);
  assert.ok(states.includes('answered'));
  assert.ok(states.lastIndexOf('open') < states.indexOf('answered'), 'open ones first');
  assert.equal(all.items.length, 50);
  assert.equal(all.more, true);
  const p2 = (await api(srv, admin, 'GET', '/api/v1/admin/feedback?page=2')).json();
  assert.ok(p2.items.length > 0 && !p2.items.some((x) => all.items.some((y) => y.id === x.id)), 'page 2 is the next ones');
  const withContact = all.items.concat(p2.items).find((x) => x.contact === '13800001111');
  assert.ok(withContact, 'the admin sees the contact');
  assert.equal(withContact.name, '张大爷');
  assert.equal((await api(srv, admin, 'GET', '/api/v1/admin/feedback?state=closed')).status, 400);
  assert.equal((await api(srv, admin, 'GET', '/api/v1/admin/feedback?page=0')).status, 400);
  const html = await page(srv, admin, '/admin/feedback?state=open');
  assert.equal(html.status, 200);
  validHtml(html.text);
  assert.match(html.text, new RegExp(`aria-current="page"><strong>待答复（${counts[0]}）`));
  const item = await page(srv, admin, `/admin/feedback/${withContact.id}`);
  assert.match(item.text, /13800001111/);
  assert.match(item.text, /张大爷（居民）/);
});

test('cross-site posts are refused and store nothing; every page has the footer link', async () => {
  const before_ = await stored();
  const evil = { Origin: 'http://evil.example' };
  const p = await anonForm('/feedback', GOOD, freshAddr(), evil);
  assert.equal(p.status, 403);
  assert.match(p.text, /请求来自其他网站/);
  const a = await anonApi('POST', '/api/v1/feedback', GOOD, freshAddr(), evil);
  assert.equal(a.status, 403);
  assert.equal(a.json().error.code, 'bad_origin');
  const ref = await anonForm('/feedback', GOOD, freshAddr(), { Referer: 'https://evil.example/form.html' });
  assert.equal(ref.status, 403);
  const sameSite = await anonForm('/feedback', GOOD, freshAddr(), { Origin: srv.url });
  assert.equal(sameSite.status, 303, 'our own page is fine');
  const after_ = await stored();
  assert.equal(+after_.complaints, +before_.complaints + 1);
  for (const path of ['/', '/stats', '/login', '/feedback', '/feedback/lookup', '/admin/nothing-here'])
    assert.match((await get(srv, path)).text, /<footer[^>]*>.*<a href="\/feedback">投诉建议<\/a>/s, path);
});
