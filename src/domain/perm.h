/* perm.h - who may do what: roles, the principal of a request, and the one
 * permission check.
 *
 * Permissions are data: one table of (role, action, scope) rows in perm.c.
 * An action is a dotted string ("user.manage", "claim.progress"); a scope
 * says which objects a grant covers:
 *   own     objects that belong to the principal (its own user, its tokens,
 *           claims whose task force it is on);
 *   unit    objects of the principal's unit (and its own);
 *   tenant  every object of the principal's tenant;
 *   deployment  every tenant (the operator's; the one scope that crosses
 *           tenants).
 * perm_check() is the only place that reads the table; every state-changing
 * handler calls it before it changes anything, and fails closed: an unknown
 * action, a missing target or another tenant's object is a "no". */
#ifndef JB_PERM_H
#define JB_PERM_H

#include <stdbool.h>
#include <stdint.h>

enum role {
	ROLE_ADMIN = 1u << 0,
	ROLE_UNIT_ADMIN = 1u << 1,
	ROLE_CADRE = 1u << 2,
	ROLE_EVALUATOR = 1u << 3,
	ROLE_LEADER = 1u << 4,
	/* The deployment's operator: manages the tenants themselves (any
	 * tenant, SCOPE_DEPLOYMENT); given only from the command line. */
	ROLE_OPERATOR = 1u << 5,
};
#define ROLE_COUNT 6

/* deployment: objects of every tenant (the operator's tenant.manage). */
enum scope { SCOPE_OWN, SCOPE_UNIT, SCOPE_TENANT, SCOPE_DEPLOYMENT };

/* How the principal proved who it is. */
enum auth_via { VIA_NONE, VIA_COOKIE, VIA_TOKEN, VIA_CLI };

/* The subject of a request. Anonymous: user_id 0, roles 0, login NULL. */
struct principal {
	int64_t tenant_id;
	int64_t user_id;
	const char *login;
	unsigned roles;          /* enum role bits */
	int64_t person_id;       /* 0: not linked */
	int64_t unit_id;         /* 0: none */
	bool must_change;        /* initial or reset password: change it first */
	enum auth_via via;
	int64_t token_id;        /* VIA_TOKEN: which API token */
	bool totp;               /* has two-factor log-in (domain/totp.h) */
	bool totp_required;      /* the tenant requires it of this user's roles and it has none yet */
	int64_t auth_at;         /* VIA_COOKIE: when the session last proved the password */
};

/* What an action is done to. Fields that do not apply stay 0. */
struct perm_target {
	int64_t tenant_id;       /* the object's tenant; must equal the principal's (but for SCOPE_DEPLOYMENT) */
	int64_t unit_id;         /* the object's unit */
	int64_t owner_user_id;   /* the user the object is, or belongs to */
	bool member;             /* the principal is on the object's task force */
};

/* May who do action to target? Fails closed. The command line
 * (perm_cli(): via VIA_CLI, no user) is run by the store's owner and may
 * do everything in its tenant. */
bool perm_check(const struct principal *who, const char *action, const struct perm_target *target);
/* May who do action to some object (any scope)? For showing links and
 * forms only; the handler still calls perm_check() on the real target. */
bool perm_any(const struct principal *who, const char *action);

/* How far who reaches with action: every object of its tenant (*unit 0),
 * or only those of its own unit (*unit its unit id); false when neither.
 * For reads that list objects by unit (users, persons). */
bool perm_unit_scope(const struct principal *who, const char *action, int64_t *unit);

/* The principal of a command-line command acting on tenant_id. */
struct principal perm_cli(int64_t tenant_id);

/* Role codes ("admin", "unit_admin", "cadre", "evaluator", "leader",
 * "operator") and
 * their zh-CN names; ROLE_COUNT entries in bit order. */
extern const char *const role_codes[ROLE_COUNT];
extern const char *const role_names[ROLE_COUNT];
/* The bit of a role code, 0 when unknown. */
unsigned role_bit(const char *code);
/* Grant action for giving a role to someone: "role.grant.<code>". */
const char *role_grant_action(unsigned bit);

/* The table itself, for tests and documentation. */
struct perm_rule {
	const char *role;        /* a role code, or "anonymous" */
	const char *action;
	enum scope scope;
};
extern const struct perm_rule perm_rules[];
extern const int perm_rules_count;

#endif
