import { z } from 'zod';
import type { PartnershipId } from '../domain/partnership.js';
import type { ProjectId } from '../domain/portfolio.js';
import {
  CONTROL_EFFECTIVENESS,
  lastScoreChangeOf,
  reviewDue,
  RISK_CATEGORIES,
  type ActionId,
  type PlannedAction,
  type Risk,
  type RiskId,
  type RiskLevel,
  type RiskScore,
  type RiskSettings,
  type RiskSummaryEntry,
  type ScorePoint,
} from '../domain/risk.js';
import { readJson } from './rows.js';

/** Row shapes of the risk register and the issue log (risks.ts, issues.ts): JSON columns read with their schemas. */

/** Settings of the current score kept in a risk's summary entry: enough for its trend and its spell in Red. */
export const RECENT_POINTS = 6;

const level = z
  .number()
  .int()
  .min(1)
  .max(5)
  .transform((n) => n as RiskLevel);
export const scoreSchema = z.object({ likelihood: level, impact: level });
export const ownerSchema = z
  .object({ id: z.string(), name: z.string(), aadObjectId: z.string().optional() })
  .transform((o) => ({ id: o.id, name: o.name, aadObjectId: o.aadObjectId }));

const projectId = z.string().transform((id) => id as ProjectId);

export const riskSchema = z
  .object({
    id: z.string().transform((id) => id as RiskId),
    title: z.string(),
    description: z.string(),
    category: z.enum(RISK_CATEGORIES),
    owner: ownerSchema,
    council: z.string(),
    // Risks stored before a risk could name its project have none.
    project: projectId.optional(),
    status: z.enum(['open', 'closed']),
    inherent: scoreSchema,
    current: scoreSchema,
    target: scoreSchema,
    lastReview: z.string(),
    nextReview: z.string(),
    createdAt: z.string(),
    createdBy: z.string(),
  })
  .transform((risk): Risk => ({ ...risk, project: risk.project }));

export const closureSchema = z.object({ on: z.string(), by: z.string(), reason: z.string() });
export type Closure = z.infer<typeof closureSchema>;

export const recordSchema = z.object({
  at: z.string(),
  by: z.string(),
  why: z.string(),
  changes: z.array(
    z.object({ which: z.enum(['inherent', 'current', 'target']), from: scoreSchema.optional(), to: scoreSchema }),
  ),
});

export const controlSchema = z.object({
  id: z.string(),
  text: z.string(),
  owner: ownerSchema,
  effectiveness: z.enum(CONTROL_EFFECTIVENESS),
  addedOn: z.string(),
  addedBy: z.string(),
});

export const actionSchema = z
  .object({
    id: z.string().transform((id) => id as ActionId),
    text: z.string(),
    owner: ownerSchema,
    due: z.string(),
    done: z.object({ on: z.string(), by: z.string() }).optional(),
    addedOn: z.string(),
    addedBy: z.string(),
  })
  .transform((a): PlannedAction => ({ ...a, done: a.done }));

/** One risk in the register list: what the list card, its filters, the digest and the reminders need. */
export const entrySchema = z.object({
  id: z.string().transform((id) => id as RiskId),
  title: z.string(),
  category: z.enum(RISK_CATEGORIES),
  ownerId: z.string(),
  ownerName: z.string(),
  ownerAadObjectId: z.string().optional(),
  council: z.string(),
  /** The project the risk threatens: `project show` finds its risks here. */
  project: projectId.optional(),
  status: z.enum(['open', 'closed']),
  current: scoreSchema,
  inherent: scoreSchema,
  target: scoreSchema,
  lastReview: z.string(),
  /** Recent settings of the current score, oldest first: [ISO instant, likelihood, impact]. */
  points: z.array(z.tuple([z.string(), level, level])),
});
export type RiskEntry = z.infer<typeof entrySchema>;

export const settingsSchema = z.object({
  bands: z.object({ amber: z.number().int(), red: z.number().int() }),
  appetite: z.partialRecord(z.enum(RISK_CATEGORIES), z.number().int()),
  reviewMonths: z.object({ Red: z.number().int(), Amber: z.number().int(), Green: z.number().int() }),
});

export type DetailEntity = { partitionKey: string; rowKey: string; kind: 'score' | 'control' | 'action'; data: string };
export type SettingsEntity = { partitionKey: string; rowKey: string; settings: string };

export const pointsOf = (entry: Pick<RiskEntry, 'points'>): ScorePoint[] =>
  entry.points.map(([on, likelihood, impact]) => ({ on, score: { likelihood, impact } }));

export const sameScore = (a: RiskScore, b: RiskScore) => a.likelihood === b.likelihood && a.impact === b.impact;

export function entryOf(risk: Risk, points: readonly ScorePoint[]): RiskEntry {
  return {
    id: risk.id,
    title: risk.title,
    category: risk.category,
    ownerId: risk.owner.id,
    ownerName: risk.owner.name,
    ...(risk.owner.aadObjectId ? { ownerAadObjectId: risk.owner.aadObjectId } : {}),
    council: risk.council,
    ...(risk.project ? { project: risk.project } : {}),
    status: risk.status,
    current: risk.current,
    inherent: risk.inherent,
    target: risk.target,
    lastReview: risk.lastReview,
    points: points.slice(-RECENT_POINTS).map((p) => [p.on, p.score.likelihood, p.score.impact]),
  };
}

/** The list entry as the register rules read it: the review date and trend under the settings in force now. */
export function registerEntry(entry: RiskEntry, settings: RiskSettings): RiskSummaryEntry {
  return { ...entry, nextReview: reviewDue(entry, settings), lastScoreChange: lastScoreChangeOf(pointsOf(entry)) };
}

export interface StoredAction {
  readonly action: PlannedAction;
  readonly etag: string;
}

/** A planned action's row, under `<family>-detail|<item id>|action|<A-n>`, for risks and issues alike. */
export function actionEntity(partnershipId: PartnershipId, rowKey: string, action: PlannedAction): DetailEntity {
  return { partitionKey: partnershipId, rowKey, kind: 'action', data: JSON.stringify(action) };
}

export function readAction(row: DetailEntity & { etag: string }): StoredAction {
  return { action: readJson(actionSchema, row, 'data', row.data), etag: row.etag };
}
