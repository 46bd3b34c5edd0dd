/* tenant.c - `jiebang tenant ...`: list the tenants and map host names to
 * them (table tenant_domain: a request to that host is that tenant's, see
 * domain/tenant.h). New tenants come from `jiebang init --slug`. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "domain/action.h"
#include "domain/perm.h"
#include "domain/tenant.h"

static const char usage_text[] =
	"usage: jiebang tenant <subcommand> [options]\n"
	"  list               the tenants, with their slugs and host names\n"
	"  domain SLUG HOST   serve tenant SLUG at HOST (a host name, no port)\n"
	"  undomain HOST      stop serving a tenant at HOST\n"
	"  (add a tenant with: jiebang init --slug SLUG --name NAME)\n"
	"options:\n"
	"  --data DIR     data directory (default: the data setting, ./data)\n"
	"  --db URL       store: sqlite:PATH or postgres://user@host:port/db\n"
	"                 (default: the db setting, else DIR/jiebang.db)\n"
	"  --help         this text\n";

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, "jiebang: tenant: %s '%s' (see 'jiebang tenant --help')\n", msg, arg);
	return 2;
}

static int list(db *d)
{
	struct tenant_row *t;
	arena *a = arena_new();
	int n, rc = tenant_list(d, a, &t, &n);

	if (rc < 0)
		fprintf(stderr, "jiebang: tenant: %s\n", db_errmsg(d));
	else
		printf("id\tslug\tname\thost\n");
	for (int i = 0; rc == 0 && i < n; i++)
		printf("%lld\t%s\t%s\t%s\n", (long long)t[i].id, t[i].slug, t[i].name, t[i].host);
	arena_free(a);
	return rc < 0 ? 1 : 0;
}

/* Add (slug given) or remove a host, with its audit entry. */
static int change(db *d, const char *slug, const char *host)
{
	struct principal cli = perm_cli(0);
	arena *a = arena_new();
	struct ctx c;
	int rc;

	ctx_init(&c, d, a, &cli, "");
	rc = slug ? tenant_domain_add(&c, slug, host) : tenant_domain_remove(&c, host);
	if (rc == JB_ENOTFOUND && slug)
		fprintf(stderr, "jiebang: tenant: no tenant '%s'\n", slug);
	else if (rc == JB_ENOTFOUND)
		fprintf(stderr, "jiebang: tenant: no tenant is served at '%s'\n", host);
	else if (rc == JB_ECONFLICT)
		fprintf(stderr, "jiebang: tenant: host '%s' already serves a tenant\n", host);
	else if (rc != JB_OK)
		fprintf(stderr, "jiebang: tenant: %s\n", db_errmsg(d));
	else
		printf(slug ? "tenant %s is served at %s\n" : "%s%s is no longer served\n", slug ? slug : "", host);
	arena_free(a);
	return rc == JB_OK ? 0 : 1;
}

int cli_tenant(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' }, { "db", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *data = NULL, *url = NULL, *sub;
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
	char *host = need ? tenant_host_fold(pos[need - 1]) : NULL;
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
