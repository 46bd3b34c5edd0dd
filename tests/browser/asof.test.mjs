// A closed batch in a real browser at desktop and phone width: the board
// filtered to the demo's 2022 batch and one of its problems say the day
// their overdue flags are judged at, pass axe-core and fit a phone.
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

const LINE = '“2022年第一批”已结束，统计截至 2022年8月31日。';

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`the 2022 batch's board and problem pages are as of 2022-08-31 (${size})`, async () => {
    const page = await open(browser, viewport);
    await page.goto(srv.url + '/');
    await page.getByLabel('批次').selectOption({ label: '2022年第一批' });
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/batch=1/);
    await assert.doesNotReject(page.getByText(LINE).waitFor());
    await checkA11y(page, `board of a closed batch (${size})`);
    await fitsWidth(page, `board of a closed batch (${size})`);
    await shot(page, `asof-board-${size}`);

    await page.getByRole('link', { name: '开发区至沿海片区货运通道通行能力不足' }).click();
    await page.waitForURL(/\/problems\/\d+/);
    const ms = page.locator('section[aria-labelledby="ms-h"]');
    assert.equal(await ms.locator('p.muted').innerText(), LINE);
    assert.ok(await ms.locator('li.is-overdue').count() >= 1);
    await ms.scrollIntoViewIfNeeded();
    await checkA11y(page, `problem of a closed batch (${size})`);
    await fitsWidth(page, `problem of a closed batch (${size})`);
    await shot(page, `asof-problem-${size}`);
    await page.context().close();
  });
}
