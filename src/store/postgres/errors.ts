/** What PostgreSQL (and the network) says, turned into one line a person can act on, naming the database with its password masked. */
import { CsError, inputError, runtimeError } from '../../errors.js';
import { maskPasswords } from '../location.js';

const RESUME = 'What was saved before is kept; once it is back, continue with cs resume.';

export function explainPgError(name: string, error: unknown): CsError {
  if (error instanceof CsError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = maskPasswords((error as Error)?.message ?? String(error));
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return runtimeError(`cannot connect to the database server of ${name}: connection refused`, {
      hint: 'Is PostgreSQL running there (pg_isready -h <host>)? Check the host and port in --db or CS_DB.',
    });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return inputError(`cannot connect to ${name}: no such host`, { hint: 'Check the host name in --db or CS_DB.' });
  }
  if (code === '28P01' || code === '28000') {
    return inputError(`the database server refused the login for ${name}: authentication failed`, {
      hint: 'Check the user name, and the password (in the URL, PGPASSWORD or ~/.pgpass).',
    });
  }
  if (code === '3D000') {
    return inputError(`the database of ${name} does not exist`, {
      hint: 'Create it first (createdb <name>, or CREATE DATABASE …; see docs/TEAM.md), or check the URL.',
    });
  }
  if (code === '3F000') {
    return inputError(`the schema named in search_path of ${name} does not exist`, { hint: 'Create it (CREATE SCHEMA …) or correct the options in the URL.' });
  }
  if (code === '42501') {
    return inputError(`the database user of ${name} may not do this: ${message}`, { hint: 'Grant the role the rights docs/TEAM.md lists.' });
  }
  if (code === '57P01' || code === '57P02' || code === '57P03' || code === 'ECONNRESET' || code === 'EPIPE' || /Connection terminated|connection timeout|timeout expired/i.test(message)) {
    return runtimeError(`lost the connection to the database server of ${name}`, { hint: RESUME });
  }
  if (code === 'ETIMEDOUT') return runtimeError(`the database server of ${name} did not answer in time`, { hint: RESUME });
  if (code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || /certificate|SSL|TLS/i.test(message)) {
    return inputError(`cannot make a secure connection to ${name}: ${message}`, { hint: 'Check sslmode (and sslrootcert) in the URL.' });
  }
  if (code === '53300') return runtimeError(`the database server of ${name} has too many connections`, { hint: 'Put pgbouncer in front of it (docs/TEAM.md), or try again shortly.' });
  return runtimeError(`database error in ${name}: ${message}${code ? ` (${code})` : ''}`);
}

export function notCsPgDatabase(name: string, why: string): CsError {
  return inputError(`${name} is not a cs database: ${why}`, {
    hint: 'Nothing in it was changed. Point --db (or CS_DB) at an empty database or schema (see docs/TEAM.md).',
  });
}
