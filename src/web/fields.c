/* fields.c - form fields with error slots; binding a request (fields.h). */
#include "web/fields.h"

#include <string.h>

#include "web/web.h"

int bind_request(struct req *r, struct ctx *c, const struct bind_field *fields, void *out, const json_t **sent_json)
{
	struct bind_src src = { .json = r->json };

	if (!r->json) {
		struct bind_pair *p = arena_alloc(r->a, (size_t)(r->nform ? r->nform : 1) * sizeof(*p));
		for (int i = 0; i < r->nform; i++)
			p[i] = (struct bind_pair){ r->form[i].key, r->form[i].val };
		src.pairs = p;
		src.npairs = r->nform;
	}
	if (sent_json)
		*sent_json = r->json;
	return bind_input(c, &src, fields, out);
}

int field_values(struct req *r, const char *name, const char **out, int max)
{
	const json_t *v = json_object_get(r->json, name), *item;
	size_t i;
	int n = 0;

	if (!r->json)
		return req_form_all(r, name, out, max);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return json_is_string(v) ? (out[0] = json_string_value(v), 1) : -1;
	json_array_foreach(v, i, item) {
		if (!json_is_string(item))
			return -1;
		if (n < max)
			out[n] = json_string_value(item);
		n++;
	}
	return n;
}

const char *field_value(struct req *r, const struct ctx *c, const char *name, const char *fallback)
{
	const char *v;

	if (!c)
		return fallback;
	v = req_form(r, name);
	return v ? v : "";
}

const struct field_error *field_error_of(const struct ctx *c, const char *name)
{
	for (int i = 0; c && i < c->nerrs; i++)
		if (c->errs[i].field && !strcmp(c->errs[i].field, name))
			return &c->errs[i];
	return NULL;
}

void form_errors(struct req *r, const struct ctx *c)
{
	buf *b = &r->out;
	int fields = 0;

	if (!c || !c->nerrs)
		return;
	for (int i = 0; i < c->nerrs; i++)
		fields += c->errs[i].field != NULL;
	HTML(b, "<div class=\"form-errors\" role=\"alert\">");
	if (fields)
		buf_printf(b, "<p>提交的内容有 %d 处需要修改，请看下面标出的地方。</p>", fields);
	for (int i = 0; i < c->nerrs; i++) {
		if (c->errs[i].field)
			continue;
		HTML(b, "<p>");
		buf_html(b, c->errs[i].message);
		HTML(b, "</p>");
	}
	HTML(b, "</div>\n");
}

static void form_open_as(struct req *r, const char *action, const char *enctype)
{
	HTML(&r->out, "<form class=\"stack\" method=\"post\" action=\"");
	html_path(&r->out, r, action);
	if (enctype) {
		HTML(&r->out, "\" enctype=\"");
		buf_html(&r->out, enctype);
	}
	HTML(&r->out, "\">");
	html_csrf(r);
	HTML(&r->out, "\n");
}

void form_open(struct req *r, const char *action)
{
	form_open_as(r, action, NULL);
}

void form_open_upload(struct req *r, const char *action)
{
	form_open_as(r, action, "multipart/form-data");
}

/* id="f-name" (dots kept: ids may hold them) for a field and its error. */
static void field_id(buf *b, const char *name, const char *suffix)
{
	HTML(b, "f-");
	buf_html(b, name);
	buf_puts(b, suffix);
}

/* aria attributes and the message after the control. */
static void error_attrs(buf *b, const struct field_error *e, const char *name)
{
	if (!e)
		return;
	HTML(b, " aria-invalid=\"true\" aria-describedby=\"");
	field_id(b, name, "-err");
	HTML(b, "\"");
}

static void error_text(buf *b, const struct field_error *e, const char *name)
{
	if (!e)
		return;
	HTML(b, "<span class=\"field-error\" id=\"");
	field_id(b, name, "-err");
	HTML(b, "\">");
	buf_html(b, e->message);
	HTML(b, "</span>");
}

void field_input(struct req *r, const struct ctx *c, const char *type, const char *name, const char *label,
		 const char *value, const char *extra)
{
	const struct field_error *e = field_error_of(c, name);
	buf *b = &r->out;

	HTML(b, "<label");
	if (e)
		HTML(b, " class=\"has-error\"");
	HTML(b, ">");
	buf_html(b, label);
	HTML(b, "<input type=\"");
	buf_html(b, type);
	HTML(b, "\" name=\"");
	buf_html(b, name);
	HTML(b, "\" value=\"");
	buf_html(b, value ? value : "");
	HTML(b, "\"");
	buf_puts(b, extra ? extra : ""); /* literal attributes from the caller's code */
	error_attrs(b, e, name);
	HTML(b, ">");
	error_text(b, e, name);
	HTML(b, "</label>\n");
}

void field_textarea(struct req *r, const struct ctx *c, const char *name, const char *label, const char *value,
		    const char *extra)
{
	const struct field_error *e = field_error_of(c, name);
	buf *b = &r->out;

	HTML(b, "<label");
	if (e)
		HTML(b, " class=\"has-error\"");
	HTML(b, ">");
	buf_html(b, label);
	HTML(b, "<textarea name=\"");
	buf_html(b, name);
	HTML(b, "\"");
	buf_puts(b, extra ? extra : ""); /* literal attributes from the caller's code */
	if (!extra || !strstr(extra, "rows="))
		HTML(b, " rows=\"4\"");
	error_attrs(b, e, name);
	/* The newline after the tag is dropped by parsers, so a value that
	 * starts with one keeps it. */
	HTML(b, ">\n");
	buf_html(b, value ? value : "");
	HTML(b, "</textarea>");
	error_text(b, e, name);
	HTML(b, "</label>\n");
}

void field_select(struct req *r, const struct ctx *c, const char *name, const char *label,
		  const struct label *choices, const char *value, const char *blank)
{
	const struct field_error *e = field_error_of(c, name);
	buf *b = &r->out;

	HTML(b, "<label");
	if (e)
		HTML(b, " class=\"has-error\"");
	HTML(b, ">");
	buf_html(b, label);
	HTML(b, "<select name=\"");
	buf_html(b, name);
	HTML(b, "\"");
	error_attrs(b, e, name);
	HTML(b, ">");
	if (blank) {
		HTML(b, "<option value=\"\">");
		buf_html(b, blank);
		HTML(b, "</option>");
	}
	for (const struct label *l = choices; l->code; l++) {
		HTML(b, "<option value=\"");
		buf_html(b, l->code);
		HTML(b, "\"");
		if (value && !strcmp(value, l->code))
			HTML(b, " selected");
		HTML(b, ">");
		buf_html(b, l->zh);
		HTML(b, "</option>");
	}
	HTML(b, "</select>");
	error_text(b, e, name);
	HTML(b, "</label>\n");
}

void field_check(struct req *r, const struct ctx *c, const char *name, const char *label, bool checked)
{
	const struct field_error *e = field_error_of(c, name);
	buf *b = &r->out;

	HTML(b, "<label class=\"check\"><input type=\"checkbox\" name=\"");
	buf_html(b, name);
	HTML(b, "\" value=\"1\"");
	if (checked)
		HTML(b, " checked");
	error_attrs(b, e, name);
	HTML(b, ">");
	buf_html(b, label);
	error_text(b, e, name);
	HTML(b, "</label>\n");
}
