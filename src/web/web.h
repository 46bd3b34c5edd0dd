/* web.h - page rendering shared by the page handlers: layout, error pages,
 * formatting of dates, money and figures. Untrusted text reaches HTML only
 * through buf_html() and the helpers here, which escape. */
#ifndef JB_WEB_H
#define JB_WEB_H

#include <stdint.h>

#include "domain/problem.h"
#include "http/req.h"

enum nav { NAV_NONE, NAV_BOARD, NAV_STATS };

/* Open the page: doctype, head, header with navigation, <main>. */
void page_begin(struct req *r, const char *title, enum nav active);
/* Close <main>, footer, document; send with status 200. */
void page_end(struct req *r);
void page_finish(struct req *r, int status);

/* The error answer for every failure (server_config.render_error). */
void web_render_error(struct req *r, int status, const char *code, const char *message,
		      const char *field);
/* Log a store failure with the request id and answer 500 (or 503 when the
 * store is unreachable). */
void web_store_error(struct req *r);

/* 2022-08-15 in the tenant's time zone (Asia/Shanghai, UTC+8). */
void fmt_date(buf *b, int64_t epoch);
/* A metric value: money in fen as "¥5,000,000" / "1.64亿元"; counts grouped. */
void fmt_metric(buf *b, const char *kind, const char *uom, int64_t v);
/* class="state state-claimed" badge with the Chinese label. */
void html_state_badge(buf *b, const char *state);

/* Route handlers. */
void page_board(struct req *r);
void page_problem(struct req *r);
void page_stats(struct req *r);
void api_problems(struct req *r);
void api_problem(struct req *r);
void api_stats(struct req *r);
void api_healthz(struct req *r);

/* Read the board filter from the query string; on bad input answer 400 and
 * return -1. Shared by the page and the API so both accept the same. */
int board_filter_or_respond(struct req *r, struct problem_filter *f);
/* Parse a positive id route parameter; on bad input answer 400, -1. */
int id_param_or_respond(struct req *r, int idx, int64_t *id);
/* Resolve the request's tenant into r; on failure answer and return -1. */
int tenant_or_respond(struct req *r);

#endif
