/* demo_users.c - one login per role for the demo campaign. */
#include "domain/demo_users.h"

#include <stdio.h>
#include <string.h>

#include "domain/demo.h"
#include "domain/password.h"
#include "domain/perm.h"
#include "domain/state.h"
#include "domain/tenant.h"
#include "domain/user.h"

const char *const demo_logins[5][2] = {
	{ "admin", "admin" }, { "unit", "unit_admin" }, { "cadre", "cadre" },
	{ "evaluator", "evaluator" }, { "leader", "leader" },
};

const char *const demo_evaluators[DEMO_EVALUATORS][2] = {
	{ "evaluator2", "县直机关工委" }, { "evaluator3", "县卫生健康局" },
	{ "evaluator4", "县审计局" }, { "evaluator5", "县统计局" },
};

/* First person of a unit named unit (title containing title when not
 * NULL); 0 when none. */
static int64_t person_in(db *d, int64_t tenant, const char *unit, const char *title)
{
	db_stmt *st = db_prepare(d, "SELECT p.id FROM person p JOIN unit u ON u.tenant_id = p.tenant_id AND u.id = p.unit_id"
				    " WHERE p.tenant_id = $1 AND u.name = $2 AND ($3 = '' OR p.title = $3) ORDER BY p.id LIMIT 1");
	int64_t id = 0;

	if (!st)
		return 0;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, unit);
	db_bind_text(st, 3, title ? title : "");
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}

/* The owner of the claim on the problem titled title; 0 when none. */
static int64_t claim_owner(db *d, int64_t tenant, const char *title)
{
	db_stmt *st = db_prepare(d, "SELECT c.owner_person_id FROM claim c JOIN problem p ON p.tenant_id = c.tenant_id"
				    " AND p.id = c.problem_id WHERE c.tenant_id = $1 AND p.title = $2"
				    " AND c.state IN " STATE_SQL_COUNTED_CLAIMS " ORDER BY c.id LIMIT 1");
	int64_t id = 0;

	if (!st)
		return 0;
	db_bind_int(st, 1, tenant);
	db_bind_text(st, 2, title);
	if (db_step(st) == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	return id;
}

int64_t demo_login_person(db *d, int64_t tenant, int i)
{
	int64_t p;

	switch (i) {
	case 0:
		return person_in(d, tenant, "县委组织部", NULL);
	case 1:
		p = person_in(d, tenant, "县委宣传部", "一级科员");
		return p ? p : person_in(d, tenant, "县委宣传部", NULL);
	case 2:
		return claim_owner(d, tenant, "城区空中缆线专项整治工作");
	case 3:
		return person_in(d, tenant, "县委办公室", NULL);
	case 4:
		return person_in(d, tenant, "中共滦南县委", "县委副书记");
	}
	return 0;
}

int demo_users_create(db *d, char *err, size_t errlen)
{
	const char *name;
	arena *a = arena_new();
	int64_t person[5], unit[5] = { 0 }, tenant;
	char hash[PW_HASH_MAX];
	struct ctx c;
	int rc = tenant_find(d, a, NULL, &tenant, &name);

	if (rc != 0) {
		snprintf(err, errlen, "demo users: no demo tenant: %s", rc < 0 ? db_errmsg(d) : "the store is empty");
		arena_free(a);
		return -1;
	}
	struct principal cli = perm_cli(tenant);

	for (int i = 0; i < 5; i++)
		person[i] = demo_login_person(d, tenant, i);
	for (int i = 0; i < 5; i++) {
		int64_t u = 0;
		if (person[i] && user_resolve_link(d, tenant, person[i], &u) == 0)
			unit[i] = u;
		else
			person[i] = 0;
		if (pw_hash(PW_DEMO, hash) != PW_OK) {
			snprintf(err, errlen, "demo users: cannot hash the demo password");
			arena_free(a);
			return -1;
		}
		struct user_new n = { .login = demo_logins[i][0], .roles = role_bit(demo_logins[i][1]),
				      .person_id = person[i], .unit_id = unit[i], .hash = hash };
		ctx_init(&c, d, a, &cli, "");
		rc = user_create(&c, &n);
		if (rc != JB_OK) {
			snprintf(err, errlen, "demo users: cannot create '%s': %s", demo_logins[i][0],
				 rc == JB_ECONFLICT ? "the login exists" : db_errmsg(d));
			arena_free(a);
			return -1;
		}
	}
	for (int i = 0; i < DEMO_EVALUATORS; i++) {
		int64_t p = person_in(d, tenant, demo_evaluators[i][1], NULL), u = 0;
		if (!p || user_resolve_link(d, tenant, p, &u) != 0 || pw_hash(PW_DEMO, hash) != PW_OK) {
			snprintf(err, errlen, "demo users: no person or hash for '%s'", demo_evaluators[i][0]);
			arena_free(a);
			return -1;
		}
		struct user_new n = { .login = demo_evaluators[i][0], .roles = ROLE_EVALUATOR, .person_id = p,
				      .unit_id = u, .hash = hash };
		ctx_init(&c, d, a, &cli, "");
		if (user_create(&c, &n) != JB_OK) {
			snprintf(err, errlen, "demo users: cannot create '%s': %s", demo_evaluators[i][0], db_errmsg(d));
			arena_free(a);
			return -1;
		}
	}
	arena_free(a);
	/* The proposals the demo credits to these logins become theirs. */
	if (demo_proposers_link(d, tenant) < 0) {
		snprintf(err, errlen, "demo users: cannot link the proposals to their logins: %s", db_errmsg(d));
		return -1;
	}
	return demo_panel_create(d, tenant, err, errlen);
}
