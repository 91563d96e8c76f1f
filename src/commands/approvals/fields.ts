import { z } from 'zod';
import {
  parseApprovalId,
  parseItemRef,
  type ApprovalPolicy,
  type ApprovalType,
  type ItemRef,
} from '../../domain/approvals.js';
import { vocabulary } from '../../domain/vocabulary.js';
import * as field from '../kit/fields.js';
import type { UserRef } from '../types.js';

/** The words of the approval commands, as typed: ids, types, policies, approvers and what an approval is about. */

export const APPROVAL_TYPE_WORDS = vocabulary<ApprovalType>(
  {
    gateway: ['gateway-review'],
    'business-case': ['business case', 'businesscase', 'case'],
    'risk-acceptance': ['risk acceptance', 'riskacceptance', 'risk'],
    'budget-change': ['budget change', 'budgetchange', 'budget'],
    'stop-go': ['stop/go', 'stopgo', 'stop go', 'go/no-go'],
    other: [],
  },
  {
    gateway: 'Gateway',
    'business-case': 'Business case',
    'risk-acceptance': 'Risk acceptance',
    'budget-change': 'Budget change',
    'stop-go': 'Stop/go decision',
    other: 'Other decision',
  },
);

const POLICY_WORDS = vocabulary<ApprovalPolicy>({
  any: ['any-one', 'first'],
  all: ['every', 'unanimous', 'everyone'],
  majority: ['most', 'more-than-half'],
  'per-council': ['per council', 'percouncil', 'joint', 'each-council'],
});

/** How a type reads on a card: `Business case`. */
export function typeLabel(type: ApprovalType): string {
  return APPROVAL_TYPE_WORDS.choices.find((c) => c.value === type)?.title ?? type;
}

/** An approval id as typed: `A-4`, `a4`. */
export function approvalIdField(example: string) {
  return field.itemId('approval', 'A-4', parseApprovalId, example);
}

/** `approvers=board` (everyone with the approver role) or the people mentioned, `approvers=@Priya,@Jo`. */
const approversField = z
  .custom<string | UserRef | readonly UserRef[]>((v) => v !== undefined, {
    error: 'approvers= is missing: @mention each approver (approvers=@Priya,@Jo) or write approvers=board',
  })
  .transform((value, ctx): 'board' | readonly UserRef[] => {
    if (typeof value !== 'string') return field.isUserRef(value) ? [value] : value;
    if (value.trim().toLowerCase() === 'board') return 'board';
    ctx.addIssue({
      code: 'custom',
      message: `approvers=${value} is not a person: @mention each approver (approvers=@Priya,@Jo) or write approvers=board for everyone with the approver role`,
    });
    return z.NEVER;
  });

/** What an approval is about: `item=P-2` (a project), `item=R-3` (a risk), `item=ICT-STAFF` (a budget line). */
const itemField = field
  .option('item', 30)
  .trim()
  .transform((s, ctx): ItemRef => {
    const ref = parseItemRef(s);
    if (ref) return ref;
    ctx.addIssue({
      code: 'custom',
      message: `item=${s} is not a project, risk or budget line: e.g. item=P-2, item=R-3 or item=ICT-STAFF`,
    });
    return z.NEVER;
  });

const EXAMPLE = 'approval request "Adopt the shared tenancy" type=gateway approvers=board policy=per-council';

export const requestArgs = z.strictObject({
  title: field.text('the title', EXAMPLE, 120),
  details: z.string().trim().max(2000, 'the details are too long: keep them under 2,000 characters').optional(),
  type: field
    .option('type', 30, `type= is missing: one of ${APPROVAL_TYPE_WORDS.listed}`)
    .pipe(field.choice('type', APPROVAL_TYPE_WORDS, { option: true })),
  approvers: approversField,
  policy: field
    .option('policy', 30, `policy= is missing: one of ${POLICY_WORDS.listed}`)
    .pipe(field.choice('policy', POLICY_WORDS, { option: true })),
  due: field.option('due').pipe(field.date('due=', '2026-12-31')).optional(),
  item: itemField.optional(),
});
export type RequestArgs = z.infer<typeof requestArgs>;

/** A comment with a vote, a reason for a rejection, or an interest declared: kept short enough for the card. */
export const COMMENT_MAX = 500;

export function remark(what: string, example: string) {
  return field.text(what, example, COMMENT_MAX);
}

export const optionalRemark = z
  .string()
  .trim()
  .max(COMMENT_MAX, `the comment is too long: keep it under ${COMMENT_MAX} characters`)
  .optional();

/** The buttons of the approval card: which approval, the decision, and the comment box. */
export const voteData = z.object({
  approvalId: z.string().max(20),
  decision: z.enum(['approve', 'reject', 'changes']),
  comment: z.string().max(COMMENT_MAX, `the comment is too long: keep it under ${COMMENT_MAX} characters`).optional(),
});

/** The card's refresh: which approval, and whether the copy is the full record with its vote trail. */
export const viewData = z.object({
  approvalId: z.string().max(20),
  record: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .optional()
    .transform((r) => r === true || r === 'true'),
});
