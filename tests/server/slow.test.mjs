// Slow and greedy clients (SECURITY.md, "Lessons from the first hostile
// test"): deadlines for the request head and the whole request, the
// per-address connection limit and the reserve kept for new clients, the
// budget for buffered request bodies. The
// server runs with small limits so that this takes seconds. Clients come
// from several loopback addresses (127.0.0.2, ...), which Linux routes to
// the server on 127.0.0.1 like distinct hosts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { startServer } from './harness.mjs';

const HEAD_S = 2, REQUEST_S = 4, MAX_CONNS = 64, PER_ADDR = 8, BUDGET_MIB = 8;
const RESERVE_FROM = MAX_CONNS - MAX_CONNS / 4; // then addresses holding one are refused
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let srv;
before(async () => {
  srv = await startServer({ env: {
    JIEBANG_HEAD_TIMEOUT: String(HEAD_S), JIEBANG_REQUEST_TIMEOUT: String(REQUEST_S),
    JIEBANG_MAX_CONNECTIONS: String(MAX_CONNS), JIEBANG_CONNECTIONS_PER_ADDR: String(PER_ADDR),
    JIEBANG_BODY_BUDGET_MIB: String(BUDGET_MIB),
  } });
});
after(async () => { await srv.stop(); });

// A connection from address `from` that sends `head` at once and then
// `trickle` every `every` ms until the server closes it. closed resolves
// with the milliseconds from the connect call to the close.
function client(from, { head = '', trickle = null, every = 400 } = {}) {
  const t0 = Date.now();
  const c = { open: true, data: '' };
  const s = net.connect({ port: srv.port, host: '127.0.0.1', localAddress: from });
  let timer;
  c.closed = new Promise((resolve) => s.on('close', () => {
    c.open = false;
    clearInterval(timer);
    resolve(Date.now() - t0);
  }));
  s.on('error', () => {});
  s.on('data', (d) => (c.data += d));
  s.on('connect', () => {
    if (head) s.write(head);
    if (trickle) timer = setInterval(() => s.write(trickle), every);
  });
  c.destroy = () => s.destroy();
  return c;
}

// One request from address `from` on its own connection; the answer's status.
async function statusFrom(from, path = '/healthz') {
  const c = client(from, { head: `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n` });
  await c.closed;
  return Number((c.data.match(/^HTTP\/1\.1 (\d{3})/) || [])[1]);
}

// The close time, or Infinity when still open after limit ms.
const within = (closed, limit) => Promise.race([closed, sleep(limit).then(() => Infinity)]);
const addr = (i) => `127.0.0.${i}`;
const closeAll = async (cs) => { cs.forEach((c) => c.destroy()); await Promise.all(cs.map((c) => c.closed)); await sleep(200); };

test('connections trickling header lines are closed at the head deadline; others are served meanwhile', async () => {
  const loris = [];
  for (let a = 2; a < 7; a++)
    for (let i = 0; i < PER_ADDR; i++)
      loris.push(client(addr(a), { head: 'GET / HTTP/1.1\r\nHost: x\r\n', trickle: 'X-Slow: 1\r\n' }));
  try {
    await sleep(500);
    assert.equal(loris.filter((c) => c.open).length, loris.length, 'all slow connections were accepted');
    assert.equal(await statusFrom(addr(1)), 200);
    const after = await Promise.all(loris.map((c) => within(c.closed, HEAD_S * 1000 + 4000)));
    for (const ms of after) {
      assert.ok(ms >= HEAD_S * 1000 - 100, `closed after ${ms} ms, before the head deadline`);
      assert.ok(ms < HEAD_S * 1000 + 4000, `closed only after ${ms} ms`);
    }
  } finally {
    await closeAll(loris);
  }
  assert.match(srv.log(), new RegExp(`closed \\d+ connection\\(s\\): request head not complete within ${HEAD_S} s`));
  assert.equal(await statusFrom(addr(2)), 200, 'a cut address is served again');
});

test('an address holds at most its share of connections, and the last quarter is kept for addresses that hold few', async () => {
  const greedy = Array.from({ length: PER_ADDR + 4 }, () => client(addr(10)));
  const others = [];
  for (let a = 11; a < 11 + RESERVE_FROM / PER_ADDR - 1; a++)
    for (let i = 0; i < PER_ADDR; i++) others.push(client(addr(a)));
  const late = [];
  try {
    await sleep(600);
    assert.equal(greedy.filter((c) => c.open).length, PER_ADDR, 'an address beyond its limit is refused');
    assert.equal(others.filter((c) => c.open).length, others.length);
    // RESERVE_FROM connections are in use: an address that holds one is
    // refused now, one that holds none is not.
    for (let i = 0; i < 3; i++) late.push(client(addr(30)));
    await sleep(600);
    assert.equal(late.filter((c) => c.open).length, 1, 'in the reserve, an address gets one connection');
    assert.equal(await statusFrom(addr(31)), 200, 'a new address is still served');
  } finally {
    await closeAll(greedy.concat(others, late));
  }
  assert.match(srv.log(), new RegExp(`refused \\d+ connection\\(s\\): ${PER_ADDR} per address already open`));
  assert.match(srv.log(), /refused \d+ connection\(s\): \d+ of 64 in use, the rest kept for addresses holding fewer than 1/);
});

test('a body trickled past the request deadline is cut; the head deadline no longer applies to it', async () => {
  const head = 'POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n';
  const slow = client(addr(40), { head, trickle: ' ', every: 300 });
  const ms = await within(slow.closed, REQUEST_S * 1000 + 4000);
  await closeAll([slow]);
  assert.ok(ms >= REQUEST_S * 1000 - 100, `cut after ${ms} ms, before the request deadline`);
  assert.ok(ms < REQUEST_S * 1000 + 4000, `cut only after ${ms} ms`);
  assert.match(srv.log(), new RegExp(`closed 1 connection\\(s\\): request not complete within ${REQUEST_S} s \\(last from 127\\.0\\.0\\.40\\)`));
});

test('a slow client that completes its request within the deadlines is served', async () => {
  const parts = ['GET /healthz HTTP/1.1\r\n', 'Host: x\r\n', 'Connection: close\r\n', '\r\n'];
  const s = net.connect({ port: srv.port, host: '127.0.0.1', localAddress: addr(42) });
  let data = '';
  s.on('data', (d) => (data += d));
  const closed = new Promise((r) => s.on('close', r));
  for (const p of parts) { s.write(p); await sleep(300); }
  await closed;
  assert.match(data, /^HTTP\/1\.1 200/);
});

test('bodies held nearly complete stay within the body budget; more are refused with 503', async () => {
  const MiB = 1 << 20;
  const rss = () => Number(readFileSync(`/proc/${srv.child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]) * 1024;
  const before = rss();
  // A path no route takes a POST for reads a body up to the default cap
  // (1 MiB) and then answers 405; the routes that do read bodies cap them
  // far lower.
  const head = `POST /api/v1/stats HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${MiB}\r\n\r\n`;
  const body = 'x'.repeat(MiB - 1); // one byte short: the server holds every one of them
  const holders = [];
  for (let a = 50; a < 55; a++)
    for (let i = 0; i < PER_ADDR; i++) holders.push(client(addr(a), { head: head + body }));
  try {
    await sleep(1500);
    const grown = rss() - before;
    const open = holders.filter((c) => c.open);
    assert.ok(grown < (BUDGET_MIB + 8) * MiB, `resident memory grew by ${(grown / MiB).toFixed(1)} MiB`);
    assert.equal(open.length, BUDGET_MIB, 'as many bodies held as the budget has room for');
    const refused = holders.filter((c) => /^HTTP\/1\.1 503/.test(c.data));
    assert.ok(refused.length > 0, 'the refused see a 503'); // (a reset may overtake it on some)
    assert.ok(refused.every((c) => /Retry-After: 5/i.test(c.data) && /服务器繁忙/.test(c.data)));
    assert.equal(await statusFrom(addr(56)), 200, 'other clients are served meanwhile');
    // A chunked body, of no declared length, draws on the budget as it
    // comes: with none left its connection is closed.
    const chunk = 'y'.repeat(64 * 1024);
    const chunked = client(addr(58), { head: 'POST /api/v1/stats HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      `Transfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n` });
    assert.ok(await within(chunked.closed, 1500) < 1500, 'the chunked body was closed at once');
    assert.equal(chunked.data, '');
  } finally {
    await closeAll(holders);
  }
  assert.match(srv.log(), new RegExp(`warn req=\\w+ body budget \\(${BUDGET_MIB} MiB\\) in use: refused \\(503\\) a ${MiB}-byte body from 127\\.0\\.0\\.5\\d`));
  assert.match(srv.log(), /body budget \(8 MiB\) in use: closed the connection of a \d+-byte body from 127\.0\.0\.58/);
  // The budget is given back: a body fits again.
  const again = client(addr(57), { head: head.replace(`${MiB}`, '2').replace('\r\n\r\n', '\r\nConnection: close\r\n\r\n') + '{}' });
  await within(again.closed, 3000);
  assert.doesNotMatch(again.data, /^HTTP\/1\.1 503/);
});
