/* docx.h - a small WordprocessingML (.docx) writer on libzip, for documents
 * an office edits in WPS or Word: styled paragraphs (title, two heading
 * levels, body), runs (bold, colour, an East-Asian font, a size), bordered
 * tables with a header row, page breaks, A4 portrait with official margins.
 *
 * A document is built in memory, then zipped in memory (docx_finish) with
 * the minimal parts: [Content_Types].xml, _rels/.rels, word/document.xml,
 * word/styles.xml, word/_rels/document.xml.rels, docProps/core.xml and
 * docProps/app.xml. Every text is XML-escaped; characters XML 1.0 forbids
 * (C0 controls but tab and line feed, U+FFFE/U+FFFF, bytes that are not
 * UTF-8) are dropped; a line feed inside a run becomes a line break.
 *
 * Usage:
 *     docx *x = docx_new();
 *     docx_para(x, DOCX_TITLE, "揭榜挂帅工作简报");
 *     docx_p_begin(x, DOCX_BODY, DOCX_CENTER);
 *     docx_run(x, "第 3 期", &(struct docx_font){ .bold = true });
 *     docx_p_end(x);
 *     docx_table_begin(x, 2, NULL);
 *     docx_row(x, true, (const char *[]){ "项目", "数量" });
 *     docx_table_end(x);
 *     if (docx_finish(x, &bytes, &len) == 0) ...; free(bytes); docx_free(x);
 */
#ifndef JB_DOCX_H
#define JB_DOCX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct docx docx;

/* Paragraph styles, defined in word/styles.xml. */
enum docx_style {
	DOCX_BODY,       /* 正文: 仿宋 16 pt (三号), first line indented two characters */
	DOCX_TITLE,      /* 标题: 小标宋/宋体 22 pt (二号), centred */
	DOCX_HEADING1,   /* 标题 1: 黑体 16 pt */
	DOCX_HEADING2,   /* 标题 2: 楷体 16 pt */
	DOCX_PLAIN,      /* 仿宋 14 pt, no indent: table cells, date lines */
};

enum docx_align { DOCX_LEFT, DOCX_CENTER, DOCX_RIGHT, DOCX_BOTH };

/* How a run looks; a NULL font or zero members keep the style's. */
struct docx_font {
	bool bold;
	const char *color;      /* six hex digits, "C00000"; NULL: automatic */
	const char *east_asia;  /* "宋体", "仿宋", "黑体", "楷体"; NULL: the style's */
	int half_points;        /* 44 = 22 pt; 0: the style's */
};

/* A new empty document; never NULL (allocation failure aborts). */
docx *docx_new(void);
void docx_free(docx *x);

/* A paragraph of style and alignment (DOCX_LEFT: the style's own), then
 * runs, then docx_p_end(). */
void docx_p_begin(docx *x, enum docx_style style, enum docx_align align);
void docx_run(docx *x, const char *text, const struct docx_font *font);
void docx_p_end(docx *x);
/* A whole paragraph of one plain run. */
void docx_para(docx *x, enum docx_style style, const char *text);

/* A table of ncols columns of widths in twentieths of a point (NULL: the
 * text width shared equally), single borders all round. Rows of exactly
 * ncols cells (NULL cell: empty); a header row is bold, shaded and
 * repeated on every page. */
void docx_table_begin(docx *x, int ncols, const int *widths);
void docx_row(docx *x, bool header, const char *const *cells);
void docx_table_end(docx *x);

/* The next paragraph starts a new page. */
void docx_page_break(docx *x);

/* Core properties (docProps/core.xml): the document's title; "" by default. */
void docx_set_title(docx *x, const char *title);

/* Zip the document into *out (malloc'd, the caller frees) of *len bytes.
 * 0, or -1 when libzip failed (nothing to free). The document may be
 * finished only once. */
int docx_finish(docx *x, unsigned char **out, size_t *len) __attribute__((warn_unused_result));

/* Append s to b escaped for XML text and attributes (& < > " '), with the
 * characters XML 1.0 forbids dropped: exposed for the tests. */
struct buf;
void docx_escape(struct buf *b, const char *s);

#endif
