/* import.c - reading an import file's rows against its kind's columns,
 * the rejections, and the one transaction (import.h). The kinds' own rows
 * are in import_rows.c. */
#include "domain/import.h"

#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "domain/import_int.h"
#include "util/table.h"
#include "util/text.h"

static const struct import_column unit_columns[] = {
	{ "单位名称", { "单位", "名称", "单位全称" }, true, false, 1, 100 },
	{ "上级单位", { "上级", "上级单位名称", "主管单位" }, false, false, 0, 100 },
	{ "单位类型", { "类型", "单位类别", "类别" }, true, false, 1, 20 },
	{ NULL, { NULL }, false, false, 0, 0 },
};

static const struct import_column person_columns[] = {
	{ "姓名", { "名字", "人员姓名" }, true, false, 1, 50 },
	{ "所在单位", { "单位", "单位名称", "工作单位" }, true, false, 1, 100 },
	{ "职级", { "级别", "干部职级" }, true, false, 1, 20 },
	{ "职务", { "职务(岗位)", "岗位", "职位", "现任职务" }, false, false, 0, 100 },
	{ NULL, { NULL }, false, false, 0, 0 },
};

/* The limits are the proposal form's (proposal.h). */
static const struct import_column problem_columns[] = {
	{ "难题名称", { "难题", "题目", "问题名称", "问题", "名称", "标题" }, true, false, 4, PROPOSAL_TITLE_MAX },
	{ "类别", { "难题类别", "问题类别", "类型" }, true, false, 1, 30 },
	{ "出卷单位", { "单位", "提出单位", "单位名称" }, true, false, 1, 100 },
	{ "难题描述", { "描述", "问题描述", "具体描述", "内容", "难题内容" }, true, true, 10, PROPOSAL_TEXT_MAX },
	{ "预期成效", { "预期目标", "预期效果", "期望效果" }, false, true, 0, PROPOSAL_TEXT_MAX },
	{ NULL, { NULL }, false, false, 0, 0 },
};

static const struct {
	const char *code, *label;
	const struct import_column *cols;
	const char *header, *hint;
} kinds[IMPORT_KIND_COUNT] = {
	{ "units", "单位", unit_columns, "单位名称,上级单位,单位类型",
	  "单位类型填 县直单位、镇街、村社、企业 或 其他单位（也可写 县直、镇、街道、村、社区 等）；上级单位可空，可以是文件中前后任一行的单位或系统中已有的单位。" },
	{ "people", "人员", person_columns, "姓名,所在单位,职级,职务",
	  "所在单位须是系统中已有的单位；职级填 县级干部、科级干部、股级以下干部、村社党组织书记 或 其他人员（也可写 科级、股级 等）；同一单位的同名人员视为同一人，导入时更新其职级和职务。" },
	{ "problems", "难题", problem_columns, "难题名称,类别,出卷单位,难题描述,预期成效",
	  "类别须是系统中已有的难题类别；出卷单位须是系统中已有的单位；难题名称 4 至 60 字，难题描述 10 至 2000 字；导入后为待遴选的出卷。" },
};

int import_kind_parse(const char *code)
{
	for (int i = 0; code && i < IMPORT_KIND_COUNT; i++)
		if (!strcmp(code, kinds[i].code))
			return i;
	return -1;
}

const char *import_kind_code(enum import_kind k) { return kinds[k].code; }
const char *import_kind_label(enum import_kind k) { return kinds[k].label; }
const char *import_template_header(enum import_kind k) { return kinds[k].header; }
const char *import_kind_hint(enum import_kind k) { return kinds[k].hint; }

/* ---- text ---- */

/* Length of a blank (ASCII space or tab, U+3000, U+00A0) at s, or 0. */
static size_t blank_at(const char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || s[0] == '\t'))
		return 1;
	if (n >= 3 && !memcmp(s, "\xE3\x80\x80", 3))
		return 3;
	if (n >= 2 && !memcmp(s, "\xC2\xA0", 2))
		return 2;
	return 0;
}

void import_trim(const char *s, const char **out, size_t *len)
{
	size_t n = strlen(s), b;

	while (n && (b = blank_at(s, n)) != 0) {
		s += b;
		n -= b;
	}
	for (;;) {
		if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
			n--;
		else if (n >= 3 && !memcmp(s + n - 3, "\xE3\x80\x80", 3))
			n -= 3;
		else if (n >= 2 && !memcmp(s + n - 2, "\xC2\xA0", 2))
			n -= 2;
		else
			break;
	}
	*out = s;
	*len = n;
}

void import_fold(buf *b, const char *s)
{
	size_t n = strlen(s), k;

	buf_reset(b);
	while (n) {
		if ((k = blank_at(s, n)) != 0 || *s == '*' || *s == '\r' || *s == '\n') {
			k = k ? k : 1;
		} else if (n >= 3 && !memcmp(s, "\xEF\xBC\x8A", 3)) { /* ＊ */
			k = 3;
		} else if (n >= 3 && !memcmp(s, "\xEF\xBC\x88", 3)) { /* （ */
			buf_putc(b, '(');
			k = 3;
		} else if (n >= 3 && !memcmp(s, "\xEF\xBC\x89", 3)) { /* ） */
			buf_putc(b, ')');
			k = 3;
		} else if (n >= 3 && !memcmp(s, "\xEF\xBC\x9A", 3)) { /* ： */
			k = 3;
		} else {
			buf_putc(b, *s);
			k = 1;
		}
		s += k;
		n -= k;
	}
}

/* ---- rejections ---- */

void import_reject(struct import_state *st, int64_t line, const char *column, const char *reason, const char *value,
		   size_t vlen)
{
	struct import_result *out = st->out;
	struct import_reject *r;
	char ex[256];

	out->rejected++;
	st->writing = false;
	if (out->nrejects >= IMPORT_REJECTS_MAX)
		return;
	r = ARENA_PUSH(st->c->a, out->rejects, out->nrejects, st->rejects_cap);
	r->line = line;
	r->column = column ? column : "";
	r->reason = arena_strdup(st->c->a, reason);
	if (value && vlen) {
		table_excerpt(value, vlen, ex, sizeof(ex));
		r->value = arena_strdup(st->c->a, ex);
	} else {
		r->value = "";
	}
}

void import_sample(struct import_state *st, int64_t line, const char *name, const char *detail, bool updated)
{
	struct import_result *out = st->out;
	struct import_sample *s;

	if (out->nsamples >= IMPORT_SAMPLES_MAX)
		return;
	s = ARENA_PUSH(st->c->a, out->samples, out->nsamples, st->samples_cap);
	*s = (struct import_sample){ line, arena_strdup(st->c->a, name), arena_strdup(st->c->a, detail), updated };
}

/* ---- the header ---- */

static bool column_matches(const struct import_column *col, const char *folded)
{
	if (!strcmp(col->name, folded))
		return true;
	for (int i = 0; i < IMPORT_SYNONYMS && col->syn[i]; i++)
		if (!strcmp(col->syn[i], folded))
			return true;
	return false;
}

/* Try row as the header: 1 it is (st->colidx set), 0 it is not, -1 it
 * is but cannot be used (rejected). */
static int try_header(struct import_state *st, const struct table_row *row)
{
	int idx[IMPORT_COLUMNS_MAX], matched = 0;
	buf f = BUF_INIT, missing = BUF_INIT;
	int rc = 1;

	for (int k = 0; k < st->ncols; k++)
		idx[k] = -1;
	for (int i = 0; i < row->ncells; i++) {
		import_fold(&f, row->cells[i]);
		for (int k = 0; k < st->ncols; k++) {
			if (!column_matches(&st->cols[k], f.s))
				continue;
			if (idx[k] >= 0 && rc == 1) {
				import_reject(st, row->line, st->cols[k].name,
					      arena_printf(st->c->a, "表头中「%s」有两列（第 %d 列和第 %d 列），请只保留一列",
							   st->cols[k].name, idx[k] + 1, i + 1), NULL, 0);
				rc = -1;
			}
			if (idx[k] < 0) {
				idx[k] = i;
				matched++;
			}
			break;
		}
	}
	buf_release(&f);
	if (!matched)
		return 0;
	for (int k = 0; k < st->ncols; k++)
		if (idx[k] < 0 && st->cols[k].required)
			buf_printf(&missing, "%s%s", missing.len ? "、" : "", st->cols[k].name);
	if (missing.len) {
		import_reject(st, row->line, "",
			      arena_printf(st->c->a, "缺少必需的列：%s（表头应为：%s）", missing.s, kinds[st->in->kind].header),
			      NULL, 0);
		rc = -1;
	}
	buf_release(&missing);
	memcpy(st->colidx, idx, sizeof(idx));
	st->header_cells = row->ncells;
	st->header = arena_alloc(st->c->a, (size_t)(row->ncells ? row->ncells : 1) * sizeof(*st->header));
	for (int i = 0; i < row->ncells; i++) {
		const char *s;
		size_t n;
		import_trim(row->cells[i], &s, &n);
		st->header[i] = arena_strndup(st->c->a, s, n);
	}
	return rc;
}

/* ---- one row ---- */

/* The row's values, trimmed and checked against their columns: true when
 * every one passes (else each failure is rejected). */
static bool row_values(struct import_state *st, const struct table_row *row)
{
	bool ok = true;

	for (int k = 0; k < st->ncols; k++) {
		const struct import_column *col = &st->cols[k];
		const char *s = "";
		size_t n = 0, chars;
		int i = st->colidx[k];

		if (i >= 0 && i < row->ncells)
			import_trim(row->cells[i], &s, &n);
		buf_reset(&st->val[k]);
		buf_add(&st->val[k], s, n);
		if (i < 0)
			continue;
		if (!n) {
			if (col->required) {
				import_reject(st, row->line, col->name, "不能为空", NULL, 0);
				ok = false;
			}
			continue;
		}
		if (!col->multiline && (memchr(s, '\n', n) || memchr(s, '\r', n) || memchr(s, '\t', n))) {
			import_reject(st, row->line, col->name, "不能含有换行或制表符", s, n);
			ok = false;
			continue;
		}
		chars = utf8_len(st->val[k].s);
		if (chars > (size_t)col->max) {
			import_reject(st, row->line, col->name,
				      arena_printf(st->c->a, "超过 %d 字（此处 %zu 字）", col->max, chars), s, n);
			ok = false;
		} else if ((int)chars < col->min) {
			import_reject(st, row->line, col->name,
				      arena_printf(st->c->a, "至少 %d 字（此处 %zu 字）", col->min, chars), s, n);
			ok = false;
		}
	}
	return ok;
}

static int on_row(void *ud, const struct table_row *row)
{
	struct import_state *st = ud;
	int rc;

	if (st->failed)
		return 1;
	if (!st->have_header) {
		if (row->bad) {
			import_reject(st, row->line, "", row->bad, row->bad_value, row->bad_value ? strlen(row->bad_value) : 0);
			return 0;
		}
		if ((rc = try_header(st, row)) < 0)
			return 1;
		if (rc == 0) {
			if (++st->before_header >= 10) {
				import_reject(st, row->line, "",
					      arena_printf(st->c->a, "前 10 行中没有找到表头（应为：%s）", kinds[st->in->kind].header),
					      NULL, 0);
				return 1;
			}
			return 0;
		}
		st->have_header = true;
		return 0;
	}
	st->out->rows++;
	if (row->bad) {
		const char *col = row->bad_cell >= 0 && row->bad_cell < st->header_cells ? st->header[row->bad_cell] : "";
		import_reject(st, row->line, col, row->bad, row->bad_value, row->bad_value ? strlen(row->bad_value) : 0);
		return 0;
	}
	if (st->csv && row->ncells != st->header_cells) {
		import_reject(st, row->line, "",
			      arena_printf(st->c->a, "列数不对（表头 %d 列，此行 %d 列）", st->header_cells, row->ncells),
			      NULL, 0);
		return 0;
	}
	if (!row_values(st, row))
		return 0;
	if (import_row(st, row->line) < 0) {
		st->failed = true;
		return 1;
	}
	return 0;
}

/* ---- the verb ---- */

static int file_sha256(const char *path, char hex[65])
{
	unsigned char md[crypto_hash_sha256_BYTES], chunk[65536];
	crypto_hash_sha256_state h;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	crypto_hash_sha256_init(&h);
	while ((got = read(fd, chunk, sizeof(chunk))) > 0)
		crypto_hash_sha256_update(&h, chunk, (unsigned long long)got);
	close(fd);
	if (got < 0)
		return -1;
	crypto_hash_sha256_final(&h, md);
	sodium_bin2hex(hex, 65, md, sizeof(md));
	return 0;
}

static int audit_import(struct import_state *st)
{
	const struct import_result *out = st->out;
	json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I}", "file", st->in->file_name ? st->in->file_name : "",
				  "sha256", out->sha256, "format", out->format, "encoding", out->encoding, "rows",
				  (json_int_t)out->rows, "created", (json_int_t)out->created, "updated",
				  (json_int_t)out->updated, "unchanged", (json_int_t)out->unchanged);

	if (st->in->kind == IMPORT_PROBLEMS)
		json_object_set_new(after, "batch_id", json_integer(out->batch_id));
	return ctx_audit(st->c, arena_printf(st->c->a, "import.%s", kinds[st->in->kind].code), "import", 0, NULL, after);
}

/* Private result of a dry run that passed: roll back, report JB_OK. */
#define IMPORT_DRY_OK 1000

static int import_verb(struct ctx *c, void *args)
{
	struct import_state *st = args;
	struct perm_target t = { c->who->tenant_id, 0, 0, false };
	struct table_info info;
	char why[512];
	int64_t why_line;
	int rc;

	if (!perm_check(c->who, "import.run", &t))
		return ctx_deny(c, "import.run", "import", 0);
	if ((rc = import_prepare(st)) != JB_OK)
		return rc;
	rc = table_read(st->in->path, on_row, st, &info, why, sizeof(why), &why_line);
	st->out->format = info.format == TABLE_XLSX ? "xlsx" : "csv";
	st->out->encoding = info.encoding;
	if (st->failed)
		return -1;
	if (rc < 0)
		import_reject(st, why_line, "", why, NULL, 0);
	else if (!st->have_header && !st->out->rejected)
		import_reject(st, 1, "", arena_printf(c->a, "文件中没有表头和数据（表头应为：%s）", kinds[st->in->kind].header),
			      NULL, 0);
	if ((rc = import_finish(st)) < 0)
		return -1;
	if (st->out->rejected)
		return JB_EINVALID;
	if (st->in->dry_run)
		return IMPORT_DRY_OK;
	return audit_import(st) < 0 ? -1 : JB_OK;
}

int import_run(struct ctx *c, const struct import_in *in, struct import_result *out)
{
	struct import_state st = { .c = c, .in = in, .out = out, .cols = kinds[in->kind].cols, .writing = true };
	char hex[65];
	int rc;

	memset(out, 0, sizeof(*out));
	out->dry_run = in->dry_run;
	out->format = out->encoding = "";
	if (in->sha256) {
		out->sha256 = in->sha256;
	} else if (file_sha256(in->path, hex) == 0) {
		out->sha256 = arena_strdup(c->a, hex);
	} else {
		return ctx_invalid(c, "file", "unreadable", "无法读取文件");
	}
	while (st.cols[st.ncols].name)
		st.ncols++;
	for (int k = 0; k < IMPORT_COLUMNS_MAX; k++)
		st.val[k] = (buf)BUF_INIT;
	st.csv = true;
	{
		/* The CSV column count rule applies to CSV only. */
		int fd = open(in->path, O_RDONLY | O_CLOEXEC);
		char head[4] = { 0 };
		if (fd >= 0) {
			if (read(fd, head, 4) == 4 && !memcmp(head, "PK\3\4", 4))
				st.csv = false;
			close(fd);
		}
	}
	rc = action_run(c, import_verb, &st);
	import_release(&st);
	for (int k = 0; k < IMPORT_COLUMNS_MAX; k++)
		buf_release(&st.val[k]);
	if (rc != JB_OK && rc != IMPORT_DRY_OK)
		out->created = out->updated = out->unchanged = 0;  /* nothing was written */
	for (int i = 1; i < out->nrejects; i++)
		if (out->rejects[i].line < out->rejects[i - 1].line) {
			/* by line (a cycle of units is found at the end), stable */
			struct import_reject *tmp = arena_alloc(c->a, (size_t)out->nrejects * sizeof(*tmp));
			memcpy(tmp, out->rejects, (size_t)out->nrejects * sizeof(*tmp));
			for (int a = 1; a < out->nrejects; a++) {  /* insertion sort: stable, lists are short */
				struct import_reject v = tmp[a];
				int b = a - 1;
				while (b >= 0 && tmp[b].line > v.line) {
					tmp[b + 1] = tmp[b];
					b--;
				}
				tmp[b + 1] = v;
			}
			out->rejects = tmp;
			break;
		}
	if (rc == JB_EINVALID && !out->rejected && !c->nerrs)
		rc = ctx_invalid(c, NULL, "rejected", "导入未成功");
	if (rc == JB_EINVALID && out->rejected && !c->nerrs)
		ctx_invalid(c, "file", "rejected_rows",
			    arena_printf(c->a, "有 %lld 行未通过检查，没有导入任何数据", (long long)out->rejected));
	return rc == IMPORT_DRY_OK ? JB_OK : rc;
}
