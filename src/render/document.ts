/**
 * One template, one run's data, one output format: the text to write, and every value that came
 * out empty. Pure apart from loading the eml builder when it is asked for.
 */
import { inputError } from '../errors.js';
import type { Draft } from './eml.js';
import { fill } from './fill.js';
import type { Miss } from './fill.js';
import { keepLines, oneLine, tidy, toHtmlDocument, toText } from './formats.js';
import type { Template } from './template-file.js';
import type { Lang } from '../i18n/lang.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

export const OUTPUT_FORMATS = ['md', 'txt', 'html', 'eml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderRequest {
  template: Template;
  data: Record<string, unknown>;
  format: OutputFormat;
  partials: (name: string) => string | undefined;
  /** The From of an eml draft as typed (CS_FROM, else the owner), and which of them it is. */
  from?: Draft['from'];
  /** Reproducible eml output (Date, Message-ID, boundary). */
  fixed?: Draft['fixed'];
  /** The document's language: yes/no (Có/Không). English when not given. */
  lang?: Lang;
}

export interface Rendered {
  content: string;
  /** Values that resolved to nothing, partials not found: warnings, errors under --strict. */
  misses: Miss[];
  /** Facts about an eml draft worth telling (no From address, a recipient without an address). */
  notes: Said[];
  /** Header values of an eml draft left out (a line break or control in them): errors under --strict. */
  refused: Said[];
}

export function requireEmail(template: Template, format: OutputFormat): void {
  if (format === 'eml' && template.format !== 'email') {
    throw inputError(said('render.notEmail', { template: template.id }), {
      hint: said('render.notEmailHint'),
    });
  }
}

export async function renderDocument(request: RenderRequest): Promise<Rendered> {
  const { template, data, format, partials } = request;
  requireEmail(template, format);
  const { lang } = request;
  const body = fill(template.body, data, template.id, partials, { markLineBreaks: true, lang });
  const subject = template.subject && fill(template.subject, data, template.id, partials, { lang });
  const to = template.to && fill(template.to, data, template.id, partials, { lang });
  const misses = [...(subject?.misses ?? []), ...(to?.misses ?? []), ...body.misses];
  // Markdown marks the lines typed in one answer as hard breaks; text and HTML keep them as they are.
  const markdown = tidy(keepLines(body.text, 'markdown'));
  const plain = tidy(keepLines(body.text, 'plain'));
  const accountName = (data.account as { name?: string } | undefined)?.name;
  const title = oneLine(subject ? subject.text : `${template.title}${accountName ? ` — ${accountName}` : ''}`);
  if (format === 'eml') {
    const { composeEml } = await import('./eml.js');
    const draft = await composeEml({
      from: request.from,
      to: to?.text,
      subject: subject ? subject.text : title,
      text: toText(plain),
      html: toHtmlDocument(title, plain),
      fixed: request.fixed,
    });
    return { content: draft.message, misses, notes: draft.notes, refused: draft.refused };
  }
  // An email shown as text keeps its headers on top, ready to copy into a mail client.
  const recipients = to ? to.text.trim().split(/\s*\n\s*/).join(', ') : '';
  const headers = [recipients && `To: ${recipients}`, subject && `Subject: ${title}`].filter(Boolean);
  const withHeaders = (text: string) => (headers.length > 0 ? `${headers.join('\n')}\n\n${text}` : text);
  const content = format === 'md' ? withHeaders(markdown) : format === 'txt' ? toText(withHeaders(plain)) : toHtmlDocument(title, withHeaders(plain));
  return { content, misses, notes: [], refused: [] };
}
