// Imports in the browser: an admin reads its units and then its people
// from the office's own Excel files (made by openpyxl): the first submit
// is a dry run that lists a mistake by line and column, the corrected file
// passes, 确认导入 imports it and the result lists what was imported. Every
// page passes axe-core at desktop and phone width and fits the phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, sql } from '../server/harness.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser, work;
before(async () => {
  srv = await startServer();
  browser = await launch();
  work = mkdtempSync(join(tmpdir(), 'jb-import-browser-'));
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  rmSync(work, { recursive: true, force: true });
});

// An .xlsx with these rows (the first is the header), written by openpyxl.
function xlsx(name, rows) {
  const path = join(work, name);
  execFileSync('/usr/bin/python3', ['-c', `
import json, sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '名单'
for r in json.loads(sys.argv[2]): ws.append(r)
wb.save(sys.argv[1])
`, path, JSON.stringify(rows)]);
  return path;
}

async function look(page, label, name) {
  await checkA11y(page, label);
  await fitsWidth(page, label);
  await shot(page, name);
}

// Choose kind and file on the import page and check it.
async function check(page, kind, file) {
  await page.getByLabel('导入内容').selectOption(kind);
  await page.locator('input[name="file"]').setInputFiles(file);
  await page.getByRole('button', { name: '检查文件' }).click();
  await page.waitForSelector('.import-result');
}

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`an office imports its units and people from its own Excel files (${size})`, async () => {
    const s = size === 'desktop' ? '甲' : '乙';
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(`${srv.url}/admin/import`);
    await look(page, `form (${size})`, `import-form-${size}`);

    // Units: the first file has a kind the system does not know, on line 3.
    const badUnits = xlsx(`units-bad-${size}.xlsx`, [['单位名称', '上级单位', '单位类型'], [`${s}试点镇`, null, '镇'], [`${s}试点村`, `${s}试点镇`, '部落']]);
    await check(page, 'units', badUnits);
    const errors = await page.locator('.import-result table').innerText();
    assert.match(errors, /第 3 行/);
    assert.match(errors, /单位类型/);
    assert.match(errors, /部落/);
    assert.equal(await page.getByRole('button', { name: '确认导入' }).count(), 0, 'nothing to confirm');
    assert.equal(sql(srv.store, `SELECT count(*) FROM unit WHERE name LIKE '${s}试点%'`).trim(), '0');
    await look(page, `units rejected (${size})`, `import-rejected-${size}`);

    const units = xlsx(`units-${size}.xlsx`, [['单位名称', '上级单位', '单位类型'], [`${s}试点镇`, null, '镇'], [`${s}试点村`, `${s}试点镇`, '村']]);
    await check(page, 'units', units);
    assert.match(await page.locator('.import-result').innerText(), /全部通过检查：将新增 2/);
    await look(page, `units checked (${size})`, `import-checked-${size}`);
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.waitForSelector('.notice-ok');
    assert.match(await page.locator('.notice-ok').innerText(), /已导入：新增 2/);
    const listed = await page.locator('.import-result table').innerText();
    assert.match(listed, new RegExp(`${s}试点村`));
    assert.match(listed, new RegExp(`上级：${s}试点镇`));
    await look(page, `units imported (${size})`, `import-done-${size}`);

    // People of those units, columns in another order and one left empty.
    await page.getByRole('link', { name: '继续导入' }).click();
    const people = xlsx(`people-${size}.xlsx`, [['职级', '姓名', '所在单位', '职务'], ['科级', `${s}镇长`, `${s}试点镇`, '镇长'],
      ['村社党组织书记', `${s}书记`, `${s}试点村`, null]]);
    await check(page, 'people', people);
    await page.getByRole('button', { name: '确认导入' }).click();
    await page.waitForSelector('.notice-ok');
    assert.match(await page.locator('.notice-ok').innerText(), /新增 2/);
    assert.match(await page.locator('.import-result table').innerText(), new RegExp(`${s}书记`));
    assert.equal(sql(srv.store, `SELECT p.rank || ' ' || u.name FROM person p JOIN unit u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id WHERE p.name = '${s}镇长'`).trim(),
      `section ${s}试点镇`);
    await look(page, `people imported (${size})`, `import-people-${size}`);
    await page.context().close();
  });
}
