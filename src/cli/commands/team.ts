/** `cs team add | list | set`: the people of the team, kept in the database (shared on PostgreSQL). */
import { inputError } from '../../errors.js';
import { compareNames, hasControlCharacters } from '../../engine/names.js';
import { isRole } from '../../engine/roles.js';
import { t } from '../../i18n/messages.js';
import { EMAIL_ADDRESS, HANDLE } from '../../people/person.js';
import { ROLES } from '../../playbook/types.js';
import type { Role } from '../../playbook/types.js';
import type { MemberChanges, TeamMember } from '../../store/store.js';
import { table } from '../../ui/table.js';
import type { Context } from '../context.js';
import { roleName } from '../role-names.js';
import { requireMember } from '../team.js';

export interface MemberFlags {
  name?: string;
  email?: string;
  role?: string;
}

const MAX_NAME = 200;

/** A command, the same in every language. */
function addExample(handle: string): string {
  return `cs team add ${handle} --name "Nguyễn Thị Lan" --email lan@example.com --role cos`;
}

export function checkHandle(raw: string): string {
  const handle = raw.trim();
  if (!HANDLE.test(handle)) throw inputError(t('team.handleInvalid', { handle: JSON.stringify(raw) }), { hint: t('team.handleHint') });
  return handle;
}

function checkName(raw: string): string {
  const name = raw.normalize('NFC').trim().replace(/\s+/gu, ' ');
  if (name === '') throw inputError(t('team.nameEmpty'));
  if (hasControlCharacters(raw.replace(/[\t\n\r]/g, ' '))) throw inputError(t('team.nameControl'));
  if (name.length > MAX_NAME || /[<>]/.test(name)) throw inputError(t('team.nameInvalid', { name: JSON.stringify(name) }));
  return name;
}

function checkEmail(raw: string): string {
  const email = raw.trim();
  if (!EMAIL_ADDRESS.test(email)) throw inputError(t('team.emailInvalid', { email: JSON.stringify(raw) }));
  return email;
}

export function checkRole(raw: string, option = '--role'): Role {
  const role = raw.trim().toLowerCase();
  if (!isRole(role)) throw inputError(t('team.roleInvalid', { option, role: JSON.stringify(raw), roles: ROLES.join(', ') }));
  return role;
}

export async function add(context: Context, rawHandle: string, flags: MemberFlags): Promise<void> {
  const handle = checkHandle(rawHandle);
  if (flags.name === undefined) throw inputError(t('team.nameNeeded'), { hint: addExample(handle) });
  const member = await context.store().addPerson({
    handle,
    name: checkName(flags.name),
    ...(flags.email !== undefined ? { email: checkEmail(flags.email) } : {}),
    ...(flags.role !== undefined ? { role: checkRole(flags.role) } : {}),
  });
  context.ui.out(`${context.ui.style.green('✓')} ${t('team.added', { who: describe(member) })}`);
}

/** "Nguyễn Thị Lan (lan, lan@example.com, CSM)" */
function describe(member: TeamMember): string {
  return `${member.name} (${[member.handle, member.email, member.role && roleName(member.role)].filter(Boolean).join(', ')})`;
}



export async function set(context: Context, who: string, flags: MemberFlags): Promise<void> {
  const changes: MemberChanges = {};
  if (flags.name !== undefined) changes.name = checkName(flags.name);
  // an empty value removes what is optional
  if (flags.email !== undefined) changes.email = flags.email.trim() === '' ? null : checkEmail(flags.email);
  if (flags.role !== undefined) changes.role = flags.role.trim() === '' ? null : checkRole(flags.role);
  if (Object.keys(changes).length === 0) throw inputError(t('team.setNothing'), { hint: t('team.setExample') });
  const store = context.store();
  const member = requireMember(await store.listPeople(), who);
  const changed = await store.updatePerson(member.handle, changes);
  context.ui.out(`${context.ui.style.green('✓')} ${t('team.changed', { who: describe(changed) })}`);
}

export async function list(context: Context, flags: { json?: boolean }): Promise<void> {
  const { ui } = context;
  const team = (await context.readStore().listPeople()).sort((a, b) => compareNames(a.name, b.name) || a.handle.localeCompare(b.handle));
  if (flags.json) {
    ui.out(JSON.stringify(team.map(({ handle, name, email, role }) => ({ handle, name, email, role })), null, 2));
    return;
  }
  if (team.length === 0) {
    ui.out(t('team.none', { example: addExample('lan') }));
    return;
  }
  const { style } = ui;
  const rows = [[t('team.col.handle'), t('team.col.name'), t('team.col.email'), t('team.col.role')].map((cell) => style.bold(cell))];
  for (const member of team) rows.push([member.handle, member.name, member.email ?? style.dim('—'), member.role ? roleName(member.role) : style.dim('—')]);
  for (const line of await table(rows, { width: ui.columns })) ui.out(line);
}
