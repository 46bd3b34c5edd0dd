/* app.c - the handlers' shared settings and the refusal gate's life. */
#include "web/app.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/audit.h"
#include "domain/region.h"
#include "util/log.h"

void app_init(struct app *app, int logins_per_addr, int refusals_per_addr)
{
	memset(app, 0, sizeof(*app));
	app->logins_per_addr = logins_per_addr;
	app->gate = audit_gate_new(refusals_per_addr);
	app->regions = region_cache_new();
}

void app_release(struct app *app, const char *db_url)
{
	struct audit_summary s[AUDIT_GATE_BATCH];
	char err[256];
	db *d;
	int n;

	region_cache_free(app->regions);
	app->regions = NULL;
	if (!app->gate)
		return;
	d = db_open(db_url, err, sizeof(err));
	if (!d)
		log_error("audit: cannot write the last refusal summaries: %s", err);
	while ((n = audit_gate_take(app->gate, true, (int64_t)time(NULL), s, AUDIT_GATE_BATCH)) > 0)
		if (d && audit_write_summaries(d, s, n) < 0)
			log_error("audit: cannot write the last refusal summaries: %s", db_errmsg(d));
	if (d)
		db_close(d);
	audit_gate_free(app->gate);
	memset(app, 0, sizeof(*app));
}
