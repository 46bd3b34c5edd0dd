/* tenant.h - which tenant (county, organisation) a request belongs to. */
#ifndef JB_TENANT_H
#define JB_TENANT_H

#include <stdint.h>

#include "store/db.h"
#include "util/arena.h"

/* The tenant with this slug, or the first tenant when slug is NULL (an
 * install with one tenant needs no prefix). 0 found, 1 none, -1 error. */
int tenant_find(db *d, arena *a, const char *slug, int64_t *id, const char **name);

#endif
