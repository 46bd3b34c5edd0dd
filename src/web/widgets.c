/* widgets.c - the confirmation step and the person picker (widgets.h). */
#include "web/widgets.h"

#include <string.h>

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
