// Slow and greedy clients (SECURITY.md, "Lessons from the first hostile
// test"): deadlines for the request head and the whole request, the
// per-address connection limit and the reserve kept for new clients. The
// server runs with small limits so that this takes seconds. Clients come
// from several loopback addresses (127.0.0.2, ...), which Linux routes to
// the server on 127.0.0.1 like distinct hosts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './harness.mjs';

const HEAD_S = 2, REQUEST_S = 4, MAX_CONNS = 64, PER_ADDR = 8;
const RESERVE_FROM = MAX_CONNS - MAX_CONNS / 4; // then addresses holding one are refused
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let srv;
before(async () => {
  srv = await startServer({ env: {
    JIEBANG_HEAD_TIMEOUT: String(HEAD_S), JIEBANG_REQUEST_TIMEOUT: String(REQUEST_S),
    JIEBANG_MAX_CONNECTIONS: String(MAX_CONNS), JIEBANG_CONNECTIONS_PER_ADDR: String(PER_ADDR),
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
