// Evidence uploads through the real server: progress and solve reports as
// multipart/form-data with file parts, streamed to <data>/tmp, typed by
// content, stored under <data>/files by SHA-256 and served back as
// attachments to those who may see the claim. Refused, oversize and
// truncated uploads leave no file and no row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { startServer, get, raw } from './harness.mjs';
import { login, api, page, openSql, freshUser } from './accounts.mjs';

const DAY = 86400;
const FIX = 'tests/fixtures/evidence/';
let srv, conn, admin, cadre, lead, claim, problemId;
const q = async (text) => (await conn.query(text)).trim();
const ymd = (epoch) => new Date((epoch + 8 * 3600) * 1000).toISOString().slice(0, 10);
const now = () => Math.floor(Date.now() / 1000);
const sha = (bytes) => createHash('sha256').update(bytes).digest('hex');

// Every file under dir, recursively (relative names).
function files(dir) {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
      .map((e) => join(e.path ?? e.parentPath, e.name).slice(dir.length + 1)).sort();
  } catch { return []; }
}
const stored = () => files(join(srv.dir, 'files'));
const temporary = () => files(join(srv.dir, 'tmp'));
const rows = async () => [await q('SELECT count(*) FROM evidence'), await q('SELECT count(*) FROM progress')].join(' ');

// A multipart report as sess: fields (values.N.x names as a form sends
// them) and files [{ name, bytes, field }].
async function send(sess, path, fields, parts = [], { csrfField = false } = {}) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  if (csrfField) fd.append('csrf', sess.csrf);
  for (const p of parts) fd.append(p.field || 'file', new Blob([p.bytes]), p.name);
  const headers = { Cookie: sess.cookie };
  if (!csrfField) headers['X-CSRF-Token'] = sess.csrf;
  return get(srv, path, { method: 'POST', headers, body: fd });
}

// Nothing new anywhere: the rows, the stored files and the temporary ones.
async function unchanged(before, why) {
  assert.equal(await rows(), before.rows, `${why}: no row`);
  assert.deepEqual(stored(), before.stored, `${why}: no stored file`);
  assert.deepEqual(temporary(), [], `${why}: no temporary file`);
}
const state = async () => ({ rows: await rows(), stored: stored() });

// The temporary files go when the server has seen the request end.
async function settled() {
  for (let i = 0; i < 100 && temporary().length; i++) await new Promise((r) => setTimeout(r, 20));
}

before(async () => {
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000' } });
  conn = openSql(srv.store);
  admin = await login(srv, 'admin');
  cadre = await login(srv, 'cadre');
  const owner = cadre.user.person_id;
  const unitId = +(await q(`SELECT unit_id FROM person WHERE id = ${owner}`));
  const lp = (await q(`SELECT id, unit_id FROM person WHERE tenant_id = 1 AND id <> ${owner}` +
    ' AND id NOT IN (SELECT person_id FROM app_user WHERE person_id IS NOT NULL) ORDER BY id LIMIT 1')).split('|').map(Number);
  lead = (await freshUser(srv, 'lead7', ['cadre'], ['--person', String(lp[0]), '--unit', String(lp[1])])).session;
  let r = await api(srv, admin, 'POST', '/api/v1/batches', { name: '佐证材料测试批次', year: 2027, phase: 'collecting' });
  assert.equal(r.status, 201, r.text);
  const batchId = r.json().batch.id;
  r = await api(srv, cadre, 'POST', '/api/v1/problems', {
    title: '老旧小区雨污分流改造难', description: '测试用难题：多个部门职责交叉，长期推不动，需要跨单位攻坚。',
    category: '项目建设类', batch_id: batchId,
  });
  assert.equal(r.status, 201, r.text);
  problemId = r.json().problem.id;
  for (const action of ['select', 'publish'])
    assert.equal((await api(srv, admin, 'POST', `/api/v1/problems/${problemId}/transitions`, { action })).status, 200);
  assert.equal((await api(srv, admin, 'PATCH', `/api/v1/batches/${batchId}`, { phase: 'claiming' })).status, 200);
  r = await api(srv, cadre, 'POST', `/api/v1/problems/${problemId}/claims`, {
    unit_id: unitId, lead_person_id: lp[0], owner_person_id: owner, goals: '年内完成改造3公里', pledge: '不破难题不收兵',
    reward_penalty: '完成则记功，未完成则约谈', deadline: ymd(now() + 200 * DAY),
    metrics: [{ name: '改造管网', kind: 'count', uom: '米', target: '3000' }],
  });
  assert.equal(r.status, 201, r.text);
  claim = r.json().claim;
  assert.equal((await api(srv, admin, 'POST', `/api/v1/claims/${claim.id}/approve`, {})).status, 200);
  assert.equal((await api(srv, cadre, 'POST', `/api/v1/claims/${claim.id}/sign`, {})).status, 200);
  r = await api(srv, lead, 'POST', `/api/v1/claims/${claim.id}/sign`, {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().claim.state, 'signed');
});
after(async () => { conn?.close(); await srv?.stop(); });

test('a report with files: stored by hash, served back byte for byte as an attachment to the team, 404 to others', async () => {
  const png = readFileSync(FIX + 'chart.png'), docx = readFileSync(FIX + 'reordered.docx');
  const name = '现场照片 "第1批"；50%.png'; // a browser sends the quotes as %22
  let r = await send(cadre, `/api/v1/claims/${claim.id}/progress`,
    { text: '完成摸底调查', 'values.0.metric_id': String(claim.metrics[0].id), 'values.0.value': '1200' },
    [{ name, bytes: png }, { name: '方案（修订）.docx', bytes: docx }], { csrfField: true });
  assert.equal(r.status, 201, r.text);
  const report = r.json().claim.progress[0];
  assert.equal(report.text, '完成摸底调查');
  assert.equal(r.json().claim.metrics[0].achieved, '1200', 'the nested form names were bound');
  assert.deepEqual(report.files.map((f) => [f.name, f.mime, f.size, f.sha256]), [
    [name, 'image/png', png.length, sha(png)],
    ['方案（修订）.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', docx.length, sha(docx)],
  ]);
  assert.deepEqual(stored(), [sha(docx), sha(png)].sort().map((h) => join(h.slice(0, 2), h)).sort());
  await settled();
  assert.deepEqual(temporary(), [], 'the temporary files are gone');

  for (const path of [`/api/v1/files/${sha(png)}`, `/files/${sha(png)}`]) {
    const res = await fetch(srv.url + path, { headers: { Cookie: cadre.cookie } });
    assert.equal(res.status, 200, path);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), png, 'byte-identical');
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.equal(res.headers.get('content-disposition'),
      `attachment; filename="____ __1___50_.png"; filename*=UTF-8''${encodeURIComponent(name).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())}`);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('cache-control'), /^private/);
  }
  // The problem is public: so is the file, to anyone of the tenant.
  assert.equal((await page(srv, null, `/api/v1/files/${sha(png)}`)).status, 200);
  // An internal problem's files: the team and the 组织部 only.
  await q(`UPDATE problem SET is_public = 0 WHERE id = ${problemId}`);
  r = await page(srv, null, `/api/v1/files/${sha(png)}`);
  assert.equal(r.status, 404);
  assert.equal(r.json().error.code, 'not_found');
  assert.equal((await page(srv, null, `/files/${sha(png)}`)).status, 404, 'the page route too');
  assert.equal((await page(srv, await login(srv, 'evaluator'), `/api/v1/files/${sha(png)}`)).status, 404);
  assert.equal((await page(srv, lead, `/api/v1/files/${sha(png)}`)).status, 200, 'the lead is on the team');
  assert.equal((await page(srv, admin, `/api/v1/files/${sha(png)}`)).status, 200);
  assert.equal((await page(srv, cadre, `/api/v1/files/${'0'.repeat(64)}`)).status, 404, 'a hash nobody attached');
  assert.equal((await page(srv, cadre, '/api/v1/files/..%2f..%2fjiebang.db')).status, 404, 'not a hash');
  await q(`UPDATE problem SET is_public = 1 WHERE id = ${problemId}`);

  // The same content again is one stored file; JSON reports still work.
  const before = stored();
  r = await send(cadre, `/api/v1/claims/${claim.id}/progress`, { text: '补充照片' }, [{ name: '同一张.png', bytes: png }]);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(stored(), before);
  r = await api(srv, cadre, 'POST', `/api/v1/claims/${claim.id}/progress`, { text: '无附件的进展' });
  assert.equal(r.status, 201, r.text);
});

test('a file whose content is not an allowed type is refused by name with the fields, leaving nothing', async () => {
  const s = await state();
  const r = await send(cadre, `/api/v1/claims/${claim.id}/progress`, { text: '现场材料' },
    [{ name: '总结报告.pdf', bytes: readFileSync(FIX + 'page.html') }, { name: '图.pdf', bytes: readFileSync(FIX + 'chart.png') }]);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json().error.field, 'file');
  assert.equal(r.json().error.message, '文件“总结报告.pdf”是HTML 网页，只能上传 PDF、JPEG、PNG、Word（docx）或 Excel（xlsx）文件');
  await settled();
  await unchanged(s, 'a lying file');
});

test('past a cap: 413 in Chinese, and nothing is left', async () => {
  let s = await state();
  const big = Buffer.alloc(20 * 1024 * 1024 + 1, 7);
  let r = await send(cadre, `/api/v1/claims/${claim.id}/progress`, { text: '大文件' }, [{ name: '录像.pdf', bytes: big }]);
  assert.equal(r.status, 413, r.text);
  assert.equal(r.json().error.message, '文件“录像.pdf”过大（每个文件最多 20 MiB）');
  await settled();
  await unchanged(s, 'an oversize file');

  const png = readFileSync(FIX + 'chart.png');
  r = await send(cadre, `/api/v1/claims/${claim.id}/progress`, { text: '多个文件' },
    Array.from({ length: 11 }, (_, i) => ({ name: `图${i}.png`, bytes: Buffer.concat([png, Buffer.from([i])]) })));
  assert.equal(r.status, 413, r.text);
  assert.equal(r.json().error.message, '上传的文件过多（每次最多 10 个）');
  await settled();
  await unchanged(s, 'eleven files');

  // Three files within their cap, 60 KB more than 50 MiB in all: refused
  // as the last bytes come. A body declared far larger is refused before
  // any of it is read.
  const part = Buffer.alloc(Math.ceil(50 * 1024 * 1024 / 3) + 20000, 1);
  r = await send(cadre, `/api/v1/claims/${claim.id}/progress`, { text: '合计过大' },
    [0, 1, 2].map((i) => ({ name: `${i}.pdf`, bytes: part })));
  assert.equal(r.status, 413, r.text);
  assert.equal(r.json().error.message, '上传的文件合计过大（每次最多 50 MiB）');
  await settled();
  await unchanged(s, 'too much in all');
  const answer = await raw(srv, `POST /api/v1/claims/${claim.id}/progress HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    `Cookie: ${cadre.cookie}\r\nX-CSRF-Token: ${cadre.csrf}\r\nContent-Type: multipart/form-data; boundary=x\r\n` +
    `Content-Length: ${54 * 1024 * 1024}\r\n\r\n`);
  assert.match(answer, /^HTTP\/1\.1 413 /);
  assert.match(answer, /上传内容过大（文件合计最多 50 MiB）/);
  await unchanged(s, 'too much declared');
  s = await state();
  r = await send(cadre, `/api/v1/claims/${claim.id}/progress`, { text: 'x'.repeat(70 * 1024) }, []);
  assert.equal(r.status, 413, r.text);
  assert.equal(r.json().error.message, '表单文字过长（此地址最多 64 KiB）');
  await unchanged(s, 'long fields');
});

// Write the head and half of a multipart body, then drop the connection.
function truncated(bytes) {
  const boundary = 'jbTRUNCATEDxyz';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="text"\r\n\r\n半截上传\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
    bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const head = `POST /api/v1/claims/${claim.id}/progress HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cadre.cookie}\r\n` +
    `X-CSRF-Token: ${cadre.csrf}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${body.length}\r\n\r\n`;
  return new Promise((resolve) => {
    const sock = net.connect(srv.port, '127.0.0.1', () => {
      sock.write(head);
      sock.write(body.subarray(0, body.length >> 1), () => setTimeout(() => {
        const during = temporary();
        sock.destroy();
        resolve(during);
      }, 150));
    });
    sock.on('error', () => resolve([]));
  });
}

test('a body cut off half way leaves nothing, and the server goes on serving', async () => {
  const s = await state();
  const during = await truncated(Buffer.alloc(2 * 1024 * 1024, 3));
  assert.equal(during.length, 1, 'the file part was being written to a temporary file');
  await settled();
  await unchanged(s, 'a truncated body');
  assert.equal((await page(srv, null, '/healthz')).status, 200);
  // All of it, but without the final boundary: refused, nothing left.
  const boundary = 'jbNOENDxyz';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n` +
    readFileSync(FIX + 'chart.png').toString('latin1');
  const r = await get(srv, `/api/v1/claims/${claim.id}/progress`, {
    method: 'POST', body: Buffer.from(body, 'latin1'),
    headers: { Cookie: cadre.cookie, 'X-CSRF-Token': cadre.csrf, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
  });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json().error.message, /上传内容不完整/);
  await settled();
  await unchanged(s, 'no final boundary');
});

test('a solve declaration carries its files too; a refused one leaves none', async () => {
  const pdf = readFileSync(FIX + 'report.pdf'), xlsx = readFileSync(FIX + 'sheet.xlsx');
  const s = await state();
  // Not the owner: refused after the upload, the files discarded.
  let r = await send(lead, `/api/v1/claims/${claim.id}/solve`, { text: '破题总结' }, [{ name: '台账.xlsx', bytes: xlsx }]);
  assert.equal(r.status, 403, r.text);
  await settled();
  await unchanged(s, 'a refused solve');
  r = await send(cadre, `/api/v1/claims/${claim.id}/solve`, { text: '已完成全部改造' },
    [{ name: '验收报告.pdf', bytes: pdf }, { name: '台账.xlsx', bytes: xlsx }]);
  assert.equal(r.status, 201, r.text);
  const k = r.json().claim;
  assert.equal(k.state, 'solved');
  assert.equal(k.progress[0].kind, 'solve');
  assert.deepEqual(k.progress[0].files.map((f) => f.mime), ['application/pdf',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
  const res = await fetch(srv.url + `/api/v1/files/${sha(xlsx)}`, { headers: { Cookie: lead.cookie } });
  assert.equal(res.status, 200);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), xlsx);
});

test('the progress page sends files too: a multipart form with the page token, redirected to the claim page that links them', async () => {
  const cur = (await page(srv, cadre, `/api/v1/claims/${claim.id}`)).json().claim;
  if (cur.state === 'solved')
    assert.equal((await api(srv, admin, 'POST', `/api/v1/claims/${claim.id}/return`, { reason: '继续攻坚' })).status, 200);
  const form = await page(srv, cadre, `/claims/${claim.id}/progress`);
  assert.equal(form.status, 200, form.text);
  assert.match(form.text, /enctype="multipart\/form-data"/);
  assert.match(form.text, /<input type="file" id="f-file" name="file" multiple/);
  const pdf = readFileSync(FIX + 'report.pdf');
  const before = await state();
  let r = await send(cadre, `/claims/${claim.id}/progress`, { text: '页面报送的进展' }, [{ name: '阶段小结.pdf', bytes: pdf }],
    { csrfField: true });
  assert.equal(r.status, 303, r.text);
  const html = (await page(srv, cadre, `/claims/${claim.id}`)).text;
  assert.ok(html.includes(`/files/${sha(pdf)}`), 'the claim page links the file');
  assert.ok(html.includes('阶段小结.pdf'));
  // a lying file on the page: the form again, the message beside the field, nothing kept
  const now_ = await state();
  assert.notDeepEqual(now_, before);
  r = await send(cadre, `/claims/${claim.id}/progress`, { text: '再报一次' },
    [{ name: '假的.pdf', bytes: Buffer.from('<html><body>not a pdf</body></html>') }], { csrfField: true });
  assert.equal(r.status, 400);
  assert.match(r.text, /id="f-file-error"/);
  assert.match(r.text, /请重新选择文件/);
  assert.ok(r.text.includes('再报一次'), 'what was typed is kept');
  await settled();
  await unchanged(now_, 'a refused page report');
});
