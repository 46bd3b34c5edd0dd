/* import.c - POST /api/v1/import/:kind (web/import.h): a multipart body
 * with the file in "file"; ?dry_run=1 checks without importing. Answers
 * {kind, dry_run, rows, created, updated, unchanged, rejected_total,
 * rejected: [{line, column, reason, value}], format, encoding, sha256,
 * batch_id}: 200 when imported (or, dry, nothing rejected), 422 when rows
 * were rejected and nothing was imported. */
#include <string.h>

#include "domain/import.h"
#include "util/text.h"
#include "web/import.h"
#include "web/web.h"

static json_t *result_json(const struct import_in *in, const struct import_result *res)
{
	json_t *rej = json_array();

	for (int i = 0; i < res->nrejects; i++) {
		const struct import_reject *x = &res->rejects[i];
		json_array_append_new(rej, json_pack("{s:I, s:s, s:s, s:s}", "line", (json_int_t)x->line, "column", x->column,
						     "reason", x->reason, "value", x->value));
	}
	return json_pack("{s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:o, s:s, s:s, s:s, s:o}", "kind", import_kind_code(in->kind),
			 "dry_run", in->dry_run, "rows", (json_int_t)res->rows, "created", (json_int_t)res->created, "updated",
			 (json_int_t)res->updated, "unchanged", (json_int_t)res->unchanged, "rejected_total",
			 (json_int_t)res->rejected, "rejected", rej, "format", res->format, "encoding", res->encoding, "sha256",
			 res->sha256 ? res->sha256 : "", "batch_id", res->batch_id ? json_integer(res->batch_id) : json_null());
}

void api_import(struct req *r)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };
	const struct upload_file *u = NULL;
	const char *dry = req_query(r, "dry_run"), *batch = req_query(r, "batch_id");
	struct import_in in = { 0 };
	struct import_result res;
	struct ctx c;
	int k, rc;

	if (!perm_or_respond(r, "import.run", "import", 0, &t))
		return;
	if ((k = import_kind_parse(r->params[0])) < 0)
		return reply_error(r, 404, "not_found", "没有这种导入内容（units、people 或 problems）", NULL);
	in.kind = (enum import_kind)k;
	in.dry_run = dry && (!strcmp(dry, "1") || !strcmp(dry, "true"));
	if (dry && !in.dry_run && strcmp(dry, "0") && strcmp(dry, "false"))
		return reply_error(r, 400, "bad_param", "dry_run 只能是 1 或 0", "dry_run");
	if (batch && *batch && (in.kind != IMPORT_PROBLEMS || parse_int(batch, 1, INT64_MAX, &in.batch_id) < 0))
		return reply_error(r, 400, "bad_param", "batch_id 应为难题导入的批次编号", "batch_id");
	for (int i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].field, "file"))
			u = &r->files[i];
	if (!u)
		return reply_error(r, 400, "missing_file", "请以 multipart 字段 file 上传要导入的文件", "file");
	in.path = u->path;
	in.file_name = u->name;
	in.sha256 = u->sha256;
	web_ctx(r, &c);
	rc = import_run(&c, &in, &res);
	if (rc == JB_OK || (rc == JB_EINVALID && res.rejected))
		return reply_json(r, rc == JB_OK ? 200 : 422, result_json(&in, &res));
	outcome_error(r, &c, rc);
}
