/* fuzz_table.c - libFuzzer target: the table reader (util/table.h) on
 * arbitrary bytes, as CSV and, when they start like a zip, as XLSX: it
 * must never crash, every row it hands over has a positive line and at
 * most TABLE_CELLS_MAX cells of valid UTF-8, and a bad row says why. */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/table.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int check_row(void *ud, const struct table_row *row)
{
	(void)ud;
	assert(row->line > 0);
	assert(row->ncells >= 0 && row->ncells <= TABLE_CELLS_MAX);
	if (row->bad)
		return 0;
	for (int i = 0; i < row->ncells; i++)
		assert(utf8_valid(row->cells[i], strlen(row->cells[i])));
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-table-XXXXXX", why[512];
	struct table_info info;
	int64_t line;
	int fd = mkstemp(path);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	if (table_read(path, check_row, NULL, &info, why, sizeof(why), &line) < 0)
		assert(why[0]);
	unlink(path);
	return 0;
}
