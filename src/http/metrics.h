/* metrics.h - the server's own counters for /metrics (Prometheus text
 * format 0.0.4): requests by route, method and status, a latency
 * histogram by route, store errors by class, and the uptime. Counters are
 * relaxed atomics bumped once per request; rendering reads them without a
 * lock (a scrape may see one request counted in the total and not yet in
 * a bucket: Prometheus tolerates that). */
#ifndef JB_METRICS_H
#define JB_METRICS_H

#include <stddef.h>

#include "http/router.h"
#include "util/buf.h"

/* Counters for n routes (and the requests that matched none), zeroed;
 * the uptime starts now. Once, before the server serves. */
void metrics_start(size_t nroutes);
/* A request of route index route (-1: none matched) answered with status
 * after us microseconds. */
void metrics_request(int route, int status, long us);
/* A request that failed on the store: unavailable (1) or not (0). */
void metrics_store_error(int unavailable);
/* Append the counters of routes (the table given to metrics_start). */
void metrics_render(buf *b, const struct route *routes, size_t nroutes);

#endif
