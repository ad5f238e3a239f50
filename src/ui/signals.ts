/**
 * What must happen before cs stops on a signal (Ctrl-C outside a prompt, SIGTERM, SIGHUP): a long
 * answer being typed keeps its lines as a draft, the terminal gets its cursor and normal paste
 * back. src/cli/main.ts runs the hooks, then prints the resume hint and exits.
 */
const hooks = new Set<() => void>();

/** Registers a hook to run (synchronously) at a stop; returns the function that removes it. */
export function onStop(hook: () => void): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

export function runStopHooks(): void {
  for (const hook of [...hooks]) {
    try {
      hook();
    } catch {
      // a hook that fails must not keep the others (or the exit) from happening
    }
  }
  hooks.clear();
}

/** Bracketed paste off, cursor shown: what a prompt may have changed, restored. */
export const TERMINAL_RESET = '\u001b[?2004l\u001b[?25h';
