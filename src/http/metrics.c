/* metrics.c - the server's counters (metrics.h). */
#include "http/metrics.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/xalloc.h"

#define STATUS_MIN 100
#define STATUS_N 500   /* 100 to 599 */
/* Latency bucket bounds in microseconds (the +Inf bucket is the count). */
static const long bounds_us[] = { 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000,
				  1000000, 2500000, 5000000, 10000000 };
#define NBOUNDS (sizeof(bounds_us) / sizeof(bounds_us[0]))

struct route_counters {
	atomic_ulong status[STATUS_N];
	atomic_ulong bucket[NBOUNDS];  /* requests at or under each bound */
	atomic_ulong count;
	atomic_ulong sum_us;
};

static struct route_counters *counters; /* nroutes + 1: the last for "no route" */
static size_t ncounters;
static atomic_ulong store_errors[2];
static struct timespec started;

void metrics_start(size_t nroutes)
{
	free(counters);
	ncounters = nroutes + 1;
	counters = xcalloc(ncounters, sizeof(*counters));
	memset(store_errors, 0, sizeof(store_errors));
	clock_gettime(CLOCK_MONOTONIC, &started);
}

void metrics_request(int route, int status, long us)
{
	struct route_counters *c;

	if (!counters)
		return;
	c = &counters[route >= 0 && (size_t)route < ncounters - 1 ? (size_t)route : ncounters - 1];
	if (status >= STATUS_MIN && status < STATUS_MIN + STATUS_N)
		atomic_fetch_add_explicit(&c->status[status - STATUS_MIN], 1, memory_order_relaxed);
	for (size_t i = 0; i < NBOUNDS; i++)
		if (us <= bounds_us[i])
			atomic_fetch_add_explicit(&c->bucket[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&c->sum_us, (unsigned long)(us > 0 ? us : 0), memory_order_relaxed);
}

void metrics_store_error(int unavailable)
{
	atomic_fetch_add_explicit(&store_errors[unavailable ? 1 : 0], 1, memory_order_relaxed);
}

/* A route's labels: its method and pattern (no value needs escaping: the
 * patterns are the table's own text, without quotes or backslashes). */
static void labels(buf *b, const struct route *rt)
{
	buf_printf(b, "method=\"%s\",route=\"%s\"", rt ? rt->method : "", rt ? rt->pattern : "(none)");
}

void metrics_render(buf *b, const struct route *routes, size_t nroutes)
{
	struct timespec now;

	if (!counters)
		return;
	buf_puts(b, "# HELP jiebang_http_requests_total Requests answered, by route and status.\n"
		    "# TYPE jiebang_http_requests_total counter\n");
	for (size_t r = 0; r < ncounters; r++)
		for (int s = 0; s < STATUS_N; s++) {
			unsigned long n = atomic_load_explicit(&counters[r].status[s], memory_order_relaxed);
			if (!n)
				continue;
			buf_puts(b, "jiebang_http_requests_total{");
			labels(b, r < nroutes ? &routes[r] : NULL);
			buf_printf(b, ",status=\"%d\"} %lu\n", s + STATUS_MIN, n);
		}
	buf_puts(b, "# HELP jiebang_http_request_duration_seconds Time from the request's start to its answer sent.\n"
		    "# TYPE jiebang_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r < ncounters; r++) {
		const struct route *rt = r < nroutes ? &routes[r] : NULL;
		unsigned long count = atomic_load_explicit(&counters[r].count, memory_order_relaxed);
		if (!count)
			continue;
		for (size_t i = 0; i < NBOUNDS; i++) {
			buf_puts(b, "jiebang_http_request_duration_seconds_bucket{");
			labels(b, rt);
			buf_printf(b, ",le=\"%g\"} %lu\n", bounds_us[i] / 1e6,
				   atomic_load_explicit(&counters[r].bucket[i], memory_order_relaxed));
		}
		buf_puts(b, "jiebang_http_request_duration_seconds_bucket{");
		labels(b, rt);
		buf_printf(b, ",le=\"+Inf\"} %lu\njiebang_http_request_duration_seconds_sum{", count);
		labels(b, rt);
		buf_printf(b, "} %.6f\njiebang_http_request_duration_seconds_count{",
			   atomic_load_explicit(&counters[r].sum_us, memory_order_relaxed) / 1e6);
		labels(b, rt);
		buf_printf(b, "} %lu\n", count);
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	buf_printf(b, "# HELP jiebang_store_errors_total Requests that failed on the store, by class.\n"
		      "# TYPE jiebang_store_errors_total counter\n"
		      "jiebang_store_errors_total{class=\"unavailable\"} %lu\n"
		      "jiebang_store_errors_total{class=\"other\"} %lu\n"
		      "# HELP jiebang_uptime_seconds Seconds since the server started.\n"
		      "# TYPE jiebang_uptime_seconds gauge\n"
		      "jiebang_uptime_seconds %lld\n",
		   atomic_load(&store_errors[1]), atomic_load(&store_errors[0]),
		   (long long)(now.tv_sec - started.tv_sec));
}
