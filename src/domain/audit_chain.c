/* audit_chain.c - the audit log's hash chain (audit_chain.h). */
#include "domain/audit_chain.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SEAL_CHUNK 500 /* entries read, or sealed, a statement */

#define ENTRY_COLS \
	"SELECT tenant_id, id, at, actor, action, object_type, coalesce(object_id, 0), before_json, after_json," \
	" client_addr, outcome, hash FROM audit_event"

static void put(crypto_hash_sha256_state *h, const char *s)
{
	char len[24];

	if (!s) {
		crypto_hash_sha256_update(h, (const unsigned char *)"~", 1);
		return;
	}
	snprintf(len, sizeof(len), "%zu:", strlen(s));
	crypto_hash_sha256_update(h, (const unsigned char *)len, strlen(len));
	crypto_hash_sha256_update(h, (const unsigned char *)s, strlen(s));
}

static void put_int(crypto_hash_sha256_state *h, int64_t v)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRId64, v);
	put(h, s);
}

void audit_hash(const char *prev, const struct audit_fields *e, char *out)
{
	crypto_hash_sha256_state h;
	unsigned char md[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)prev, strlen(prev));
	crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
	put_int(&h, e->tenant_id);
	put_int(&h, e->id);
	put_int(&h, e->at);
	put(&h, e->actor);
	put(&h, e->action);
	put(&h, e->object_type);
	if (e->object_id)
		put_int(&h, e->object_id);
	else
		put(&h, NULL);
	put(&h, e->before_json);
	put(&h, e->after_json);
	put(&h, e->client_addr);
	put(&h, e->outcome);
	crypto_hash_sha256_final(&h, md);
	sodium_bin2hex(out, AUDIT_HASH_LEN + 1, md, sizeof(md));
}

/* The hash of tenant's newest entry before id into prev ("" when none or
 * not sealed); *found whether there is one. 0 or -1. */
static int prev_hash(db *d, int64_t tenant, int64_t id, char *prev, bool *found)
{
	db_stmt *st = db_query(d, "SELECT hash FROM audit_event WHERE tenant_id = $1 AND id < $2 ORDER BY id DESC LIMIT 1",
			       "ii", tenant, id);
	int rc;

	*prev = 0;
	*found = false;
	if (!st)
		return -1;
	if ((rc = db_step(st)) == DB_ROW) {
		snprintf(prev, AUDIT_HASH_LEN + 1, "%s", db_col_text(st, 0));
		*found = true;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : 0;
}

/* One entry of ENTRY_COLS into e (strings in arena a), its stored hash
 * into *hash. */
static void read_entry(db_stmt *st, arena *a, struct audit_fields *e, const char **hash)
{
	*e = (struct audit_fields){
		.tenant_id = db_col_int(st, 0), .id = db_col_int(st, 1), .at = db_col_int(st, 2),
		.actor = arena_strdup(a, db_col_text(st, 3)), .action = arena_strdup(a, db_col_text(st, 4)),
		.object_type = arena_strdup(a, db_col_text(st, 5)), .object_id = db_col_int(st, 6),
		.before_json = db_col_null(st, 7) ? NULL : arena_strdup(a, db_col_text(st, 7)),
		.after_json = db_col_null(st, 8) ? NULL : arena_strdup(a, db_col_text(st, 8)),
		.client_addr = arena_strdup(a, db_col_text(st, 9)), .outcome = arena_strdup(a, db_col_text(st, 10)),
	};
	*hash = arena_strdup(a, db_col_text(st, 11));
}

/* Up to SEAL_CHUNK entries of tenant after id `after` into e[] and
 * hash[] (arena a): how many, or -1. */
static int read_chunk(db *d, arena *a, int64_t tenant, int64_t after, struct audit_fields *e, const char **hash)
{
	db_stmt *st = db_query(d, ENTRY_COLS " WHERE tenant_id = $1 AND id > $2 ORDER BY id LIMIT $3", "iii", tenant,
			       after, (int64_t)SEAL_CHUNK);
	int n = 0, rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == DB_ROW && n < SEAL_CHUNK) {
		read_entry(st, a, &e[n], &hash[n]);
		n++;
	}
	db_done(st);
	return rc == DB_ERROR ? -1 : n;
}

/* Seal up to SEAL_CHUNK of tenant's entries from before the chain (up to
 * its audit_legacy last_id), oldest first, inside the caller's write
 * transaction: how many were sealed; 0 when none is left (its
 * audit_legacy row is then removed), or -1. */
static int seal_in(db *d, int64_t tenant)
{
	struct audit_fields e[SEAL_CHUNK];
	const char *hash[SEAL_CHUNK];
	char prev[AUDIT_HASH_LEN + 1], h[AUDIT_HASH_LEN + 1];
	int64_t last = 0, first = 0;
	arena *a;
	bool found;
	int n, sealed = 0, rc;

	if ((rc = db_scalar(d, "SELECT last_id FROM audit_legacy WHERE tenant_id = $1", &last, 1, tenant)) != 0)
		return rc < 0 ? -1 : 0;
	rc = db_scalar(d, "SELECT id FROM audit_event WHERE tenant_id = $1 AND hash = '' AND id <= $2 ORDER BY id LIMIT 1",
		       &first, 2, tenant, last);
	if (rc)
		return rc < 0 || db_run(d, "DELETE FROM audit_legacy WHERE tenant_id = $1", "i", tenant) < 0 ? -1 : 0;
	if (prev_hash(d, tenant, first, prev, &found) < 0)
		return -1;
	a = arena_new();
	if ((n = read_chunk(d, a, tenant, first - 1, e, hash)) < 0)
		goto fail;
	for (int i = 0; i < n && e[i].id <= last; i++) {
		if (*hash[i]) { /* sealed already: the chain goes on from it */
			snprintf(prev, sizeof(prev), "%s", hash[i]);
			continue;
		}
		audit_hash(prev, &e[i], h);
		if (db_run(d, "UPDATE audit_event SET hash = $3 WHERE tenant_id = $1 AND id = $2 AND hash = ''", "iis", tenant, e[i].id, h) < 0)
			goto fail;
		memcpy(prev, h, sizeof(h));
		sealed++;
	}
	arena_free(a);
	return sealed;
fail:
	arena_free(a);
	return -1;
}

int audit_chain_next(db *d, const struct audit_fields *e, char *out)
{
	char prev[AUDIT_HASH_LEN + 1];
	bool found;
	int n;

	if (prev_hash(d, e->tenant_id, e->id, prev, &found) < 0)
		return -1;
	if (found && !*prev) { /* entries from before the chain not sealed yet (a rolling upgrade) */
		while ((n = seal_in(d, e->tenant_id)) > 0)
			;
		if (n < 0 || prev_hash(d, e->tenant_id, e->id, prev, &found) < 0)
			return -1;
	}
	audit_hash(prev, e, out);
	return 0;
}

int64_t audit_seal(db *d)
{
	int64_t total = 0, tenant = 0;
	int n = 0, rc;

	do {
		if (db_begin(d, DB_WRITE) < 0)
			return -1;
		rc = db_scalar(d, "SELECT tenant_id FROM audit_legacy ORDER BY tenant_id LIMIT 1", &tenant, 0);
		n = rc == 0 ? seal_in(d, tenant) : rc > 0 ? -2 : -1;
		if (n == -1 || db_commit(d) < 0) {
			db_rollback(d);
			return -1;
		}
		total += n > 0 ? n : 0;
	} while (n != -2); /* -2: no tenant left to seal */
	return total;
}

/* tenant's chain checked into k. */
static int verify_tenant(db *d, int64_t tenant, struct audit_check *k)
{
	struct audit_fields e[SEAL_CHUNK];
	const char *hash[SEAL_CHUNK];
	char prev[AUDIT_HASH_LEN + 1] = "", h[AUDIT_HASH_LEN + 1];
	int64_t after = 0, legacy = 0;
	int n;

	*k = (struct audit_check){ .tenant_id = tenant };
	if (db_scalar(d, "SELECT last_id FROM audit_legacy WHERE tenant_id = $1", &legacy, 1, tenant) < 0)
		return -1;
	do {
		arena *a = arena_new();
		if ((n = read_chunk(d, a, tenant, after, e, hash)) < 0) {
			arena_free(a);
			return -1;
		}
		for (int i = 0; i < n; i++) {
			k->entries++;
			k->head_id = e[i].id;
			snprintf(k->head, sizeof(k->head), "%s", hash[i]);
			if (!*hash[i] && e[i].id <= legacy && k->entries == k->unsealed + 1) {
				k->unsealed++; /* written before the chain, not sealed yet */
			} else if (!k->broken_id) {
				audit_hash(prev, &e[i], h);
				if (strcmp(h, hash[i]))
					k->broken_id = e[i].id;
			}
			snprintf(prev, sizeof(prev), "%s", hash[i]);
			after = e[i].id;
		}
		arena_free(a);
	} while (n == SEAL_CHUNK);
	return 0;
}

int audit_verify(db *d, arena *a, struct audit_check **out, int *n)
{
	int64_t *ids = NULL;
	int cap = 0, m = 0, rc;
	db_stmt *st;

	*out = NULL;
	*n = 0;
	if (db_begin(d, DB_READ) < 0)
		return -1;
	if (!(st = db_query(d, "SELECT id FROM tenant ORDER BY id", "")))
		goto fail;
	while ((rc = db_step(st)) == DB_ROW)
		*ARENA_PUSH(a, ids, m, cap) = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_ERROR)
		goto fail;
	*out = arena_alloc(a, (size_t)m * sizeof(**out) + 1);
	for (int i = 0; i < m; i++)
		if (verify_tenant(d, ids[i], &(*out)[i]) < 0)
			goto fail;
	*n = m;
	db_rollback(d);
	return 0;
fail:
	db_rollback(d);
	return -1;
}
