// An internal error: 500 without internals, logged with the request id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, get, sql, validHtml } from './harness.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv.stop(); });

test('a store failure is a 500 page that shows a reference id, not the cause', async () => {
  assert.equal((await get(srv, '/stats')).status, 200);
  sql(srv.store, 'DROP TABLE problem_tally'); // break the store under the running server
  const page = await get(srv, '/stats');
  assert.equal(page.status, 500);
  validHtml(page.text);
  const id = page.headers.get('x-request-id');
  assert.match(page.text, new RegExp(id));
  assert.doesNotMatch(page.text, /problem_tally|SQL|sqlite|postgres/i);
  const api = await get(srv, '/api/v1/stats');
  assert.equal(api.status, 500);
  assert.equal(api.json().error.code, 'internal');
  assert.doesNotMatch(api.text, /problem_tally/);
  await new Promise((r) => setTimeout(r, 100));
  const line = srv.log().split('\n').find((l) => l.includes(`req=${id} store error`));
  assert.ok(line, 'the cause is logged with the request id');
  assert.match(line, /problem_tally/);
  // Pages that do not need the broken table still work.
  assert.equal((await get(srv, '/healthz')).status, 200);
});
