/** What PostgreSQL (and the network) says, turned into one line a person can act on, naming the database with its password masked. */
import { CsError, inputError, runtimeError } from '../../errors.js';
import { said } from '../../i18n/messages.js';
import type { Said } from '../../i18n/messages.js';
import { maskPasswords } from '../location.js';

const RESUME = said('pg.resumeHint');

export function explainPgError(name: string, error: unknown): CsError {
  if (error instanceof CsError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = maskPasswords((error as Error)?.message ?? String(error));
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return runtimeError(said('pg.refused', { name }), { hint: said('pg.refusedHint') });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return inputError(said('pg.noHost', { name }), { hint: said('pg.noHostHint') });
  }
  if (code === '28P01' || code === '28000') {
    return inputError(said('pg.login', { name }), { hint: said('pg.loginHint') });
  }
  if (code === '3D000') {
    return inputError(said('pg.noDatabase', { name }), { hint: said('pg.noDatabaseHint') });
  }
  if (code === '3F000') {
    return inputError(said('pg.noSchema', { name }), { hint: said('pg.noSchemaHint') });
  }
  if (code === '42501') {
    return inputError(said('pg.notAllowed', { name, message }), { hint: said('pg.notAllowedHint') });
  }
  if (code === '57P01' || code === '57P02' || code === '57P03' || code === 'ECONNRESET' || code === 'EPIPE' || /Connection terminated|connection timeout|timeout expired/i.test(message)) {
    return runtimeError(said('pg.lost', { name }), { hint: RESUME });
  }
  if (code === 'ETIMEDOUT') return runtimeError(said('pg.timeout', { name }), { hint: RESUME });
  if (code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || /certificate|SSL|TLS/i.test(message)) {
    return inputError(said('pg.tls', { name, message }), { hint: said('pg.tlsHint') });
  }
  if (code === '53300') return runtimeError(said('pg.tooMany', { name }), { hint: said('pg.tooManyHint') });
  return runtimeError(code ? said('pg.errorCode', { name, message, code }) : said('pg.error', { name, message }));
}

export function notCsPgDatabase(name: string, why: Said): CsError {
  return inputError(said('db.notCs', { path: name, why }), { hint: said('pg.notCsHint') });
}
