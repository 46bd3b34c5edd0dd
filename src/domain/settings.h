/* settings.h - the tenant's own settings an admin switches
 * (tenant.settings): whether the big screen (大屏, GET /bigscreen) is open
 * to anyone, whether admins and unit liaisons must log in with TOTP
 * (domain/totp.h; web/preconditions.c sends them to enrol first), and how
 * long residents' contact details are kept after the matter closes
 * (domain/pii.h). */
#ifndef JB_SETTINGS_H
#define JB_SETTINGS_H

#include <stdbool.h>

#include "domain/action.h"

struct tenant_settings {
	bool bigscreen;   /* tenant.bigscreen: the big screen needs no log-in */
	bool require_totp;/* tenant.require_totp: admins and unit liaisons must use two-factor log-in */
	int64_t pii_retention_days; /* PII_RETENTION_MIN..MAX (pii.h) */
};

/* The settings of tenant_id: 0, 1 when there is no such tenant, -1 on a
 * store error. */
int settings_get(db *d, int64_t tenant_id, struct tenant_settings *out) __attribute__((warn_unused_result));
/* Save them (tenant.settings), audited as tenant.settings with the values
 * before and after, in one transaction; unchanged values write nothing
 * but still succeed; the entry holds only the values that changed. A
 * retention outside its range is JB_EINVALID on the field
 * pii_retention_days. */
int settings_set(struct ctx *c, const struct tenant_settings *in) __attribute__((warn_unused_result));

#endif
