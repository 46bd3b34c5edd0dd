/* user.c - `jiebang user ...`: accounts from the command line, for the
 * operator who has shell access to the server (actor "cli" in the audit
 * log). Passwords are read from stdin, never from the command line (which
 * other users of the machine can see in the process list). */
#include "cli/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "domain/audit_chain.h"
#include "domain/config.h"
#include "domain/password.h"
#include "domain/perm.h"
#include "domain/session.h"
#include "domain/totp.h"
#include "domain/tenant.h"
#include "domain/user.h"
#include "util/text.h"

#define INITIAL_PW_CHARS 16

struct user_opts {
	const char *data, *db, *tenant, *name;
	unsigned roles;
	int64_t person, unit;
};

static const char usage_text[] =
	"usage: jiebang user <subcommand> [options]\n"
	"  add LOGIN --role R [--role R2] [--person ID] [--unit ID]\n"
	"                 create a user; prints a random initial password once,\n"
	"                 which must be changed at the first log-in\n"
	"  passwd LOGIN   set LOGIN's password to the first line read from stdin\n"
	"  disable LOGIN  disable LOGIN and end its sessions\n"
	"  enable LOGIN   enable LOGIN again\n"
	"  totp-off LOGIN turn LOGIN's two-factor log-in off (a lost phone and\n"
	"                 recovery codes); it can enrol again on its account page\n"
	"  list           list the users\n"
	"  token LOGIN [--name NAME]\n"
	"                 make an API token for LOGIN; prints it once\n"
	"roles: admin, unit_admin, cadre, evaluator, leader\n"
	"options:\n"
	"  --data DIR     data directory (default: the data setting, ./data)\n"
	"  --db URL       store: sqlite:PATH or postgres://user@host:port/db\n"
	"                 (default: the db setting, else DIR/jiebang.db)\n"
	"  --tenant SLUG  the tenant (default: the first one)\n"
	"  --help         this text\n";

__attribute__((format(printf, 1, 2)))
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("jiebang: user: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, "jiebang: user: %s '%s' (see 'jiebang user --help')\n", msg, arg);
	return 2;
}

db *cli_open_store(const char *data, const char *url)
{
	char err[512], path[4096];
	db *d;

	if (!url && config.from[CF_DB] != CONF_DEFAULT)
		url = conf_str(&config, CF_DB);
	if (!data)
		data = conf_str(&config, CF_DATA);
	if (!url) {
		if (mkdir(data, 0750) < 0 && errno != EEXIST) {
			fprintf(stderr, "jiebang: cannot create data directory '%s': %s\n", data, strerror(errno));
			return NULL;
		}
		snprintf(path, sizeof(path), "sqlite:%s/jiebang.db", data);
		url = path;
	}
	d = db_open(url, err, sizeof(err));
	if (!d) {
		fprintf(stderr, "jiebang: %s\n", err);
		return NULL;
	}
	if (db_migrate(d, err, sizeof(err)) < 0) {
		fprintf(stderr, "jiebang: %s\n", err);
		db_close(d);
		return NULL;
	}
	if (audit_seal(d) < 0) { /* entries from before the chain (migration 15): once */
		fprintf(stderr, "jiebang: cannot hash the audit log: %s\n", db_errmsg(d));
		db_close(d);
		return NULL;
	}
	return d;
}

/* Why a verb run from the command line failed, in English. */
static const char *cli_reason(db *d, const struct ctx *c, int rc)
{
	const char *code = c->nerrs ? c->errs[0].code : "";

	if (rc == JB_ECONFLICT && !strcmp(code, "login_taken"))
		return "the login is taken";
	if (!strcmp(code, "bad_person"))
		return "no such --person";
	if (!strcmp(code, "bad_unit"))
		return "no such --unit, or the person is not in it";
	if (!strcmp(code, "no_role"))
		return "give at least one --role";
	if (rc == JB_ENOTFOUND)
		return "no such user";
	if (rc == JB_EBUSY)
		return "the store is busy or unreachable; try again";
	return db_errmsg(d);
}

int cli_first_admin(db *d, int64_t tenant_id, char *pw, size_t pwlen, char *err, size_t errlen)
{
	struct principal cli = perm_cli(tenant_id);
	char hash[PW_HASH_MAX];
	struct user_new n = { .login = "admin", .roles = ROLE_ADMIN, .hash = hash, .must_change = true };
	arena *a = arena_new();
	struct ctx c;
	int rc;

	pw_random(pw, pwlen < INITIAL_PW_CHARS + 1 ? pwlen : INITIAL_PW_CHARS + 1);
	if (pw_hash(pw, hash) != PW_OK) {
		snprintf(err, errlen, "cannot hash a password (out of memory?)");
		arena_free(a);
		return -1;
	}
	ctx_init(&c, d, a, &cli, "");
	rc = user_create(&c, &n);
	if (rc != JB_OK)
		snprintf(err, errlen, "cannot create the admin: %s", cli_reason(d, &c, rc));
	arena_free(a);
	return rc == JB_OK ? 0 : -1;
}

/* The user called login in the tenant, or a message and 1. */
static int find_user(db *d, arena *a, int64_t tenant, const char *login, struct user *u)
{
	int rc = user_by_login(d, a, tenant, user_fold_login(a, login), u);

	if (rc < 0)
		return fail("cannot read the store: %s", db_errmsg(d));
	if (rc > 0)
		return fail("no user '%s'", login);
	return 0;
}

static int do_add(db *d, arena *a, struct actor *by, struct user_opts *o, const char *login)
{
	char pw[INITIAL_PW_CHARS + 1], hash[PW_HASH_MAX];
	const char *why = user_login_problem(login);
	struct principal cli = perm_cli(by->tenant_id);
	struct user_new n = { .login = user_fold_login(a, login), .roles = o->roles, .person_id = o->person,
			      .unit_id = o->unit, .hash = hash, .must_change = true };
	struct ctx c;
	int rc;

	if (why)
		return fail("login '%s': %s", login, why);
	ctx_init(&c, d, a, &cli, "");
	if ((rc = user_create_allowed(&c, &n)) == JB_OK) {
		pw_random(pw, sizeof(pw));
		if (pw_hash(pw, hash) != PW_OK)
			return fail("cannot hash a password (out of memory?)");
		rc = user_create(&c, &n);
	}
	if (rc != JB_OK)
		return fail("add '%s': %s", login, cli_reason(d, &c, rc));
	printf("created user %s (id %lld)\ninitial password: %s\n"
	       "(shown once; it must be changed at the first log-in)\n", n.login, (long long)n.id, pw);
	return 0;
}

static int do_passwd(db *d, arena *a, struct actor *by, const char *login)
{
	char line[4096], hash[PW_HASH_MAX];
	struct principal cli = perm_cli(by->tenant_id);
	const char *why;
	struct user u;
	struct ctx c;
	size_t n;
	int rc;

	if (find_user(d, a, by->tenant_id, login, &u))
		return 1;
	if (!fgets(line, sizeof(line), stdin))
		return fail("passwd '%s': no password on stdin", login);
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	if ((why = pw_policy(line, u.login)))
		return fail("passwd '%s': %s", login, why);
	if (pw_hash(line, hash) != PW_OK)
		return fail("cannot hash a password (out of memory?)");
	ctx_init(&c, d, a, &cli, "");
	if ((rc = user_set_password(&c, u.id, hash, NULL)) != JB_OK)
		return fail("passwd '%s': %s", login, cli_reason(d, &c, rc));
	printf("password of %s changed; its sessions and API tokens have ended\n", u.login);
	return 0;
}

static int do_disable(db *d, arena *a, struct actor *by, const char *login, bool disable)
{
	struct principal cli = perm_cli(by->tenant_id);
	struct user u;
	struct ctx c;
	int rc;

	if (find_user(d, a, by->tenant_id, login, &u))
		return 1;
	ctx_init(&c, d, a, &cli, "");
	if ((rc = user_set_disabled(&c, u.id, disable)) != JB_OK)
		return fail("%s: %s", login, cli_reason(d, &c, rc));
	printf("%s %s\n", u.login, disable ? "disabled; its sessions and API tokens have ended" : "enabled");
	return 0;
}

static int do_totp_off(db *d, arena *a, struct actor *by, const char *login)
{
	struct user u;
	int rc;

	if (find_user(d, a, by->tenant_id, login, &u))
		return 1;
	rc = totp_reset(d, by, u.id);
	if (rc < 0)
		return fail("cannot write the store: %s", db_errmsg(d));
	printf("%s: %s\n", u.login, rc ? "has no two-factor log-in" : "two-factor log-in is off; it can enrol again");
	return 0;
}

static int do_list(db *d, arena *a, int64_t tenant)
{
	struct user *u;
	int64_t total;
	int n;

	for (int64_t page = 1;; page++) {
		if (user_list(d, a, tenant, 0, page, &u, &n, &total) < 0)
			return fail("cannot read the store: %s", db_errmsg(d));
		if (page == 1)
			printf("id\tlogin\troles\tunit\tperson\tstate\n");
		for (int i = 0; i < n; i++)
			printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)u[i].id, u[i].login, user_roles_csv(a, u[i].roles),
			       u[i].unit_name, u[i].person_name,
			       u[i].disabled ? "disabled" : u[i].must_change ? "must-change-password" : "active");
		if (page * USER_PAGE >= total)
			return 0;
	}
}

static int do_token(db *d, arena *a, struct actor *by, const char *login, const char *name)
{
	char token[APITOKEN_CHARS + 1];
	struct user u;
	int64_t id;

	if (find_user(d, a, by->tenant_id, login, &u))
		return 1;
	if (!name)
		name = "cli";
	if (!utf8_valid(name, strlen(name)) || !*name || utf8_len(name) > APITOKEN_NAME_MAX)
		return fail("--name: '%s' must be 1 to 64 characters of text", name);
	if (apitoken_create(d, by, u.id, name, token, &id) < 0)
		return fail("token: %s", db_errmsg(d));
	printf("%s\n", token);
	fprintf(stderr, "API token %lld for %s (shown once; revoke it on the account page)\n", (long long)id, u.login);
	return 0;
}

int cli_user(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' }, { "db", required_argument, NULL, 'b' },
		{ "tenant", required_argument, NULL, 't' }, { "role", required_argument, NULL, 'r' },
		{ "person", required_argument, NULL, 'P' }, { "unit", required_argument, NULL, 'u' },
		{ "name", required_argument, NULL, 'n' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct user_opts o = { 0 };
	const char *sub, *login = NULL, *tname;
	struct actor by = { 0, "cli", "" };
	int ch, rc, need_login;
	arena *a;
	db *d;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	if (strcmp(sub, "add") && strcmp(sub, "passwd") && strcmp(sub, "disable") && strcmp(sub, "enable") &&
	    strcmp(sub, "list") && strcmp(sub, "token") && strcmp(sub, "totp-off"))
		return usage("unknown subcommand", sub);
	need_login = strcmp(sub, "list") != 0;
	if (need_login) {
		if (argc < 3 || argv[2][0] == '-')
			return usage("missing LOGIN after", sub);
		login = argv[2];
	}
	opterr = 0;
	optind = need_login ? 3 : 2;
	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'd': o.data = optarg; break;
		case 'b': o.db = optarg; break;
		case 't': o.tenant = optarg; break;
		case 'n': o.name = optarg; break;
		case 'r':
			if (!role_bit(optarg))
				return usage("--role: no such role", optarg);
			o.roles |= role_bit(optarg);
			break;
		case 'P':
		case 'u':
			if (parse_int(optarg, 1, INT64_MAX, ch == 'P' ? &o.person : &o.unit) < 0)
				return usage(ch == 'P' ? "--person: not an id" : "--unit: not an id", optarg);
			break;
		default:
			return usage(optopt ? "option needs a value" : "unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage("unexpected argument", argv[optind]);
	if ((o.roles || o.person || o.unit) && strcmp(sub, "add"))
		return usage("--role, --person and --unit apply to", "add");
	if (o.name && strcmp(sub, "token"))
		return usage("--name applies to", "token");
	d = cli_open_store(o.data, o.db);
	if (!d)
		return 1;
	a = arena_new();
	rc = tenant_find(d, a, o.tenant, &by.tenant_id, &tname);
	if (rc != 0) {
		rc = rc < 0 ? fail("cannot read the store: %s", db_errmsg(d)) :
		     o.tenant ? fail("no tenant '%s'", o.tenant) :
		     fail("the store has no tenant yet: run 'jiebang init' first");
	} else if (!strcmp(sub, "add")) {
		rc = do_add(d, a, &by, &o, login);
	} else if (!strcmp(sub, "passwd")) {
		rc = do_passwd(d, a, &by, login);
	} else if (!strcmp(sub, "disable") || !strcmp(sub, "enable")) {
		rc = do_disable(d, a, &by, login, !strcmp(sub, "disable"));
	} else if (!strcmp(sub, "list")) {
		rc = do_list(d, a, by.tenant_id);
	} else if (!strcmp(sub, "totp-off")) {
		rc = do_totp_off(d, a, &by, login);
	} else {
		rc = do_token(d, a, &by, login, o.name);
	}
	arena_free(a);
	db_close(d);
	return rc;
}

int cli_init_tenant(db *d, const char *slug, const char *name, const char *where)
{
	char pw[INITIAL_PW_CHARS + 1], err[512];
	const char *why = tenant_slug_problem(slug), *have;
	arena *a = arena_new();
	int64_t id, any;
	int rc;

	if (why) {
		fprintf(stderr, "jiebang: --slug: '%s': %s\n", slug, why);
		arena_free(a);
		return 2;
	}
	/* Without --slug (the default one) a store that has a tenant is done;
	 * a new --slug adds another tenant. */
	rc = tenant_find(d, a, slug, &id, &have);
	if (rc == 1 && !strcmp(slug, "default"))
		rc = tenant_find(d, a, NULL, &id, &have);
	if (rc < 0) {
		fprintf(stderr, "jiebang: cannot read store: %s\n", db_errmsg(d));
		arena_free(a);
		return 1;
	}
	if (rc == 0) {
		printf("already initialised: %s\n", have);
		arena_free(a);
		return 0;
	}
	rc = tenant_count(d, &any);
	if (rc == 0 && db_begin(d, DB_WRITE) == 0) {
		rc = tenant_create(d, slug, name, &id);
		if (rc == 0 && db_commit(d) < 0)
			rc = -1;
		if (rc)
			db_rollback(d);
	} else {
		rc = -1;
	}
	if (rc) {
		fprintf(stderr, "jiebang: cannot initialise: %s\n", rc > 0 ? "the slug is taken" : db_errmsg(d));
		arena_free(a);
		return 1;
	}
	if (cli_first_admin(d, id, pw, sizeof(pw), err, sizeof(err)) < 0) {
		fprintf(stderr, "jiebang: %s\n", err);
		arena_free(a);
		return 1;
	}
	printf("initialised %s (tenant %lld, %s%s) at %s\n"
	       "first admin: login admin, initial password %s\n"
	       "(shown once; it must be changed at the first log-in)\n",
	       name, (long long)id, any ? "served under /t/" : "slug ", slug, where, pw);
	arena_free(a);
	return 0;
}
