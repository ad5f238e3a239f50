/**
 * An email template as an RFC 5322 draft (.eml) that mail clients open ready to edit and send:
 * built by nodemailer's MailComposer alone (not the whole package, which costs ~60 ms to load),
 * with `X-Unsent: 1` so Outlook opens it as an unsent draft. Imported only when rendering to eml.
 * Every value bound for a header is checked first (src/render/headers.ts): one that could forge a
 * header is left out, and said so.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { parseAddressList, parseMailbox, unsafeHeaderValue } from './headers.js';
import type { AddressList, Mailbox } from './headers.js';

export interface Draft {
  /** The From as typed, and where it came from (`CS_FROM`, `the owner`). */
  from?: { text: string; source: string };
  /** The rendered `to:` of the front matter, as typed in an answer. */
  to?: string;
  /** The rendered subject, as filled (a line break in it is refused, not folded away). */
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
  /** Header values left out because they could forge or break a header: errors under --strict. */
  refused: string[];
}

/** "Chị Hoa <hoa@anhduong.vn>; anh Minh" → the addresses, and the names that have none. */
export function recipients(text: string): AddressList & { problems: string[] } {
  return parseAddressList(text);
}

/** One warning per header left out, with every reason. */
function leftOut(field: string, problems: string[], refused: string[]): void {
  refused.push(`${field} left out of the draft: ${problems.join('; ')}`);
}

/**
 * A long display name that is not plain ASCII is encoded here too, in as few words as fit (one, for
 * any name up to 45 bytes): MailComposer splits it wherever its line budget ends, even inside a
 * word, and Python's email parser keeps the space between two encoded words of a name ("Bả o").
 *
 * A subject or a display name holding something that reads as an RFC 2047 encoded word
 * (`=?utf-8?q?…?=`) is encoded whole, so a mail client shows those characters as typed instead of
 * decoding them (into a line break, say). Any other text is left to MailComposer, which encodes
 * non-ASCII itself.
 */
// MailComposer keeps a Q-encoded name of up to ~50 characters in one word; past that it splits
const Q_WORD_BUDGET = 40;

function qEncodedLength(text: string): number {
  let length = 0;
  for (const byte of Buffer.from(text, 'utf8')) length += byte >= 0x21 && byte <= 0x7e && byte !== 0x3d && byte !== 0x3f && byte !== 0x5f ? 1 : byte === 0x20 ? 1 : 3;
  return length;
}

function literal(text: string, { nonAscii = false } = {}): string {
  if (!/=\?/.test(text) && !(nonAscii && qEncodedLength(text) > Q_WORD_BUDGET)) return text;
  // Encoded words of at most 45 bytes of UTF-8 (60 of base64), never splitting a character.
  const words: string[] = [];
  let chunk = '';
  for (const character of text) {
    if (Buffer.byteLength(chunk + character) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word).toString('base64')}?=`).join(' ');
}

function fromHeader(from: Draft['from'], notes: string[], refused: string[]): Mailbox | undefined {
  const parsed = from ? parseMailbox(from.text) : { problems: [] };
  if (from && parsed.problems.length > 0) {
    leftOut(`From (${from.source})`, parsed.problems, refused);
    return undefined;
  }
  if ('mailbox' in parsed && parsed.mailbox) return { ...parsed.mailbox, name: literal(parsed.mailbox.name, { nonAscii: true }) };
  const whose = from && 'name' in parsed && parsed.name ? ` (${from.source} "${parsed.name}" has none)` : '';
  notes.push(`the draft has no From address${whose}; your mail client will use your own. To set it: cs config set user.email <address> (or CS_FROM="Name <address>")`);
  return undefined;
}

function toHeader(text: string | undefined, notes: string[], refused: string[]): Mailbox[] {
  if (text === undefined) return [];
  const to = recipients(text);
  if (to.problems.length > 0) {
    leftOut('To (every recipient)', to.problems, refused);
    return [];
  }
  if (to.unreadable.length > 0) {
    refused.push(`To: cannot tell these addresses apart: ${to.unreadable.join('; ')} (separate them with commas, semicolons or line breaks); they were left out`);
  }
  if (to.unaddressed.length > 0) notes.push(`no email address for ${to.unaddressed.join(', ')}: add it in your mail client before sending`);
  return to.addresses.map((mailbox) => ({ ...mailbox, name: literal(mailbox.name, { nonAscii: true }) }));
}

function subjectHeader(subject: string, refused: string[]): string | undefined {
  const unsafe = unsafeHeaderValue(subject.trim());
  if (unsafe) {
    leftOut('Subject', [unsafe], refused);
    return undefined;
  }
  return literal(subject.replace(/\t/g, ' ').trim());
}

export async function composeEml(draft: Draft): Promise<Composed> {
  const notes: string[] = [];
  const refused: string[] = [];
  const from = fromHeader(draft.from, notes, refused);
  const to = toHeader(draft.to, notes, refused);
  const subject = subjectHeader(draft.subject, refused);
  const composer = new MailComposer({
    from,
    to: to.length > 0 ? to : undefined,
    subject,
    text: draft.text,
    html: draft.html,
    headers: { 'X-Unsent': '1' },
    xMailer: false,
    ...(draft.fixed ? { date: draft.fixed.date, messageId: draft.fixed.messageId, baseBoundary: draft.fixed.boundary } : {}),
  });
  const message = await composer.compile().build();
  return { message: message.toString('utf8'), notes, refused };
}
