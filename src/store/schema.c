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

/* The claim half of a campaign (issue 9): claim applications by three
 * routes (self, recommended by the unit, assigned by the 组织部) with the
 * states state.h lists, the applicant, plan, goals and pledge clause, the
 * unit's endorsement, both signatures, the reason of the last decision;
 * task-force roles liaison and mentor; cooperating units of a joint claim;
 * percent metrics with a baseline; progress with difficulties, help needed
 * and next steps; evidence files (stored by SHA-256 under the data
 * directory); supervision notices (督办单); extension requests; comments;
 * each batch's 赛马 width, reporting day and warning window; the daily
 * notification digest.
 *
 * SQLite cannot change a CHECK in place: claim, claim_member and metric are
 * rebuilt (create the new table, copy, drop, rename: the procedure of
 * sqlite.org/lang_altertable.html, run by migrate.c with foreign keys off
 * and checked before commit). PostgreSQL replaces the constraints. */
#define M8_CLAIM_STATES "('endorsing','applied','assigned','approved','rejected','declined','signed','solved',\n" \
	"    'accepted','returned','withdrawn')"
#define M8_MEMBER_ROLES "('lead','owner','member','liaison','mentor')"
#define M8_METRIC_KINDS "('count','money','percent')"
static const char m8_claims[] =
"ALTER TABLE claim ADD COLUMN route TEXT NOT NULL DEFAULT 'self';\n"
"ALTER TABLE claim ADD COLUMN applicant_user_id BIGINT;\n"
"ALTER TABLE claim ADD COLUMN plan TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE claim ADD COLUMN goals TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE claim ADD COLUMN reward_penalty TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE claim ADD COLUMN endorsed_at BIGINT;\n"
"ALTER TABLE claim ADD COLUMN owner_signed_at BIGINT;\n"
"ALTER TABLE claim ADD COLUMN lead_signed_at BIGINT;\n"
"ALTER TABLE claim ADD COLUMN decided_reason TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE claim ADD COLUMN closed_at BIGINT;\n"
"ALTER TABLE claim ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;\n"
"ALTER TABLE metric ADD COLUMN baseline BIGINT NOT NULL DEFAULT 0;\n"
"ALTER TABLE progress ADD COLUMN difficulties TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE progress ADD COLUMN help_needed TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE progress ADD COLUMN next_steps TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE progress ADD COLUMN kind TEXT NOT NULL DEFAULT 'report';\n"
"ALTER TABLE batch ADD COLUMN max_parallel INT NOT NULL DEFAULT 1;\n"
"ALTER TABLE batch ADD COLUMN report_day INT NOT NULL DEFAULT 25;\n"
"ALTER TABLE batch ADD COLUMN warn_days INT NOT NULL DEFAULT 7;\n"
"ALTER TABLE notification ADD COLUMN digest_id BIGINT;\n"
"UPDATE claim SET updated_at = coalesce(solved_at, signed_at, approved_at, applied_at);\n"
"UPDATE claim SET owner_signed_at = signed_at, lead_signed_at = signed_at WHERE signed_at IS NOT NULL;\n"
"CREATE INDEX claim_applicant ON claim (tenant_id, applicant_user_id);\n"
"CREATE TABLE claim_cooperator (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  unit_id BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, claim_id, unit_id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, unit_id) REFERENCES unit(tenant_id, id)\n"
");\n"
"CREATE TABLE evidence (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  progress_id BIGINT,\n"
"  sha256 TEXT NOT NULL,\n"
"  name TEXT NOT NULL,\n"
"  mime TEXT NOT NULL,\n"
"  size BIGINT NOT NULL,\n"
"  user_id BIGINT,\n"
"  created_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, progress_id) REFERENCES progress(tenant_id, id)\n"
");\n"
"CREATE INDEX evidence_claim ON evidence (tenant_id, claim_id, progress_id);\n"
"CREATE INDEX evidence_sha ON evidence (tenant_id, sha256);\n"
"CREATE TABLE supervision (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  reason TEXT NOT NULL,\n"
"  reply_by BIGINT NOT NULL,\n"
"  issued_at BIGINT NOT NULL,\n"
"  issued_by TEXT NOT NULL,\n"
"  reply TEXT NOT NULL DEFAULT '',\n"
"  replied_at BIGINT,\n"
"  replied_by TEXT NOT NULL DEFAULT '',\n"
"  escalated_at BIGINT,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id)\n"
");\n"
"CREATE INDEX supervision_claim ON supervision (tenant_id, claim_id, id);\n"
"CREATE INDEX supervision_open ON supervision (tenant_id, replied_at, reply_by);\n"
"CREATE TABLE extension (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  state TEXT NOT NULL CHECK (state IN ('pending','approved','refused')),\n"
"  reason TEXT NOT NULL,\n"
"  old_deadline BIGINT,\n"
"  new_deadline BIGINT NOT NULL,\n"
"  requested_at BIGINT NOT NULL,\n"
"  requested_by TEXT NOT NULL,\n"
"  decided_at BIGINT,\n"
"  decided_by TEXT NOT NULL DEFAULT '',\n"
"  decision_reason TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id)\n"
");\n"
"CREATE INDEX extension_claim ON extension (tenant_id, claim_id, id);\n"
"CREATE TABLE problem_comment (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  problem_id BIGINT NOT NULL,\n"
"  user_id BIGINT NOT NULL,\n"
"  body TEXT NOT NULL,\n"
"  created_at BIGINT NOT NULL,\n"
"  edited_at BIGINT,\n"
"  removed_at BIGINT,\n"
"  removed_by TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, problem_id) REFERENCES problem(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id)\n"
");\n"
"CREATE INDEX problem_comment_problem ON problem_comment (tenant_id, problem_id, id);\n"
"CREATE TABLE notification_digest (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  user_id BIGINT NOT NULL,\n"
"  day TEXT NOT NULL,\n"
"  n INT NOT NULL,\n"
"  body TEXT NOT NULL,\n"
"  created_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  UNIQUE (tenant_id, user_id, day),\n"
"  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id)\n"
");\n";

static const char m8_sqlite[] =
"CREATE TABLE claim_new (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  problem_id BIGINT NOT NULL,\n"
"  unit_id BIGINT NOT NULL,\n"
"  lead_person_id BIGINT NOT NULL,\n"
"  owner_person_id BIGINT NOT NULL,\n"
"  state TEXT NOT NULL CHECK (state IN " M8_CLAIM_STATES "),\n"
"  pledge TEXT NOT NULL DEFAULT '',\n"
"  deadline BIGINT,\n"
"  applied_at BIGINT NOT NULL,\n"
"  approved_at BIGINT,\n"
"  signed_at BIGINT,\n"
"  solved_at BIGINT,\n"
"  accepted_at BIGINT,\n"
"  route TEXT NOT NULL DEFAULT 'self',\n"
"  applicant_user_id BIGINT,\n"
"  plan TEXT NOT NULL DEFAULT '',\n"
"  goals TEXT NOT NULL DEFAULT '',\n"
"  reward_penalty TEXT NOT NULL DEFAULT '',\n"
"  endorsed_at BIGINT,\n"
"  owner_signed_at BIGINT,\n"
"  lead_signed_at BIGINT,\n"
"  decided_reason TEXT NOT NULL DEFAULT '',\n"
"  closed_at BIGINT,\n"
"  updated_at BIGINT NOT NULL DEFAULT 0,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, problem_id) REFERENCES problem(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, unit_id) REFERENCES unit(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, lead_person_id) REFERENCES person(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, owner_person_id) REFERENCES person(tenant_id, id)\n"
");\n"
"INSERT INTO claim_new SELECT * FROM claim;\n"
"DROP TABLE claim;\n"
"ALTER TABLE claim_new RENAME TO claim;\n"
"CREATE INDEX claim_problem ON claim (tenant_id, problem_id, state);\n"
"CREATE INDEX claim_unit ON claim (tenant_id, unit_id);\n"
"CREATE INDEX claim_applicant ON claim (tenant_id, applicant_user_id);\n"
"CREATE TABLE claim_member_new (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  person_id BIGINT NOT NULL,\n"
"  unit_id BIGINT NOT NULL,\n"
"  role TEXT NOT NULL CHECK (role IN " M8_MEMBER_ROLES "),\n"
"  PRIMARY KEY (tenant_id, claim_id, person_id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, person_id) REFERENCES person(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, unit_id) REFERENCES unit(tenant_id, id)\n"
");\n"
"INSERT INTO claim_member_new SELECT * FROM claim_member;\n"
"DROP TABLE claim_member;\n"
"ALTER TABLE claim_member_new RENAME TO claim_member;\n"
"CREATE INDEX claim_member_person ON claim_member (tenant_id, person_id);\n"
"CREATE TABLE metric_new (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  name TEXT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN " M8_METRIC_KINDS "),\n"
"  uom TEXT NOT NULL,\n"
"  target BIGINT NOT NULL CHECK (target >= 0),\n"
"  achieved BIGINT NOT NULL DEFAULT 0 CHECK (achieved >= 0),\n"
"  baseline BIGINT NOT NULL DEFAULT 0,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id)\n"
");\n"
"INSERT INTO metric_new SELECT * FROM metric;\n"
"DROP TABLE metric;\n"
"ALTER TABLE metric_new RENAME TO metric;\n"
"CREATE INDEX metric_claim ON metric (tenant_id, claim_id);\n";

static const char m8_pg[] =
"ALTER TABLE claim DROP CONSTRAINT claim_state_check;\n"
"ALTER TABLE claim ADD CONSTRAINT claim_state_check CHECK (state IN " M8_CLAIM_STATES ");\n"
"ALTER TABLE claim_member DROP CONSTRAINT claim_member_role_check;\n"
"ALTER TABLE claim_member ADD CONSTRAINT claim_member_role_check CHECK (role IN " M8_MEMBER_ROLES ");\n"
"ALTER TABLE metric DROP CONSTRAINT metric_kind_check;\n"
"ALTER TABLE metric ADD CONSTRAINT metric_kind_check CHECK (kind IN " M8_METRIC_KINDS ");\n";

/* The year's close (issue 10): evaluation panels (考评组) and their
 * members (accounts; an external member's name and organisation), the claims
 * assigned to a panel for the final or the mid-term review, each batch's
 * rubric (criteria with weight, maximum and optional score bands; no rows:
 * the default of domain/rubric.c), each evaluator's scores per round (a
 * return starts the next round; earlier rounds are kept), the accepted
 * result on the claim (score in hundredths, grade, rectification, the
 * mid-term risk, finality after the notice, tolerance); each batch's grade
 * thresholds, 优秀 cap, notice length and mid-term date; public notices
 * (公示) with their items and objections (异议); the working-day calendar
 * (the tenant's own days per year; a year without rows uses the built-in
 * one of domain/calendar.c); practices (经验做法) with their claims and
 * search pairs; promotions gain kinds, posts, a document number and
 * several linked claims; fault-tolerance requests (容错).
 *
 * Scores, totals and thresholds are in hundredths (92.5 is 9250). Dates
 * of the calendar are 'YYYY-MM-DD' text (the tenant's local day). SQLite
 * rebuilds promotion for its kind CHECK; PostgreSQL replaces it. */
#define M9_PROMOTION_KINDS "('promoted','further_use','rank_up','commended')"
static const char m9_evaluation[] =
"ALTER TABLE batch ADD COLUMN grade_excellent INT NOT NULL DEFAULT 9000;\n"
"ALTER TABLE batch ADD COLUMN grade_good INT NOT NULL DEFAULT 8000;\n"
"ALTER TABLE batch ADD COLUMN grade_pass INT NOT NULL DEFAULT 6000;\n"
"ALTER TABLE batch ADD COLUMN excellent_cap INT NOT NULL DEFAULT 30;\n"
"ALTER TABLE batch ADD COLUMN notice_days INT NOT NULL DEFAULT 5;\n"
"ALTER TABLE batch ADD COLUMN midterm_on BIGINT;\n"
"ALTER TABLE claim ADD COLUMN eval_round INT NOT NULL DEFAULT 1;\n"
"ALTER TABLE claim ADD COLUMN score BIGINT;\n"
"ALTER TABLE claim ADD COLUMN grade TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE claim ADD COLUMN evaluated_at BIGINT;\n"
"ALTER TABLE claim ADD COLUMN rectify_plan TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE claim ADD COLUMN rectify_due BIGINT;\n"
"ALTER TABLE claim ADD COLUMN risk TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE claim ADD COLUMN risk_note TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE claim ADD COLUMN risk_at BIGINT;\n"
"ALTER TABLE claim ADD COLUMN final_at BIGINT;\n"
"ALTER TABLE claim ADD COLUMN tolerated INT NOT NULL DEFAULT 0;\n"
"ALTER TABLE promotion ADD COLUMN from_post TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE promotion ADD COLUMN to_post TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE promotion ADD COLUMN doc_no TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE promotion ADD COLUMN recorded_by TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE promotion ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;\n"
"UPDATE promotion SET created_at = at;\n"
"CREATE TABLE promotion_claim (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  promotion_id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, promotion_id, claim_id),\n"
"  FOREIGN KEY (tenant_id, promotion_id) REFERENCES promotion(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id)\n"
");\n"
"INSERT INTO promotion_claim SELECT tenant_id, id, claim_id FROM promotion WHERE claim_id IS NOT NULL;\n"
"CREATE INDEX promotion_claim_claim ON promotion_claim (tenant_id, claim_id);\n"
"CREATE INDEX promotion_person ON promotion (tenant_id, person_id);\n"
"CREATE TABLE panel (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  batch_id BIGINT NOT NULL,\n"
"  name TEXT NOT NULL,\n"
"  created_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  UNIQUE (tenant_id, batch_id, name),\n"
"  FOREIGN KEY (tenant_id, batch_id) REFERENCES batch(tenant_id, id)\n"
");\n"
"CREATE TABLE panel_member (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  panel_id BIGINT NOT NULL,\n"
"  user_id BIGINT NOT NULL,\n"
"  name TEXT NOT NULL DEFAULT '',\n"
"  organisation TEXT NOT NULL DEFAULT '',\n"
"  added_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, panel_id, user_id),\n"
"  FOREIGN KEY (tenant_id, panel_id) REFERENCES panel(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id)\n"
");\n"
"CREATE INDEX panel_member_user ON panel_member (tenant_id, user_id);\n"
"CREATE TABLE panel_claim (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  stage TEXT NOT NULL CHECK (stage IN ('final','midterm')),\n"
"  panel_id BIGINT NOT NULL,\n"
"  assigned_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, claim_id, stage),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, panel_id) REFERENCES panel(tenant_id, id)\n"
");\n"
"CREATE INDEX panel_claim_panel ON panel_claim (tenant_id, panel_id, stage);\n"
"CREATE TABLE rubric_criterion (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  batch_id BIGINT NOT NULL,\n"
"  stage TEXT NOT NULL CHECK (stage IN ('final','midterm')),\n"
"  position INT NOT NULL,\n"
"  name TEXT NOT NULL,\n"
"  weight INT NOT NULL CHECK (weight > 0),\n"
"  max_score BIGINT NOT NULL CHECK (max_score > 0),\n"
"  description TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  UNIQUE (tenant_id, batch_id, stage, name),\n"
"  FOREIGN KEY (tenant_id, batch_id) REFERENCES batch(tenant_id, id)\n"
");\n"
"CREATE INDEX rubric_batch ON rubric_criterion (tenant_id, batch_id, stage, position);\n"
"CREATE TABLE rubric_band (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  criterion_id BIGINT NOT NULL,\n"
"  position INT NOT NULL,\n"
"  label TEXT NOT NULL,\n"
"  score BIGINT NOT NULL CHECK (score >= 0),\n"
"  PRIMARY KEY (tenant_id, criterion_id, position),\n"
"  FOREIGN KEY (tenant_id, criterion_id) REFERENCES rubric_criterion(tenant_id, id)\n"
");\n"
"CREATE TABLE evaluation (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  stage TEXT NOT NULL CHECK (stage IN ('final','midterm')),\n"
"  round INT NOT NULL,\n"
"  panel_id BIGINT NOT NULL,\n"
"  user_id BIGINT NOT NULL,\n"
"  state TEXT NOT NULL CHECK (state IN ('submitted','reopened')),\n"
"  total BIGINT NOT NULL,\n"
"  comment TEXT NOT NULL DEFAULT '',\n"
"  submitted_at BIGINT NOT NULL,\n"
"  reopened_at BIGINT,\n"
"  reopened_by TEXT NOT NULL DEFAULT '',\n"
"  reopen_reason TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  UNIQUE (tenant_id, claim_id, stage, round, user_id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, panel_id) REFERENCES panel(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id)\n"
");\n"
"CREATE INDEX evaluation_user ON evaluation (tenant_id, user_id);\n"
"CREATE TABLE evaluation_score (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  evaluation_id BIGINT NOT NULL,\n"
"  criterion_id BIGINT NOT NULL,\n"
"  score BIGINT NOT NULL CHECK (score >= 0),\n"
"  band INT,\n"
"  PRIMARY KEY (tenant_id, evaluation_id, criterion_id),\n"
"  FOREIGN KEY (tenant_id, evaluation_id) REFERENCES evaluation(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, criterion_id) REFERENCES rubric_criterion(tenant_id, id)\n"
");\n"
"CREATE TABLE notice (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  batch_id BIGINT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('results','promotions')),\n"
"  title TEXT NOT NULL,\n"
"  body TEXT NOT NULL DEFAULT '',\n"
"  starts_on TEXT NOT NULL,\n"
"  ends_on TEXT NOT NULL,\n"
"  working_days INT NOT NULL,\n"
"  state TEXT NOT NULL CHECK (state IN ('open','closed')),\n"
"  outcome TEXT NOT NULL DEFAULT '',\n"
"  created_at BIGINT NOT NULL,\n"
"  created_by TEXT NOT NULL,\n"
"  closed_at BIGINT,\n"
"  closed_by TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, batch_id) REFERENCES batch(tenant_id, id)\n"
");\n"
"CREATE INDEX notice_batch ON notice (tenant_id, batch_id, id);\n"
"CREATE TABLE notice_item (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  notice_id BIGINT NOT NULL,\n"
"  position INT NOT NULL,\n"
"  claim_id BIGINT,\n"
"  promotion_id BIGINT,\n"
"  PRIMARY KEY (tenant_id, notice_id, position),\n"
"  FOREIGN KEY (tenant_id, notice_id) REFERENCES notice(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, promotion_id) REFERENCES promotion(tenant_id, id)\n"
");\n"
"CREATE INDEX notice_item_claim ON notice_item (tenant_id, claim_id);\n"
"CREATE TABLE objection (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  notice_id BIGINT NOT NULL,\n"
"  position INT,\n"
"  name TEXT NOT NULL,\n"
"  contact TEXT NOT NULL,\n"
"  body TEXT NOT NULL,\n"
"  user_id BIGINT,\n"
"  client_addr TEXT NOT NULL DEFAULT '',\n"
"  created_at BIGINT NOT NULL,\n"
"  answer TEXT NOT NULL DEFAULT '',\n"
"  answer_kind TEXT NOT NULL DEFAULT '' CHECK (answer_kind IN ('','upheld','dismissed')),\n"
"  answered_at BIGINT,\n"
"  answered_by TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, notice_id) REFERENCES notice(tenant_id, id)\n"
");\n"
"CREATE INDEX objection_notice ON objection (tenant_id, notice_id, id);\n"
"CREATE TABLE calendar_year (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  year INT NOT NULL,\n"
"  updated_at BIGINT NOT NULL,\n"
"  updated_by TEXT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, year)\n"
");\n"
"CREATE TABLE calendar_day (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  day TEXT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('off','work')),\n"
"  name TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, day)\n"
");\n"
"CREATE TABLE practice (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  title TEXT NOT NULL,\n"
"  summary TEXT NOT NULL,\n"
"  steps TEXT NOT NULL DEFAULT '',\n"
"  conditions TEXT NOT NULL DEFAULT '',\n"
"  state TEXT NOT NULL CHECK (state IN ('draft','recommended','adopted')),\n"
"  author_user_id BIGINT,\n"
"  created_at BIGINT NOT NULL,\n"
"  updated_at BIGINT NOT NULL,\n"
"  recommended_at BIGINT,\n"
"  recommended_by TEXT NOT NULL DEFAULT '',\n"
"  doc_no TEXT NOT NULL DEFAULT '',\n"
"  issuer TEXT NOT NULL DEFAULT '',\n"
"  adopted_on BIGINT,\n"
"  PRIMARY KEY (tenant_id, id)\n"
");\n"
"CREATE INDEX practice_state ON practice (tenant_id, state, id);\n"
"CREATE TABLE practice_claim (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  practice_id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, practice_id, claim_id),\n"
"  FOREIGN KEY (tenant_id, practice_id) REFERENCES practice(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id)\n"
");\n"
"CREATE INDEX practice_claim_claim ON practice_claim (tenant_id, claim_id);\n"
"CREATE TABLE practice_gram (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  gram TEXT NOT NULL,\n"
"  practice_id BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, gram, practice_id),\n"
"  FOREIGN KEY (tenant_id, practice_id) REFERENCES practice(tenant_id, id) ON DELETE CASCADE\n"
");\n"
"CREATE INDEX practice_gram_practice ON practice_gram (tenant_id, practice_id);\n"
"CREATE TABLE tolerance (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  claim_id BIGINT NOT NULL,\n"
"  state TEXT NOT NULL CHECK (state IN ('pending','granted','refused')),\n"
"  reason TEXT NOT NULL,\n"
"  tried TEXT NOT NULL,\n"
"  applied_at BIGINT NOT NULL,\n"
"  applied_by TEXT NOT NULL,\n"
"  applicant_user_id BIGINT,\n"
"  decided_at BIGINT,\n"
"  decided_by TEXT NOT NULL DEFAULT '',\n"
"  basis TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id)\n"
");\n"
"CREATE INDEX tolerance_claim ON tolerance (tenant_id, claim_id, id);\n";

static const char m9_sqlite[] =
"CREATE TABLE promotion_new (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  id BIGINT NOT NULL,\n"
"  person_id BIGINT NOT NULL,\n"
"  claim_id BIGINT,\n"
"  kind TEXT NOT NULL CHECK (kind IN " M9_PROMOTION_KINDS "),\n"
"  note TEXT NOT NULL DEFAULT '',\n"
"  at BIGINT NOT NULL,\n"
"  from_post TEXT NOT NULL DEFAULT '',\n"
"  to_post TEXT NOT NULL DEFAULT '',\n"
"  doc_no TEXT NOT NULL DEFAULT '',\n"
"  recorded_by TEXT NOT NULL DEFAULT '',\n"
"  created_at BIGINT NOT NULL DEFAULT 0,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, person_id) REFERENCES person(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id)\n"
");\n"
"INSERT INTO promotion_new SELECT * FROM promotion;\n"
"DROP TABLE promotion;\n"
"ALTER TABLE promotion_new RENAME TO promotion;\n"
"CREATE INDEX promotion_person ON promotion (tenant_id, person_id);\n";

static const char m9_pg[] =
"ALTER TABLE promotion DROP CONSTRAINT promotion_kind_check;\n"
"ALTER TABLE promotion ADD CONSTRAINT promotion_kind_check CHECK (kind IN " M9_PROMOTION_KINDS ");\n";

/* Reporting (issue 11). A bulletin (简报) is a numbered document: its
 * figures are frozen when it is issued (figures, the stats as JSON), so a
 * printed 第 N 期 never changes afterwards; its highlights are the admin's
 * picks, a claim or a line of text each. The big screen (大屏) is shown
 * without a log-in only when the tenant's admin enables it. */
static const char m10_reporting[] =
"CREATE TABLE bulletin (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  n BIGINT NOT NULL,\n"
"  batch_id BIGINT,\n"
"  period_from TEXT NOT NULL,\n"
"  period_to TEXT NOT NULL,\n"
"  issued_on TEXT NOT NULL,\n"
"  office TEXT NOT NULL,\n"
"  figures TEXT NOT NULL,\n"
"  created_by BIGINT NOT NULL,\n"
"  created_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, n),\n"
"  FOREIGN KEY (tenant_id, batch_id) REFERENCES batch(tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, created_by) REFERENCES app_user(tenant_id, id)\n"
");\n"
"CREATE TABLE bulletin_item (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  bulletin_n BIGINT NOT NULL,\n"
"  position INT NOT NULL,\n"
"  claim_id BIGINT,\n"
"  text TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, bulletin_n, position),\n"
"  FOREIGN KEY (tenant_id, bulletin_n) REFERENCES bulletin(tenant_id, n),\n"
"  FOREIGN KEY (tenant_id, claim_id) REFERENCES claim(tenant_id, id)\n"
");\n"
"ALTER TABLE tenant ADD COLUMN bigscreen INT NOT NULL DEFAULT 0;\n"
/* The statistics walk the counted claims by state (lights, unit table,
 * months) and the final scores, without reading the claims' texts. */
"CREATE INDEX claim_stats ON claim (tenant_id, state, problem_id, unit_id);\n"
"CREATE INDEX claim_final ON claim (tenant_id, final_at);\n"
;

/* The claim tallies' keys (m11): the claim states that count
 * (STATE_SQL_COUNTED_CLAIMS, STATE_SQL_SOLVED_CLAIMS in domain/state.h,
 * repeated here as the store does not include the domain), whether claim r's
 * score is final (stats.c FINAL_SQL), its final grade and score. */
#define CT_COUNTED "('approved','signed','solved','accepted')"
#define CT_SOLVED "('solved','accepted')"
#define CT_IS_FINAL(r) r ".final_at IS NOT NULL AND " r ".score IS NOT NULL AND " r ".state = 'accepted'"
#define CT_FINAL(r) "(CASE WHEN " CT_IS_FINAL(r) " THEN 1 ELSE 0 END)"
#define CT_GRADE(r) "(CASE WHEN " CT_IS_FINAL(r) " THEN " r ".grade ELSE '' END)"
#define CT_SCORE(r) "(CASE WHEN " CT_IS_FINAL(r) " THEN " r ".score ELSE 0 END)"
#define CT_DAY(col) "(" col " + 28800) / 86400"
/* Rows (tenant_id, batch_id, kind, day) of the claims with col set, in states. */
#define CT_DAY_ROWS(col, kind, states) \
	"SELECT k.tenant_id, p.batch_id, " kind " AS kind, " CT_DAY("k." col) " AS day FROM claim k" \
	" JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id" \
	" WHERE k." col " IS NOT NULL AND k.state IN " states

/* The dashboard's counters (issue 11 §1), so its figures take the same time
 * at 10k claims as at 1M.
 * Each claim's light (enum light, claim.h) as of light_at, valid until
 * light_until (the first moment it may change by time alone; 0: to be
 * worked out), with its batch then and, when red, the earliest date it
 * missed (0: red by a risk mark). Kept by claim_lights_keep()
 * (domain/claim_light.c); the triggers of m11_sqlite / m11_pg reset
 * light_until in the transaction of every change to what the light is
 * computed from, and new claims start at 0. */
static const char m11_tallies[] =
"ALTER TABLE claim ADD COLUMN light INT NOT NULL DEFAULT 0;\n"
"ALTER TABLE claim ADD COLUMN light_at BIGINT NOT NULL DEFAULT 0;\n"
"ALTER TABLE claim ADD COLUMN light_until BIGINT NOT NULL DEFAULT 0;\n"
"ALTER TABLE claim ADD COLUMN light_batch_id BIGINT NOT NULL DEFAULT 0;\n"
"ALTER TABLE claim ADD COLUMN overdue_since BIGINT NOT NULL DEFAULT 0;\n"
"CREATE INDEX claim_light_until ON claim (tenant_id, light_until);\n"
"CREATE INDEX claim_light_at ON claim (tenant_id, light_at);\n"
"CREATE INDEX claim_red ON claim (tenant_id, light, light_batch_id, overdue_since, id);\n"
/* Claim counts for the dashboard, kept by the triggers of m11_sqlite /
 * m11_pg in the same transaction as every change to claim, claim_member
 * and problem, so stats_get() reads rows whose number grows with units,
 * categories, batches, days and people, never with claims. Derived data:
 * never copied, always rebuilt (copy.c), and backfilled here.
 * claim_tally: claims by batch, category, unit, state, stored light and
 * final grade (final: the score counts, FINAL_SQL in stats.c; score_sum
 * then). */
"CREATE TABLE claim_tally (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  batch_id BIGINT NOT NULL,\n"
"  category_id BIGINT NOT NULL,\n"
"  unit_id BIGINT NOT NULL,\n"
"  state TEXT NOT NULL,\n"
"  final INT NOT NULL,\n"
"  grade TEXT NOT NULL,\n"
"  light INT NOT NULL,\n"
"  n BIGINT NOT NULL,\n"
"  score_sum BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, batch_id, category_id, unit_id, state, final, grade, light)\n"
");\n"
/* claim_member_tally: per batch and person, the memberships of counted
 * claims (distinct cadres are the rows with n > 0). */
"CREATE TABLE claim_member_tally (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  batch_id BIGINT NOT NULL,\n"
"  person_id BIGINT NOT NULL,\n"
"  n BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, batch_id, person_id)\n"
");\n"
/* claim_day_tally: per batch, claims approved (kind 0, counted claims),
 * solved (1, solved or accepted) and accepted (2) by local day (UTC+8). */
"CREATE TABLE claim_day_tally (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  batch_id BIGINT NOT NULL,\n"
"  kind INT NOT NULL,\n"
"  day BIGINT NOT NULL,\n"
"  n BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, batch_id, kind, day)\n"
");\n"
/* The months' last day is read from the claims themselves (stats.c). */
"CREATE INDEX claim_approved ON claim (tenant_id, approved_at);\n"
"CREATE INDEX claim_solved ON claim (tenant_id, solved_at);\n"
"CREATE INDEX claim_accepted ON claim (tenant_id, accepted_at);\n"
"INSERT INTO claim_tally SELECT k.tenant_id, p.batch_id, p.category_id, k.unit_id, k.state, " CT_FINAL("k") ", "
CT_GRADE("k") ", k.light, count(*), coalesce(sum(" CT_SCORE("k") "), 0) FROM claim k"
" JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
" GROUP BY k.tenant_id, p.batch_id, p.category_id, k.unit_id, k.state, " CT_FINAL("k") ", " CT_GRADE("k") ", k.light;\n"
"INSERT INTO claim_member_tally SELECT m.tenant_id, p.batch_id, m.person_id, count(*) FROM claim_member m"
" JOIN claim k ON k.tenant_id = m.tenant_id AND k.id = m.claim_id"
" JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id"
" WHERE k.state IN " CT_COUNTED " GROUP BY m.tenant_id, p.batch_id, m.person_id;\n"
"INSERT INTO claim_day_tally SELECT tenant_id, batch_id, kind, day, count(*) FROM ("
CT_DAY_ROWS("approved_at", "0", CT_COUNTED) " UNION ALL " CT_DAY_ROWS("solved_at", "1", CT_SOLVED)
" UNION ALL " CT_DAY_ROWS("accepted_at", "2", "('accepted')")
") x GROUP BY tenant_id, batch_id, kind, day;\n"
;


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

/* The claim tallies' triggers (m11). Every change adds a signed delta
 * (sg: "1" or "-1") with an upsert, so a row's removal and its arrival are
 * the same statement; rows that fall to 0 stay. Claim r is NEW or OLD. */
#define CT_KEY "tenant_id, batch_id, category_id, unit_id, state, final, grade, light"
#define CT_UPSERT(t, cols) " ON CONFLICT (" cols ") DO UPDATE SET n = " t ".n + excluded.n"
/* l: the light counted (OLD.light for the new row of an update: a change
 * of light is claim_tally_light's, so that both firing count it once). */
#define CT_CLAIM(r, sg, l) \
	"INSERT INTO claim_tally SELECT " r ".tenant_id, p.batch_id, p.category_id, " r ".unit_id, " r ".state, " \
	CT_FINAL(r) ", " CT_GRADE(r) ", " l ".light, " sg ", " sg " * " CT_SCORE(r) " FROM problem p" \
	" WHERE p.tenant_id = " r ".tenant_id AND p.id = " r ".problem_id" \
	CT_UPSERT("claim_tally", CT_KEY) \
	", score_sum = claim_tally.score_sum + excluded.score_sum;"
#define CT_DAY1(r, col, kind, states, sg) \
	"INSERT INTO claim_day_tally SELECT " r ".tenant_id, p.batch_id, " kind ", " CT_DAY(r "." col) ", " sg \
	" FROM problem p WHERE p.tenant_id = " r ".tenant_id AND p.id = " r ".problem_id AND " r "." col " IS NOT NULL" \
	" AND " r ".state IN " states CT_UPSERT("claim_day_tally", "tenant_id, batch_id, kind, day") ";"
/* The members of claim r when it counts. */
#define CT_MEMBERS(r, sg) \
	"INSERT INTO claim_member_tally SELECT m.tenant_id, p.batch_id, m.person_id, " sg " FROM claim_member m" \
	" JOIN problem p ON p.tenant_id = m.tenant_id AND p.id = " r ".problem_id" \
	" WHERE m.tenant_id = " r ".tenant_id AND m.claim_id = " r ".id AND " r ".state IN " CT_COUNTED \
	CT_UPSERT("claim_member_tally", "tenant_id, batch_id, person_id") ";"
#define CT_ROW(r, sg, l) CT_CLAIM(r, sg, l) " " CT_DAY1(r, "approved_at", "0", CT_COUNTED, sg) " " \
	CT_DAY1(r, "solved_at", "1", CT_SOLVED, sg) " " CT_DAY1(r, "accepted_at", "2", "('accepted')", sg) " "
/* Membership r (of claim_member) when its claim counts. */
#define CT_MEMBER(r, sg) \
	"INSERT INTO claim_member_tally SELECT " r ".tenant_id, p.batch_id, " r ".person_id, " sg " FROM claim k" \
	" JOIN problem p ON p.tenant_id = k.tenant_id AND p.id = k.problem_id" \
	" WHERE k.tenant_id = " r ".tenant_id AND k.id = " r ".claim_id AND k.state IN " CT_COUNTED \
	CT_UPSERT("claim_member_tally", "tenant_id, batch_id, person_id") ";"
/* The claims of problem r moving with its batch and category (b: "OLD" or
 * "NEW", whose batch and category they are counted under). */
#define CT_PROBLEM(b, sg) \
	"INSERT INTO claim_tally SELECT k.tenant_id, " b ".batch_id, " b ".category_id, k.unit_id, k.state, " \
	CT_FINAL("k") ", " CT_GRADE("k") ", k.light, " sg " * count(*), " sg " * sum(" CT_SCORE("k") ") FROM claim k" \
	" WHERE k.tenant_id = NEW.tenant_id AND k.problem_id = NEW.id" \
	" GROUP BY k.tenant_id, k.unit_id, k.state, " CT_FINAL("k") ", " CT_GRADE("k") ", k.light" \
	CT_UPSERT("claim_tally", CT_KEY) \
	", score_sum = claim_tally.score_sum + excluded.score_sum;" \
	"INSERT INTO claim_member_tally SELECT m.tenant_id, " b ".batch_id, m.person_id, " sg " * count(*)" \
	" FROM claim_member m JOIN claim k ON k.tenant_id = m.tenant_id AND k.id = m.claim_id" \
	" WHERE k.tenant_id = NEW.tenant_id AND k.problem_id = NEW.id AND k.state IN " CT_COUNTED \
	" GROUP BY m.tenant_id, m.person_id" CT_UPSERT("claim_member_tally", "tenant_id, batch_id, person_id") ";" \
	CT_PROBLEM_DAY(b, "approved_at", "0", CT_COUNTED, sg) CT_PROBLEM_DAY(b, "solved_at", "1", CT_SOLVED, sg) \
	CT_PROBLEM_DAY(b, "accepted_at", "2", "('accepted')", sg)
#define CT_PROBLEM_DAY(b, col, kind, states, sg) \
	"INSERT INTO claim_day_tally SELECT k.tenant_id, " b ".batch_id, " kind ", " CT_DAY("k." col) ", " sg " * count(*)" \
	" FROM claim k WHERE k.tenant_id = NEW.tenant_id AND k.problem_id = NEW.id AND k." col " IS NOT NULL" \
	" AND k.state IN " states " GROUP BY k.tenant_id, " CT_DAY("k." col) \
	CT_UPSERT("claim_day_tally", "tenant_id, batch_id, kind, day") ";"
#define CT_CLAIM_COLS "state, unit_id, problem_id, final_at, score, grade, approved_at, solved_at, accepted_at"
/* What a claim's light is computed from (claim_read.c LIGHT_COLS, the batch's
 * as-of moment): a change resets light_until of the claims concerned. */
#define LT_CLAIM_COLS "state, deadline, risk, signed_at, approved_at, problem_id"
#define LT_STALE(r, col) "UPDATE claim SET light_until = 0 WHERE tenant_id = " r ".tenant_id AND id = " r "." col ";"
#define LT_STALE_BATCH(r, col) "UPDATE claim SET light_until = 0 WHERE tenant_id = " r ".tenant_id AND problem_id IN" \
	" (SELECT p.id FROM problem p WHERE p.tenant_id = " r ".tenant_id AND p.batch_id = " r "." col ");"
#define LT_BATCH_CHANGED "OLD.phase <> NEW.phase OR OLD.by_dates <> NEW.by_dates OR OLD.closes_at <> NEW.closes_at" \
	" OR OLD.report_day <> NEW.report_day OR OLD.warn_days <> NEW.warn_days"
#define LT_PHASE_CHANGED "OLD.starts_at <> NEW.starts_at OR OLD.ends_at <> NEW.ends_at OR OLD.phase <> NEW.phase" \
	" OR OLD.batch_id <> NEW.batch_id"
/* The tables of a claim's light inputs with the column naming the claim. */
#define LT_SQLITE_CHILD(t, cols) \
	"CREATE TRIGGER " t "_light_insert AFTER INSERT ON " t " BEGIN " LT_STALE("NEW", "claim_id") " END;\n" \
	"CREATE TRIGGER " t "_light_delete AFTER DELETE ON " t " BEGIN " LT_STALE("OLD", "claim_id") " END;\n" \
	"CREATE TRIGGER " t "_light_update AFTER UPDATE OF " cols " ON " t " BEGIN " LT_STALE("OLD", "claim_id") \
	LT_STALE("NEW", "claim_id") " END;\n"
#define LT_PG_CHILD(t, cols) \
	"CREATE TRIGGER " t "_light AFTER INSERT OR DELETE OR UPDATE OF " cols " ON " t \
	" FOR EACH ROW EXECUTE FUNCTION claim_light_stale();\n"

static const char m11_sqlite[] =
"CREATE TRIGGER claim_tally_insert AFTER INSERT ON claim BEGIN " CT_ROW("NEW", "1", "NEW") CT_MEMBERS("NEW", "1") " END;\n"
"CREATE TRIGGER claim_tally_delete AFTER DELETE ON claim BEGIN " CT_ROW("OLD", "-1", "OLD") CT_MEMBERS("OLD", "-1") " END;\n"
"CREATE TRIGGER claim_tally_update AFTER UPDATE OF " CT_CLAIM_COLS " ON claim BEGIN "
CT_ROW("OLD", "-1", "OLD") CT_MEMBERS("OLD", "-1") CT_ROW("NEW", "1", "OLD") CT_MEMBERS("NEW", "1") " END;\n"
/* a stored light worked out again (claim_light.c) moves claim_tally only */
"CREATE TRIGGER claim_tally_light AFTER UPDATE OF light ON claim WHEN OLD.light <> NEW.light BEGIN "
CT_CLAIM("NEW", "-1", "OLD") " " CT_CLAIM("NEW", "1", "NEW") " END;\n"
"CREATE TRIGGER claim_member_tally_insert AFTER INSERT ON claim_member BEGIN " CT_MEMBER("NEW", "1") " END;\n"
"CREATE TRIGGER claim_member_tally_delete AFTER DELETE ON claim_member BEGIN " CT_MEMBER("OLD", "-1") " END;\n"
"CREATE TRIGGER claim_member_tally_update AFTER UPDATE OF claim_id, person_id ON claim_member BEGIN "
CT_MEMBER("OLD", "-1") CT_MEMBER("NEW", "1") " END;\n"
"CREATE TRIGGER claim_tally_problem AFTER UPDATE OF batch_id, category_id ON problem"
" WHEN OLD.batch_id <> NEW.batch_id OR OLD.category_id <> NEW.category_id BEGIN "
CT_PROBLEM("OLD", "-1") CT_PROBLEM("NEW", "1") " END;\n"
"CREATE TRIGGER claim_light_update AFTER UPDATE OF " LT_CLAIM_COLS " ON claim BEGIN " LT_STALE("NEW", "id") " END;\n"
LT_SQLITE_CHILD("milestone", "claim_id, due_at, done_at")
LT_SQLITE_CHILD("progress", "claim_id, at")
LT_SQLITE_CHILD("metric", "claim_id, baseline, target, achieved")
"CREATE TRIGGER problem_light_update AFTER UPDATE OF batch_id ON problem WHEN OLD.batch_id <> NEW.batch_id BEGIN"
" UPDATE claim SET light_until = 0 WHERE tenant_id = NEW.tenant_id AND problem_id = NEW.id; END;\n"
"CREATE TRIGGER batch_light_update AFTER UPDATE ON batch WHEN " LT_BATCH_CHANGED " BEGIN "
LT_STALE_BATCH("NEW", "id") " END;\n"
"CREATE TRIGGER batch_phase_light_insert AFTER INSERT ON batch_phase BEGIN " LT_STALE_BATCH("NEW", "batch_id") " END;\n"
"CREATE TRIGGER batch_phase_light_delete AFTER DELETE ON batch_phase BEGIN " LT_STALE_BATCH("OLD", "batch_id") " END;\n"
"CREATE TRIGGER batch_phase_light_update AFTER UPDATE ON batch_phase WHEN " LT_PHASE_CHANGED " BEGIN "
LT_STALE_BATCH("OLD", "batch_id") LT_STALE_BATCH("NEW", "batch_id") " END;\n";

static const char m11_pg[] =
"CREATE FUNCTION claim_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF TG_OP IN ('UPDATE', 'DELETE') THEN " CT_ROW("OLD", "-1", "OLD") CT_MEMBERS("OLD", "-1") " END IF;\n"
"  IF TG_OP = 'INSERT' THEN " CT_ROW("NEW", "1", "NEW") CT_MEMBERS("NEW", "1") " END IF;\n"
"  IF TG_OP = 'UPDATE' THEN " CT_ROW("NEW", "1", "OLD") CT_MEMBERS("NEW", "1") " END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
"CREATE TRIGGER claim_tally AFTER INSERT OR DELETE OR UPDATE OF " CT_CLAIM_COLS
" ON claim FOR EACH ROW EXECUTE FUNCTION claim_tally_change();\n"
"CREATE FUNCTION claim_tally_light() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF OLD.light <> NEW.light THEN " CT_CLAIM("NEW", "-1", "OLD") " " CT_CLAIM("NEW", "1", "NEW") " END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
"CREATE TRIGGER claim_tally_light AFTER UPDATE OF light ON claim FOR EACH ROW EXECUTE FUNCTION claim_tally_light();\n"
"CREATE FUNCTION claim_member_tally_change() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF TG_OP IN ('UPDATE', 'DELETE') THEN " CT_MEMBER("OLD", "-1") " END IF;\n"
"  IF TG_OP IN ('UPDATE', 'INSERT') THEN " CT_MEMBER("NEW", "1") " END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
"CREATE TRIGGER claim_member_tally AFTER INSERT OR DELETE OR UPDATE OF claim_id, person_id"
" ON claim_member FOR EACH ROW EXECUTE FUNCTION claim_member_tally_change();\n"
"CREATE FUNCTION claim_tally_problem() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF OLD.batch_id <> NEW.batch_id OR OLD.category_id <> NEW.category_id THEN "
CT_PROBLEM("OLD", "-1") CT_PROBLEM("NEW", "1") " END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
"CREATE TRIGGER claim_tally_problem AFTER UPDATE OF batch_id, category_id"
" ON problem FOR EACH ROW EXECUTE FUNCTION claim_tally_problem();\n"
"CREATE FUNCTION claim_light_reset() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  NEW.light_until := 0;\n"
"  RETURN NEW;\n"
"END $$;\n"
"CREATE TRIGGER claim_light BEFORE UPDATE OF " LT_CLAIM_COLS
" ON claim FOR EACH ROW EXECUTE FUNCTION claim_light_reset();\n"
"CREATE FUNCTION claim_light_stale() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF TG_OP IN ('UPDATE', 'DELETE') THEN " LT_STALE("OLD", "claim_id") " END IF;\n"
"  IF TG_OP IN ('UPDATE', 'INSERT') THEN " LT_STALE("NEW", "claim_id") " END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
LT_PG_CHILD("milestone", "claim_id, due_at, done_at")
LT_PG_CHILD("progress", "claim_id, at")
LT_PG_CHILD("metric", "claim_id, baseline, target, achieved")
"CREATE FUNCTION problem_light_stale() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF OLD.batch_id <> NEW.batch_id THEN"
"    UPDATE claim SET light_until = 0 WHERE tenant_id = NEW.tenant_id AND problem_id = NEW.id;"
"  END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
"CREATE TRIGGER problem_light AFTER UPDATE OF batch_id ON problem FOR EACH ROW EXECUTE FUNCTION problem_light_stale();\n"
"CREATE FUNCTION batch_light_stale() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF " LT_BATCH_CHANGED " THEN " LT_STALE_BATCH("NEW", "id") " END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
"CREATE TRIGGER batch_light AFTER UPDATE ON batch FOR EACH ROW EXECUTE FUNCTION batch_light_stale();\n"
"CREATE FUNCTION batch_phase_light_stale() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (" LT_PHASE_CHANGED ")) THEN "
LT_STALE_BATCH("OLD", "batch_id") " END IF;\n"
"  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (" LT_PHASE_CHANGED ")) THEN "
LT_STALE_BATCH("NEW", "batch_id") " END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
"CREATE TRIGGER batch_phase_light AFTER INSERT OR DELETE OR UPDATE ON batch_phase"
" FOR EACH ROW EXECUTE FUNCTION batch_phase_light_stale();\n";

/* Many counties, one deployment (issue 12 §6): a tenant may be under a
 * parent (a county under its city, a city under its province), whose
 * leaders see the figures of the tenants under it (domain/region.c). */
static const char m12_regions[] =
"ALTER TABLE tenant ADD COLUMN parent_id BIGINT REFERENCES tenant(id);\n"
"CREATE INDEX tenant_parent ON tenant (parent_id);\n";

/* The deployment's operator (domain/perm.h ROLE_OPERATOR) joins the roles
 * user_role accepts: SQLite rebuilds the table for its CHECK. */
#define M12_ROLES "('admin','unit_admin','cadre','evaluator','leader','operator')"
static const char m12_sqlite[] =
"CREATE TABLE user_role_new (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  user_id BIGINT NOT NULL,\n"
"  role TEXT NOT NULL CHECK (role IN " M12_ROLES "),\n"
"  PRIMARY KEY (tenant_id, user_id, role),\n"
"  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id)\n"
");\n"
"INSERT INTO user_role_new SELECT tenant_id, user_id, role FROM user_role;\n"
"DROP TABLE user_role;\n"
"ALTER TABLE user_role_new RENAME TO user_role;\n";

static const char m12_pg[] =
"ALTER TABLE user_role DROP CONSTRAINT user_role_role_check;\n"
"ALTER TABLE user_role ADD CONSTRAINT user_role_role_check CHECK (role IN " M12_ROLES ");\n";

/* Group robots and webhooks (issue 12 §4, domain/robot.h): a tenant's
 * outgoing channels and the outbox the verbs write to in their own
 * transaction. outbox.next_at is in epoch MILLISECONDS (short test
 * backoffs); delivery_id is random and unique, the receivers' dedupe key. */
static const char m13_robots[] =
"CREATE TABLE robot (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  kind TEXT NOT NULL CHECK (kind IN ('dingtalk','wecom','webhook')),\n"
"  name TEXT NOT NULL,\n"
"  url TEXT NOT NULL,\n"
"  secret TEXT NOT NULL DEFAULT '',\n"
"  events TEXT NOT NULL DEFAULT '',\n"
"  enabled INT NOT NULL DEFAULT 1,\n"
"  created_at BIGINT NOT NULL,\n"
"  updated_at BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, id)\n"
");\n"
"CREATE TABLE outbox (\n"
"  tenant_id BIGINT NOT NULL REFERENCES tenant(id),\n"
"  id BIGINT NOT NULL,\n"
"  robot_id BIGINT NOT NULL,\n"
"  event TEXT NOT NULL,\n"
"  delivery_id TEXT NOT NULL UNIQUE,\n"
"  body TEXT NOT NULL,\n"
"  state TEXT NOT NULL CHECK (state IN ('pending','sent','dead')),\n"
"  attempts INT NOT NULL DEFAULT 0,\n"
"  next_at BIGINT NOT NULL,\n"
"  last_error TEXT NOT NULL DEFAULT '',\n"
"  created_at BIGINT NOT NULL,\n"
"  sent_at BIGINT,\n"
"  PRIMARY KEY (tenant_id, id),\n"
"  FOREIGN KEY (tenant_id, robot_id) REFERENCES robot(tenant_id, id)\n"
");\n"
"CREATE INDEX outbox_due ON outbox (state, next_at);\n"
"CREATE INDEX outbox_robot ON outbox (tenant_id, robot_id, event, created_at);\n"
;

/* Every tenant's headline counts in a few rows (issue 12 §6: a parent's
 * 辖区汇总 over 1,000 counties reads some ten rows a county in one pass,
 * not the hundreds of problem_tally and claim_tally): problems by state
 * and is_public (kind 0), claims by state and stored light (kind 1),
 * promotions (kind 2) and practices by state (kind 3). Kept by triggers
 * on the two tallies themselves and on promotion and practice, so in the
 * same transaction as every write. SQLite migrations that rebuild
 * promotion or practice must create their triggers again. */
static const char m14_tenant_tally[] =
"CREATE TABLE tenant_tally (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  kind INT NOT NULL,\n"
"  state TEXT NOT NULL,\n"
"  x INT NOT NULL,\n"
"  n BIGINT NOT NULL,\n"
"  PRIMARY KEY (tenant_id, kind, state, x)\n"
");\n"
"INSERT INTO tenant_tally SELECT tenant_id, 0, state, is_public, sum(n) FROM problem_tally"
" GROUP BY tenant_id, state, is_public;\n"
"INSERT INTO tenant_tally SELECT tenant_id, 1, state, light, sum(n) FROM claim_tally GROUP BY tenant_id, state, light;\n"
"INSERT INTO tenant_tally SELECT tenant_id, 2, '', 0, count(*) FROM promotion GROUP BY tenant_id;\n"
"INSERT INTO tenant_tally SELECT tenant_id, 3, state, 0, count(*) FROM practice GROUP BY tenant_id, state;\n";

/* Add n to tenant r.tenant_id's row (kind, state, x): SQL expressions. */
#define TT_PUT(r, kind, state, x, n) \
	"INSERT INTO tenant_tally VALUES (" r ".tenant_id, " kind ", " state ", " x ", " n ")" \
	" ON CONFLICT (tenant_id, kind, state, x) DO UPDATE SET n = tenant_tally.n + excluded.n;"
/* Row r of problem_tally (kind 0, x is_public) or claim_tally (kind 1, x
 * light) added with sign sg. */
#define TT_ADD(r, kind, x, sg) TT_PUT(r, kind, r ".state", r "." x, sg r ".n")
#define TT_SQLITE(t, kind, x) \
	"CREATE TRIGGER " t "_tenant_insert AFTER INSERT ON " t " BEGIN " TT_ADD("NEW", kind, x, "") " END;\n" \
	"CREATE TRIGGER " t "_tenant_delete AFTER DELETE ON " t " BEGIN " TT_ADD("OLD", kind, x, "-") " END;\n" \
	"CREATE TRIGGER " t "_tenant_update AFTER UPDATE ON " t " BEGIN " TT_ADD("OLD", kind, x, "-") \
	TT_ADD("NEW", kind, x, "") " END;\n"
#define TT_PG(t, kind, x) \
	"CREATE FUNCTION " t "_tenant() RETURNS trigger LANGUAGE plpgsql AS $$\n" \
	"BEGIN\n" \
	"  IF TG_OP IN ('UPDATE', 'DELETE') THEN " TT_ADD("OLD", kind, x, "-") " END IF;\n" \
	"  IF TG_OP IN ('UPDATE', 'INSERT') THEN " TT_ADD("NEW", kind, x, "") " END IF;\n" \
	"  RETURN NULL;\n" \
	"END $$;\n" \
	"CREATE TRIGGER " t "_tenant AFTER INSERT OR DELETE OR UPDATE ON " t \
	" FOR EACH ROW EXECUTE FUNCTION " t "_tenant();\n"
/* A promotion (kind 2) or a practice by its state (kind 3), counted once. */
#define TT_PROMOTION(r, sg) TT_PUT(r, "2", "''", "0", sg "1")
#define TT_PRACTICE(r, sg) TT_PUT(r, "3", r ".state", "0", sg "1")

static const char m14_sqlite[] =
TT_SQLITE("problem_tally", "0", "is_public") TT_SQLITE("claim_tally", "1", "light")
"CREATE TRIGGER promotion_tenant_insert AFTER INSERT ON promotion BEGIN " TT_PROMOTION("NEW", "") " END;\n"
"CREATE TRIGGER promotion_tenant_delete AFTER DELETE ON promotion BEGIN " TT_PROMOTION("OLD", "-") " END;\n"
"CREATE TRIGGER practice_tenant_insert AFTER INSERT ON practice BEGIN " TT_PRACTICE("NEW", "") " END;\n"
"CREATE TRIGGER practice_tenant_delete AFTER DELETE ON practice BEGIN " TT_PRACTICE("OLD", "-") " END;\n"
"CREATE TRIGGER practice_tenant_update AFTER UPDATE OF state ON practice BEGIN " TT_PRACTICE("OLD", "-")
TT_PRACTICE("NEW", "") " END;\n";

static const char m14_pg[] =
TT_PG("problem_tally", "0", "is_public") TT_PG("claim_tally", "1", "light")
"CREATE FUNCTION promotion_tenant() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF TG_OP = 'DELETE' THEN " TT_PROMOTION("OLD", "-") " END IF;\n"
"  IF TG_OP = 'INSERT' THEN " TT_PROMOTION("NEW", "") " END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
"CREATE TRIGGER promotion_tenant AFTER INSERT OR DELETE ON promotion FOR EACH ROW EXECUTE FUNCTION promotion_tenant();\n"
"CREATE FUNCTION practice_tenant() RETURNS trigger LANGUAGE plpgsql AS $$\n"
"BEGIN\n"
"  IF TG_OP IN ('UPDATE', 'DELETE') THEN " TT_PRACTICE("OLD", "-") " END IF;\n"
"  IF TG_OP IN ('UPDATE', 'INSERT') THEN " TT_PRACTICE("NEW", "") " END IF;\n"
"  RETURN NULL;\n"
"END $$;\n"
"CREATE TRIGGER practice_tenant AFTER INSERT OR DELETE OR UPDATE OF state ON practice"
" FOR EACH ROW EXECUTE FUNCTION practice_tenant();\n";

/* The audit log as a hash chain (domain/audit_chain.c): each entry's hash
 * covers the hash before it in its tenant and its own fields. Entries
 * written before this version have '' until audit_seal() hashes them —
 * only those, up to audit_legacy's last_id of their tenant, whose row goes
 * once they are sealed: an entry whose hash is blanked later is broken,
 * not sealed again. */
static const char m15_audit_chain[] =
"ALTER TABLE audit_event ADD COLUMN hash TEXT NOT NULL DEFAULT '';\n"
"CREATE INDEX audit_event_unsealed ON audit_event (tenant_id, id) WHERE hash = '';\n"
"CREATE TABLE audit_legacy (\n"
"  tenant_id BIGINT PRIMARY KEY REFERENCES tenant(id),\n"
"  last_id BIGINT NOT NULL\n"
");\n"
"INSERT INTO audit_legacy (tenant_id, last_id) SELECT tenant_id, max(id) FROM audit_event GROUP BY tenant_id;\n";

/* The browser of each session, for "my sessions" (domain/sessions.c). */
static const char m16_session_agent[] =
"ALTER TABLE user_session ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';\n";

/* Two-factor log-in and re-authentication (domain/totp.h, issue 13 §5):
 * the user's TOTP secret (base32, not encrypted: there is no key outside
 * the store), an enrolment's secret until confirmed, the last step used
 * (no code twice) and the recovery codes' hashes; when each session last
 * proved its password (sudo mode); the tenant's rule that admins and unit
 * liaisons must use it; log-ins whose password was right, waiting for the
 * code (login_pending, minutes long). */
static const char m17_totp[] =
"ALTER TABLE app_user ADD COLUMN totp_secret TEXT;\n"
"ALTER TABLE app_user ADD COLUMN totp_pending TEXT;\n"
"ALTER TABLE app_user ADD COLUMN totp_step BIGINT NOT NULL DEFAULT 0;\n"
"ALTER TABLE app_user ADD COLUMN totp_recovery TEXT NOT NULL DEFAULT '';\n"
"ALTER TABLE user_session ADD COLUMN auth_at BIGINT NOT NULL DEFAULT 0;\n"
"ALTER TABLE tenant ADD COLUMN require_totp INT NOT NULL DEFAULT 0;\n"
"CREATE TABLE login_pending (\n"
"  tenant_id BIGINT NOT NULL,\n"
"  token_hash TEXT NOT NULL,\n"
"  user_id BIGINT NOT NULL,\n"
"  created_at BIGINT NOT NULL,\n"
"  tries INT NOT NULL DEFAULT 0,\n"
"  next TEXT NOT NULL DEFAULT '',\n"
"  PRIMARY KEY (tenant_id, token_hash),\n"
"  FOREIGN KEY (tenant_id, user_id) REFERENCES app_user(tenant_id, id)\n"
");\n";
/* Residents' personal data (issue 13 §6): how long the tenant keeps a
 * resident's contact details after the matter closes (domain/pii.h), and
 * when each row's were anonymised (NULL: still held). A resident's name is
 * no longer the public 出卷人 of their proposal: it stays in contact_name,
 * for admins only. */
static const char m18_personal_data[] =
"ALTER TABLE tenant ADD COLUMN pii_retention_days INT NOT NULL DEFAULT 730;\n"
"ALTER TABLE problem ADD COLUMN contact_erased_at BIGINT;\n"
"ALTER TABLE complaint ADD COLUMN contact_erased_at BIGINT;\n"
"ALTER TABLE objection ADD COLUMN contact_erased_at BIGINT;\n"
/* Only the rows still holding a resident's contact, by the moment their
 * retention counts from: what the background task reads. */
"CREATE INDEX problem_contact_held ON problem (updated_at) WHERE contact_erased_at IS NULL"
" AND proposer_user_id IS NULL AND (contact_name <> '' OR contact_phone <> '');\n"
"CREATE INDEX complaint_contact_held ON complaint (answered_at) WHERE contact_erased_at IS NULL"
" AND (name <> '' OR contact <> '');\n"
"CREATE INDEX objection_contact_held ON objection (answered_at) WHERE contact_erased_at IS NULL;\n"
"UPDATE problem SET proposer_name = '群众'"
" WHERE proposer_user_id IS NULL AND contact_name <> '' AND proposer_name = contact_name;\n";

const struct migration migrations[] = {
	{ 1, "core tables", m1_core, m1_sqlite, m1_pg, false },
	{ 2, "accounts, sessions, tokens, throttling, tenant domains", m2_accounts, NULL, NULL, false },
	{ 3, "log-in attempts reserved before the hash, tenant secrets", m3_attempts, NULL, NULL, false },
	{ 4, "tenant data version", m4_data_version, NULL, NULL, false },
	{ 5, "dated batch phases", m5_batch_phases, NULL, NULL, false },
	{ 6, "proposals, screening, publication rounds, notifications, complaints", m6_intake, NULL, NULL, false },
	{ 7, "search by the claiming unit, lead and owner", m7_search_names, NULL, NULL, false },
	{ 8, "claims: routes, pledges, teams, progress, evidence, supervision, extensions, comments",
	  m8_claims, m8_sqlite, m8_pg, true },
	{ 9, "the year's close: panels, rubrics, scores, results, notices, objections, calendar, practices, promotions, fault tolerance",
	  m9_evaluation, m9_sqlite, m9_pg, true },
	{ 10, "reporting: bulletins, the big screen", m10_reporting, NULL, NULL, false },
	{ 11, "the dashboard's claim tallies and stored lights", m11_tallies, m11_sqlite, m11_pg, false },
	{ 12, "tenants under a parent tenant, the deployment's operator", m12_regions, m12_sqlite, m12_pg, true },
	{ 13, "group robots, webhooks and their outbox", m13_robots, NULL, NULL, false },
	{ 14, "every tenant's headline counts in a few rows", m14_tenant_tally, m14_sqlite, m14_pg, false },
	{ 15, "the audit log as a hash chain", m15_audit_chain, NULL, NULL, false },
	{ 16, "the browser of each session", m16_session_agent, NULL, NULL, false },
	{ 17, "two-factor log-in, recent authentication, the tenant's 2FA rule", m17_totp, NULL, NULL, false },
	{ 18, "residents' personal data: retention, anonymisation", m18_personal_data, NULL, NULL, false },
};

const int migrations_count = (int)(sizeof(migrations) / sizeof(migrations[0]));
