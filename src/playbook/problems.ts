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

/** The yaml library's fixed sentences cs says in the interface's language; by the library's words. */
const YAML_SENTENCES: Record<string, Said> = {
  'Map keys must be unique': said('yaml.duplicateKey'),
  'Tabs are not allowed as indentation': said('yaml.tabIndent'),
  'Implicit keys need to be on a single line': said('yaml.multilineKey'),
  'Nested mappings are not allowed in compact mappings': said('yaml.compactNested'),
  'All sequence items must start at the same column': said('yaml.sequenceColumn'),
  'Implicit map keys need to be followed by map values': said('yaml.keyNeedsValue'),
  'Comments must be separated from other tokens by white space characters': said('yaml.commentSpace'),
  'Missing closing "quote': said('yaml.missingQuote', { quote: '"' }),
  "Missing closing 'quote": said('yaml.missingQuote', { quote: "'" }),
  'Sequence item without - indicator': said('yaml.sequenceDash'),
  'A node can have at most one anchor': said('yaml.oneAnchor'),
  'A node can have at most one tag': said('yaml.oneTag'),
  'Flow map in block collection must be sufficiently indented and end with a }': said('yaml.flowMapIndent'),
  'Flow sequence in block collection must be sufficiently indented and end with a ]': said('yaml.flowSequenceIndent'),
  'Flow map must end with a }': said('yaml.flowMapEnd'),
  'Flow sequence must end with a ]': said('yaml.flowSequenceEnd'),
};

/**
 * A YAML syntax error of the yaml library in words the interface's language can say: its first
 * line, which is the library's sentence (English) when cs has no words of its own for it.
 */
export function yamlSyntax(error: { message: string }): Said | string {
  const sentence = error.message.split('\n')[0]!;
  const known = YAML_SENTENCES[sentence];
  if (known) return known;
  const escape = /^Invalid escape sequence (.+)$/.exec(sentence);
  if (escape) return said('yaml.badEscape', { escape: escape[1]! });
  const plain = /^Plain value cannot start with (.+)$/.exec(sentence);
  if (plain) return said('yaml.plainStart', { char: plain[1]! });
  const tag = /^Unresolved tag: (.+)$/.exec(sentence);
  if (tag) return said('yaml.unresolvedTag', { tag: tag[1]! });
  return sentence;
}
