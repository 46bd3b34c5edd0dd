/* health.c - for load balancers and monitoring (no tenant, no login):
 * GET /healthz (the store answers), GET /readyz (and its schema is the
 * one this binary expects: an upgrade's migration has run), GET /metrics
 * (Prometheus text, from the addresses of metrics_allow or with the
 * bearer metrics_token). */
#include "web/web.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/config.h"
#include "domain/session.h"

/* A probe's 503, JSON whatever the client accepts (probes are no pages). */
static void probe_failed(struct req *r, const char *code, const char *message)
{
	json_t *o = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", message);
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;

	buf_printf(&r->out, "%s\n", text ? text : "{}");
	free(text);
	json_decref(o);
	req_header(r, "Retry-After", "5");
	reply(r, 503, "application/json; charset=utf-8");
}

void api_healthz(struct req *r)
{
	if (db_ping(r->db) < 0) {
		probe_failed(r, "unavailable", "数据库无法访问");
		return;
	}
	buf_puts(&r->out, "{\"status\":\"ok\"}\n");
	reply(r, 200, "application/json; charset=utf-8");
}

void api_readyz(struct req *r)
{
	int have, want = db_latest_version();

	if (db_ping(r->db) < 0) {
		probe_failed(r, "unavailable", "数据库无法访问");
		return;
	}
	if ((have = db_schema_version(r->db)) != want) {
		probe_failed(r, "schema", arena_printf(r->a, "数据库结构版本为 %d，本程序需要 %d（请运行 jiebang migrate）",
						       have, want));
		return;
	}
	buf_printf(&r->out, "{\"status\":\"ready\",\"schema\":%d}\n", have);
	reply(r, 200, "application/json; charset=utf-8");
}

/* Whether addr is one of list's entries: addresses and a.b.c.d/n or
 * x:y::/n prefixes, separated by commas and blanks. */
static bool addr_listed(const char *addr, const char *list)
{
	unsigned char a[16], p[16];
	int fam = strchr(addr, ':') ? AF_INET6 : AF_INET, len = fam == AF_INET ? 4 : 16;
	char item[64];

	if (inet_pton(fam, addr, a) != 1)
		return false;
	for (const char *s = list; *s;) {
		size_t n = strcspn(s, ", \t");
		if (n && n < sizeof(item)) {
			char *slash;
			int bits = len * 8;
			memcpy(item, s, n);
			item[n] = '\0';
			if ((slash = strchr(item, '/'))) {
				*slash = '\0';
				bits = atoi(slash + 1);
			}
			if (bits >= 0 && bits <= len * 8 && (strchr(item, ':') ? AF_INET6 : AF_INET) == fam &&
			    inet_pton(fam, item, p) == 1) {
				int whole = bits / 8, rest = bits % 8;
				if (!memcmp(a, p, (size_t)whole) &&
				    (!rest || ((a[whole] ^ p[whole]) & (0xff << (8 - rest)) & 0xff) == 0))
					return true;
			}
		}
		s += n;
		s += strspn(s, ", \t");
	}
	return false;
}

static bool metrics_allowed(struct req *r)
{
	char token[512], allow[4096];
	const char *auth = req_header_in(r, "Authorization");

	config_copy(CF_METRICS_TOKEN, token, sizeof(token));
	if (*token && auth && !strncmp(auth, "Bearer ", 7) && strlen(auth + 7) == strlen(token) &&
	    sodium_memcmp(auth + 7, token, strlen(token)) == 0)
		return true;
	/* through a proxy the server does not trust, every client has the
	 * proxy's (often a loopback) address: none of them is listed */
	if (!req_trust_proxy(r) && (req_header_in(r, "X-Forwarded-For") || req_header_in(r, "Forwarded")))
		return false;
	return addr_listed(req_client_addr(r), config_copy(CF_METRICS_ALLOW, allow, sizeof(allow)));
}

void api_metrics(struct req *r)
{
	int64_t sessions = 0, now = (int64_t)time(NULL);

	if (!metrics_allowed(r)) {
		reply_error(r, 403, "forbidden", "无权读取运行指标", NULL);
		return;
	}
	req_metrics(r);
	if (session_count_live(r->db, now, &sessions) < 0) {
		web_store_error(r);
		return;
	}
	buf_printf(&r->out, "# HELP jiebang_sessions Signed-in sessions not yet expired.\n"
			    "# TYPE jiebang_sessions gauge\njiebang_sessions %lld\n"
			    "# HELP jiebang_schema_version The store's schema version.\n"
			    "# TYPE jiebang_schema_version gauge\njiebang_schema_version %d\n",
		   (long long)sessions, db_schema_version(r->db));
	reply(r, 200, "text/plain; version=0.0.4; charset=utf-8");
}
