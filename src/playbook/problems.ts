import { said, say } from '../i18n/messages.js';
import type { Said } from '../i18n/messages.js';

/** A problem found in a file, at a line and column a person can jump to. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  /** What is wrong: a sentence not yet said (key and values), or text already said. */
  message: string | Said;
}

/** A problem as one sentence not yet said: file:line:col and what is wrong. */
export function problemSaid(problem: Problem): Said {
  return said('problem.at', { where: `${problem.file}:${problem.line}:${problem.col}`, message: problem.message });
}

/** A problem in the interface's language, for the CLI to print. */
export function formatProblem(problem: Problem): string {
  return say(problemSaid(problem));
}

/**
 * Order of ids (playbooks, templates), which are lowercase ASCII: plain comparison, since
 * localeCompare's first call builds an ICU collator, ~6 ms of a command that lists them.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Levenshtein distance, for "did you mean" on unknown keys and ids. */
function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The closest candidate when it is close enough to be a typo. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  // close enough to be a typo, and not a guess from almost nothing ("x" is not a typo of "id")
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) && bestDistance < word.length ? best : undefined;
}
