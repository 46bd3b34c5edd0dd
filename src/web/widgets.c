/* widgets.c - the confirmation step and the person picker (widgets.h). */
#include "web/widgets.h"

#include <string.h>

#include "util/text.h"

bool confirmed_or_ask(struct req *r, const struct confirm *q)
{
	const char *confirm = req_form(r, "confirm");
	buf *b = &r->out;

	if (r->is_api || (confirm && !strcmp(confirm, "1")))
		return true;
	page_begin(r, q->title, q->nav);
	HTML(b, "<section class=\"confirm\">\n<h1>");
	buf_html(b, q->title);
	HTML(b, "</h1>\n<p class=\"ask\">");
	buf_html(b, q->ask);
	HTML(b, " <strong>");
	buf_html(b, q->subject);
	HTML(b, "</strong> ");
	buf_html(b, q->ask_end);
	HTML(b, "</p>\n");
	if (q->detail) {
		HTML(b, "<p>");
		buf_html(b, q->detail);
		HTML(b, "</p>\n");
	}
	HTML(b, "<form class=\"actions\" method=\"post\" action=\"");
	html_path(b, r, r->path);
	HTML(b, "\">");
	html_csrf(r);
	HTML(b, "<input type=\"hidden\" name=\"confirm\" value=\"1\"><button type=\"submit\" class=\"danger solid\">");
	buf_html(b, q->button);
	HTML(b, "</button> <a class=\"cancel\" href=\"");
	html_path(b, r, q->back);
	HTML(b, "\">取消</a></form>\n</section>\n");
	page_end(r);
	return false;
}

int person_query_or_respond(struct req *r, const char *qname, const char *unitname, struct person_query *q)
{
	const char *v = req_query(r, qname), *u = req_query(r, unitname);
	size_t n;

	*q = (struct person_query){ "", 0 };
	if (v) {
		v += strspn(v, " ");
		n = strlen(v);
		while (n && v[n - 1] == ' ')
			n--;
		q->q = arena_strndup(r->a, v, n);
	}
	if (utf8_len(q->q) > PERSON_QUERY_MAX) {
		reply_error(r, 400, "bad_parameter", arena_printf(r->a, "姓名最多 %d 个字", PERSON_QUERY_MAX), qname);
		return -1;
	}
	if (u && *u && parse_int(u, 1, INT64_MAX, &q->unit_id) < 0) {
		reply_error(r, 400, "bad_parameter", "单位编号必须是正整数", unitname);
		return -1;
	}
	return 0;
}
