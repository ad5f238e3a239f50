/**
 * The figures a reliability test measured (kills survived, writers × operations, the mechanism that
 * made a disk full…): printed, and appended as one JSON line to $CS_STRESS_REPORT when set, which is
 * how scripts/stress.mjs collects them.
 */
import { appendFileSync } from 'node:fs';

export function reportFigures(name: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ name, ...figures });
  console.log(`[figures] ${line}`);
  if (process.env.CS_STRESS_REPORT) appendFileSync(process.env.CS_STRESS_REPORT, `${line}\n`);
}

/** A whole number from the environment (CS_STRESS_KILLS…), else `fallback`. */
export function envCount(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a whole number; got ${JSON.stringify(value)}`);
  return parsed;
}
