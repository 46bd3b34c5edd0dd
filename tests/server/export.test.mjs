// export.test.mjs - every list exported as XLSX and CSV on the demo, read
// back (XLSX by /usr/bin/python3 + openpyxl, CSV with its BOM): header,
// frozen pane, autofilter, cell types, formula neutralisation, row counts
// against the API, the board's filters, who may export what (a resident's
// phone only for admins), and the CSV's streaming (chunked, a client that
// hangs up mid-way does not hurt the server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { startServer, sql, validHtml, parseCsv } from './harness.mjs';
import { login, page } from './accounts.mjs';

const LISTS = ['problems', 'ledger', 'screening', 'claims', 'progress', 'supervisions', 'scores', 'promotions',
  'practices', 'people', 'units', 'audit'];
const LEDGER = ['编号', '难题', '类别', '出卷单位', '揭榜单位', '配合单位', '挂帅领导', '主要负责人', '战队人数',
  '完成时限', '节点计划', '最新进展', '困难问题', '目标/完成', '状态', '灯色', '考评得分', '等级', '公示状态'];
const PHONE = '13912345678';
const DIR = mkdtempSync(join(tmpdir(), 'jb-export-'));
let srv, S = {}, formulaId, phoneId;

// openpyxl's view of a workbook: title, frozen pane, autofilter, and each
// cell as [value, data_type, number_format].
const PY = `
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
def v(c):
    x = c.value
    if isinstance(x, (datetime.datetime, datetime.date)): x = x.isoformat()
    return [x, c.data_type, c.number_format]
rows = [[v(c) for c in r] for r in ws.iter_rows()]
print(json.dumps({'title': ws.title, 'freeze': ws.freeze_panes, 'filter': ws.auto_filter.ref,
  'bold': ws.cell(1, 1).font.b, 'rows': rows}, ensure_ascii=False))
`;
function readXlsx(bytes) {
  const f = join(DIR, `x${Math.random().toString(36).slice(2)}.xlsx`);
  writeFileSync(f, bytes);
  const r = spawnSync('/usr/bin/python3', ['-c', PY, f], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function download(sess, path) {
  const h = sess?.cookie ? { Cookie: sess.cookie } : {};
  const r = await fetch(srv.url + path, { headers: h, redirect: 'manual' });
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
}
async function csv(sess, list, query = '') {
  const r = await download(sess, `/api/v1/export/${list}.csv${query}`);
  assert.equal(r.status, 200, `${list}.csv: ${r.bytes.toString()}`);
  assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${list}.csv starts with the UTF-8 BOM`);
  return parseCsv(r.bytes.subarray(3).toString('utf8'));
}
async function xlsx(sess, list, query = '') {
  const r = await download(sess, `/api/v1/export/${list}.xlsx${query}`);
  assert.equal(r.status, 200, `${list}.xlsx: ${r.bytes.toString()}`);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  return readXlsx(r.bytes);
}

before(async () => {
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } });
  for (const l of ['admin', 'cadre', 'leader']) S[l] = await login(srv, l);
  // Fixtures the UI cannot make: a formula-looking title, a resident's phone.
  const ids = sql(srv.store, "SELECT id FROM problem WHERE is_public = 1 AND state = 'published' ORDER BY id").split('\n').filter(Boolean);
  [formulaId, phoneId] = [+ids[0], +ids[1]];
  sql(srv.store, `UPDATE problem SET title = '=1+1', search_text = '=1+1' WHERE id = ${formulaId}`);
  sql(srv.store, `UPDATE problem SET contact_phone = '${PHONE}' WHERE id = ${phoneId}`);
});
after(async () => { await srv.stop(); });

test('every list exports to XLSX (frozen header, autofilter, typed cells) and to CSV with the same rows', async () => {
  for (const list of LISTS) {
    const x = await xlsx(S.admin, list), c = await csv(S.admin, list);
    assert.equal(x.freeze, 'A2', `${list}: the header row is frozen`);
    assert.ok(x.filter && x.filter.startsWith('A1:'), `${list}: an autofilter over the header (${x.filter})`);
    assert.equal(x.bold, true, `${list}: the header is bold`);
    const header = x.rows[0].map((cell) => cell[0]);
    assert.deepEqual(c[0], header, `${list}: the CSV and XLSX headers agree`);
    assert.ok(header.every((h) => typeof h === 'string' && /[\u4e00-\u9fff]/.test(h)), `${list}: Chinese headers`);
    assert.equal(c.length, x.rows.length, `${list}: as many CSV rows as XLSX rows`);
    assert.ok(x.rows.length > 1 || ['supervisions', 'scores', 'practices'].includes(list), `${list} has rows on the demo`);
    // the first column is a number column (编号) in every list
    for (const row of x.rows.slice(1)) assert.equal(row[0][1], 'n', `${list}: 编号 is a number`);
  }
});

test('the ledger has exactly the 19 columns offices use, with numbers, dates and points typed', async () => {
  const x = await xlsx(S.leader, 'ledger');
  assert.deepEqual(x.rows[0].map((c) => c[0]), LEDGER);
  assert.equal(x.title, '台账');
  const col = (h) => LEDGER.indexOf(h);
  const claimed = x.rows.slice(1).filter((r) => r[col('揭榜单位')][0]);
  assert.ok(claimed.length > 50, 'the demo ledger has its claimed problems');
  for (const r of claimed) {
    assert.equal(r[col('战队人数')][1], 'n');
    assert.ok(r[col('战队人数')][0] >= 1);
    if (r[col('完成时限')][0] !== null) {
      assert.equal(r[col('完成时限')][1], 'd', 'a deadline is an Excel date');
      assert.equal(r[col('完成时限')][2], 'yyyy-mm-dd');
    }
    assert.match(r[col('公示状态')][0], /^(公示中|公示结束|未公示)$/);
    assert.ok(r[col('灯色')][0] === null || /^(正常|滞后|逾期|未报送|待验收)$/.test(r[col('灯色')][0]), r[col('灯色')][0]);
  }
  // the ledger's lights (stored, claim.light) are the board's (worked out per claim)
  const board = new Map((await csv(S.leader, 'problems')).slice(1).map((r) => [+r[0], r[7]]));
  const lit = claimed.filter((r) => r[col('灯色')][0]);
  assert.ok(lit.length > 50 && new Set(lit.map((r) => r[col('灯色')][0])).size >= 3, 'the demo ledger shows several lights');
  for (const r of claimed) assert.equal(r[col('灯色')][0] ?? '', board.get(r[0][0]), `problem ${r[0][0]}: the ledger's light is the board's`);
  const withPlan = claimed.find((r) => r[col('节点计划')][0]);
  assert.match(withPlan[col('节点计划')][0], /\d{4}-\d{2}-\d{2}/, '节点计划 lines are "名称 日期"');
  const money = claimed.find((r) => /元\//.test(r[col('目标/完成')][0] || ''));
  assert.ok(money, 'a money metric in 元');
  assert.match(money[col('目标/完成')][0], /\d+\.\d{2}元\/\d+\.\d{2}元/);
  // the CSV agrees on the ledger's columns and rows
  const c = await csv(S.leader, 'ledger');
  assert.deepEqual(c[0], LEDGER);
  assert.equal(c.length, x.rows.length);
});

test('scores are numbers with two decimals in XLSX and text with two decimals in CSV', async () => {
  const id = +sql(srv.store, 'SELECT min(c.id) FROM claim c JOIN problem p ON p.tenant_id = c.tenant_id AND p.id = c.problem_id' +
    " WHERE c.state = 'solved'").trim();
  sql(srv.store, `UPDATE claim SET score = 9250, grade = 'excellent', evaluated_at = 1660000000 WHERE id = ${id}`);
  try {
    const x = await xlsx(S.admin, 'scores');
    const row = x.rows.find((r) => r[0][0] === id);
    const at = x.rows[0].findIndex((c) => c[0] === '考评得分');
    assert.deepEqual([row[at][0], row[at][1], row[at][2]], [92.5, 'n', '0.00']);
    assert.equal(row[at + 1][0], '优秀');
    const c = await csv(S.admin, 'scores');
    assert.equal(c.find((r) => r[0] === String(id))[at], '92.50');
  } finally {
    sql(srv.store, `UPDATE claim SET score = NULL, grade = '', evaluated_at = NULL WHERE id = ${id}`);
  }
});

test('a formula-looking title comes back as text: a string cell in XLSX, a leading quote in CSV', async () => {
  const x = await xlsx(S.admin, 'problems');
  const row = x.rows.find((r) => r[0][0] === formulaId);
  assert.deepEqual(row[1].slice(0, 2), ['=1+1', 's'], 'openpyxl reads a string, not a formula');
  assert.ok(x.rows.every((r) => r.every((c) => c[1] !== 'f')), 'no formula cell anywhere');
  const c = await csv(S.admin, 'problems');
  const line = c.find((r) => r[0] === String(formulaId));
  assert.equal(line[1], "'=1+1");
  // numbers are never prefixed
  assert.ok(c.slice(1).every((r) => /^\d+$/.test(r[0])));
});

test('the problems export counts what the API counts, with the board filters applied', async () => {
  const cats = sql(srv.store, 'SELECT id FROM category ORDER BY id').split('\n').filter(Boolean);
  for (const q of ['', `?category=${cats[0]}`, '?state=in_progress', '?q=%E6%94%B9%E9%80%A0', '?light=red', '?unit_kind=town']) {
    const api = (await page(srv, null, `/api/v1/problems${q}`)).json();
    const c = await csv(null, 'problems', q);
    assert.equal(c.length - 1, api.total, `problems.csv${q} has the API's ${api.total} rows`);
    const x = await xlsx(null, 'problems', q);
    assert.equal(x.rows.length - 1, api.total, `problems.xlsx${q}`);
  }
  const bad = await download(null, '/api/v1/export/problems.csv?state=proposed');
  assert.equal(bad.status, 400, 'the board refuses internal states in the export too');
});

test('who may export what: anonymous the board only, a cadre no ledger, a leader no phones, an admin phones', async () => {
  const anon = await csv(null, 'problems');
  assert.ok(!anon[0].includes('联系电话'));
  assert.ok(!anon.flat().includes(PHONE));
  for (const list of LISTS.filter((l) => l !== 'problems')) {
    const r = await download(null, `/api/v1/export/${list}.csv`);
    assert.ok([401, 403].includes(r.status), `anonymous ${list}: ${r.status}`);
  }
  assert.equal((await download(S.cadre, '/api/v1/export/ledger.xlsx')).status, 403);
  assert.equal((await download(S.cadre, '/api/v1/export/ledger.csv')).status, 403);
  const lead = await csv(S.leader, 'problems');
  assert.ok(!lead[0].includes('联系电话') && !lead.flat().includes(PHONE), 'no phone for a leader');
  const leadQ = await csv(S.leader, 'screening');
  assert.ok(!leadQ[0].includes('联系电话'), 'no phone in the screening queue for a leader');
  assert.equal((await download(S.leader, '/api/v1/export/audit.csv')).status, 403, 'the audit log needs audit.read');
  const adm = await csv(S.admin, 'problems');
  const at = adm[0].indexOf('联系电话');
  assert.ok(at > 0, 'admins get the phone column');
  assert.equal(adm.find((r) => r[0] === String(phoneId))[at], PHONE);
  const admX = await xlsx(S.admin, 'problems');
  assert.equal(admX.rows.find((r) => r[0][0] === phoneId)[at][0], PHONE);
});

test('unknown lists and formats are 404 in Chinese; the page route and /exports work with a cookie', async () => {
  for (const p of ['/api/v1/export/nothing.csv', '/api/v1/export/ledger.pdf', '/api/v1/export/ledger']) {
    const r = await page(srv, S.admin, p);
    assert.equal(r.status, 404, p);
    assert.match(r.json().error.message, /导出/);
  }
  const r = await download(S.admin, '/export/ledger.xlsx');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /^attachment; filename="[^"]+\.xlsx"; filename\*=UTF-8''%E5%8F%B0%E8%B4%A6-\d{4}-\d{2}-\d{2}\.xlsx$/);
  const pg = await page(srv, S.leader, '/exports');
  assert.equal(pg.status, 200);
  assert.match(pg.text, /export\/ledger\.xlsx/);
  assert.doesNotMatch(pg.text, /export\/audit\.csv/, 'a leader is not offered the audit log');
  validHtml(pg.text);
  // the board's links keep its filters (not its page)
  const board = await page(srv, S.leader, '/?state=in_progress&page=2');
  validHtml(board.text);
  assert.match(board.text, /href="\/export\/problems\.xlsx\?state=in_progress"/);
  assert.match(board.text, /href="\/export\/problems\.csv\?state=in_progress"/);
  assert.match((await page(srv, S.admin, '/admin/audit')).text, /href="\/export\/audit\.xlsx"/);
  assert.equal((await page(srv, S.cadre, '/exports')).status, 403);
});

test('the CSV streams chunked, and a client hanging up mid-way leaves the server healthy', async () => {
  const head = await new Promise((resolve) => {
    const s = net.connect(srv.port, '127.0.0.1');
    let out = '';
    s.on('data', (d) => { out += d; if (out.includes('\r\n\r\n')) { s.destroy(); resolve(out); } });
    s.write(`GET /api/v1/export/ledger.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${S.admin.cookie}\r\n\r\n`);
  });
  assert.match(head, /^HTTP\/1\.1 200/);
  assert.match(head, /\r\nTransfer-Encoding: chunked\r\n/i);
  assert.doesNotMatch(head, /\r\nContent-Length:/i);
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => {
      const s = net.connect(srv.port, '127.0.0.1');
      s.on('data', () => { s.destroy(); resolve(); });
      s.on('error', resolve);
      s.write(`GET /api/v1/export/audit.csv HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${S.admin.cookie}\r\n\r\n`);
    });
  }
  const ok = await page(srv, null, '/healthz');
  assert.equal(ok.status, 200);
  const again = await csv(S.admin, 'audit');
  assert.ok(again.length > 1, 'the next export works');
});
