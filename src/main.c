/* main.c - the jiebang command line: a table of commands, each with its
 * own flags, dispatched as git.c does. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/audit_chain.h"
#include "domain/claim.h"
#include "domain/config.h"
#include "domain/demo.h"
#include "domain/demo_users.h"
#include "domain/evidence.h"
#include "domain/notice.h"
#include "domain/notify.h"
#include "domain/password.h"
#include "domain/pii.h"
#include "domain/tenant.h"
#include "http/server.h"
#include "net/outbox_worker.h"
#include "store/copy.h"
#include "store/db.h"
#include "util/egress.h"
#include "util/log.h"
#include "util/text.h"
#include "web/app.h"
#include "api/openapi.h"
#include "web/routes.h"
#include "web/web.h"

#define VERSION "0.1.0"

/* What a command was given beyond the settings (domain/config.h holds
 * those: data, db, listen, port ...). */
struct opts {
	const char *name, *slug;
	int argc;              /* commands that parse their own arguments (user) */
	char **argv;
	const char *from, *to; /* migrate-store */
	const char *now;       /* digest --now */
	const char *file;      /* the positional argument: FILE of backup and restore */
	char tmpdir[4096];     /* serve: <data>/tmp */
};

/* Which settings a command takes as flags. */
enum { KEYS_NONE, KEYS_STORE /* --data, --db */, KEYS_ALL };

struct cmd {
	const char *name;
	int (*fn)(struct opts *o);
	const char *flags; /* its own options (n, s, f, t below), or "*": it parses its arguments */
	int keys;          /* KEYS_ */
	const char *arg;   /* name of its one positional argument, or NULL */
	const char *help;
};

__attribute__((format(printf, 1, 2)))
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("jiebang: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see 'jiebang --help')\n", stderr);
	return 2;
}

/* The store URL: the db setting, else a SQLite file in the data directory
 * (config_finish). */
static const char *store_url(void)
{
	return conf_str(&config, CF_DB);
}

static const char *data_dir(void)
{
	return conf_str(&config, CF_DATA);
}

/* The data directory, unless the store was named (it may be elsewhere). */
static int ensure_data_dir(void)
{
	if (config.from[CF_DB] != CONF_DEFAULT)
		return 0;
	if (mkdir(data_dir(), 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "jiebang: cannot create data directory '%s': %s\n", data_dir(), strerror(errno));
		return -1;
	}
	return 0;
}

/* Open the store and bring its schema up to date (one-line error, NULL). */
static db *open_migrated(struct opts *o)
{
	(void)o;
	return cli_open_store(NULL, NULL);
}

static int cmd_migrate(struct opts *o)
{
	db *d = open_migrated(o);

	if (!d)
		return 1;
	printf("schema is at version %d\n", db_schema_version(d));
	db_close(d);
	return 0;
}

/* The first tenant and its admin; with a new --slug, one more tenant. */
static int cmd_init(struct opts *o)
{
	db *d = open_migrated(o);
	int rc;

	if (!d)
		return 1;
	rc = cli_init_tenant(d, o->slug, o->name, store_url());
	db_close(d);
	return rc;
}

static int cmd_demo(struct opts *o)
{
	db *d = open_migrated(o);
	char err[512];
	int rc;

	if (!d)
		return 1;
	rc = demo_create(d, err, sizeof(err));
	if (rc == 0)
		rc = demo_users_create(d, err, sizeof(err));
	if (rc < 0) {
		fprintf(stderr, "jiebang: cannot create demo: %s\n", err);
	} else {
		printf("created the demo campaign (滦南县 2022) at %s\nlogins (password %s):", store_url(), PW_DEMO);
		for (int i = 0; i < 5; i++)
			printf(" %s (%s)", demo_logins[i][0], demo_logins[i][1]);
		printf("\n");
	}
	db_close(d);
	return rc < 0 ? 1 : 0;
}

/* The server's limits (README, Configuration; checked by config_finish). */
static void serve_limits(struct server_config *cfg)
{
	cfg->idle_timeout = conf_uint(&config, CF_IDLE_TIMEOUT);
	cfg->head_timeout = conf_uint(&config, CF_HEAD_TIMEOUT);
	cfg->request_timeout = conf_uint(&config, CF_REQUEST_TIMEOUT);
	cfg->max_conns = conf_uint(&config, CF_MAX_CONNECTIONS);
	cfg->per_addr = conf_uint(&config, CF_CONNECTIONS_PER_ADDR);
	cfg->slow_workers = conf_uint(&config, CF_SLOW_WORKERS);
	cfg->slow_queue = conf_uint(&config, CF_SLOW_QUEUE);
	cfg->bulk_workers = conf_uint(&config, CF_BULK_WORKERS);
	cfg->bulk_queue = conf_uint(&config, CF_BULK_QUEUE);
	cfg->body_budget = (size_t)conf_uint(&config, CF_BODY_BUDGET_MIB) << 20;
	cfg->upload_budget = (size_t)conf_uint(&config, CF_UPLOAD_BUDGET_MIB) << 20;
	cfg->task_period = conf_uint(&config, CF_TASK_PERIOD);
}

/* The settings SIGHUP may change (log_level, log_file, access_log,
 * webhook_allow_private), at start and on SIGHUP. 0, or -1 after logging
 * why (the log keeps going where it went). */
static int apply_reloadable(void)
{
	const char *file = conf_str(&config, CF_LOG_FILE), *access = conf_str(&config, CF_ACCESS_LOG);

	log_set_level((enum log_level)log_level_of(conf_str(&config, CF_LOG_LEVEL)));
	egress_set_allow_private(conf_bool(&config, CF_WEBHOOK_ALLOW_PRIVATE));
	server_access_log(!strcmp(access, "json") ? ACCESS_JSON : !strcmp(access, "text") ? ACCESS_TEXT : ACCESS_OFF);
	if (log_open(file) < 0) {
		log_error("cannot open the log file '%s': %s", file, strerror(errno));
		return -1;
	}
	return 0;
}

/* SIGHUP: reopen the log (after rotation), then read the configuration
 * file again and apply what may change (a new log_file included). */
static void serve_reload(void)
{
	if (log_open(conf_str(&config, CF_LOG_FILE)) < 0)
		log_error("cannot reopen the log file '%s': %s", conf_str(&config, CF_LOG_FILE), strerror(errno));
	if (config_reload() == 0)
		apply_reloadable();
	log_info("reloaded the settings%s%s", *config.file ? " from " : "", config.file);
}

/* Evidence files live under the data directory, also when the store is
 * elsewhere (--db): <data>/files, uploads in flight in <data>/tmp. */
static int serve_files(struct opts *o, struct server_config *cfg)
{
	const char *data = data_dir();

	if (mkdir(data, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "jiebang: cannot create data directory '%s': %s\n", data, strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(o->tmpdir, sizeof(o->tmpdir), "%s/tmp", data) >= sizeof(o->tmpdir) ||
	    evidence_init(data) < 0) {
		fprintf(stderr, "jiebang: cannot use data directory '%s' for files (see the log)\n", data);
		return -1;
	}
	cfg->upload_dir = o->tmpdir;
	return 0;
}

/* The background task: the daily digest and reminders (domain/notify.h),
 * and closing the public notices whose period is over (domain/notice.h).
 * Returns the rows written and notices closed, or -1. */
/* When the retention task last ran (the ticker's thread only): once an
 * hour is enough for a rule counted in days. */
static int64_t pii_last_run;

static int run_digest(db *d, int64_t now)
{
	int n = notify_digest_run(d, now), closed = notice_close_due(d, now);
	/* the dashboard's stored lights follow time (domain/claim_light.c) */
	int lit = claim_lights_keep_all(d, now), erased = 0;

	if (!pii_last_run || now - pii_last_run >= 3600 || now < pii_last_run) {
		/* residents' contact details past their retention (domain/pii.h) */
		erased = pii_expire_due(d, now);
		if (erased >= 0)
			pii_last_run = now;
	}
	return n < 0 || closed < 0 || lit < 0 || erased < 0 ? -1 : n + closed + erased;
}

static int cmd_serve(struct opts *o)
{
	struct app app;
	struct server_config cfg = {
		.listen = conf_str(&config, CF_LISTEN),
		.port = (int)conf_uint(&config, CF_PORT),
		.db_url = store_url(),
		.routes = routes,
		.nroutes = routes_count,
		.max_body = 1 << 20,
		.upload_file_max = EVIDENCE_FILE_MAX,
		.upload_total_max = EVIDENCE_UPDATE_MAX,
		.upload_files_max = EVIDENCE_FILES_MAX,
		.render_error = web_render_error,
		.preconditions = web_preconditions,
		.secure_cookies = conf_bool(&config, CF_SECURE_COOKIES),
		.trust_proxy = conf_bool(&config, CF_TRUST_PROXY),
		.task = run_digest,
		.reload = serve_reload,
		.app = &app,
	};
	struct outbox_worker *outs;
	unsigned long long t, m;
	bool fast;
	int rc;
	db *d;

	serve_limits(&cfg);
	if (apply_reloadable() < 0)
		return 1;
	if (serve_files(o, &cfg) < 0)
		return 1;
	d = open_migrated(o);
	if (!d)
		return 1;
	/* not fatal: a file no row names is only space */
	if (evidence_sweep(d) < 0)
		log_error("the stored files were not all checked for rows (see above)");
	db_close(d);
	app_init(&app, (int)conf_uint(&config, CF_LOGINS_PER_ADDR), (int)conf_uint(&config, CF_REFUSALS_PER_ADDR));
	pw_cost(&t, &m, &fast);
	if (fast)
		log_error("JIEBANG_TEST_FAST_HASH=1: passwords are hashed at test cost (t=%llu, m=%llu KiB);"
			  " never use it in production", t, m);
	outs = outbox_worker_start(cfg.db_url, &(struct outbox_settings){
		.on = conf_bool(&config, CF_OUTBOX), .poll_ms = conf_uint(&config, CF_OUTBOX_POLL_MS),
		.timeout_ms = conf_uint(&config, CF_OUTBOX_TIMEOUT_MS), .backoff_ms = conf_uint(&config, CF_OUTBOX_BACKOFF_MS),
		.attempts = (int)conf_uint(&config, CF_OUTBOX_ATTEMPTS) });
	rc = server_run(&cfg);
	outbox_worker_stop(outs);
	app_release(&app, cfg.db_url);
	return rc;
}

/* Parses its own arguments (FILE, or --dir DIR --keep N): cli/backup.c. */
static int cmd_backup(struct opts *o)
{
	return cli_backup(o->argc, o->argv);
}

static int cmd_restore(struct opts *o)
{
	char err[512];

	if (ensure_data_dir() < 0)
		return 1;
	if (db_restore(store_url(), o->file, err, sizeof(err)) < 0) {
		fprintf(stderr, "jiebang: restore: %s\n", err);
		return 1;
	}
	printf("restored %s into the store\n", o->file);
	return 0;
}

/* --from defaults to the store --data/--db name; --to is required. */
static int cmd_migrate_store(struct opts *o)
{
	const char *from = o->from ? o->from : store_url();
	char err[512];

	if (!o->to)
		return usage_error("migrate-store needs --to URL");
	if (db_copy_store(from, o->to, stdout, err, sizeof(err)) < 0) {
		fprintf(stderr, "jiebang: migrate-store: %s\n", err);
		return 1;
	}
	return 0;
}

/* Parses its own arguments (a subcommand, LOGIN, options): cli/user.c. */
static int cmd_user(struct opts *o)
{
	return cli_user(o->argc, o->argv);
}

/* Likewise: cli/tenant.c. */
static int cmd_tenant(struct opts *o)
{
	return cli_tenant(o->argc, o->argv);
}

/* Likewise: cli/import.c. */
static int cmd_import(struct opts *o)
{
	return cli_import(o->argc, o->argv);
}

/* Hidden (tests and operators): jiebang digest [--data DIR] [--db URL]
 * [--now EPOCH] runs the background task once at EPOCH (default: now)
 * and prints how many rows it wrote. How tests move the clock. */
static int cmd_digest(struct opts *o)
{
	int64_t now = (int64_t)time(NULL);
	db *d;
	int n;

	if (o->now && parse_int(o->now, 0, INT64_MAX / 2, &now) < 0)
		return usage_error("digest: --now: '%s' is not an epoch time in seconds", o->now);
	if (!(d = open_migrated(o)))
		return 1;
	n = run_digest(d, now);
	db_close(d);
	if (n < 0)
		return 1;
	printf("digest: %d row(s) written\n", n);
	return 0;
}

static int cmd_routes(struct opts *o)
{
	return openapi_print_routes();
}

/* jiebang config check|keys: domain/config.c. */
static int cmd_config(struct opts *o)
{
	int rc = config_print(o->file);

	return rc < 0 ? usage_error("config: unknown subcommand '%s'", o->file) : rc;
}

/* jiebang audit verify: every tenant's audit hash chain checked
 * (domain/audit_chain.h); exit 1 when a link does not hold. */
static int cmd_audit(struct opts *o)
{
	struct audit_check *k;
	int n, broken = 0;
	arena *a;
	db *d;

	if (strcmp(o->file, "verify"))
		return usage_error("audit: unknown subcommand '%s' (verify)", o->file);
	if (!(d = open_migrated(o)))
		return 1;
	a = arena_new();
	if (audit_verify(d, a, &k, &n) < 0) {
		fprintf(stderr, "jiebang: audit verify: %s\n", db_errmsg(d));
		broken = -1;
	}
	for (int i = 0; broken >= 0 && i < n; i++) {
		printf("tenant %" PRId64 ": %" PRId64 " entries, ", k[i].tenant_id, k[i].entries);
		if (k[i].broken_id) {
			printf("BROKEN at entry %" PRId64 " (its hash does not follow from the entry before it)\n",
			       k[i].broken_id);
			broken = 1;
		} else if (k[i].head_id) {
			printf("chain holds; head entry %" PRId64 " %s\n", k[i].head_id, k[i].head);
		} else {
			printf("none yet\n");
		}
	}
	arena_free(a);
	db_close(d);
	return broken ? 1 : 0;
}

static int cmd_version(struct opts *o)
{
	printf("jiebang %s (schema %d)\n", VERSION, db_latest_version());
	return 0;
}

static const struct cmd cmds[] = {
	{ "serve", cmd_serve, "", KEYS_ALL, NULL, "serve the web UI and API" },
	{ "init", cmd_init, "ns", KEYS_STORE, NULL, "create the store and the first tenant" },
	{ "demo", cmd_demo, "", KEYS_STORE, NULL, "create the 滦南 2022 demo campaign in an empty store" },
	{ "migrate", cmd_migrate, "", KEYS_STORE, NULL, "bring the store's schema up to date" },
	{ "backup", cmd_backup, "*", KEYS_NONE, NULL,
	  "write a consistent copy of the store to FILE, or a dated one into --dir DIR" },
	{ "restore", cmd_restore, "", KEYS_STORE, "FILE", "restore a backup FILE into a new or empty store" },
	{ "migrate-store", cmd_migrate_store, "ft", KEYS_STORE, NULL,
	  "copy a whole deployment to another store (SQLite <-> PostgreSQL)" },
	{ "user", cmd_user, "*", KEYS_NONE, NULL,
	  "manage user accounts: add, passwd, disable, list, token (see 'jiebang user --help')" },
	{ "tenant", cmd_tenant, "*", KEYS_NONE, NULL, "list tenants, map host names to them (see 'jiebang tenant --help')" },
	{ "import", cmd_import, "*", KEYS_NONE, NULL,
	  "import units, people or problems from CSV/XLSX (see 'jiebang import --help')" },
	{ "config", cmd_config, "", KEYS_ALL, "check|keys",
	  "print the settings in effect and where each comes from (check), or every key (keys)" },
	{ "audit", cmd_audit, "", KEYS_STORE, "verify", "check the audit log's hash chain, tenant by tenant" },
	{ "version", cmd_version, "", KEYS_NONE, NULL, "print the version" },
	{ "digest", cmd_digest, "w", KEYS_STORE, NULL, NULL }, /* hidden: not in --help */
	{ "routes", cmd_routes, "", KEYS_NONE, NULL, NULL }, /* hidden: the route table, for tests */
};

/* The commands' own options, by the letter in struct cmd's flags. */
static const struct own_opt {
	char letter;
	const char *name, *text;
} own_opts[] = {
	{ 'n', "name", "  --name NAME    the tenant's name (default 示范县)\n" },
	{ 's', "slug", "  --slug SLUG    the tenant's short name (default default)\n" },
	{ 'f', "from", "  --from URL     the store to copy (default: the --data/--db store)\n" },
	{ 't', "to", "  --to URL       the new or empty store to copy into\n" },
	{ 'w', "now", "  --now EPOCH    the moment to run as (default: now)\n" },
};
#define NOWN (sizeof(own_opts) / sizeof(own_opts[0]))

static bool takes_key(const struct cmd *c, int k)
{
	return k >= 0 && (c->keys == KEYS_ALL || (c->keys == KEYS_STORE && (k == CF_DATA || k == CF_DB)));
}

/* The settings a command takes as flags, as help lines. */
static void help_keys(FILE *f, const struct cmd *c)
{
	for (int k = 0; k < config.n; k++) {
		const struct conf_key *key = &config.keys[k];
		char flag[64];
		if (!takes_key(c, k))
			continue;
		snprintf(flag, sizeof(flag), "--%s%s", key->name,
			 key->type == CONF_BOOL ? "" : key->type == CONF_UINT ? " N" : " VALUE");
		for (char *p = flag; *p; p++)
			if (*p == '_')
				*p = '-';
		bool shown = *key->def && key->type != CONF_BOOL;
		fprintf(f, "  %-30s %s%s%s%s\n", flag, key->help, shown ? " (default " : "", shown ? key->def : "",
			shown ? ")" : "");
	}
}

static void help(FILE *f, const struct cmd *c)
{
	if (c) {
		fprintf(f, "usage: jiebang %s%s%s [options]\n  %s\n", c->name, c->arg ? " " : "",
			c->arg ? c->arg : "", c->help ? c->help : "");
	} else {
		fputs("usage: jiebang <command> [options]\ncommands:\n", f);
		for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			if (cmds[i].help)
				fprintf(f, "  %-13s %s\n", cmds[i].name, cmds[i].help);
		fputs("Every command reads the settings of --config FILE (or $JIEBANG_CONFIG) and of the\n"
		      "environment (JIEBANG_<KEY>); its flags win over both. 'jiebang config keys' lists them.\n", f);
		return;
	}
	fputs("options:\n  --config FILE                  the configuration file (default $JIEBANG_CONFIG, else none)\n", f);
	for (size_t i = 0; i < NOWN; i++)
		if (strchr(c->flags, own_opts[i].letter))
			fputs(own_opts[i].text, f);
	help_keys(f, c);
	fputs("  --help                         this text\n", f);
}

/* Option arg ("--name", "--name=value") of c: its value into *val (the
 * next argument unless given with '=' or a switch), the own option or
 * setting it names into *own / *key. 0, or an exit status after a usage
 * error. */
static int option(const struct cmd *c, int argc, char **argv, int *i, const struct own_opt **own, int *key,
		  const char **val)
{
	const char *a = argv[*i], *eq = strchr(a, '=');
	char name[64];
	bool known = false;

	snprintf(name, sizeof(name), "%.*s", (int)(eq ? eq - a - 2 : (ptrdiff_t)strlen(a) - 2), a + 2);
	*own = NULL;
	*key = -1;
	for (size_t k = 0; k < NOWN; k++)
		if (!strcmp(name, own_opts[k].name)) {
			known = true;
			if (strchr(c->flags, own_opts[k].letter))
				*own = &own_opts[k];
		}
	int k = conf_find(&config, name, true);
	if (k >= 0) {
		known = true;
		if (takes_key(c, k))
			*key = k;
	}
	if (!*own && *key < 0)
		return known ? usage_error("option '%.*s' does not apply to this command", (int)(eq ? eq - a : (ptrdiff_t)strlen(a)), a)
			     : usage_error("unknown option '%.*s'", (int)(eq ? eq - a : (ptrdiff_t)strlen(a)), a);
	if (eq)
		*val = eq + 1;
	else if (*key >= 0 && config.keys[*key].type == CONF_BOOL)
		*val = "1";
	else if (*i + 1 < argc)
		*val = argv[++*i];
	else
		return usage_error("option '%s' needs a value", a);
	return 0;
}

static int parse_opts(const struct cmd *c, int argc, char **argv, struct opts *o)
{
	int npos = 0, rc;
	bool dashdash = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		const struct own_opt *own;
		char err[4200];
		int key;
		if (!dashdash && !strcmp(a, "--")) {
			dashdash = true;
			continue;
		}
		if (!dashdash && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
			help(stdout, c);
			exit(0);
		}
		if (dashdash || a[0] != '-' || !a[1]) {
			if (npos == (c->arg ? 1 : 0))
				return usage_error("unexpected argument '%s'", a);
			o->file = a;
			npos++;
			continue;
		}
		if (a[1] != '-')
			return usage_error("unknown option '%s'", a);
		if ((rc = option(c, argc, argv, &i, &own, &key, &val)) != 0)
			return rc;
		if (key >= 0 && config_flag(key, val, err, sizeof(err)) < 0) {
			/* the flag's own spelling, as typed */
			return usage_error("%s", err);
		}
		if (own)
			*(own->letter == 'n' ? &o->name : own->letter == 's' ? &o->slug : own->letter == 'f' ? &o->from
				: own->letter == 't' ? &o->to : &o->now) = val;
	}
	if (c->arg && npos == 0)
		return usage_error("%s needs %s", c->name, c->arg);
	if (c->arg && !*o->file)
		return usage_error("%s: %s must not be empty", c->name, c->arg);
	if (!*conf_str(&config, CF_DATA))
		return usage_error("--data: the directory must not be empty");
	if (!utf8_valid(o->name, strlen(o->name)) || !*o->name || utf8_len(o->name) > 64)
		return usage_error("--name: '%s' must be 1 to 64 characters of text", o->name);
	return 0;
}

/* Take --config FILE (or --config=FILE) out of argv, before the first
 * "--": any command reads the file. NULL when there is none; *bad when it
 * has no value. */
static const char *take_config(int *argc, char **argv, bool *bad)
{
	const char *file = NULL;
	int out = 1;

	*bad = false;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strncmp(argv[i], "--config=", 9))
			file = argv[i] + 9;
		else if (!strcmp(argv[i], "--config") && i + 1 < *argc)
			file = argv[++i];
		else if (!strcmp(argv[i], "--config"))
			*bad = true;
		else
			argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
	return file;
}

int main(int argc, char **argv)
{
	struct opts o = { .name = "示范县", .slug = "default" };
	const struct cmd *c = NULL;
	const char *file;
	bool bad;
	int rc;

	if (sodium_init() < 0) {
		fputs("jiebang: cannot initialise libsodium\n", stderr);
		return 1;
	}
	file = take_config(&argc, argv, &bad);
	if (bad)
		return usage_error("option '--config' needs a value");
	if (file && !*file)
		return usage_error("--config: the file name must not be empty");
	if (config_load(file) < 0)
		return 2;
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		help(argc < 2 ? stderr : stdout, NULL);
		return argc < 2 ? 2 : 0;
	}
	if (!strcmp(argv[1], "--version"))
		return cmd_version(&o);
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			c = &cmds[i];
	if (!c)
		return usage_error("unknown command '%s'", argv[1]);
	if (!strcmp(c->flags, "*")) {
		if (config_finish((unsigned)sysconf(_SC_NPROCESSORS_ONLN)) < 0)
			return 2;
		o.argc = argc - 1;
		o.argv = argv + 1;
		return c->fn(&o);
	}
	if ((rc = parse_opts(c, argc - 1, argv + 1, &o)) != 0)
		return rc;
	if (config_finish((unsigned)sysconf(_SC_NPROCESSORS_ONLN)) < 0)
		return 2;
	return c->fn(&o);
}
