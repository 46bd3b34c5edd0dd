// Imports of units, people and problems (issue 11 §4) through the API, the
// page and the command line, on the real server: good files (CSV with and
// without BOM, GBK, XLSX made by openpyxl) are imported with their
// hierarchy, updates are counted, and every bad file (duplicates, unknown
// units, bad ranks, fields over their limit, wrong column counts, NUL
// bytes, invalid UTF-8, a 10 MB line, formula cells, a zip bomb) is
// refused with the right line and column while NOTHING is imported.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, get, run, validHtml } from './harness.mjs';
import { login, api, openSql, audit } from './accounts.mjs';

let srv, conn, admin, cadre, work, batchId;
const q = async (text) => (await conn.query(text)).trim();
const counts = async () => q("SELECT (SELECT count(*) FROM unit) || ' ' || (SELECT count(*) FROM person) || ' ' || (SELECT count(*) FROM problem)");
const file = (name, bytes) => { const p = join(work, name); writeFileSync(p, bytes); return p; };
const utf8 = (s) => Buffer.from(s, 'utf8');
const gbk = (s) => execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: s });
const py = (code) => execFileSync('/usr/bin/python3', ['-c', code], { cwd: work, encoding: 'utf8' });

// POST the bytes as the multipart field "file" to the API as sess.
async function upload(sess, kind, bytes, { name = 'data.csv', query = '' } = {}) {
  const fd = new FormData();
  fd.append('file', new Blob([bytes]), name);
  const headers = {};
  if (sess?.cookie) { headers.Cookie = sess.cookie; headers['X-CSRF-Token'] = sess.csrf; }
  return get(srv, `/api/v1/import/${kind}${query}`, { method: 'POST', headers, body: fd });
}

// A refused file: 422, the rejection expected among those answered, and
// nothing in the store changed.
async function refused(kind, bytes, want, opts = {}) {
  const before = await counts();
  const r = await upload(admin, kind, bytes, opts);
  assert.equal(r.status, 422, r.text);
  const j = r.json();
  assert.ok(j.rejected.length > 0);
  const hit = j.rejected.find((x) => x.line === want.line && (want.column === undefined || x.column === want.column) &&
    (!want.reason || want.reason.test(x.reason)));
  assert.ok(hit, `expected line ${want.line} [${want.column}] ${want.reason} in ${JSON.stringify(j.rejected)}`);
  assert.equal(j.created, 0);
  assert.equal(await counts(), before, 'nothing imported');
  return j;
}

before(async () => {
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } });
  conn = openSql(srv.store);
  work = mkdtempSync(join(tmpdir(), 'jb-import-'));
  admin = await login(srv, 'admin');
  cadre = await login(srv, 'cadre');
  const b = await api(srv, admin, 'POST', '/api/v1/batches', { name: '导入测试批次', year: 2026, phase: 'collecting' });
  assert.equal(b.status, 201, b.text);
  batchId = b.json().batch.id;
});

after(async () => {
  conn?.close();
  rmSync(work, { recursive: true, force: true });
  await srv?.stop();
});

test('units with their hierarchy are imported, a parent named later in the file included', async () => {
  const before = Number(await q('SELECT count(*) FROM unit'));
  const csv = '单位名称,上级单位,单位类型,备注\n导入镇东村,导入镇,村,\n导入镇,,镇,多余的列\n导入局,,县直,\n导入局办公室,导入局,其他单位,\n';
  const r = await upload(admin, 'units', utf8(csv), { name: '单位.csv' });
  assert.equal(r.status, 200, r.text);
  const j = r.json();
  assert.deepEqual([j.kind, j.dry_run, j.rows, j.created, j.updated, j.rejected.length], ['units', false, 4, 4, 0, 0]);
  assert.equal(Number(await q('SELECT count(*) FROM unit')), before + 4);
  assert.equal(await q("SELECT p.name || ' ' || c.kind FROM unit c JOIN unit p ON p.tenant_id = c.tenant_id AND p.id = c.parent_id WHERE c.name = '导入镇东村'"),
    '导入镇 village');
  assert.equal(await q("SELECT kind FROM unit WHERE name = '导入局'"), 'county_dept');
  // Again, with one kind changed: matched by name, one 更新, the rest unchanged.
  const again = await upload(admin, 'units', utf8(csv.replace('导入局,,县直', '导入局,,企业')));
  assert.equal(again.status, 200, again.text);
  assert.deepEqual([again.json().created, again.json().updated, again.json().unchanged], [0, 1, 3]);
  assert.equal(await q("SELECT kind FROM unit WHERE name = '导入局'"), 'enterprise');
});

test('the audit log records who imported which file, counts and sha256, without the rows', async () => {
  const [e] = audit(srv, "action = 'import.units'");
  assert.ok(e, 'an audit entry');
  assert.equal(e.actor, 'admin');
  const after = JSON.parse(e.after);
  assert.match(after.sha256, /^[0-9a-f]{64}$/);
  assert.equal(after.updated, 1);
  assert.ok(!e.after.includes('导入镇东村'), 'no row data in the audit log');
});

test('people from a CSV with a BOM through the command line, then updated by a GBK file', async () => {
  const p = file('people.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]),
    utf8('职务,姓名,所在单位,职级\n主任,导入张三,导入局,科级\n,导入李四,导入镇,股级以下干部\n村主任,导入王五,导入镇东村,村书记\n')]));
  const dry = run(['import', 'people', p, '--db', srv.store, '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr + dry.stdout);
  assert.match(dry.stdout, /3 created/);
  assert.equal(await q("SELECT count(*) FROM person WHERE name LIKE '导入%'"), '0', 'a dry run writes nothing');
  const r = run(['import', 'people', p, '--db', srv.store]);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /UTF-8 \(BOM\).*3 created/);
  assert.equal(await q("SELECT rank || ' ' || title FROM person WHERE name = '导入张三'"), 'section 主任');
  // GBK: the same person (same name, same unit) gets the new rank and title.
  const g = file('people-gbk.csv', gbk('姓名,所在单位,职级,职务\r\n导入张三,导入局,县级干部,局长\r\n导入赵六,导入局,其他人员,科员\r\n'));
  const r2 = run(['import', 'people', g, '--db', srv.store]);
  assert.equal(r2.status, 0, r2.stderr + r2.stdout);
  assert.match(r2.stdout, /GBK.*1 created, 1 updated/);
  assert.equal(await q("SELECT rank || ' ' || title FROM person WHERE name = '导入张三'"), 'county 局长');
  assert.equal(await q("SELECT count(*) FROM person WHERE name = '导入赵六'"), '1');
  assert.equal(audit(srv, "action = 'import.people'")[0].actor, 'cli');
});

test('the command line lists rejected rows as 第 N 行 [列名] 原因：值 and exits 1; usage errors exit 2', async () => {
  const p = file('bad-people.csv', utf8('姓名,所在单位,职级\n导入甲,没有的单位,科级\n导入乙,导入局,处长\n'));
  const before = await counts();
  const r = run(['import', 'people', p, '--db', srv.store]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /第 2 行 \[所在单位\] 没有这个单位.*：没有的单位/);
  assert.match(r.stdout, /第 3 行 \[职级\] 只能是.*：处长/);
  assert.equal(await counts(), before);
  assert.equal(run(['import', 'persons', p, '--db', srv.store]).status, 2);
  assert.equal(run(['import', 'people', '--db', srv.store]).status, 2);
});

test('problems go into the batch as proposals from their unit, indexed for search', async () => {
  const csv = '难题名称,类别,出卷单位,难题描述,预期成效\n' +
    '导入测试老旧小区停车难,城市建设类,导入局,"小区停车位不足，夜间停车占用消防通道，\n居民反映强烈。",新增车位两百个\n';
  const r = await upload(admin, 'problems', utf8(csv), { query: `?batch_id=${batchId}` });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().batch_id, batchId);
  const row = await q("SELECT state || ' ' || is_public || ' ' || proposer_name || ' ' || expected_outcome FROM problem WHERE title = '导入测试老旧小区停车难'");
  assert.equal(row, 'proposed 0 导入局 新增车位两百个');
  assert.equal(await q("SELECT count(*) FROM problem_gram g JOIN problem p ON p.tenant_id = g.tenant_id AND p.id = g.problem_id WHERE p.title = '导入测试老旧小区停车难' AND g.gram = '停车'"), '1');
  // The same title again in this batch is refused.
  await refused('problems', utf8(csv), { line: 2, column: '难题名称', reason: /已有同名难题/ }, { query: `?batch_id=${batchId}` });
  await refused('problems', utf8('难题名称,类别,出卷单位,难题描述\n另一个导入难题,没有的类别,导入局,这是一段足够长的难题描述文字\n'),
    { line: 2, column: '类别', reason: /没有这个难题类别/ }, { query: `?batch_id=${batchId}` });
});

test('a dry run answers the rejected rows and writes nothing, even when all would pass', async () => {
  const before = await counts();
  const r = await upload(admin, 'units', utf8('单位名称,单位类型\n干跑单位,其他\n'), { query: '?dry_run=1' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json().dry_run, r.json().created], [true, 1]);
  assert.equal(await counts(), before);
  const bad = await upload(admin, 'units', utf8('单位名称,单位类型\n干跑单位,火星\n'), { query: '?dry_run=1' });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.json().rejected[0], { line: 2, column: '单位类型', reason: bad.json().rejected[0].reason, value: '火星' });
});

test('malformed files are refused at the right line and column, nothing imported', async () => {
  await refused('units', utf8('单位名称,上级单位,单位类型\n甲单位,,其他\n乙单位,,其他\n甲单位,,镇\n'),
    { line: 4, column: '单位名称', reason: /与第 2 行重复/ });
  await refused('units', utf8('单位名称,上级单位,单位类型\n环甲,环乙,其他\n环乙,环甲,其他\n'),
    { line: 2, column: '上级单位', reason: /循环/ });
  await refused('units', utf8('单位名称,上级单位,单位类型\n孤儿单位,不存在的上级,其他\n'),
    { line: 2, column: '上级单位', reason: /没有这个单位/ });
  await refused('people', utf8('姓名,所在单位,职级\n导入丙,导入局,科级\n导入丙,导入局,股级\n'),
    { line: 3, column: '姓名', reason: /与第 2 行重复/ });
  await refused('people', utf8(`姓名,所在单位,职级\n${'长'.repeat(51)},导入局,科级\n`),
    { line: 2, column: '姓名', reason: /超过 50 字/ });
  await refused('people', utf8('姓名,所在单位,职级\n导入丁,导入局,科级\n导入戊,导入局\n'),
    { line: 3, reason: /列数不对/ });
  await refused('people', utf8('姓名,所在单位\n导入己,导入局\n'), { line: 1, reason: /缺少必需的列：职级/ });
  await refused('people', utf8('姓名,所在单位,职级\n"导入庚,导入局,科级\n'), { line: 2, reason: /引号/ });
});

test('hostile bytes: NUL, invalid UTF-8, a 10 MB line; each refused at its line', async () => {
  await refused('people', Buffer.concat([utf8('姓名,所在单位,职级\n导入'), Buffer.from([0]), utf8('辛,导入局,科级\n')]),
    { line: 2, reason: /NUL/ });
  // Mostly UTF-8 with one broken line: the file stays UTF-8, the line is refused.
  await refused('people', Buffer.concat([utf8('姓名,所在单位,职级\n导入壬,导入局,科级\n导入'), Buffer.from([0xc3, 0x28]),
    utf8(',导入局,科级\n导入癸,导入局,科级\n')]), { line: 3, reason: /编码无效/ });
  const big = Buffer.concat([utf8('姓名,所在单位,职级\n导入子,导入局,科级\n'), Buffer.alloc(10 * 1024 * 1024, 'x'),
    utf8(',导入局,科级\n导入丑,导入局,科级\n')]);
  const j = await refused('people', big, { line: 3, reason: /超过 64 KiB/ });
  assert.ok(j.rejected.length === 1, JSON.stringify(j.rejected));
  assert.ok(j.rejected[0].value.length < 120, 'the value is an excerpt');
  // A text that is no table at all.
  await refused('people', utf8('hello\nworld\n'), { line: 1, reason: /表头/ });
});

test('XLSX made by openpyxl: shared and inline strings, sparse cells, a title row; formula cells refused', async () => {
  py(`
import openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws['A1'] = '单位导入表'                    # a title row above the header
ws['A2'] = '单位类型'; ws['C2'] = '单位名称'; ws['D2'] = '上级单位'   # B empty: sparse
ws['A3'] = '镇街'; ws['C3'] = 'X表镇'
ws['A4'] = '村社'; ws['C4'] = 'X表村'; ws['D4'] = 'X表镇'
ws['A5'] = 12345; ws['C5'] = 'X数字'         # a number where a kind is due
wb.save('units.xlsx')
wb = openpyxl.Workbook(); ws = wb.active
ws.append(['姓名', '所在单位', '职级', '职务']); ws.append(['X表甲', 'X表镇', '科级干部', '镇长'])
ws.append(['X表乙', 'X表村', '=CONCAT("科","级")', None])
wb.save('people-formula.xlsx')
`);
  const units = readFileSync(join(work, 'units.xlsx'));
  await refused('units', units, { line: 5, column: '单位类型', reason: /只能是/ }, { name: 'units.xlsx' });
  py(`
import openpyxl
wb = openpyxl.load_workbook('units.xlsx'); ws = wb.active; ws.delete_rows(5); wb.save('units-ok.xlsx')
`);
  const r = await upload(admin, 'units', readFileSync(join(work, 'units-ok.xlsx')), { name: 'units-ok.xlsx' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json().format, r.json().rows, r.json().created], ['xlsx', 2, 2]);
  assert.equal(await q("SELECT p.name FROM unit c JOIN unit p ON p.tenant_id = c.tenant_id AND p.id = c.parent_id WHERE c.name = 'X表村'"), 'X表镇');
  await refused('people', readFileSync(join(work, 'people-formula.xlsx')), { line: 3, column: '职级', reason: /公式单元格/ });
});

test('a zip bomb XLSX is refused once its sheet inflates past 64 MiB, an old .xls is named', async () => {
  py(`
import zipfile
z = zipfile.ZipFile('bomb.xlsx', 'w', zipfile.ZIP_DEFLATED)
z.writestr('[Content_Types].xml', '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
z.writestr('xl/workbook.xml', '<workbook xmlns:r="r"><sheets><sheet name="a" r:id="rId1"/></sheets></workbook>')
z.writestr('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
cell = lambda ref, t: '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, t)
head = '<worksheet><sheetData><row r="1">' + cell('A1', '姓名') + cell('B1', '所在单位') + cell('C1', '职级') + '</row><row r="2"><c r="A2" t="inlineStr"><is><t>'
with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:
    f.write(head.encode())
    chunk = b' ' * (1 << 20)
    for i in range(100): f.write(chunk)
    f.write(b'</t></is></c></row></sheetData></worksheet>')
z.close()
`);
  const bomb = readFileSync(join(work, 'bomb.xlsx'));
  assert.ok(bomb.length < 1024 * 1024, `the bomb is small (${bomb.length})`);
  await refused('people', bomb, { line: 2, reason: /压缩炸弹/ }, { name: 'bomb.xlsx' });
  await refused('people', Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]), { line: 0, reason: /旧版 Excel/ });
});

test('only admins import: a cadre gets 403, anonymous 401, and nothing changes', async () => {
  const before = await counts();
  const bytes = utf8('单位名称,单位类型\n越权单位,其他\n');
  assert.equal((await upload(cadre, 'units', bytes)).status, 403);
  assert.equal((await upload(null, 'units', bytes)).status, 401);
  assert.equal(await counts(), before);
  assert.ok(audit(srv, "action = 'import.run' AND outcome = 'denied'").length >= 1, 'the refusal is audited');
  assert.equal((await upload(admin, 'things', bytes)).status, 404);
});

test('the page: a dry run first, then 确认导入 imports the same file; only this session may confirm it', async () => {
  const pageUp = async (sess, fields, bytes) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(fields)) fd.append(k, v);
    fd.append('csrf', sess.csrf);
    if (bytes) fd.append('file', new Blob([bytes]), '页面单位.csv');
    return get(srv, '/admin/import', { method: 'POST', headers: { Cookie: sess.cookie }, body: fd });
  };
  const form = await get(srv, '/admin/import', { headers: { Cookie: admin.cookie } });
  assert.equal(form.status, 200);
  validHtml(form.text);
  assert.match(form.text, /下载模板/);
  assert.equal((await get(srv, '/admin/import', { headers: { Cookie: cadre.cookie } })).status, 403);
  const tpl = await get(srv, '/admin/import/template/people', { headers: { Cookie: admin.cookie } });
  assert.equal(tpl.text.replace(/^\uFEFF/, '').trim(), '姓名,所在单位,职级,职务');

  const bad = await pageUp(admin, { kind: 'units' }, utf8('单位名称,单位类型\n页面单位甲,火星\n'));
  assert.equal(bad.status, 400, 'a form shown again with its errors');
  validHtml(bad.text);
  assert.match(bad.text, /第 2 行/);
  assert.doesNotMatch(bad.text, /确认导入<\/button>/);
  const none = await pageUp(admin, { kind: 'units' }, null);
  assert.equal(none.status, 400);
  assert.match(none.text, /请选择要导入的文件/);

  const before = await counts();
  const ok = await pageUp(admin, { kind: 'units' }, utf8('单位名称,单位类型\n页面单位甲,其他\n页面单位乙,镇\n'));
  assert.equal(ok.status, 200, ok.text);
  validHtml(ok.text);
  assert.equal(await counts(), before, 'the check writes nothing');
  const sha = ok.text.match(/name="sha256" value="([0-9a-f]{64})"/)[1];
  assert.ok(readdirSync(join(srv.dir, 'tmp')).some((n) => n.startsWith('imp-')), 'the checked file is kept');
  const confirm = (sess, extra = {}) => get(srv, '/admin/import/confirm', {
    method: 'POST', headers: { Cookie: sess.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ kind: 'units', sha256: sha, batch_id: '', name: '页面单位.csv', csrf: sess.csrf, ...extra }).toString(),
  });
  const other = await login(srv, 'admin');
  assert.equal((await confirm(other)).status, 409, 'another session cannot confirm it');
  assert.equal((await confirm(admin, { kind: 'people' })).status, 409, 'nor for another kind');
  const done = await confirm(admin);
  assert.equal(done.status, 200, done.text);
  validHtml(done.text);
  assert.match(done.text, /已导入：新增 2/);
  assert.match(done.text, /页面单位乙/);
  assert.equal(await q("SELECT count(*) FROM unit WHERE name LIKE '页面单位%'"), '2');
  assert.equal((await confirm(admin)).status, 409, 'a kept file is used once');
});
