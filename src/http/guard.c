/* guard.c - per-connection deadlines and per-address connection limits,
 * enforced by a sweeper thread (see guard.h for the rules). */
#include "http/guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/log.h"
#include "util/xalloc.h"

/* One connection. Fields are read and written under the guard's lock. */
struct slot {
	struct slot *prev, *next;
	int fd;
	struct sockaddr_storage addr;
	int64_t since_ms;     /* the accept, or the end of the previous response */
	int64_t deadline_ms;  /* 0: none */
	enum guard_phase phase;
	bool cut;             /* shut down by the guard: closing, not counted */
};

enum reason { CUT_HEAD, CUT_REQUEST, REFUSED_ADDR, REFUSED_RESERVE, NREASONS };

/* How often a reason struck since the last report, and the last address. */
struct tally {
	unsigned n;
	char last[INET6_ADDRSTRLEN];
};

struct guard {
	struct guard_limits lim;
	unsigned reserve_from;  /* live connections from which the reserve rule applies */
	unsigned reserve_bar;   /* ... refusing an address that holds this many */
	unsigned period_ms;     /* between sweeps */
	pthread_mutex_t lock;   /* guards everything below */
	pthread_cond_t wake;
	struct slot *slots;
	unsigned live;          /* slots not cut */
	struct tally tally[NREASONS];
	bool stopping;
	pthread_t sweeper;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)a)->sin_addr, &((const struct sockaddr_in *)b)->sin_addr,
			       sizeof(struct in_addr));
	if (a->ss_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			       &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr));
	return false;
}

static void host_text(const struct sockaddr_storage *a, char out[INET6_ADDRSTRLEN])
{
	const void *bin = a->ss_family == AF_INET6 ? (const void *)&((const struct sockaddr_in6 *)a)->sin6_addr
						   : (const void *)&((const struct sockaddr_in *)a)->sin_addr;

	if (!inet_ntop(a->ss_family, bin, out, INET6_ADDRSTRLEN))
		strcpy(out, "?");
}

/* Close sl for reason why: libmicrohttpd sees end-of-file and closes it. */
static void cut(struct guard *g, struct slot *sl, enum reason why)
{
	shutdown(sl->fd, SHUT_RDWR);
	sl->cut = true;
	g->live--;
	g->tally[why].n++;
	host_text(&sl->addr, g->tally[why].last);
}

/* Insert a new connection; refuse it when its address holds too many. */
static void admit(struct guard *g, struct slot *sl)
{
	unsigned same = 0;

	for (struct slot *o = g->slots; o; o = o->next)
		same += !o->cut && same_host(&o->addr, &sl->addr);
	sl->next = g->slots;
	if (g->slots)
		g->slots->prev = sl;
	g->slots = sl;
	g->live++;
	if (!g->lim.per_addr)
		return;
	if (same >= g->lim.per_addr)
		cut(g, sl, REFUSED_ADDR);
	else if (g->live > g->reserve_from && same >= g->reserve_bar)
		cut(g, sl, REFUSED_RESERVE);
}

static void forget(struct guard *g, struct slot *sl)
{
	if (sl->prev)
		sl->prev->next = sl->next;
	else
		g->slots = sl->next;
	if (sl->next)
		sl->next->prev = sl->prev;
	if (!sl->cut)
		g->live--;
	free(sl);
}

void guard_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		  enum MHD_ConnectionNotificationCode code)
{
	struct guard *g = cls;
	struct slot *sl = *socket_context;
	const union MHD_ConnectionInfo *fd, *addr;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (!sl)
			return;
		pthread_mutex_lock(&g->lock);
		forget(g, sl);
		pthread_mutex_unlock(&g->lock);
		*socket_context = NULL;
		return;
	}
	fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	addr = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	sl = xcalloc(1, sizeof(*sl));
	sl->fd = fd->connect_fd;
	if (addr && addr->client_addr)
		memcpy(&sl->addr, addr->client_addr,
		       addr->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in));
	sl->since_ms = now_ms();
	sl->deadline_ms = sl->since_ms + g->lim.head_ms;
	pthread_mutex_lock(&g->lock);
	admit(g, sl);
	pthread_mutex_unlock(&g->lock);
	*socket_context = sl;
}

void guard_phase(struct guard *g, struct MHD_Connection *c, enum guard_phase p)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct slot *sl = ci ? ci->socket_context : NULL;

	if (!sl)
		return;
	pthread_mutex_lock(&g->lock);
	sl->phase = p;
	switch (p) {
	case GUARD_HEAD:
		sl->since_ms = now_ms();
		sl->deadline_ms = sl->since_ms + g->lim.head_ms;
		break;
	case GUARD_BODY:
		sl->deadline_ms = sl->since_ms + g->lim.request_ms;
		break;
	case GUARD_BUSY:
		sl->deadline_ms = 0;
		break;
	}
	pthread_mutex_unlock(&g->lock);
}

/* Cut every connection past its deadline. Under the lock. */
static void sweep(struct guard *g, int64_t now)
{
	for (struct slot *sl = g->slots; sl; sl = sl->next) {
		if (sl->cut || !sl->deadline_ms || now < sl->deadline_ms)
			continue;
		cut(g, sl, sl->phase == GUARD_HEAD ? CUT_HEAD : CUT_REQUEST);
	}
}

/* One log line per reason that struck since the last report. Takes the
 * lock's tallies, then logs without holding it. */
static void report(struct guard *g)
{
	struct tally t[NREASONS];
	unsigned live = g->live;

	memcpy(t, g->tally, sizeof(t));
	memset(g->tally, 0, sizeof(g->tally));
	pthread_mutex_unlock(&g->lock);
	if (t[CUT_HEAD].n)
		log_warn("closed %u connection(s): request head not complete within %u s (last from %s)",
			 t[CUT_HEAD].n, g->lim.head_ms / 1000, t[CUT_HEAD].last);
	if (t[CUT_REQUEST].n)
		log_warn("closed %u connection(s): request not complete within %u s (last from %s)",
			 t[CUT_REQUEST].n, g->lim.request_ms / 1000, t[CUT_REQUEST].last);
	if (t[REFUSED_ADDR].n)
		log_warn("refused %u connection(s): %u per address already open (last from %s)",
			 t[REFUSED_ADDR].n, g->lim.per_addr, t[REFUSED_ADDR].last);
	if (t[REFUSED_RESERVE].n)
		log_warn("refused %u connection(s): %u of %u in use, the rest kept for addresses holding"
			 " fewer than %u (last from %s)", t[REFUSED_RESERVE].n, live, g->lim.max_conns,
			 g->reserve_bar, t[REFUSED_RESERVE].last);
	pthread_mutex_lock(&g->lock);
}

static void *sweeper_main(void *arg)
{
	struct guard *g = arg;
	struct timespec until;

	pthread_mutex_lock(&g->lock);
	while (!g->stopping) {
		sweep(g, now_ms());
		report(g);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += (long)(g->period_ms % 1000) * 1000000L;
		until.tv_sec += g->period_ms / 1000 + until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		if (!g->stopping)
			pthread_cond_timedwait(&g->wake, &g->lock, &until);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct guard *guard_new(const struct guard_limits *l)
{
	struct guard *g = xcalloc(1, sizeof(*g));
	pthread_condattr_t ca;
	unsigned shortest = l->head_ms < l->request_ms ? l->head_ms : l->request_ms;

	g->lim = *l;
	g->reserve_from = l->max_conns - l->max_conns / 4;
	g->reserve_bar = l->per_addr / 8 ? l->per_addr / 8 : 1;
	/* A connection lives at most a quarter of its deadline past it. */
	g->period_ms = shortest / 4 < 50 ? 50 : shortest / 4 > 1000 ? 1000 : shortest / 4;
	pthread_mutex_init(&g->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&g->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&g->sweeper, NULL, sweeper_main, g) != 0) {
		log_error("cannot start the connection sweeper thread");
		pthread_cond_destroy(&g->wake);
		pthread_mutex_destroy(&g->lock);
		free(g);
		return NULL;
	}
	return g;
}

void guard_free(struct guard *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stopping = true;
	pthread_cond_signal(&g->wake);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->sweeper, NULL);
	while (g->slots)
		forget(g, g->slots);
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->lock);
	free(g);
}
