/* claim_report.c - the progress report (GET and POST /claims/:id/progress:
 * text, each metric's figure now, milestones ticked done with their day,
 * difficulties, help needed, next steps) and the solve declaration (GET and
 * POST /claims/:id/solve: a summary and the final figures), by
 * claim_progress() and claim_solve(). */
#include <string.h>
#include <time.h>

#include "domain/claim.h"
#include "domain/evidence.h"
#include "domain/state.h"
#include "web/claim_ui.h"
#include "web/widgets.h"

struct report_view {
	const struct claim_detail *d;
	const struct ctx *c;
	bool solve;
};

static const char *row_field(struct req *r, const char *list, int i, const char *field)
{
	return arena_printf(r->a, "%s.%d.%s", list, i, field);
}

/* Each metric's figure now: a hidden metric id and the value typed. */
static void values_fields(struct req *r, const struct report_view *v)
{
	buf *b = &r->out;

	if (!v->d->nmetrics)
		return;
	HTML(b, "<fieldset class=\"rows\"><legend>");
	buf_html(b, v->solve ? "各项指标的最终数值" : "各项指标的累计数值（不变的可不填）");
	HTML(b, "</legend>\n");
	for (int i = 0; i < v->d->nmetrics; i++) {
		const struct claim_metric *m = &v->d->metrics[i];
		const char *name = row_field(r, "values", i, "value");
		buf label = BUF_INIT;
		buf_puts(&label, m->name);
		buf_puts(&label, "（目标 ");
		buf_puts(&label, metric_format(r->a, m->kind, m->target));
		buf_puts(&label, *m->uom ? " " : "");
		buf_puts(&label, m->uom);
		buf_puts(&label, "，现为 ");
		buf_puts(&label, metric_format(r->a, m->kind, m->achieved));
		buf_puts(&label, "）");
		claim_hidden(b, row_field(r, "values", i, "metric_id"), arena_printf(r->a, "%lld", (long long)m->id));
		field_input(r, v->c, "text", name, arena_strdup(r->a, label.s), field_value(r, v->c, name, ""),
			    " inputmode=\"decimal\" maxlength=\"20\"");
		buf_release(&label);
	}
	HTML(b, "</fieldset>\n");
}

/* 佐证材料: optional, typed by content when sent (evidence.h). A browser
 * cannot fill a file input again, so a refused form says to choose the
 * files again. */
static void evidence_field(struct req *r, const struct ctx *c)
{
	buf *b = &r->out;
	const struct field_error *e = field_error_of(c, "file");
	const char *err = e ? e->message : NULL;

	HTML(b, "<div class=\"field\"><label for=\"f-file\">佐证材料（可选）</label>\n"
		"<input type=\"file\" id=\"f-file\" name=\"file\" multiple"
		" accept=\".pdf,.jpg,.jpeg,.png,.docx,.xlsx\" aria-describedby=\"f-file-hint");
	if (err)
		HTML(b, " f-file-error\" aria-invalid=\"true");
	buf_printf(b, "\">\n<p class=\"hint\" id=\"f-file-hint\">PDF、图片（JPEG、PNG）、Word 或 Excel 文件，"
		   "每个不超过 %d MB，最多 %d 个；不要求必须上传。%s</p>\n", EVIDENCE_FILE_MAX / (1024 * 1024),
		   EVIDENCE_FILES_MAX, c ? "如需上传，请重新选择文件。" : "");
	if (err) {
		HTML(b, "<p class=\"error\" id=\"f-file-error\">");
		buf_html(b, err);
		HTML(b, "</p>\n");
	}
	HTML(b, "</div>\n");
}

/* The milestones not yet done, each ticked with the day it was done. */
static void milestones_fields(struct req *r, const struct report_view *v)
{
	buf *b = &r->out, day = BUF_INIT;
	const char *today;
	int n = 0;

	for (int i = 0; i < v->d->nmilestones; i++)
		n += !v->d->milestones[i].done_at;
	if (!n)
		return;
	fmt_date(&day, (int64_t)time(NULL));
	today = arena_strdup(r->a, day.s);
	buf_release(&day);
	HTML(b, "<fieldset class=\"rows\"><legend>本次完成的节点</legend>\n");
	for (int i = 0, k = 0; i < v->d->nmilestones; i++) {
		const struct claim_milestone *m = &v->d->milestones[i];
		const char *idf = row_field(r, "milestones_done", k, "milestone_id");
		const char *done = row_field(r, "milestones_done", k, "done");
		const char *id = arena_printf(r->a, "%lld", (long long)m->id);
		const char *was = field_value(r, v->c, idf, "");
		if (m->done_at)
			continue;
		k++;
		HTML(b, "<div class=\"row-fields\">");
		buf_printf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"%s\"%s>", idf, id,
			   !strcmp(was, id) ? " checked" : "");
		buf_html(b, m->title);
		HTML(b, " <span class=\"muted\">计划 ");
		fmt_date(b, m->due_at);
		HTML(b, "</span></label>\n");
		field_input(r, v->c, "date", done, "完成日期", field_value(r, v->c, done, today), NULL);
		HTML(b, "</div>\n");
	}
	HTML(b, "</fieldset>\n");
}

static void report_page(struct req *r, const struct report_view *v, int status)
{
	const struct claim_detail *d = v->d;
	const char *title = v->solve ? "申报破题" : "报送进展";
	buf *b = &r->out;

	page_begin(r, title, NAV_BOARD);
	HTML(b, "<p class=\"crumbs\">");
	claim_link(b, r, arena_printf(r->a, "/problems/%lld", (long long)d->problem_id), d->problem_title);
	HTML(b, " › ");
	claim_link(b, r, claim_path(r, d->id, ""), "揭榜");
	HTML(b, "</p>\n<h1>");
	buf_html(b, title);
	HTML(b, "：");
	buf_html(b, d->problem_title);
	HTML(b, "</h1>\n");
	form_errors(r, v->c);
	form_open_upload(r, claim_path(r, d->id, v->solve ? "/solve" : "/progress"));
	field_textarea(r, v->c, "text", v->solve ? "破题总结（做了什么，取得了什么成效）" : "进展情况",
		       field_value(r, v->c, "text", ""), " maxlength=\"5000\" rows=\"5\"");
	values_fields(r, v);
	if (!v->solve) {
		milestones_fields(r, v);
		field_textarea(r, v->c, "difficulties", "遇到的困难（仅战队和管理人员可见）",
			       field_value(r, v->c, "difficulties", ""), " maxlength=\"5000\" rows=\"3\"");
		field_textarea(r, v->c, "help_needed", "需协调事项（仅战队和管理人员可见）",
			       field_value(r, v->c, "help_needed", ""), " maxlength=\"5000\" rows=\"3\"");
		field_textarea(r, v->c, "next_steps", "下步打算", field_value(r, v->c, "next_steps", ""),
			       " maxlength=\"5000\" rows=\"3\"");
	}
	evidence_field(r, v->c);
	buf_printf(b, "<div class=\"actions\"><button type=\"submit\">%s</button> ", v->solve ? "申报破题" : "报送");
	claim_link(b, r, claim_path(r, d->id, ""), "取消");
	HTML(b, "</div>\n</form>\n");
	page_finish(r, status);
}

static void refused_report(struct req *r, const void *outcome, int status)
{
	report_page(r, outcome, status);
}

/* Whether the table lets the reader file the report now; else answers
 * 409 (the claim is not signed) or 403, and the refusal is audited. */
static bool may_report(struct req *r, const struct claim_detail *d, bool solve)
{
	const char *action = solve ? "solve" : "progress";
	const struct claim_transition *t = claim_transition_find(action);

	if (claim_row_for(r, d, action))
		return true;
	if (!claim_row_from(t, d->state)) {
		reply_error(r, 409, "conflict",
			    arena_printf(r->a, "本申请现为“%s”，不能%s", claim_state_info[d->state].zh, t->zh), NULL);
		return false;
	}
	deny(r, t->perm, "claim", d->id, "permission");
	reply_error(r, 403, "forbidden", solve ? "只有主要负责人可以申报破题" : "只有破题战队成员可以报送进展", NULL);
	return false;
}

static void report_get(struct req *r, bool solve)
{
	struct claim_detail d;
	struct ctx c;
	struct report_view v = { &d, NULL, solve };

	if (claim_or_respond(r, &c, &d) == 0 && may_report(r, &d, solve))
		report_page(r, &v, 200);
}

static void report_post(struct req *r, bool solve)
{
	struct progress_in in;
	struct evidence_file *files;
	struct claim_detail d;
	struct ctx c;
	struct report_view v = { &d, &c, solve };
	int64_t id, pid = 0;
	bool seen;
	int rc;

	static const char *defaults[] = { "metric_id", "done" };
	struct form_copy saved;

	if (id_param_or_respond(r, 0, &id) < 0)
		return;
	web_ctx(r, &c);
	seen = claim_get(&c, id, &d) == JB_OK;
	web_ctx(r, &c);
	saved = claim_form_save(r);
	claim_rows_compact(r, "values", defaults[0]);
	claim_rows_compact(r, "milestones_done", defaults[1]);
	memset(&in, 0, sizeof(in));
	rc = bind_request(r, &c, progress_fields, &in, NULL);
	files = web_evidence_files(r, &in.nfiles);
	if (evidence_check(&c, files, in.nfiles) != JB_OK)
		rc = JB_EINVALID;
	in.files = files;
	if (rc == JB_OK)
		rc = solve ? claim_solve(&c, id, &in, &pid) : claim_progress(&c, id, &in, &pid);
	if (rc == JB_OK) {
		reply_redirect(r, claim_path(r, id, solve ? "?done=solve" : "?done=progress"));
		return;
	}
	if (!seen) {
		outcome_error(r, &c, rc);
		return;
	}
	claim_form_restore(r, &c, &saved, "values milestones_done", defaults);
	present_outcome_error(r, &c, rc, refused_report, &v);
}

void page_claim_progress(struct req *r)
{
	report_get(r, false);
}

void act_claim_progress(struct req *r)
{
	report_post(r, false);
}

void page_claim_solve(struct req *r)
{
	report_get(r, true);
}

void act_claim_solve(struct req *r)
{
	report_post(r, true);
}
