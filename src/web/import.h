/* import.h - the import pages (web/import.c) and the API route
 * (api/import.c) of domain/import.h:
 *
 *   GET  /admin/import                   the form: kind, file, batch (import.run)
 *   POST /admin/import                   always a dry run: the result, and when
 *                                        nothing is rejected a 确认导入 form
 *   POST /admin/import/confirm           imports the file the dry run kept
 *   GET  /admin/import/template/:kind    the kind's header row as a CSV (UTF-8 BOM)
 *   POST /api/v1/import/:kind            multipart "file"; ?dry_run=1 checks only
 *
 * The dry run keeps the upload as <data>/tmp/imp-<key>, the key being the
 * SHA-256 of the session token, the kind and the file's SHA-256, so only
 * the session that checked it can confirm it, for that kind; kept files
 * expire after IMPORT_KEEP_SECONDS and are removed on confirm. */
#ifndef JB_WEB_IMPORT_H
#define JB_WEB_IMPORT_H

#include "http/req.h"

#define IMPORT_KEEP_SECONDS 3600

void page_import(struct req *r);
void act_import_check(struct req *r);
void act_import_confirm(struct req *r);
void page_import_template(struct req *r);
void api_import(struct req *r);

#endif
