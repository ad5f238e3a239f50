/**
 * Who is using cs: `cs config set user.name …` / `user.email …` / `user <handle>`, each overridden by
 * CS_USER_NAME / CS_USER_EMAIL / CS_USER. A run started without --owner belongs to them, and an
 * owner's text is looked up among the people cs knows (today: this one person).
 */
import { settings } from '../config/config.js';
import { person, personText } from './person.js';
import type { Directory, Person } from './person.js';

export function actingUser(env: NodeJS.ProcessEnv = process.env): Person | undefined {
  const values = new Map(settings(env).map((each) => [each.key, each.value]));
  return person({ name: values.get('user.name'), email: values.get('user.email'), handle: values.get('user') });
}

/** The people an owner is looked up in. The team's shared people will join the acting user here. */
export function directory(env: NodeJS.ProcessEnv = process.env): Directory {
  const me = actingUser(env);
  return me ? [me] : [];
}

/** How the acting user is recorded with each commit: the handle when there is one (it outlives a renaming), else "Name <address>". */
export function actorText(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const me = actingUser(env);
  return me && (me.handle ?? personText(me));
}
