/* docx.c - the WordprocessingML writer (contract in docx.h). */
#include "util/docx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "util/buf.h"
#include "util/xalloc.h"

/* A4 portrait with the margins of official documents (GB/T 9704: top
 * 37 mm, bottom 35 mm, left 28 mm, right 26 mm), in twentieths of a point. */
enum { PAGE_W = 11906, PAGE_H = 16838, MARGIN_TOP = 2098, MARGIN_BOTTOM = 1984, MARGIN_LEFT = 1588,
       MARGIN_RIGHT = 1474, TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT, MAX_COLS = 32 };

struct docx {
	buf body;            /* the children of <w:body> */
	buf title;           /* escaped */
	int ncols;
	int widths[MAX_COLS];
	bool in_p, finished;
	bool page_break;     /* the next paragraph starts a page */
};

static const char *const style_ids[] = { "Body", "Title", "Heading1", "Heading2", "Plain" };

docx *docx_new(void)
{
	docx *x = xcalloc(1, sizeof(*x));
	buf_init(&x->body);
	buf_init(&x->title);
	return x;
}

void docx_free(docx *x)
{
	if (!x)
		return;
	buf_release(&x->body);
	buf_release(&x->title);
	free(x);
}

/* The next code point of s (advancing *p), or -1 for a byte that does not
 * start a well-formed UTF-8 sequence (one byte consumed). */
static int32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	int32_t c;
	int n;

	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 1, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 2, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 3, c = s[0] & 0x07;
	else {
		*p = s + 1;
		return -1;
	}
	for (int i = 1; i <= n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + 1;
			return -1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff)) {
		*p = s + 1;
		return -1;
	}
	*p = s + n + 1;
	return c;
}

/* Whether XML 1.0 allows c (its Char production). */
static bool xml_char(int32_t c)
{
	return c == 0x9 || c == 0xa || c == 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
	       (c >= 0x10000 && c <= 0x10ffff);
}

/* Escape [s, end) into b; with runs, tabs and line feeds become
 * <w:tab/> and <w:br/> between text elements and carriage returns go. */
static void escape_n(buf *b, const char *s, const char *end, bool runs)
{
	const unsigned char *p = (const unsigned char *)s;

	while (p < (const unsigned char *)end && *p) {
		const unsigned char *start = p;
		int32_t c = next_cp(&p);
		if (c < 0 || !xml_char(c))
			continue;
		switch (c) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&apos;"); break;
		case '\r':
			if (!runs)
				buf_puts(b, "&#13;");
			break;
		case '\n':
			buf_puts(b, runs ? "</w:t><w:br/><w:t xml:space=\"preserve\">" : "&#10;");
			break;
		case '\t':
			buf_puts(b, runs ? "</w:t><w:tab/><w:t xml:space=\"preserve\">" : "&#9;");
			break;
		default:
			buf_add(b, start, (size_t)(p - start));
		}
	}
}

void docx_escape(struct buf *b, const char *s)
{
	escape_n(b, s, s + strlen(s), false);
}

void docx_set_title(docx *x, const char *title)
{
	buf_reset(&x->title);
	docx_escape(&x->title, title ? title : "");
}

void docx_p_begin(docx *x, enum docx_style style, enum docx_align align)
{
	static const char *const jc[] = { NULL, "center", "right", "both" };

	if (x->in_p)
		docx_p_end(x);
	x->in_p = true;
	buf_printf(&x->body, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/>", style_ids[style]);
	if (x->page_break) {
		buf_puts(&x->body, "<w:pageBreakBefore/>");
		x->page_break = false;
	}
	if (align != DOCX_LEFT)
		buf_printf(&x->body, "<w:jc w:val=\"%s\"/>", jc[align]);
	buf_puts(&x->body, "</w:pPr>");
}

/* Whether s is six hex digits (a colour). */
static bool hex6(const char *s)
{
	for (int i = 0; i < 6; i++)
		if (!s[i] || !strchr("0123456789ABCDEFabcdef", s[i]))
			return false;
	return !s[6];
}

void docx_run(docx *x, const char *text, const struct docx_font *f)
{
	buf *b = &x->body;

	if (!x->in_p)
		docx_p_begin(x, DOCX_BODY, DOCX_LEFT);
	buf_puts(b, "<w:r>");
	if (f && (f->bold || f->color || f->east_asia || f->half_points > 0)) {
		buf_puts(b, "<w:rPr>");
		if (f->east_asia) {
			buf_puts(b, "<w:rFonts w:eastAsia=\"");
			docx_escape(b, f->east_asia);
			buf_puts(b, "\" w:hint=\"eastAsia\"/>");
		}
		if (f->bold)
			buf_puts(b, "<w:b/><w:bCs/>");
		if (f->color && hex6(f->color))
			buf_printf(b, "<w:color w:val=\"%s\"/>", f->color);
		if (f->half_points > 0 && f->half_points < 1000)
			buf_printf(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", f->half_points, f->half_points);
		buf_puts(b, "</w:rPr>");
	}
	buf_puts(b, "<w:t xml:space=\"preserve\">");
	if (text)
		escape_n(b, text, text + strlen(text), true);
	buf_puts(b, "</w:t></w:r>");
}

void docx_p_end(docx *x)
{
	if (!x->in_p)
		return;
	buf_puts(&x->body, "</w:p>");
	x->in_p = false;
}

void docx_para(docx *x, enum docx_style style, const char *text)
{
	docx_p_begin(x, style, DOCX_LEFT);
	docx_run(x, text, NULL);
	docx_p_end(x);
}

void docx_page_break(docx *x)
{
	docx_p_end(x);
	x->page_break = true;
}

#define BORDER(side) "<w:" side " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>"

void docx_table_begin(docx *x, int ncols, const int *widths)
{
	buf *b = &x->body;

	docx_p_end(x);
	if (x->page_break) {   /* a table cannot carry pageBreakBefore */
		buf_puts(b, "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
		x->page_break = false;
	}
	if (ncols < 1)
		ncols = 1;
	if (ncols > MAX_COLS)
		ncols = MAX_COLS;
	x->ncols = ncols;
	for (int i = 0; i < ncols; i++)
		x->widths[i] = widths && widths[i] > 0 ? widths[i] : TEXT_W / ncols;
	buf_printf(b, "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>"
		      BORDER("top") BORDER("left") BORDER("bottom") BORDER("right") BORDER("insideH") BORDER("insideV")
		      "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/>"
		      "<w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr><w:tblGrid>", TEXT_W);
	for (int i = 0; i < ncols; i++)
		buf_printf(b, "<w:gridCol w:w=\"%d\"/>", x->widths[i]);
	buf_puts(b, "</w:tblGrid>");
}

void docx_row(docx *x, bool header, const char *const *cells)
{
	static const struct docx_font bold = { .bold = true };
	buf *b = &x->body;

	buf_puts(b, "<w:tr>");
	if (header)
		buf_puts(b, "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
	for (int i = 0; i < x->ncols; i++) {
		buf_printf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", x->widths[i]);
		if (header)
			buf_puts(b, "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"D9D9D9\"/>");
		buf_puts(b, "<w:vAlign w:val=\"center\"/></w:tcPr>");
		docx_p_begin(x, DOCX_PLAIN, header ? DOCX_CENTER : DOCX_LEFT);
		docx_run(x, cells[i] ? cells[i] : "", header ? &bold : NULL);
		docx_p_end(x);
		buf_puts(b, "</w:tc>");
	}
	buf_puts(b, "</w:tr>");
}

void docx_table_end(docx *x)
{
	buf_puts(&x->body, "</w:tbl>");
	/* Word needs a paragraph between a table and what follows it */
	buf_puts(&x->body, "<w:p><w:pPr><w:pStyle w:val=\"Plain\"/></w:pPr></w:p>");
}

/* ---- the package ---- */

static const char content_types[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
	"<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
	"<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
	"<Override PartName=\"/word/document.xml\""
	" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
	"<Override PartName=\"/word/styles.xml\""
	" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
	"<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
	"<Override PartName=\"/docProps/app.xml\""
	" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
	"</Types>";

static const char package_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\""
	" Target=\"word/document.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\""
	" Target=\"docProps/core.xml\"/>"
	"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\""
	" Target=\"docProps/app.xml\"/>"
	"</Relationships>";

static const char document_rels[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\""
	" Target=\"styles.xml\"/>"
	"</Relationships>";

static const char app_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
	"<Application>jiebang</Application></Properties>";

#define FONTS(ea) "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"" ea "\" w:hint=\"eastAsia\"/>"
#define PSTYLE(id, name, extra_ppr, rpr) \
	"<w:style w:type=\"paragraph\" w:customStyle=\"0\" w:styleId=\"" id "\"><w:name w:val=\"" name "\"/>" \
	"<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>" extra_ppr "</w:pPr><w:rPr>" rpr "</w:rPr></w:style>"

/* 三号 (16 pt) 仿宋 for the text, 黑体 and 楷体 for the two heading levels,
 * 宋体 (小标宋 where installed) 二号 for the title: the official styles. */
static const char styles_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
	"<w:docDefaults><w:rPrDefault><w:rPr>" FONTS("仿宋") "<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>"
	"<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>"
	"<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"560\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault>"
	"</w:docDefaults>"
	"<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>"
	PSTYLE("Body", "Body Text", "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/>", "")
	PSTYLE("Title", "Title", "<w:spacing w:before=\"240\" w:after=\"240\" w:line=\"720\" w:lineRule=\"exact\"/><w:jc w:val=\"center\"/>",
	       FONTS("宋体") "<w:b/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/>")
	PSTYLE("Heading1", "heading 1", "<w:keepNext/><w:spacing w:before=\"240\"/><w:outlineLvl w:val=\"0\"/>",
	       FONTS("黑体") "<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>")
	PSTYLE("Heading2", "heading 2", "<w:keepNext/><w:outlineLvl w:val=\"1\"/>",
	       FONTS("楷体") "<w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/>")
	PSTYLE("Plain", "Plain Text", "<w:spacing w:line=\"360\" w:lineRule=\"auto\"/>",
	       "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>")
	"</w:styles>";

/* The document part: the body written so far and the section (A4). */
static void document_xml(docx *x, buf *b)
{
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
		    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>");
	buf_add(b, x->body.s, x->body.len);
	buf_printf(b, "<w:sectPr><w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\""
		      " w:left=\"%d\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>"
		      "<w:docGrid w:type=\"lines\" w:linePitch=\"579\"/></w:sectPr></w:body></w:document>",
		   PAGE_W, PAGE_H, MARGIN_TOP, MARGIN_RIGHT, MARGIN_BOTTOM, MARGIN_LEFT);
}

static void core_xml(docx *x, buf *b)
{
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		    "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
		    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>");
	buf_add(b, x->title.s, x->title.len);
	buf_puts(b, "</dc:title><dc:creator>jiebang</dc:creator></cp:coreProperties>");
}

/* Add one part (data must outlive zip_close). 0 or -1. */
static int add_part(zip_t *z, const char *name, const void *data, size_t len)
{
	zip_source_t *s = zip_source_buffer(z, data, len, 0);

	if (!s)
		return -1;
	if (zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) < 0) {
		zip_source_free(s);
		return -1;
	}
	return 0;
}

/* Read the whole of src (a closed zip's buffer source) into *out. */
static int drain(zip_source_t *src, unsigned char **out, size_t *len)
{
	zip_int64_t size, got;

	if (zip_source_open(src) < 0)
		return -1;
	if (zip_source_seek(src, 0, SEEK_END) < 0 || (size = zip_source_tell(src)) < 0 ||
	    zip_source_seek(src, 0, SEEK_SET) < 0) {
		zip_source_close(src);
		return -1;
	}
	*out = xmalloc((size_t)size + 1);
	got = size ? zip_source_read(src, *out, (zip_uint64_t)size) : 0;
	zip_source_close(src);
	if (got != size) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*len = (size_t)size;
	return 0;
}

int docx_finish(docx *x, unsigned char **out, size_t *len)
{
	buf doc = BUF_INIT, core = BUF_INIT;
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;
	int rc = -1;

	*out = NULL;
	*len = 0;
	if (x->finished)
		return -1;
	x->finished = true;
	docx_p_end(x);
	document_xml(x, &doc);
	core_xml(x, &core);
	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(NULL, 0, 0, &ze))) {
		zip_error_fini(&ze);
		goto out;
	}
	if (!(z = zip_open_from_source(src, ZIP_TRUNCATE, &ze))) {
		zip_source_free(src);
		zip_error_fini(&ze);
		goto out;
	}
	zip_error_fini(&ze);
	zip_source_keep(src);
	if (add_part(z, "[Content_Types].xml", content_types, sizeof(content_types) - 1) < 0 ||
	    add_part(z, "_rels/.rels", package_rels, sizeof(package_rels) - 1) < 0 ||
	    add_part(z, "word/document.xml", doc.s, doc.len) < 0 ||
	    add_part(z, "word/_rels/document.xml.rels", document_rels, sizeof(document_rels) - 1) < 0 ||
	    add_part(z, "word/styles.xml", styles_xml, sizeof(styles_xml) - 1) < 0 ||
	    add_part(z, "docProps/core.xml", core.s, core.len) < 0 ||
	    add_part(z, "docProps/app.xml", app_xml, sizeof(app_xml) - 1) < 0) {
		zip_discard(z);
		zip_source_free(src);
		goto out;
	}
	if (zip_close(z) < 0) {
		zip_discard(z);
		zip_source_free(src);
		goto out;
	}
	rc = drain(src, out, len);
	zip_source_free(src);
out:
	buf_release(&doc);
	buf_release(&core);
	return rc;
}
