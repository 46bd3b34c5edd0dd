// The statistics page in a real browser: at phone width (390 px) the chart
// labels and values stay at least 12 px (they are text in CSS px, not SVG
// text shrinking with a viewBox), the page fits and passes axe-core; the
// batch selector works without scripts and the page says which batch and
// day it shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { launch, open, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

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
const chartFontSizes = (page) => page.locator('ul.chart .bar-label, ul.chart .bar-value')
  .evaluateAll((els) => els.map((e) => {
    const box = e.getBoundingClientRect();
    return { text: e.textContent, px: parseFloat(getComputedStyle(e).fontSize), w: box.width, h: box.height };
  }));

for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`the chart labels are at least 12 px and the bars fill the width (${size})`, async () => {
    const page = await open(browser, viewport);
    await page.goto(srv.url + '/stats');
    const sizes = await chartFontSizes(page);
    assert.equal(sizes.length, 2 * (8 + 5 + 5 + 2 + 2), 'a label and a value for every bar of the five charts');
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
  await page.getByLabel('批次').selectOption({ label: '2022年第一批' });
  await page.getByRole('button', { name: '查看' }).click();
  await page.waitForURL(/\/stats\?batch=1$/);
  assert.equal(await page.locator('.as-of').innerText(), '2022年第一批 · 统计截至 2022年8月31日');
  assert.match(await page.locator('.figures').innerText(), /86\s*累计揭榜/);
  await page.context().close();
});
