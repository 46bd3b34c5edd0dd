/* cli.h - command-line commands that take a subcommand and positional
 * arguments (`jiebang user add LOGIN --role R`), dispatched from main.c. */
#ifndef JB_CLI_H
#define JB_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "store/db.h"

/* jiebang user add|passwd|disable|enable|list|token LOGIN [options];
 * argv[0] is "user". It takes --data/--db (and $JIEBANG_DB) as the other
 * commands do. Returns the exit status (2 for a usage error). */
int cli_user(int argc, char **argv);

/* Open the store of --data DIR / --db URL and migrate it; NULL after a
 * one-line error. url NULL: the db setting when one was made (domain/config.h),
 * else DIR/jiebang.db, creating DIR; data NULL: the data setting. */
db *cli_open_store(const char *data, const char *url);

/* jiebang tenant list | domain SLUG HOST | undomain HOST: the tenants and
 * the host names that serve them. Exit status. */
int cli_tenant(int argc, char **argv);

/* Create the first admin of tenant_id: login "admin", a random password
 * written to pw (at least 17 bytes), to be changed at the first log-in.
 * 0, or -1 with the reason in err. */
int cli_first_admin(db *d, int64_t tenant_id, char *pw, size_t pwlen, char *err, size_t errlen);

/* jiebang init: create the tenant slug/name (a further one when the store
 * has tenants and slug is new) with its first admin, and print the admin's
 * one-time password. where is the store, for the message. Exit status. */
int cli_init_tenant(db *d, const char *slug, const char *name, const char *where);

/* jiebang import KIND FILE [--dry-run] [--batch ID] [--data/--db]
 * [--tenant SLUG] (cli/import.c); argv[0] is "import". Exit status: 0
 * imported, 1 rows rejected or an error, 2 usage. */
int cli_import(int argc, char **argv);

/* jiebang backup FILE | backup --dir DIR --keep N [--data/--db]
 * (cli/backup.c); argv[0] is "backup". Exit status: 0, 1 error, 2 usage. */
int cli_backup(int argc, char **argv);

#endif
