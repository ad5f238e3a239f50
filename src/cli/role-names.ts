/** A role as people read it ("customer-success manager"), in the interface's language. */
import { t } from '../i18n/messages.js';
import type { Role } from '../playbook/types.js';

const ROLE_NAMES = { cos: 'team.role.cos', csm: 'team.role.csm', lead: 'team.role.lead', sales: 'team.role.sales' } as const;

export function roleName(role: Role): string {
  return t(ROLE_NAMES[role]);
}
