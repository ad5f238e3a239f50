/**
 * One open SQLite database as the store's parts use it: prepared statements kept for the process,
 * every write in an IMMEDIATE transaction, every error explained.
 */
import type { Database as Db, Statement } from 'better-sqlite3';
import { ownerKeysOf } from '../../people/person.js';
import type { WorkCalendar } from '../../engine/due.js';
import type { Playbook } from '../../playbook/types.js';
import type { OwnerQuery } from '../store.js';
import { explainSqliteError } from './errors.js';

export class Connection {
  private readonly statements = new Map<string, Statement>();
  /** Shared playbook snapshots, parsed once per process (see runs.ts playbookOf). */
  readonly parsedSnapshots = new Map<number, Playbook>();
  /** Who the writes are made by (Store.setActor): recorded with every commit. */
  actor: string | null = null;
  /** The day commits are dated (Store.setActor); the local day when undefined. */
  actingDay: string | undefined;
  private folding = false;

  constructor(
    readonly db: Db,
    readonly path: string,
    /** The days not worked, for due dates in business days (Nbd). */
    readonly calendar?: WorkCalendar,
  ) {}

  /** The statement cache as a function, for the parts that take one (v2.ts). */
  readonly sqlOf = (text: string): Statement => this.sql(text);

  /** Prepared once per process, reused for every call. */
  sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Every write goes through here: IMMEDIATE (waits its turn under WAL), errors explained. */
  write<T>(work: () => T): T {
    try {
      return this.db.transaction(work).immediate();
    } catch (error) {
      throw explainSqliteError(this.path, error);
    }
  }

  read<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw explainSqliteError(this.path, error);
    }
  }

  /** Reads that must agree with each other: one DEFERRED transaction, so one snapshot under WAL. */
  readSnapshot<T>(work: () => T): T {
    return this.read(() => this.db.transaction(work).deferred());
  }

  /**
   * `cs_owner_is(owner, keys)` as an SQL function, registered on first use: 1 when the stored owner
   * ("Nguyễn Thị Lan <lan@…>", "lan") shares a key (name, address, handle; see src/people) with
   * the query's keys, one a line.
   */
  foldFunction(): void {
    if (this.folding) return;
    let lastKeys = '';
    let wanted = new Set<string>();
    this.db.function('cs_owner_is', { deterministic: true }, (owner: unknown, keys: unknown) => {
      if (typeof owner !== 'string' || typeof keys !== 'string') return 0;
      if (keys !== lastKeys) [lastKeys, wanted] = [keys, new Set(keys.split('\n'))];
      return ownerKeysOf(owner).some((key) => wanted.has(key)) ? 1 : 0;
    });
    this.folding = true;
  }
}

/** An owner query as the SQL function takes it: the keys to match, one a line. */
export function ownerQuery(owner: OwnerQuery): string {
  return (typeof owner === 'string' ? ownerKeysOf(owner) : owner).join('\n');
}

export function now(): string {
  return new Date().toISOString();
}
