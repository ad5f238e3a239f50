/**
 * The English catalogue: every sentence cs says, whole, with named placeholders ({name}). It is
 * the base: its keys are the type every other language must fill (test/unit/i18n.test.ts fails on a
 * key missing or unused anywhere). A message that counts is { one, other } (CLDR plural forms).
 */
export const en = {
  // the walk
  'walk.runInfo': '({id} v{version}, run #{run}, day 0 {start})',
  'walk.progress': '{done} done, {skipped} skipped, {open} to go.',
  'walk.finished': '✓ {playbook} finished for {account}: {done} done, {skipped} skipped.',
  'walk.stepOf': 'step {n} of {total}',
  'walk.skippedBecause': 'skipped: {reason}',
  'walk.status.done': 'done',
  'walk.savedSoFar': 'Saved so far:',
  'walk.note': 'Note:',
  'walk.action.work': 'Work on this step',
  'walk.action.continueStep': 'Continue this step',
  'walk.action.change': 'Change the answers',
  'walk.action.keep': 'Keep it as it is and go on',
  'walk.action.skip': 'Skip it (give a reason)',
  'walk.action.addNote': 'Add a note',
  'walk.action.editNote': 'Edit the note',
  'walk.action.back': 'Go back to an earlier step',
  'walk.action.stop': 'Stop here (everything is saved)',
  'walk.whatNow': 'What now?',
  'walk.whySkip': 'Why skip this step?',
  'walk.skipped': '↷ Skipped: {title}',
  'walk.noteFor': 'Note for this step',
  'walk.noteSaved': 'Note saved.',
  'walk.backWhich': 'Go back to which step?',
  'walk.cancel': 'Cancel',
  'walk.checklist': { one: 'Checklist ({count} item):', other: 'Checklist ({count} items):' },
  'walk.checkDone': 'Done: {item}?',
  'walk.saved': 'Saved. Continue with: {command}',
  'walk.stopped': 'Stopped.',
  'walk.continueWith': 'Continue with: {command}',
  'walk.missing': 'step {step} ({title}), field {field}: a required answer is missing',
  'walk.missingHint': 'Add it to the --answers file under {step}: {field}: …, or run without --no-input in a terminal. Everything before it is saved: {command}',
  'walk.scriptMissing': { one: 'step {step}, field {field}: a required answer is missing; nothing was written', other: 'step {step}, field {field}: a required answer is missing ({count} in all); nothing was written' },
  'walk.scriptMissingHint': { one: 'Add it to the --answers file ({step}: {{field}: …}), skip a step with _skip: "reason", or answer in a terminal without --no-input.', other: 'Add them to the --answers file ({step}: {{field}: …}), skip a step with _skip: "reason", or answer in a terminal without --no-input.' },
  'walk.yes': 'Yes',
  'walk.no': 'No',
  'walk.conflictNotSaved': 'Not saved: {what}: another walk of this run changed it since this one read it',
  'walk.conflictHint': 'Nothing else was lost. Look at it with: {command}',
  'walk.changedMeanwhile': '⚠ Changed meanwhile by another walk of this run: {what}',
  'walk.storedNow': 'stored now:',
  'walk.yours': 'yours:     ',
  'walk.whichKept': 'Which one should be kept?',
  'walk.keepMine': 'Keep mine (replaces the stored one)',
  'walk.takeStored': 'Take the stored one (drops mine)',
  'walk.notSavedHint': 'Everything before it is saved; continue with: {command}',
  'walk.draftStarted': 'You had started this answer ({time} UTC):',
  'walk.draftUse': '{prompt}: use what you had started?',
  'walk.draft.use': 'Use it as the answer',
  'walk.draft.edit': 'Use it and go on typing',
  'walk.draft.discard': 'Discard it',

  // prompts
  'prompt.required': 'An answer is required.',
  'prompt.dateHint': '{forms}',
  'prompt.dateRequired': 'A date is required.',
  'prompt.longtextKeep': 'an empty line keeps the text above',
  'prompt.longtextHint': 'several lines; an empty line ends',
  'prompt.numberHint': 'e.g. 1,000 or 2.5',
  'prompt.longtextClear': '"-" alone clears it',
  'prompt.longtextEditor': '":e" or Ctrl-E opens {editor}',
  'prompt.fromEditor': '(from {editor})',
  'prompt.editorProblem': '{problem}; go on typing here.',
  'prompt.requiredGoOn': 'An answer is required; go on typing here.',
  'prompt.yesNo': 'Answer yes or no.',

  // input rules
  'input.number': 'expected a number such as 1,000 or 2.5; got "{text}"',
  'input.numberCommaDecimal': '"{text}": a comma groups thousands in English (1,000); for a decimal write {example}',
  'input.numberAmbiguous': '"{text}" is ambiguous: write {decimal} for the decimal or {whole} for the whole number',
  'input.date': 'expected a date (YYYY-MM-DD, today, tomorrow, yesterday, +3d, -3d, +2w, +1m); got "{text}"',
  'input.dateAmbiguous': '"{text}" is ambiguous in English: write {first} or {second} (YYYY-MM-DD)',
  'input.dateIso': '"{text}": write dates as YYYY-MM-DD, here {example}',
  'input.whole': 'expected a whole number; got {value}',
  'input.atLeast': 'must be at least {min}; got {value}',
  'input.atMost': 'must be at most {max}; got {value}',

  // dates and due dates
  'due.notADate': 'due {date} (not a date: written by an older cs)',
  'due.today': 'due {date} (today)',
  'due.in': { one: 'due {date} (in {count} day)', other: 'due {date} (in {count} days)' },
  'due.overdue': { one: 'due {date} ({count} day overdue)', other: 'due {date} ({count} days overdue)' },

  // status
  'status.noRunsFor': '{account} has no runs yet. Start one with: {command}',
  'status.noRuns': 'No runs yet. Start one with: {command}',
  'status.owner': ' · owner {owner}',
  'status.finished': 'finished {date}',
  'status.run': '#{run} {playbook} {identity} · started {start} · {state}',
  'status.counts': '{done} done · {skipped} skipped · {open} open · {overdue}',
  'status.overdue': '{count} overdue',
  'status.stuck': { one: 'stuck (no commit for {count} day)', other: 'stuck (no commit for {count} days)' },
  'status.behind': 'behind',
  'status.onTrack': 'on track',
  'status.next': 'next: {title} — {due}',
  'status.stepDone': 'done',
  'status.stepSkipped': 'skipped: {reason}',
  'status.noteLabel': 'note:',

  // agenda
  'agenda.today': 'today',
  'agenda.window': { one: 'in the next {count} day', other: 'in the next {count} days' },
  'agenda.daysOverdue': { one: '{date} · {count} day overdue', other: '{date} · {count} days overdue' },
  'agenda.dueToday': '{date} · today',
  'agenda.dueIn': { one: '· in {count} day', other: '· in {count} days' },
  'agenda.forOwner': ' for {owner}',
  'agenda.forAccount': ' for {account}',
  'agenda.nothing': 'Nothing is overdue or due {window}{scope}.',
  'agenda.steps': { one: '{count} step{scope}: ', other: '{count} steps{scope}: ' },
  'agenda.overdueCount': '{count} overdue',
  'agenda.dueCount': '{count} due {window}',
  'agenda.unreadable': { one: 'warning: left out {count} step whose due date is not a date, written by an older cs from a start date outside 1900–2999: {runs}', other: 'warning: left out {count} steps whose due date is not a date, written by an older cs from a start date outside 1900–2999: {runs}' },
  'agenda.daysInvalid': '--days must be a whole number of days from 0 to 9999; got {value}',

  // render and accounts
  'render.fallback': 'warning: {template} has no {lang} translation; rendered in English',
  'render.playbookFallback': 'warning: {playbook} has no {lang} translation; its titles and prompts are in English',
  'lang.unknown': '{what} must be one of {langs}; got "{value}"',
  'accounts.setNothing': 'nothing to set: give --lang (en or vi)',
  'accounts.langSet': '{account}: documents in {lang} from now on.',

  // errors
  'error.unexpected': 'unexpected error: {message}',
  'error.bug': 'This is a bug in cs. Run again with CS_DEBUG=1 to see where it happened, and report it.',
} as const;

export type MessageKey = keyof typeof en;
/** A message in any language: one sentence, or CLDR plural forms of it ('other' always). */
export type Message = string | { readonly one?: string; readonly other: string };
export type Catalogue = { readonly [K in MessageKey]: Message };
