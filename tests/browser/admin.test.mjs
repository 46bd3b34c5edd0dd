// The admin pages in a real browser at desktop and phone width: the user
// list with its create form and one user's page render, pass axe-core's
// WCAG 2.1 A/AA rules, fit a phone screen, and the role checkboxes sit in
// a row beside their labels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { launch, open, checkA11y, shot, fitsWidth, logIn, DESKTOP, PHONE } from './browser.mjs';

let srv, browser;
before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// Each role checkbox is left of its label text, on the same line.
async function checkboxesBesideLabels(page, label) {
  const boxes = await page.locator('label.check').evaluateAll((els) => els.map((l) => {
    const box = l.querySelector('input').getBoundingClientRect(), all = l.getBoundingClientRect();
    return { left: box.left - all.left, middle: box.top + box.height / 2 - (all.top + all.height / 2), height: all.height };
  }));
  assert.ok(boxes.length >= 5, `${label}: the role checkboxes are there`);
  for (const b of boxes) {
    assert.ok(b.left < 2, `${label}: a checkbox starts its label (${b.left} px in)`);
    assert.ok(Math.abs(b.middle) < 4, `${label}: a checkbox is level with its text`);
    assert.ok(b.height < 40, `${label}: a checkbox label is one line (${b.height} px)`);
  }
}

for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`the admin reads the user list and a user's page (${size})`, async () => {
    const page = await open(browser, viewport);
    await logIn(page, srv, 'admin');
    await page.goto(srv.url + '/admin/users');
    await checkA11y(page, `users (${size})`);
    await fitsWidth(page, `users (${size})`);
    await checkboxesBesideLabels(page, `users (${size})`);
    await shot(page, `users-${size}`);

    await page.getByRole('link', { name: 'cadre', exact: true }).click();
    await page.waitForURL(/\/admin\/users\/\d+$/);
    await checkA11y(page, `user (${size})`);
    await fitsWidth(page, `user (${size})`);
    await checkboxesBesideLabels(page, `user (${size})`);
    await shot(page, `user-${size}`);
    await page.context().close();
  });
}
