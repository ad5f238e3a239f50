/**
 * Text written straight to stdout's and stderr's file descriptors. Node's process.stdout is a
 * stream, and creating it loads ~20 of Node's own modules (streams, and net or tty): ~3 ms of every
 * start of a command that prints a few lines. These writes are synchronous, as process.stdout's are
 * on Linux for files, pipes and terminals, so they keep their order with what the prompt library
 * writes through process.stdout.
 */
import { writeSync } from 'node:fs';
import { forTerminal } from './visible.js';

const STDOUT = 1;
const STDERR = 2;
const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // `cs status | head`: a reader that goes away is not an error (as with git and ls); when it is
      // stderr's reader, there is no one left to tell anything
      if (code === 'EPIPE') {
        if (fd === STDOUT) process.exit(0);
        return;
      }
      // a non-blocking pipe that is full (its other end set O_NONBLOCK): let the reader catch up
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 2);
      else throw error;
    }
  }
}

/**
 * Text for stdout, control characters made visible and cs's colours expanded (src/ui/visible.ts):
 * whatever calls this, from the Ui to commander's help, cannot let a text drive the terminal.
 */
export function writeOut(text: string): void {
  writeAll(STDOUT, forTerminal(text));
}

/** Text for stderr, made safe as writeOut's. */
export function writeErr(text: string): void {
  writeAll(STDERR, forTerminal(text));
}

/** Redraws stderr's last line (a progress bar): back to its start, erase it, then `text`, made safe as writeErr's. */
export function redrawErr(text: string): void {
  writeAll(STDERR, `\r\u001b[K${forTerminal(text)}`);
}

/** Bytes for stdout as they are: a generated document going to a pipe or a file (Ui.document). */
export function writeBytes(text: string): void {
  writeAll(STDOUT, text);
}

/**
 * Whether stdin (0), stdout (1) or stderr (2) is a terminal, without creating its stream. Node's tty
 * module loads its net module (~1.5 ms), so it is loaded only when this is first asked.
 */
export function isTerminal(fd: 0 | 1 | 2): boolean {
  return process.getBuiltinModule('node:tty').isatty(fd);
}
