#!/usr/bin/env node
// Prints the text of a playbook as a translation skeleton (translates:, ids, text keys only), for a
// translator to replace the English: node scripts/translation-skeleton.mjs playbooks/churn-response.yaml
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

const playbook = parse(readFileSync(process.argv[2], 'utf8'));
const pick = (object, keys) => Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]));
const skeleton = {
  translates: playbook.id,
  ...pick(playbook, ['title', 'description']),
  phases: playbook.phases.map((phase) => ({
    id: phase.id,
    ...pick(phase, ['title', 'description']),
    steps: phase.steps.map((step) => ({
      id: step.id,
      ...pick(step, ['title', 'guide', 'checklist']),
      ...(step.fields
        ? {
            fields: step.fields.map((field) => ({
              id: field.id,
              ...pick(field, ['prompt', 'help']),
              ...(field.choices ? { choices: Object.fromEntries(field.choices.map((choice) => [choice, choice])) } : {}),
            })),
          }
        : {}),
    })),
  })),
};
process.stdout.write(stringify(skeleton, { lineWidth: 0 }));
