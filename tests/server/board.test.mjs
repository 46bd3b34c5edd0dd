// The board: page and API, filters, Chinese search, sort, pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, validHtml } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const api = async (q) => {
  const r = await get(srv, '/api/v1/problems' + q);
  assert.equal(r.status, 200, r.text);
  return r.json();
};

test('the board page lists the published problems, 20 a page, as valid HTML', async () => {
  const r = await get(srv, '/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
  validHtml(r.text);
  assert.match(r.text, /共 <strong>104<\/strong> 项难题/);
  assert.equal((r.text.match(/<tr><td>\d+<\/td>/g) || []).length, 20);
  assert.match(r.text, /rel="next" href="\/\?page=2"/);
});

test('the API pages the board with a total', async () => {
  const p1 = await api('?per_page=50');
  assert.equal(p1.total, 104);
  assert.equal(p1.items.length, 50);
  const p3 = await api('?per_page=50&page=3');
  assert.equal(p3.items.length, 4);
  const ids = new Set([...p1.items, ...(await api('?per_page=50&page=2')).items, ...p3.items].map((i) => i.id));
  assert.equal(ids.size, 104);
  const beyond = await api('?page=99');
  assert.equal(beyond.items.length, 0);
  assert.equal(beyond.total, 104);
});

test('filters by category name or id, state and claiming unit kind', async () => {
  assert.equal((await api('?category=' + encodeURIComponent('项目建设类') + '&state=solved&per_page=100')).items
    .every((i) => i.category === '项目建设类' && i.state === 'solved'), true);
  const claimedInProject = await api('?category=' + encodeURIComponent('项目建设类') + '&per_page=100');
  assert.equal(claimedInProject.items.filter((i) => i.state !== 'published').length, 28);
  const c1 = await api('?category=1');
  assert.equal(c1.total, claimedInProject.total);
  const published = await api('?state=published');
  assert.equal(published.total, 18);
  const towns = await api('?unit_kind=town&per_page=100');
  assert.ok(towns.total >= 17);
  assert.ok(towns.items.every((i) => i.claim_unit_kind === 'town'));
  const depts = await api('?unit_kind=county_dept');
  assert.equal(depts.total + towns.total, 86);
  assert.equal((await api('?batch=1')).total, 104);
});

test('search finds the cable case by a 2-character query and by longer ones', async () => {
  for (const q of ['缆线', '空中缆线', '城区空中缆线专项整治工作']) {
    const r = await api('?q=' + encodeURIComponent(q));
    assert.ok(r.items.some((i) => i.title === '城区空中缆线专项整治工作'), q);
    assert.ok(r.total >= 1);
  }
  const none = await api('?q=' + encodeURIComponent('不存在的词语组合'));
  assert.equal(none.total, 0);
  const one = await api('?q=' + encodeURIComponent('缆'));
  assert.ok(one.items.some((i) => i.title === '城区空中缆线专项整治工作'));
  const relocation = await api('?q=' + encodeURIComponent('搬迁'));
  assert.ok(relocation.items.some((i) => i.title === '东张士坎南区征收搬迁'));
});

test('every search result really contains the query in its title or description', async () => {
  for (const q of ['缆线', '整治', '资金', '项目建设']) {
    const r = await api('?per_page=100&q=' + encodeURIComponent(q));
    assert.ok(r.total > 0, q);
    for (const item of r.items) {
      const d = (await get(srv, '/api/v1/problems/' + item.id)).json();
      assert.ok((d.title + ' ' + d.description).includes(q), `${q} in problem ${item.id}`);
    }
  }
  const wildcard = await api('?q=' + encodeURIComponent('%'));
  const under = await api('?q=_');
  assert.equal(wildcard.total, 0, 'LIKE wildcards are escaped');
  assert.equal(under.total, 0);
});

test('the search box keeps the query and the board page escapes it', async () => {
  const hostile = '"><script>alert(1)</script>';
  const r = await get(srv, '/?q=' + encodeURIComponent(hostile));
  assert.equal(r.status, 200);
  validHtml(r.text);
  assert.ok(!r.text.includes('<script>alert(1)'));
  assert.match(r.text, /&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
});

test('sort by last update and by category', async () => {
  const upd = (await api('?sort=updated&per_page=100')).items;
  for (let i = 1; i < upd.length; i++) assert.ok(upd[i - 1].updated_at >= upd[i].updated_at);
  const cat = (await api('?sort=category&per_page=100')).items;
  assert.equal(cat[0].category, '项目建设类');
  assert.equal(cat[cat.length - 1].category, '其他');
});

test('bad board parameters are 400 with the parameter named', async () => {
  const cases = {
    page: ['abc', '-1', '0', '99999999999999999999'],
    per_page: ['0', '101', 'x'],
    category: ['不存在的类别', '999'],
    state: ['bogus', 'proposed'],
    unit_kind: ['planet'],
    batch: ['1.5'],
    sort: ['random'],
  };
  for (const [field, values] of Object.entries(cases)) {
    for (const v of values) {
      if (!(field === 'state' && v === 'proposed')) { // the API's queue, below
        const r = await get(srv, `/api/v1/problems?${field}=${encodeURIComponent(v)}`);
        assert.equal(r.status, 400, `${field}=${v}`);
        const e = r.json().error;
        assert.equal(e.field, field);
        assert.ok(e.message.length > 0);
      }
      const p = await get(srv, `/?${field}=${encodeURIComponent(v)}`);
      assert.equal(p.status, 400, `page ${field}=${v}`);
      validHtml(p.text);
    }
  }
  // The API names internal states the screeners' queue: signed-in screeners only.
  const internal = await get(srv, '/api/v1/problems?state=proposed');
  assert.equal(internal.status, 401);
  assert.equal(internal.json().error.code, 'unauthenticated');
  const long = await get(srv, '/api/v1/problems?q=' + encodeURIComponent('长'.repeat(65)));
  assert.equal(long.status, 400);
  assert.equal(long.json().error.field, 'q');
});
