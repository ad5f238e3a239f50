/**
 * The command line: commander wiring only. Each action imports its command's module when it runs,
 * so `cs --version` or `cs status` never load the prompt library, ajv or mustache.
 */
import { Command, CommanderError, Option } from 'commander';
import { CONFIG_KEYS } from '../config/config.js';
import { CsError, EXIT, interrupted, isStop, withStopHint } from '../errors.js';
import type { StopSignal } from '../errors.js';
import { DATE_FORMS } from '../engine/dates.js';
import { isTerminal, writeBytes, writeErr, writeOut } from '../ui/output.js';
import { runStopHooks, TERMINAL_RESET } from '../ui/signals.js';
import { visible } from '../ui/visible.js';
import { TerminalUi } from '../ui/terminal.js';
import type { Context, GlobalOptions } from './context.js';
import { createContext } from './context.js';
import { VERSION } from './version.js';
import { maskPasswords } from '../store/location.js';
import { detectLang } from '../i18n/lang.js';
import { t, useLang } from '../i18n/messages.js';
import type { MessageKey } from '../i18n/messages.js';
import { commanderError, examples, helpConfiguration } from './help.js';
import { ROLES } from '../playbook/types.js';
import { roleName } from './role-names.js';

/**
 * Runs `load()`'s command with a fresh context built from the global options. The command's module,
 * and the SQLite store when `usesStore`, are imported only now.
 */
function lazy<A extends unknown[]>(load: () => Promise<(context: Context, ...args: A) => Promise<void>>, usesStore = true) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const globals = command.optsWithGlobals() as GlobalOptions;
    const ui = await TerminalUi.create({ noColor: globals.color === false });
    const open = usesStore ? (await import('../store/index.js')).openStore : undefined;
    const context = createContext(ui, globals, open);
    // Ctrl-C between prompts (inside one, the prompt reports it), SIGTERM or SIGHUP anywhere: every
    // answer is already committed, since writes are synchronous; a long answer being typed is kept
    // as a draft by its stop hook. The terminal gets its cursor back and the user the command to go on.
    const onSignal = (signal: StopSignal) => {
      const stop = interrupted(context.interruptHint, signal);
      let code: number = stop.exitCode;
      try {
        runStopHooks();
        void context.close(); // SQLite closes at once; a server sees the connection drop at exit
        // after SIGHUP the terminal may be gone: writing to it can fail, and must not change the exit code
        if (isTerminal(1)) writeBytes(`\n${TERMINAL_RESET}`); // cs's own control sequences: not made visible
        code = report(stop, (text) => writeErr(`${text}\n`));
      } catch {
        // nothing left to tell anyone
      }
      process.exit(code);
    };
    for (const signal of STOP_SIGNALS) process.once(signal, onSignal);
    try {
      const run = await load();
      await run(context, ...(args.slice(0, -1) as A));
    } catch (error) {
      // Ctrl-C inside a prompt: the command knows best what to tell the user to do next
      if (isStop(error) && !(error as CsError).hint && context.interruptHint) throw withStopHint(error as CsError, context.interruptHint);
      throw error;
    } finally {
      for (const signal of STOP_SIGNALS) process.removeListener(signal, onSignal);
      await context.close();
    }
  };
}

/** How every error message starts, whoever found the problem. */
const ERROR_PREFIX = 'cs: ';

/** The description of each config key (src/config/config.ts holds the keys), by key. */
const CONFIG_KEY_HELP: Record<string, MessageKey> = {
  'user.name': 'help.config.key.userName',
  'user.email': 'help.config.key.userEmail',
  user: 'help.config.key.user',
};

/** `cs config --help`'s list of keys. */
function configKeysHelp(): string {
  const width = Math.max(...CONFIG_KEYS.map((each) => each.key.length));
  return CONFIG_KEYS.map((each) => `  ${each.key.padEnd(width)}  ${t('help.configKey', { description: t(CONFIG_KEY_HELP[each.key]!), env: each.env })}`).join('\n');
}

const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Shown only where it means something: a churn run, when it finishes, schedules the win-back. */
function noWinbackOption(description: MessageKey = 'help.noWinback'): Option {
  return new Option('--no-winback', t(description));
}

/** `cs team add` and `cs team set` take the same details of a person. */
function memberOptions(command: Command, required: boolean): Command {
  return command
    .option('--name <name>', t(required ? 'help.team.name' : 'help.team.newName'))
    .option('--email <address>', t(required ? 'help.team.email' : 'help.team.newEmail'))
    .option('--role <role>', t(required ? 'help.team.role' : 'help.team.newRole', { roles: ROLES.join(', ') }));
}

function teamCommands(program: Command): void {
  const team = program.command('team').description(t('help.team'));
  memberOptions(team.command('add').argument('<handle>', t('help.team.handle')).description(t('help.team.add')), true)
    .addHelpText('after', examples(['cs team add lan --name "Nguyễn Thị Lan" --email lan@example.com --role cos', 'cs team add minh --name "Trần Văn Minh" --role csm']))
    .action(lazy(async () => (await import('./commands/team.js')).add));
  team
    .command('list')
    .description(t('help.team.list'))
    .option('--json', t('help.json'))
    .addHelpText('after', examples(['cs team list', 'cs team list --json']))
    .action(lazy(async () => (await import('./commands/team.js')).list));
  memberOptions(team.command('set').argument('<person>', t('help.team.person')).description(t('help.team.set')), false)
    .addHelpText('after', examples(['cs team set lan --email lan@anhduong.vn', 'cs team set "Nguyễn Thị Lan" --role lead', "cs team set minh --role ''"]))
    .action(lazy(async () => (await import('./commands/team.js')).set));
}

/** cs report and cs status judge open runs alike. */
function stuckDaysOption(): Option {
  return new Option('--stuck-days <n>', t('help.stuckDays'));
}

/** The options of every command that starts a run (`start` of a kind also takes --playbook). */
function walkOptions(command: Command, options: { playbook: boolean }): Command {
  command.option('--start <date>', t('help.start', { forms: DATE_FORMS })).option('--owner <name>', t('help.owner'));
  if (options.playbook) command.option('--playbook <id>', t('help.playbook'));
  return command.option('--answers <file>', t('help.answers')).option('--no-input', t('help.noInput'));
}

const KINDS = {
  onboarding: { verb: 'onboard', group: 'help.onboard', start: 'help.start.onboarding' },
  churn: { verb: 'churn', group: 'help.churn', start: 'help.start.churn' },
  winback: { verb: 'winback', group: 'help.winback', start: 'help.start.winback' },
} as const satisfies Record<string, { verb: string; group: MessageKey; start: MessageKey }>;

function startCommand(program: Command, kind: keyof typeof KINDS): void {
  const { verb, group, start: description } = KINDS[kind];
  const start = walkOptions(program.command(verb).description(t(group)).command('start').argument('<account>', t('help.arg.accountExample')).description(t(description)), {
    playbook: true,
  });
  if (kind === 'churn') start.addOption(noWinbackOption());
  start
    .addHelpText('after', examples([`cs ${verb} start "Công ty Ánh Dương" --owner lan`, `cs ${verb} start "Acme" --answers acme.yaml --no-input`]))
    .action(lazy(async () => (await import('./commands/start.js')).startOfKind(kind)));
}

export function buildProgram(): Command {
  const program = new Command('cs')
    .description(t('help.cs'))
    .version(VERSION, '-v, --version', t('help.version'))
    // set before any subcommand is made: each copies them
    .helpOption('-h, --help', t('help.helpOption'))
    .helpCommand('help [command]', t('help.helpCommand'))
    .option('--db <path>', t('help.dbFile'))
    .option('--no-color', t('help.noColor'))
    .configureHelp(helpConfiguration())
    // commander's own usage errors say "error: …"; ours say "cs: …" (see report): one prefix for both,
    // in the interface's language. It echoes what was typed (an unknown option): writeOut/writeErr make that visible.
    .configureOutput({ writeOut, writeErr, outputError: (text, write) => write(commanderError(text, ERROR_PREFIX)) })
    .showHelpAfterError(t('help.afterError'))
    .showSuggestionAfterError()
    .exitOverride()
    .addHelpText('after', examples(['cs onboard start "Công ty Ánh Dương" --owner lan', 'cs resume "Công ty Ánh Dương"', 'cs status', 'cs playbooks list']));

  startCommand(program, 'onboarding');
  startCommand(program, 'churn');
  startCommand(program, 'winback');

  walkOptions(
    program
      .command('run')
      .argument('<playbook-id>', t('help.runCommand.playbookId'))
      .argument('<account>', t('help.arg.accountNew'))
      .description(t('help.runCommand')),
    { playbook: false },
  )
    // a churn playbook run by id schedules the win-back too; not listed, since for most ids it means nothing
    .addOption(noWinbackOption().hideHelp())
    .addHelpText('after', examples(['cs run proserv-onboarding "Acme"']))
    .action(lazy(async () => (await import('./commands/start.js')).runPlaybook));

  program
    .command('resume')
    .argument('<account>', t('help.arg.account'))
    .description(t('help.resume'))
    .option('--run <id>', t('help.run'))
    .option('--playbook <id>', t('help.resume.playbook'))
    .option('--answers <file>', t('help.answersShort'))
    .option('--no-input', t('help.noInput'))
    .addOption(noWinbackOption('help.noWinbackResume'))
    .option('--upgrade', t('help.resume.upgrade'))
    .addHelpText('after', examples(['cs resume "Công ty Ánh Dương"', 'cs resume Acme --run 12', 'cs resume Acme --upgrade']))
    .action(lazy(async () => (await import('./commands/start.js')).resume));

  program
    .command('status')
    .argument('[account]', t('help.status.account'))
    .description(t('help.status'))
    .option('--json', t('help.status.json'))
    .option('--full', t('help.status.full'))
    .addOption(stuckDaysOption())
    .addHelpText('after', examples(['cs status', 'cs status "Công ty Ánh Dương" --json', 'cs status --json --full > book.json']))
    .action(lazy(async () => (await import('./commands/status.js')).status));

  const playbooks = program.command('playbooks').description(t('help.playbooks'));
  playbooks
    .command('list')
    .description(t('help.playbooks.list'))
    .option('--json', t('help.json'))
    .addHelpText('after', examples(['cs playbooks list', 'CS_PLAYBOOKS=./my-playbooks cs playbooks list --json']))
    .action(lazy(async () => (await import('./commands/playbooks.js')).list, false));
  playbooks
    .command('show')
    .argument('<id>', t('help.playbooks.id'))
    .description(t('help.playbooks.show'))
    .option('--json', t('help.json'))
    .addHelpText('after', examples(['cs playbooks show onboarding-30d']))
    .action(lazy(async () => (await import('./commands/playbooks.js')).show, false));
  playbooks
    .command('validate')
    .argument('[files...]', t('help.playbooks.files'))
    .description(t('help.playbooks.validate'))
    .addHelpText('after', examples(['cs playbooks validate', 'cs playbooks validate ~/.config/cs/playbooks/my-onboarding.yaml']))
    .action(lazy(async () => (await import('./commands/playbooks.js')).validate, false));

  playbooks
    .command('preview')
    .argument('<id>', t('help.playbooks.id'))
    .description(t('help.playbooks.preview'))
    .option('--start <date>', t('help.playbooks.preview.start'))
    .option('--answers <file>', t('help.playbooks.preview.answers'))
    .option('--out <dir>', t('help.playbooks.preview.out'))
    .option('--json', t('help.playbooks.preview.json'))
    .addHelpText('after', examples(['cs playbooks preview churn-response --start 2027-01-04', 'cs playbooks preview churn-response --answers examples/churn-response.yaml --out preview/']))
    .action(lazy(async () => (await import('./commands/preview.js')).preview, false));
  playbooks
    .command('upgrade')
    .argument('<id>', t('help.playbooks.id'))
    .description(t('help.playbooks.upgrade'))
    .option('--dry-run', t('help.playbooks.upgrade.dryRun'))
    .option('--json', t('help.json'))
    .addHelpText('after', examples(['cs playbooks upgrade onboarding-30d --dry-run', 'cs playbooks upgrade onboarding-30d']))
    .action(lazy(async () => (await import('./commands/upgrade.js')).upgrade));

  program
    .command('agenda')
    .description(t('help.agenda'))
    .option('--days <n>', t('help.agenda.days'))
    .option('--owner <name>', t('help.agenda.owner'))
    .option('--account <name>', t('help.agenda.account'))
    .option('--team', t('help.agenda.team'))
    .option('--json', t('help.agenda.json'))
    .option('--all', t('help.agenda.all'))
    .option('--limit <n>', t('help.agenda.limit'))
    .option('--ics <file>', t('help.agenda.ics'))
    .option('--force', t('help.agenda.force'))
    .addHelpText('after', examples(['cs agenda', 'cs agenda --days 14 --owner lan', 'cs agenda --team', 'cs agenda --all --limit 50', 'cs agenda --account "Công ty Ánh Dương" --json', 'cs agenda --ics agenda.ics --force']))
    .action(lazy(async () => (await import('./commands/agenda.js')).agenda));

  const actions = program.command('actions').description(t('help.actions'));
  actions
    .command('list')
    .argument('[account]', t('help.actions.account'))
    .description(t('help.actions.list'))
    .option('--owner <name>', t('help.actions.owner'))
    .option('--all', t('help.actions.all'))
    .option('--json', t('help.actions.json'))
    .addHelpText('after', examples(['cs actions list', 'cs actions list "Beta Telecom"', 'cs actions list --owner lan --json']))
    .action(lazy(async () => (await import('./commands/actions.js')).list));
  actions
    .command('done')
    .argument('<account>', t('help.arg.account'))
    .argument('<n>', t('help.actions.n'))
    .description(t('help.actions.done'))
    .addHelpText('after', examples(['cs actions done "Beta Telecom" 2']))
    .action(lazy(async () => (await import('./commands/actions.js')).done));

  program
    .command('report')
    .description(t('help.report'))
    .option('--playbook <id>', t('help.report.playbook'))
    .option('--owner <name>', t('help.ownerRuns'))
    .option('--since <date>', t('help.report.since'))
    .addOption(stuckDaysOption())
    .option('--json', t('help.report.json'))
    .option('--html <file>', t('help.report.html'))
    .option('--force', t('help.report.force'))
    .addHelpText('after', examples(['cs report', 'cs report --playbook onboarding-30d --since 2026-01-01', 'cs report --owner lan --json', 'cs report --html report.html']))
    .action(lazy(async () => (await import('./commands/report.js')).report));

  program
    .command('shift')
    .argument('<account>', t('help.arg.account'))
    .argument('[offset]', t('help.shift.offset'))
    .description(t('help.shift'))
    .option('--run <id>', t('help.run'))
    .option('--from <step-id>', t('help.shift.from'))
    .option('--undo', t('help.shift.undo'))
    .option('--dry-run', t('help.shift.dryRun'))
    // "-2d" is an offset, not an option: commander hands unknown dash words to the command
    .allowUnknownOption()
    .addHelpText('after', examples(['cs shift "Công ty Ánh Dương" +5bd', 'cs shift Acme -2d --from kickoff-call', 'cs shift Acme +1w --dry-run', 'cs shift --undo Acme']))
    .action(lazy(async () => (await import('./commands/shift.js')).shift));

  const accounts = program.command('accounts').description(t('help.accounts'));
  accounts
    .command('list')
    .description(t('help.accounts.list'))
    .option('--owner <name>', t('help.accounts.owner'))
    .option('--json', t('help.json'))
    .addHelpText('after', examples(['cs accounts list', 'cs accounts list --owner lan --json']))
    .action(lazy(async () => (await import('./commands/accounts.js')).list));
  accounts
    .command('import')
    .argument('<file.csv>', t('help.accounts.import.file'))
    .description(t('help.accounts.import'))
    .option('--dry-run', t('help.accounts.import.dryRun'))
    .option('--map <role=column,...>', t('help.accounts.import.map'))
    .option('--date-format <format>', t('help.accounts.import.dateFormat'))
    .option('--playbook <id>', t('help.accounts.import.playbook'))
    .option('--kind <kind>', t('help.accounts.import.kind'))
    .option('--update-owners', t('help.accounts.import.updateOwners'))
    .addHelpText(
      'after',
      examples([
        'cs accounts import hubspot-companies.csv --dry-run',
        'cs accounts import book.csv',
        "cs accounts import export.csv --map 'name=Company,owner=Rep,start=Signed on' --date-format dd/mm/yyyy",
      ]),
    )
    .action(lazy(async () => (await import('./commands/accounts.js')).importAccounts));
  accounts
    .command('show')
    .argument('<name>', t('help.arg.account'))
    .description(t('help.accounts.show'))
    .option('--json', t('help.json'))
    .addHelpText('after', examples(['cs accounts show "Công ty Ánh Dương"']))
    .action(lazy(async () => (await import('./commands/accounts.js')).show));
  accounts
    .command('rename')
    .argument('<old>', t('help.accounts.rename.old'))
    .argument('<new>', t('help.accounts.rename.new'))
    .description(t('help.accounts.rename'))
    .addHelpText('after', examples(['cs accounts rename "Cty Anh Duong" "Công ty Ánh Dương"']))
    .action(lazy(async () => (await import('./commands/accounts.js')).rename));

  const accountsSet = accounts
    .command('set')
    .argument('<name>', t('help.arg.account'))
    .description(t('help.accounts.set'))
    .option('--lang <lang>', t('help.accounts.set.lang'));
  for (const role of ROLES) accountsSet.option(`--${role} <person>`, t('help.accounts.role', { role, name: roleName(role) }));
  accountsSet
    .addHelpText('after', examples(['cs accounts set "Công ty Ánh Dương" --lang vi', 'cs accounts set "Công ty Ánh Dương" --cos lan --csm minh']))
    .action(lazy(async () => (await import('./commands/accounts.js')).set));

  program
    .command('render')
    .argument('<template-id>', t('help.render.templateId'))
    .argument('<account>', t('help.render.account'))
    .description(t('help.render'))
    .option('--run <id>', t('help.render.run'))
    .option('--step <step-id>', t('help.render.step'))
    .option('--format <format>', t('help.render.format'))
    .option('--out <file>', t('help.render.out'))
    .option('--force', t('help.render.force'))
    .option('--strict', t('help.render.strict'))
    .option('--lang <lang>', t('help.render.lang'))
    .addHelpText('after', examples(['cs render kickoff-recap "Công ty Ánh Dương" --format eml --out recap.eml', 'cs render churn-postmortem "Beta Telecom" --out minutes.md', 'cs render onboarding-review Acme --step review-month-2 --strict']))
    .action(lazy(async () => (await import('./commands/render.js')).render));

  const templates = program.command('templates').description(t('help.templates'));
  templates
    .command('list')
    .description(t('help.templates.list'))
    .option('--json', t('help.json'))
    .addHelpText('after', examples(['cs templates list', 'CS_TEMPLATES=./my-templates cs templates list']))
    .action(lazy(async () => (await import('./commands/templates.js')).list, false));
  templates
    .command('show')
    .argument('<id>', t('help.templates.id'))
    .description(t('help.templates.show'))
    .option('--json', t('help.json'))
    .addHelpText('after', examples(['cs templates show kickoff-recap']))
    .action(lazy(async () => (await import('./commands/templates.js')).show, false));
  templates
    .command('validate')
    .argument('[files...]', t('help.templates.files'))
    .description(t('help.templates.validate'))
    .addHelpText('after', examples(['cs templates validate', 'cs templates validate ~/.config/cs/templates/kickoff-recap.mustache']))
    .action(lazy(async () => (await import('./commands/templates.js')).validate, false));

  const config = program
    .command('config')
    .description(t('help.config'))
    .addHelpText(
      'after',
      `\n${t('help.title.keys')}\n${configKeysHelp()}\n${examples(['cs config set user.name "Nguyễn Thị Lan"', 'cs config set user.email lan@example.com', 'cs config get user.email', 'cs config list'])}`,
    );
  config
    .command('set')
    .argument('<key>', t('help.arg.configKey'))
    .argument('<value>', t('help.config.value'))
    .description(t('help.config.set'))
    .addHelpText('after', examples(['cs config set user.name "Nguyễn Thị Lan"', 'cs config set user.email lan@example.com']))
    .action(lazy(async () => (await import('./commands/config.js')).set, false));
  config
    .command('get')
    .argument('<key>', t('help.arg.configKey'))
    .description(t('help.config.get'))
    .action(lazy(async () => (await import('./commands/config.js')).get, false));
  config
    .command('unset')
    .argument('<key>', t('help.arg.configKey'))
    .description(t('help.config.unset'))
    .action(lazy(async () => (await import('./commands/config.js')).unset, false));
  config
    .command('list')
    .description(t('help.config.list'))
    .option('--json', t('help.json'))
    .action(lazy(async () => (await import('./commands/config.js')).list, false));

  teamCommands(program);

  const db = program.command('db').description(t('help.db'));
  db.command('check')
    .description(t('help.db.check'))
    .option('--json', t('help.json'))
    .addHelpText('after', examples(['cs db check', 'cs --db ~/backup/cs.db db check']))
    .action(lazy(async () => (await import('./commands/db.js')).check));
  db.command('backup')
    .argument('<file>', t('help.db.backup.file'))
    .description(t('help.db.backup'))
    .option('--force', t('help.force'))
    .addHelpText('after', examples(['cs db backup ~/backups/cs-$(date +%F).db']))
    .action(lazy(async () => (await import('./commands/db.js')).backup));
  db.command('copy')
    .argument('<from>', t('help.db.copy.from'))
    .argument('<to>', t('help.db.copy.to'))
    .description(t('help.db.copy'))
    .option('--force', t('help.db.copy.force'))
    .addHelpText('after', examples(['cs db copy ~/.local/share/cs/cs.db postgres://lan@db.example.com/cs', 'cs db copy postgres://lan@db.example.com/cs ~/cs-copy.db']))
    .action(lazy(async () => (await import('./commands/db.js')).copy, false));

  return program;
}

/**
 * The one place an error becomes a message and an exit code. Messages echo input (an account's
 * name, a file's line), so every line is made visible before it is written.
 */
export function report(error: unknown, writeLine: (text: string) => void, env: NodeJS.ProcessEnv = process.env): number {
  // whatever names a database (a message, a hint, a cause) never prints its password
  const write = (text: string) => writeLine(visible(maskPasswords(text)));
  if (error instanceof CommanderError) {
    // commander has printed help, the version, or its own usage message already
    return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof CsError) {
    if (isStop(error)) {
      write(`${error.message}${error.hint ? ` ${error.hint}` : ''}`);
      return error.exitCode;
    }
    write(`${ERROR_PREFIX}${error.message}`);
    for (const line of error.details) write(`  ${line}`);
    if (error.hint) write(error.hint);
    if (env.CS_DEBUG && error.cause) write(String((error.cause as Error).stack ?? error.cause));
    return error.exitCode;
  }
  write(`${ERROR_PREFIX}${t('error.unexpected', { message: (error as Error)?.message ?? String(error) })}`);
  if (env.CS_DEBUG) write(String((error as Error)?.stack ?? ''));
  else write(t('error.bug'));
  return EXIT.failure;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await useLang(detectLang(process.env));
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = report(error, (text) => writeErr(`${text}\n`));
  }
}
