/**
 * The built CLI as a child process that runs *while the test goes on*: several at once (two
 * terminals on one database), one killed at a chosen moment (after the k-th line it printed), or one
 * under a file-size limit (`ulimit -f`). Same result shape as cli.ts's synchronous runner.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { BIN, ROOT } from './cli.js';
import type { CliResult, Sandbox } from './cli.js';

export interface AsyncOptions {
  /** Extra environment on top of the sandbox's (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  /** Called with each complete line of stderr as it arrives (e.g. to kill after the k-th `saved`). */
  onStderrLine?: (line: string, child: ChildProcess) => void;
  /** Run under `ulimit -f <KiB>` with SIGXFSZ ignored: a write past the limit fails with EFBIG. */
  fileSizeLimitKib?: number;
  /** Run under this umask (e.g. '000': file modes must then come from cs itself). */
  umask?: string;
  /** Hang guard: SIGKILL after this many ms (default 60 s). */
  timeout?: number;
}

export interface Running {
  child: ChildProcess;
  result: Promise<CliResult>;
}

function environment(box: Sandbox, extra: AsyncOptions['env']): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...box.env };
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** Starts `cs <args>` in the sandbox; stdin is /dev/null (never a terminal). */
export function startCs(box: Sandbox, args: string[], options: AsyncOptions = {}): Running {
  const prefix = [
    options.umask === undefined ? '' : `umask ${options.umask}`,
    options.fileSizeLimitKib === undefined ? '' : `trap '' XFSZ; ulimit -f ${options.fileSizeLimitKib}`,
  ].filter(Boolean);
  const [command, argv] =
    prefix.length === 0
      ? [process.execPath, [BIN, ...args]]
      : // $0 and $@ carry node and its arguments: nothing is quoted by hand
        ['bash', ['-c', `${prefix.join(' && ')} && exec "$0" "$@"`, process.execPath, BIN, ...args]];
  const started = performance.now();
  const child = spawn(command, argv, { cwd: ROOT, env: environment(box, options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    if (!options.onStderrLine) return;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) options.onStderrLine(line, child);
  });
  const guard = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 60_000);
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
  return { child, result };
}

/** `cs <args>` to its end. */
export function runCs(box: Sandbox, args: string[], options: AsyncOptions = {}): Promise<CliResult> {
  return startCs(box, args, options).result;
}
