/* tenant_admin.h - the deployment operator's verbs (perm tenant.manage,
 * SCOPE_DEPLOYMENT): tenants created and configured in the web UI — name,
 * slug, the parent (a city over its counties, a province over its
 * cities), time zone, host names, categories — and each new tenant's
 * first admin, with a one-time password. Every change is one transaction
 * audited in the changed tenant's log (actor "operator <login>"). */
#ifndef JB_TENANT_ADMIN_H
#define JB_TENANT_ADMIN_H

#include <stdint.h>

#include "domain/action.h"
#include "domain/bind.h"

#define TENANT_HOSTS_MAX 8
#define TENANT_CATEGORIES_MAX 20

/* A tenant as the operator sees it. */
struct tenant_info {
	int64_t id, parent_id;
	const char *slug, *name, *tz;
	const char *parent;        /* the parent's name, "" none */
	const char *hosts;         /* host names, one a line */
	const char *categories;    /* category names in order, one a line */
	int64_t children;          /* tenants whose parent it is */
};

/* Every tenant by id. 0 or -1. */
int tenant_admin_list(db *d, arena *a, struct tenant_info **out, int *n) __attribute__((warn_unused_result));
/* One tenant: 0, 1 none, -1. */
int tenant_admin_get(db *d, arena *a, int64_t id, struct tenant_info *out) __attribute__((warn_unused_result));

/* As the form or the API sends it. hosts and categories: one a line.
 * Editing keeps the slug; categories are only added (removing one is the
 * tenant admin's, with its problems). */
struct tenant_in {
	const char *name, *slug, *tz, *hosts, *categories;
	int64_t parent_id;         /* 0: none */
};
extern const struct bind_field tenant_fields[];
extern const struct label tenant_zones[];

/* A new tenant with its first admin (login admin, must change the
 * password): *id, and the password (shown once) into pw[17]. */
int tenant_admin_create(struct ctx *c, struct tenant_in *in, int64_t *id, char pw[17])
	__attribute__((warn_unused_result));
int tenant_admin_update(struct ctx *c, int64_t id, struct tenant_in *in) __attribute__((warn_unused_result));

#endif
