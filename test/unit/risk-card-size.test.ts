/**
 * Teams refuses an Adaptive Card well before the 100 KB message limit; the bot keeps each card under
 * 28 KB (CARD_BYTE_LIMIT). These build the register, risk detail and issue cards exactly as the
 * bot sends them (the views, then renderCard with the plain-text fallback) for registers far bigger
 * than any real one, every text as long as the commands let it be, in characters of two bytes each.
 */
import { describe, expect, it } from 'vitest';
import { cardBytes, CARD_BYTE_LIMIT, renderCard } from '../../src/cards/render.js';
import { issueDetailReply, issueListReply } from '../../src/commands/risk/issue-views.js';
import { detailReply, PAGE_SIZE, registerReply } from '../../src/commands/risk/views.js';
import type { Reply } from '../../src/commands/types.js';
import type { Partnership, PartnershipId } from '../../src/domain/partnership.js';
import { SHARED } from '../../src/domain/partnership.js';
import { projectIdOf } from '../../src/domain/portfolio.js';
import type { Issue, IssueId } from '../../src/domain/risk-issue.js';
import {
  DEFAULT_RISK_SETTINGS,
  formatActionId,
  formatRiskId,
  listRisks,
  RISK_CATEGORIES,
  type PlannedAction,
  type Risk,
  type RiskControl,
  type RiskLevel,
  type ScoreRecord,
} from '../../src/domain/risk.js';
import type { IssueEntry } from '../../src/storage/issues.js';
import { registerEntry, type RiskEntry } from '../../src/storage/risk-rows.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const TODAY = '2026-11-25';
/** Two bytes each in UTF-8 (Welsh names are long), so each text weighs twice its length. */
const long = (n: number) => 'Ŵ'.repeat(n);
const partnership: Partnership = {
  id: 'p' as PartnershipId,
  name: long(80),
  tenantId: 't',
  councils: [
    { code: 'CEC', shareBasisPoints: 5000 },
    { code: 'CWAC', shareBasisPoints: 5000 },
  ],
  createdAt: NOW.toISOString(),
  createdBy: 'Alex',
};
const owner = { id: '29:owner', name: long(60), aadObjectId: undefined };
const level = (n: number) => (1 + (n % 5)) as RiskLevel;

function entry(n: number): RiskEntry {
  const current = { likelihood: level(n), impact: level(n * 3) };
  return {
    id: formatRiskId(n),
    title: long(150),
    category: RISK_CATEGORIES[n % RISK_CATEGORIES.length]!,
    ownerId: owner.id,
    ownerName: owner.name,
    council: SHARED,
    project: projectIdOf(12),
    status: 'open',
    current,
    inherent: { likelihood: 5, impact: 5 },
    target: { likelihood: 1, impact: 1 },
    lastReview: '2026-01-01',
    points: [
      ['2026-01-01T09:00:00Z', 5, 5],
      ['2026-06-01T09:00:00Z', current.likelihood, current.impact],
    ],
  };
}

function rendered(reply: Reply): number {
  return cardBytes(renderCard(reply.card!.template, reply.card!.data, reply.text));
}

describe('the register card', () => {
  const all = Array.from({ length: 2_000 }, (_, i) => registerEntry(entry(i + 1), DEFAULT_RISK_SETTINGS));
  const assessed = listRisks(all, {}, DEFAULT_RISK_SETTINGS, TODAY);
  const page = { filters: '', council: '', ownerId: '', ownerName: '', category: '' };

  it('stays under the limit with 2,000 risks of the longest titles, owners and a long partnership name', () => {
    const reply = registerReply(partnership, assessed, assessed, DEFAULT_RISK_SETTINGS, {
      offset: 0,
      now: NOW,
      scope: '',
      showHeatMap: true,
      page,
    });
    expect((reply.card!.data as { rows: unknown[] }).rows).toHaveLength(PAGE_SIZE);
    expect(rendered(reply)).toBeLessThan(CARD_BYTE_LIMIT);
  });

  it('stays under the limit on the last page and with every filter named', () => {
    const reply = registerReply(partnership, assessed, assessed, DEFAULT_RISK_SETTINGS, {
      offset: 1_995,
      now: NOW,
      scope: `Red or Amber or Green, review overdue, above appetite, council ${long(10)}, owner ${long(60)}, category reputational`,
      showHeatMap: true,
      page: { ...page, ownerName: long(60) },
    });
    expect(rendered(reply)).toBeLessThan(CARD_BYTE_LIMIT);
  });
});

describe('the detail card', () => {
  const risk: Risk = {
    id: formatRiskId(1),
    title: long(150),
    description: long(1_000),
    category: 'cyber',
    owner,
    council: SHARED,
    project: undefined,
    status: 'open',
    inherent: { likelihood: 5, impact: 5 },
    current: { likelihood: 4, impact: 5 },
    target: { likelihood: 2, impact: 4 },
    lastReview: '2026-10-01',
    nextReview: '2026-11-01',
    createdAt: NOW.toISOString(),
    createdBy: long(60),
  };
  const controls: RiskControl[] = Array.from({ length: 60 }, (_, i) => ({
    id: `C-${i + 1}`,
    text: long(300),
    owner,
    effectiveness: 'partial',
    addedOn: TODAY,
    addedBy: long(60),
  }));
  const actions: PlannedAction[] = Array.from({ length: 80 }, (_, i) => ({
    id: formatActionId(i + 1),
    text: long(300),
    owner,
    due: '2027-01-31',
    done: i % 2 === 0 ? { on: TODAY, by: long(60) } : undefined,
    addedOn: TODAY,
    addedBy: long(60),
  }));
  const history: ScoreRecord[] = Array.from({ length: 200 }, () => ({
    at: NOW.toISOString(),
    by: long(60),
    why: long(1_000),
    changes: [
      { which: 'inherent', from: { likelihood: 5, impact: 5 }, to: { likelihood: 5, impact: 4 } },
      { which: 'current', from: { likelihood: 5, impact: 5 }, to: { likelihood: 4, impact: 5 } },
      { which: 'target', from: { likelihood: 1, impact: 1 }, to: { likelihood: 2, impact: 4 } },
    ],
  }));
  const issues: IssueEntry[] = Array.from({ length: 30 }, (_, i) => ({
    id: `I-${i + 1}` as IssueId,
    title: long(150),
    severity: 'high',
    ownerId: owner.id,
    ownerName: owner.name,
    council: SHARED,
    status: 'open',
    linkedRisk: 'R-1',
    raisedOn: TODAY,
  }));

  it('shows the latest history, six controls and eight actions, open first, and stays under the limit', () => {
    const reply = detailReply(
      {
        stored: { risk, closure: undefined, counters: { controls: 60, actions: 80 }, etag: '' },
        history,
        controls,
        actions,
        issues: issues.slice(0, 5),
        approvals: Array.from({ length: 30 }, (_, i) => ({
          id: `A-${i + 1}`,
          title: long(150),
          type: 'risk-acceptance' as const,
          due: '2026-12-31',
          requester: owner,
          approvers: [owner],
          awaitingIds: [owner.id],
          status: 'pending' as const,
          concerns: 'R-1',
        })),
        project: { id: 'P-12', name: long(100), status: 'active' },
      },
      DEFAULT_RISK_SETTINGS,
      TODAY,
    );
    const data = reply.card!.data as { controls: unknown[]; actions: Array<{ detail: string }>; history: unknown[] };
    expect(data.controls).toHaveLength(7);
    expect(data.actions).toHaveLength(9);
    expect(data.actions[0]!.detail).toContain('due 31 Jan 2027');
    expect(data.history).toHaveLength(6);
    expect(rendered(reply)).toBeLessThan(CARD_BYTE_LIMIT);
  });
});

describe('the issue cards', () => {
  const issue: Issue = {
    id: 'I-1' as IssueId,
    title: long(150),
    description: long(1_000),
    severity: 'high',
    owner,
    council: SHARED,
    status: 'open',
    linkedRisk: formatRiskId(1),
    raisedOn: TODAY,
    targetDate: '2027-03-31',
    resolvedOn: undefined,
    resolution: undefined,
    createdBy: long(60),
  };

  it('keep a long log and a long issue under the limit', () => {
    const entries: IssueEntry[] = Array.from({ length: 500 }, (_, i) => ({
      id: `I-${i + 1}` as IssueId,
      title: long(150),
      severity: 'medium',
      ownerId: owner.id,
      ownerName: owner.name,
      council: SHARED,
      status: 'open',
      linkedRisk: 'R-1',
      raisedOn: TODAY,
      targetDate: '2027-03-31',
    }));
    expect(rendered(issueListReply(partnership, entries, 'all', 0, NOW, TODAY))).toBeLessThan(CARD_BYTE_LIMIT);
    const actions: PlannedAction[] = Array.from({ length: 50 }, (_, i) => ({
      id: formatActionId(i + 1),
      text: long(300),
      owner,
      due: '2027-01-31',
      done: undefined,
      addedOn: TODAY,
      addedBy: long(60),
    }));
    expect(rendered(issueDetailReply(issue, actions, long(150), TODAY))).toBeLessThan(CARD_BYTE_LIMIT);
  });
});
