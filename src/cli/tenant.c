/* tenant.c - `jiebang tenant ...`: list the tenants and map host names to
 * them (table tenant_domain: a request to that host is that tenant's, see
 * domain/tenant.h). New tenants come from `jiebang init --slug`. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "domain/audit.h"
#include "domain/tenant.h"

static const char usage_text[] =
	"usage: jiebang tenant <subcommand> [options]\n"
	"  list               the tenants, with their slugs and host names\n"
	"  domain SLUG HOST   serve tenant SLUG at HOST (a host name, no port)\n"
	"  undomain HOST      stop serving a tenant at HOST\n"
	"  (add a tenant with: jiebang init --slug SLUG --name NAME)\n"
	"options:\n"
	"  --data DIR     data directory (default ./data)\n"
	"  --db URL       store: sqlite:PATH or postgres://user@host:port/db\n"
	"                 (default: $JIEBANG_DB, else DIR/jiebang.db)\n"
	"  --help         this text\n";

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, "jiebang: tenant: %s '%s' (see 'jiebang tenant --help')\n", msg, arg);
	return 2;
}

/* A host name as the Host header carries it, lowercased: letters, digits,
 * dots and dashes; NULL when it is not one. */
static char *host_name(char *h)
{
	size_t n = strlen(h);

	if (!n || n > 253)
		return NULL;
	for (char *p = h; *p; p++) {
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
			return NULL;
	}
	return h;
}

static int list(db *d)
{
	db_stmt *st = db_prepare(d, "SELECT t.id, t.slug, t.name, coalesce(h.host, '') FROM tenant t"
				    " LEFT JOIN tenant_domain h ON h.tenant_id = t.id ORDER BY t.id, h.host");
	int rc;

	if (!st) {
		fprintf(stderr, "jiebang: tenant: %s\n", db_errmsg(d));
		return 1;
	}
	printf("id\tslug\tname\thost\n");
	while ((rc = db_step(st)) == DB_ROW)
		printf("%lld\t%s\t%s\t%s\n", (long long)db_col_int(st, 0), db_col_text(st, 1), db_col_text(st, 2),
		       db_col_text(st, 3));
	db_done(st);
	return rc == DB_ERROR ? 1 : 0;
}

/* Add (slug given) or remove a host, with its audit entry. */
static int change(db *d, const char *slug, const char *host)
{
	arena *a = arena_new();
	int64_t id = 0;
	const char *name;
	db_stmt *st;
	int rc = 0;

	if (db_begin(d, DB_WRITE) < 0)
		goto fail;
	if (slug) {
		rc = tenant_find(d, a, slug, &id, &name);
		if (rc < 0)
			goto fail;
		if (rc > 0) {
			fprintf(stderr, "jiebang: tenant: no tenant '%s'\n", slug);
			goto refused;
		}
		rc = tenant_add_domain(d, id, host);
		if (rc < 0)
			goto fail;
		if (rc > 0) {
			fprintf(stderr, "jiebang: tenant: host '%s' already serves a tenant\n", host);
			goto refused;
		}
	} else {
		st = db_prepare(d, "SELECT tenant_id FROM tenant_domain WHERE host = $1");
		if (!st)
			goto fail;
		db_bind_text(st, 1, host);
		rc = db_step(st);
		id = rc == DB_ROW ? db_col_int(st, 0) : 0;
		db_done(st);
		if (rc == DB_ERROR)
			goto fail;
		if (!id) {
			fprintf(stderr, "jiebang: tenant: no tenant is served at '%s'\n", host);
			goto refused;
		}
		st = db_prepare(d, "DELETE FROM tenant_domain WHERE host = $1");
		if (!st)
			goto fail;
		db_bind_text(st, 1, host);
		rc = db_step(st);
		db_done(st);
		if (rc != DB_DONE)
			goto fail;
	}
	{
		char *json = arena_printf(a, "{\"host\":\"%s\"}", host); /* host is [a-z0-9.-] only */
		if (audit_record(d, id, "cli", slug ? "tenant.domain_add" : "tenant.domain_remove", "tenant", id,
				 slug ? NULL : json, slug ? json : NULL, "") < 0 || db_commit(d) < 0)
			goto fail;
	}
	printf(slug ? "tenant %s is served at %s\n" : "%s%s is no longer served\n", slug ? slug : "", host);
	arena_free(a);
	return 0;
fail:
	fprintf(stderr, "jiebang: tenant: %s\n", db_errmsg(d));
	db_rollback(d);
	arena_free(a);
	return 1;
refused:
	db_rollback(d);
	arena_free(a);
	return 1;
}

int cli_tenant(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' }, { "db", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *data = "./data", *url = NULL, *sub;
	char *pos[2] = { NULL, NULL };
	int need, ch, npos = 0, rc;
	db *d;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	sub = argv[1];
	need = !strcmp(sub, "list") ? 0 : !strcmp(sub, "domain") ? 2 : !strcmp(sub, "undomain") ? 1 : -1;
	if (need < 0)
		return usage("unknown subcommand", sub);
	opterr = 0;
	optind = 2;
	for (;;) {
		ch = getopt_long(argc, argv, "+", longopts, NULL);
		if (ch == -1) {
			if (optind >= argc)
				break;
			if (npos == need)
				return usage("unexpected argument", argv[optind]);
			pos[npos++] = argv[optind++];
			continue;
		}
		switch (ch) {
		case 'h': fputs(usage_text, stdout); return 0;
		case 'd': data = optarg; break;
		case 'b': url = optarg; break;
		default: return usage(optopt ? "option needs a value" : "unknown option", argv[optind - 1]);
		}
	}
	if (npos < need)
		return usage(need == 2 ? "needs SLUG and HOST after" : "needs HOST after", sub);
	char *host = need ? host_name(pos[need - 1]) : NULL;
	if (need && !host)
		return usage("not a host name (letters, digits, . and - only, no port)", pos[need - 1]);
	if (need == 2 && tenant_slug_problem(pos[0]))
		return usage("not a tenant slug", pos[0]);
	d = cli_open_store(data, url);
	if (!d)
		return 1;
	rc = need == 0 ? list(d) : change(d, need == 2 ? pos[0] : NULL, host);
	db_close(d);
	return rc;
}
