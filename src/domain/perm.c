/* perm.c - the permission table (role x action x scope) and its one check. */
#include "domain/perm.h"

#include <string.h>

const char *const role_codes[ROLE_COUNT] = { "admin", "unit_admin", "cadre", "evaluator", "leader", "operator" };
const char *const role_names[ROLE_COUNT] = { "管理员", "单位联络员", "干部", "考评组成员", "县领导", "平台运维" };

/* The whole policy. Rows for workflow actions that have no route yet are
 * here so the handlers that come with them only call perm_check().
 * Tests walk it (tests/unit/test_auth.c, tests/server/perm.test.mjs). */
const struct perm_rule perm_rules[] = {
	/* accounts and sessions */
	{ "admin", "account.password", SCOPE_OWN },
	{ "admin", "account.session", SCOPE_OWN },
	{ "admin", "account.reauth", SCOPE_OWN },
	{ "admin", "account.totp", SCOPE_OWN },
	{ "unit_admin", "account.password", SCOPE_OWN },
	{ "unit_admin", "account.session", SCOPE_OWN },
	{ "unit_admin", "account.reauth", SCOPE_OWN },
	{ "unit_admin", "account.totp", SCOPE_OWN },
	{ "cadre", "account.password", SCOPE_OWN },
	{ "cadre", "account.session", SCOPE_OWN },
	{ "cadre", "account.reauth", SCOPE_OWN },
	{ "cadre", "account.totp", SCOPE_OWN },
	{ "evaluator", "account.password", SCOPE_OWN },
	{ "evaluator", "account.session", SCOPE_OWN },
	{ "evaluator", "account.reauth", SCOPE_OWN },
	{ "evaluator", "account.totp", SCOPE_OWN },
	{ "leader", "account.password", SCOPE_OWN },
	{ "leader", "account.session", SCOPE_OWN },
	{ "leader", "account.reauth", SCOPE_OWN },
	{ "leader", "account.totp", SCOPE_OWN },
	{ "operator", "account.password", SCOPE_OWN },
	{ "operator", "account.session", SCOPE_OWN },
	{ "operator", "account.reauth", SCOPE_OWN },
	{ "operator", "account.totp", SCOPE_OWN },
	{ "admin", "audit.read", SCOPE_TENANT },
	{ "anonymous", "session.create", SCOPE_TENANT },
	{ "admin", "session.create", SCOPE_TENANT },
	{ "unit_admin", "session.create", SCOPE_TENANT },
	{ "cadre", "session.create", SCOPE_TENANT },
	{ "evaluator", "session.create", SCOPE_TENANT },
	{ "leader", "session.create", SCOPE_TENANT },
	{ "operator", "session.create", SCOPE_TENANT },
	{ "admin", "session.delete", SCOPE_OWN },
	{ "unit_admin", "session.delete", SCOPE_OWN },
	{ "cadre", "session.delete", SCOPE_OWN },
	{ "evaluator", "session.delete", SCOPE_OWN },
	{ "leader", "session.delete", SCOPE_OWN },
	{ "operator", "session.delete", SCOPE_OWN },
	{ "admin", "token.manage", SCOPE_TENANT },
	{ "unit_admin", "token.manage", SCOPE_OWN },
	{ "cadre", "token.manage", SCOPE_OWN },
	{ "evaluator", "token.manage", SCOPE_OWN },
	{ "leader", "token.manage", SCOPE_OWN },
	{ "operator", "token.manage", SCOPE_OWN },
	{ "admin", "user.manage", SCOPE_TENANT },
	{ "unit_admin", "user.manage", SCOPE_UNIT },
	{ "admin", "user.read", SCOPE_TENANT },
	{ "unit_admin", "user.read", SCOPE_UNIT },
	{ "leader", "user.read", SCOPE_TENANT },
	/* which roles one may give: a unit_admin only makes cadres of its unit */
	{ "admin", "role.grant.admin", SCOPE_TENANT },
	{ "admin", "role.grant.cadre", SCOPE_TENANT },
	{ "unit_admin", "role.grant.cadre", SCOPE_UNIT },
	{ "admin", "role.grant.evaluator", SCOPE_TENANT },
	{ "admin", "role.grant.leader", SCOPE_TENANT },
	{ "admin", "role.grant.unit_admin", SCOPE_TENANT },
	/* the campaign (DESIGN.md §2, §3) */
	{ "admin", "batch.manage", SCOPE_TENANT },
	{ "admin", "category.manage", SCOPE_TENANT },
	{ "admin", "claim.accept", SCOPE_TENANT },
	{ "cadre", "claim.apply", SCOPE_TENANT },
	{ "unit_admin", "claim.apply", SCOPE_UNIT },
	{ "admin", "claim.approve", SCOPE_TENANT },
	{ "admin", "claim.assign", SCOPE_TENANT },
	{ "unit_admin", "claim.endorse", SCOPE_UNIT },
	/* own claims: the claim transition table (claim.h) narrows these to
	 * the owner, the lead, the team or the applicant */
	{ "cadre", "claim.progress", SCOPE_OWN },
	{ "unit_admin", "claim.progress", SCOPE_OWN },
	{ "cadre", "claim.respond", SCOPE_OWN },
	{ "unit_admin", "claim.respond", SCOPE_OWN },
	{ "cadre", "claim.sign", SCOPE_OWN },
	{ "unit_admin", "claim.sign", SCOPE_OWN },
	{ "cadre", "claim.solve", SCOPE_OWN },
	{ "unit_admin", "claim.solve", SCOPE_OWN },
	{ "cadre", "claim.withdraw", SCOPE_OWN },
	{ "unit_admin", "claim.withdraw", SCOPE_OWN },
	{ "admin", "claim.withdraw", SCOPE_TENANT },
	{ "cadre", "claim.extend", SCOPE_OWN },
	{ "unit_admin", "claim.extend", SCOPE_OWN },
	{ "admin", "claim.return", SCOPE_TENANT },
	{ "admin", "claim.supervise", SCOPE_TENANT },
	{ "admin", "extension.decide", SCOPE_TENANT },
	{ "cadre", "supervision.reply", SCOPE_OWN },
	{ "unit_admin", "supervision.reply", SCOPE_OWN },
	{ "admin", "comment.write", SCOPE_TENANT },
	{ "cadre", "comment.write", SCOPE_OWN },
	{ "unit_admin", "comment.write", SCOPE_OWN },
	{ "admin", "comment.remove", SCOPE_TENANT },
	/* reading the comments of a problem: its team (own), admins, leaders */
	{ "admin", "comment.read", SCOPE_TENANT },
	{ "leader", "comment.read", SCOPE_TENANT },
	{ "cadre", "comment.read", SCOPE_OWN },
	{ "unit_admin", "comment.read", SCOPE_OWN },
	/* names, units and titles of people, for the pickers of the claim form */
	{ "admin", "person.pick", SCOPE_TENANT },
	{ "unit_admin", "person.pick", SCOPE_TENANT },
	{ "cadre", "person.pick", SCOPE_TENANT },
	{ "leader", "person.pick", SCOPE_TENANT },
	{ "admin", "complaint.answer", SCOPE_TENANT },
	/* residents' personal data: find, export and erase a person's (pii.h) */
	{ "admin", "pii.manage", SCOPE_TENANT },
	/* the year's close (issue 10): panels, rubric, assignments, reopening
	 * a submission, marking a claim at risk at the mid-term review */
	{ "admin", "evaluation.manage", SCOPE_TENANT },
	/* scoring the claims assigned to one's panel ("own": a member of it) */
	{ "evaluator", "evaluation.score", SCOPE_OWN },
	/* every evaluator's scores of a claim (members see them after their own) */
	{ "admin", "evaluation.read", SCOPE_TENANT },
	{ "leader", "evaluation.read", SCOPE_TENANT },
	{ "admin", "notice.manage", SCOPE_TENANT },
	{ "admin", "calendar.manage", SCOPE_TENANT },
	/* objections to a public notice: anyone, by real name */
	{ "anonymous", "objection.lodge", SCOPE_TENANT },
	{ "admin", "objection.lodge", SCOPE_TENANT },
	{ "unit_admin", "objection.lodge", SCOPE_TENANT },
	{ "cadre", "objection.lodge", SCOPE_TENANT },
	{ "evaluator", "objection.lodge", SCOPE_TENANT },
	{ "leader", "objection.lodge", SCOPE_TENANT },
	{ "admin", "objection.answer", SCOPE_TENANT },
	/* practices: an admin, or the owner of an accepted claim ("own") */
	{ "admin", "practice.write", SCOPE_TENANT },
	{ "cadre", "practice.write", SCOPE_OWN },
	{ "unit_admin", "practice.write", SCOPE_OWN },
	{ "admin", "practice.recommend", SCOPE_TENANT },
	{ "evaluator", "practice.recommend", SCOPE_TENANT },
	{ "admin", "practice.adopt", SCOPE_TENANT },
	{ "admin", "promotion.manage", SCOPE_TENANT },
	{ "admin", "promotion.read", SCOPE_TENANT },
	{ "leader", "promotion.read", SCOPE_TENANT },
	/* fault tolerance: the owner applies for a failed claim, an admin decides */
	{ "admin", "tolerance.apply", SCOPE_TENANT },
	{ "cadre", "tolerance.apply", SCOPE_OWN },
	{ "unit_admin", "tolerance.apply", SCOPE_OWN },
	{ "admin", "tolerance.decide", SCOPE_TENANT },
	/* the cadre's record (干部实绩档案): admins, leaders, the person */
	{ "admin", "record.read", SCOPE_TENANT },
	{ "leader", "record.read", SCOPE_TENANT },
	{ "unit_admin", "record.read", SCOPE_OWN },
	{ "cadre", "record.read", SCOPE_OWN },
	{ "evaluator", "record.read", SCOPE_OWN },
	/* reporting (issue 11): exports of the internal lists, the unit table,
	 * bulletins, imports, the tenant's settings (the big screen) */
	{ "admin", "export.read", SCOPE_TENANT },
	{ "leader", "export.read", SCOPE_TENANT },
	{ "admin", "stats.units", SCOPE_TENANT },
	{ "leader", "stats.units", SCOPE_TENANT },
	{ "admin", "bulletin.manage", SCOPE_TENANT },
	{ "admin", "bulletin.read", SCOPE_TENANT },
	{ "leader", "bulletin.read", SCOPE_TENANT },
	{ "admin", "import.run", SCOPE_TENANT },
	{ "admin", "tenant.settings", SCOPE_TENANT },
	{ "admin", "robot.manage", SCOPE_TENANT },
	{ "admin", "person.manage", SCOPE_TENANT },
	{ "unit_admin", "person.manage", SCOPE_UNIT },
	{ "anonymous", "problem.propose", SCOPE_TENANT },
	{ "admin", "problem.propose", SCOPE_TENANT },
	{ "unit_admin", "problem.propose", SCOPE_TENANT },
	{ "cadre", "problem.propose", SCOPE_TENANT },
	{ "evaluator", "problem.propose", SCOPE_TENANT },
	{ "leader", "problem.propose", SCOPE_TENANT },
	{ "admin", "problem.read_internal", SCOPE_TENANT },
	{ "leader", "problem.read_internal", SCOPE_TENANT },
	{ "unit_admin", "problem.read_internal", SCOPE_UNIT },
	{ "admin", "problem.screen", SCOPE_TENANT },
	{ "admin", "unit.manage", SCOPE_TENANT },
	/* many counties, one deployment (issue 12 §6) */
	{ "operator", "tenant.manage", SCOPE_DEPLOYMENT },
	{ "admin", "region.read", SCOPE_TENANT },
	{ "leader", "region.read", SCOPE_TENANT },
};
const int perm_rules_count = (int)(sizeof(perm_rules) / sizeof(perm_rules[0]));

unsigned role_bit(const char *code)
{
	for (int i = 0; code && i < ROLE_COUNT; i++)
		if (!strcmp(role_codes[i], code))
			return 1u << i;
	return 0;
}

const char *role_grant_action(unsigned bit)
{
	static const char *const grant[ROLE_COUNT] = { "role.grant.admin", "role.grant.unit_admin",
		"role.grant.cadre", "role.grant.evaluator", "role.grant.leader", "role.grant.operator" };

	for (int i = 0; i < ROLE_COUNT; i++)
		if (bit == 1u << i)
			return grant[i];
	return "role.grant.unknown";
}

/* Does rule's role apply to who? */
static bool holds(const struct principal *who, const char *role)
{
	if (!strcmp(role, "anonymous"))
		return who->user_id == 0;
	return who->user_id != 0 && (who->roles & role_bit(role));
}

static bool in_scope(const struct principal *who, enum scope scope, const struct perm_target *t)
{
	bool own = who->user_id != 0 && (t->owner_user_id == who->user_id || t->member);

	switch (scope) {
	case SCOPE_DEPLOYMENT:
	case SCOPE_TENANT:
		return true;
	case SCOPE_UNIT:
		return own || (who->unit_id != 0 && t->unit_id == who->unit_id);
	case SCOPE_OWN:
		return own;
	}
	return false;
}

bool perm_check(const struct principal *who, const char *action, const struct perm_target *target)
{
	bool home;

	if (!who || !action || !target || who->tenant_id == 0 || target->tenant_id == 0)
		return false;
	home = target->tenant_id == who->tenant_id;
	if (who->via == VIA_CLI && who->user_id == 0)
		return home;
	for (int i = 0; i < perm_rules_count; i++) {
		const struct perm_rule *p = &perm_rules[i];
		if (!strcmp(p->action, action) && holds(who, p->role) && (home || p->scope == SCOPE_DEPLOYMENT) &&
		    in_scope(who, p->scope, target))
			return true;
	}
	return false;
}

struct principal perm_cli(int64_t tenant_id)
{
	return (struct principal){ .tenant_id = tenant_id, .login = "cli", .via = VIA_CLI };
}

bool perm_any(const struct principal *who, const char *action)
{
	if (who && who->via == VIA_CLI && who->user_id == 0)
		return true;
	for (int i = 0; who && action && i < perm_rules_count; i++)
		if (!strcmp(perm_rules[i].action, action) && holds(who, perm_rules[i].role))
			return true;
	return false;
}

bool perm_unit_scope(const struct principal *who, const char *action, int64_t *unit)
{
	struct perm_target all = { who ? who->tenant_id : 0, 0, 0, false };

	*unit = 0;
	if (perm_check(who, action, &all))
		return true;
	if (!who || !who->unit_id)
		return false;
	if (!perm_check(who, action, &(struct perm_target){ who->tenant_id, who->unit_id, 0, false }))
		return false;
	*unit = who->unit_id;
	return true;
}
