/* user.h - user accounts: logins, roles, the person and unit a user is
 * linked to, disabling, passwords.
 *
 * Password hashes are computed by the caller (pw_hash(), slow) before the
 * change, so no write lock is held while hashing. Results are allocated on
 * the caller's arena. The reads return 0 done, -1 store error (db_errmsg),
 * or one of the USER_E* codes below; the changes are verbs (below). */
#ifndef JB_USER_H
#define JB_USER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/action.h"
#include "domain/audit.h"
#include "domain/perm.h"
#include "store/db.h"
#include "util/arena.h"

/* A user's roles as enum role bits, from its user_role rows; "u" must be
 * the app_user row's alias in the query. */
#define ROLE_BITS_SQL \
	"coalesce((SELECT sum(CASE r.role WHEN 'admin' THEN 1 WHEN 'unit_admin' THEN 2 WHEN 'cadre' THEN 4" \
	" WHEN 'evaluator' THEN 8 WHEN 'leader' THEN 16 WHEN 'operator' THEN 32 ELSE 0 END) FROM user_role r" \
	" WHERE r.tenant_id = u.tenant_id AND r.user_id = u.id), 0)"

#define LOGIN_MAX 64
#define USER_PAGE 50

enum {
	USER_ENOTFOUND = 1,   /* no such user in the tenant */
	USER_EPERSON,         /* no such person in the tenant */
	USER_EUNIT,           /* no such unit, or the person is not in it */
};

struct user {
	int64_t id, person_id, unit_id, created_at, password_at;
	const char *login, *person_name, *unit_name;
	unsigned roles;
	bool disabled, must_change;
};

/* NULL when login is acceptable (2-64 of a-z 0-9 . _ - @, starting with a
 * letter or digit; upper case is folded), else the reason in zh-CN. */
const char *user_login_problem(const char *login);
/* login folded to lowercase ASCII on a (no other change). */
char *user_fold_login(arena *a, const char *login);
/* The role bits as a new JSON array of role codes ["admin", "cadre"], as
 * the API and the audit log show them; the caller owns the reference. */
json_t *user_roles_json(unsigned roles);

/* Check person_id and unit_id (0: none) in the tenant and settle the unit:
 * a person's unit when no unit is given. USER_EPERSON / USER_EUNIT when
 * they do not exist or do not agree. Reads only. */
int user_resolve_link(db *d, int64_t tenant_id, int64_t person_id, int64_t *unit_id)
	__attribute__((warn_unused_result));

/* May who act on account u: reset its password, disable or enable it,
 * change its roles or links, revoke its tokens, end its sessions? Only
 * with user.manage over u and the right to grant every role u holds
 * (role.grant.<role> over u): one may act only on accounts one could have
 * made, so a unit liaison never reaches an admin or a peer liaison. Pure:
 * pages call it to decide which forms to show; the changes below call it
 * again inside their transaction. */
bool user_may_manage(const struct principal *who, const struct user *u);
/* May who give roles to an account of unit_id (a new one: user.manage and
 * role.grant.<role> for each role over that unit)? */
bool user_may_create(const struct principal *who, unsigned roles, int64_t unit_id);

int user_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct user *out)
	__attribute__((warn_unused_result));
int user_by_login(db *d, arena *a, int64_t tenant_id, const char *login, struct user *out)
	__attribute__((warn_unused_result));
/* One page (USER_PAGE users, by id) of the tenant's users, or of one unit's
 * when unit_id is not 0; *total counts them all. */
int user_list(db *d, arena *a, int64_t tenant_id, int64_t unit_id, int64_t page, struct user **out,
	      int *n, int64_t *total) __attribute__((warn_unused_result));

/* The changes below are verbs (domain/action.h): each runs in one write
 * transaction that reads the account, checks that c->who may change it
 * (user_may_manage) and the rules that spare one's own account, writes, and
 * records its audit entry; on failure nothing changes and c holds the
 * reason (zh-CN, with the field). They return an enum jb_rc. */

/* A new account: login (folded and checked), roles (at least one), the
 * person and unit it is linked to (checked here; a person's unit when no
 * unit is given), its password hash and whether that password must be
 * changed at the first log-in. id is set to the new account's. */
struct user_new {
	const char *login;
	unsigned roles;
	int64_t person_id, unit_id;
	const char *hash;
	bool must_change;
	int64_t id;
};
int user_create(struct ctx *c, struct user_new *n) __attribute__((warn_unused_result));
/* The checks of user_create() alone (reads only; settles n->unit_id), for
 * refusing before the slow hash: JB_OK or the reason in c. */
int user_create_allowed(struct ctx *c, struct user_new *n) __attribute__((warn_unused_result));
/* Account id if c->who may manage it (user_may_manage): JB_OK with *u, or
 * the reason in c (JB_ENOTFOUND, JB_EDENIED, store error -1). Reads only;
 * the changes call it inside their transaction. */
int user_load_managed(struct ctx *c, int64_t id, struct user *u) __attribute__((warn_unused_result));

/* Disabling ends every session and revokes every API token of the user;
 * enabling brings none back. Not one's own account. */
int user_set_disabled(struct ctx *c, int64_t id, bool disabled) __attribute__((warn_unused_result));
/* Needs the right to grant the new roles too; at least one role; an admin
 * keeps its own admin role. */
int user_set_roles(struct ctx *c, int64_t id, unsigned roles) __attribute__((warn_unused_result));
/* Moving a user to another unit needs user_may_manage() over the user in
 * that unit. */
int user_set_link(struct ctx *c, int64_t id, int64_t person_id, int64_t unit_id)
	__attribute__((warn_unused_result));
/* Another user's new initial password (its hash): to be changed at the
 * next log-in; every session and API token of the user ends. */
int user_reset_password(struct ctx *c, int64_t id, const char *hash) __attribute__((warn_unused_result));
/* One's own new password (or any user's from the command line): the
 * caller has proved who the user is (the current password). Revokes the
 * user's API tokens and ends its sessions except the one whose token hash
 * is keep (NULL: all of them). */
int user_set_password(struct ctx *c, int64_t id, const char *hash, const char *keep)
	__attribute__((warn_unused_result));

/* Stored hash and state of a login, for logging in. 0, 1 no such login, -1. */
int user_credentials(db *d, arena *a, int64_t tenant_id, const char *login, int64_t *id,
		     const char **hash, bool *disabled) __attribute__((warn_unused_result));

/* The tenant's units by name (only_unit != 0: that one), for forms. */
struct named;
int user_units(db *d, arena *a, int64_t tenant_id, int64_t only_unit, struct named **out, int *n)
	__attribute__((warn_unused_result));

/* The roles as "admin,cadre" (codes) on a. */
const char *user_roles_csv(arena *a, unsigned roles);

#endif
