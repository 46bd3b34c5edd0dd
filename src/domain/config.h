/* config.h - jiebang's settings: the one list of keys (config.c), loaded
 * once by main.c from the defaults, the file (--config FILE or
 * $JIEBANG_CONFIG), the environment (JIEBANG_<KEY>) and the flags
 * (--key), and read by everything that has a setting (handlers read the
 * ones SIGHUP may change through config_copy()). The README's
 * configuration table and jiebang.conf(5) are checked against this list
 * (tests/server/config.test.mjs). */
#ifndef JB_CONFIG_H
#define JB_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/conf.h"

enum config_key {
	CF_DATA,
	CF_DB,
	CF_LISTEN,
	CF_PORT,
	CF_SECURE_COOKIES,
	CF_TRUST_PROXY,
	CF_TASK_PERIOD,
	CF_LOGINS_PER_ADDR,
	CF_REFUSALS_PER_ADDR,
	CF_HEAD_TIMEOUT,
	CF_REQUEST_TIMEOUT,
	CF_IDLE_TIMEOUT,
	CF_MAX_CONNECTIONS,
	CF_CONNECTIONS_PER_ADDR,
	CF_BODY_BUDGET_MIB,
	CF_UPLOAD_BUDGET_MIB,
	CF_SLOW_WORKERS,
	CF_SLOW_QUEUE,
	CF_BULK_WORKERS,
	CF_BULK_QUEUE,
	CF_LOG_LEVEL,
	CF_LOG_FILE,
	CF_ACCESS_LOG,
	CF_METRICS_ALLOW,
	CF_METRICS_TOKEN,
	CF_WEBHOOK_ALLOW_PRIVATE,
	CF_COUNT
};

/* The settings in effect (main.c loads them before any command runs). */
extern struct conf config;

/* Start config at the defaults and read the file (file, else
 * $JIEBANG_CONFIG, else none) and the environment. The legacy
 * JIEBANG_QUIET=1 means log_level = warn and access_log = off unless those
 * are set themselves. 0, or -1 after a one-line error on stderr. */
int config_load(const char *file);

/* Set a key from its flag (name without the dashes, "head-timeout"): 0,
 * or -1 with why in err ("--port: 'abc' is not a whole number ..."). */
int config_flag(const char *name, const char *val, char *err, size_t n);

/* After the flags: the defaults worked out from other keys (db from data,
 * connections_per_addr, slow_workers from cores) and the checks between
 * keys. 0, or -1 after a one-line error on stderr. */
int config_finish(unsigned cores);

/* Read the file again (SIGHUP): the keys marked CONF_RELOAD take the new
 * values (the environment and flags still win over the file); a change
 * to any other key is logged as needing a restart. 0, or -1 with the
 * error logged and nothing changed. */
int config_reload(void);

/* Key i's value copied into out (n bytes), safe against a reload on
 * another thread: how request threads read the CONF_RELOAD keys. The main
 * thread may use conf_str(&config, i) directly. */
char *config_copy(int i, char *out, size_t n);

/* Where key i's value comes from: "default", "FILE:LINE",
 * "JIEBANG_HEAD_TIMEOUT" or "--head-timeout"; into out. */
const char *config_where(int i, char *out, size_t n);

/* jiebang config check|keys: print the settings in effect with where each
 * comes from (secrets masked), or the key list (name, environment
 * variable, flag, default, "reload" or "restart", help; tab-separated). Exit status; -1 for an
 * unknown subcommand. */
int config_print(const char *sub);

#endif
