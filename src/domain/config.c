/* config.c - jiebang's settings (config.h): the key list, loading and
 * reloading, and `jiebang config check|keys`. */
#include "domain/config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

#define UINT(name, def, min, max, help) { name, CONF_UINT, def, min, max, NULL, 0, help }
#define BOOL(name, help) { name, CONF_BOOL, "0", 0, 0, NULL, 0, help }

/* In enum config_key's order. A default of "" is worked out by its user
 * (the help says how). */
static const struct conf_key keys[CF_COUNT] = {
	{ "data", CONF_TEXT, "./data", 0, 0, NULL, 0,
	  "data directory: the SQLite store, evidence files and uploads in flight" },
	{ "db", CONF_TEXT, "", 0, 0, NULL, CONF_SECRET,
	  "store URL: sqlite:PATH or postgres://user@host:port/db (default sqlite:DATA/jiebang.db)" },
	{ "listen", CONF_TEXT, "127.0.0.1", 0, 0, NULL, 0, "IPv4 address to listen on" },
	UINT("port", "8080", 1, 65535, "TCP port"),
	BOOL("secure_cookies", "behind TLS: the __Host-jb_session cookie with Secure, and HSTS"),
	BOOL("trust_proxy", "behind a reverse proxy: the client address from the last X-Forwarded-For entry,"
			    " X-Forwarded-Host for the Origin check, no per-address connection limit"),
	UINT("task_period", "60", 0, 86400, "seconds between runs of the background task (digest, reminders,"
					     " escalation, lights); 0: off"),
	UINT("logins_per_addr", "30", 1, 1000000, "successful log-ins allowed per client address in 10 minutes"),
	UINT("refusals_per_addr", "10", 1, 1000000, "refused anonymous requests audited one by one per client"
						     " address a minute (the rest in one summary entry)"),
	UINT("head_timeout", "10", 1, 3600, "seconds for a request's head, from the accept or the previous answer"),
	UINT("request_timeout", "30", 1, 3600, "seconds for a whole request, body included"),
	UINT("idle_timeout", "30", 1, 3600, "seconds without a byte before a connection is closed"),
	UINT("max_connections", "1024", 8, 65536, "connections in all"),
	UINT("connections_per_addr", "", 1, 65536, "connections per client address (default an eighth of"
						    " max_connections)"),
	UINT("body_budget_mib", "64", 1, 65536, "MiB of request bodies held in memory at once, all connections"),
	UINT("upload_budget_mib", "1024", 64, 1u << 20, "MiB of uploads being received at once, on disk in DATA/tmp"),
	UINT("slow_workers", "", 1, 64, "threads hashing passwords (default half the cores, at least 1)"),
	UINT("slow_queue", "32", 1, 4096, "requests waiting for them; beyond it 503 with Retry-After"),
	UINT("bulk_workers", "1", 1, 64, "threads building large answers (XLSX, .docx, imports)"),
	UINT("bulk_queue", "8", 1, 4096, "requests waiting for them; beyond it 503 with Retry-After"),
	{ "log_level", CONF_CHOICE, "info", 0, 0, "error|warn|info|debug", CONF_RELOAD,
	  "the least severe log records written" },
	{ "log_file", CONF_TEXT, "", 0, 0, NULL, CONF_RELOAD,
	  "file the log is appended to, reopened on SIGHUP (default standard error)" },
	{ "access_log", CONF_CHOICE, "text", 0, 0, "off|text|json", CONF_RELOAD,
	  "one record per request: off, a text line, or a JSON object" },
	{ "metrics_allow", CONF_TEXT, "127.0.0.1,::1", 0, 0, NULL, CONF_RELOAD,
	  "client addresses (comma-separated, a.b.c.d/n allowed) that may read /metrics" },
	{ "metrics_token", CONF_TEXT, "", 0, 0, NULL, CONF_SECRET | CONF_RELOAD,
	  "a bearer token that may read /metrics from any address (default none)" },
	{ "webhook_allow_private", CONF_BOOL, "0", 0, 0, NULL, CONF_RELOAD,
	  "let robots and webhooks post to loopback and private addresses (tests, an internal gateway)" },
};

struct conf config;
/* Held while config_reload() swaps values and while config_copy() reads
 * one, so a request thread never reads a value being freed. */
static pthread_mutex_t reload_lock = PTHREAD_MUTEX_INITIALIZER;

/* name spelt after prefix: upper-case (the environment) or with dashes
 * (a flag), into out. */
static const char *spell(char *out, size_t n, const char *prefix, const char *name, bool env)
{
	size_t k = (size_t)snprintf(out, n, "%s", prefix);

	for (; *name && k + 1 < n; name++)
		out[k++] = env ? (char)(*name >= 'a' && *name <= 'z' ? *name - 'a' + 'A' : *name)
			       : *name == '_' ? '-' : *name;
	out[k < n ? k : n - 1] = '\0';
	return out;
}

static int env_layer(char *err, size_t n)
{
	const char *quiet = getenv("JIEBANG_QUIET");

	if (conf_read_env(&config, "JIEBANG_", err, n) < 0)
		return -1;
	if (quiet && !strcmp(quiet, "1")) {
		if (config.from[CF_LOG_LEVEL] < CONF_ENV && conf_set(&config, CF_LOG_LEVEL, "warn", CONF_ENV, err, n) < 0)
			return -1;
		if (config.from[CF_ACCESS_LOG] < CONF_ENV && conf_set(&config, CF_ACCESS_LOG, "off", CONF_ENV, err, n) < 0)
			return -1;
	}
	return 0;
}

int config_load(const char *file)
{
	char err[4200];

	conf_init(&config, keys, CF_COUNT);
	if (!file)
		file = getenv("JIEBANG_CONFIG");
	if ((file && *file && conf_read_file(&config, file, err, sizeof(err)) < 0) || env_layer(err, sizeof(err)) < 0) {
		fprintf(stderr, "jiebang: %s\n", err);
		return -1;
	}
	return 0;
}

int config_flag(const char *name, const char *val, char *err, size_t n)
{
	int i = conf_find(&config, name, true);
	char why[512], flag[64];

	if (i < 0) /* the key's own name ("head_timeout"), as main.c passes it */
		i = conf_find(&config, name, false);
	if (i < 0) {
		snprintf(err, n, "unknown option '--%s'", name);
		return -1;
	}
	if (conf_set(&config, i, val, CONF_FLAG, why, sizeof(why)) < 0) {
		/* "--head-timeout: 'abc' is not ...", the key's name as the flag */
		snprintf(flag, sizeof(flag), "%s", keys[i].name);
		for (char *p = flag; *p; p++)
			if (*p == '_')
				*p = '-';
		snprintf(err, n, "--%s%s", flag, why + strlen(keys[i].name));
		return -1;
	}
	return 0;
}

/* Set key i to the default its help describes, unless a layer set it. */
static int compute(int i, const char *val)
{
	char err[512];

	return config.val[i] ? 0 : conf_set(&config, i, val, CONF_DEFAULT, err, sizeof(err));
}

int config_finish(unsigned cores)
{
	char v[4200], a[64], b[64];
	unsigned max = conf_uint(&config, CF_MAX_CONNECTIONS);

	snprintf(v, sizeof(v), "sqlite:%s/jiebang.db", conf_str(&config, CF_DATA));
	if (compute(CF_DB, v) < 0)
		return -1;
	snprintf(v, sizeof(v), "%u", max / 8);
	if (compute(CF_CONNECTIONS_PER_ADDR, v) < 0)
		return -1;
	snprintf(v, sizeof(v), "%u", cores / 2 ? cores / 2 : 1);
	if (compute(CF_SLOW_WORKERS, v) < 0)
		return -1;
	if (conf_uint(&config, CF_HEAD_TIMEOUT) > conf_uint(&config, CF_REQUEST_TIMEOUT)) {
		fprintf(stderr, "jiebang: head_timeout (%s, %u s) must not exceed request_timeout (%s, %u s)\n",
			config_where(CF_HEAD_TIMEOUT, a, sizeof(a)), conf_uint(&config, CF_HEAD_TIMEOUT),
			config_where(CF_REQUEST_TIMEOUT, b, sizeof(b)), conf_uint(&config, CF_REQUEST_TIMEOUT));
		return -1;
	}
	if (conf_uint(&config, CF_CONNECTIONS_PER_ADDR) > max) {
		fprintf(stderr, "jiebang: connections_per_addr (%s, %u) must not exceed max_connections (%u)\n",
			config_where(CF_CONNECTIONS_PER_ADDR, a, sizeof(a)), conf_uint(&config, CF_CONNECTIONS_PER_ADDR),
			max);
		return -1;
	}
	return 0;
}

int config_reload(void)
{
	struct conf fresh;
	char err[4200];

	if (!*config.file)
		return 0;
	conf_init(&fresh, keys, CF_COUNT);
	if (conf_read_file(&fresh, config.file, err, sizeof(err)) < 0) {
		log_error("reload: %s; the settings stay as they were", err);
		conf_release(&fresh);
		return -1;
	}
	pthread_mutex_lock(&reload_lock);
	for (int i = 0; i < CF_COUNT; i++) {
		const char *was = config.from[i] == CONF_FILE ? config.val[i] : NULL, *now = fresh.val[i];
		if (config.from[i] > CONF_FILE || (!was && !now) || (was && now && !strcmp(was, now)))
			continue; /* the environment or a flag still wins, or no change */
		if (!(keys[i].flags & CONF_RELOAD)) {
			log_warn("reload: %s changed in %s; it takes effect on restart", keys[i].name, config.file);
			continue;
		}
		free(config.val[i]);
		config.val[i] = fresh.val[i];
		config.from[i] = now ? CONF_FILE : CONF_DEFAULT;
		config.line[i] = fresh.line[i];
		fresh.val[i] = NULL;
		log_info("reload: %s is now '%s'", keys[i].name, keys[i].flags & CONF_SECRET ? "********" : conf_str(&config, i));
	}
	pthread_mutex_unlock(&reload_lock);
	conf_release(&fresh);
	return 0;
}

char *config_copy(int i, char *out, size_t n)
{
	pthread_mutex_lock(&reload_lock);
	snprintf(out, n, "%s", conf_str(&config, i));
	pthread_mutex_unlock(&reload_lock);
	return out;
}

const char *config_where(int i, char *out, size_t n)
{
	switch (config.from[i]) {
	case CONF_FILE:
		snprintf(out, n, "%s:%d", config.file, config.line[i]);
		return out;
	case CONF_ENV:
		return spell(out, n, "JIEBANG_", keys[i].name, true);
	case CONF_FLAG:
		return spell(out, n, "--", keys[i].name, false);
	default:
		snprintf(out, n, "default");
		return out;
	}
}

static int config_check(void)
{
	char v[4200], w[4200];

	printf("# jiebang settings%s%s\n", *config.file ? " from " : " (no configuration file)", config.file);
	for (int i = 0; i < CF_COUNT; i++)
		printf("%-22s = %-40s # %s\n", keys[i].name, conf_shown(&config, i, v, sizeof(v)),
		       config_where(i, w, sizeof(w)));
	return 0;
}

static int config_keys(void)
{
	char env[128], flag[128];

	for (int i = 0; i < CF_COUNT; i++)
		printf("%s\t%s\t%s\t%s\t%s\t%s\n", keys[i].name, spell(env, sizeof(env), "JIEBANG_", keys[i].name, true),
		       spell(flag, sizeof(flag), "--", keys[i].name, false), keys[i].def,
		       keys[i].flags & CONF_RELOAD ? "reload" : "restart", keys[i].help);
	return 0;
}

int config_print(const char *sub)
{
	return !strcmp(sub, "keys") ? config_keys() : !strcmp(sub, "check") ? config_check() : -1;
}
