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
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

/** Where the From came from, in words: CS_FROM as it is named, the owner in the language. */
function fromSource(source: string): string | Said {
  return source === 'the owner' ? said('eml.theOwner') : source;
}

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
  notes: Said[];
  /** Header values left out because they could forge or break a header: errors under --strict. */
  refused: Said[];
}

/** "Chị Hoa <hoa@anhduong.vn>; anh Minh" → the addresses, and the names that have none. */
export function recipients(text: string): AddressList & { problems: Said[] } {
  return parseAddressList(text);
}

/** One warning per header left out, with every reason. */
function leftOut(field: Said, problems: Said[], refused: Said[]): void {
  refused.push(said('eml.leftOut', { field, problems }));
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

function fromHeader(from: Draft['from'], notes: Said[], refused: Said[]): Mailbox | undefined {
  const parsed = from ? parseMailbox(from.text) : { problems: [] };
  if (from && parsed.problems.length > 0) {
    leftOut(said('eml.from', { source: fromSource(from.source) }), parsed.problems, refused);
    return undefined;
  }
  if ('mailbox' in parsed && parsed.mailbox) return { ...parsed.mailbox, name: literal(parsed.mailbox.name, { nonAscii: true }) };
  notes.push(from && 'name' in parsed && parsed.name ? said('eml.noFromOf', { source: fromSource(from.source), name: parsed.name }) : said('eml.noFrom'));
  return undefined;
}

function toHeader(text: string | undefined, notes: Said[], refused: Said[]): Mailbox[] {
  if (text === undefined) return [];
  const to = recipients(text);
  if (to.problems.length > 0) {
    leftOut(said('eml.toEvery'), to.problems, refused);
    return [];
  }
  if (to.unreadable.length > 0) {
    refused.push(said('eml.toUnreadable', { addresses: to.unreadable.join('; ') }));
  }
  if (to.unaddressed.length > 0) notes.push(said('eml.noAddress', { names: to.unaddressed.join(', ') }));
  return to.addresses.map((mailbox) => ({ ...mailbox, name: literal(mailbox.name, { nonAscii: true }) }));
}

function subjectHeader(subject: string, refused: Said[]): string | undefined {
  const unsafe = unsafeHeaderValue(subject.trim());
  if (unsafe) {
    leftOut(said('eml.subject'), [unsafe], refused);
    return undefined;
  }
  return literal(subject.replace(/\t/g, ' ').trim());
}

export async function composeEml(draft: Draft): Promise<Composed> {
  const notes: Said[] = [];
  const refused: Said[] = [];
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
