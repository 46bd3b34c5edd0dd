/* import.c - `jiebang import KIND FILE [--dry-run]`: the import of units,
 * people or problems from a CSV or XLSX file (domain/import.h), for the
 * operator with shell access (actor "cli" in the audit log). Prints every
 * rejected row as "第 N 行 [列名] 原因：值" and the counts. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "domain/import.h"
#include "domain/perm.h"
#include "domain/tenant.h"
#include "util/text.h"

static const char usage_text[] =
	"usage: jiebang import KIND FILE [options]\n"
	"  import units, people or problems (KIND) from FILE, a CSV (UTF-8 or GBK)\n"
	"  or XLSX file whose first row names the columns in Chinese:\n"
	"    units     单位名称, 上级单位, 单位类型\n"
	"    people    姓名, 所在单位, 职级, 职务\n"
	"    problems  难题名称, 类别, 出卷单位, 难题描述, 预期成效\n"
	"  every row or none is imported; rejected rows are listed with their line.\n"
	"options:\n"
	"  --dry-run      check only: list the rejected rows, write nothing\n"
	"  --batch ID     problems: the batch (default: the one collecting now)\n"
	"  --data DIR     data directory (default: the data setting, ./data)\n"
	"  --db URL       store: sqlite:PATH or postgres://user@host:port/db\n"
	"                 (default: the db setting, else DIR/jiebang.db)\n"
	"  --tenant SLUG  the tenant (default: the first one)\n"
	"  --help         this text\n"
	"exit status: 0 imported (or nothing to reject), 1 rows rejected or an error, 2 usage\n";

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, "jiebang: import: %s%s%s%s (see 'jiebang import --help')\n", msg, arg ? " '" : "", arg ? arg : "",
		arg ? "'" : "");
	return 2;
}

static void print_result(const struct import_in *in, const struct import_result *out, int rc)
{
	for (int i = 0; i < out->nrejects; i++) {
		const struct import_reject *r = &out->rejects[i];
		if (r->line)
			printf("第 %lld 行 ", (long long)r->line);
		if (*r->column)
			printf("[%s] ", r->column);
		printf("%s%s%s\n", r->reason, *r->value ? "：" : "", r->value);
	}
	if (out->rejected > out->nrejects)
		printf("……另有 %lld 行被拒绝，未列出\n", (long long)(out->rejected - out->nrejects));
	printf("%s: %lld row(s) read (%s%s%s), %lld created, %lld updated, %lld unchanged, %lld rejected%s\n",
	       import_kind_code(in->kind), (long long)out->rows, out->format, *out->encoding ? ", " : "", out->encoding,
	       (long long)out->created, (long long)out->updated, (long long)out->unchanged, (long long)out->rejected,
	       rc != JB_OK ? " - nothing imported" : in->dry_run ? " - dry run, nothing written" : "");
}

int cli_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' }, { "db", required_argument, NULL, 'b' },
		{ "tenant", required_argument, NULL, 't' }, { "batch", required_argument, NULL, 'B' },
		{ "dry-run", no_argument, NULL, 'n' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = NULL, *url = NULL, *slug = NULL, *pos[2] = { NULL, NULL }, *tname;
	struct import_in in = { 0 };
	struct import_result out;
	struct principal cli;
	struct ctx c;
	int ch, npos = 0, kind, rc;
	int64_t tenant;
	arena *a;
	db *d;

	opterr = 0;
	optind = 1;
	for (;;) {
		if ((ch = getopt_long(argc, argv, "-", longopts, NULL)) == -1)
			break;
		switch (ch) {
		case 1:
			if (npos == 2)
				return usage("unexpected argument", optarg);
			pos[npos++] = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case 'd': data = optarg; break;
		case 'b': url = optarg; break;
		case 't': slug = optarg; break;
		case 'n': in.dry_run = true; break;
		case 'B':
			if (parse_int(optarg, 1, INT64_MAX, &in.batch_id) < 0)
				return usage("--batch: not an id", optarg);
			break;
		default:
			return usage(optopt ? "option needs a value" : "unknown option", argv[optind - 1]);
		}
	}
	if (npos < 2)
		return usage(npos ? "missing FILE" : "missing KIND and FILE", NULL);
	if ((kind = import_kind_parse(pos[0])) < 0)
		return usage("KIND must be units, people or problems, not", pos[0]);
	in.kind = (enum import_kind)kind;
	if (in.batch_id && in.kind != IMPORT_PROBLEMS)
		return usage("--batch applies to", "problems");
	in.path = pos[1];
	in.file_name = strrchr(pos[1], '/') ? strrchr(pos[1], '/') + 1 : pos[1];
	if (!utf8_valid(in.file_name, strlen(in.file_name)))
		in.file_name = "";
	if (!(d = cli_open_store(data, url)))
		return 1;
	a = arena_new();
	rc = tenant_find(d, a, slug, &tenant, &tname);
	if (rc != 0) {
		fprintf(stderr, "jiebang: import: %s\n", rc < 0 ? db_errmsg(d) : slug ? "no such tenant" :
			"the store has no tenant yet: run 'jiebang init' first");
		arena_free(a);
		db_close(d);
		return 1;
	}
	/* A large import in one transaction: keep its pages in memory (256
	 * MiB at most) rather than spilling them to the WAL half way. */
	if (db_kind(d) == DB_SQLITE && db_exec(d, "PRAGMA cache_size = -262144") < 0)
		fprintf(stderr, "jiebang: import: %s\n", db_errmsg(d));
	cli = perm_cli(tenant);
	ctx_init(&c, d, a, &cli, "");
	rc = import_run(&c, &in, &out);
	if (rc == JB_OK || out.rejected) {
		print_result(&in, &out, rc);
	} else {
		for (int i = 0; i < c.nerrs; i++)
			fprintf(stderr, "jiebang: import: %s\n", c.errs[i].message);
		if (!c.nerrs)
			fprintf(stderr, "jiebang: import: %s\n", rc == JB_EBUSY ? "the store is busy; try again" : db_errmsg(d));
	}
	arena_free(a);
	db_close(d);
	return rc == JB_OK ? 0 : 1;
}
