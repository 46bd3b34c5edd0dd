// Password hashing runs off the request threads (SECURITY.md: "Anything
// that costs 100 ms of CPU (argon2id) must not run on every request thread
// at once"): ROUTE_SLOW handlers run on a pool of one worker here, at the
// production cost, with a short queue. Each log-in comes from its own
// loopback address so that no per-address limit is what answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from './harness.mjs';

const QUEUE = 8;
let srv;
before(async () => {
  srv = await startServer({ env: { JIEBANG_TEST_FAST_HASH: '0', JIEBANG_SLOW_WORKERS: '1', JIEBANG_SLOW_QUEUE: String(QUEUE) } });
});
after(async () => { await srv.stop(); });

const LOGINS = ['admin', 'unit', 'cadre', 'evaluator', 'leader'];
let nextAddr = 0;

// Send one request on its own connection from a fresh address; resolves
// with the status, the answer and how long it took (ms).
function send(request) {
  const n = nextAddr++, from = `127.0.${3 + Math.floor(n / 250)}.${1 + (n % 250)}`;
  const t0 = Date.now();
  return new Promise((resolve) => {
    const s = net.connect({ port: srv.port, host: '127.0.0.1', localAddress: from });
    let text = '';
    s.on('data', (d) => (text += d));
    s.on('error', () => {});
    s.on('close', () => resolve({ text, ms: Date.now() - t0, at: Date.now(), status: Number((text.match(/^HTTP\/1\.1 (\d{3})/) || [])[1]) }));
    s.write(request);
  });
}
function login(i) {
  const body = JSON.stringify({ login: LOGINS[i % LOGINS.length], password: 'jiebang-demo' });
  return send(`POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
const healthz = () => send('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('pages are answered at once while log-ins keep the hashing worker busy', async () => {
  let stop = false, ok = 0;
  // Six clients logging in again as soon as they are answered (after a
  // pause when the server is busy), as one address did on 40 connections.
  const loop = async (k) => {
    for (let i = k; !stop; i += 6) {
      const r = await login(i);
      if (r.status === 200) ok++;
      if (r.status === 503) await sleep(50);
    }
  };
  const clients = Array.from({ length: 6 }, (_, k) => loop(k));
  await sleep(200);
  const pages = [];
  for (let i = 0; i < 12; i++) {
    pages.push(await healthz());
    await sleep(60);
  }
  stop = true;
  await Promise.all(clients);
  assert.ok(pages.every((p) => p.status === 200), 'every page answered 200');
  assert.ok(ok >= 5, `only ${ok} log-ins succeeded: the worker was not kept busy`);
  // A page waiting behind argon2id on a request thread takes tens of ms.
  assert.ok(median(pages.map((p) => p.ms)) < 30, `pages took ${pages.map((p) => p.ms).join(', ')} ms`);
});

test('a full hashing queue answers 503 with Retry-After at once', async () => {
  const answers = await Promise.all(Array.from({ length: 3 * QUEUE }, (_, i) => login(i)));
  const busy = answers.filter((a) => a.status === 503);
  assert.ok(busy.length > 0, `statuses: ${answers.map((a) => a.status).join(' ')}`);
  assert.ok(answers.some((a) => a.status === 200), 'the queued log-ins succeed');
  assert.ok(answers.every((a) => [200, 429, 503].includes(a.status)), answers.map((a) => a.status).join(' '));
  for (const b of busy) {
    assert.match(b.text, /Retry-After: 5/i);
    assert.match(b.text, /"code":"busy"/);
  }
  const slowest = answers.filter((a) => a.status === 200).map((a) => a.at);
  assert.ok(Math.min(...busy.map((b) => b.at)) < Math.max(...slowest), 'refused before the queue drained');
});
