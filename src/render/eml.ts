/**
 * An email template as an RFC 5322 draft (.eml) that mail clients open ready to edit and send:
 * built by nodemailer's MailComposer alone (not the whole package, which costs ~60 ms to load),
 * with `X-Unsent: 1` so Outlook opens it as an unsent draft. Imported only when rendering to eml.
 */
import addressparser from 'nodemailer/lib/addressparser/index.js';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { Person } from './data.js';
import { parsePerson } from './data.js';
import { oneLine } from './formats.js';

export interface Draft {
  /** Without an address there is no From header: the mail client fills in the user's own. */
  from?: Person;
  /** The rendered `to:` of the front matter, as typed in an answer. */
  to?: string;
  subject: string;
  text: string;
  html: string;
  /** Set for reproducible output (CS_TODAY pinned): Date, Message-ID and MIME boundary. */
  fixed?: { date: Date; messageId: string; boundary: string };
}

export interface Composed {
  message: string;
  /** Things the user should know about the draft (not problems with the template). */
  notes: string[];
}

/** "Chị Hoa <hoa@anhduong.vn>; anh Minh" → the addresses, and the names that have none. */
export function recipients(text: string): { addresses: { name: string; address: string }[]; unaddressed: string[] } {
  const addresses: { name: string; address: string }[] = [];
  const unaddressed: string[] = [];
  // addressparser reads one header's worth; answers often put one person per line or use ";"
  for (const chunk of text.split(/[;\n]+/)) {
    for (const parsed of addressparser(chunk, { flatten: true })) {
      const person = parsePerson(parsed.address ? `${parsed.name} <${parsed.address}>` : parsed.name);
      if (person?.email) addresses.push({ name: oneLine(person.name === person.email ? '' : person.name), address: person.email });
      else if (person) unaddressed.push(oneLine(person.name));
    }
  }
  return { addresses, unaddressed };
}

export async function composeEml(draft: Draft): Promise<Composed> {
  const notes: string[] = [];
  const from = draft.from?.email ? { name: oneLine(draft.from.name === draft.from.email ? '' : draft.from.name), address: draft.from.email } : undefined;
  if (!from) {
    notes.push(
      `the draft has no From address${draft.from ? ` (the owner "${draft.from.name}" has none)` : ''}; your mail client will use your own. To set it: cs config set user.email <address> (or CS_FROM="Name <address>")`,
    );
  }
  const to = draft.to ? recipients(draft.to) : { addresses: [], unaddressed: [] };
  if (to.unaddressed.length > 0) notes.push(`no email address for ${to.unaddressed.join(', ')}: add it in your mail client before sending`);
  const composer = new MailComposer({
    from,
    to: to.addresses.length > 0 ? to.addresses : undefined,
    subject: oneLine(draft.subject),
    text: draft.text,
    html: draft.html,
    headers: { 'X-Unsent': '1' },
    xMailer: false,
    ...(draft.fixed ? { date: draft.fixed.date, messageId: draft.fixed.messageId, baseBoundary: draft.fixed.boundary } : {}),
  });
  const message = await composer.compile().build();
  return { message: message.toString('utf8'), notes };
}
