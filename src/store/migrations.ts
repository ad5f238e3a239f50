/**
 * Numbered schema migrations. Migration N brings a database from user_version N-1 to N; they run in
 * one IMMEDIATE transaction so two processes starting at once never both migrate.
 */
import { refreshSummariesSql } from './summaries.js';

export const MIGRATIONS: readonly string[] = [
  // 1: accounts, runs (with the playbook snapshot they started with), step states, answers.
  `
  CREATE TABLE accounts (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,
    owner      TEXT,
    fields     TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
  );
  CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    playbook_id      TEXT NOT NULL,
    playbook_version INTEGER NOT NULL,
    playbook_title   TEXT NOT NULL,
    kind             TEXT NOT NULL,
    snapshot         TEXT NOT NULL,
    owner            TEXT,
    start_date       TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'finished')),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    finished_at      TEXT
  );
  CREATE INDEX runs_by_account ON runs(account_id, status);
  CREATE TABLE steps (
    run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_id     TEXT NOT NULL,
    position    INTEGER NOT NULL,
    phase_id    TEXT NOT NULL,
    title       TEXT NOT NULL,
    due_date    TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
    skip_reason TEXT,
    note        TEXT,
    checked     TEXT NOT NULL DEFAULT '[]',
    updated_at  TEXT,
    PRIMARY KEY (run_id, step_id)
  ) WITHOUT ROWID;
  -- the agenda asks "which open steps are due before D": answer it from an index, not the snapshots
  CREATE INDEX steps_open_by_due ON steps(due_date) WHERE status = 'open';
  CREATE TABLE answers (
    run_id      INTEGER NOT NULL,
    step_id     TEXT NOT NULL,
    field_id    TEXT NOT NULL,
    value       TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (run_id, step_id, field_id),
    FOREIGN KEY (run_id, step_id) REFERENCES steps(run_id, step_id) ON DELETE CASCADE
  ) WITHOUT ROWID;
  `,
  // 2: one copy of each playbook snapshot, shared by its runs. A snapshot is ~10-30 KB of JSON; kept
  // per run it made a 10,000-account import write ~200 MB, and since it sat before owner, status and
  // start_date in the row, every read of those columns walked its overflow pages. runs.snapshot
  // stays for files written before this migration and is '' for every run that has a snapshot_id.
  `
  CREATE TABLE snapshots (
    id   INTEGER PRIMARY KEY,
    body TEXT NOT NULL UNIQUE
  );
  ALTER TABLE runs ADD COLUMN snapshot_id INTEGER REFERENCES snapshots(id);
  INSERT OR IGNORE INTO snapshots (body) SELECT snapshot FROM runs WHERE snapshot <> '';
  UPDATE runs SET snapshot_id = (SELECT s.id FROM snapshots s WHERE s.body = runs.snapshot), snapshot = ''
    WHERE snapshot <> '';
  -- the agenda reads every column it needs of a step from the index itself (a covering index): at
  -- 100,000 accounts this halved the time SQLite spends on \`cs agenda\` (no lookup of each step's row)
  DROP INDEX steps_open_by_due;
  CREATE INDEX steps_open_by_due ON steps(due_date, position, title, phase_id) WHERE status = 'open';
  `,
  // 3: a version per step, bumped by every write to it, so that a walk can tell whether the step it
  // is changing was changed by another walk since it read it (two terminals, or two people); and the
  // drafts of long answers a stopped walk was typing, offered back on resume.
  `
  ALTER TABLE steps ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE drafts (
    run_id   INTEGER NOT NULL,
    step_id  TEXT NOT NULL,
    field_id TEXT NOT NULL,
    text     TEXT NOT NULL,
    saved_at TEXT NOT NULL,
    PRIMARY KEY (run_id, step_id, field_id),
    FOREIGN KEY (run_id, step_id) REFERENCES steps(run_id, step_id) ON DELETE CASCADE
  ) WITHOUT ROWID;
  `,
  // 4: name keys fold what makes look-alikes (src/engine/names.ts nameKey): zero-width characters,
  // and the tone of oa/oe/uy in old or new style (Hoà = Hòa, Thuỷ = Thủy). Computed by cs_name_key,
  // nameKey registered as an SQL function. Two accounts that were look-alikes keep both: the oldest
  // gets the key, a later one the key with "\0#<id>" after it (found by its exact spelling). Every
  // key is first set to "\0<id>", so no row collides with a key not yet moved.
  `
  CREATE TEMP TABLE new_name_keys (id INTEGER PRIMARY KEY, name_key TEXT NOT NULL, rank INTEGER NOT NULL);
  INSERT INTO new_name_keys SELECT id, key, row_number() OVER (PARTITION BY key ORDER BY id)
    FROM (SELECT id, cs_name_key(name) AS key FROM accounts);
  UPDATE accounts SET name_key = char(0) || id;
  UPDATE accounts SET name_key = n.name_key || CASE WHEN n.rank > 1 THEN char(0) || '#' || n.id ELSE '' END
    FROM new_name_keys n WHERE n.id = accounts.id;
  DROP TABLE new_name_keys;
  `,
  // 5: what the journey report, the calendar and `cs shift` need. When each step was done or skipped
  // (backfilled from the step's last change, else its run's: the best the file knows); how often its
  // due date moved (the calendar's SEQUENCE); each shift, so that the last one can be undone; and the
  // database's own identity, which keeps calendar UIDs apart across databases.
  `
  ALTER TABLE steps ADD COLUMN completed_at TEXT;
  ALTER TABLE steps ADD COLUMN due_revision INTEGER NOT NULL DEFAULT 0;
  UPDATE steps SET completed_at = COALESCE(updated_at, (SELECT r.updated_at FROM runs r WHERE r.id = steps.run_id))
    WHERE status <> 'open';
  -- the calendar reads a step's due-date revision with the rest from the agenda's covering index
  DROP INDEX steps_open_by_due;
  CREATE INDEX steps_open_by_due ON steps(due_date, position, title, phase_id, due_revision) WHERE status = 'open';
  -- the report reads the steps done or skipped (a small share of a large book) from this index alone
  CREATE INDEX steps_resolved ON steps(run_id, position, status, completed_at, due_date) WHERE status <> 'open';
  CREATE TABLE shifts (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    offset     TEXT NOT NULL,
    from_step  TEXT,
    created_at TEXT NOT NULL,
    undone_at  TEXT
  );
  CREATE INDEX shifts_by_run ON shifts(run_id, id);
  CREATE TABLE shift_steps (
    shift_id INTEGER NOT NULL REFERENCES shifts(id) ON DELETE CASCADE,
    step_id  TEXT NOT NULL,
    old_due  TEXT NOT NULL,
    new_due  TEXT NOT NULL,
    PRIMARY KEY (shift_id, step_id)
  ) WITHOUT ROWID;
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO meta (key, value) VALUES ('database_id', lower(hex(randomblob(16))));
  `,
  // 6: the playbook format v2. Whether a step applies (its when: holds) and the day it was done or
  // skipped (what after: anchors count from); a due date is '' while it waits on its anchor. The two
  // partial indexes leave out the steps that do not apply, so the agenda, the accounts' summaries and
  // the report still read them alone, never the table (a due date of '' is filtered on the index's
  // own column: a \`due_date <> ''\` in the index's WHERE would keep SQLite from covering with it).
  // Action items, one row each, so the agenda and `cs actions` read them without parsing answers.
  `
  ALTER TABLE steps ADD COLUMN applicable INTEGER NOT NULL DEFAULT 1;
  ALTER TABLE steps ADD COLUMN done_on TEXT;
  DROP INDEX steps_open_by_due;
  CREATE INDEX steps_open_by_due ON steps(due_date, position, title, phase_id, due_revision) WHERE status = 'open' AND applicable = 1;
  DROP INDEX steps_resolved;
  CREATE INDEX steps_resolved ON steps(run_id, position, status, completed_at, due_date) WHERE status <> 'open' AND applicable = 1;
  CREATE TABLE action_items (
    run_id   INTEGER NOT NULL,
    step_id  TEXT NOT NULL,
    field_id TEXT NOT NULL,
    n        INTEGER NOT NULL,
    what     TEXT NOT NULL,
    who      TEXT,
    due      TEXT,
    done     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, step_id, field_id, n),
    FOREIGN KEY (run_id, step_id) REFERENCES steps(run_id, step_id) ON DELETE CASCADE
  ) WITHOUT ROWID;
  CREATE INDEX action_items_open_by_due ON action_items(due) WHERE done = 0;
  `,
  // 7: people and who did what. The team (a handle each, unique in any case; a name and an address,
  // found like owners are), the role a step names (owner: csm), resolved through the account's team
  // (accounts.fields cos/csm/lead/sales) when the agenda is read; and a line per commit saying who
  // made it, when, and what it changed (status --json, the timeline of documents). The agenda's
  // covering index gains the role, so it still reads no step row.
  `
  CREATE TABLE people (
    id         INTEGER PRIMARY KEY,
    handle     TEXT NOT NULL,
    handle_key TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    email      TEXT,
    role       TEXT CHECK (role IN ('cos', 'csm', 'lead', 'sales')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  ALTER TABLE steps ADD COLUMN role TEXT;
  DROP INDEX steps_open_by_due;
  CREATE INDEX steps_open_by_due ON steps(due_date, position, title, phase_id, due_revision, role) WHERE status = 'open' AND applicable = 1;
  CREATE TABLE commits (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    event    TEXT NOT NULL,
    step_id  TEXT,
    detail   TEXT,
    made_by  TEXT,
    made_at  TEXT NOT NULL
  );
  CREATE INDEX commits_by_run ON commits(run_id, id);
  `,
  // 8: each run's figures (src/store/summaries.ts): book-level `cs status` and `cs accounts list`
  // read a row per run instead of every step of every run (at 100,000 runs, 1.2 million rows).
  // Kept by every write to a run's steps, in its transaction; backfilled from the steps here.
  `
  CREATE TABLE run_summaries (
    run_id         INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    done           INTEGER NOT NULL,
    skipped        INTEGER NOT NULL,
    open           INTEGER NOT NULL,
    not_applicable INTEGER NOT NULL,
    next_position  INTEGER,
    next_due       TEXT,
    earliest_due   TEXT
  );
  ${refreshSummariesSql('true')};
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Marks a file as a cs database (PRAGMA application_id), so we never adopt someone else's SQLite file. */
export const APPLICATION_ID = 0x43534442; // "CSDB"
