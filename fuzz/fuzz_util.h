/* fuzz_util.h - what several fuzz targets share: a scratch directory made
 * once per process, writing an input to a file there, and building an XLSX
 * (a zip of the parts the table reader reads) around fuzzed XML parts.
 * Header-only; each target is one file. */
#ifndef JB_FUZZ_UTIL_H
#define JB_FUZZ_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

/* The process's scratch directory, removed at exit: /dev/shm/jb-fuzz-XXXXXX
 * (memory: a file written per input costs no disk), else under /tmp. */
static char fuzz_dir_path[64];

static void fuzz_dir_remove(void)
{
	char cmd[128];

	if (fuzz_dir_path[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir_path);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", fuzz_dir_path);
	}
}

static inline const char *fuzz_dir(void)
{
	if (!fuzz_dir_path[0]) {
		snprintf(fuzz_dir_path, sizeof(fuzz_dir_path), "/dev/shm/jb-fuzz-XXXXXX");
		if (!mkdtemp(fuzz_dir_path)) {
			snprintf(fuzz_dir_path, sizeof(fuzz_dir_path), "/tmp/jb-fuzz-XXXXXX");
			if (!mkdtemp(fuzz_dir_path))
				abort();
		}
		atexit(fuzz_dir_remove);
	}
	return fuzz_dir_path;
}

/* dir/name, in a static buffer. */
static inline const char *fuzz_path(const char *name)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	return path;
}

/* Write data[0..n) to path; aborts when it cannot (not the input's fault). */
static inline void fuzz_write(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0)
		abort();
}

/* The parts of a fuzzed workbook: the input is split at FUZZ_PART_SEP into
 * the sheet, the shared strings, the workbook and its relationships, in
 * that order; a part not given gets a minimal valid one (no shared
 * strings: the part is left out). */
#define FUZZ_PART_SEP "\n--part--\n"
#define FUZZ_XLSX_PARTS 4

static const char *const fuzz_xlsx_names[FUZZ_XLSX_PARTS] = {
	"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
};

static const char *const fuzz_xlsx_defaults[FUZZ_XLSX_PARTS] = {
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData/></worksheet>",
	NULL,
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
	" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\""
	" Target=\"worksheets/sheet1.xml\"/></Relationships>",
};

/* Write an XLSX to path whose parts are data split as above (deflated when
 * deflate, else stored). */
static inline void fuzz_xlsx_write(const char *path, const char *data, size_t n, bool deflate)
{
	const char *part[FUZZ_XLSX_PARTS] = { 0 };
	size_t len[FUZZ_XLSX_PARTS] = { 0 };
	size_t seplen = strlen(FUZZ_PART_SEP);
	int err = 0, np = 0;
	zip_t *z;

	while (np < FUZZ_XLSX_PARTS) {
		const char *sep = np < FUZZ_XLSX_PARTS - 1 ? memmem(data, n, FUZZ_PART_SEP, seplen) : NULL;
		part[np] = data;
		len[np] = sep ? (size_t)(sep - data) : n;
		np++;
		if (!sep)
			break;
		n -= (size_t)(sep - data) + seplen;
		data = sep + seplen;
	}
	if (!(z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err)))
		abort();
	for (int i = 0; i < FUZZ_XLSX_PARTS; i++) {
		const char *p = i < np ? part[i] : fuzz_xlsx_defaults[i];
		size_t l = i < np ? len[i] : p ? strlen(p) : 0;
		zip_source_t *src;
		zip_int64_t idx;

		if (!p)
			continue;
		if (!(src = zip_source_buffer(z, p, l, 0)))
			abort();
		if ((idx = zip_file_add(z, fuzz_xlsx_names[i], src, ZIP_FL_OVERWRITE)) < 0)
			abort();
		zip_set_file_compression(z, (zip_uint64_t)idx, deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 1);
	}
	if (zip_close(z) < 0)
		abort();
}

#endif
