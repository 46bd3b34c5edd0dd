/* import.c - the import pages (web/import.h): the form, the dry run with
 * its rejected rows, the confirmation that imports the file the dry run
 * kept, and the templates. */
#include "web/import.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "domain/batch.h"
#include "domain/import.h"
#include "util/text.h"
#include "util/log.h"
#include "web/fields.h"
#include "web/web.h"
#include "web/widgets.h"

static const struct label kind_choices[] = {
	{ "units", "单位" },
	{ "people", "人员" },
	{ "problems", "难题" },
	{ NULL, NULL },
};

/* What the page shows: the form (again), and a dry run's or an import's result. */
struct import_view {
	struct ctx *c;                 /* field errors, or NULL */
	const char *kind, *batch_id;   /* as sent */
	const struct import_result *res;  /* NULL: none yet */
	const char *file_name;
	bool confirmed;                /* res is an import, not a dry run */
};

static bool may_import(struct req *r)
{
	struct perm_target t = { r->tenant_id, 0, 0, false };

	return perm_or_respond(r, "import.run", "import", 0, &t);
}

/* ---- keeping the checked file for the confirmation ---- */

/* <upload dir>/imp-<sha256 of session token, kind, batch, file sha256>:
 * only this session can name it, for this kind and batch. */
static const char *kept_path(struct req *r, const char *kind, const char *batch, const char *sha)
{
	const char *dir = req_upload_dir(r);
	unsigned char md[crypto_hash_sha256_BYTES];
	char hex[65];
	crypto_hash_sha256_state h;

	if (!dir || !r->session_token)
		return NULL;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)r->session_token, strlen(r->session_token));
	crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&h, (const unsigned char *)kind, strlen(kind));
	crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&h, (const unsigned char *)batch, strlen(batch));
	crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&h, (const unsigned char *)sha, strlen(sha));
	crypto_hash_sha256_final(&h, md);
	sodium_bin2hex(hex, sizeof(hex), md, sizeof(md));
	return arena_printf(r->a, "%s/imp-%s", dir, hex);
}

/* Remove kept files older than IMPORT_KEEP_SECONDS. */
static void sweep_kept(struct req *r)
{
	const char *dir = req_upload_dir(r);
	struct dirent *e;
	struct stat st;
	time_t now = time(NULL);
	DIR *d;

	if (!dir || !(d = opendir(dir)))
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "imp-", 4))
			continue;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && now - st.st_mtime > IMPORT_KEEP_SECONDS)
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/* ---- the page ---- */

static void kind_hints(buf *b, struct req *r)
{
	HTML(b, "<section class=\"import-help\" aria-labelledby=\"h-tpl\"><h2 id=\"h-tpl\">文件格式</h2>\n"
		"<p>CSV（UTF-8 或 GBK 编码，Excel 另存为即可）或 Excel 的 .xlsx 文件，读取第一张工作表；第一行为表头，"
		"列的顺序不限，多余的列不读。全部行通过检查才会导入，否则一行也不导入。</p>\n<dl>\n");
	for (int k = 0; k < IMPORT_KIND_COUNT; k++) {
		HTML(b, "<dt>");
		buf_html(b, import_kind_label((enum import_kind)k));
		HTML(b, "：<code>");
		buf_html(b, import_template_header((enum import_kind)k));
		HTML(b, "</code> <a href=\"");
		html_path(b, r, arena_printf(r->a, "/admin/import/template/%s", import_kind_code((enum import_kind)k)));
		HTML(b, "\" download>下载模板</a></dt>\n<dd>");
		buf_html(b, import_kind_hint((enum import_kind)k));
		HTML(b, "</dd>\n");
	}
	HTML(b, "</dl>\n</section>\n");
}

static void batch_select(struct req *r, const struct import_view *v)
{
	struct batch *bs;
	struct label *choices;
	int n;

	if (batch_list(r->db, r->a, r->tenant_id, &bs, &n) < 0)
		n = 0;
	choices = arena_alloc(r->a, (size_t)(n + 1) * sizeof(*choices));
	for (int i = 0; i < n; i++)
		choices[i] = (struct label){ arena_printf(r->a, "%lld", (long long)bs[i].id), bs[i].name };
	field_select(r, v->c, "batch_id", "批次（仅导入难题时）", choices, v->batch_id, "正在征集的批次");
}

static void import_form(struct req *r, const struct import_view *v)
{
	buf *b = &r->out;

	form_errors(r, v->c);
	form_open_upload(r, "/admin/import");
	field_select(r, v->c, "kind", "导入内容", kind_choices, v->kind ? v->kind : "units", NULL);
	field_input(r, v->c, "file", "file", "文件（CSV 或 XLSX）", "",
		    " accept=\".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\" required");
	batch_select(r, v);
	HTML(b, "<p><button type=\"submit\">检查文件</button> <span class=\"hint\">先检查，不会写入；检查通过后再确认导入。</span></p>\n"
		"</form>\n");
}

static void rejects_table(buf *b, const struct import_result *res)
{
	static const struct table_col cols[] = {
		{ "行号", 0 }, { "列", 0 }, { "原因", COL_TITLE }, { "内容", COL_WIDE }, { NULL, 0 },
	};
	struct table t = { .cols = cols, .caption = "未通过检查的行" };

	table_open(b, &t);
	for (int i = 0; i < res->nrejects; i++) {
		const struct import_reject *x = &res->rejects[i];
		table_row(b, &t);
		table_cell(b, &t);
		if (x->line)
			buf_printf(b, "第 %lld 行", (long long)x->line);
		else
			HTML(b, "整个文件");
		table_cell(b, &t);
		buf_html(b, *x->column ? x->column : "—");
		table_cell(b, &t);
		buf_html(b, x->reason);
		table_cell(b, &t);
		buf_html(b, *x->value ? x->value : "—");
	}
	table_close(b, &t);
	if (res->rejected > res->nrejects)
		buf_printf(b, "<p>另有 %lld 行未通过检查，未列出。</p>\n", (long long)(res->rejected - res->nrejects));
}

static void samples_table(buf *b, const struct import_result *res, const char *caption)
{
	static const struct table_col cols[] = {
		{ "行号", 0 }, { "名称", COL_TITLE }, { "内容", COL_WIDE }, { "方式", 0 }, { NULL, 0 },
	};
	struct table t = { .cols = cols, .caption = caption };

	if (!res->nsamples)
		return;
	table_open(b, &t);
	for (int i = 0; i < res->nsamples; i++) {
		const struct import_sample *s = &res->samples[i];
		table_row(b, &t);
		table_cell(b, &t);
		buf_printf(b, "%lld", (long long)s->line);
		table_cell(b, &t);
		buf_html(b, s->name);
		table_cell(b, &t);
		buf_html(b, s->detail);
		table_cell(b, &t);
		buf_html(b, s->updated ? "更新" : "新增");
	}
	table_close(b, &t);
}

static void result_section(struct req *r, const struct import_view *v, const char *sha)
{
	const struct import_result *res = v->res;
	buf *b = &r->out;
	enum import_kind k = (enum import_kind)import_kind_parse(v->kind);

	HTML(b, "<section class=\"import-result\" aria-labelledby=\"h-res\"><h2 id=\"h-res\">");
	buf_puts(b, v->confirmed ? "导入结果" : "检查结果");
	HTML(b, "</h2>\n<p>");
	buf_html(b, *v->file_name ? v->file_name : "上传的文件");
	buf_printf(b, "（%s%s", !strcmp(res->format, "xlsx") ? "XLSX" : "CSV", *res->encoding && strcmp(res->format, "xlsx") ? "，" : "");
	if (strcmp(res->format, "xlsx"))
		buf_html(b, res->encoding);
	buf_printf(b, "）：%s，共 %lld 行数据。", import_kind_label(k), (long long)res->rows);
	if (res->batch)
		buf_html(b, arena_printf(r->a, "导入批次：%s。", res->batch));
	HTML(b, "</p>\n");
	if (res->rejected) {
		buf_printf(b, "<p class=\"form-errors\" role=\"alert\">有 %lld 行未通过检查，没有导入任何数据。请按下表修改文件后重新检查。</p>\n",
			   (long long)res->rejected);
		rejects_table(b, res);
	} else if (v->confirmed) {
		buf_printf(b, "<p class=\"notice-ok\" role=\"status\">已导入：新增 %lld，更新 %lld，未变 %lld。</p>\n",
			   (long long)res->created, (long long)res->updated, (long long)res->unchanged);
		samples_table(b, res, "导入的行（前 50 行）");
	} else {
		buf_printf(b, "<p role=\"status\">全部通过检查：将新增 %lld，更新 %lld，未变 %lld。确认后才会写入。</p>\n",
			   (long long)res->created, (long long)res->updated, (long long)res->unchanged);
		samples_table(b, res, "将导入的行（前 50 行）");
		form_open(r, "/admin/import/confirm");
		HTML(b, "<input type=\"hidden\" name=\"kind\" value=\"");
		buf_html(b, v->kind);
		HTML(b, "\"><input type=\"hidden\" name=\"sha256\" value=\"");
		buf_html(b, sha);
		HTML(b, "\"><input type=\"hidden\" name=\"batch_id\" value=\"");
		buf_html(b, v->batch_id ? v->batch_id : "");
		HTML(b, "\"><input type=\"hidden\" name=\"name\" value=\"");
		buf_html(b, v->file_name);
		HTML(b, "\"><button type=\"submit\">确认导入</button></form>\n");
	}
	HTML(b, "</section>\n");
}

static void import_page(struct req *r, const void *outcome, int status)
{
	const struct import_view *v = outcome;

	r->out.len = 0;
	page_begin(r, "数据导入", NAV_IMPORT);
	HTML(&r->out, "<h1>数据导入</h1>\n");
	if (v->res)
		result_section(r, v, v->res->sha256 ? v->res->sha256 : "");
	if (!v->confirmed || v->res->rejected) {
		if (v->res)
			HTML(&r->out, "<h2>重新选择文件</h2>\n");
		import_form(r, v);
	} else {
		HTML(&r->out, "<p><a href=\"");
		html_path(&r->out, r, "/admin/import");
		HTML(&r->out, "\">继续导入</a></p>\n");
	}
	kind_hints(&r->out, r);
	page_finish(r, status);
}

void page_import(struct req *r)
{
	struct import_view v = { .kind = req_query(r, "kind") };

	if (!may_import(r))
		return;
	if (import_kind_parse(v.kind) < 0)
		v.kind = "units";
	import_page(r, &v, 200);
}

/* The kind and batch of the form: JB_OK or field errors in c. */
static int read_form(struct req *r, struct ctx *c, struct import_view *v, struct import_in *in)
{
	int64_t batch = 0;

	v->kind = req_form(r, "kind");
	v->batch_id = req_form(r, "batch_id");
	if (import_kind_parse(v->kind) < 0) {
		v->kind = "units";
		return ctx_invalid(c, "kind", "bad_kind", "请选择导入内容：单位、人员或难题");
	}
	in->kind = (enum import_kind)import_kind_parse(v->kind);
	if (v->batch_id && *v->batch_id && parse_int(v->batch_id, 1, INT64_MAX, &batch) < 0)
		return ctx_invalid(c, "batch_id", "bad_batch", "没有这个批次");
	if (in->kind != IMPORT_PROBLEMS)
		batch = 0;
	in->batch_id = batch;
	v->batch_id = batch ? arena_printf(r->a, "%lld", (long long)batch) : "";
	return JB_OK;
}

void act_import_check(struct req *r)
{
	struct import_view v = { 0 };
	struct import_in in = { .dry_run = true };
	struct import_result res;
	const struct upload_file *u = NULL;
	const char *kept;
	struct ctx c;
	int rc;

	if (!may_import(r))
		return;
	web_ctx(r, &c);
	v.c = &c;
	v.file_name = "";
	for (int i = 0; i < r->nfiles; i++)
		if (!strcmp(r->files[i].field, "file"))
			u = &r->files[i];
	if ((rc = read_form(r, &c, &v, &in)) != JB_OK)
		return import_page(r, &v, 400);
	if (!u) {
		ctx_invalid(&c, "file", "missing_file", "请选择要导入的文件");
		return import_page(r, &v, 400);
	}
	v.file_name = u->name;
	in.path = u->path;
	in.file_name = u->name;
	in.sha256 = u->sha256;
	rc = import_run(&c, &in, &res);
	if (rc != JB_OK && rc != JB_EINVALID)
		return outcome_error(r, &c, rc);
	if (rc == JB_EINVALID && !res.rejected)
		return import_page(r, &v, 400);  /* the batch: beside its field */
	v.res = &res;
	if (rc == JB_OK) {
		sweep_kept(r);
		kept = kept_path(r, v.kind, v.batch_id, u->sha256);
		if (!kept || (link(u->path, kept) < 0 && errno != EEXIST)) {
			log_error("import: cannot keep the checked file (%s)", strerror(errno));
			return web_store_error(r);
		}
		utimensat(AT_FDCWD, kept, NULL, 0);  /* a fresh hour */
	}
	import_page(r, &v, rc == JB_OK ? 200 : 400);  /* a form shown again with its errors */
}

static bool hex64(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return false;
	return true;
}

void act_import_confirm(struct req *r)
{
	struct import_view v = { .confirmed = true };
	struct import_in in = { 0 };
	struct import_result res;
	const char *sha = req_form(r, "sha256"), *kept;
	struct stat st;
	struct ctx c;
	int rc;

	if (!may_import(r))
		return;
	web_ctx(r, &c);
	v.c = &c;
	v.file_name = req_form(r, "name") ? req_form(r, "name") : "";
	if ((rc = read_form(r, &c, &v, &in)) != JB_OK) {
		v.confirmed = false;
		return import_page(r, &v, 400);
	}
	kept = hex64(sha) ? kept_path(r, v.kind, v.batch_id, sha) : NULL;
	if (!kept || stat(kept, &st) < 0 || time(NULL) - st.st_mtime > IMPORT_KEEP_SECONDS) {
		v.confirmed = false;
		ctx_invalid(&c, "file", "expired", "检查过的文件已过期或不存在，请重新选择文件并检查");
		return import_page(r, &v, 409);
	}
	in.path = kept;
	in.file_name = v.file_name;
	in.sha256 = sha;
	rc = import_run(&c, &in, &res);
	if (rc != JB_OK && rc != JB_EINVALID)
		return outcome_error(r, &c, rc);
	if (rc == JB_EINVALID && !res.rejected) {
		v.confirmed = false;
		return import_page(r, &v, 400);
	}
	if (rc == JB_OK)
		unlink(kept);
	v.res = &res;
	import_page(r, &v, rc == JB_OK ? 200 : 400);  /* a form shown again with its errors */
}

void page_import_template(struct req *r)
{
	int k = import_kind_parse(r->params[0]);

	if (!may_import(r))
		return;
	if (k < 0)
		return reply_error(r, 404, "not_found", "没有这种导入内容", NULL);
	buf_puts(&r->out, "\xEF\xBB\xBF");  /* so that Excel reads it as UTF-8 */
	buf_puts(&r->out, import_template_header((enum import_kind)k));
	buf_puts(&r->out, "\r\n");
	req_header(r, "Content-Disposition",
		   arena_printf(r->a, "attachment; filename=\"import-%s.csv\"", import_kind_code((enum import_kind)k)));
	reply(r, 200, "text/csv; charset=utf-8");
}
