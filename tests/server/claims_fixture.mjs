// claims_fixture.mjs - claims written straight into the store, for the tests
// of supervision, extensions, comments and 我的工作 (the claim verbs have
// their own tests; these need a claim in a given state at a given date).
// Ids come from id_seq as the server's own do, so later inserts by the
// server never collide.
const DAY = 86400;
export const now = () => Math.floor(Date.now() / 1000);
// Midnight in Asia/Shanghai of the day `days` from today.
export function day(days) {
  const local = now() + 8 * 3600;
  return (Math.floor(local / DAY) + days) * DAY - 8 * 3600;
}
export const ymd = (epoch) => new Date((epoch + 8 * 3600) * 1000).toISOString().slice(0, 10);

async function nextId(conn, table) {
  return +(await conn.query(`INSERT INTO id_seq (tenant_id, name, next_id) VALUES (1, '${table}', 1)` +
    ` ON CONFLICT (tenant_id, name) DO UPDATE SET next_id = id_seq.next_id + 1 RETURNING next_id`)).trim();
}

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

// A problem in batch with a claim of unit owned by owner and led by lead
// (person ids), in state, with a deadline and one milestone (epochs; null:
// none). Returns { problem, claim, milestone }.
export async function mkClaim(conn, { batch, unit = 6, owner, lead, state = 'signed', deadline = day(30),
  milestoneDue = null, title = `测试揭榜难题${Math.random().toString(36).slice(2, 8)}`, members = [],
  applicant = null, problemState = 'in_progress' }) {
  const problem = await nextId(conn, 'problem');
  const claim = await nextId(conn, 'claim');
  const t = now();
  await conn.query(`INSERT INTO problem (tenant_id, id, batch_id, category_id, title, description, proposer_name, state,` +
    ` is_public, created_at, updated_at) VALUES (1, ${problem}, ${batch}, 1, ${q(title)}, '测试用的难题描述', '测试', '${problemState}', 1, ${t}, ${t})`);
  const signed = state === 'signed' ? t - 40 * DAY : 'NULL';
  await conn.query(`INSERT INTO claim (tenant_id, id, problem_id, unit_id, lead_person_id, owner_person_id, state, deadline,` +
    ` applied_at, approved_at, signed_at, applicant_user_id, updated_at) VALUES (1, ${claim}, ${problem}, ${unit}, ${lead}, ${owner},` +
    ` '${state}', ${deadline ?? 'NULL'}, ${t - 50 * DAY}, ${t - 45 * DAY}, ${signed}, ${applicant ?? 'NULL'}, ${t})`);
  const people = [[owner, 'owner'], [lead, 'lead'], ...members.map((m) => [m, 'member'])];
  for (const [p, role] of people)
    await conn.query(`INSERT INTO claim_member (tenant_id, claim_id, person_id, unit_id, role) SELECT 1, ${claim}, ${p}, unit_id, '${role}'` +
      ` FROM person WHERE tenant_id = 1 AND id = ${p}`);
  let milestone = null;
  if (milestoneDue !== null) {
    milestone = await nextId(conn, 'milestone');
    await conn.query(`INSERT INTO milestone (tenant_id, id, claim_id, title, due_at) VALUES (1, ${milestone}, ${claim}, '完成方案', ${milestoneDue})`);
  }
  return { problem, claim, milestone };
}
