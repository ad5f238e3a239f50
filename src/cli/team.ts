/**
 * The team as commands use it: its people (from the store) joined to the acting user, finding a
 * person by handle, name or address, and who `cs agenda` means by "me".
 */
import { inputError } from '../errors.js';
import { t } from '../i18n/messages.js';
import { actingUser } from '../people/acting.js';
import { identityKeys, parsePerson, person } from '../people/person.js';
import type { Directory, Person } from '../people/person.js';
import type { Store, TeamMember } from '../store/store.js';
import type { Context } from './context.js';
import { similarNames } from './lookup.js';

export function memberPerson(member: TeamMember): Person {
  return person({ name: member.name, email: member.email ?? undefined, handle: member.handle })!;
}

/** The team members whom `text` (a handle, a name in any normalisation or tone style, an address) means. */
export function matchingMembers(team: readonly TeamMember[], text: string): TeamMember[] {
  const typed = text.trim();
  const byHandle = team.filter((member) => member.handle.toLowerCase() === typed.toLowerCase());
  if (byHandle.length > 0) return byHandle;
  const who = parsePerson(typed);
  if (!who) return [];
  const keys = new Set(identityKeys(who));
  return team.filter((member) => identityKeys(memberPerson(member)).some((key) => keys.has(key)));
}

/** The one team member `text` means, or exit 2: nobody (with the nearest names), or several (with their handles). */
export function requireMember(team: readonly TeamMember[], text: string): TeamMember {
  const found = matchingMembers(team, text);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw inputError(t('team.ambiguous', { who: text.trim(), handles: found.map((member) => member.handle).join(', ') }), { hint: t('team.ambiguousHint') });
  }
  const similar = similarNames(text.normalize('NFC'), team.flatMap((member) => [member.name, member.handle]));
  throw inputError(t('team.unknown', { who: text.trim() }), { hint: similar.length > 0 ? t('team.didYouMean', { names: similar.join(', ') }) : t('team.unknownHint') });
}

export interface People {
  team: TeamMember[];
  /** The team, and the acting user when the team does not hold them: where owners are looked up. */
  directory: Directory;
  /** The acting user, as the team knows them (CS_USER=lan gives Lan's name and address). */
  me: Person | undefined;
}

/** The team (none when there is no database yet) and the acting user. */
export async function peopleOf(context: Pick<Context, 'env' | 'readStore'>, store: Store = context.readStore()): Promise<People> {
  return peopleIn(store, context.env);
}

export async function peopleIn(store: Store, env: NodeJS.ProcessEnv): Promise<People> {
  const team = await store.listPeople();
  const configured = actingUser(env);
  const members = team.map(memberPerson);
  const mine = configured && (configured.handle ? matchingMembers(team, configured.handle) : []).concat(configured.handle ? [] : matchingMembers(team, configured.email ?? configured.name));
  const me = mine && mine.length === 1 ? memberPerson(mine[0]!) : configured;
  return { team, directory: me && !mine?.length ? [...members, me] : members, me };
}
