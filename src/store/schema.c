/* schema.c - the migrations themselves. Append only: never edit a migration
 * that has shipped; add a new one. */
#include "store/schema.h"

#include <stddef.h>

static const char m1_core[] =
"CREATE TABLE tenant (\n"
"  id BIGINT PRIMARY KEY,\n"
"  slug TEXT NOT NULL UNIQUE,\n"
"  name TEXT NOT NULL,\n"
"  tz TEXT NOT NULL DEFAULT 'Asia/Shanghai',\n"
"  created_at BIGINT NOT NULL\n"
");\n"
"CREATE TABLE id_seq (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  name TEXT NOT NULL,\n"
"  next_id BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, name)\n"
");\n"
"CREATE TABLE batch (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  name TEXT NOT NULL,\n"
"  year INT NOT NULL,\n"
"  phase TEXT NOT NULL CHECK (phase IN ('collecting','screening','claiming','working','evaluating','closed')),\n"
"  opens_at BIGINT NOT NULL,\n"
"  closes_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, id)\n"
");\n"
"CREATE TABLE category (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  name TEXT NOT NULL,\n"
"  position INT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  UNIQUE (tenant_id, name)\n"
");\n"
"CREATE TABLE unit (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  name TEXT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('county_dept','town','village','enterprise','other')),\n"
"  parent_id BIGINT,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  UNIQUE (tenant_id, name),\n"
"  FOREIGN KEY (tenant_id, parent_id) REFERENCES unit(tenant_id, id)\n"
");\n"
"CREATE TABLE person (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  name TEXT NOT NULL,\n"
"  unit_id BIGINT NOT NULL,\n"
"  rank TEXT NOT NULL CHECK (rank IN ('county','section','below_section','village','none')),\n"
"  title TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, unit_id) REFERENCES unit(tenant_id, id)\n"
");\n"
"CREATE INDEX person_unit ON person (tenant_id, unit_id);\n"
"CREATE TABLE problem (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  batch_id BIGINT NOT NULL,\n"
"  category_id BIGINT NOT NULL,\n"
"  title TEXT NOT NULL,\n"
"  description TEXT NOT NULL,\n"
"  proposer_name TEXT NOT NULL,\n"
"  proposer_unit_id BIGINT,\n"
"  state TEXT NOT NULL CHECK (state IN ('proposed','selected','rejected','merged','published',\n"
"    'claimed','in_progress','solved','accepted','withdrawn')),\n"
"  merged_into BIGINT,\n"
"  is_public INT NOT NULL DEFAULT 1,\n"
"  created_at BIGINT NOT NULL,\n"
"  updated_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, batch_id) REFERENCES batch(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, category_id) REFERENCES category(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, proposer_unit_id) REFERENCES unit(tenant_id, id)\n"
");\n"
/* Covers the board's filters so its count reads the index alone. */
"CREATE INDEX problem_board ON problem (tenant_id, is_public, state, category_id, batch_id);\n"
"CREATE INDEX problem_updated ON problem (tenant_id, updated_at, id);\n"
/* Chinese substring search: every pair of adjacent characters of a
 * problem's title and description (lowercased), maintained by the domain on
 * each write. Works for 2-character queries where trigram indexes do not,
 * and gives the same answers on both stores. */
"CREATE TABLE problem_gram (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  gram TEXT NOT NULL,\n"
"  problem_id BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, gram, problem_id),\n"
"  FOREIGN KEY (tenant_id, problem_id) REFERENCES problem(tenant_id, id) ON DELETE CASCADE\n"
");\n"
"CREATE INDEX problem_gram_problem ON problem_gram (tenant_id, problem_id);\n"
/* Problem counts by batch, category, state and visibility, kept by the
 * triggers below in the same transaction as every change to problem, so
 * the statistics and the board's totals read a few rows, not every problem
 * (DESIGN.md section 7). Derived data: never copied, always rebuilt. */
"CREATE TABLE problem_tally (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  batch_id BIGINT NOT NULL,\n"
"  category_id BIGINT NOT NULL,\n"
"  state TEXT NOT NULL,\n"
"  is_public INT NOT NULL,\n"
"  n BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, batch_id, category_id, state, is_public)\n"
");\n"
"CREATE TABLE claim (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  problem_id BIGINT NOT NULL,\n"
"  unit_id BIGINT NOT NULL,\n"
"  lead_person_id BIGINT NOT NULL,\n"
"  owner_person_id BIGINT NOT NULL,\n"
"  state TEXT NOT NULL CHECK (state IN ('applied','approved','rejected','signed','solved',\n"
"    'accepted','returned','withdrawn')),\n"
"  pledge TEXT NOT NULL DEFAULT '',\n"
"  deadline BIGINT,\n"
"  applied_at BIGINT NOT NULL,\n"
"  approved_at BIGINT,\n"
"  signed_at BIGINT,\n"
"  solved_at BIGINT,\n"
"  accepted_at BIGINT,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, problem_id) REFERENCES problem(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, unit_id) REFERENCES unit(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, lead_person_id) REFERENCES person(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, owner_person_id) REFERENCES person(tenant_id, id)\n"
");\n"
"CREATE INDEX claim_problem ON claim (tenant_id, problem_id, state);\n"
"CREATE INDEX claim_unit ON claim (tenant_id, unit_id);\n"
"CREATE TABLE claim_member (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  person_id BIGINT NOT NULL,\n"
"  unit_id BIGINT NOT NULL,\n"
"  role TEXT NOT NULL CHECK (role IN ('lead','owner','member')),\n"
"  PRIMARY KEY (tenant_id, claim_id, person_id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, person_id) REFERENCES person(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, unit_id) REFERENCES unit(tenant_id, id)\n"
");\n"
"CREATE INDEX claim_member_person ON claim_member (tenant_id, person_id);\n"
"CREATE TABLE milestone (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  title TEXT NOT NULL,\n"
"  due_at BIGINT NOT NULL,\n"
"  done_at BIGINT,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id)\n"
");\n"
"CREATE INDEX milestone_claim ON milestone (tenant_id, claim_id, due_at);\n"
/* kind 'money' values are in fen; 'count' values are in uom. */
"CREATE TABLE metric (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  name TEXT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('count','money')),\n"
"  uom TEXT NOT NULL,\n"
"  target BIGINT NOT NULL CHECK (target >= 0),\n"
"  achieved BIGINT NOT NULL DEFAULT 0 CHECK (achieved >= 0),\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id)\n"
");\n"
"CREATE INDEX metric_claim ON metric (tenant_id, claim_id);\n"
"CREATE TABLE progress (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  author_person_id BIGINT NOT NULL,\n"
"  at BIGINT NOT NULL,\n"
"  title TEXT NOT NULL,\n"
"  body TEXT NOT NULL DEFAULT '',\n"
"  is_public INT NOT NULL DEFAULT 1,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, author_person_id) REFERENCES person(tenant_id, id)\n"
");\n"
"CREATE INDEX progress_claim ON progress (tenant_id, claim_id, at);\n"
"CREATE TABLE progress_value (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  progress_id BIGINT NOT NULL,\n"
"  metric_id BIGINT NOT NULL,\n"
"  value BIGINT NOT NULL CHECK (value >= 0),\n"
"  PRIMARY KEY (tenant_id, progress_id, metric_id),\n"
"  FOREIGN KEY (tenant_id, progress_id) REFERENCES progress(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, metric_id) REFERENCES metric(tenant_id, id)\n"
");\n"
"CREATE TABLE promotion (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  person_id BIGINT NOT NULL,\n"
"  claim_id BIGINT,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('promoted','further_use')),\n"
"  note TEXT NOT NULL DEFAULT '',\n"
"  at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, person_id) REFERENCES person(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id)\n"
");\n"
"CREATE TABLE audit_event (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  at BIGINT NOT NULL,\n"
"  actor TEXT NOT NULL,\n"
"  action TEXT NOT NULL,\n"
"  object_type TEXT NOT NULL,\n"
"  object_id BIGINT,\n"
"  before_json TEXT,\n"
"  after_json TEXT,\n"
"  client_addr TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, id)\n"
");\n"
"CREATE INDEX audit_event_at ON audit_event (tenant_id, at, id);\n"
"CREATE INDEX audit_event_object ON audit_event (tenant_id, object_type, object_id);\n";

/* Accounts, sessions, API tokens, login throttling, tenant host names, and
 * the audit log's outcome (ASVS V2, V3, V7). Secrets are never stored:
 * password_hash is an argon2id string, token_hash a BLAKE2b-256 hex digest.
 * app_user, not "user": that word is reserved in PostgreSQL. */
static const char m2_accounts[] =
"CREATE TABLE tenant_domain (\n"
"  host TEXT PRIMARY KEY,\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id)\n"
");\n"
"CREATE TABLE app_user (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  login TEXT NOT NULL,\n"
"  password_hash TEXT NOT NULL,\n"
"  person_id BIGINT,\n"
"  unit_id BIGINT,\n"
"  must_change INT NOT NULL DEFAULT 0,\n"
"  disabled INT NOT NULL DEFAULT 0,\n"
"  created_at BIGINT NOT NULL,\n"
"  password_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  UNIQUE (tenant_id, login),\n"
"  FOREIGN KEY (tenant_id, person_id) REFERENCES person(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, unit_id) REFERENCES unit(tenant_id, id)\n"
");\n"
"CREATE INDEX app_user_unit ON app_user (tenant_id, unit_id);\n"
"CREATE TABLE user_role (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  user_id BIGINT NOT NULL,\n"
"  role TEXT NOT NULL CHECK (role IN ('admin','unit_admin','cadre','evaluator','leader')),\n"
"  PRIMARY KEY (tenant_id, user_id, role),\n"
"  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id)\n"
");\n"
"CREATE TABLE user_session (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  token_hash TEXT NOT NULL,\n"
"  user_id BIGINT NOT NULL,\n"
"  csrf TEXT NOT NULL,\n"
"  created_at BIGINT NOT NULL,\n"
"  seen_at BIGINT NOT NULL,\n"
"  client_addr TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, token_hash),\n"
"  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id)\n"
");\n"
"CREATE INDEX user_session_user ON user_session (tenant_id, user_id);\n"
"CREATE INDEX user_session_seen ON user_session (tenant_id, seen_at);\n"
"CREATE TABLE api_token (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  user_id BIGINT NOT NULL,\n"
"  token_hash TEXT NOT NULL,\n"
"  name TEXT NOT NULL DEFAULT '',\n"
"  created_at BIGINT NOT NULL,\n"
"  used_at BIGINT,\n"
"  revoked_at BIGINT,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  UNIQUE (tenant_id, token_hash),\n"
"  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id)\n"
");\n"
"CREATE INDEX api_token_user ON api_token (tenant_id, user_id);\n"
/* One row per failed log-in, by login name typed and by client address;
 * rows older than an hour are deleted as new ones come. */
"CREATE TABLE login_failure (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('login','addr')),\n"
"  subject TEXT NOT NULL,\n"
"  at BIGINT NOT NULL\n"
");\n"
"CREATE INDEX login_failure_subject ON login_failure (tenant_id, kind, subject, at);\n"
"ALTER TABLE audit_event ADD COLUMN outcome TEXT NOT NULL DEFAULT 'ok';\n"
"CREATE INDEX audit_event_actor ON audit_event (tenant_id, actor, id);\n"
"CREATE INDEX audit_event_action ON audit_event (tenant_id, action, id);\n";

/* Log-in attempts replace login_failure (domain/throttle.h): each password
 * check is reserved as 'pending' before the hash and settled after it, by
 * login, address and device cookie. Rows older than an hour are dropped as
 * new ones settle. tenant_secret holds per-tenant random keys (the device
 * cookies' MAC key), made by the application on first use. */
static const char m3_attempts[] =
"DROP TABLE login_failure;\n"
"CREATE TABLE login_attempt (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  login TEXT NOT NULL,\n"
"  addr TEXT NOT NULL,\n"
"  device TEXT NOT NULL DEFAULT '',\n"
"  state TEXT NOT NULL CHECK (state IN ('pending','failed','forgiven','ok')),\n"
"  at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, id)\n"
");\n"
"CREATE INDEX login_attempt_login ON login_attempt (tenant_id, login, at);\n"
"CREATE INDEX login_attempt_addr ON login_attempt (tenant_id, addr, at);\n"
"CREATE INDEX login_attempt_device ON login_attempt (tenant_id, device, at);\n"
"CREATE INDEX login_attempt_at ON login_attempt (tenant_id, at);\n"
"CREATE TABLE tenant_secret (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  name TEXT NOT NULL,\n"
"  secret TEXT NOT NULL,\n"
"  created_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, name)\n"
");\n";

/* Each tenant's data version: every write verb adds one inside its
 * transaction (domain/action.c), so caches and ETags can key on it. */
static const char m4_data_version[] =
"ALTER TABLE tenant ADD COLUMN data_version BIGINT NOT NULL DEFAULT 0;\n";

/* A batch's dated phases (domain/batch.h): each phase at most once, in
 * campaign order; by_dates: the phase follows the dates, else the batch's
 * phase column as set by hand. */
static const char m5_batch_phases[] =
"CREATE TABLE batch_phase (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  batch_id BIGINT NOT NULL,\n"
"  phase TEXT NOT NULL CHECK (phase IN ('collecting','screening','claiming','working','evaluating','closed')),\n"
"  starts_at BIGINT NOT NULL,\n"
"  ends_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, batch_id, phase),\n"
"  FOREIGN KEY (tenant_id, batch_id) REFERENCES batch(tenant_id, id)\n"
");\n"
"CREATE UNIQUE INDEX batch_name ON batch (tenant_id, name);\n"
"ALTER TABLE batch ADD COLUMN by_dates INT NOT NULL DEFAULT 0;\n"
"ALTER TABLE batch ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;\n";

/* The intake half of a campaign (issue 8): who proposed a problem (an
 * account, or a resident with an optional name and phone), what it hopes
 * for, its screening (priority, the reason given when rejected or returned,
 * the problem it was merged into), the publication round (发榜) that put it
 * on the board, notifications for users, the complaint and suggestion
 * channel (投诉建议), and per-address counters for anonymous forms. */
static const char m6_intake[] =
"ALTER TABLE problem ADD COLUMN proposer_user_id BIGINT;\n"
"ALTER TABLE problem ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE problem ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE problem ADD COLUMN expected_outcome TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE problem ADD COLUMN residents_concern INT NOT NULL DEFAULT 0;\n"
"ALTER TABLE problem ADD COLUMN priority INT NOT NULL DEFAULT 0;\n"
"ALTER TABLE problem ADD COLUMN screen_reason TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE problem ADD COLUMN returned_at BIGINT;\n"
"ALTER TABLE problem ADD COLUMN publication_id BIGINT;\n"
"ALTER TABLE problem ADD COLUMN carried_from_batch BIGINT;\n"
"CREATE INDEX problem_proposer ON problem (tenant_id, proposer_user_id, id);\n"
"CREATE INDEX problem_merged ON problem (tenant_id, merged_into);\n"
"CREATE TABLE publication (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  batch_id BIGINT NOT NULL,\n"
"  round INT NOT NULL,\n"
"  published_at BIGINT NOT NULL,\n"
"  actor TEXT NOT NULL,\n"
"  n INT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  UNIQUE (tenant_id, batch_id, round),\n"
"  FOREIGN KEY (tenant_id, batch_id) REFERENCES batch(tenant_id, id)\n"
");\n"
"CREATE TABLE notification (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  user_id BIGINT NOT NULL,\n"
"  kind TEXT NOT NULL,\n"
"  object_type TEXT NOT NULL DEFAULT '',\n"
"  object_id BIGINT,\n"
"  title TEXT NOT NULL,\n"
"  body TEXT NOT NULL DEFAULT '',\n"
"  created_at BIGINT NOT NULL,\n"
"  read_at BIGINT,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id)\n"
");\n"
"CREATE INDEX notification_user ON notification (tenant_id, user_id, id);\n"
"CREATE INDEX notification_unread ON notification (tenant_id, user_id, read_at);\n"
"CREATE TABLE complaint (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  ref TEXT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('complaint','suggestion')),\n"
"  user_id BIGINT,\n"
"  name TEXT NOT NULL DEFAULT '',\n"
"  contact TEXT NOT NULL DEFAULT '',\n"
"  subject TEXT NOT NULL,\n"
"  body TEXT NOT NULL,\n"
"  created_at BIGINT NOT NULL,\n"
"  answer TEXT NOT NULL DEFAULT '',\n"
"  answered_by TEXT NOT NULL DEFAULT '',\n"
"  answered_at BIGINT,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  UNIQUE (tenant_id, ref),\n"
"  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id)\n"
");\n"
"CREATE INDEX complaint_user ON complaint (tenant_id, user_id, id);\n"
"CREATE INDEX complaint_open ON complaint (tenant_id, answered_at, id);\n"
/* One row per anonymous submission (a resident's proposal, a complaint),
 * by kind and client address; rows past their window are deleted as new
 * ones come (domain/ratelimit.h). */
"CREATE TABLE rate_event (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  kind TEXT NOT NULL,\n"
"  subject TEXT NOT NULL,\n"
"  at BIGINT NOT NULL\n"
");\n"
"CREATE INDEX rate_event_subject ON rate_event (tenant_id, kind, subject, at);\n";

/* Search by names (issue 8): problem.search_text is a problem's searchable
 * text as domain/search.h defines it (title, description and the names of
 * its counted claim's unit, lead and owner, one per line, ASCII letters
 * lowercased), kept by the domain from here on. This fills it for the rows
 * there are, and adds the pairs of the names to the index, which holds
 * those of the title and the description already (pairs with an ASCII
 * blank are left out, as search.c leaves them out). The counted claim
 * states are spelled as STATE_SQL_COUNTED_CLAIMS has them now: a migration
 * is a snapshot. ASCII letters are folded by replace() in two halves (the
 * SQLite parser refuses 26 nested calls), on the rows that have a letter
 * to fold: lower() changes at least those on both stores, and on
 * PostgreSQL perhaps others, which replace() leaves as they are. The names
 * are the text's tail after the title, the description and the line break
 * between them (length() counts characters on both stores). Search answers
 * change, so each tenant's data version moves. */
#define M7_FOLD_A_M \
	"replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_text" \
	", 'A', 'a'), 'B', 'b'), 'C', 'c'), 'D', 'd'), 'E', 'e')" \
	", 'F', 'f'), 'G', 'g'), 'H', 'h'), 'I', 'i'), 'J', 'j')" \
	", 'K', 'k'), 'L', 'l'), 'M', 'm')"
#define M7_FOLD_N_Z \
	"replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(search_text" \
	", 'N', 'n'), 'O', 'o'), 'P', 'p'), 'Q', 'q'), 'R', 'r')" \
	", 'S', 's'), 'T', 't'), 'U', 'u'), 'V', 'v'), 'W', 'w')" \
	", 'X', 'x'), 'Y', 'y'), 'Z', 'z')"
#define M7_BLANKS "(' ', '\t', '\r', '\n')"
static const char m7_search_names[] =
"ALTER TABLE problem ADD COLUMN search_text TEXT NOT NULL DEFAULT '';\n"
"UPDATE problem SET search_text = title || '\n' || description || coalesce((\n"
"  SELECT '\n' || u.name || '\n' || l.name || '\n' || o.name FROM claim c\n"
"  JOIN unit u ON u.tenant_id = c.tenant_id AND u.id = c.unit_id\n"
"  JOIN person l ON l.tenant_id = c.tenant_id AND l.id = c.lead_person_id\n"
"  JOIN person o ON o.tenant_id = c.tenant_id AND o.id = c.owner_person_id\n"
"  WHERE c.tenant_id = problem.tenant_id AND c.id = (SELECT min(k.id) FROM claim k\n"
"    WHERE k.tenant_id = problem.tenant_id AND k.problem_id = problem.id\n"
"    AND k.state IN ('approved','signed','solved','accepted'))), '');\n"
"UPDATE problem SET search_text = " M7_FOLD_A_M " WHERE search_text <> lower(search_text);\n"
"UPDATE problem SET search_text = " M7_FOLD_N_Z " WHERE search_text <> lower(search_text);\n"
"WITH RECURSIVE pos (tenant_id, problem_id, t, n, i) AS (\n"
"  SELECT tenant_id, id, names, length(names), 1 FROM (SELECT tenant_id, id,\n"
"    substr(search_text, length(title) + length(description) + 2) AS names FROM problem) x\n"
"  WHERE length(names) >= 2\n"
"  UNION ALL SELECT tenant_id, problem_id, t, n, i + 1 FROM pos WHERE i + 1 < n\n"
")\n"
"INSERT INTO problem_gram (tenant_id, gram, problem_id)\n"
"  SELECT tenant_id, substr(t, i, 2), problem_id FROM pos\n"
"  WHERE substr(t, i, 1) NOT IN " M7_BLANKS " AND substr(t, i + 1, 1) NOT IN " M7_BLANKS "\n"
"  ON CONFLICT DO NOTHING;\n"
"UPDATE tenant SET data_version = data_version + 1;\n";

/* The problem_tally triggers: the one place the dialects differ. */
#define TALLY_KEY(r) r ".tenant_id, " r ".batch_id, " r ".category_id, " r ".state, " r ".is_public"
#define TALLY_MATCH(r) "tenant_id = " r ".tenant_id AND batch_id = " r ".batch_id AND category_id = " \
	r ".category_id AND state = " r ".state AND is_public = " r ".is_public"
#define TALLY_ADD(r) "INSERT INTO problem_tally VALUES (" TALLY_KEY(r) ", 1)" \
	" ON CONFLICT (tenant_id, batch_id, category_id, state, is_public) DO UPDATE SET n = problem_tally.n + 1;"
#define TALLY_SUB(r) "UPDATE problem_tally SET n = n - 1 WHERE " TALLY_MATCH(r) ";"

static const char m1_sqlite[] =
"CREATE TRIGGER problem_tally_insert AFTER INSERT ON problem BEGIN " TALLY_ADD("NEW") " END;\n"
"CREATE TRIGGER problem_tally_delete AFTER DELETE ON problem BEGIN " TALLY_SUB("OLD") " END;\n"
"CREATE TRIGGER problem_tally_update AFTER UPDATE OF batch_id, category_id, state, is_public ON problem"
" BEGIN " TALLY_SUB("OLD") " " TALLY_ADD("NEW") " END;\n";

static const char m1_pg[] =
"CREATE FUNCTION problem_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF TG_OP IN ('UPDATE', 'DELETE') THEN " TALLY_SUB("OLD") " END IF;\n"
"  IF TG_OP IN ('UPDATE', 'INSERT') THEN " TALLY_ADD("NEW") " END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
"CREATE TRIGGER problem_tally AFTER INSERT OR DELETE OR UPDATE OF batch_id, category_id, state, is_public"
" ON problem FOR EACH ROW EXECUTE FUNCTION problem_tally_change();\n";

const struct migration migrations[] = {
	{ 1, "core tables", m1_core, m1_sqlite, m1_pg },
	{ 2, "accounts, sessions, tokens, throttling, tenant domains", m2_accounts, NULL, NULL },
	{ 3, "log-in attempts reserved before the hash, tenant secrets", m3_attempts, NULL, NULL },
	{ 4, "tenant data version", m4_data_version, NULL, NULL },
	{ 5, "dated batch phases", m5_batch_phases, NULL, NULL },
	{ 6, "proposals, screening, publication rounds, notifications, complaints", m6_intake, NULL, NULL },
	{ 7, "search by the claiming unit, lead and owner", m7_search_names, NULL, NULL },
};

const int migrations_count = (int)(sizeof(migrations) / sizeof(migrations[0]));
