// openapi.mjs - checks every answer under /api/ against the server's own
// OpenAPI document (GET /api/v1/openapi.json, loaded once per server): the
// operation by method and path template, the schema for the status (exact,
// then "2XX"/"4XX"/"5XX"), validated with ajv (JSON Schema 2020-12). A
// mismatch throws an AssertionError naming the operation, the status, what
// differs and the start of the body. harness.mjs get() calls checkAnswer().
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats');

const docs = new Map(); // server url -> Promise<checker | null>

// "#/components/schemas/X" -> "urn:jiebang:X", so that each schema is its own
// ajv resource.
function rewrite(v) {
  if (Array.isArray(v)) return v.map(rewrite);
  if (v && typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v))
      o[k] = k === '$ref' && typeof x === 'string' && x.startsWith('#/components/schemas/')
        ? 'urn:jiebang:' + x.slice('#/components/schemas/'.length) : rewrite(x);
    return o;
  }
  return v;
}

// A checker for one document: { doc, ajv, find(method, path), schemaFor(op, status, type) }.
export function checkerFor(doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const [name, s] of Object.entries(doc.components.schemas))
    ajv.addSchema(rewrite(s), 'urn:jiebang:' + name);
  const ops = [];
  for (const [tpl, item] of Object.entries(doc.paths)) {
    const rx = new RegExp('^' + tpl.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$');
    for (const [method, op] of Object.entries(item)) ops.push({ tpl, rx, method: method.toUpperCase(), op });
  }
  const compiled = new Map();
  return {
    doc, ajv, ops,
    // The operation for method and path (literal segments win over templates).
    find(method, path) {
      const all = ops.filter((o) => o.method === method && o.rx.test(path));
      all.sort((a, b) => (a.tpl.match(/\{/g) || []).length - (b.tpl.match(/\{/g) || []).length);
      return all[0] || null;
    },
    // The compiled validator of op's answer with status and media type, or null.
    validator(found, status, type) {
      const r = found ? found.op.responses : { '4XX': { $ref: '#/components/responses/Error' }, '5XX': { $ref: '#/components/responses/Error' } };
      let resp = r[String(status)] || r[`${String(status)[0]}XX`] || r.default;
      if (!resp) return { missing: `no response ${status} declared` };
      if (resp.$ref) resp = doc.components.responses[resp.$ref.split('/').pop()];
      const content = resp.content || {};
      const media = Object.keys(content).find((m) => m === type) ||
        Object.keys(content).find((m) => m === '*/*' || (m.endsWith('/*') && type.startsWith(m.slice(0, -1))));
      if (!media) return { missing: `media type ${type} not declared for ${status} (declared: ${Object.keys(content).join(', ') || 'none'})` };
      if (!content[media].schema) return { ok: true };
      const key = `${found ? found.method + ' ' + found.tpl : '-'} ${status} ${media}`;
      if (!compiled.has(key)) compiled.set(key, ajv.compile(rewrite(content[media].schema)));
      return { validate: compiled.get(key) };
    },
  };
}

async function load(url) {
  let r;
  try {
    r = await fetch(url + '/api/v1/openapi.json');
  } catch {
    return null; // the server is gone: the caller's own request failed too
  }
  assert.equal(r.status, 200, `GET /api/v1/openapi.json answered ${r.status}`);
  return checkerFor(await r.json());
}

// The checker for a running server (loaded once).
export function checkerOf(srv) {
  if (!docs.has(srv.url)) docs.set(srv.url, load(srv.url));
  return docs.get(srv.url);
}

// Check one answer. path is what was requested (a /t/<slug> prefix and the
// query are ignored); answers outside /api/ pass.
export async function checkAnswer(srv, method, path, status, headers, text) {
  const p = path.replace(/^\/t\/[^/]+/, '').split('?')[0];
  if (!p.startsWith('/api/') || status === 304 || method === 'HEAD') return;
  // To see the real answers while writing a route's shape: every /api/ answer
  // appended to this file as a JSON line.
  if (process.env.JIEBANG_OPENAPI_DUMP)
    appendFileSync(process.env.JIEBANG_OPENAPI_DUMP, JSON.stringify({ m: method, p: path, s: status, b: text }) + '\n');
  const c = await checkerOf(srv);
  if (!c) return;
  const type = (headers.get('content-type') || '').split(';')[0].trim();
  const found = c.find(method, p);
  const where = `${method} ${found ? found.tpl : p} → ${status}`;
  if (!found && status < 400) assert.fail(`${where}: the OpenAPI document has no such operation`);
  const v = c.validator(found, status, type);
  if (v.missing) assert.fail(`${where}: ${v.missing}`);
  if (!v.validate || !/json/.test(type)) return;
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`${where}: the body is not JSON: ${text.slice(0, 200)}`);
  }
  if (!v.validate(body)) {
    const errs = v.validate.errors.slice(0, 6).map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ' ' + e.params.additionalProperty : ''}`);
    assert.fail(`${where}: the answer does not match the OpenAPI document:\n  ${errs.join('\n  ')}\n  body: ${text.slice(0, 400)}`);
  }
}
