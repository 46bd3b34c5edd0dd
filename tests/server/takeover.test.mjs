// Actions on another account: every role (and anonymous) acts on a target
// of every role, in its own unit and in another, through the page form and
// the API. One may act only on accounts one could have made: user.manage
// over the target and role.grant.<role> for every role the target holds
// (the first hostile test: a unit liaison reset the admin's password and
// signed in as admin). A refused action answers 401/403, changes nothing
// and is logged; a page shows only the forms its reader may use.
// ASVS 4.1.1 / 4.1.3 / 4.2.1, 3.3.1 (tokens and sessions end).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, run } from './harness.mjs';
import { ROLES, login, form, api, page, snapshotWithDenials, openSql, cliAdd, cliToken } from './accounts.mjs';

let srv, conn, adminBearer;
const sess = {};
const LOGIN = { admin: 'admin', unit: 'unit', cadre: 'cadre', evaluator: 'evaluator', leader: 'leader' };
const OWN_UNIT = 6, OTHER_UNIT = 18; // the "unit" login's 县委宣传部, and 县财政局
const person = {};
let seq = 0;

before(async () => {
  // Hundreds of log-ins and anonymous refusals from one address: lift the
  // per-address limits, so every refusal is written and can be counted.
  srv = await startServer({ env: { JIEBANG_LOGINS_PER_ADDR: '1000', JIEBANG_REFUSALS_PER_ADDR: '100000' } });
  conn = openSql(srv.store);
  adminBearer = { bearer: cliToken(srv, 'admin') };
  for (const u of [OWN_UNIT, OTHER_UNIT])
    person[u] = +(await conn.query(`SELECT min(id) FROM person WHERE tenant_id = 1 AND unit_id = ${u}`)).trim();
});
after(async () => { conn.close(); await srv.stop(); });

async function S(role) {
  if (role === 'anonymous') return null;
  if (!sess[role]) {
    sess[role] = await login(srv, LOGIN[role]);
    assert.equal(sess[role].status, 200, `${role} logs in: ${sess[role].text}`);
  }
  return sess[role];
}

// A target account made by the admin's token.
async function mkUser(unit, roles, { disabled = false } = {}) {
  const r = await api(srv, adminBearer, 'POST', '/api/v1/users', { login: `t${++seq}`, role: roles, unit });
  assert.equal(r.status, 201, r.text);
  const u = r.json().user;
  if (disabled) assert.equal((await api(srv, adminBearer, 'POST', `/api/v1/users/${u.id}/disable`, {})).status, 200);
  return u;
}

const q = async (text) => (await conn.query(text)).trim();
const auditCount = (id, action) => q(`SELECT count(*) FROM audit_event WHERE tenant_id = 1 AND object_type = 'user'` +
  ` AND object_id = ${id} AND action = '${action}' AND outcome = 'ok'`).then(Number);

// Each action: how to prepare a target, call it (page or API), and prove an
// allowed call did what it says. A dangerous one (confirm) asks first on a
// page: its forms here send confirm=1, as the confirmation page's button
// does (confirm.test.mjs tests the question).
const actions = [
  {
    name: 'reset the password', path: (c) => `/users/${c.id}/reset-password`, body: () => ({}), ok: [200, 200], confirm: true,
    setup: async (c) => ({ hash: await q(`SELECT password_hash FROM app_user WHERE id = ${c.id}`) }),
    check: async (c, r) => {
      assert.notEqual(await q(`SELECT password_hash FROM app_user WHERE id = ${c.id}`), c.hash);
      const shown = r.headers.get('content-type').includes('json') ? r.json().initial_password
        : r.text.match(/<p class="secret"><code>([^<]+)</)[1];
      assert.equal((await login(srv, c.login, shown)).status, 200);
    },
  },
  {
    name: 'disable', path: (c) => `/users/${c.id}/disable`, body: () => ({}), ok: [303, 200], confirm: true,
    check: async (c) => assert.equal(await q(`SELECT disabled FROM app_user WHERE id = ${c.id}`), '1'),
  },
  {
    name: 'enable', path: (c) => `/users/${c.id}/enable`, body: () => ({}), ok: [303, 200], disabled: true,
    check: async (c) => assert.equal(await q(`SELECT disabled FROM app_user WHERE id = ${c.id}`), '0'),
  },
  {
    // The roles it holds, sent back: the check is on the roles held.
    name: 'change the roles', path: (c) => `/users/${c.id}/roles`, body: (c) => ({ role: c.roles }), ok: [303, 200],
    check: async (c) => assert.equal(await auditCount(c.id, 'user.roles'), 1),
  },
  {
    name: 'link to a person', path: (c) => `/users/${c.id}/link`, body: (c) => ({ person: person[c.unit_id], unit: c.unit_id }),
    ok: [303, 200],
    check: async (c) => assert.equal(+(await q(`SELECT person_id FROM app_user WHERE id = ${c.id}`)), person[c.unit_id]),
  },
  {
    name: 'revoke an API token', page: (c) => `/account/tokens/${c.token}/revoke`, api: (c) => ['DELETE', `/api/v1/tokens/${c.token}`],
    body: () => ({}), ok: [303, 200], confirm: true,
    setup: async (c) => {
      cliToken(srv, c.login);
      return { token: +(await q(`SELECT max(id) FROM api_token WHERE tenant_id = 1 AND user_id = ${c.id}`)) };
    },
    check: async (c) => assert.notEqual(await q(`SELECT coalesce(revoked_at, 0) FROM api_token WHERE id = ${c.token}`), '0'),
  },
];

const TARGETS = [['admin'], ['unit_admin'], ['cadre'], ['evaluator'], ['leader'], ['cadre', 'evaluator']];

// Only the admin, and a unit liaison on a plain cadre of its own unit
// (but never another's tokens: those are the owner's or the admin's).
function allowed(actor, action, roles, unit) {
  if (actor === 'admin') return true;
  return actor === 'unit' && unit === OWN_UNIT && roles.length === 1 && roles[0] === 'cadre' && action.name !== 'revoke an API token';
}

function call(s, action, c, surface) {
  if (surface === 'page') {
    const path = action.page ? action.page(c) : `/admin${action.path(c)}`;
    const body = action.body(c);
    const fields = Object.entries(body).flatMap(([k, v]) => Array.isArray(v) ? v.map((x) => [k, x]) : [[k, String(v)]]);
    return form(srv, s, path, action.confirm ? [...fields, ['confirm', '1']] : fields);
  }
  const [method, path] = action.api ? action.api(c) : ['POST', `/api/v1${action.path(c)}`];
  return api(srv, s, method, path, method === 'DELETE' ? undefined : action.body(c));
}

test('ASVS 4.1.3 / 4.2.1: every role acts on accounts of every role only where it could have made them', async () => {
  let cells = 0, refused = 0;
  for (const action of actions) {
    for (const roles of TARGETS) {
      for (const unit of [OWN_UNIT, OTHER_UNIT]) {
        // One target for every refused call (they change nothing), a new
        // one for each allowed call.
        const fresh = async () => {
          const u = await mkUser(unit, roles, { disabled: !!action.disabled });
          return { ...u, roles, ...(action.setup ? await action.setup(u) : {}) };
        };
        const shared = await fresh();
        for (const surface of ['page', 'api']) {
          for (const actor of ROLES) {
            const label = `${actor} → ${action.name} of a ${roles.join('+')} in the ${unit === OWN_UNIT ? 'own' : 'other'} unit (${surface})`;
            const s = await S(actor);
            cells++;
            if (allowed(actor, action, roles, unit)) {
              const c = await fresh();
              const r = await call(s, action, c, surface);
              assert.equal(r.status, action.ok[surface === 'page' ? 0 : 1], `${label}: ${r.status} ${r.text.slice(0, 300)}`);
              await action.check(c, r);
              continue;
            }
            refused++;
            const before_ = await snapshotWithDenials(conn);
            const r = await call(s, action, shared, surface);
            assert.equal(r.status, actor === 'anonymous' ? 401 : 403, `${label}: ${r.status} ${r.text.slice(0, 300)}`);
            if (surface === 'page') assert.match(r.text, actor === 'anonymous' ? /需要登录/ : /没有权限/, label);
            else assert.equal(r.json().error.code, actor === 'anonymous' ? 'unauthenticated' : 'forbidden', label);
            const after_ = await snapshotWithDenials(conn);
            const accounts = (rows) => rows.filter((l) => !l.startsWith('z'));
            assert.deepEqual(accounts(after_), accounts(before_), `${label}: nothing changed`);
            const denials = (rows) => +rows.find((l) => l.startsWith('z|')).split('|')[2];
            assert.equal(denials(after_), denials(before_) + 1, `${label}: the refusal is logged`);
          }
        }
      }
    }
  }
  console.log(`# account actions: ${actions.length} actions × ${TARGETS.length} target roles × 2 units × 2 surfaces × ${ROLES.length} actors = ${cells} cells, ${refused} refused`);
  assert.equal(cells, actions.length * TARGETS.length * 2 * 2 * ROLES.length);
});

test('ASVS 4.2.1: a unit liaison of the admin\'s own unit cannot reset, disable or demote the admin', async () => {
  const adminUnit = +(await q("SELECT unit_id FROM app_user WHERE tenant_id = 1 AND login = 'admin'"));
  const { password } = cliAdd(srv, `liaison${++seq}`, ['--role', 'unit_admin', '--unit', String(adminUnit)]);
  const loginName = `liaison${seq}`;
  let s = await login(srv, loginName, password);
  const next = `the liaison's own passphrase ${seq}`;
  assert.equal((await api(srv, s, 'POST', '/api/v1/me/password', { current_password: password, new_password: next })).status, 200);
  s = await login(srv, loginName, next);
  const adminId = +(await q("SELECT id FROM app_user WHERE tenant_id = 1 AND login = 'admin'"));
  const before_ = await snapshotWithDenials(conn);
  for (const [path, body] of [['reset-password', {}], ['disable', {}], ['roles', { role: ['cadre'] }], ['link', { unit: adminUnit }]])
    assert.equal((await api(srv, s, 'POST', `/api/v1/users/${adminId}/${path}`, body)).status, 403, path);
  const after_ = await snapshotWithDenials(conn);
  assert.deepEqual(after_.filter((l) => !l.startsWith('z')), before_.filter((l) => !l.startsWith('z')));
  assert.equal((await login(srv, 'admin')).status, 200, 'the admin still logs in with its password');
  // The admin's page shows the liaison no buttons for the admin.
  const p = await page(srv, s, `/admin/users/${adminId}`);
  assert.equal(p.status, 200);
  assert.doesNotMatch(p.text, /reset-password|\/disable"|\/roles"|\/link"/);
});

test('ASVS 4.1.3: the user page shows the account forms only to who may use them', async () => {
  for (const roles of TARGETS) {
    for (const unit of [OWN_UNIT, OTHER_UNIT]) {
      const u = await mkUser(unit, roles);
      for (const actor of ['admin', 'unit', 'leader']) {
        const p = await page(srv, await S(actor), `/admin/users/${u.id}`);
        const label = `${actor} on a ${roles.join('+')} of the ${unit === OWN_UNIT ? 'own' : 'other'} unit`;
        if (p.status === 403) {
          assert.ok(actor === 'unit' && unit !== OWN_UNIT, `${label}: only a liaison is kept out of another unit`);
          continue;
        }
        assert.equal(p.status, 200, label);
        const forms = ['reset-password', 'disable', 'roles', 'link'].filter((a) => p.text.includes(`/admin/users/${u.id}/${a}"`));
        assert.deepEqual(forms, allowed(actor, actions[0], roles, unit) ? ['reset-password', 'disable', 'roles', 'link'] : [], label);
      }
    }
  }
});

test('ASVS 3.3.1: a password change, a reset and a disable end the API tokens too; enabling does not bring them back', async () => {
  const bearerWorks = async (token) => (await page(srv, { bearer: token }, '/api/v1/me')).status === 200;
  // disable, then enable
  const a = await mkUser(OWN_UNIT, ['cadre']);
  const ta = cliToken(srv, a.login);
  assert.ok(await bearerWorks(ta));
  assert.equal((await api(srv, adminBearer, 'POST', `/api/v1/users/${a.id}/disable`, {})).status, 200);
  assert.equal((await api(srv, adminBearer, 'POST', `/api/v1/users/${a.id}/enable`, {})).status, 200);
  assert.equal(await bearerWorks(ta), false, 'a token of a disabled account stays revoked');
  // reset by the admin
  const b = await mkUser(OWN_UNIT, ['cadre']);
  const tb = cliToken(srv, b.login);
  assert.equal((await api(srv, adminBearer, 'POST', `/api/v1/users/${b.id}/reset-password`, {})).status, 200);
  assert.equal(await bearerWorks(tb), false);
  // one's own change: the tokens end, the session that changed it stays
  const { password } = cliAdd(srv, `own${++seq}`, ['--role', 'cadre']);
  let s = await login(srv, `own${seq}`, password);
  const pw1 = `a first passphrase of my own ${seq}`, pw2 = `a second passphrase of my own ${seq}`;
  assert.equal((await api(srv, s, 'POST', '/api/v1/me/password', { current_password: password, new_password: pw1 })).status, 200);
  s = await login(srv, `own${seq}`, pw1);
  const tc = cliToken(srv, `own${seq}`);
  assert.ok(await bearerWorks(tc));
  assert.equal((await api(srv, s, 'POST', '/api/v1/me/password', { current_password: pw1, new_password: pw2 })).status, 200);
  assert.equal(await bearerWorks(tc), false);
  assert.equal((await page(srv, s, '/api/v1/me')).status, 200, 'the session that changed the password stays');
  // the command line says so too
  const r = run(['user', 'disable', b.login, '--db', srv.store]);
  assert.match(r.stdout, /API tokens have ended/);
});

test('ASVS 4.1.3: every account holds a role — created through the page, the API or the CLI, or changed later', async () => {
  const admin = await S('admin');
  const before_ = await snapshotWithDenials(conn);
  const p = await form(srv, admin, '/admin/users', [['login', `norole${++seq}`], ['unit', String(OWN_UNIT)]]);
  assert.equal(p.status, 400);
  assert.match(p.text, /请至少选择一个角色/);
  const a = await api(srv, admin, 'POST', '/api/v1/users', { login: `norole${seq}`, role: [], unit: OWN_UNIT });
  assert.equal(a.status, 400);
  assert.deepEqual([a.json().error.code, a.json().error.field], ['no_role', 'role']);
  const c = run(['user', 'add', `norole${seq}`, '--db', srv.store]);
  assert.equal(c.status, 1);
  const u = await mkUser(OWN_UNIT, ['cadre']);
  const after_ = await snapshotWithDenials(conn);
  const r = await api(srv, admin, 'POST', `/api/v1/users/${u.id}/roles`, { role: [] });
  assert.equal(r.status, 400);
  assert.equal(r.json().error.code, 'no_role');
  assert.deepEqual(await snapshotWithDenials(conn), after_, 'nothing changed');
  assert.equal(after_.filter((l) => l.startsWith('u|')).length, before_.filter((l) => l.startsWith('u|')).length + 1);
});

test('a one-value field given twice or as a JSON array is refused, with the field named', async () => {
  const r = await get_(srv, '/api/v1/session', { login: ['admin', 'x'], password: 'jiebang-demo' });
  assert.equal(r.status, 400);
  assert.deepEqual([r.json().error.code, r.json().error.field], ['not_single', 'login']);
  const f = await form(srv, null, '/login', [['login', 'admin'], ['login', 'x'], ['password', 'jiebang-demo']], { csrf: false });
  assert.equal(f.status, 400);
  assert.match(f.text, /登录名只能填写一个值/);
  const admin = await S('admin');
  const u = await api(srv, admin, 'POST', '/api/v1/users', { login: `dup${++seq}`, role: ['cadre'], unit: [OWN_UNIT, OTHER_UNIT] });
  assert.equal(u.status, 400);
  assert.equal(u.json().error.field, 'unit');
});

async function get_(s, path, body) {
  const r = await fetch(s.url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, json: () => JSON.parse(text) };
}
