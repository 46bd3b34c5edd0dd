/* assets.c - serves the embedded web/ files with ETag and Cache-Control. */
#include "http/assets.h"

#include <microhttpd.h>
#include <stdio.h>
#include <string.h>

#include "embedded.h"

#define MAX_ASSETS 32

/* Written once by assets_init, before threads start. */
static char versions[MAX_ASSETS][17]; /* content hash, hex */
static char etags[MAX_ASSETS][24];    /* the same in quotes */

void assets_init(void)
{
	for (size_t i = 0; i < assets_count && i < MAX_ASSETS; i++) {
		uint64_t h = 1469598103934665603ull; /* FNV-1a */
		for (size_t k = 0; k < assets[i].len; k++)
			h = (h ^ assets[i].data[k]) * 1099511628211ull;
		snprintf(versions[i], sizeof(versions[i]), "%016llx", (unsigned long long)h);
		snprintf(etags[i], sizeof(etags[i]), "\"%016llx\"", (unsigned long long)h);
	}
}

static const char *mime(const char *name)
{
	const char *dot = strrchr(name, '.');
	static const struct { const char *ext, *type; } types[] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
		{ ".ico", "image/x-icon" },
		{ ".txt", "text/plain; charset=utf-8" },
	};
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static int find(const char *name)
{
	for (size_t i = 0; i < assets_count && i < MAX_ASSETS; i++)
		if (!strcmp(assets[i].name, name))
			return (int)i;
	return -1;
}

const char *assets_version(const char *name)
{
	int i = find(name);
	return i < 0 ? "" : versions[i];
}

void assets_serve(struct req *r, const char *name)
{
	int i = find(name);
	const char *inm;

	if (i < 0) {
		reply_error(r, 404, "not_found", "您访问的文件不存在", NULL);
		return;
	}
	req_header(r, "ETag", etags[i]);
	req_header(r, "Cache-Control", "public, max-age=31536000, immutable");
	inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-None-Match");
	if (inm && !strcmp(inm, etags[i])) {
		reply(r, 304, mime(name));
		return;
	}
	buf_add(&r->out, assets[i].data, assets[i].len);
	reply(r, 200, mime(name));
}
