/* app.c - the handlers' shared settings, read once from the environment. */
#include "web/app.h"

#include <stdlib.h>
#include <string.h>

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
	memset(app, 0, sizeof(*app));
	return env_int("JIEBANG_LOGINS_PER_ADDR", 1, 1000000, THROTTLE_OK_ADDR, &app->logins_per_addr);
}

void app_release(struct app *app)
{
	memset(app, 0, sizeof(*app));
}
