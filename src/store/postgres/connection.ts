/**
 * One PostgreSQL connection as the store's parts use it. pg is imported only here, and only when a
 * postgres:// URL is opened. Safe behind pgbouncer in transaction mode: no named prepared
 * statements, no temporary tables, no SET outside a transaction; every write is one transaction.
 * Calls are run one after another (a pg client must not be given a query while it runs another).
 */
import type { Client, ClientConfig, QueryResultRow } from 'pg';
import type { WorkCalendar } from '../../engine/due.js';
import type { Playbook } from '../../playbook/types.js';
import { CsError } from '../../errors.js';
import { explainPgError } from './errors.js';

export type Params = readonly unknown[];

/** What a query needs: the connection itself, or the transaction it is inside. */
export interface Queryable {
  rows<T extends QueryResultRow>(sql: string, params?: Params): Promise<T[]>;
  run(sql: string, params?: Params): Promise<number>;
}

/** Transactions that lost a race (serialization failure, deadlock) are run again, this many times. */
const RETRIES = 5;

export class PgConnection implements Queryable {
  private client: Client | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Shared playbook snapshots, parsed once per process. */
  readonly parsedSnapshots = new Map<number, Playbook>();
  /** Who the writes are made by, and the day their commits are dated (Store.setActor). */
  actor: string | null = null;
  actingDay: string | undefined;

  /** `prepare` runs once on every new connection (the schema check), inside `serial`. */
  constructor(
    private readonly url: string,
    /** The database as messages name it (password masked). */
    readonly name: string,
    private readonly prepare: (c: Queryable & { transaction: PgConnection['transaction'] }) => Promise<void>,
    /** The days not worked, for due dates in business days (Nbd). */
    readonly calendar?: WorkCalendar,
  ) {}

  /** Runs `work` once every call before it is over: one query at a time on the one client. */
  serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(async () => {
      try {
        if (!this.client) await this.connect();
        return await work();
      } catch (error) {
        // a connection the server ended (or the network lost) is not used again: the next call opens a new one
        const code = (error as { code?: string }).code;
        if (this.client && !(error instanceof CsError) && (code === undefined || /^(57|08)/.test(code) || /^E[A-Z]+$/.test(code))) {
          const lost = this.client;
          this.client = undefined;
          lost.end().catch(() => undefined);
        }
        throw explainPgError(this.name, error);
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async connect(): Promise<void> {
    const pg = (await import('pg')).default;
    const client = new pg.Client(await clientConfig(this.url));
    // a connection that drops while idle (the server restarted) is opened again by the next call
    client.on('error', () => {
      if (this.client === client) this.client = undefined;
    });
    try {
      await client.connect();
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    try {
      await this.prepare(this.inside(client));
    } catch (error) {
      this.client = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  private inside(client: Client): Queryable & { transaction: PgConnection['transaction'] } {
    const direct: Queryable = {
      rows: async <T extends QueryResultRow>(sql: string, params: Params = []) => (await client.query<T>(sql, params as unknown[])).rows,
      run: async (sql: string, params: Params = []) => (await client.query(sql, params as unknown[])).rowCount ?? 0,
    };
    return {
      ...direct,
      transaction: async <T>(work: (q: Queryable) => Promise<T>): Promise<T> => {
        for (let attempt = 1; ; attempt += 1) {
          await client.query('BEGIN');
          try {
            const result = await work(direct);
            await client.query('COMMIT');
            return result;
          } catch (error) {
            await client.query('ROLLBACK').catch(() => undefined);
            const code = (error as { code?: string }).code;
            if ((code === '40001' || code === '40P01') && attempt < RETRIES) continue;
            throw error;
          }
        }
      },
    };
  }

  private current(): Queryable & { transaction: PgConnection['transaction'] } {
    return this.inside(this.client!);
  }

  rows<T extends QueryResultRow>(sql: string, params: Params = []): Promise<T[]> {
    return this.serial(() => this.current().rows<T>(sql, params));
  }

  run(sql: string, params: Params = []): Promise<number> {
    return this.serial(() => this.current().run(sql, params));
  }

  /** Reads several queries one after another on the connection, with nothing else in between. */
  read<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    return this.serial(() => work(this.current()));
  }

  /** One transaction (BEGIN … COMMIT), run again when it lost a race with another; rolled back on any error. */
  transaction<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    return this.serial(() => this.current().transaction(work));
  }

  async close(): Promise<void> {
    await this.queue;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

/**
 * The URL as pg takes it, with the password from the URL, else PGPASSWORD, else ~/.pgpass (read
 * with the pgpass module, as libpq does). `sslmode` follows libpq's meaning (require: encrypted,
 * certificate not checked; verify-full: checked).
 */
async function clientConfig(url: string): Promise<ClientConfig> {
  const { parse } = await import('pg-connection-string');
  const withCompat = /[?&]sslmode=/.test(url) && !/[?&]uselibpqcompat=/.test(url) ? `${url}${url.includes('?') ? '&' : '?'}uselibpqcompat=true` : url;
  const parsed = parse(withCompat) as ClientConfig & Record<string, unknown>;
  const config: ClientConfig = {};
  for (const [key, value] of Object.entries(parsed)) if (value !== undefined && value !== null) (config as Record<string, unknown>)[key] = value;
  config.connectionTimeoutMillis = 10_000;
  config.application_name ??= 'cs';
  if (config.password === undefined && process.env.PGPASSWORD === undefined) {
    const pgpass = (await import('pgpass')).default as (info: object, done: (password?: string) => void) => void;
    const info = { host: config.host ?? 'localhost', port: config.port ?? 5432, database: config.database ?? config.user, user: config.user ?? process.env.PGUSER ?? process.env.USER };
    config.password = () => new Promise<string>((done) => pgpass(info, (password) => done(password ?? '')));
  }
  return config;
}
