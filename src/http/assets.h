/* assets.h - static files of web/, embedded in the binary at build time. */
#ifndef JB_ASSETS_H
#define JB_ASSETS_H

#include "http/req.h"

/* Compute ETags once, before serving. */
void assets_init(void);
/* Answer GET /static/<name>: 200 with ETag and a year of caching, 304 when
 * If-None-Match matches, 404 when there is no such file. */
void assets_serve(struct req *r, const char *name);
/* The ETag of an asset, for cache-busting links ("?v=..."); "" if none. */
const char *assets_version(const char *name);

#endif
