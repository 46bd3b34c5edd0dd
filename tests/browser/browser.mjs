// browser.mjs - real-browser tests: playwright-core drives Debian's
// chromium (/usr/bin/chromium, headless, no download at run time) against
// a server started by ../server/harness.mjs; axe-core checks every page a
// journey visits for WCAG 2.1 A/AA violations.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const CHROMIUM = process.env.JIEBANG_CHROMIUM || '/usr/bin/chromium';
export const SHOTS = join(process.cwd(), 'build', 'screenshots');

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

// One headless browser for a test file. The flags keep chromium off the
// network (this machine has none) and out of the user's profile.
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

// A new page (its own context: cookies apart) at a viewport, zh-CN;
// options go to the context ({ javaScriptEnabled: false } for the pages
// as a browser without scripts sees them).
export async function open(browser, viewport = DESKTOP, options = {}) {
  // bypassCSP lets axe-core be injected; the pages' own CSP stays as served.
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', deviceScaleFactor: 1, bypassCSP: true, ...options });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // A form shown again with its errors is a 400 or 409 document, which
  // chromium reports on the console; any other failure counts.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of (400|409) /.test(m.text())) errors.push(m.text());
  });
  page.jsErrors = errors;
  return page;
}

// Log in through the form as a demo login (password jiebang-demo), or with
// another password, on a tenant's prefix (base "/t/slug").
export async function logIn(page, srv, login, password = 'jiebang-demo', base = '') {
  await page.goto(srv.url + base + '/login');
  await page.getByLabel('登录名').fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

// axe-core on the page as it is now: fails on any WCAG 2.0/2.1 A or AA
// violation, naming the rule and the elements.
export async function checkA11y(page, label) {
  await page.addScriptTag({ content: AXE });
  const res = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  const text = res.violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n` +
    v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')}: ${n.failureSummary.replace(/\n/g, ' ')}`).join('\n')).join('\n');
  assert.equal(res.violations.length, 0, `${label}: accessibility violations\n${text}`);
  assert.deepEqual(page.jsErrors, [], `${label}: script errors`);
}

// A full-page screenshot to look at: build/screenshots/<name>.png.
export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// Nothing on the page is wider than the viewport (no sideways scrolling at
// phone width).
export async function fitsWidth(page, label) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(over <= 1, `${label}: the page is ${over} px wider than the screen`);
}

// Text squeezed narrower than it needs: a visible table cell (or chart
// label) less than 3 characters wide whose text wraps onto more lines than
// it has, as a name broken one character a line does. Returns the
// offenders, as "<column or chart> / <text>: <width> px, <n> lines".
export async function narrowText(page, selector = 'td, th, ul.chart .bar-label, ul.chart .bar-value') {
  return page.evaluate((sel) => {
    // The lines the element's text occupies: distinct tops of its text boxes.
    const lines = (el) => {
      const tops = [];
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        if (!n.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects())
          if (r.width > 0 && !tops.some((t) => Math.abs(t - r.top) < r.height / 2)) tops.push(r.top);
      }
      return tops.length;
    };
    const bad = [];
    for (const el of document.querySelectorAll(sel)) {
      const box = el.getBoundingClientRect(), head = el.closest('thead');
      if (box.width <= 1 || box.height <= 1) continue; // not shown
      if (head && head.getBoundingClientRect().width <= 1) continue; // a header row kept for screen readers
      const text = el.innerText.trim();
      if (!text) continue;
      const cs = getComputedStyle(el);
      const width = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const n = lines(el), own = text.split('\n').filter((l) => l.trim()).length;
      if (width < 3 * parseFloat(cs.fontSize) && n > own)
        bad.push(`${el.dataset.label || el.closest('ul')?.getAttribute('aria-labelledby') || el.tagName} / ${text}: ${width.toFixed(1)} px, ${n} lines`);
    }
    return bad;
  }, selector);
}

// fitsWidth(), and no table cell or chart label is squeezed (narrowText()).
export async function readableAtWidth(page, label) {
  await fitsWidth(page, label);
  const bad = await narrowText(page);
  assert.deepEqual(bad, [], `${label}: text squeezed narrower than 3 characters`);
}
