/* export.h - the exports' handlers (web/export.c) and the 导出 links that
 * list pages show. */
#ifndef JB_WEB_EXPORT_H
#define JB_WEB_EXPORT_H

#include <stdbool.h>

#include "http/req.h"

struct export_list;

/* GET /api/v1/export/:list and /export/:list, :list being "NAME.csv" or
 * "NAME.xlsx" (domain/export.h lists); a ROUTE_SLOW route: the XLSX is
 * built on a worker, the CSV streamed from the connection's thread. */
void api_export(struct req *r);
/* GET /exports: every list the reader may export, in both formats. */
void page_exports(struct req *r);
/* The Excel and CSV links of list (its name, e.g. "problems") into
 * r->out, carrying the request's query (less page and per_page) when
 * keep_filters; nothing when the reader may not export it. */
void export_links(struct req *r, const char *list, bool keep_filters);
/* Whether r's reader may export l. */
bool export_visible(struct req *r, const struct export_list *l);

#endif
