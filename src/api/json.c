/* json.c - serialising answers; the text is produced by jansson. */
#include "api/api.h"

#include <stdlib.h>

void reply_json(struct req *r, int status, json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);

	json_decref(v);
	if (!s) { /* only when a string was not UTF-8: a bug upstream */
		reply_error(r, 500, "internal", "服务器内部错误", NULL);
		return;
	}
	buf_puts(&r->out, s);
	buf_putc(&r->out, '\n');
	free(s);
	reply(r, status, "application/json; charset=utf-8");
}
