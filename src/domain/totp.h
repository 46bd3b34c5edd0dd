/* totp.h - two-factor log-in by TOTP (RFC 6238, through liboath) with
 * recovery codes (issue 13 §5, ASVS 2.8).
 *
 * The secret is 20 random bytes (160 bits, RFC 4226's recommendation),
 * kept base32-encoded in app_user.totp_secret as the authenticator app
 * shows it: HMAC-SHA1, 6 digits, 30 s steps, what every app defaults to.
 * There is no server key outside the store, so it is kept as such (not
 * encrypted at rest): whoever reads the store reads the secrets, as they
 * read the tenant's device key. A code is accepted one step either side of
 * now, and only for a step later than the last one used
 * (app_user.totp_step): a code seen once never logs in again.
 *
 * Enrolment: totp_enrol_start() keeps a new secret in totp_pending, shown
 * as a QR code; totp_enrol_confirm() with a current code of it makes it
 * the secret and hands back TOTP_RECOVERY_COUNT recovery codes, shown once.
 * A user who has TOTP cannot enrol again (a stolen session would swap the
 * key): turning it off takes a code first.
 * Each recovery code is 50 random bits ("xxxxx-xxxxx", 32 symbols) and
 * kept as a BLAKE2b-128 hash of the tenant, the user and the code
 * (app_user.totp_recovery, space-separated hex); one used is removed. */
#ifndef JB_TOTP_H
#define JB_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/audit.h"
#include "store/db.h"
#include "util/arena.h"

#define TOTP_KEY_BYTES 20
#define TOTP_B32_CHARS 32          /* 20 bytes in base32, no padding */
#define TOTP_STEP 30
#define TOTP_DIGITS 6
#define TOTP_WINDOW 1              /* steps either side of now */
#define TOTP_RECOVERY_COUNT 10
#define TOTP_RECOVERY_CHARS 11     /* "xxxxx-xxxxx" */
#define TOTP_ISSUER "jiebang"

/* Base32 (RFC 4648, no padding) of n bytes into out (8n/5 rounded up + 1). */
void totp_base32(const unsigned char *in, size_t n, char *out);
/* Decode base32 s (upper or lower case, no padding) into out (max bytes):
 * the byte count, or -1 when s is not base32 or too long. */
int totp_unbase32(const char *s, unsigned char *out, size_t max);
/* A new secret, base32, into out. */
void totp_secret_new(char out[TOTP_B32_CHARS + 1]);
/* The code of key (raw bytes) at time now, digits long, into out
 * (digits + 1). 0 or -1. */
int totp_code(const unsigned char *key, size_t n, int64_t now, unsigned digits, char *out);

enum totp_verdict { TOTP_OK, TOTP_WRONG, TOTP_REPLAY };
/* Check code against the base32 secret at now, TOTP_WINDOW steps either
 * side: TOTP_OK with *step the step it belongs to (later than last_step),
 * TOTP_REPLAY when that step was used already, TOTP_WRONG otherwise (a
 * malformed code or secret too). */
enum totp_verdict totp_check(const char *secret_b32, const char *code, int64_t now, int64_t last_step,
			     int64_t *step);

/* A code as typed: digits only (spaces dropped) -> true when it looks like
 * a TOTP code; else it may be a recovery code. */
bool totp_looks_like_code(const char *code);
/* The stored hash of a recovery code of user_id (case, spaces and dashes
 * ignored) into out (33 bytes). */
void totp_recovery_hash(int64_t tenant_id, int64_t user_id, const char *code, char out[33]);

/* The two-factor state of a user. */
struct totp_state {
	bool enabled;            /* a confirmed secret */
	const char *secret;      /* base32, or "" */
	const char *pending;     /* base32 of an enrolment under way, or "" */
	int64_t step;            /* the last step used */
	int recovery_left;       /* recovery codes not used yet */
};
/* 0, 1 no such user, -1. Strings on a. */
int totp_get(db *d, arena *a, int64_t tenant_id, int64_t user_id, struct totp_state *out)
	__attribute__((warn_unused_result));

/* Start (or restart) an enrolment: a new pending secret, into out. 0 or -1.
 * Nothing is audited: the secret does nothing until confirmed. */
int totp_enrol_start(db *d, int64_t tenant_id, int64_t user_id, char out[TOTP_B32_CHARS + 1])
	__attribute__((warn_unused_result));

/* Recovery codes just made, to be shown once. */
struct totp_codes {
	char code[TOTP_RECOVERY_COUNT][TOTP_RECOVERY_CHARS + 1];
};

enum totp_result {
	TOTP_DONE = 0,
	TOTP_BAD_CODE = 1,       /* wrong or replayed */
	TOTP_NO_ENROLMENT = 2,   /* confirm without a pending secret; disable or renew without TOTP */
	TOTP_ERROR = -1,
};
/* Confirm the pending secret with a current code of it: it becomes the
 * secret, new recovery codes into *codes, audited totp.enrol; one
 * transaction. TOTP_NO_ENROLMENT without a pending secret or when TOTP is
 * on already. */
enum totp_result totp_enrol_confirm(db *d, const struct actor *by, int64_t user_id, const char *code,
				    struct totp_codes *codes) __attribute__((warn_unused_result));
/* Turn TOTP off with a current code or a recovery code; audited
 * totp.disable. */
enum totp_result totp_disable(db *d, const struct actor *by, int64_t user_id, const char *code)
	__attribute__((warn_unused_result));
/* New recovery codes (the old ones stop working) for a current code;
 * audited totp.recovery_codes. */
enum totp_result totp_renew_codes(db *d, const struct actor *by, int64_t user_id, const char *code,
				  struct totp_codes *codes) __attribute__((warn_unused_result));
/* Turn user_id's TOTP off without a code (the operator's `jiebang user
 * totp-off`, for a lost phone and lost recovery codes), audited
 * totp.disable: 0, 1 when it had none, -1. */
int totp_reset(db *d, const struct actor *by, int64_t user_id) __attribute__((warn_unused_result));
/* Inside the caller's write transaction: check code (a TOTP code or a
 * recovery code) for user_id and use it up (the step, or the recovery
 * code removed). TOTP_DONE (*recovery true when it was a recovery code),
 * TOTP_BAD_CODE, TOTP_NO_ENROLMENT or TOTP_ERROR. */
enum totp_result totp_use(db *d, int64_t tenant_id, int64_t user_id, const char *code, int64_t now, bool *recovery)
	__attribute__((warn_unused_result));

#endif
