// bulletin.test.mjs - the bulletin (简报) and the year's report (年度汇报材料)
// on the demo (both stores): issuing through the API and the form, the
// frozen figures equal to /api/v1/stats at the moment of issue and unchanged
// afterwards, the .docx opened with python-docx, who may read and issue,
// and two issues at the same moment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, validHtml, sql } from './harness.mjs';
import { login, api, form, page } from './accounts.mjs';

let srv, admin, leader, cadre;

before(async () => {
  srv = await startServer();
  admin = await login(srv, 'admin');
  leader = await login(srv, 'leader');
  cadre = await login(srv, 'cadre');
});
after(async () => srv && (await srv.stop()));

// The document at path read by python-docx: its paragraphs (text, style)
// and tables (rows of cell texts).
const READER = `
import docx, json, sys
d = docx.Document(sys.argv[1])
print(json.dumps({
  "paragraphs": [{"text": p.text, "style": p.style.name} for p in d.paragraphs],
  "tables": [[[c.text for c in row.cells] for row in t.rows] for t in d.tables],
  "title": d.core_properties.title,
}, ensure_ascii=False))
`;

async function fetchDocx(sess, path) {
  const r = await fetch(srv.url + path, { headers: { Cookie: sess.cookie } });
  const bytes = Buffer.from(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, bytes };
}

function readDocx(bytes, name) {
  const file = join(srv.dir, name);
  writeFileSync(file, bytes);
  const r = spawnSync('/usr/bin/python3', ['-c', READER, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, `python-docx could not open ${name}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const row = (tables, first) => tables.flat().find((r) => r[0] === first);

const PERIOD = { period_from: '2022-07-01', period_to: '2022-08-31', issued_on: '2022-09-01' };

test('a bulletin issued through the API freezes the figures /api/v1/stats gives for its batch at that moment', async () => {
  const stats = (await api(srv, admin, 'GET', '/api/v1/stats?batch=1')).json();
  const r = await api(srv, admin, 'POST', '/api/v1/bulletins', {
    ...PERIOD, batch: 1, highlights: [{ claim: 30 }, { text: '城区缆线整治 & <经验> “14 家单位”' }],
  });
  assert.equal(r.status, 201, r.text);
  const b = r.json().bulletin;
  assert.equal(b.n, 1);
  assert.equal(b.office, '中共滦南县委组织部');
  assert.deepEqual(b.batch, { id: 1, name: stats.batch.name });
  for (const k of ['problems', 'claimed', 'solved', 'accepted', 'promotions'])
    assert.equal(b.figures[k], stats[k], k);
  assert.equal(b.figures.overdue, stats.lights.red);
  assert.equal(b.figures.unreported, stats.lights.unreported);
  assert.equal(b.figures.problems, 104);
  assert.equal(b.figures.claimed, 86);
  const cats = Object.fromEntries(b.figures.by_category.map((c) => [c.name, c.claimed]));
  assert.deepEqual(cats, stats.claimed_by_category);
  assert.equal(b.highlights.length, 2);
  assert.match(b.highlights[0].text, /^城区空中缆线专项整治工作（县委宣传部）：/);
  assert.equal(b.highlights[0].claim, 30);
  assert.equal(b.highlights[1].claim, null);
  const audit = sql(srv.store, "SELECT count(*) FROM audit_event WHERE action = 'bulletin.issue' AND object_id = 1").trim();
  assert.equal(audit, '1');
});

test('the bulletin .docx opens with python-docx: masthead, 第 N 期, the figures in a table, the highlights', async () => {
  const r = await fetchDocx(admin, '/api/v1/bulletins/1.docx');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /wordprocessingml\.document/);
  const cd = r.headers.get('content-disposition');
  assert.match(cd, /^attachment; filename="[ -~]*\.docx"; filename\*=UTF-8''/);
  assert.ok(decodeURIComponent(cd.split("UTF-8''")[1]) === '简报第1期.docx', cd);
  const d = readDocx(r.bytes, 'b1.docx');
  const texts = d.paragraphs.map((p) => p.text);
  assert.equal(texts[0], '揭榜挂帅工作简报');
  assert.equal(d.paragraphs[0].style, 'Title');
  assert.ok(texts.includes('第 1 期'));
  assert.ok(texts.some((t) => t.startsWith('中共滦南县委组织部') && t.endsWith('2022年9月1日')));
  assert.ok(d.paragraphs.some((p) => p.style === 'Heading 1' && p.text === '四、工作亮点'));
  assert.deepEqual(d.tables[0][0], ['项目', '数量', '比上期']);
  assert.deepEqual(row(d.tables, '累计揭榜'), ['累计揭榜', '86', '—']);
  assert.deepEqual(row(d.tables, '榜单难题'), ['榜单难题', '104', '—']);
  assert.ok(texts.some((t) => t.startsWith('1. 城区空中缆线专项整治工作（县委宣传部）')));
  assert.ok(texts.includes('2. 城区缆线整治 & <经验> “14 家单位”'), 'the text survives XML escaping');
});

test('a bulletin keeps its figures when the data changes later; the next issue shows the change', async () => {
  const before = (await api(srv, admin, 'GET', '/api/v1/bulletins/1')).json().bulletin.figures;
  const id = sql(srv.store, "SELECT min(id) FROM problem WHERE batch_id = 1 AND state = 'published'").trim();
  sql(srv.store, `UPDATE problem SET state = 'claimed' WHERE id = ${id}`);
  const stats = (await api(srv, admin, 'GET', '/api/v1/stats?batch=1')).json();
  assert.equal(stats.claimed, 87);
  const again = (await api(srv, admin, 'GET', '/api/v1/bulletins/1')).json().bulletin.figures;
  assert.deepEqual(again, before);
  const r = await api(srv, admin, 'POST', '/api/v1/bulletins', { ...PERIOD, batch: 1 });
  assert.equal(r.status, 201, r.text);
  const n = r.json().bulletin.n;
  assert.equal(r.json().bulletin.figures.claimed, 87);
  const html = (await page(srv, admin, `/bulletins/${n}`)).text;
  assert.match(html, /<th scope="row"[^>]*>累计揭榜<\/th>\s*<td[^>]*>87<\/td>\s*<td[^>]*>\+1<\/td>/);
  sql(srv.store, `UPDATE problem SET state = 'published' WHERE id = ${id}`);
});

test('an admin issues a bulletin through the form; the print page has the masthead and is valid HTML', async () => {
  const f = await page(srv, admin, '/bulletins/new?period_from=2022-07-01&period_to=2022-08-31&batch=1');
  assert.equal(f.status, 200);
  validHtml(f.text);
  assert.match(f.text, /name="highlights\.0\.claim" value="\d+"/);
  assert.match(f.text, /value="中共滦南县委组织部"/);
  const r = await form(srv, admin, '/bulletins', { ...PERIOD, batch: '1', office: '滦南县“百名干部破百题”专项行动办公室',
    'highlights.0.claim': '30', 'highlights.5.text': '本期新增破题 2 个' });
  assert.equal(r.status, 303, r.text);
  const n = Number(r.headers.get('location').match(/\/bulletins\/(\d+)$/)[1]);
  const p = await page(srv, admin, `/bulletins/${n}`);
  assert.equal(p.status, 200);
  validHtml(p.text);
  assert.match(p.text, /<h1 class="masthead">揭榜挂帅工作简报<\/h1>/);
  assert.match(p.text, new RegExp(`第 ${n} 期`));
  assert.match(p.text, /滦南县“百名干部破百题”专项行动办公室/);
  assert.match(p.text, /本期新增破题 2 个/);
  const list = await page(srv, admin, '/bulletins');
  validHtml(list.text);
  assert.match(list.text, new RegExp(`/bulletins/${n}\\.docx`));
});

test('bad input is refused beside its field with what was typed kept, and nothing is written', async () => {
  const count = () => sql(srv.store, 'SELECT count(*) FROM bulletin').trim();
  const was = count();
  const r = await form(srv, admin, '/bulletins', { period_from: '2022-08-31', period_to: '2022-07-01', batch: '1',
    office: '办公室<x>' });
  assert.equal(r.status, 400);
  validHtml(r.text);
  assert.match(r.text, /统计截止日期不能早于起始日期/);
  assert.match(r.text, /value="2022-08-31"/);
  assert.match(r.text, /value="办公室&lt;x&gt;"/);
  const j = await api(srv, admin, 'POST', '/api/v1/bulletins', { period_from: '2022-13-01', period_to: '2022-08-01',
    batch: 999, highlights: [{ claim: 999999 }] });
  assert.equal(j.status, 400);
  const e = j.json().error;
  const fields = [e.field, ...(e.fields ?? e.errors ?? []).map((x) => x.field)];
  assert.ok(fields.includes('period_from'), j.text);
  const k = await api(srv, admin, 'POST', '/api/v1/bulletins', { ...PERIOD, batch: 999 });
  assert.equal(k.status, 400);
  const m = await api(srv, admin, 'POST', '/api/v1/bulletins', { ...PERIOD, highlights: [{ claim: 999999 }] });
  assert.equal(m.status, 400);
  assert.match(m.text, /999999/);
  assert.equal(count(), was);
  assert.equal((await page(srv, admin, '/bulletins/abc')).status, 400);
  assert.equal((await page(srv, admin, '/bulletins/999.docx')).status, 404);
});

test('who may: leaders read but cannot issue, cadres cannot read, anonymous must log in', async () => {
  assert.equal((await page(srv, leader, '/api/v1/bulletins')).status, 200);
  assert.equal((await page(srv, leader, '/bulletins/1')).status, 200);
  assert.equal((await fetchDocx(leader, '/bulletins/1.docx')).status, 200);
  assert.equal((await api(srv, leader, 'POST', '/api/v1/bulletins', PERIOD)).status, 403);
  assert.equal((await form(srv, leader, '/bulletins', PERIOD)).status, 403);
  assert.equal((await page(srv, leader, '/bulletins/new')).status, 403);
  assert.equal((await page(srv, cadre, '/api/v1/bulletins')).status, 403);
  assert.equal((await page(srv, cadre, '/bulletins/1')).status, 403);
  assert.equal((await fetchDocx(cadre, '/api/v1/batches/1/report.docx')).status, 403);
  assert.equal((await page(srv, cadre, '/batches/1/report')).status, 403);
  assert.equal((await page(srv, null, '/api/v1/bulletins')).status, 401);
  assert.equal((await page(srv, null, '/api/v1/batches/1/report.docx')).status, 401);
  const anon = await page(srv, null, '/bulletins');
  assert.equal(anon.status, 303);
  assert.match(anon.headers.get('location'), /\/login/);
  assert.equal((await api(srv, null, 'POST', '/api/v1/bulletins', PERIOD)).status, 401);
});

test('two bulletins issued at the same moment get distinct numbers', async () => {
  const rs = await Promise.all([1, 2, 3].map(() => api(srv, admin, 'POST', '/api/v1/bulletins', PERIOD)));
  const ns = rs.map((r) => (assert.equal(r.status, 201, r.text), r.json().bulletin.n));
  assert.equal(new Set(ns).size, 3);
  const all = (await api(srv, admin, 'GET', '/api/v1/bulletins')).json().items.map((b) => b.n);
  assert.deepEqual(all, [...all].sort((a, b) => b - a));
  assert.equal(new Set(all).size, all.length);
});

test('the year report of the 2022 batch: 104 problems, 86 claimed, the categories, 6 promotions and the named cases', async () => {
  const h = await page(srv, leader, '/batches/1/report');
  assert.equal(h.status, 200);
  validHtml(h.text);
  const r = await fetchDocx(leader, '/api/v1/batches/1/report.docx');
  assert.equal(r.status, 200);
  const d = readDocx(r.bytes, 'report.docx');
  const texts = d.paragraphs.map((p) => p.text).join('\n');
  assert.match(texts, /滦南县“揭榜挂帅”工作情况汇报/);
  assert.match(texts, /榜单共 8 大类 104 个难题/);
  assert.match(texts, /62 个县直单位、17 个镇街共 209 名科级干部、43 名股级以下干部揭榜，揭榜破题项目 86 个/);
  assert.match(texts, /项目建设类项目 28 个，城市建设类项目 9 个，乡村振兴类项目 16 个/);
  assert.match(texts, /已有 6 名干部被提拔使用或进一步使用/);
  assert.deepEqual(row(d.tables, '项目建设类'), ['项目建设类', '32', '28', row(d.tables, '项目建设类')[3]]);
  assert.deepEqual(row(d.tables, '合计').slice(0, 3), ['合计', '104', '86']);
  assert.ok(d.paragraphs.some((p) => p.style === 'Heading 2' && p.text.includes('城区空中缆线专项整治工作')));
  assert.deepEqual(row(d.tables, '整治问题线缆').slice(1), ['320,000 米', '320,000 米']);
  assert.ok(row(d.tables, '清除废弃线杆'), 'the poles');
  const promoted = d.tables.find((t) => t[0][0] === '姓名');
  assert.equal(promoted.length, 1 + 6);
  assert.ok(row(d.tables, '专项债券发行')?.[2].startsWith('¥164,000,000'), 'the bonds in yuan');
});
