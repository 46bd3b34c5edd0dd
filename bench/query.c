/* query.c - CPU time of the board query (problem_list: the count and the
 * first page, as GET /?q= runs it) for each query given, on one store
 * connection: this process's, plus on PostgreSQL its server process's
 * (from /proc, so the server must run on this machine). CPU time, not
 * wall time, so that other load on the machine does not count. Usage:
 * query STORE-URL REPEAT QUERY... */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "domain/problem.h"
#include "store/db.h"

static long backend; /* the PostgreSQL server process of our connection; 0 on SQLite */

/* User and system time of process pid in ms (clock ticks of 10 ms). */
static double proc_ms(long pid)
{
	char path[64];
	unsigned long ut = 0, st = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (!(f = fopen(path, "r")))
		return 0;
	/* Fields 14 and 15; the command (field 2) holds no blank here. */
	if (fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		ut = st = 0;
	fclose(f);
	return (double)(ut + st) * 1e3 / (double)sysconf(_SC_CLK_TCK);
}

static double cpu_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6 + (backend ? proc_ms(backend) : 0);
}

int main(int argc, char **argv)
{
	char err[256];
	db *d;
	int repeat;

	if (argc < 4 || (repeat = atoi(argv[2])) <= 0) {
		fprintf(stderr, "usage: query STORE-URL REPEAT QUERY...\n");
		return 2;
	}
	if (!(d = db_open(argv[1], err, sizeof(err)))) {
		fprintf(stderr, "query: %s\n", err);
		return 1;
	}
	if (db_kind(d) == DB_POSTGRES) {
		int64_t pid = 0;
		if (db_scalar(d, "SELECT pg_backend_pid()", &pid, 0) != 0)
			return 1;
		backend = (long)pid;
	}
	for (int i = 3; i < argc; i++) {
		struct problem_filter f = { .q = argv[i], .sort = SORT_ID, .page = 1, .per_page = 20,
					    .now = (int64_t)time(NULL) };
		struct problem_page pg = { 0 };
		double t0 = 0;

		for (int k = 0; k <= repeat; k++) {
			arena *a = arena_new();
			if (k == 1)
				t0 = cpu_ms(); /* the first run warms the caches */
			if (problem_list(d, a, 1, &f, &pg) < 0) {
				fprintf(stderr, "query: %s\n", db_errmsg(d));
				return 1;
			}
			arena_free(a);
		}
		printf("  q=%-24s %7lld hits %9.2f ms CPU\n", argv[i], (long long)pg.total, (cpu_ms() - t0) / repeat);
	}
	db_close(d);
	return 0;
}
