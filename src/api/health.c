/* health.c - GET /healthz: whether the store answers, for load balancers
 * and monitoring (no tenant, no login). */
#include "web/web.h"

void api_healthz(struct req *r)
{
	if (db_ping(r->db) < 0) {
		reply_error(r, 503, "unavailable", "数据库无法访问", NULL);
		return;
	}
	buf_puts(&r->out, "{\"status\":\"ok\"}\n");
	reply(r, 200, "application/json; charset=utf-8");
}
