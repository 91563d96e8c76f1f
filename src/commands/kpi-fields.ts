import { SHARED, type KpiDefinition, type KpiOwner } from '../domain/kpi-assessment.js';
import {
  DEFAULT_TOLERANCE,
  deriveKpiCode,
  isValidKpiCode,
  parseKpiValue,
  parseTolerance,
  RESERVED_KPI_CODES,
  type KpiUnit,
  type Polarity,
  type Tolerance,
} from '../domain/kpi.js';
import { findCouncil, type Partnership } from '../domain/partnership.js';
import type { Frequency } from '../domain/periods.js';
import type { UserRef } from './types.js';

/** The fields of a KPI as typed (command options or form inputs): both are checked by the same rules. */
export interface KpiFields {
  name?: string;
  description?: string;
  target?: string;
  unit?: string;
  polarity?: string;
  code?: string;
  tolerance?: string;
  frequency?: string;
  owner?: UserRef;
  council?: string;
}

export const UNITS: readonly KpiUnit[] = ['%', 'count', '£', 'days', 'hours', 'score'];
export const FREQUENCIES: readonly Frequency[] = ['monthly', 'quarterly', 'annual'];
const UNIT_WORDS: Record<string, KpiUnit> = {
  '%': '%',
  percent: '%',
  percentage: '%',
  count: 'count',
  number: 'count',
  '£': '£',
  gbp: '£',
  pounds: '£',
  money: '£',
  days: 'days',
  day: 'days',
  hours: 'hours',
  hour: 'hours',
  score: 'score',
};
const POLARITY_WORDS: Record<string, Polarity> = {
  higher: 'higher',
  high: 'higher',
  up: 'higher',
  lower: 'lower',
  low: 'lower',
  down: 'lower',
};

export type FieldResult<T> = { ok: true; value: T } | { ok: false; problem: string };
const ok = <T>(value: T): FieldResult<T> => ({ ok: true, value });
const problem = <T>(text: string): FieldResult<T> => ({ ok: false, problem: text });

export function readName(raw: string): FieldResult<string> {
  const name = raw.trim();
  if (name.length < 2 || name.length > 80)
    return problem(`the KPI name needs 2 to 80 characters: e.g. "First time fix"`);
  return ok(name);
}

export function readUnit(raw: string): FieldResult<KpiUnit> {
  const unit = UNIT_WORDS[raw.trim().toLowerCase()];
  return unit ? ok(unit) : problem(`unit=${raw} is not a unit: use one of ${UNITS.join(', ')}`);
}

export function readPolarity(raw: string): FieldResult<Polarity> {
  const polarity = POLARITY_WORDS[raw.trim().toLowerCase()];
  return polarity
    ? ok(polarity)
    : problem(
        `polarity=${raw} is not a polarity: use higher (more is better, e.g. first time fix) or lower (less is better, e.g. major incidents)`,
      );
}

export function readFrequency(raw: string): FieldResult<Frequency> {
  const frequency = FREQUENCIES.find((f) => f === raw.trim().toLowerCase());
  return frequency ? ok(frequency) : problem(`frequency=${raw} is not a frequency: use monthly, quarterly or annual`);
}

export function readTolerance(raw: string, unit: KpiUnit): FieldResult<Tolerance> {
  const tolerance = parseTolerance(raw, unit);
  const amount = unit === '£' ? 'tolerance=£5,000' : 'tolerance=2';
  return tolerance
    ? ok(tolerance)
    : problem(
        `tolerance=${raw} is not a tolerance: give a percentage of the target (tolerance=5%) or an amount in the KPI's unit (${amount})`,
      );
}

export function readTarget(unit: KpiUnit, raw: string): FieldResult<number> {
  const value = parseKpiValue(unit, raw);
  return value.ok ? ok(value.value) : problem(`target=${raw}: ${value.problem.replace('the value', 'the target')}`);
}

export function readCouncil(partnership: Partnership, raw: string): FieldResult<string> {
  if (raw.trim().toLowerCase() === 'shared') return ok(SHARED);
  const council = findCouncil(partnership, raw.trim());
  return council
    ? ok(council.code)
    : problem(
        `council=${raw} is not a council of ${partnership.name}: use ${partnership.councils.map((c) => c.code).join(', ')} or shared`,
      );
}

export function readCode(raw: string, taken: ReadonlySet<string>): FieldResult<string> {
  const code = raw.trim().toUpperCase();
  if (!isValidKpiCode(code))
    return problem(`code=${raw} is not a KPI code: 1 to 10 letters or digits starting with a letter, e.g. code=FTF`);
  if (RESERVED_KPI_CODES.has(code))
    return problem(`code=${raw} is a word the kpi command uses itself: choose another code`);
  if (taken.has(code))
    return problem(`code ${code} is taken by another KPI (or was used by a removed one): choose another code`);
  return ok(code);
}

export function ownerOf(user: UserRef): KpiOwner {
  return { id: user.id, name: user.name, aadObjectId: user.aadObjectId };
}

/** Checks every field of a new KPI and returns all the problems at once (the form shows them together). */
export function newDefinition(
  fields: KpiFields,
  partnership: Partnership,
  taken: ReadonlySet<string>,
  meta: { createdAt: string; createdBy: string },
): FieldResult<KpiDefinition> & { problems?: string[] } {
  const problems: string[] = [];
  const take = <T>(result: FieldResult<T> | undefined): T | undefined => {
    if (!result) return undefined;
    if (result.ok) return result.value;
    problems.push(result.problem);
    return undefined;
  };
  const missing = (field: string, example: string) => problems.push(`${field} is missing: e.g. ${example}`);
  const name = fields.name?.trim()
    ? take(readName(fields.name))
    : (missing('the KPI name', '"First time fix"'), undefined);
  const unit = fields.unit?.trim()
    ? take(readUnit(fields.unit))
    : (missing('unit=', `unit=% (one of ${UNITS.join(', ')})`), undefined);
  const polarity = fields.polarity?.trim()
    ? take(readPolarity(fields.polarity))
    : (missing('polarity=', 'polarity=higher or polarity=lower'), undefined);
  const target = !fields.target?.trim()
    ? (missing('target=', 'target=80'), undefined)
    : unit
      ? take(readTarget(unit, fields.target))
      : undefined;
  const tolerance = !fields.tolerance?.trim()
    ? DEFAULT_TOLERANCE
    : unit
      ? take(readTolerance(fields.tolerance, unit))
      : undefined;
  const frequency = fields.frequency?.trim() ? take(readFrequency(fields.frequency)) : 'monthly';
  const council = fields.council?.trim() ? take(readCouncil(partnership, fields.council)) : SHARED;
  const code = fields.code?.trim() ? take(readCode(fields.code, taken)) : name ? deriveKpiCode(name, taken) : undefined;
  if (
    problems.length > 0 ||
    !name ||
    !unit ||
    !polarity ||
    target === undefined ||
    !tolerance ||
    !frequency ||
    !council ||
    !code
  ) {
    return { ok: false, problem: problems[0] ?? 'the KPI is not complete', problems };
  }
  return ok({
    code,
    name,
    description: fields.description?.trim() ?? '',
    unit,
    polarity,
    target,
    tolerance,
    frequency,
    owner: fields.owner ? ownerOf(fields.owner) : undefined,
    council,
    createdAt: meta.createdAt,
    createdBy: meta.createdBy,
  });
}
