/* session.h - logging in and out, cookie sessions and API tokens.
 *
 * Sessions (ASVS V3): a random 256-bit token goes to the browser; the store
 * keeps only its BLAKE2b-256 hash, with the user, a CSRF token, and when it
 * was created and last seen. A session ends on log-out, after
 * SESSION_IDLE seconds without a request, SESSION_MAX seconds after log-in,
 * when the user is disabled or changes password. Sessions are per tenant:
 * a token is looked up only in the tenant of the request.
 * API tokens: "jb_" + 256 random bits, stored hashed, per user, revocable;
 * shown once when made. */
#ifndef JB_SESSION_H
#define JB_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/audit.h"
#include "domain/device.h"
#include "domain/password.h"
#include "domain/perm.h"
#include "domain/throttle.h"
#include "store/db.h"
#include "util/arena.h"

#define SESSION_IDLE (30 * 60)
#define SESSION_MAX (12 * 60 * 60)
#define SESSION_TOUCH 60          /* seen_at is written at most once a minute */
#define APITOKEN_PREFIX "jb_"
#define APITOKEN_CHARS (3 + TOKEN_CHARS)
#define APITOKEN_NAME_MAX 64

enum login_status {
	LOGIN_OK,
	LOGIN_BAD,        /* unknown login, wrong password or disabled: one answer for all */
	LOGIN_THROTTLED,  /* too many failures: wait_s seconds */
	LOGIN_BUSY,       /* no hashing slot free in time */
	LOGIN_ERROR,      /* store error */
	LOGIN_TOTP,       /* password right, the user has TOTP: out->token is the pending log-in's */
	LOGIN_EXPIRED,    /* the second step without a live pending log-in */
};

#define LOGIN_PENDING_MAX (5 * 60) /* seconds a pending log-in waits for its code */
#define LOGIN_PENDING_TRIES 5      /* wrong codes a pending log-in takes; then log in again */
#define REAUTH_FRESH (5 * 60)      /* "sudo mode": a session's password proof lasts this long */

struct login_result {
	enum login_status status;
	int throttle;                  /* LOGIN_THROTTLED: THROTTLE_DELAYED, _LOCKED or _FREQUENT */
	int64_t wait_s;
	char token[TOKEN_CHARS + 1];   /* the new session's cookie value */
	char csrf[TOKEN_CHARS + 1];
	char device[DEVICE_COOKIE_MAX];/* LOGIN_OK: a new device cookie for the login */
	struct principal who;          /* strings on the caller's arena */
};

struct login_request {
	int64_t tenant_id;
	const char *login, *password, *addr;
	const char *old_token;  /* a session this browser had, or NULL */
	const char *device;     /* the browser's device cookie for this login, or NULL */
	const char *user_agent; /* its User-Agent header, or NULL (kept cut to SESSION_AGENT_MAX bytes) */
	int ok_per_addr;        /* successful log-ins per address per THROTTLE_OK_WINDOW; 0: the default */
	const char *pending;    /* session_login_totp: the pending log-in's token (password: the code) */
};

/* Log in->login in to its tenant: the attempt is reserved against every
 * limit (domain/throttle.h; a valid in->device makes it a trusted client),
 * the password checked (a dummy check for unknown logins), then a new
 * session and device cookie made. in->old_token is ended, so a
 * session id is never reused across a log-in (ASVS 3.2.1). Failures are
 * in the audit log with the successes; a refused (LOGIN_THROTTLED) attempt
 * writes nothing: the caller records the refusal. */
void session_login(db *d, arena *a, const struct login_request *in, struct login_result *out);

/* The second step of a log-in whose user has TOTP (LOGIN_TOTP): in->pending
 * names the pending log-in, in->password holds a TOTP code or a recovery
 * code. Reserved and counted against the limits like a password (a wrong
 * code is a failure, audited session.create "totp"); LOGIN_OK makes the
 * session as session_login does (audited with the factor used, a recovery
 * code also as totp.recover); LOGIN_EXPIRED when the pending log-in is
 * unknown, older than LOGIN_PENDING_MAX, has had LOGIN_PENDING_TRIES wrong
 * codes or its user was disabled. */
void session_login_totp(db *d, arena *a, const struct login_request *in, struct login_result *out);

/* The session of token (user_id's) has just proved the password again:
 * its auth_at is now, audited session.reauth. 0 or -1. */
int session_fresh_auth(db *d, const struct actor *by, int64_t user_id, const char *token)
	__attribute__((warn_unused_result));

/* Check the password of a signed-in user again before a sensitive change
 * (ASVS 3.7.1), reserved and counted like a log-in from by->addr: LOGIN_OK,
 * LOGIN_BAD (recorded as a failure of action), LOGIN_THROTTLED (*verdict
 * and *wait_s as in login_result), LOGIN_BUSY or LOGIN_ERROR. */
enum login_status session_reauth(db *d, arena *a, const struct actor *by, int64_t user_id,
				 const char *password, const char *action, int ok_per_addr, int *verdict,
				 int64_t *wait_s);

/* The principal of a session token in tenant, now. 0 found (who and *csrf
 * filled), 1 none, expired (then deleted) or its user disabled, -1 error. */
int session_lookup(db *d, arena *a, int64_t tenant_id, const char *token, int64_t now,
		   struct principal *who, const char **csrf) __attribute__((warn_unused_result));
/* End the session of token (log-out), with its audit entry. */
int session_logout(db *d, const struct actor *by, const char *token) __attribute__((warn_unused_result));

/* ---- my sessions (domain/sessions.c) ---- */

#define SESSION_AGENT_MAX 256
#define SESSION_HANDLE_LEN 16 /* hex characters: a session named without its token */

struct session_row {
	char handle[SESSION_HANDLE_LEN + 1]; /* the start of its token's hash */
	int64_t created_at, seen_at;
	const char *addr, *user_agent;
	bool current;                        /* the session asking */
};

/* user_id's live sessions at now, the most recently seen first, at most
 * 100; current_token (or NULL) marks the asker's own. 0 or -1. */
int session_list(db *d, arena *a, int64_t tenant_id, int64_t user_id, const char *current_token, int64_t now,
		 struct session_row **out, int *n) __attribute__((warn_unused_result));
/* End user_id's session handle (all but current_token's when handle is
 * "others"), audited as session.end by by: the number ended (0: no such
 * session of user_id's), or -1. */
int session_end(db *d, const struct actor *by, int64_t user_id, const char *handle, const char *current_token)
	__attribute__((warn_unused_result));
/* Whether s is a session handle (SESSION_HANDLE_LEN lower-case hex). */
bool session_handle_ok(const char *s);

struct apitoken {
	int64_t id, user_id, unit_id, created_at, used_at, revoked_at;
	const char *name, *login;
};

/* Make an API token for user_id named name; the token (APITOKEN_CHARS + 1
 * bytes) is written to out, to be shown once. */
int apitoken_create(db *d, const struct actor *by, int64_t user_id, const char *name,
		    char out[APITOKEN_CHARS + 1], int64_t *id) __attribute__((warn_unused_result));
/* The principal of a bearer token: 0 found, 1 unknown, revoked or its user
 * disabled, -1 error. */
int apitoken_lookup(db *d, arena *a, int64_t tenant_id, const char *token, int64_t now,
		    struct principal *who) __attribute__((warn_unused_result));
/* Revoke token id: one's own, or another's when who may manage that user
 * (user_may_manage, checked in the transaction). 0 revoked, 1 no such live
 * token, 2 not who's to revoke, -1 error. */
int apitoken_revoke(db *d, const struct principal *who, const struct actor *by, int64_t id)
	__attribute__((warn_unused_result));
/* One token by id: 0, 1 none, -1. */
int apitoken_get(db *d, arena *a, int64_t tenant_id, int64_t id, struct apitoken *out)
	__attribute__((warn_unused_result));
/* A user's tokens (user_id 0: every user's), newest first, at most 200. */
int apitoken_list(db *d, arena *a, int64_t tenant_id, int64_t user_id, struct apitoken **out, int *n)
	__attribute__((warn_unused_result));

/* The principal of user id in tenant (for the CLI and tests). 0, 1, -1. */
int principal_of_user(db *d, arena *a, int64_t tenant_id, int64_t user_id, struct principal *who)
	__attribute__((warn_unused_result));

/* Sessions of every tenant not expired at now (idle or past their
 * maximum) into *n: 0 or -1. */
int session_count_live(db *d, int64_t now, int64_t *n) __attribute__((warn_unused_result));

#endif
