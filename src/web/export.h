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
/* The Excel and CSV links of list (its name, e.g. "problems") with query
 * (already URL-encoded, without '?'; NULL or "": none) into r->out,
 * or nothing when the reader may not export it. */
void export_links(struct req *r, const char *list, const char *query);
/* Whether r's reader may export l. */
bool export_visible(struct req *r, const struct export_list *l);

#endif
