// The person picker on the user forms, as a browser without scripts uses
// it: its 查找 button is a GET form that re-renders the page with the people
// found as radio buttons named person; choosing one and saving links the
// account. A unit liaison's picker offers only its own unit's people.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, validHtml } from './harness.mjs';
import { login, form, page, api, cliToken } from './accounts.mjs';

let srv, admin, unit, adminBearer, seq = 0;
before(async () => {
  srv = await startServer();
  admin = await login(srv, 'admin');
  unit = await login(srv, 'unit');
  adminBearer = { bearer: cliToken(srv, 'admin') };
});
after(async () => { await srv.stop(); });

const radios = (html) => [...html.matchAll(/<input type="radio" name="person" value="(\d*)"( checked)?>/g)]
  .map((m) => ({ id: m[1] === '' ? '' : +m[1], checked: !!m[2] }));

async function mkUser(u = 6) {
  const r = await api(srv, adminBearer, 'POST', '/api/v1/users', { login: `p${++seq}`, role: ['cadre'], unit: u });
  assert.equal(r.status, 201, r.text);
  return r.json().user;
}

test('the create form has a picker whose search is a GET form outside the POST form', async () => {
  const r = await page(srv, admin, '/admin/users');
  assert.equal(r.status, 200);
  validHtml(r.text);
  assert.match(r.text, /<form id="person-search" method="get" action="\/admin\/users#person-picker"><\/form>/);
  const post = r.text.match(/<form class="stack" method="post" action="\/admin\/users">(.*?)<\/form>/s)[1];
  assert.match(post, /<input type="search" name="person_q" form="person-search"/);
  assert.match(post, /<select name="person_unit" form="person-search" data-picker-unit><option value="">全部单位<\/option>/);
  assert.match(post, /<button type="submit" form="person-search">查找<\/button>/);
  assert.deepEqual(radios(post), [{ id: '', checked: true }], 'only "none" before a search');
  assert.match(post, /输入姓名或选择单位，再点“查找”。/);
  assert.doesNotMatch(r.text, /人员编号/, 'no one types an id any more');
  assert.match(r.text, /<script src="\/static\/picker\.js\?v=[0-9a-f]{16}" defer><\/script>/);
  const js = await page(srv, null, '/static/picker.js');
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
});

test('a search re-renders the page with the people found, the name kept in its field', async () => {
  const r = await page(srv, admin, '/admin/users?person_q=%E7%8E%8B%E5%B9%BF&person_unit=');
  assert.equal(r.status, 200);
  validHtml(r.text);
  assert.deepEqual(radios(r.text), [{ id: '', checked: true }, { id: 102, checked: false }]);
  assert.match(r.text, /王广宁 <span class="muted">· 县委宣传部 · 县委宣传部副部长<\/span>/);
  assert.match(r.text, /name="person_q" form="person-search" maxlength="32" autocomplete="off" data-picker-q value="王广"/);
  assert.match(r.text, /找到 1 人。/);
  const none = await page(srv, admin, '/admin/users?person_q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E4%BA%BA');
  assert.match(none.text, /没有找到符合条件的人员。/);
  const many = await page(srv, admin, '/admin/users?person_q=&person_unit=');
  assert.equal(radios(many.text).length, 21, 'none and the first 20');
  assert.match(many.text, /超过 20 人，只列出前 20 人/);
  const unit18 = await page(srv, admin, '/admin/users?person_unit=18');
  assert.match(unit18.text, /<option value="18" selected>县财政局<\/option>/);
  assert.ok(radios(unit18.text).length > 1);
  const bad = await page(srv, admin, `/admin/users?person_q=${'王'.repeat(33)}`);
  assert.equal(bad.status, 400);
  assert.match(bad.text, /person_q/);
});

test('choosing a person found and saving links the account; its unit follows the person', async () => {
  const u = await mkUser(6);
  const p = await page(srv, admin, `/admin/users/${u.id}?person_q=${encodeURIComponent('王兴')}`);
  assert.equal(p.status, 200);
  validHtml(p.text);
  assert.match(p.text, /<form id="person-search" method="get" action="\/admin\/users\/\d+#person-picker"><\/form>/);
  const found = radios(p.text).filter((x) => x.id !== '');
  assert.equal(found.length, 2, 'two people named 王兴');
  const chosen = found[1].id;
  const unitOption = p.text.match(/<select name="unit">(.*?)<\/select>/s)[1];
  assert.match(unitOption, /<option value="6" selected>/, 'an account without a person keeps its unit selected');
  const r = await form(srv, admin, `/admin/users/${u.id}/link`, { person: String(chosen), unit: '' });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const after_ = (await api(srv, adminBearer, 'GET', `/api/v1/users/${u.id}`)).json();
  assert.equal(after_.person_id, chosen);
  assert.equal(after_.person, '王兴');
  assert.notEqual(after_.unit_id, 6);
  // Now linked: the person is shown checked, and the unit reads as the person's.
  const again = await page(srv, admin, `/admin/users/${u.id}`);
  assert.deepEqual(radios(again.text), [{ id: '', checked: false }, { id: chosen, checked: true }]);
  assert.match(again.text, /（当前）/);
  const units = again.text.match(/<select name="unit">(.*?)<\/select>/s)[1];
  assert.match(units, /^<option value="">（无，或所选人员的单位）<\/option>/);
  assert.doesNotMatch(units, / selected/, 'the first option, the person\'s unit, is the one chosen');
  // "不关联人员" unlinks.
  assert.equal((await form(srv, admin, `/admin/users/${u.id}/link`, { person: '', unit: String(after_.unit_id) })).status, 303);
  assert.equal((await api(srv, adminBearer, 'GET', `/api/v1/users/${u.id}`)).json().person_id, null);
});

test('a unit liaison picks only among its own unit, and is refused a search of another', async () => {
  const u = await mkUser(6);
  const p = await page(srv, unit, `/admin/users/${u.id}?person_q=%E7%8E%8B`);
  assert.equal(p.status, 200);
  validHtml(p.text);
  const select = p.text.match(/<select name="person_unit"[^>]*>(.*?)<\/select>/s)[1];
  assert.equal(select, '<option value="6">县委宣传部</option>', 'its own unit only, no "all units"');
  const people = radios(p.text).filter((x) => x.id !== '').map((x) => x.id);
  assert.deepEqual(people, [102], 'the one 王 of 县委宣传部');
  const other = await page(srv, unit, `/admin/users/${u.id}?person_unit=18`);
  assert.equal(other.status, 403);
  const create = await page(srv, unit, '/admin/users?person_q=');
  assert.ok(radios(create.text).length > 1);
  // A leader reads users but manages none: no forms, so no picker.
  const leader = await login(srv, 'leader');
  assert.doesNotMatch((await page(srv, leader, `/admin/users/${u.id}`)).text, /data-picker/);
});

test('the create form posts the person chosen in the picker', async () => {
  const r = await form(srv, admin, '/admin/users', [['person', '102'], ['unit', ''], ['login', `made${++seq}`], ['role', 'cadre']]);
  assert.equal(r.status, 201, r.text.slice(0, 300));
  const u = (await api(srv, adminBearer, 'GET', '/api/v1/users')).json().items.find((x) => x.login === `made${seq}`);
  assert.deepEqual([u.person_id, u.unit_id], [102, 6]);
});
