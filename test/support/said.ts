/** Problems whose message domain code hands up as a key and values, said (in English) for comparing. */
import { say } from '../../src/i18n/messages.js';
import type { Said } from '../../src/i18n/messages.js';

export function spoken<T extends { message: string | Said }>(items: readonly T[]): (Omit<T, 'message'> & { message: string })[] {
  return items.map((item) => ({ ...item, message: say(item.message) }));
}

/** A problem domain code handed up (or none), said in English. */
export function text(value: string | Said | undefined): string | undefined {
  return value === undefined ? undefined : say(value);
}
