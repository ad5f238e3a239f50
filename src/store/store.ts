/**
 * The store's interface: everything the commands need from persistence, and nothing about SQL.
 * A second backend implements this interface; commands never see the difference.
 */
import type { RunEvent, RunState, RunStatus } from '../engine/run.js';
import type { Playbook } from '../playbook/types.js';

export interface Account {
  id: number;
  name: string;
  owner: string | null;
  /** Extra columns from an import, usable in templates as account.<column>. */
  fields: Record<string, string>;
  createdAt: string;
}

export interface Run {
  id: number;
  accountId: number;
  accountName: string;
  playbookId: string;
  playbookVersion: number;
  playbookTitle: string;
  kind: string;
  owner: string | null;
  startDate: string;
  status: RunStatus;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

export interface LoadedRun {
  run: Run;
  state: RunState;
}

export interface NewRun {
  startDate: string;
  owner?: string;
}

export interface RunFilter {
  accountId?: number;
  status?: RunStatus;
  playbookId?: string;
}

export interface Store {
  readonly path: string;
  findAccount(name: string): Account | undefined;
  /** The account with this name (any Unicode normalisation), created when new. */
  ensureAccount(name: string, owner?: string): Account;
  listAccounts(): Account[];
  createRun(account: Account, playbook: Playbook, options: NewRun): LoadedRun;
  listRuns(filter?: RunFilter): Run[];
  loadRun(runId: number): LoadedRun | undefined;
  /** Persists one accepted transition (`next` is the state after `event`), atomically. */
  commit(runId: number, event: RunEvent, next: RunState): void;
  close(): void;
}
