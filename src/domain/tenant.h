/* tenant.h - which tenant (county, organisation) a request belongs to, and
 * creating tenants.
 *
 * A request's tenant comes from the host name it was sent to (tenant_domain
 * rows), else from a "/t/<slug>/" path prefix, else it is the first tenant
 * (an install with one tenant needs neither). Every tenant-owned query
 * filters by the tenant id found here. */
#ifndef JB_TENANT_H
#define JB_TENANT_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

#define TENANT_SLUG_MAX 32

/* The tenant with this slug, or the first tenant when slug is NULL (an
 * install with one tenant needs no prefix). 0 found, 1 none, -1 error. */
int tenant_find(db *d, arena *a, const char *slug, int64_t *id, const char **name);

/* The tenant for a request to host ("" when none) with path prefix slug
 * (NULL when none). A host listed in tenant_domain decides alone, and then a
 * prefix is refused (1): one tenant's host never serves another's data.
 * 0 found, 1 none (no tenant, unknown slug), -1 error. */
int tenant_resolve(db *d, arena *a, const char *host, const char *slug, int64_t *id, const char **name)
	__attribute__((warn_unused_result));

/* A host name as the Host header carries it, lowercased in place:
 * letters, digits, dots and dashes, 1 to 253 of them; NULL when h is not one. */
char *tenant_host_fold(char *h);
/* NULL when slug is acceptable (1-32 of a-z 0-9 -), else the reason. */
const char *tenant_slug_problem(const char *slug);
/* Create a tenant with the next free id; *id is it. 0, 1 slug taken, -1. */
int tenant_create(db *d, const char *slug, const char *name, int64_t *id)
	__attribute__((warn_unused_result));
/* How many tenants there are: 0, or -1 on error. */
int tenant_count(db *d, int64_t *n) __attribute__((warn_unused_result));

/* The tenants, each with one of its host names ("" when none): a row per
 * (tenant, host), by tenant id and host. 0 or -1. */
struct tenant_row {
	int64_t id;
	const char *slug, *name, *host;
};
int tenant_list(db *d, arena *a, struct tenant_row **out, int *n) __attribute__((warn_unused_result));

/* Verbs of the command line only (c->who from perm_cli()): serve the
 * tenant slug at host (lowercase, without port), or stop serving host,
 * with the audit entry in the tenant's log. enum jb_rc: JB_ENOTFOUND for
 * an unknown slug or host, JB_ECONFLICT when host serves a tenant. */
struct ctx;
int tenant_domain_add(struct ctx *c, const char *slug, const char *host) __attribute__((warn_unused_result));
int tenant_domain_remove(struct ctx *c, const char *host) __attribute__((warn_unused_result));

/* Whether the tenant has row id of table ("problem", "batch" or "notice"):
 * 0 it has, 1 not, -1 store error (or another table: a bug, logged). */
int tenant_row_exists(db *d, int64_t tenant_id, const char *table, int64_t id) __attribute__((warn_unused_result));

#endif
