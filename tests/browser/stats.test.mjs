// The statistics page in a real browser: at phone width (390 px) the chart
// labels and values stay at least 12 px (they are text in CSS px, not SVG
// text shrinking with a viewBox), the page fits and passes axe-core; the
// batch selector works without scripts and the page says which batch and
// day it shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql } from '../server/harness.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// The computed font size (px) of every chart label and value, and the
// height it is drawn at (SVG text in a scaled viewBox keeps its computed
// size but is drawn smaller: the height catches that).
const chartFontSizes = (page, sel = 'ul.chart .bar-label, ul.chart .bar-value') => page.locator(sel)
  .evaluateAll((els) => els.map((e) => {
    const box = e.getBoundingClientRect();
    return { text: e.textContent, px: parseFloat(getComputedStyle(e).fontSize), w: box.width, h: box.height };
  }));

for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`the chart labels are at least 12 px and the bars fill the width (${size})`, async () => {
    const page = await open(browser, viewport);
    await page.goto(srv.url + '/stats');
    const sizes = await chartFontSizes(page);
    assert.equal(sizes.length, 2 * (8 + 5 + 5 + 2 + 2 + 2), 'a label and a value for every bar of the six charts');
    // the month chart: a label, three bars with their kind and value a month
    const months = await chartFontSizes(page, 'ul.months .month-label, ul.months .bar-label, ul.months .bar-value');
    assert.ok(months.length >= 7 * 3, `${months.length} month labels`);
    sizes.push(...months);
    for (const s of sizes) {
      assert.ok(s.px >= 12, `${size}: "${s.text}" is ${s.px} px`);
      assert.ok(s.w > 0 && s.h >= 12, `${size}: "${s.text}" is drawn ${s.w}×${s.h} px`);
    }
    // The longest bar spans most of what is left beside its label.
    const widths = await page.locator('ul.chart').first().evaluate((ul) => ({
      chart: ul.getBoundingClientRect().width,
      bar: Math.max(...[...ul.querySelectorAll('svg.bar rect')].map((r) => r.getBoundingClientRect().width)),
    }));
    assert.ok(widths.bar > widths.chart * 0.4, `${size}: the longest bar is ${widths.bar} of ${widths.chart} px`);
    await checkA11y(page, `stats (${size})`);
    await fitsWidth(page, `stats (${size})`);
    await shot(page, `stats-charts-${size}`);
    await page.context().close();
  });
}

test('the batch selector works without scripts and the page names the batch and day (phone)', async () => {
  const page = await open(browser, PHONE, { javaScriptEnabled: false });
  await page.goto(srv.url + '/stats');
  // this year's batch is open: every batch together is as of today
  assert.match(await page.locator('.as-of').innerText(), /^全部批次 · 统计截至 \d{4}年\d{1,2}月\d{1,2}日$/);
  await page.locator('select[name="batch"]').selectOption({ label: '2022年第一批' });
  await page.getByRole('button', { name: '查看' }).click();
  await page.waitForURL(/\/stats\?batch=1(&as_of=)?$/);
  assert.equal(await page.locator('.as-of').innerText(), '2022年第一批 · 统计截至 2022年8月31日');
  assert.match(await page.locator('.figures').innerText(), /86\s*累计揭榜/);
  await page.context().close();
});

test('the dashboard, signed in as a leader: the unit table, screenshots at both widths, and printed on A4', async () => {
  for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'leader');
    await page.goto(srv.url + '/stats?batch=1');
    assert.equal(await page.locator('#units-h').innerText(), '各单位攻坚情况（内部）');
    assert.equal(await page.locator('section[aria-labelledby="overdue-h"] tbody tr').count(), 9);
    await checkA11y(page, `dashboard (${size})`);
    await fitsWidth(page, `dashboard (${size})`);
    await shot(page, `stats-dashboard-${size}`);
    if (size === 'desktop') {
      await page.emulateMedia({ media: 'print' });
      const printed = await page.evaluate(() => ({
        header: getComputedStyle(document.querySelector('header.top')).display,
        filters: getComputedStyle(document.querySelector('form.filters')).display,
        breaks: [...document.querySelectorAll('section.dash')].map((e) => getComputedStyle(e).breakBefore),
      }));
      assert.equal(printed.header, 'none', 'no navigation in print');
      assert.equal(printed.filters, 'none', 'no filters in print');
      assert.ok(printed.breaks.length >= 9 && printed.breaks.every((b) => b === 'page'), printed.breaks.join());
      await shot(page, 'stats-dashboard-print');
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert.ok(pages >= 9, `printed on ${pages} A4 pages, a section a page`);
    }
    await page.context().close();
  }
});

test('the big screen at 1920×1080: public when switched on, one screen, no console errors, axe clean', async () => {
  sql(srv.store, 'UPDATE tenant SET bigscreen = 1 WHERE id = 1');
  const page = await open(browser, { width: 1920, height: 1080 });
  const res = await page.goto(srv.url + '/bigscreen');
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('meta[http-equiv="refresh"]').getAttribute('content'), '60');
  const box = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight,
    bg: getComputedStyle(document.body).backgroundColor,
    small: [...document.querySelectorAll('.bar-label, .bar-value, .lbl, .as-of')].filter((e) => parseFloat(getComputedStyle(e).fontSize) < 18).length }));
  assert.ok(box.w <= 1920 && box.h <= 1080, `fits one screen: ${box.w}×${box.h}`);
  assert.equal(box.bg, 'rgb(11, 18, 32)', 'dark');
  assert.equal(box.small, 0, 'readable across the room: no text under 18 px');
  assert.match(await page.locator('.as-of').innerText(), /^全部批次 · 统计截至 /);
  await shot(page, 'bigscreen-1920');
  // the timed reload is axe's only finding (meta-refresh, WCAG 2.2.1): the
  // page links to the same screen without it, which passes in full
  await page.addScriptTag({ path: new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname });
  const axeRules = await page.evaluate(async () => (await window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations.map((v) => v.id));
  assert.deepEqual(axeRules, ['meta-refresh']);
  await page.getByRole('link', { name: '停止刷新' }).click();
  await page.waitForURL(/\/bigscreen\?refresh=off$/);
  assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0);
  await checkA11y(page, 'bigscreen (refresh off)');
  assert.deepEqual(page.jsErrors, []);
  await page.context().close();
  sql(srv.store, 'UPDATE tenant SET bigscreen = 0 WHERE id = 1');
});
