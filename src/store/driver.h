/* driver.h - what a store driver implements (as SQLite's os_unix.c behind
 * its VFS). Included by db.h; only the store drivers look inside. */
#ifndef JB_DRIVER_H
#define JB_DRIVER_H

struct db_driver {
	const char *name;
	enum db_kind kind;
	db *(*open)(const char *url, char *err, size_t errlen);
	void (*close)(db *d);
	const char *(*errmsg)(const db *d);
	enum db_errclass (*errclass)(const db *d);
	db_stmt *(*prepare)(db *d, const char *sql);
	void (*bind_int)(db_stmt *st, int idx, int64_t v);
	void (*bind_text)(db_stmt *st, int idx, const char *s);
	void (*bind_null)(db_stmt *st, int idx);
	int (*step)(db_stmt *st);
	int (*ncols)(db_stmt *st);
	bool (*col_null)(db_stmt *st, int col);
	int64_t (*col_int)(db_stmt *st, int col);
	const char *(*col_text)(db_stmt *st, int col);
	const char *(*col_name)(db_stmt *st, int col);
	void (*done)(db_stmt *st);
	int (*exec)(db *d, const char *sql);
	int (*begin)(db *d, enum db_txn mode);
	int (*commit)(db *d);
	void (*rollback)(db *d);
	db_stmt *(*prepare_dynamic)(db *d, const char *sql);
	void (*finalize)(db_stmt *st);
};

/* Every driver's db and db_stmt structs begin with these headers (zeroed
 * at open). db.c keeps the nesting of transactions here, so a driver only
 * ever sees the outermost begin, commit and rollback. */
struct db_base {
	const struct db_driver *drv;
	int depth;               /* open db_begin()s */
	enum db_txn mode;        /* of the outermost */
	bool doomed;             /* an inner one rolled back: the outer cannot commit */
};
struct db_stmt_base {
	const struct db_driver *drv;
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

#endif
