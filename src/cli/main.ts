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

/** `cs config --help`'s list of keys, from their one description in src/config/config.ts. */
function configKeysHelp(): string {
  const width = Math.max(...CONFIG_KEYS.map((each) => each.key.length));
  return CONFIG_KEYS.map((each) => `  ${each.key.padEnd(width)}  ${each.description} (env ${each.env})`).join('\n');
}

const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

/** Shown only where it means something: a churn run, when it finishes, schedules the win-back. */
function noWinbackOption(description = 'when the churn response finishes, do not schedule the win-back follow-up'): Option {
  return new Option('--no-winback', description);
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
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['cs team list', 'cs team list --json']))
    .action(lazy(async () => (await import('./commands/team.js')).list));
  memberOptions(team.command('set').argument('<person>', t('help.team.person')).description(t('help.team.set')), false)
    .addHelpText('after', examples(['cs team set lan --email lan@anhduong.vn', 'cs team set "Nguyễn Thị Lan" --role lead', "cs team set minh --role ''"]))
    .action(lazy(async () => (await import('./commands/team.js')).set));
}

/** cs report and cs status judge open runs alike. */
function stuckDaysOption(): Option {
  return new Option('--stuck-days <n>', 'days without a commit after which an overdue run is stuck (env CS_STUCK_DAYS; default 14)');
}

/** The options of every command that starts a run (`start` of a kind also takes --playbook). */
function walkOptions(command: Command, options: { playbook: boolean }): Command {
  command
    .option('--start <date>', `the run's day 0: ${DATE_FORMS} (default: today)`)
    .option('--owner <name>', 'who owns the run: a handle, a name or "Name <address>" (default: you, see cs config)');
  if (options.playbook) command.option('--playbook <id>', 'use this playbook instead of the default of its kind');
  return command
    .option('--answers <file>', 'answers given up front (YAML or JSON, keyed by step id then field id)')
    .option('--no-input', 'never prompt: fail on a missing required answer');
}

function startCommand(program: Command, verb: 'onboard' | 'churn' | 'winback', kind: 'onboarding' | 'churn' | 'winback', what: string): void {
  const group = program.command(verb).description(`${what} (see: cs ${verb} start --help)`);
  const start = walkOptions(
    group
      .command('start')
      .argument('<account>', 'the customer, e.g. "Công ty Ánh Dương" (created if new)')
      .description(`start the default ${kind} playbook for an account and walk through its steps`),
    { playbook: true },
  );
  if (kind === 'churn') start.addOption(noWinbackOption());
  start
    .addHelpText('after', examples([`cs ${verb} start "Công ty Ánh Dương" --owner lan`, `cs ${verb} start "Acme" --answers acme.yaml --no-input`]))
    .action(lazy(async () => (await import('./commands/start.js')).startOfKind(kind)));
}

export function buildProgram(): Command {
  const program = new Command('cs')
    .description('Customer-success playbooks in the terminal: onboarding, churn response, win-back.')
    .version(VERSION, '-v, --version', 'print the version')
    .option('--db <path>', 'the database: a file, or a postgres:// URL (env CS_DB; default ~/.local/share/cs/cs.db)')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .configureHelp({ showGlobalOptions: true })
    // commander's own usage errors say "error: …"; ours say "cs: …" (see report): one prefix for both.
    // It echoes what was typed (an unknown option): writeOut/writeErr make that visible.
    .configureOutput({ writeOut, writeErr, outputError: (text, write) => write(text.replace(/^error: /, ERROR_PREFIX)) })
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError()
    .exitOverride()
    .addHelpText('after', examples(['cs onboard start "Công ty Ánh Dương" --owner lan', 'cs resume "Công ty Ánh Dương"', 'cs status', 'cs playbooks list']));

  startCommand(program, 'onboard', 'onboarding', 'onboarding a new customer');
  startCommand(program, 'churn', 'churn', 'responding to a customer who churns');
  startCommand(program, 'winback', 'winback', 'following up to win a churned customer back');

  walkOptions(
    program
      .command('run')
      .argument('<playbook-id>', 'any playbook, see cs playbooks list')
      .argument('<account>', 'the customer (created if new)')
      .description('start any playbook by id for an account and walk through it'),
    { playbook: false },
  )
    // a churn playbook run by id schedules the win-back too; not listed, since for most ids it means nothing
    .addOption(noWinbackOption().hideHelp())
    .addHelpText('after', examples(['cs run proserv-onboarding "Acme"']))
    .action(lazy(async () => (await import('./commands/start.js')).runPlaybook));

  program
    .command('resume')
    .argument('<account>', 'the customer')
    .description("continue the account's open run where it stopped")
    .option('--run <id>', 'which run, when the account has several open')
    .option('--playbook <id>', 'the open run of this playbook')
    .option('--answers <file>', 'answers given up front (YAML or JSON)')
    .option('--no-input', 'never prompt: fail on a missing required answer')
    .addOption(noWinbackOption('for a churn run: when it finishes, do not schedule the win-back follow-up'))
    .option('--upgrade', 'first move the run to the current version of its playbook, keeping every answer that still fits')
    .addHelpText('after', examples(['cs resume "Công ty Ánh Dương"', 'cs resume Acme --run 12', 'cs resume Acme --upgrade']))
    .action(lazy(async () => (await import('./commands/start.js')).resume));

  program
    .command('status')
    .argument('[account]', 'one account (default: every account with a run)')
    .description('where each run stands: phase, steps done/skipped/open, what is due next, overdue')
    .option('--json', 'print the data, every answer included, as JSON')
    .addOption(stuckDaysOption())
    .addHelpText('after', examples(['cs status', 'cs status "Công ty Ánh Dương" --json']))
    .action(lazy(async () => (await import('./commands/status.js')).status));

  const playbooks = program.command('playbooks').description('the playbooks found: bundled and your own');
  playbooks
    .command('list')
    .description('list every playbook found')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['cs playbooks list', 'CS_PLAYBOOKS=./my-playbooks cs playbooks list --json']))
    .action(lazy(async () => (await import('./commands/playbooks.js')).list, false));
  playbooks
    .command('show')
    .argument('<id>', 'playbook id')
    .description('show one playbook in full')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['cs playbooks show onboarding-30d']))
    .action(lazy(async () => (await import('./commands/playbooks.js')).show, false));
  playbooks
    .command('validate')
    .argument('[files...]', 'playbook files (default: every playbook found)')
    .description('check playbook files and report every problem with file:line:col')
    .addHelpText('after', examples(['cs playbooks validate', 'cs playbooks validate ~/.config/cs/playbooks/my-onboarding.yaml']))
    .action(lazy(async () => (await import('./commands/playbooks.js')).validate, false));

  playbooks
    .command('preview')
    .argument('<id>', 'playbook id')
    .description('the whole timeline of a run (due dates, anchors, conditions) and, with --out, every document it produces, before any run exists')
    .option('--start <date>', "day 0, YYYY-MM-DD (default: today)")
    .option('--answers <file>', 'answers to play the run with (YAML or JSON, as for start)')
    .option('--out <dir>', 'render every document the run produces into this folder')
    .option('--json', 'print the timeline as JSON')
    .addHelpText('after', examples(['cs playbooks preview churn-response --start 2027-01-04', 'cs playbooks preview churn-response --answers examples/churn-response.yaml --out preview/']))
    .action(lazy(async () => (await import('./commands/preview.js')).preview, false));
  playbooks
    .command('upgrade')
    .argument('<id>', 'playbook id')
    .description('move every open run of an older version of the playbook to the current one (what resume --upgrade does)')
    .option('--dry-run', 'only say, per run, what would be kept and dropped')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['cs playbooks upgrade onboarding-30d --dry-run', 'cs playbooks upgrade onboarding-30d']))
    .action(lazy(async () => (await import('./commands/upgrade.js')).upgrade));

  program
    .command('agenda')
    .description('every open step that is overdue or due soon, across all accounts, soonest first')
    .option('--days <n>', 'how many days ahead to look (default: 7)')
    .option('--owner <name>', t('help.agenda.owner'))
    .option('--account <name>', 'only this account')
    .option('--team', t('help.agenda.team'))
    .option('--json', 'print the steps as JSON')
    .option('--all', 'list every step, even when the agenda is longer than the terminal (then it shows a line per account)')
    .option('--limit <n>', 'at most n lines: steps, or accounts when summed up (and n steps of --json)')
    .option('--ics <file>', 'write an iCalendar file of all-day events instead (- for stdout); every open step unless --days is given')
    .option('--force', 'overwrite the --ics file if it exists')
    .addHelpText('after', examples(['cs agenda', 'cs agenda --days 14 --owner lan', 'cs agenda --team', 'cs agenda --all --limit 50', 'cs agenda --account "Công ty Ánh Dương" --json', 'cs agenda --ics agenda.ics --force']))
    .action(lazy(async () => (await import('./commands/agenda.js')).agenda));

  const actions = program.command('actions').description('action items of the runs (type: actions): list them, mark them done');
  actions
    .command('list')
    .argument('[account]', 'one account (default: every account)')
    .description('open action items: what, who, by when, from which step (numbered per account)')
    .option('--owner <name>', "only this person's items (the item's who, else the run's owner)")
    .option('--all', 'done items too')
    .option('--json', 'print as JSON (done items included)')
    .addHelpText('after', examples(['cs actions list', 'cs actions list "Beta Telecom"', 'cs actions list --owner lan --json']))
    .action(lazy(async () => (await import('./commands/actions.js')).list));
  actions
    .command('done')
    .argument('<account>', 'the customer')
    .argument('<n>', 'the number cs actions list shows')
    .description('mark an action item done (it leaves the agenda)')
    .addHelpText('after', examples(['cs actions done "Beta Telecom" 2']))
    .action(lazy(async () => (await import('./commands/actions.js')).done));

  program
    .command('report')
    .description('the journey report: per playbook and step, how long steps take, how often on time, what is skipped and why, where open runs stall; each open run on track, behind or stuck')
    .option('--playbook <id>', 'only runs of this playbook')
    .option('--owner <name>', "only runs owned by this person (the run's owner, else the account's)")
    .option('--since <date>', 'only runs that started on or after this day, YYYY-MM-DD')
    .addOption(stuckDaysOption())
    .option('--json', 'print the figures as JSON')
    .option('--html <file>', 'write one self-contained HTML page with charts (works offline)')
    .option('--force', 'overwrite the --html file if it exists')
    .addHelpText('after', examples(['cs report', 'cs report --playbook onboarding-30d --since 2026-01-01', 'cs report --owner lan --json', 'cs report --html report.html']))
    .action(lazy(async () => (await import('./commands/report.js')).report));

  program
    .command('shift')
    .argument('<account>', 'the customer')
    .argument('[offset]', 'how far: +5d, -2d, +1w, or +5bd (business days: weekends and Vietnamese public holidays skipped)')
    .description("move the open due dates of an account's run, and say what moved; --undo puts the last shift back")
    .option('--run <id>', 'which run, when the account has several open')
    .option('--from <step-id>', 'move only this step and the open steps after it')
    .option('--undo', 'restore the due dates the last shift moved')
    .option('--dry-run', 'show what would move; change nothing')
    // "-2d" is an offset, not an option: commander hands unknown dash words to the command
    .allowUnknownOption()
    .addHelpText('after', examples(['cs shift "Công ty Ánh Dương" +5bd', 'cs shift Acme -2d --from kickoff-call', 'cs shift Acme +1w --dry-run', 'cs shift --undo Acme']))
    .action(lazy(async () => (await import('./commands/shift.js')).shift));

  const accounts = program.command('accounts').description('accounts: list, import a book of business, show, rename');
  accounts
    .command('list')
    .description('every account with its open runs, next due date and overdue steps')
    .option('--owner <name>', 'only the accounts this person owns')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['cs accounts list', 'cs accounts list --owner lan --json']))
    .action(lazy(async () => (await import('./commands/accounts.js')).list));
  accounts
    .command('import')
    .argument('<file.csv>', "a HubSpot, Salesforce, Pipedrive or Zoho export, or cs's own columns name,owner,playbook,start (other columns become account fields)")
    .description('create accounts and start their runs from a CSV file, all or nothing; re-importing the same export changes nothing')
    .option('--dry-run', 'show how the columns are read and what each row would do; write nothing')
    .option('--map <role=column,...>', 'which column is which: roles name, owner, playbook, start, id (an empty column: none)')
    .option('--date-format <format>', 'how the start column writes dates: dd/mm/yyyy, mm/dd/yyyy or yyyy-mm-dd (default: read from the column)')
    .option('--playbook <id>', 'the playbook of rows with no playbook (default: the default playbook of --kind)')
    .option('--kind <kind>', 'onboarding, churn, winback or other: whose default playbook rows with no playbook get (default: onboarding)')
    .option('--update-owners', "give accounts the file's owner where it differs from the stored one (default: keep it, and say so)")
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
    .argument('<name>', 'the account')
    .description('one account: owner, fields from imports, runs')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['cs accounts show "Công ty Ánh Dương"']))
    .action(lazy(async () => (await import('./commands/accounts.js')).show));
  accounts
    .command('rename')
    .argument('<old>', 'the account as it is named now')
    .argument('<new>', 'its new name')
    .description('rename an account (refused when another account has the new name)')
    .addHelpText('after', examples(['cs accounts rename "Cty Anh Duong" "Công ty Ánh Dương"']))
    .action(lazy(async () => (await import('./commands/accounts.js')).rename));

  const accountsSet = accounts
    .command('set')
    .argument('<name>', 'the account')
    .description(t('help.accounts.set'))
    .option('--lang <lang>', 'en or vi (also vi_VN, as a locale names it)');
  for (const role of ROLES) accountsSet.option(`--${role} <person>`, t('help.accounts.role', { role, name: roleName(role) }));
  accountsSet
    .addHelpText('after', examples(['cs accounts set "Công ty Ánh Dương" --lang vi', 'cs accounts set "Công ty Ánh Dương" --cos lan --csm minh']))
    .action(lazy(async () => (await import('./commands/accounts.js')).set));

  program
    .command('render')
    .argument('<template-id>', 'the document, see cs templates list')
    .argument('<account>', 'the customer whose answers fill it')
    .description("render a template with an account's answers: markdown, text, HTML or an email draft (.eml)")
    .option('--run <id>', 'which run (default: the latest whose playbook produces the template)')
    .option('--step <step-id>', 'whose answers are {{produced.*}} (default: the latest done step producing it)')
    .option('--format <format>', 'md, txt, html or eml (default: from --out, else md)')
    .option('--out <file>', 'write to this file instead of the screen')
    .option('--force', 'overwrite --out if it exists')
    .option('--strict', 'an empty value is an error (exit 2, nothing written), not a warning')
    .option('--lang <lang>', "the document's language, en or vi (default: the account's, else English)")
    .addHelpText('after', examples(['cs render kickoff-recap "Công ty Ánh Dương" --format eml --out recap.eml', 'cs render churn-postmortem "Beta Telecom" --out minutes.md', 'cs render onboarding-review Acme --step review-month-2 --strict']))
    .action(lazy(async () => (await import('./commands/render.js')).render));

  const templates = program.command('templates').description('the document templates found: bundled and your own');
  templates
    .command('list')
    .description('list every template found')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['cs templates list', 'CS_TEMPLATES=./my-templates cs templates list']))
    .action(lazy(async () => (await import('./commands/templates.js')).list, false));
  templates
    .command('show')
    .argument('<id>', 'template id')
    .description('show a template: its front matter, the playbook steps that produce it, every variable it uses')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['cs templates show kickoff-recap']))
    .action(lazy(async () => (await import('./commands/templates.js')).show, false));
  templates
    .command('validate')
    .argument('[files...]', 'template files (default: every template found)')
    .description('check templates against the playbooks that feed them: syntax, partials, no internal answers in an email; every problem at file:line:col')
    .addHelpText('after', examples(['cs templates validate', 'cs templates validate ~/.config/cs/templates/kickoff-recap.mustache']))
    .action(lazy(async () => (await import('./commands/templates.js')).validate, false));

  const config = program
    .command('config')
    .description('who you are (user.name, user.email), kept in ~/.config/cs/config.yaml, like git config')
    .addHelpText(
      'after',
      `\nKeys:\n${configKeysHelp()}\n${examples(['cs config set user.name "Nguyễn Thị Lan"', 'cs config set user.email lan@example.com', 'cs config get user.email', 'cs config list'])}`,
    );
  config
    .command('set')
    .argument('<key>', 'user.name, user.email or user')
    .argument('<value>', 'its value')
    .description('set a key (the file is created, readable by you only)')
    .addHelpText('after', examples(['cs config set user.name "Nguyễn Thị Lan"', 'cs config set user.email lan@example.com']))
    .action(lazy(async () => (await import('./commands/config.js')).set, false));
  config
    .command('get')
    .argument('<key>', 'user.name, user.email or user')
    .description('print a key\'s value (exit 1 when it is not set); CS_USER_NAME, CS_USER_EMAIL, CS_USER override the file')
    .action(lazy(async () => (await import('./commands/config.js')).get, false));
  config
    .command('unset')
    .argument('<key>', 'user.name, user.email or user')
    .description('remove a key')
    .action(lazy(async () => (await import('./commands/config.js')).unset, false));
  config
    .command('list')
    .description('every key that is set, and where an environment variable overrides it')
    .option('--json', 'print as JSON')
    .action(lazy(async () => (await import('./commands/config.js')).list, false));

  teamCommands(program);

  const db = program.command('db').description('the database: check it, back it up, copy it between SQLite and PostgreSQL');
  db.command('check')
    .description("the database's integrity check (SQLite's, or PostgreSQL's references), the schema version, and what it holds")
    .option('--json', 'print as JSON')
    .addHelpText('after', examples(['cs db check', 'cs --db ~/backup/cs.db db check']))
    .action(lazy(async () => (await import('./commands/db.js')).check));
  db.command('backup')
    .argument('<file>', 'where to write the copy')
    .description('a consistent copy of the database as an SQLite file, safe while cs runs elsewhere')
    .option('--force', 'overwrite the file if it exists')
    .addHelpText('after', examples(['cs db backup ~/backups/cs-$(date +%F).db']))
    .action(lazy(async () => (await import('./commands/db.js')).backup));
  db.command('copy')
    .argument('<from>', 'the database to copy: a file, or a postgres:// URL')
    .argument('<to>', 'where to copy it: a file, or a postgres:// URL')
    .description('copy a whole database between SQLite and PostgreSQL (either way), then verify counts and a checksum per table')
    .option('--force', 'replace what the target holds')
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
