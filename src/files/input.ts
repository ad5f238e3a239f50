/**
 * The one way cs reads a file it was given or found: playbooks, templates, partials, answers files,
 * CSV books, its own caches. The file is opened without blocking (a FIFO named *.yaml must not hang
 * cs) and refused unless it is a regular file (symlinks are followed to one); no more than a stated
 * limit is read, whatever size the file reports (a link to /dev/zero reports 0); and its text must
 * be UTF-8, or the refusal says what it is instead (UTF-16 with its byte-order mark, Latin-1…).
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { CsError } from '../errors.js';
import { said } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

export interface InputOptions {
  /** How the file is named in messages: "the answers file", "playbook", "template"… */
  what: string | Said;
  /** The most bytes cs reads; a longer file is refused. */
  limit: number;
  /** Said after "larger than <limit>": why the limit is enough. */
  whyLimit?: string | Said;
  /** How the file is shown in messages (default: the path). */
  shown?: string;
  /** What to do about a file that is not UTF-8. */
  encodingHint?: string | Said;
}

/**
 * A refusal to read a file, with the reason on its own and, for text that is not UTF-8, where in
 * the file the problem is: catalogs list it as a problem at file:line:col, commands throw it.
 */
export class FileRefused extends CsError {
  readonly line?: number;
  readonly col?: number;
  /** The system's code when the file could not be opened at all ("ENOENT"…). */
  readonly code?: string;

  constructor(
    /** The file as shown to the user. */
    readonly file: string,
    /** Why, without the file's name: "it is a FIFO (named pipe), not a regular file". */
    readonly why: string | Said,
    where: { label: Said; line?: number; col?: number; hint?: string | Said; code?: string },
  ) {
    const at = where.line === undefined ? undefined : `${file}:${where.line}${where.col === undefined ? '' : `:${where.col}`}`;
    super(at ? said('file.at', { at, why }) : said('file.cannotRead', { label: where.label, why }), { exitCode: 2, hint: where.hint });
    this.line = where.line;
    this.col = where.col;
    this.code = where.code;
  }

  /** As a problem of a file that a catalog lists: at its line:col, or at 1:1 "cannot read: …". */
  asProblem(): { file: string; line: number; col: number; message: string | Said } {
    return { file: this.file, line: this.line ?? 1, col: this.col ?? 1, message: this.line === undefined ? said('file.cannotReadIt', { why: this.why }) : this.why };
  }
}

export const KiB = 1024;
export const MiB = 1024 * KiB;

/** The most cs reads of each kind of file (README, "Limits"): far more than any real one. */
export const LIMITS = {
  playbook: 2 * MiB,
  answers: 2 * MiB,
  template: 256 * KiB,
  csv: 100 * MiB,
  /** One parsed playbook (with its text) in the parse cache. */
  parseCacheEntry: 16 * MiB,
  /** V8's compiled code of one bundle. */
  codeCache: 64 * MiB,
} as const;

/** `2 MiB`, `256 KiB`, `100 MiB`. */
export function formatBytes(bytes: number): string {
  return bytes >= MiB && bytes % MiB === 0 ? `${bytes / MiB} MiB` : bytes >= KiB && bytes % KiB === 0 ? `${bytes / KiB} KiB` : `${bytes} bytes`;
}

/** What a path holds, in words: "a folder", "a FIFO (named pipe)"… */
export function describeKind(stats: Stats): Said {
  if (stats.isFile()) return said('kind.file');
  if (stats.isDirectory()) return said('kind.folder');
  if (stats.isFIFO()) return said('kind.fifo');
  if (stats.isSocket()) return said('kind.socket');
  if (stats.isCharacterDevice()) return said('kind.characterDevice');
  if (stats.isBlockDevice()) return said('kind.blockDevice');
  if (stats.isSymbolicLink()) return said('kind.symlink');
  return said('kind.other');
}

/** "{what} {shown}": the file as messages name it, "the answers file a.yaml". */
function labelOf(what: string | Said, shown: string): Said {
  return said('file.label', { what, shown });
}

function openError(path: string, shown: string, label: Said, error: unknown): FileRefused {
  const code = (error as NodeJS.ErrnoException).code;
  let why: string | Said;
  if (code === 'ENOENT') why = said('file.noSuchFile');
  else if (code === 'EACCES' || code === 'EPERM') why = said('file.denied');
  else if (code === 'ELOOP') why = said('file.loop');
  else if (code === 'ENOTDIR') why = said('file.notDirInPath');
  else if (code === 'ENXIO' || code === 'EISDIR') {
    // a socket cannot be opened at all: say what it is
    let kind = said('kind.other');
    try {
      kind = describeKind(statSync(path));
    } catch {
      // gone meanwhile
    }
    why = said('file.notRegular', { kind });
  } else why = (error as Error).message;
  return new FileRefused(shown, why, { label, code });
}

/**
 * Opens `path` for reading, refusing anything but a regular file before a byte is read. The caller
 * closes the descriptor.
 */
export function openRegularFile(path: string, options: Pick<InputOptions, 'what' | 'shown'>): { fd: number; stats: Stats } {
  const shown = options.shown ?? path;
  const label = labelOf(options.what, shown);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (error) {
    throw openError(path, shown, label, error);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileRefused(shown, said('file.notRegular', { kind: describeKind(stats) }), { label, hint: said('file.onlyRegular') });
    return { fd, stats };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

const CHUNK = 64 * KiB;

/**
 * The file's bytes in chunks of up to 64 KiB, refusing a file longer than the limit, whether its
 * size says so up front or it grows while being read (never reading more than one byte past it).
 * The file is opened, and refused if it must be, at once; its bytes are read as they are asked for.
 */
export function readChunks(path: string, options: InputOptions): Generator<Buffer> {
  const shown = options.shown ?? path;
  const label = labelOf(options.what, shown);
  const size = formatBytes(options.limit);
  const tooLarge = () => new FileRefused(shown, options.whyLimit ? said('file.tooLargeWhy', { size, why: options.whyLimit }) : said('file.tooLarge', { size }), { label });
  const { fd, stats } = openRegularFile(path, options);
  if (stats.size > options.limit) {
    closeSync(fd);
    throw tooLarge();
  }
  return (function* () {
    try {
      let total = 0;
      for (;;) {
        const buffer = Buffer.allocUnsafe(Math.min(CHUNK, options.limit + 1 - total));
        let read: number;
        try {
          read = readSync(fd, buffer, 0, buffer.length, null);
        } catch (error) {
          throw new FileRefused(shown, (error as Error).message, { label });
        }
        if (read === 0) return;
        total += read;
        if (total > options.limit) throw tooLarge();
        yield read === buffer.length ? buffer : buffer.subarray(0, read);
      }
    } finally {
      closeSync(fd);
    }
  })();
}

/** The whole file's bytes (see readChunks). */
export function readBytes(path: string, options: InputOptions): Buffer {
  return Buffer.concat([...readChunks(path, options)]);
}

/**
 * Where the first byte is that is not valid UTF-8 (or is NUL, which no text file of cs holds), or
 * -1. An incomplete character at the very end is invalid when `final`, else left for the next
 * chunk: `complete` is where the whole characters end.
 */
function checkUtf8(bytes: Uint8Array, final: boolean): { invalid: number; complete: number } {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const lead = bytes[i]!;
    if (lead !== 0 && lead < 0x80) {
      i += 1;
      continue;
    }
    const need = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : lead >= 0xf0 && lead <= 0xf4 ? 3 : 0;
    if (need === 0) return { invalid: i, complete: i };
    // the second byte's range excludes overlong forms and surrogates
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= need; k += 1) {
      if (i + k >= n) return final ? { invalid: i, complete: i } : { invalid: -1, complete: i };
      const next = bytes[i + k]!;
      if (k === 1 ? next < low || next > high : next < 0x80 || next > 0xbf) return { invalid: i, complete: i };
    }
    i += need + 1;
  }
  return { invalid: -1, complete: n };
}

/** Where the whole characters of `bytes` end: before a character cut off by the end of a chunk. */
function wholeCharacters(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back += 1) {
    const byte = bytes[n - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? n - back : n;
  }
  return n;
}

const BOMS: [number[], string][] = [
  [[0xff, 0xfe, 0x00, 0x00], 'UTF-32 LE'],
  [[0x00, 0x00, 0xfe, 0xff], 'UTF-32 BE'],
  [[0xff, 0xfe], 'UTF-16 LE'],
  [[0xfe, 0xff], 'UTF-16 BE'],
];

const SAVE_AS_UTF8 = said('file.saveAsUtf8');

/**
 * Decodes UTF-8 text chunk by chunk, dropping a leading byte-order mark; anything else is refused
 * with what the file seems to be and where: `book.csv:12: not UTF-8: byte 0xE9 at offset 431…`.
 */
export class Utf8Decoder {
  private carry: Buffer = Buffer.alloc(0);
  private offset = 0;
  private line = 1;
  private started = false;

  constructor(
    private readonly shown: string,
    private readonly what: string | Said,
    private readonly hint: string | Said = SAVE_AS_UTF8,
  ) {}

  write(chunk: Buffer, final = false): string {
    let data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    if (!this.started) {
      if (data.length < 4 && !final) {
        this.carry = data;
        return '';
      }
      this.started = true;
      for (const [bom, name] of BOMS) {
        if (bom.every((byte, index) => data[index] === byte)) {
          const mark = bom.map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(' ');
          throw new FileRefused(this.shown, said('file.bom', { name, mark }), { label: labelOf(this.what, this.shown), hint: this.hint });
        }
      }
      if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
        data = data.subarray(3);
        this.offset = 3;
      }
    }
    // the fast check (native) first; the slow one only to say where a bad byte is
    let complete = final ? data.length : wholeCharacters(data);
    const whole = data.subarray(0, complete);
    if (!isUtf8(whole) || whole.indexOf(0) !== -1 || final) {
      const checked = checkUtf8(data, final);
      if (checked.invalid >= 0) throw this.notUtf8(data, checked.invalid);
      complete = checked.complete;
    }
    const text = data.toString('utf8', 0, complete);
    for (let at = data.indexOf(10); at !== -1 && at < complete; at = data.indexOf(10, at + 1)) this.line += 1;
    this.offset += complete;
    this.carry = Buffer.from(data.subarray(complete));
    return text;
  }

  end(): string {
    return this.write(Buffer.alloc(0), true);
  }

  private notUtf8(data: Buffer, invalid: number): FileRefused {
    let line = this.line;
    let lineStart = -1;
    for (let at = data.indexOf(10); at !== -1 && at < invalid; at = data.indexOf(10, at + 1)) {
      line += 1;
      lineStart = at;
    }
    // the column in characters, when the line starts within what is still at hand
    const col = lineStart >= 0 || this.offset === 0 ? data.toString('utf8', lineStart + 1, invalid).length + 1 : undefined;
    const byte = data[invalid]!;
    const at = this.offset + invalid;
    const reason =
      byte === 0
        ? said('file.nul', { offset: at })
        : said('file.notUtf8', { byte: byte.toString(16).toUpperCase().padStart(2, '0'), offset: at });
    return new FileRefused(this.shown, reason, { label: labelOf(this.what, this.shown), line, col, hint: this.hint });
  }
}

/** The file as UTF-8 text, without a byte-order mark, in pieces (see readChunks and Utf8Decoder). */
export function readTextChunks(path: string, options: InputOptions): Generator<string> {
  const decoder = new Utf8Decoder(options.shown ?? path, options.what, options.encodingHint);
  const chunks = readChunks(path, options);
  return (function* () {
    for (const chunk of chunks) yield decoder.write(chunk);
    yield decoder.end();
  })();
}

/** The whole file as UTF-8 text, without a byte-order mark. */
export function readText(path: string, options: InputOptions): string {
  let text = '';
  for (const piece of readTextChunks(path, options)) text += piece;
  return text;
}

/** A file cs keeps for itself (a cache): its bytes, or undefined for anything odd about it. */
export function readOwnFile(path: string, limit: number): Buffer | undefined {
  try {
    return readBytes(path, { what: 'cache file', limit });
  } catch {
    return undefined;
  }
}
