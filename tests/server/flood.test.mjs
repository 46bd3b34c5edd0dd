// A flood of refused anonymous requests cannot queue the writer or fill the
// audit log (issue 7.7): per address and minute the first 10 refusals are
// written one by one, the rest only counted, and one summary row carries
// the count when the minute is over or the server stops. A signed-in
// user's refusals are always written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get } from './harness.mjs';
import { login, api, audit } from './accounts.mjs';

let srv, stopped = false;
before(async () => { srv = await startServer(); });
after(async () => { if (!stopped) await srv.stop(); });

test('issue 7.7 / ASVS 7.2.2: 50 refused anonymous POSTs write a bounded number of rows, and the count stays visible', async () => {
  const before_ = audit(srv, "outcome = 'denied'").length;
  for (let i = 0; i < 50; i++) {
    const r = await get(srv, '/api/v1/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(r.status, 401, `#${i + 1}`);
  }
  const rows = audit(srv, "outcome = 'denied'");
  assert.equal(rows.length - before_, 10, 'ten written one by one');
  assert.ok(rows.slice(0, 10).every((e) => e.actor === 'anonymous' && e.action === 'token.manage' && e.client_addr === '127.0.0.1'));
  // A signed-in user's refusals are all written: they are accountable.
  const cadre = await login(srv, 'cadre');
  for (let i = 0; i < 15; i++) assert.equal((await api(srv, cadre, 'POST', '/api/v1/users/1/disable', {})).status, 403);
  assert.equal(audit(srv, "outcome = 'denied' AND actor = 'cadre'").length, 15);
  // The other 40 are one summary row, written at the latest when the server stops.
  srv.child.kill('SIGTERM');
  await new Promise((resolve) => srv.child.once('exit', resolve));
  const summary = audit(srv, "action = 'refusal.summary'");
  assert.equal(summary.length, 1);
  assert.equal(summary[0].client_addr, '127.0.0.1');
  assert.equal(JSON.parse(summary[0].after).count, 40);
  assert.equal(JSON.parse(summary[0].after).addr, '127.0.0.1');
  stopped = true;
  await srv.stop();
});
