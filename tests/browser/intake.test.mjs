// The intake half of a campaign in a real browser (issue 8 §3, §4, §7): the
// admin opens a batch for 征集; a resident proposes on the public form and
// the proposal stays off the board; a cadre proposes and is shown similar
// problems (with the 查重 button without scripts, and live as the title is
// typed); the admin screens on /admin/screening (selects two, rejects one
// with a reason, merges one into another, publishes a round); the board
// and the problem's page show what was published; the proposer reads the
// outcome in 我的出卷 and a notification badge. Then a shorter journey at
// phone width. Every page visited passes axe-core; every new page is
// photographed at desktop and phone width (build/screenshots/intake-*).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../server/harness.mjs';
import { launch, open, logIn, checkA11y, shot, fitsWidth, DESKTOP, PHONE } from './browser.mjs';

let srv, browser;
const BATCH = '2027年第一批';
const started = Date.now();

before(async () => {
  srv = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
  console.log(`# intake journeys: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

// Look at a page: axe-core, no sideways scrolling at phone width, a screenshot.
async function look(page, name, size) {
  await checkA11y(page, `${name} (${size})`);
  if (size === 'phone') await fitsWidth(page, `${name} (phone)`);
  await shot(page, `intake-${name}-${size}`);
}

// The batch select appears when more than one batch is open for 征集.
async function pickBatch(page) {
  const sel = page.getByLabel('批次（征集中）');
  if (await sel.count()) await sel.selectOption({ label: BATCH });
}

async function fillProposal(page, { title, description, category }) {
  await page.getByLabel('难题名称').fill(title);
  await page.getByLabel('难题描述').fill(description);
  await page.getByLabel('难题类别').selectOption({ label: category });
  await pickBatch(page);
}

// A cadre's proposal through /propose; returns its id (from 我的出卷).
async function propose(page, p) {
  await page.goto(srv.url + '/propose');
  await fillProposal(page, p);
  await page.getByRole('button', { name: '提交出卷' }).click();
  await page.waitForURL(/\/me\/proposals\?done=created$/);
  const link = page.locator('table.mine a', { hasText: p.title }).first();
  return +(await link.getAttribute('href')).match(/\/proposals\/(\d+)$/)[1];
}

// The queue's row of a proposal, by its title.
const row = (page, title) => page.locator('table.screening tbody tr', { hasText: title });

const P = {
  lift: { title: '老旧小区加装电梯推进难', description: '县城有二十多个老旧小区没有电梯，老人上下楼困难，加装协调难。', category: '民生发展类' },
  lift2: { title: '老旧小区电梯加装推进难题', description: '老旧小区加装电梯意见难统一，资金分摊没有办法。', category: '城市建设类' },
  trash: { title: '农村生活垃圾清运不及时', description: '部分村庄垃圾清运一周一次，夏天气味大，群众意见多。', category: '生态环保类' },
  lamp: { title: '村东头路灯坏了三个月', description: '村东头主路上的路灯坏了三个月，晚上出行很不安全。', category: '乡村振兴类' },
};
const ids = {};

test('the admin opens a batch for 征集 on /admin/batches', async () => {
  const page = await open(browser, DESKTOP);
  await logIn(page, srv, 'admin');
  await page.goto(srv.url + '/admin/batches');
  await page.getByLabel('批次名称').fill(BATCH);
  await page.getByLabel('年度').fill('2027');
  await page.getByLabel('当前阶段（不按日期切换时）').selectOption('collecting');
  await page.getByRole('button', { name: '创建批次' }).click();
  await page.waitForURL(/\/admin\/batches\/\d+$/);
  assert.match(await page.locator('.summary').innerText(), /征集/);
  await page.context().close();
});

test('(a) a resident proposes on the public form, is thanked, and the proposal is not on the board', async () => {
  const page = await open(browser, DESKTOP);
  await page.goto(srv.url + '/');
  await page.getByRole('link', { name: '群众出卷' }).click();
  await page.waitForURL(/\/public\/propose$/);
  await look(page, 'public', 'desktop');
  // A mistake first: too short a description, kept with its message.
  await fillProposal(page, { ...P.lamp, description: '路灯坏了' });
  await page.getByLabel('称呼').fill('张大爷');
  await page.getByLabel('联系电话（仅管理员可见）').fill('0315-4123456');
  await page.getByRole('button', { name: '提交' }).click();
  await page.waitForSelector('.form-errors');
  assert.match(await page.locator('label.has-error').innerText(), /难题描述/);
  assert.equal(await page.getByLabel('难题名称').inputValue(), P.lamp.title, 'what was typed is kept');
  assert.equal(await page.getByLabel('称呼').inputValue(), '张大爷');
  await look(page, 'public-errors', 'desktop');
  await page.getByLabel('难题描述').fill(P.lamp.description);
  await page.getByRole('button', { name: '提交' }).click();
  await page.waitForURL(/\/public\/propose\?sent=1$/);
  assert.match(await page.locator('h1').innerText(), /感谢您反映问题/);
  assert.match(await page.locator('main').innerText(), /入选并发榜之前，它不会公开/);
  await look(page, 'thanks', 'desktop');
  await page.goto(srv.url + '/?q=' + encodeURIComponent('路灯坏了三个月'));
  assert.match(await page.locator('.summary').innerText(), /共 0 项/);
  await checkA11y(page, 'board without the proposal');
  await page.context().close();
});

test('(b) a cadre proposing a problem like an existing one is shown it: 查重 without scripts, live with them', async () => {
  const similar = '城区空中缆线专项整治工作'; // the demo's, on the board
  // Without scripts: the 查重 button shows the form again, as typed, with the similar problems.
  const plain = await open(browser, DESKTOP, { javaScriptEnabled: false });
  await logIn(plain, srv, 'cadre');
  await plain.goto(srv.url + '/propose');
  await plain.getByLabel('难题名称').fill('城区空中缆线乱拉乱挂');
  await plain.getByLabel('难题描述').fill('部分街道空中缆线又出现乱拉乱挂。');
  await plain.getByRole('button', { name: '查重（查找相似难题）' }).click();
  await plain.waitForSelector('#similar li');
  assert.match(await plain.locator('#similar').innerText(), new RegExp(similar));
  assert.equal(await plain.getByLabel('难题描述').inputValue(), '部分街道空中缆线又出现乱拉乱挂。', 'what was typed is kept');
  assert.equal(await plain.locator('#similar a').first().getAttribute('href'), '/problems/33');
  await shot(plain, 'intake-propose-check-nojs-desktop'); // axe needs scripts: the same markup is checked below
  await plain.context().close();

  // With scripts: the list comes while the title is typed, into the live region.
  const page = await open(browser, DESKTOP);
  await logIn(page, srv, 'cadre');
  await page.getByRole('link', { name: '出卷', exact: true }).click();
  await page.waitForURL(/\/propose$/);
  await look(page, 'propose', 'desktop');
  assert.equal(await page.locator('#similar').getAttribute('aria-live'), 'polite');
  await page.getByLabel('难题名称').pressSequentially('城区空中缆线', { delay: 30 });
  await page.waitForSelector('#similar li');
  assert.match(await page.locator('#similar').innerText(), new RegExp(similar));
  await checkA11y(page, 'propose with the live list');
  await page.getByRole('button', { name: '查重（查找相似难题）' }).click();
  await page.waitForURL(/\/propose$/);
  assert.match(await page.locator('#similar').innerText(), new RegExp(similar));
  await look(page, 'propose-check', 'desktop');
  // One character is too short to ask: the list goes.
  await page.getByLabel('难题名称').fill('电');
  await page.waitForFunction(() => !document.querySelector('#similar').children.length);

  // Three proposals for the screening journey.
  ids.lift = await propose(page, P.lift);
  ids.lift2 = await propose(page, P.lift2);
  ids.trash = await propose(page, P.trash);
  assert.match(await page.locator('.notice').innerText(), /出卷已提交/);
  await look(page, 'mine', 'desktop');
  await page.context().close();
});

test('(c) the admin screens and publishes a round; the board shows it; the proposer reads the outcome and a badge', async () => {
  const page = await open(browser, DESKTOP);
  await logIn(page, srv, 'admin');
  await page.getByRole('link', { name: '遴选', exact: true }).click();
  await page.waitForURL(/\/admin\/screening$/);
  await page.getByLabel('批次').selectOption({ label: BATCH });
  await page.getByRole('button', { name: '筛选' }).click();
  await page.waitForURL(/batch=\d+/);
  await look(page, 'screening', 'desktop');
  assert.equal(await page.locator('table.screening tbody tr').count(), 4);
  assert.match(await row(page, P.lamp.title).innerText(), /群众来件/);
  ids.lamp = +(await row(page, P.lamp.title).locator('a').getAttribute('href')).match(/(\d+)$/)[1];

  // The resident's phone is shown to the screener on the proposal page.
  await row(page, P.lamp.title).locator('a').click();
  await page.waitForURL(/\/proposals\/\d+$/);
  assert.match(await page.locator('.facts').innerText(), /0315-4123456/);
  await look(page, 'proposal-screener', 'desktop');
  await page.goBack();

  // Select two at once.
  await row(page, P.lift.title).getByRole('checkbox').check();
  await row(page, P.lamp.title).getByRole('checkbox').check();
  await page.getByLabel('操作').selectOption('select');
  await page.getByRole('button', { name: '执行' }).click();
  await page.waitForURL(/done=select/);
  assert.match(await page.locator('.notice').innerText(), /已对 2 项难题执行“遴选入选”/);
  await checkA11y(page, 'screening after selecting');

  // Reject one: without a reason it is refused beside the field, nothing asked.
  await row(page, P.trash.title).getByRole('checkbox').check();
  await page.getByLabel('操作').selectOption('reject');
  await page.getByRole('button', { name: '执行' }).click();
  await page.waitForSelector('.form-errors');
  assert.match(await page.locator('label.has-error').innerText(), /请填写不予入选的理由/);
  assert.ok(await row(page, P.trash.title).getByRole('checkbox').isChecked(), 'the choice is kept');
  await look(page, 'screening-errors', 'desktop');
  await page.getByLabel('理由（不予入选时必填）').fill('属于日常工作，不列入本轮难题');
  await page.getByRole('button', { name: '执行' }).click();
  await page.waitForSelector('section.confirm');
  assert.match(await page.locator('.ask').innerText(), /选中的 1 项难题/);
  await look(page, 'confirm', 'desktop');
  await page.getByRole('button', { name: '不予入选' }).click();
  await page.waitForURL(/done=reject/);

  // Publishing a selected one along with a proposal not selected: all or nothing, naming it.
  await row(page, P.lift2.title).getByRole('checkbox').check();
  await page.getByLabel('操作').selectOption('publish');
  await page.getByRole('button', { name: '执行' }).click();
  await page.waitForSelector('.form-errors');
  assert.match(await page.locator('.form-errors').innerText(), new RegExp(`#${ids.lift2} ${P.lift2.title}”现为“待遴选”`));
  await checkA11y(page, 'screening with a conflict');

  // Merge one into another from its page (a quick choice among the similar ones).
  await page.goto(srv.url + `/proposals/${ids.lift2}`);
  await page.getByRole('button', { name: `合并到 #${ids.lift}` }).click();
  await page.waitForSelector('section.confirm');
  await page.getByRole('button', { name: '合并到其他难题' }).click();
  await page.waitForURL(/done=merge/);
  assert.match(await page.locator('.facts').innerText(), new RegExp(`已合并到 #${ids.lift} ${P.lift.title}`));
  await look(page, 'proposal-merged', 'desktop');
  // Merging into itself is refused with the verb's message.
  await page.goto(srv.url + `/proposals/${ids.lift}`);
  await page.getByLabel('合并到（难题编号）').fill(String(ids.lift));
  await page.locator('.action-box', { hasText: '合并到其他难题' }).getByRole('button', { name: '合并到其他难题' }).click();
  await page.waitForSelector('section.confirm');
  await page.getByRole('button', { name: '合并到其他难题' }).click();
  await page.waitForSelector('.form-errors');
  assert.match(await page.locator('label.has-error').innerText(), /不能把难题合并到它自己/);
  assert.equal(await page.getByLabel('合并到（难题编号）').inputValue(), String(ids.lift));
  await look(page, 'proposal-errors', 'desktop');

  // Publish the round.
  await page.goto(srv.url + '/admin/screening');
  const box = page.locator('.action-box', { hasText: BATCH });
  assert.match(await box.innerText(), /已遴选、待发榜：2 项/);
  await box.getByRole('button', { name: /发布本轮（第1轮）/ }).click();
  await page.waitForURL(/done=publish/);
  assert.match(await page.locator('.notice').innerText(), /已发布第 1 轮榜单，共 2 项难题/);
  assert.match(await page.locator('.action-box', { hasText: BATCH }).innerText(), /第1轮 · \d{4}-\d\d-\d\d · 2 项 · admin/);
  await look(page, 'screening-published', 'desktop');

  // The board and the problem's page.
  await page.goto(srv.url + '/?q=' + encodeURIComponent('老旧小区加装电梯'));
  await page.getByRole('link', { name: P.lift.title, exact: true }).click();
  await page.waitForURL(new RegExp(`/problems/${ids.lift}$`));
  assert.equal(await page.locator('h1').innerText(), P.lift.title);
  await checkA11y(page, 'the published problem');
  await page.goto(srv.url + '/?q=' + encodeURIComponent('路灯坏了三个月'));
  assert.match(await page.locator('.summary').innerText(), /共 1 项/);
  await page.context().close();

  // The proposer: the badge, the outcomes, a notification opened.
  const cadre = await open(browser, DESKTOP);
  await logIn(cadre, srv, 'cadre');
  const badge = cadre.getByRole('link', { name: /^通知\s?（\d+条未读）$/ });
  const unread = +(await badge.innerText()).match(/\d+/)[0];
  assert.ok(unread >= 4, `${unread} unread: selected, published, merged, rejected`);
  await cadre.goto(srv.url + '/me/proposals');
  const mine = (id) => cadre.locator('table.mine tbody tr', { has: cadre.locator('td[data-label="编号"]', { hasText: new RegExp(`^${id}$`) }) });
  assert.match(await mine(ids.lift).innerText(), /已发榜第 1 轮/);
  assert.match(await mine(ids.trash).innerText(), /未入选：属于日常工作，不列入本轮难题/);
  assert.match(await mine(ids.lift2).innerText(), new RegExp(`已合并到 #${ids.lift} ${P.lift.title}`));
  await look(cadre, 'mine-outcomes', 'desktop');
  await badge.click();
  await cadre.waitForURL(/\/me\/notifications$/);
  await look(cadre, 'notifications', 'desktop');
  await cadre.getByRole('button', { name: `您的出卷“${P.lift.title}”已发榜` }).click();
  await cadre.waitForURL(new RegExp(`/problems/${ids.lift}$`));
  assert.match(await cadre.getByRole('link', { name: /^通知/ }).innerText(), new RegExp(`${unread - 1}`));
  await cadre.goto(srv.url + '/me/notifications');
  await cadre.getByRole('button', { name: '全部标为已读' }).click();
  await cadre.waitForURL(/done=read/);
  assert.equal(await cadre.getByRole('link', { name: '通知', exact: true }).count(), 1, 'no unread badge');
  await checkA11y(cadre, 'notifications read');
  await cadre.context().close();
});

test('(d) at phone width: a resident proposes, the admin screens it, every page fits the screen', async () => {
  const P2 = { title: '小学门口上下学时段拥堵', description: '小学门口上下学时段车辆乱停，孩子过马路不安全。', category: '社会治理类' };
  const resident = await open(browser, PHONE);
  await resident.goto(srv.url + '/public/propose');
  await look(resident, 'public', 'phone');
  await fillProposal(resident, P2);
  await resident.getByRole('button', { name: '提交' }).click();
  await resident.waitForURL(/sent=1$/);
  await look(resident, 'thanks', 'phone');
  await resident.context().close();

  const cadre = await open(browser, PHONE);
  await logIn(cadre, srv, 'cadre');
  await cadre.goto(srv.url + '/propose');
  await cadre.getByLabel('难题名称').pressSequentially('老旧小区加装电梯', { delay: 30 });
  await cadre.waitForSelector('#similar li');
  await look(cadre, 'propose', 'phone');
  await cadre.goto(srv.url + '/me/proposals');
  await look(cadre, 'mine', 'phone');
  await cadre.goto(srv.url + '/me/notifications');
  await look(cadre, 'notifications', 'phone');
  await cadre.context().close();

  const page = await open(browser, PHONE);
  await logIn(page, srv, 'admin');
  await look(page, 'header-admin', 'phone');
  await page.goto(srv.url + '/admin/screening');
  await look(page, 'screening', 'phone');
  await row(page, P2.title).getByRole('link').click();
  await page.waitForURL(/\/proposals\/\d+$/);
  await look(page, 'proposal-screener', 'phone');
  await page.getByRole('button', { name: '遴选入选' }).click();
  await page.waitForURL(/done=select/);
  assert.match(await page.locator('.badges').innerText(), /已遴选/);
  // 撤榜 asks first, in red, with the reason carried to the confirmation.
  await page.getByLabel('撤榜的理由').fill('与其他部门职责重复'); // a resident's: no account to read it
  await page.getByRole('button', { name: '撤榜' }).click();
  await page.waitForSelector('section.confirm');
  assert.match(await page.locator('section.confirm').innerText(), /理由：与其他部门职责重复/);
  await look(page, 'confirm', 'phone');
  await page.getByRole('link', { name: '取消' }).click();
  await page.waitForURL(/\/proposals\/\d+$/);
  assert.match(await page.locator('.badges').innerText(), /已遴选/, 'cancelled: nothing changed');
  await page.goto(srv.url + `/proposals/${ids.lift2}`);
  await look(page, 'proposal-merged', 'phone');
  await page.context().close();
});
