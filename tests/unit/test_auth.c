/* test_auth.c - the permission table and check, the password policy and
 * hashing cost, tokens, cookies, throttling and session expiry (the store
 * parts on a temporary SQLite file; the server tests run them on both
 * stores). Each test names the ASVS 4.0.3 requirement it proves. */
#include "testdb.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/audit.h"
#include "domain/device.h"
#include "domain/password.h"
#include "domain/perm.h"
#include "domain/session.h"
#include "domain/throttle.h"
#include "domain/user.h"
#include "http/cookie.h"
#include "store/db.h"

static struct principal as(unsigned roles, int64_t user, int64_t unit)
{
	return (struct principal){ .tenant_id = 1, .user_id = user, .login = user ? "u" : NULL, .roles = roles,
				   .unit_id = unit };
}

/* ASVS 4.1.3 / 4.1.5: least privilege, fail closed. */
static void perm_check_fails_closed(void **state)
{
	struct principal admin = as(ROLE_ADMIN, 1, 5), anon = as(0, 0, 0);
	struct perm_target t = { 1, 0, 0, false };

	assert_true(perm_check(&admin, "user.manage", &t));
	assert_false(perm_check(&admin, "no.such.action", &t));
	assert_false(perm_check(&admin, "user.manage", NULL));
	assert_false(perm_check(NULL, "user.manage", &t));
	t.tenant_id = 2; /* another tenant's object: never, whatever the role */
	assert_false(perm_check(&admin, "user.manage", &t));
	t.tenant_id = 1;
	admin.tenant_id = 0;
	assert_false(perm_check(&admin, "user.manage", &t));
	assert_true(perm_check(&anon, "session.create", &t));
	assert_false(perm_check(&anon, "session.delete", &t));
	assert_false(perm_check(&anon, "user.read", &t));
}

/* ASVS 4.1.3 / 4.2.1: scopes own, unit and tenant. */
static void scopes_limit_unit_admins_and_cadres(void **state)
{
	struct principal ua = as(ROLE_UNIT_ADMIN, 2, 6), cadre = as(ROLE_CADRE, 3, 6);
	struct perm_target same = { 1, 6, 10, false }, other = { 1, 18, 11, false }, none = { 1, 0, 12, false };
	struct perm_target mine = { 1, 0, 3, false }, claim = { 1, 18, 0, true }, foreign = { 1, 6, 0, false };

	assert_true(perm_check(&ua, "user.manage", &same));
	assert_false(perm_check(&ua, "user.manage", &other));
	assert_false(perm_check(&ua, "user.manage", &none));
	assert_true(perm_check(&ua, "role.grant.cadre", &same));
	assert_false(perm_check(&ua, "role.grant.admin", &same));
	assert_false(perm_check(&ua, "role.grant.unit_admin", &same));
	assert_false(perm_check(&cadre, "user.manage", &same));
	assert_true(perm_check(&cadre, "token.manage", &mine));
	assert_false(perm_check(&cadre, "token.manage", &same));
	/* progress is reported by the task force: a cadre or a unit liaison
	 * only on claims whose team it is on, even of its own unit */
	assert_true(perm_check(&cadre, "claim.progress", &claim));
	assert_false(perm_check(&cadre, "claim.progress", &foreign));
	assert_false(perm_check(&ua, "claim.progress", &foreign));
	assert_true(perm_check(&ua, "claim.progress", &claim));
	assert_true(perm_check(&ua, "claim.endorse", &foreign));
	assert_false(perm_check(&cadre, "claim.endorse", &claim));
}

/* ASVS 4.1.3 / 4.2.1 (the first hostile test's takeover): an action on
 * another account needs the right to grant every role that account holds.
 * Every role acts on a target of every role, in its unit and in another. */
static void one_acts_only_on_accounts_one_could_have_made(void **state)
{
	const unsigned all = ROLE_ADMIN | ROLE_UNIT_ADMIN | ROLE_CADRE | ROLE_EVALUATOR | ROLE_LEADER;
	struct principal cli = perm_cli(1);
	struct perm_target elsewhere = { 2, 5, 1, false };

	for (int a = 0; a < ROLE_COUNT; a++) {
		struct principal who = as(1u << a, 100, 6);
		for (unsigned target = 1; target <= all; target++) {
			for (int unit = 0; unit < 2; unit++) {
				struct user u = { .id = 200, .unit_id = unit ? 18 : 6, .roles = target };
				bool expect = (1u << a) == ROLE_ADMIN ||
					      ((1u << a) == ROLE_UNIT_ADMIN && !unit && target == ROLE_CADRE);
				if (user_may_manage(&who, &u) != expect)
					fail_msg("role %s on target roles %#x in %s unit: expected %d", role_codes[a],
						 target, unit ? "another" : "its own", expect);
			}
		}
	}
	/* A unit liaison cannot act on the admin of its own unit, nor on a
	 * peer liaison, nor on itself (it could not have made a liaison). */
	struct principal ua = as(ROLE_UNIT_ADMIN, 2, 5);
	struct user admin = { .id = 1, .unit_id = 5, .roles = ROLE_ADMIN };
	struct user peer = { .id = 3, .unit_id = 5, .roles = ROLE_UNIT_ADMIN };
	struct user self = { .id = 2, .unit_id = 5, .roles = ROLE_UNIT_ADMIN };
	struct user mixed = { .id = 4, .unit_id = 5, .roles = ROLE_CADRE | ROLE_EVALUATOR };
	assert_false(user_may_manage(&ua, &admin));
	assert_false(user_may_manage(&ua, &peer));
	assert_false(user_may_manage(&ua, &self));
	assert_false(user_may_manage(&ua, &mixed));
	assert_true(user_may_create(&ua, ROLE_CADRE, 5));
	assert_false(user_may_create(&ua, ROLE_CADRE | ROLE_LEADER, 5));
	assert_false(user_may_create(&ua, ROLE_CADRE, 18));
	/* The command line may do everything, in its own tenant only. */
	assert_true(user_may_manage(&cli, &admin));
	assert_false(perm_check(&cli, "user.manage", &elsewhere));
	/* A command-line principal loaded for a user is that user, not the CLI. */
	cli.user_id = 7;
	assert_false(user_may_manage(&cli, &admin));
}

/* ASVS 1.4.5: the table is well-formed: known roles, no duplicate rows,
 * every role can log in and out. */
static void the_permission_table_is_well_formed(void **state)
{
	for (int i = 0; i < perm_rules_count; i++) {
		const struct perm_rule *p = &perm_rules[i];
		assert_true(!strcmp(p->role, "anonymous") || role_bit(p->role));
		assert_non_null(strchr(p->action, '.'));
		if (!strcmp(p->role, "anonymous"))
			assert_int_equal(p->scope, SCOPE_TENANT);
		for (int j = 0; j < i; j++)
			assert_false(!strcmp(p->role, perm_rules[j].role) && !strcmp(p->action, perm_rules[j].action));
	}
	for (int i = 0; i < ROLE_COUNT; i++) {
		struct principal who = as(1u << i, 9, 0);
		assert_true(perm_any(&who, "session.create"));
		assert_true(perm_any(&who, "session.delete"));
		assert_true(perm_any(&who, "account.password"));
		assert_int_equal(role_bit(role_codes[i]), 1u << i);
	}
	assert_int_equal(role_bit("root"), 0);
	assert_int_equal(role_bit(NULL), 0);
}

/* ASVS 2.1.1, 2.1.2, 2.1.7, 2.1.9: length in code points, a common list,
 * no composition rules. */
static void password_policy(void **state)
{
	assert_non_null(pw_policy("abcdefghijk", "x"));           /* 11 */
	assert_null(pw_policy("correct horse", "x"));             /* 13, no digits or capitals needed */
	assert_null(pw_policy("揭榜挂帅破百题立军令状干到底", "x")); /* 14 Chinese characters, 42 bytes */
	assert_null(pw_policy("揭榜挂帅破百题立军令状干", "x"));     /* 12 characters, 36 bytes */
	assert_non_null(pw_policy("揭榜挂帅破百题立军令状", "x"));    /* 11 characters, 33 bytes */
	char big[200];
	memset(big, 'a', sizeof(big));
	big[128] = '\0';
	big[0] = 'b';
	assert_null(pw_policy(big, "x"));                         /* 128 allowed */
	big[128] = 'c';
	big[129] = '\0';
	assert_non_null(pw_policy(big, "x"));                     /* 129 refused */
	assert_non_null(pw_policy("Password1234", "x"));          /* common, any case */
	assert_non_null(pw_policy("WOAINI1314520", "x"));
	assert_non_null(pw_policy("1qaz2wsx3edc", "x"));
	assert_non_null(pw_policy(PW_DEMO, "x"));                 /* the demo password, outside the demo */
	assert_non_null(pw_policy("aaaaaaaaaaaaaa", "x"));
	assert_non_null(pw_policy("zhangsan-2024-pass", "zhangsan"));
	assert_true(pw_is_common("qwertyuiop"));
	assert_false(pw_is_common("a long unusual phrase"));
}

/* ASVS 2.1.7: the common list is matched in the NFKC case-folded form, so
 * full-width digits and letters, ligatures and odd cases are caught. */
static void common_passwords_match_after_nfkc_folding(void **state)
{
	char *f = pw_fold("ＡＢＣ１２３ﬁ");

	assert_non_null(f);
	assert_string_equal(f, "abc123fi");
	free(f);
	assert_true(pw_is_common("１２３４５６７８９０１２"));            /* full-width digits */
	assert_non_null(pw_policy("１２３４５６７８９０１２", "x"));
	assert_true(pw_is_common("ＰＡＳＳＷＯＲＤ１２３４"));          /* full-width capitals */
	assert_true(pw_is_common("Ｗｏａｉｎｉ１３１４５２０"));
	assert_true(pw_is_common("ＪＩＥＢＡＮＧ-ＤＥＭＯ"));           /* the demo password, full width */
	assert_true(pw_is_common("\xff\xfe not text"));                /* unfoldable: refused */
	assert_false(pw_is_common("１２３４５６７８９０１２ and more"));
	assert_null(pw_policy("揭榜挂帅破百题立军令状干", "x"));          /* Chinese text is unaffected */
}

/* ASVS 2.4.1 / 2.4.2: the production default is argon2id with at least
 * OWASP's minimum cost (m = 19 MiB, t = 2, p = 1). */
static void production_hashes_are_argon2id_above_owasp_minimum(void **state)
{
	char hash[PW_HASH_MAX];
	unsigned long long m = 0, t = 0, p = 0, ct, cm;
	bool fast;

	pw_cost(&ct, &cm, &fast);
	assert_false(fast);
	assert_int_equal(pw_hash("correct horse battery", hash), PW_OK);
	assert_int_equal(sscanf(hash, "$argon2id$v=19$m=%llu,t=%llu,p=%llu$", &m, &t, &p), 3);
	assert_true(m >= 19 * 1024);
	assert_true(t >= 2);
	assert_int_equal(p, 1);
	assert_int_equal(pw_verify(hash, "correct horse battery"), PW_OK);
	assert_int_equal(pw_verify(hash, "correct horse batterY"), PW_MISMATCH);
	assert_int_equal(pw_verify("not a hash", "x"), PW_MISMATCH);
	assert_int_equal(pw_verify_dummy("anything"), PW_MISMATCH);
	assert_false(pw_needs_upgrade(hash));
	/* a hash below the current cost is upgraded at the next log-in */
	char weak[PW_HASH_MAX];
	assert_int_equal(crypto_pwhash_str(weak, "pw", 2, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN), 0);
	assert_true(pw_needs_upgrade(weak));
}

/* Peak resident memory of this process, KiB. */
static long peak_kib(void)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmHWM:", 6))
			v = atol(line + 6);
	if (f)
		fclose(f);
	return v;
}

static void *hash_once(void *arg)
{
	char hash[PW_HASH_MAX];

	*(int *)arg = pw_hash("concurrent password", hash);
	return NULL;
}

/* ASVS 2.4.x / 2.2.1: at most PW_CONCURRENCY hashes (64 MiB each) run at
 * once, so a burst of log-ins cannot exhaust memory: 8 at once raise the
 * peak by about 2 x 64 MiB, not 8 x 64 MiB. */
static void hashing_concurrency_is_capped(void **state)
{
	pthread_t t[8];
	int rc[8];
	unsigned long long ct, cm;
	bool fast;
	long before;

	pw_cost(&ct, &cm, &fast); /* the dummy hash is made once, first */
	before = peak_kib();

	for (int i = 0; i < 8; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hash_once, &rc[i]), 0);
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(rc[i], PW_OK);
	}
	long grew = peak_kib() - before;
	print_message("peak memory grew by %ld KiB for 8 concurrent hashes\n", grew);
	assert_true(grew < 4 * 64 * 1024);
}

/* ASVS 3.2.2 (5.0: 7.2.3): tokens of 256 bits from the CSPRNG; only their
 * hash is stored. */
static void tokens_are_random_and_hashed(void **state)
{
	char a[TOKEN_CHARS + 1], b[TOKEN_CHARS + 1], h[TOKEN_HASH_HEX + 1], h2[TOKEN_HASH_HEX + 1];
	char pw[17];

	token_random(a);
	token_random(b);
	assert_int_equal(strlen(a), 43);
	assert_string_not_equal(a, b);
	assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), 43);
	token_hash(a, h);
	token_hash(a, h2);
	assert_int_equal(strlen(h), 64);
	assert_string_equal(h, h2);
	assert_null(strstr(h, a));
	assert_true(secret_equal(a, a));
	assert_false(secret_equal(a, b));
	assert_false(secret_equal("", ""));
	assert_false(secret_equal(a, "short"));
	pw_random(pw, sizeof(pw));
	assert_int_equal(strlen(pw), 16);
	assert_null(pw_policy(pw, "admin"));
}

/* ASVS 3.4.1-3.4.4: cookie attributes; a Cookie header parsed strictly. */
static void cookies_are_parsed_and_set_safely(void **state)
{
	arena *a = arena_new();

	assert_string_equal(cookie_get(a, "a=1; jb_session=xyz; b=2", "jb_session"), "xyz");
	assert_string_equal(cookie_get(a, "jb_session=\"q\"", "jb_session"), "q");
	assert_string_equal(cookie_get(a, " jb_session = v ;x=1", "jb_session"), "v");
	assert_null(cookie_get(a, "xjb_session=1; jb_sessionx=2", "jb_session"));
	assert_null(cookie_get(a, "jb_session", "jb_session"));
	assert_null(cookie_get(a, NULL, "jb_session"));
	assert_string_equal(cookie_get(a, "jb_session=; a=1", "jb_session"), "");
	assert_string_equal(cookie_get(a, "jb_session=1; jb_session=2", "jb_session"), "1");
	assert_string_equal(cookie_set(a, "jb_session", "t", false), "jb_session=t; Path=/; HttpOnly; SameSite=Lax");
	assert_string_equal(cookie_set(a, "__Host-jb_session", "t", true),
			    "__Host-jb_session=t; Path=/; HttpOnly; SameSite=Lax; Secure");
	assert_non_null(strstr(cookie_clear(a, "jb_session", false), "Max-Age=0"));
	arena_free(a);
}

/* ---- on a store ---- */

struct fx {
	struct testdb s;
	db *d;
	arena *a;
};

static int store_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];

	testdb_make(&f->s, DB_SQLITE, "auth");
	f->d = testdb_open(f->s.url);
	if (db_migrate(f->d, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	if (db_exec(f->d, "INSERT INTO tenant (id, slug, name, created_at) VALUES (1, 'a', 'A', 0);"
			  "INSERT INTO tenant (id, slug, name, created_at) VALUES (2, 'b', 'B', 0)") < 0)
		fail_msg("%s", db_errmsg(f->d));
	f->a = arena_new();
	*state = f;
	return 0;
}

static int store_teardown(void **state)
{
	struct fx *f = *state;

	arena_free(f->a);
	db_close(f->d);
	testdb_drop(&f->s);
	free(f);
	return 0;
}

static int64_t add_user(struct fx *f, int64_t tenant, const char *login, const char *pw, unsigned roles)
{
	struct principal cli = perm_cli(tenant);
	char hash[PW_HASH_MAX];
	struct user_new n = { .login = login, .roles = roles, .hash = hash };
	arena *a = arena_new();
	struct ctx c;

	assert_int_equal(crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_MIN,
					   crypto_pwhash_MEMLIMIT_MIN), 0);
	ctx_init(&c, f->d, a, &cli, "");
	assert_int_equal(user_create(&c, &n), JB_OK);
	arena_free(a);
	return n.id;
}

static int64_t count(struct fx *f, const char *sql)
{
	int64_t v = -1;

	if (db_scalar(f->d, sql, &v, 0) != 0)
		fail_msg("%s: %s", sql, db_errmsg(f->d));
	return v;
}

/* OWASP device cookies: signed for one login of one tenant, a year long;
 * a changed byte, another login or tenant, another key or an old cookie
 * is not valid. The tenant key is made once and kept. */
static void device_cookies_are_signed_and_expire(void **state)
{
	struct fx *f = *state;
	unsigned char key[DEVICE_KEY_BYTES], again[DEVICE_KEY_BYTES], other[DEVICE_KEY_BYTES] = { 1 };
	char c[DEVICE_COOKIE_MAX], c2[DEVICE_COOKIE_MAX], id[DEVICE_ID_HEX + 1], id2[DEVICE_ID_HEX + 1], name[DEVICE_NAME_MAX];
	int64_t now = 1700000000;

	assert_int_equal(device_key(f->d, 1, false, key), 1);
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	assert_int_equal(device_key(f->d, 1, true, key), 0);
	assert_int_equal(device_key(f->d, 1, true, again), 0);
	assert_int_equal(db_commit(f->d), 0);
	assert_memory_equal(key, again, sizeof(key));
	device_issue(key, 1, "amy", now, c);
	device_issue(key, 1, "amy", now, c2);
	assert_true(device_check(key, 1, "amy", c, now + 10, id));
	assert_true(device_check(key, 1, "amy", c2, now + 10, id2));
	assert_int_equal(strlen(id), DEVICE_ID_HEX);
	assert_string_not_equal(id, id2);                               /* a new nonce each time */
	assert_false(device_check(key, 1, "bob", c, now, id));
	assert_string_equal(id, "");
	assert_false(device_check(key, 2, "amy", c, now, id));
	assert_false(device_check(other, 1, "amy", c, now, id));
	assert_false(device_check(key, 1, "amy", c, now + DEVICE_MAX_AGE + 1, id));
	assert_false(device_check(key, 1, "amy", c, now - 3600, id));   /* issued in the future */
	assert_false(device_check(key, 1, "amy", NULL, now, id));
	assert_false(device_check(key, 1, "amy", "", now, id));
	assert_false(device_check(key, 1, "amy", "1700000000.abc.def", now, id));
	for (size_t i = 0; c[i]; i++) {
		char bad[DEVICE_COOKIE_MAX];
		memcpy(bad, c, sizeof(bad));
		bad[i] = bad[i] == '1' ? '2' : '1';
		assert_false(device_check(key, 1, "amy", bad, now, id));
	}
	device_cookie_name("amy", name);
	assert_int_equal(strlen(name), 7 + 16);
	assert_memory_equal(name, "jb_dev_", 7);
	device_cookie_name("bob", c);
	assert_string_not_equal(name, c);
}

/* Issue 7.7: refused anonymous requests are written per_window a minute
 * per (tenant, address); the rest are counted and summed up once the
 * window is over, or at shutdown. */
static void the_refusal_gate_bounds_writes_per_address(void **state)
{
	struct audit_gate *g = audit_gate_new(3);
	struct audit_summary due[AUDIT_GATE_BATCH];
	int64_t now = 1700000000;
	int n, written = 0;

	for (int i = 0; i < 50; i++) {
		written += audit_gate_admit(g, 1, "10.0.0.1", now + i % 30, due, &n);
		assert_int_equal(n, 0);
	}
	assert_int_equal(written, 3);
	assert_true(audit_gate_admit(g, 1, "10.0.0.2", now, due, &n));      /* another address */
	assert_true(audit_gate_admit(g, 2, "10.0.0.1", now, due, &n));      /* another tenant */
	assert_int_equal(audit_gate_take(g, false, now + 30, due, AUDIT_GATE_BATCH), 0); /* not over yet */
	/* the next refusal after the window gets the summary, and is written */
	assert_true(audit_gate_admit(g, 1, "10.0.0.1", now + AUDIT_GATE_WINDOW, due, &n));
	assert_int_equal(n, 1);
	assert_int_equal(due[0].tenant_id, 1);
	assert_string_equal(due[0].addr, "10.0.0.1");
	assert_int_equal(due[0].count, 47);
	assert_int_equal(due[0].since, now);
	/* any address's refusal sweeps the others' ended windows */
	for (int i = 0; i < 5; i++)
		(void)audit_gate_admit(g, 1, "10.0.0.3", now + 70, due, &n);
	assert_true(audit_gate_admit(g, 1, "10.0.0.4", now + 200, due, &n));
	assert_int_equal(n, 1);
	assert_string_equal(due[0].addr, "10.0.0.3");
	assert_int_equal(due[0].count, 2);
	/* at shutdown every count is handed out, window over or not */
	for (int i = 0; i < 4; i++)
		(void)audit_gate_admit(g, 1, "10.0.0.5", now + 201, due, &n);
	assert_int_equal(audit_gate_take(g, true, now + 202, due, AUDIT_GATE_BATCH), 1);
	assert_int_equal(due[0].count, 1);
	assert_int_equal(audit_gate_take(g, true, now + 202, due, AUDIT_GATE_BATCH), 0);
	audit_gate_free(g);
}

/* One attempt of login from addr (device "" untrusted) at now: the
 * throttle's verdict, and when it passed, settled as how. */
static int attempt_(struct fx *f, const char *login, const char *addr, const char *device, int64_t now,
		    enum attempt_end how, int64_t *wait)
{
	struct attempt at = { 1, login, addr, device, now, 0 };
	int rc = throttle_reserve(f->d, &at, 0, wait);

	if (rc != THROTTLE_PASS)
		return rc;
	assert_true(at.id > 0);
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	assert_int_equal(throttle_settle(f->d, &at, how), 0);
	assert_int_equal(db_commit(f->d), 0);
	return rc;
}

/* ASVS 2.2.1: 5 failures of one (login, address) slow it down, 20 in an
 * hour lock it; an unknown login is counted the same way; other addresses
 * and other logins go on. */
static void throttling_delays_then_locks_per_login_and_address(void **state)
{
	struct fx *f = *state;
	int64_t now = 1700000000, wait;

	for (int i = 0; i < THROTTLE_FREE; i++)
		assert_int_equal(attempt_(f, "ghost", "10.0.0.1", "", now + i, ATTEMPT_FAILED, &wait), THROTTLE_PASS);
	assert_int_equal(attempt_(f, "ghost", "10.0.0.1", "", now + 5, ATTEMPT_FAILED, &wait), THROTTLE_DELAYED);
	assert_true(wait > 0 && wait <= 60);
	assert_int_equal(attempt_(f, "ghost", "10.0.0.2", "", now + 5, ATTEMPT_VOID, &wait), THROTTLE_PASS);
	assert_int_equal(attempt_(f, "other", "10.0.0.1", "", now + 5, ATTEMPT_VOID, &wait), THROTTLE_PASS);
	/* the delay grows with each failure after the fifth */
	assert_int_equal(attempt_(f, "ghost", "10.0.0.1", "", now + 4 + 60, ATTEMPT_FAILED, &wait), THROTTLE_PASS);
	assert_int_equal(attempt_(f, "ghost", "10.0.0.1", "", now + 4 + 61, ATTEMPT_FAILED, &wait), THROTTLE_DELAYED);
	assert_int_equal(wait, 120 - 1);
	/* 20 within the hour, none within the delays' window: only the lock
	 * refuses, until the 20th-latest leaves the hour */
	for (int i = 0; i < THROTTLE_LOCK; i++) {
		char sql[256];
		snprintf(sql, sizeof(sql), "INSERT INTO login_attempt (tenant_id, id, login, addr, state, at)"
			 " VALUES (1, %d, 'ghost', '10.0.0.3', 'failed', %lld)", 1000 + i, (long long)(now - 3000 + 100 * i));
		assert_int_equal(db_exec(f->d, sql), 0);
	}
	assert_int_equal(attempt_(f, "ghost", "10.0.0.3", "", now, ATTEMPT_VOID, &wait), THROTTLE_LOCKED);
	assert_int_equal(wait, THROTTLE_LOCK_WINDOW - 3000);
	assert_int_equal(attempt_(f, "ghost", "10.0.0.4", "", now, ATTEMPT_VOID, &wait), THROTTLE_PASS);
	assert_int_equal(attempt_(f, "ghost", "10.0.0.3", "", now + 601, ATTEMPT_VOID, &wait), THROTTLE_PASS);
}

/* A correct password forgives its own (login, address)'s failures, not the
 * login's count elsewhere. */
static void a_success_forgives_its_own_source(void **state)
{
	struct fx *f = *state;
	int64_t now = 1700000000, wait;

	for (int i = 0; i < THROTTLE_FREE - 1; i++) {
		assert_int_equal(attempt_(f, "amy", "10.0.0.1", "", now, ATTEMPT_FAILED, &wait), THROTTLE_PASS);
		assert_int_equal(attempt_(f, "amy", "10.0.0.2", "", now, ATTEMPT_FAILED, &wait), THROTTLE_PASS);
	}
	assert_int_equal(attempt_(f, "amy", "10.0.0.1", "", now + 1, ATTEMPT_OK, &wait), THROTTLE_PASS);
	assert_int_equal(count(f, "SELECT count(*) FROM login_attempt WHERE state = 'forgiven' AND addr = '10.0.0.1'"),
			 THROTTLE_FREE - 1);
	assert_int_equal(count(f, "SELECT count(*) FROM login_attempt WHERE state = 'failed'"), THROTTLE_FREE - 1);
	for (int i = 0; i < THROTTLE_FREE; i++)
		assert_int_equal(attempt_(f, "amy", "10.0.0.1", "", now + 2, ATTEMPT_FAILED, &wait), THROTTLE_PASS);
	assert_int_equal(attempt_(f, "amy", "10.0.0.2", "", now + 2, ATTEMPT_FAILED, &wait), THROTTLE_PASS);
	assert_int_equal(attempt_(f, "amy", "10.0.0.2", "", now + 3, ATTEMPT_FAILED, &wait), THROTTLE_DELAYED);
}

/* ASVS 2.2.1: at most THROTTLE_ACCOUNT_CAP failures an hour per account
 * from untrusted clients, however many addresses guess; a device cookie's
 * holder is not locked out by them, only by its own failures. */
static void the_account_cap_stops_untrusted_clients_only(void **state)
{
	struct fx *f = *state;
	int64_t now = 1700000000, wait;
	char addr[32];

	for (int i = 0; i < THROTTLE_ACCOUNT_CAP; i++) {
		snprintf(addr, sizeof(addr), "10.1.%d.%d", i / 200, i % 200);
		assert_int_equal(attempt_(f, "admin", addr, "", now + i, ATTEMPT_FAILED, &wait), THROTTLE_PASS);
	}
	assert_int_equal(attempt_(f, "admin", "10.9.9.9", "", now + 200, ATTEMPT_FAILED, &wait), THROTTLE_LOCKED);
	assert_int_equal(wait, THROTTLE_LOCK_WINDOW - 200);
	assert_int_equal(attempt_(f, "admin", "10.9.9.9", "d3v1ce", now + 200, ATTEMPT_OK, &wait), THROTTLE_PASS);
	/* the device's own failures lock the device (a stolen cookie gives few guesses) */
	for (int i = 0; i < THROTTLE_FREE; i++)
		assert_int_equal(attempt_(f, "admin", "10.9.9.9", "d3v1ce", now + 201, ATTEMPT_FAILED, &wait), THROTTLE_PASS);
	assert_int_equal(attempt_(f, "admin", "10.9.9.8", "d3v1ce", now + 202, ATTEMPT_FAILED, &wait), THROTTLE_DELAYED);
	assert_int_equal(attempt_(f, "admin", "10.9.9.8", "another", now + 202, ATTEMPT_VOID, &wait), THROTTLE_PASS);
	/* once the hour has passed, untrusted clients may try again */
	assert_int_equal(attempt_(f, "admin", "10.9.9.9", "", now + THROTTLE_LOCK_WINDOW + 100, ATTEMPT_VOID, &wait),
			 THROTTLE_PASS);
}

/* Checks are reserved before the hash: pending ones count, so parallel
 * attempts cannot slip past the limit; a void one is released. Successful
 * checks per address are limited too. */
static void reservations_count_and_successes_are_limited(void **state)
{
	struct fx *f = *state;
	struct attempt at[THROTTLE_FREE + 1];
	int64_t now = 1700000000, wait;

	for (int i = 0; i <= THROTTLE_FREE; i++) {
		at[i] = (struct attempt){ 1, "bob", "10.0.0.1", "", now, 0 };
		assert_int_equal(throttle_reserve(f->d, &at[i], 0, &wait), i < THROTTLE_FREE ? THROTTLE_PASS : THROTTLE_DELAYED);
	}
	assert_int_equal(count(f, "SELECT count(*) FROM login_attempt WHERE state = 'pending'"), THROTTLE_FREE);
	assert_int_equal(db_begin(f->d, DB_WRITE), 0);
	assert_int_equal(throttle_settle(f->d, &at[0], ATTEMPT_VOID), 0);
	assert_int_equal(db_commit(f->d), 0);
	assert_int_equal(attempt_(f, "bob", "10.0.0.1", "", now, ATTEMPT_OK, &wait), THROTTLE_PASS);
	/* THROTTLE_OK_ADDR correct passwords (or pending checks) per address in ten minutes */
	assert_int_equal(db_exec(f->d, "DELETE FROM login_attempt"), 0);
	for (int i = 0; i < THROTTLE_OK_ADDR; i++)
		assert_int_equal(attempt_(f, i % 2 ? "amy" : "bob", "10.0.0.7", i % 3 ? "" : "dev", now + i, ATTEMPT_OK, &wait),
				 THROTTLE_PASS);
	assert_int_equal(attempt_(f, "carl", "10.0.0.7", "", now + 100, ATTEMPT_OK, &wait), THROTTLE_FREQUENT);
	assert_int_equal(wait, THROTTLE_OK_WINDOW - 100);
	assert_int_equal(attempt_(f, "carl", "10.0.0.8", "", now + 100, ATTEMPT_OK, &wait), THROTTLE_PASS);
	struct attempt more = { 1, "carl", "10.0.0.7", "", now + 100, 0 };
	assert_int_equal(throttle_reserve(f->d, &more, THROTTLE_OK_ADDR + 1, &wait), THROTTLE_PASS);
}

static void login_(struct fx *f, const char *login, const char *pw, const char *old_token, struct login_result *out)
{
	struct login_request in = { .tenant_id = 1, .login = login, .password = pw, .addr = "127.0.0.1",
				    .old_token = old_token };

	session_login(f->d, f->a, &in, out);
}

/* ASVS 3.2.1, 3.3.1, 3.3.2: a new token at each log-in, stored hashed;
 * idle and absolute expiry and log-out end the session on the server. */
static void sessions_expire_and_end_on_the_server(void **state)
{
	struct fx *f = *state;
	struct login_result r1, r2;
	struct principal who;
	struct actor by = { 1, "amy", "127.0.0.1" };
	const char *csrf;
	int64_t now = (int64_t)time(NULL);
	char th[TOKEN_HASH_HEX + 1];

	add_user(f, 1, "amy", "correct horse battery", ROLE_CADRE);
	login_(f, "AMY", "wrong password!", NULL, &r1);
	assert_int_equal(r1.status, LOGIN_BAD);
	login_(f, "nobody", "wrong password!", NULL, &r1);
	assert_int_equal(r1.status, LOGIN_BAD);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_event WHERE outcome = 'failed'"), 2);
	login_(f, "Amy", "correct horse battery", NULL, &r1);
	assert_int_equal(r1.status, LOGIN_OK);
	assert_string_equal(r1.who.login, "amy");
	assert_int_equal(r1.who.roles, ROLE_CADRE);
	/* the store holds the hash, never the token */
	token_hash(r1.token, th);
	assert_int_equal(count(f, "SELECT count(*) FROM user_session"), 1);
	assert_int_equal(session_lookup(f->d, f->a, 1, r1.token, now, &who, &csrf), 0);
	assert_string_equal(csrf, r1.csrf);
	assert_int_equal(session_lookup(f->d, f->a, 2, r1.token, now, &who, &csrf), 1); /* another tenant */
	/* a second log-in from the same browser replaces the session */
	login_(f, "amy", "correct horse battery", r1.token, &r2);
	assert_int_equal(r2.status, LOGIN_OK);
	assert_string_not_equal(r1.token, r2.token);
	assert_int_equal(session_lookup(f->d, f->a, 1, r1.token, now, &who, &csrf), 1);
	/* idle and absolute limits */
	assert_int_equal(session_lookup(f->d, f->a, 1, r2.token, now + SESSION_IDLE - 5, &who, &csrf), 0);
	assert_int_equal(session_lookup(f->d, f->a, 1, r2.token, now + SESSION_IDLE - 5 + SESSION_IDLE + 1, &who, &csrf), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM user_session"), 0); /* deleted */
	login_(f, "amy", "correct horse battery", NULL, &r1);
	for (int64_t t = now; t < now + SESSION_MAX; t += SESSION_IDLE - 60)
		assert_int_equal(session_lookup(f->d, f->a, 1, r1.token, t, &who, &csrf), 0);
	assert_int_equal(session_lookup(f->d, f->a, 1, r1.token, now + SESSION_MAX + 5, &who, &csrf), 1);
	/* log-out */
	login_(f, "amy", "correct horse battery", NULL, &r1);
	assert_int_equal(session_logout(f->d, &by, r1.token), 0);
	assert_int_equal(session_lookup(f->d, f->a, 1, r1.token, now, &who, &csrf), 1);
	assert_int_equal(count(f, "SELECT count(*) FROM audit_event WHERE action = 'session.delete'"), 1);
	/* forged or malformed tokens */
	assert_int_equal(session_lookup(f->d, f->a, 1, "x", now, &who, &csrf), 1);
	assert_int_equal(session_lookup(f->d, f->a, 1, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", now, &who, &csrf), 1);
}

/* ASVS 7.1.1: no password, token or hash reaches the audit log. */
static void the_audit_log_holds_no_secrets(void **state)
{
	struct fx *f = *state;
	struct login_result r;
	struct actor by = { 1, "amy", "127.0.0.1" };
	char tok[APITOKEN_CHARS + 1];
	int64_t id, uid = add_user(f, 1, "bob", "correct horse battery", ROLE_CADRE);
	db_stmt *st;

	login_(f, "bob", "correct horse battery", NULL, &r);
	login_(f, "bob", "my secret guess 1", NULL, &r);
	assert_int_equal(apitoken_create(f->d, &by, uid, "script", tok, &id), 0);
	st = db_prepare(f->d, "SELECT coalesce(before_json, '') || coalesce(after_json, '') FROM audit_event");
	assert_non_null(st);
	while (db_step(st) == DB_ROW) {
		const char *s = db_col_text(st, 0);
		assert_null(strstr(s, "correct horse"));
		assert_null(strstr(s, "secret guess"));
		assert_null(strstr(s, tok + 3));
		assert_null(strstr(s, "argon2"));
	}
	db_done(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(perm_check_fails_closed),
		cmocka_unit_test(scopes_limit_unit_admins_and_cadres),
		cmocka_unit_test(the_permission_table_is_well_formed),
		cmocka_unit_test(one_acts_only_on_accounts_one_could_have_made),
		cmocka_unit_test(password_policy),
		cmocka_unit_test(common_passwords_match_after_nfkc_folding),
		cmocka_unit_test(hashing_concurrency_is_capped),
		cmocka_unit_test(production_hashes_are_argon2id_above_owasp_minimum),
		cmocka_unit_test(tokens_are_random_and_hashed),
		cmocka_unit_test(cookies_are_parsed_and_set_safely),
		cmocka_unit_test(the_refusal_gate_bounds_writes_per_address),
		cmocka_unit_test_setup_teardown(throttling_delays_then_locks_per_login_and_address, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(a_success_forgives_its_own_source, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(device_cookies_are_signed_and_expire, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(the_account_cap_stops_untrusted_clients_only, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(reservations_count_and_successes_are_limited, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(sessions_expire_and_end_on_the_server, store_setup, store_teardown),
		cmocka_unit_test_setup_teardown(the_audit_log_holds_no_secrets, store_setup, store_teardown),
	};

	/* The production cost is what is tested here, whatever the caller's
	 * environment says. */
	unsetenv("JIEBANG_TEST_FAST_HASH");
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
