// The playbook schema (schema.json) compiled to a standalone validator by scripts/build.mjs, so no
// command pays for compiling it at start-up. The .cjs beside this file is generated, not committed.
import type { ErrorObject } from 'ajv';

declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export default validate;
