// Board search by several terms and by names (issue 8 §3): every
// space-separated term must match (AND), anywhere in a problem's title,
// description or the names of its counted claim's unit, lead and owner; the
// page (/?q=) and the API (/api/v1/problems?q=) give the same answers, and
// both equal what an oracle computes from the problems' own details.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, validHtml } from './harness.mjs';

let srv;
const problems = new Map(); // id -> { title, text } (text: what search reads, ASCII folded)
const CABLE = '城区空中缆线专项整治工作';

const fold = (s) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
const termsOf = (q) => fold(q).split(/[ \t\r\n\v\f\u3000]+/).filter((t) => t);

before(async () => {
  srv = await startServer();
  const all = (await get(srv, '/api/v1/problems?per_page=100')).json();
  const more = (await get(srv, '/api/v1/problems?per_page=100&page=2')).json();
  for (const item of [...all.items, ...more.items]) {
    const p = (await get(srv, '/api/v1/problems/' + item.id)).json();
    const names = p.claim ? [p.claim.unit, p.claim.lead, p.claim.owner] : [];
    problems.set(p.id, { ...p, text: fold([p.title, p.description, ...names].join('\n')) });
  }
  assert.equal(problems.size, 104);
});
after(async () => { await srv.stop(); });

const cable = () => [...problems.values()].find((p) => p.title === CABLE);

// The ids every term of q is found in, by the oracle.
function expected(q) {
  const terms = termsOf(q);
  return [...problems.values()].filter((p) => terms.every((t) => p.text.includes(t))).map((p) => p.id).sort((a, b) => a - b);
}

// The ids the API and the page find for q; they must agree, ids and total.
async function search(q) {
  const enc = encodeURIComponent(q);
  const r = await get(srv, `/api/v1/problems?per_page=100&q=${enc}`);
  assert.equal(r.status, 200, r.text);
  const body = r.json();
  const ids = body.items.map((i) => i.id);
  if (body.total > 100) ids.push(...(await get(srv, `/api/v1/problems?per_page=100&page=2&q=${enc}`)).json().items.map((i) => i.id));
  assert.equal(ids.length, body.total, `q=${q}: the total counts the items`);
  const page = await get(srv, `/?per_page=100&q=${enc}`);
  assert.equal(page.status, 200);
  const pageIds = [...page.text.matchAll(/<tr><td[^>]*>(\d+)<\/td>/g)].map((m) => Number(m[1]));
  assert.deepEqual(pageIds, ids.slice(0, 100), `q=${q}: the page lists what the API lists`);
  assert.match(page.text, new RegExp(`共 <strong>${body.total}</strong> 项难题`), `q=${q}: the page's total`);
  return ids.sort((a, b) => a - b);
}

async function searchIsExact(q) {
  const ids = await search(q);
  assert.deepEqual(ids, expected(q), `q=${q}`);
  return ids;
}

test('the lead\'s name finds the cable case and every other problem that leader leads', async () => {
  const c = cable();
  const ids = await searchIsExact(c.claim.lead);
  assert.ok(ids.includes(c.id));
  const led = [...problems.values()].filter((p) => p.claim && p.claim.lead === c.claim.lead).map((p) => p.id);
  assert.ok(led.length > 1, 'the demo has a leader with several claims');
  for (const id of led) assert.ok(ids.includes(id), `problem ${id} led by ${c.claim.lead}`);
});

test('the owner\'s name finds the cable case', async () => {
  const c = cable();
  const ids = await searchIsExact(c.claim.owner);
  assert.ok(ids.includes(c.id));
  assert.ok(!c.title.includes(c.claim.owner) && !c.description.includes(c.claim.owner), 'found by the name alone');
});

test('the claiming unit\'s name finds its problems, and a rejected applicant\'s does not', async () => {
  const c = cable();
  assert.equal(c.claim.unit, '县委宣传部');
  const ids = await searchIsExact('县委宣传部');
  assert.ok(ids.includes(c.id));
  for (const p of problems.values())
    if (p.claim && p.claim.unit === '县委宣传部') assert.ok(ids.includes(p.id), `problem ${p.id}`);
  // 县供销合作社联合社 applied for the cold-chain problem and was not chosen.
  const cold = [...problems.values()].find((p) => p.title === '设施农业冷链仓储不足，农产品错季销售难');
  assert.ok(cold && cold.claim && cold.claim.unit !== '县供销合作社联合社');
  assert.ok(!(await searchIsExact('县供销合作社联合社')).includes(cold.id));
});

test('two terms must both match: 缆线 整治 narrows 缆线 and 整治 to the problems with both', async () => {
  const both = await searchIsExact('缆线 整治');
  const cables = await searchIsExact('缆线');
  const fixes = await searchIsExact('整治');
  assert.ok(both.includes(cable().id));
  assert.ok(both.length < fixes.length, 'fewer than 整治 alone');
  assert.ok(both.length <= cables.length);
  for (const id of both) {
    const t = problems.get(id).text;
    assert.ok(t.includes('缆线') && t.includes('整治'), `problem ${id} has both terms`);
  }
  const onlyOne = fixes.filter((id) => !problems.get(id).text.includes('缆线'));
  assert.ok(onlyOne.length > 0, 'some problem has 整治 and not 缆线');
  for (const id of onlyOne) assert.ok(!both.includes(id), `problem ${id} has one term only`);
  assert.deepEqual(await search('整治 缆线'), both, 'in either order');
});

test('a full-width space, tabs and repeated blanks separate terms as an ASCII space does', async () => {
  const both = await search('缆线 整治');
  assert.ok(both.length > 0);
  for (const q of ['缆线\u3000整治', '\u3000缆线\u3000\u3000整治\u3000', '缆线\t整治', '  缆线   整治 '])
    assert.deepEqual(await search(q), both, JSON.stringify(q));
  const page = await get(srv, '/?q=' + encodeURIComponent('缆线\u3000整治'));
  validHtml(page.text);
  assert.match(page.text, /搜索“缆线\u3000整治”/, 'the query is shown as typed');
});

test('a name and a word together, three terms, and one-character terms', async () => {
  const c = cable();
  assert.ok((await searchIsExact(`${c.claim.lead} 整治`)).includes(c.id));
  assert.deepEqual(await searchIsExact(`${c.claim.owner} 缆线 宣传部`), [c.id]);
  await searchIsExact('项目 资金 专项');
  await searchIsExact('县 整治');
  await searchIsExact('缆 治');
});

test('a term that matches nothing gives nothing, whatever the others match', async () => {
  for (const q of ['不存在的词', '缆线 不存在的词', '不存在的词 缆线', '缆线 整治 不存在', '缆线 %', '缆线 _']) {
    assert.deepEqual(await search(q), [], q);
  }
});

test('every name of every counted claim is found, as the oracle says', async () => {
  const names = new Set();
  for (const p of problems.values())
    if (p.claim) for (const n of [p.claim.unit, p.claim.lead, p.claim.owner]) names.add(n);
  assert.ok(names.size > 50);
  for (const n of names) {
    const ids = await searchIsExact(n);
    assert.ok(ids.length > 0, n);
  }
});

test('odd queries are answered, never a crash: escapes, many terms, blanks only', async () => {
  for (const q of ['\\', '\\\\ %', '%_ _%', 'a '.repeat(32), 'A a A', '缆 '.repeat(32)])
    assert.equal((await get(srv, '/api/v1/problems?q=' + encodeURIComponent(q))).status, 200, q);
  // repeated terms count once; eight different ones are refused (below)
  assert.equal((await get(srv, '/api/v1/problems?q=' + encodeURIComponent('一 二 三 四 五 六 七 八'))).status, 400);
  await searchIsExact('A a A');
  await searchIsExact('缆 '.repeat(32));
  assert.deepEqual(await search('\\'), []);
  // Blanks only are no search: the whole board.
  const all = (await get(srv, '/api/v1/problems?q=' + encodeURIComponent('\u3000'.repeat(64)))).json();
  assert.equal(all.total, 104);
});

test('more than five terms are refused beside the search field, on the page and the API', async () => {
  const q = encodeURIComponent('缆线 整治 城区 道路 管网 电梯');
  const api = await fetch(`${srv.url}/api/v1/problems?q=${q}`);
  assert.equal(api.status, 400);
  const e = (await api.json()).error;
  assert.equal(e.field, 'q');
  assert.match(e.message, /搜索词最多 5 个/);
  assert.equal((await fetch(`${srv.url}/?q=${q}`)).status, 400);
  assert.equal((await fetch(`${srv.url}/api/v1/problems?q=${encodeURIComponent('缆线 整治 城区 道路 管网')}`)).status, 200);
});
