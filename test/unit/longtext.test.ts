/**
 * The long-answer reader's buffer (src/ui/longtext.ts), fed reads as a terminal delivers them:
 * typed keys, pastes with and without bracketed paste, several keys in one read, escape sequences
 * cut between two reads. Nothing typed may be lost, and what is read past the end of the answer is
 * handed back for the next prompt.
 */
import { describe, expect, it } from 'vitest';
import { editorCommand, LongtextBuffer } from '../../src/ui/longtext.js';
import type { LongtextRules } from '../../src/ui/longtext.js';

const OPTIONAL: LongtextRules = { required: false, hasDefault: false, clearable: false };
const REQUIRED: LongtextRules = { required: true, hasDefault: false, clearable: false };
const KEPT_OPTIONAL: LongtextRules = { required: false, hasDefault: true, clearable: true };

/** Feeds the reads in order; returns the end and what was left over, or the buffer when unfinished. */
function feed(rules: LongtextRules, ...reads: string[]) {
  const buffer = new LongtextBuffer(rules);
  for (const [index, read] of reads.entries()) {
    const result = buffer.feed(read);
    if (result) return { ...result, unread: reads.slice(index + 1), buffer };
  }
  return { end: undefined, rest: '', unread: [], buffer };
}

describe('the long-answer buffer', () => {
  it('keeps lines typed one read at a time, and an empty line ends', () => {
    expect(feed(OPTIONAL, 'Chị ', 'Lan', '\r', 'Anh Minh', '\r', '\r').end).toEqual({ kind: 'done', lines: ['Chị Lan', 'Anh Minh'] });
  });

  it('"line, Enter, Enter" in one read: the line is kept, the answer ends, nothing is left over', () => {
    expect(feed(OPTIONAL, 'một dòng\r\r')).toMatchObject({ end: { kind: 'done', lines: ['một dòng'] }, rest: '' });
  });

  it('what follows the end in the same read is handed back for the next prompt', () => {
    expect(feed(OPTIONAL, 'a\r\r', 'y\r').end).toEqual({ kind: 'done', lines: ['a'] });
    expect(feed(OPTIONAL, 'a\r\r\r')).toMatchObject({ end: { kind: 'done', lines: ['a'] }, rest: '\r' });
  });

  it('a bracketed paste keeps every line, blank ones included; the Enter after it ends', () => {
    const paste = '\u001b[200~Dòng 1\r\rDòng 3 sau dòng trống\rDòng 4\u001b[201~';
    expect(feed(OPTIONAL, paste, '\r', '\r').end).toEqual({ kind: 'done', lines: ['Dòng 1', '', 'Dòng 3 sau dòng trống', 'Dòng 4'] });
    // the paste markers cut between two reads
    expect(feed(OPTIONAL, '\u001b[20', '0~x\r\ry\u001b[2', '01~\r\r').end).toEqual({ kind: 'done', lines: ['x', '', 'y'] });
  });

  it('a paste without brackets: a blank line followed by more text in the same read is text', () => {
    expect(feed(OPTIONAL, 'Dòng 1\r\rDòng 3\rDòng 4\r', '\r').end).toEqual({ kind: 'done', lines: ['Dòng 1', '', 'Dòng 3', 'Dòng 4'] });
    expect(feed(OPTIONAL, 'a\nb\r\nc\n\n').end).toEqual({ kind: 'done', lines: ['a', 'b', 'c'] });
  });

  it('Ctrl-C stops with every line typed, the one being typed included', () => {
    expect(feed(OPTIONAL, 'dòng một\r', 'dòng h', '\u0003').end).toEqual({ kind: 'stop', lines: ['dòng một', 'dòng h'] });
  });

  it('backspace removes one character (a letter with its marks, in NFD too); Ctrl-U the line', () => {
    expect(feed(OPTIONAL, 'Hoà\u007f\u007fa\r\r').end).toEqual({ kind: 'done', lines: ['Ha'] });
    expect(feed(OPTIONAL, 'Ho\u0061\u0300\u007f\r\r').end).toEqual({ kind: 'done', lines: ['Ho'] });
    expect(feed(OPTIONAL, 'sai hết\u0015đúng\r\r').end).toEqual({ kind: 'done', lines: ['đúng'] });
  });

  it('escape sequences (arrows, colours pasted in) and other controls never reach the answer', () => {
    expect(feed(OPTIONAL, 'a\u001b[Ab\u001b[1;5Cc\u001bOPd\u0007\u001b[31me\r\r').end).toEqual({ kind: 'done', lines: ['abcde'] });
  });

  it('a required answer is not ended by an empty line: it says so and goes on', () => {
    const { end, buffer } = feed(REQUIRED, '\r');
    expect(end).toBeUndefined();
    expect(buffer.problem).toBe('An answer is required.');
    expect(buffer.feed('x\r\r')?.end).toEqual({ kind: 'done', lines: ['x'] });
  });

  it('"-" alone clears a kept optional answer; elsewhere it is text', () => {
    expect(feed(KEPT_OPTIONAL, '-\r').end).toEqual({ kind: 'clear' });
    expect(feed(OPTIONAL, '-\r\r').end).toEqual({ kind: 'done', lines: ['-'] });
    expect(feed(KEPT_OPTIONAL, 'a\r-\r\r').end).toEqual({ kind: 'done', lines: ['a', '-'] });
  });

  it('":e" alone on a line, or Ctrl-E, asks for the editor with the lines so far', () => {
    expect(feed(OPTIONAL, 'a\r:e\r').end).toEqual({ kind: 'editor', lines: ['a'] });
    expect(feed(OPTIONAL, 'a\rb\u0005').end).toEqual({ kind: 'editor', lines: ['a', 'b'] });
  });

  it('continues a draft: its lines come first', () => {
    const buffer = new LongtextBuffer(OPTIONAL, ['dòng cũ']);
    expect(buffer.feed('dòng mới\r\r')?.end).toEqual({ kind: 'done', lines: ['dòng cũ', 'dòng mới'] });
  });
});

describe('the editor for :e', () => {
  it('is $VISUAL, else $EDITOR, else nano when installed, else vi', () => {
    expect(editorCommand({ VISUAL: 'code --wait', EDITOR: 'vi' }, () => false)).toBe('code --wait');
    expect(editorCommand({ EDITOR: 'emacs' }, () => false)).toBe('emacs');
    expect(editorCommand({ PATH: '/usr/bin:/bin' }, (path) => path === '/bin/nano')).toBe('nano');
    expect(editorCommand({ PATH: '/usr/bin' }, () => false)).toBe('vi');
  });
});
