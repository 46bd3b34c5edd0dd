/* device.h - OWASP's device cookies ("Slow Down Online Guessing Attacks
 * with Device Cookies"): a browser that logged in to a login before shows
 * a signed cookie for it, and is then throttled by that cookie alone
 * (domain/throttle.h), so other people's failed guesses never lock it out.
 *
 * One cookie per login, named by the login (device_cookie_name), holding
 * "<issued>.<nonce>.<MAC>": issue time (Unix seconds), 128 random bits in
 * hex (the device's id in login_attempt) and crypto_auth (HMAC-SHA-512-256)
 * of the tenant, the folded login, the time and the nonce, keyed by the
 * tenant's secret (tenant_secret 'device', 256 random bits made on first
 * use). Nothing else is stored: a cookie is valid while its MAC verifies
 * and it is younger than DEVICE_MAX_AGE. A new one is issued at every
 * successful log-in. */
#ifndef JB_DEVICE_H
#define JB_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/db.h"

#define DEVICE_MAX_AGE (365 * 24 * 3600)
#define DEVICE_ID_HEX 32                 /* the nonce: 16 bytes as hex */
#define DEVICE_KEY_BYTES 32
#define DEVICE_COOKIE_MAX 128            /* a value, NUL included */
#define DEVICE_NAME_MAX 32               /* "jb_dev_" + 16 hex, NUL included */

/* The tenant's device key into key: 0, 1 when there is none yet (create:
 * made now, inside the caller's write transaction, then 0), -1 on error. */
int device_key(db *d, int64_t tenant_id, bool create, unsigned char key[DEVICE_KEY_BYTES])
	__attribute__((warn_unused_result));
/* A new cookie value for login (folded) in tenant, issued at now. */
void device_issue(const unsigned char key[DEVICE_KEY_BYTES], int64_t tenant_id, const char *login,
		  int64_t now, char out[DEVICE_COOKIE_MAX]);
/* True when value is a cookie device_issue() made for login in tenant
 * within DEVICE_MAX_AGE of now; id gets its nonce. Constant-time MAC check. */
bool device_check(const unsigned char key[DEVICE_KEY_BYTES], int64_t tenant_id, const char *login,
		  const char *value, int64_t now, char id[DEVICE_ID_HEX + 1]);
/* The cookie's name for login (folded): "jb_dev_" and 16 hex digits of its
 * BLAKE2b hash, so each login of a shared browser keeps its own. */
void device_cookie_name(const char *login, char out[DEVICE_NAME_MAX]);

#endif
