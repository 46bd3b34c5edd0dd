// The demo's 2022 batch is closed as of 2022-08-31 ("截至2022年8月"): the
// board and the problem pages judge overdue as of that day and say so;
// this year's batch is open for proposals that no public page shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, validHtml, sql } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

const AS_OF = 1661961599; // 2022-08-31 23:59:59 in Beijing
const AS_OF_LINE = '<p class="muted">“2022年第一批”已结束，统计截至 2022年8月31日。</p>';
const q = (text) => sql(srv.store, text).trim();
const idOf = (title) => +q(`SELECT id FROM problem WHERE title = '${title}'`);
const json = async (path) => {
  const r = await get(srv, path);
  assert.equal(r.status, 200, r.text);
  return r.json();
};

// Problems of working claims with a node not done, due before (or not
// before) the as-of moment.
const openNodes = (cmp) => q(`SELECT DISTINCT p.id FROM problem p JOIN claim c ON c.tenant_id = p.tenant_id
  AND c.problem_id = p.id AND c.state IN ('approved','signed') JOIN milestone m ON m.tenant_id = c.tenant_id
  AND m.claim_id = c.id WHERE p.batch_id = 1 AND p.state IN ('claimed','in_progress') AND m.done_at IS NULL
  AND m.due_at ${cmp} ${AS_OF} ORDER BY p.id`).split('\n').filter(Boolean).map(Number);

test('a 2022 problem with a node due before 2022-08-31 and not done is overdue, and the page says as of when', async () => {
  const late = openNodes('<');
  assert.ok(late.length >= 3, `${late.length} problems with a late node`);
  const id = idOf('开发区至沿海片区货运通道通行能力不足');
  assert.ok(late.includes(id));
  const r = await get(srv, `/problems/${id}`);
  assert.equal(r.status, 200);
  validHtml(r.text);
  assert.match(r.text, /<span class="overdue">有逾期节点<\/span>/);
  assert.match(r.text, /<li class="is-overdue"><span class="ms-title">[^<]+<\/span> <span class="muted">计划 2022-0[1-8]-\d\d<\/span> <span class="overdue">逾期未完成<\/span><\/li>/);
  assert.ok(r.text.includes(AS_OF_LINE), 'the as-of line');
  assert.ok(r.text.indexOf(AS_OF_LINE) > r.text.indexOf('<h2 id="ms-h">节点计划</h2>'), 'beside the milestones');
  const p = await json(`/api/v1/problems/${id}`);
  assert.equal(p.overdue, true);
});

test('a node due after 2022-08-31 is not overdue, although that day is long past', async () => {
  const id = idOf('东张士坎南区征收搬迁');
  assert.ok(openNodes('>').includes(id), 'the relocation case has nodes due in October and December 2022');
  assert.ok(!openNodes('<').includes(id));
  const r = await get(srv, `/problems/${id}`);
  validHtml(r.text);
  assert.doesNotMatch(r.text, /逾期/);
  assert.match(r.text, /计划 2022-10-31<\/span> <span class="muted">进行中<\/span>/);
  assert.ok(r.text.includes(AS_OF_LINE));
  const p = await json(`/api/v1/problems/${id}`);
  assert.equal(p.overdue, false);
  assert.ok(p.claim.milestones.length === 4 && p.claim.milestones.every((m) => m.overdue === false));
});

test('the board flags exactly the problems overdue as of 2022-08-31, and says so when filtered to the batch', async () => {
  const items = [...(await json('/api/v1/problems?per_page=100')).items, ...(await json('/api/v1/problems?per_page=100&page=2')).items];
  assert.equal(items.length, 104);
  const flagged = items.filter((i) => i.overdue).map((i) => i.id).sort((a, b) => a - b);
  assert.deepEqual(flagged, openNodes('<'));
  const working = items.filter((i) => i.state === 'claimed' || i.state === 'in_progress').length;
  assert.ok(flagged.length < working / 2, `${flagged.length} of ${working} working problems are overdue, not all`);
  const one = await get(srv, '/?batch=1');
  validHtml(one.text);
  assert.ok(one.text.includes(AS_OF_LINE));
  assert.match(one.text, /<a href="\/problems\/10">开发区至沿海片区货运通道通行能力不足<\/a><\/td><td>项目建设类<\/td><td><span class="state state-in_progress">攻坚中<\/span> <span class="overdue">逾期<\/span>/);
  assert.ok(!(await get(srv, '/')).text.includes('统计截至'), 'not on the unfiltered board');
  assert.ok(!(await get(srv, '/?batch=2')).text.includes('统计截至'), 'nor for the open batch');
});

test('this year\'s batch is open for proposals that the board, the pages and the figures leave out', async () => {
  const year = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear();
  assert.equal(q('SELECT name || \'|\' || phase || \'|\' || by_dates FROM batch WHERE id = 2'), `${year}年第一批|collecting|0`);
  assert.equal(q("SELECT count(*) FROM problem WHERE batch_id = 2 AND state = 'proposed' AND is_public = 0"), '6');
  // each unit's proposal is its login's; the resident's keeps the phone
  assert.equal(q(`SELECT count(*) FROM problem p JOIN app_user u ON u.tenant_id = p.tenant_id AND u.id = p.proposer_user_id
    WHERE p.batch_id = 2 AND u.unit_id = p.proposer_unit_id`), '5');
  assert.equal(q("SELECT contact_name || ' ' || contact_phone || ' ' || residents_concern FROM problem WHERE batch_id = 2 AND proposer_user_id IS NULL"),
    '王女士 13800138000 1');
  // not on the board, in any filter or search; not reachable by id
  const board = await get(srv, '/?batch=2');
  assert.match(board.text, /共 <strong>0<\/strong> 项难题/);
  assert.equal((await json('/api/v1/problems?batch=2')).total, 0);
  assert.equal((await json('/api/v1/problems')).total, 104);
  for (const word of ['电梯', '快递', '店招标牌', '新时代文明实践站']) {
    const r = await json('/api/v1/problems?q=' + encodeURIComponent(word));
    assert.ok(r.items.every((i) => +q(`SELECT batch_id FROM problem WHERE id = ${i.id}`) === 1), word);
  }
  const ids = q('SELECT id FROM problem WHERE batch_id = 2').split('\n').map(Number);
  for (const id of ids) {
    assert.equal((await get(srv, `/problems/${id}`)).status, 404);
    assert.equal((await get(srv, `/api/v1/problems/${id}`)).status, 404);
  }
  // the report's figures are unchanged
  const s = await json('/api/v1/stats');
  assert.deepEqual([s.problems, s.claimed, s.solved, s.promotions], [104, 86, 33, 6]);
  assert.deepEqual(s.claiming_units, { 县直单位: 62, 镇街: 17 });
  assert.deepEqual(s.claiming_cadres, { 科级: 209, 股级以下: 43 });
});
