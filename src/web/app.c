/* app.c - the handlers' shared settings, read once from the environment,
 * and the refusal gate's life. */
#include "web/app.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/audit.h"
#include "domain/throttle.h"
#include "util/log.h"
#include "util/text.h"

/* $name as a whole number in [min, max], or def when unset or empty. */
static int env_int(const char *name, int64_t min, int64_t max, int def, int *out)
{
	const char *v = getenv(name);
	int64_t n;

	*out = def;
	if (!v || !*v)
		return 0;
	if (parse_int(v, min, max, &n) < 0) {
		log_error("%s must be a whole number from %lld to %lld, not '%s'", name, (long long)min,
			  (long long)max, v);
		return -1;
	}
	*out = (int)n;
	return 0;
}

int app_init(struct app *app)
{
	int per_addr;

	memset(app, 0, sizeof(*app));
	if (env_int("JIEBANG_LOGINS_PER_ADDR", 1, 1000000, THROTTLE_OK_ADDR, &app->logins_per_addr) < 0 ||
	    env_int("JIEBANG_REFUSALS_PER_ADDR", 1, 1000000, AUDIT_GATE_PER_WINDOW, &per_addr) < 0)
		return -1;
	app->gate = audit_gate_new(per_addr);
	return 0;
}

void app_release(struct app *app, const char *db_url)
{
	struct audit_summary s[AUDIT_GATE_BATCH];
	char err[256];
	db *d;
	int n;

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
