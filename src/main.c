/* main.c - the jiebang command line: a table of commands, each with its
 * own flags, dispatched as git.c does. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/demo.h"
#include "domain/demo_users.h"
#include "domain/evidence.h"
#include "domain/notice.h"
#include "domain/notify.h"
#include "domain/password.h"
#include "domain/tenant.h"
#include "http/server.h"
#include "store/copy.h"
#include "store/db.h"
#include "util/log.h"
#include "util/text.h"
#include "web/app.h"
#include "api/openapi.h"
#include "web/routes.h"
#include "web/web.h"

#define VERSION "0.1.0"

struct opts {
	const char *data;
	const char *db;
	const char *listen;
	int port;
	const char *name, *slug;
	bool secure_cookies;   /* serve --secure-cookies */
	int argc;              /* commands that parse their own arguments (user) */
	char **argv;
	const char *from, *to; /* migrate-store */
	const char *file;      /* the positional FILE of backup and restore */
	char dburl[4096];
	char tmpdir[4096];     /* serve: <data>/tmp */
};

struct cmd {
	const char *name;
	int (*fn)(struct opts *o);
	const char *flags; /* which options the command takes */
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

/* The store URL: --db, else $JIEBANG_DB, else a SQLite file in --data. */
static const char *store_url(struct opts *o)
{
	const char *env = getenv("JIEBANG_DB");

	if (o->db)
		return o->db;
	if (env && *env)
		return env;
	snprintf(o->dburl, sizeof(o->dburl), "sqlite:%s/jiebang.db", o->data);
	return o->dburl;
}

static int ensure_data_dir(struct opts *o)
{
	if (o->db || getenv("JIEBANG_DB"))
		return 0;
	if (mkdir(o->data, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "jiebang: cannot create data directory '%s': %s\n", o->data, strerror(errno));
		return -1;
	}
	return 0;
}

/* Open the store and bring its schema up to date (one-line error, NULL). */
static db *open_migrated(struct opts *o)
{
	return cli_open_store(o->data, o->db);
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
	rc = cli_init_tenant(d, o->slug, o->name, store_url(o));
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
		printf("created the demo campaign (滦南县 2022) at %s\nlogins (password %s):", store_url(o), PW_DEMO);
		for (int i = 0; i < 5; i++)
			printf(" %s (%s)", demo_logins[i][0], demo_logins[i][1]);
		printf("\n");
	}
	db_close(d);
	return rc < 0 ? 1 : 0;
}

/* A whole number from the environment variable name, def when it is
 * unset or empty; -1 after a one-line error when it is out of [min, max]. */
static int env_uint(const char *name, unsigned min, unsigned max, unsigned def, unsigned *out)
{
	const char *v = getenv(name);
	int64_t n;

	*out = def;
	if (!v || !*v)
		return 0;
	if (parse_int(v, min, max, &n) < 0) {
		usage_error("%s: '%s' is not a whole number from %u to %u", name, v, min, max);
		return -1;
	}
	*out = (unsigned)n;
	return 0;
}

/* The server's limits from the environment (README, Configuration). */
static int serve_limits(struct server_config *cfg)
{
	unsigned budget_mib, upload_mib, cores = (unsigned)sysconf(_SC_NPROCESSORS_ONLN);

	if (env_uint("JIEBANG_BODY_BUDGET_MIB", 1, 65536, 64, &budget_mib) < 0 ||
	    env_uint("JIEBANG_UPLOAD_BUDGET_MIB", 64, 1 << 20, 1024, &upload_mib) < 0 ||
	    env_uint("JIEBANG_IDLE_TIMEOUT", 1, 3600, 30, &cfg->idle_timeout) < 0 ||
	    env_uint("JIEBANG_HEAD_TIMEOUT", 1, 3600, 10, &cfg->head_timeout) < 0 ||
	    env_uint("JIEBANG_REQUEST_TIMEOUT", 1, 3600, 30, &cfg->request_timeout) < 0 ||
	    env_uint("JIEBANG_MAX_CONNECTIONS", 8, 65536, 1024, &cfg->max_conns) < 0 ||
	    env_uint("JIEBANG_CONNECTIONS_PER_ADDR", 1, cfg->max_conns, cfg->max_conns / 8, &cfg->per_addr) < 0 ||
	    env_uint("JIEBANG_SLOW_WORKERS", 1, 64, cores / 2 ? cores / 2 : 1, &cfg->slow_workers) < 0 ||
	    env_uint("JIEBANG_SLOW_QUEUE", 1, 4096, 32, &cfg->slow_queue) < 0 ||
	    env_uint("JIEBANG_BULK_WORKERS", 1, 64, 1, &cfg->bulk_workers) < 0 ||
	    env_uint("JIEBANG_BULK_QUEUE", 1, 4096, 8, &cfg->bulk_queue) < 0)
		return -1;
	if (cfg->head_timeout > cfg->request_timeout) {
		usage_error("JIEBANG_HEAD_TIMEOUT (%u s) must not exceed JIEBANG_REQUEST_TIMEOUT (%u s)",
			    cfg->head_timeout, cfg->request_timeout);
		return -1;
	}
	cfg->body_budget = (size_t)budget_mib << 20;
	cfg->upload_budget = (size_t)upload_mib << 20;
	return 0;
}

/* Evidence files live under the data directory, also when the store is
 * elsewhere (--db): <data>/files, uploads in flight in <data>/tmp. */
static int serve_files(struct opts *o, struct server_config *cfg)
{
	if (mkdir(o->data, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "jiebang: cannot create data directory '%s': %s\n", o->data, strerror(errno));
		return -1;
	}
	if ((size_t)snprintf(o->tmpdir, sizeof(o->tmpdir), "%s/tmp", o->data) >= sizeof(o->tmpdir) ||
	    evidence_init(o->data) < 0) {
		fprintf(stderr, "jiebang: cannot use data directory '%s' for files (see the log)\n", o->data);
		return -1;
	}
	cfg->upload_dir = o->tmpdir;
	return 0;
}

/* The background task: the daily digest and reminders (domain/notify.h),
 * and closing the public notices whose period is over (domain/notice.h).
 * Returns the rows written and notices closed, or -1. */
static int run_digest(db *d, int64_t now)
{
	int n = notify_digest_run(d, now), closed = notice_close_due(d, now);

	return n < 0 || closed < 0 ? -1 : n + closed;
}

static int cmd_serve(struct opts *o)
{
	struct app app;
	struct server_config cfg = {
		.listen = o->listen,
		.port = o->port,
		.db_url = store_url(o),
		.routes = routes,
		.nroutes = routes_count,
		.max_body = 1 << 20,
		.upload_file_max = EVIDENCE_FILE_MAX,
		.upload_total_max = EVIDENCE_UPDATE_MAX,
		.upload_files_max = EVIDENCE_FILES_MAX,
		.render_error = web_render_error,
		.preconditions = web_preconditions,
		.secure_cookies = o->secure_cookies || (getenv("JIEBANG_SECURE_COOKIES") &&
							!strcmp(getenv("JIEBANG_SECURE_COOKIES"), "1")),
		.trust_proxy = getenv("JIEBANG_TRUST_PROXY") && !strcmp(getenv("JIEBANG_TRUST_PROXY"), "1"),
		.task = run_digest,
		.app = &app,
	};
	unsigned long long t, m;
	bool fast;
	int rc;
	db *d;

	if (serve_limits(&cfg) < 0 || env_uint("JIEBANG_TASK_PERIOD", 0, 86400, 60, &cfg.task_period) < 0)
		return 2;
	if (serve_files(o, &cfg) < 0)
		return 1;
	d = open_migrated(o);
	if (!d)
		return 1;
	db_close(d);
	if (app_init(&app) < 0)
		return 2;
	if (getenv("JIEBANG_QUIET"))
		log_quiet(1);
	pw_cost(&t, &m, &fast);
	if (fast)
		log_error("JIEBANG_TEST_FAST_HASH=1: passwords are hashed at test cost (t=%llu, m=%llu KiB);"
			  " never use it in production", t, m);
	rc = server_run(&cfg);
	app_release(&app, cfg.db_url);
	return rc;
}

static int cmd_backup(struct opts *o)
{
	char err[512];

	if (db_backup(store_url(o), o->file, err, sizeof(err)) < 0) {
		fprintf(stderr, "jiebang: backup: %s\n", err);
		return 1;
	}
	printf("backed up the store to %s\n", o->file);
	return 0;
}

static int cmd_restore(struct opts *o)
{
	char err[512];

	if (ensure_data_dir(o) < 0)
		return 1;
	if (db_restore(store_url(o), o->file, err, sizeof(err)) < 0) {
		fprintf(stderr, "jiebang: restore: %s\n", err);
		return 1;
	}
	printf("restored %s into the store\n", o->file);
	return 0;
}

/* --from defaults to the store --data/--db name; --to is required. */
static int cmd_migrate_store(struct opts *o)
{
	const char *from = o->from ? o->from : store_url(o);
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
	const char *data = o->data, *url = NULL;
	int64_t now = (int64_t)time(NULL);
	db *d;
	int n;

	for (int i = 1; i < o->argc; i++) {
		const char *a = o->argv[i], *v = i + 1 < o->argc ? o->argv[i + 1] : NULL;
		if (!strcmp(a, "--help")) {
			puts("usage: jiebang digest [--data DIR] [--db URL] [--now EPOCH]\n"
			     "  run the daily digest, reminders and notice closing once, as at EPOCH (default: now)");
			return 0;
		}
		if (!v)
			return usage_error("digest: '%s' needs a value", a);
		if (!strcmp(a, "--data"))
			data = v;
		else if (!strcmp(a, "--db"))
			url = v;
		else if (!strcmp(a, "--now")) {
			if (parse_int(v, 0, INT64_MAX / 2, &now) < 0)
				return usage_error("digest: --now: '%s' is not an epoch time in seconds", v);
		} else
			return usage_error("digest: unknown option '%s'", a);
		i++;
	}
	if (!(d = cli_open_store(data, url)))
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

static int cmd_version(struct opts *o)
{
	printf("jiebang %s (schema %d)\n", VERSION, db_latest_version());
	return 0;
}

static const struct cmd cmds[] = {
	{ "serve", cmd_serve, "dblpS", NULL, "serve the web UI and API" },
	{ "init", cmd_init, "dbns", NULL, "create the store and the first tenant" },
	{ "demo", cmd_demo, "db", NULL, "create the 滦南 2022 demo campaign in an empty store" },
	{ "migrate", cmd_migrate, "db", NULL, "bring the store's schema up to date" },
	{ "backup", cmd_backup, "db", "FILE", "write a consistent copy of the store to FILE (a new file)" },
	{ "restore", cmd_restore, "db", "FILE", "restore a backup FILE into a new or empty store" },
	{ "migrate-store", cmd_migrate_store, "dbft", NULL,
	  "copy a whole deployment to another store (SQLite <-> PostgreSQL)" },
	{ "user", cmd_user, "*", NULL, "manage user accounts: add, passwd, disable, list, token (see 'jiebang user --help')" },
	{ "tenant", cmd_tenant, "*", NULL, "list tenants, map host names to them (see 'jiebang tenant --help')" },
	{ "import", cmd_import, "*", NULL, "import units, people or problems from CSV/XLSX (see 'jiebang import --help')" },
	{ "version", cmd_version, "", NULL, "print the version" },
	{ "digest", cmd_digest, "*", NULL, NULL }, /* hidden: not in --help */
	{ "routes", cmd_routes, "", NULL, NULL },  /* hidden: the route table, for tests */
};

static void help(FILE *f, const struct cmd *c)
{
	if (c) {
		fprintf(f, "usage: jiebang %s%s%s [options]\n  %s\n", c->name, c->arg ? " " : "",
			c->arg ? c->arg : "", c->help);
	} else {
		fputs("usage: jiebang <command> [options]\ncommands:\n", f);
		for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			if (cmds[i].help)
				fprintf(f, "  %-13s %s\n", cmds[i].name, cmds[i].help);
	}
	static const struct { char flag; const char *text; } options[] = {
		{ 'd', "  --data DIR     data directory (default ./data)\n" },
		{ 'b', "  --db URL       store: sqlite:PATH or postgres://user@host:port/db\n"
		       "                 (default: $JIEBANG_DB, else DIR/jiebang.db)\n" },
		{ 'l', "  --listen ADDR  IPv4 address to listen on (default 127.0.0.1)\n" },
		{ 'p', "  --port N       TCP port (default 8080)\n" },
		{ 'n', "  --name NAME    the tenant's name (default 示范县)\n" },
		{ 's', "  --slug SLUG    the tenant's short name (default default)\n" },
		{ 'S', "  --secure-cookies  behind TLS: Secure __Host- session cookie and HSTS\n"
		       "                 (or JIEBANG_SECURE_COOKIES=1)\n" },
		{ 'f', "  --from URL     migrate-store: the store to copy (default: the --data/--db store)\n" },
		{ 't', "  --to URL       migrate-store: the new or empty store to copy into\n" },
	};
	const char *fl = c ? c->flags : "dblpnsft";
	fputs("options:\n", f);
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (strchr(fl, options[i].flag))
			fputs(options[i].text, f);
	fputs("  --help         this text\n", f);
}

static int parse_opts(const struct cmd *c, int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' }, { "db", required_argument, NULL, 'b' },
		{ "listen", required_argument, NULL, 'l' }, { "port", required_argument, NULL, 'p' },
		{ "name", required_argument, NULL, 'n' }, { "slug", required_argument, NULL, 's' },
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "secure-cookies", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *last_optarg = NULL;
	int ch, npos = 0;
	int64_t port;

	opterr = 0;
	optind = 1;
	for (;;) {
		ch = getopt_long(argc, argv, "+", longopts, NULL);
		if (ch == -1) {
			/* A positional argument (options may follow it), or all
			 * that follow a "--". */
			bool dashdash = optind > 1 && !strcmp(argv[optind - 1], "--") &&
					argv[optind - 1] != last_optarg;
			if (optind >= argc)
				break;
			for (; optind < argc; optind++) {
				if (npos == (c->arg ? 1 : 0))
					return usage_error("unexpected argument '%s'", argv[optind]);
				o->file = argv[optind];
				npos++;
				if (!dashdash) {
					optind++;
					break;
				}
			}
			continue;
		}
		last_optarg = optarg;
		if (ch == 'h') {
			help(stdout, c);
			exit(0);
		}
		if (ch == '?' || ch == ':') {
			const char *bad = argv[optind - 1];
			if (optopt && strchr("dblpnsft", optopt))
				return usage_error("option '%s' needs a value", bad);
			return usage_error("unknown option '%s'", bad);
		}
		if (!strchr(c->flags, ch))
			return usage_error("option '%s' does not apply to this command", argv[optind - 2 < 1 ? 1 : optind - 2]);
		switch (ch) {
		case 'd': o->data = optarg; break;
		case 'b': o->db = optarg; break;
		case 'l': o->listen = optarg; break;
		case 'n': o->name = optarg; break;
		case 's': o->slug = optarg; break;
		case 'f': o->from = optarg; break;
		case 't': o->to = optarg; break;
		case 'S': o->secure_cookies = true; break;
		case 'p':
			if (parse_int(optarg, 1, 65535, &port) < 0)
				return usage_error("--port: '%s' is not a port number (1-65535)", optarg);
			o->port = (int)port;
			break;
		}
	}
	if (c->arg && npos == 0)
		return usage_error("%s needs %s", c->name, c->arg);
	if (c->arg && !*o->file)
		return usage_error("%s: %s must not be empty", c->name, c->arg);
	if (!*o->data)
		return usage_error("--data: the directory must not be empty");
	if (!utf8_valid(o->name, strlen(o->name)) || !*o->name || utf8_len(o->name) > 64)
		return usage_error("--name: '%s' must be 1 to 64 characters of text", o->name);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .data = "./data", .listen = "127.0.0.1", .port = 8080, .name = "示范县", .slug = "default" };
	const struct cmd *c = NULL;

	if (sodium_init() < 0) {
		fputs("jiebang: cannot initialise libsodium\n", stderr);
		return 1;
	}
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
		o.argc = argc - 1;
		o.argv = argv + 1;
		return c->fn(&o);
	}
	int rc = parse_opts(c, argc - 1, argv + 1, &o);
	return rc ? rc : c->fn(&o);
}
