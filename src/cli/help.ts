/**
 * commander in the interface's language: the titles and words of --help (Usage:, [options], the
 * placeholders of arguments and options) and its usage errors, from the catalogue. commander writes
 * these in English itself, so they are translated where it hands them over: the help's style hooks,
 * and the error text given to outputError (each of commander 14's messages has one pattern here).
 */
import type { HelpConfiguration } from 'commander';
import { t } from '../i18n/messages.js';
import type { MessageKey, Params } from '../i18n/messages.js';

const TITLES: Record<string, MessageKey> = {
  'Usage:': 'help.title.usage',
  'Arguments:': 'help.title.arguments',
  'Options:': 'help.title.options',
  'Global Options:': 'help.title.globalOptions',
  'Commands:': 'help.title.commands',
};

/** The placeholders main.ts names arguments and option values with, by their English name. */
const TERMS: Record<string, MessageKey> = {
  account: 'help.term.account',
  'playbook-id': 'help.term.playbookId',
  'template-id': 'help.term.templateId',
  files: 'help.term.files',
  key: 'help.term.key',
  value: 'help.term.value',
  name: 'help.term.name',
  old: 'help.term.old',
  new: 'help.term.new',
  offset: 'help.term.offset',
  date: 'help.term.date',
  path: 'help.term.path',
  format: 'help.term.format',
  lang: 'help.term.lang',
  kind: 'help.term.kind',
  'step-id': 'help.term.stepId',
  'role=column,...': 'help.term.map',
  dir: 'help.term.dir',
  from: 'help.term.from',
  to: 'help.term.to',
  handle: 'help.term.handle',
  person: 'help.term.person',
  address: 'help.term.address',
  role: 'help.term.role',
};

function term(name: string): string {
  const key = TERMS[name];
  return key ? t(key) : name;
}

/** "[options]", "<account>", "[files...]", "--owner <name>": each placeholder in the language. */
export function localTerms(text: string): string {
  return text
    .replace(/\[options\]/g, t('help.usage.options'))
    .replace(/\[command\]/g, t('help.usage.command'))
    .replace(/([<[])([^<>[\]]+?)(\.\.\.)?([>\]])/g, (_, open: string, name: string, dots = '', close: string) => `${open}${term(name)}${dots}${close}`);
}

/** configureHelp's settings: global options shown, commander's words in the interface's language. */
export function helpConfiguration(): HelpConfiguration {
  return {
    showGlobalOptions: true,
    styleTitle: (title) => (TITLES[title] ? t(TITLES[title]) : title),
    styleUsage: localTerms,
    styleOptionTerm: localTerms,
    styleSubcommandTerm: localTerms,
    // in the Arguments list commander names an argument without its brackets
    argumentTerm: (argument) => `${term(argument.name())}${argument.variadic ? '...' : ''}`,
  };
}

/** "Examples:" and the command lines under it, for addHelpText('after', …). */
export function examples(lines: string[]): string {
  return `\n${t('help.title.examples')}\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

/** Each of commander's usage errors ("error: " cut off), and the message it becomes. */
const ERRORS: [RegExp, MessageKey, (match: RegExpExecArray) => Params][] = [
  [/^unknown command '(.*)'$/s, 'usage.unknownCommand', (m) => ({ name: m[1]! })],
  [/^unknown option '(.*)'$/s, 'usage.unknownOption', (m) => ({ name: m[1]! })],
  [/^missing required argument '(.*)'$/s, 'usage.missingArgument', (m) => ({ name: term(m[1]!) })],
  [/^option '(.*)' argument missing$/s, 'usage.optionMissingArgument', (m) => ({ option: localTerms(m[1]!) })],
  [/^required option '(.*)' not specified$/s, 'usage.missingMandatoryOption', (m) => ({ option: localTerms(m[1]!) })],
  [/^too many arguments for '(.*)'\. Expected (\d+) arguments? but got (\d+)\.$/s, 'usage.tooManyArgumentsFor', (m) => ({ command: m[1]!, count: Number(m[2]), got: Number(m[3]) })],
  [/^too many arguments\. Expected (\d+) arguments? but got (\d+)\.$/s, 'usage.tooManyArguments', (m) => ({ count: Number(m[1]), got: Number(m[2]) })],
];

/**
 * One of commander's error texts ("error: unknown option '--x'\n(Did you mean --y?)\n") in the
 * interface's language, starting with `prefix` as cs's own errors do. A text it has no pattern for
 * keeps commander's words.
 */
export function commanderError(text: string, prefix: string): string {
  const [, body = text, suggestion] = /^error: ([\s\S]*?)(?:\n\(Did you mean ([\s\S]*)\?\))?\n?$/.exec(text) ?? [];
  let message = body;
  for (const [pattern, key, params] of ERRORS) {
    const match = pattern.exec(body);
    if (match) {
      message = t(key, params(match));
      break;
    }
  }
  if (suggestion !== undefined) {
    const several = /^one of (.*)$/s.exec(suggestion);
    message += `\n${several ? t('usage.didYouMeanOneOf', { names: several[1]! }) : t('usage.didYouMean', { names: suggestion })}`;
  }
  return `${prefix}${message}\n`;
}
