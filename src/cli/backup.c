/* backup.c - `jiebang backup FILE` (one copy of the store) and `jiebang
 * backup --dir DIR --keep N` (a dated copy in DIR, keeping the N newest),
 * which the daily timer unit runs (packaging/jiebang-backup.service). */
#include "cli/cli.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domain/config.h"
#include "store/copy.h"
#include "util/text.h"

#define BACKUP_KEEP_MAX 10000

static const char usage_text[] =
	"usage: jiebang backup FILE [options]\n"
	"       jiebang backup --dir DIR --keep N [options]\n"
	"  write a consistent copy of the store to FILE (a new file), or to\n"
	"  DIR/jiebang-YYYYMMDD-HHMMSS.db (.dump for PostgreSQL, local time) and\n"
	"  then delete all but the N newest files of that name pattern in DIR\n"
	"options:\n"
	"  --dir DIR      the directory of dated backups (created if missing)\n"
	"  --keep N       with --dir: how many dated backups to keep (1-10000)\n"
	"  --config FILE  the configuration file (default $JIEBANG_CONFIG, else none)\n"
	"  --data DIR     data directory (default: the data setting, ./data)\n"
	"  --db URL       store: sqlite:PATH or postgres://user@host:port/db\n"
	"                 (default: the db setting, else DIR/jiebang.db)\n"
	"  --help         this text\n";

struct backup_opts {
	const char *data, *db, *file, *dir;
	int64_t keep; /* 0: not given */
};

static int usage(const char *msg, const char *arg)
{
	fprintf(stderr, "jiebang: backup: %s%s%s%s (see 'jiebang backup --help')\n", msg,
		arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
	return 2;
}

/* The store URL as cli_open_store() finds it: --db, else the db setting
 * when one was made (--config file, JIEBANG_DB), else DATA/jiebang.db with
 * DATA from --data or the data setting. */
static const char *backup_url(const struct backup_opts *o, char *buf, size_t len)
{
	if (o->db)
		return o->db;
	if (config.from[CF_DB] != CONF_DEFAULT)
		return conf_str(&config, CF_DB);
	snprintf(buf, len, "sqlite:%s/jiebang.db", o->data ? o->data : conf_str(&config, CF_DATA));
	return buf;
}

/* Whether name is one of ours: jiebang-YYYYMMDD-HHMMSS.db or .dump. */
static bool backup_name(const char *name)
{
	static const char shape[] = "jiebang-dddddddd-dddddd";
	size_t n = sizeof(shape) - 1;

	for (size_t i = 0; i < n; i++)
		if (shape[i] == 'd' ? (name[i] < '0' || name[i] > '9') : name[i] != shape[i])
			return false;
	return !strcmp(name + n, ".db") || !strcmp(name + n, ".dump");
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Delete all but the keep newest dated backups in dir (names sort by their
 * time). Other files are never touched. 0, or -1 after a one-line error. */
static int backup_prune(const char *dir, int64_t keep)
{
	DIR *dh = opendir(dir);
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0;
	struct dirent *e;
	int rc = 0;

	if (!dh) {
		fprintf(stderr, "jiebang: backup: cannot read '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(dh))) {
		if (!backup_name(e->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				abort();
		}
		if (!(names[n++] = strdup(e->d_name)))
			abort();
	}
	closedir(dh);
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i + (size_t)keep < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (unlink(path) < 0) {
			fprintf(stderr, "jiebang: backup: cannot delete '%s': %s\n", path, strerror(errno));
			rc = -1;
		} else {
			printf("deleted the old backup %s\n", path);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* A dated backup in o->dir, then the pruning. Exit status. */
static int backup_dir(const struct backup_opts *o, const char *url)
{
	char file[4096], stamp[32], err[512];
	time_t now = time(NULL);
	struct tm tm;

	if (mkdir(o->dir, 0750) < 0 && errno != EEXIST) {
		fprintf(stderr, "jiebang: backup: cannot create '%s': %s\n", o->dir, strerror(errno));
		return 1;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	if ((size_t)snprintf(file, sizeof(file), "%s/jiebang-%s.%s", o->dir, stamp,
			     strncmp(url, "postgres", 8) ? "db" : "dump") >= sizeof(file))
		return usage("--dir: the directory name is too long", NULL);
	if (db_backup(url, file, err, sizeof(err)) < 0) {
		fprintf(stderr, "jiebang: backup: %s\n", err);
		return 1;
	}
	printf("backed up the store to %s\n", file);
	return backup_prune(o->dir, o->keep) < 0 ? 1 : 0;
}

/* Options and the one positional FILE, in any order. Exit status, or -1
 * to go on. */
static int backup_parse(int argc, char **argv, struct backup_opts *o)
{
	static const struct option longopts[] = {
		{ "data", required_argument, NULL, 'd' }, { "db", required_argument, NULL, 'b' },
		{ "dir", required_argument, NULL, 'D' }, { "keep", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int ch;

	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h': fputs(usage_text, stdout); return 0;
		case 'd': o->data = optarg; break;
		case 'b': o->db = optarg; break;
		case 'D': o->dir = optarg; break;
		case 'k':
			if (parse_int(optarg, 1, BACKUP_KEEP_MAX, &o->keep) < 0)
				return usage("--keep: not a whole number from 1 to 10000:", optarg);
			break;
		default:
			return usage(optopt ? "option needs a value:" : "unknown option", argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->file = argv[optind++];
	if (optind < argc)
		return usage("unexpected argument", argv[optind]);
	if (o->dir && o->file)
		return usage("give FILE or --dir DIR, not both", NULL);
	if (!o->dir && !o->file)
		return usage("backup needs FILE (or --dir DIR --keep N)", NULL);
	if (o->dir && !o->keep)
		return usage("--dir needs --keep N", NULL);
	if (!o->dir && o->keep)
		return usage("--keep applies to --dir", NULL);
	if ((o->file && !*o->file) || (o->dir && !*o->dir))
		return usage(o->file ? "FILE must not be empty" : "--dir: the directory must not be empty", NULL);
	if (o->data && !*o->data)
		return usage("--data: the directory must not be empty", NULL);
	return -1;
}

int cli_backup(int argc, char **argv)
{
	struct backup_opts o = { 0 };
	char urlbuf[4096], err[512];
	const char *url;
	int rc = backup_parse(argc, argv, &o);

	if (rc >= 0)
		return rc;
	url = backup_url(&o, urlbuf, sizeof(urlbuf));
	if (o.dir)
		return backup_dir(&o, url);
	if (db_backup(url, o.file, err, sizeof(err)) < 0) {
		fprintf(stderr, "jiebang: backup: %s\n", err);
		return 1;
	}
	printf("backed up the store to %s\n", o.file);
	return 0;
}
