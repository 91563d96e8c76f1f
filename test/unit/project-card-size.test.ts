/**
 * The portfolio cards stay under Teams' card size (CARD_BYTE_LIMIT, 28 KB) at their largest: a
 * portfolio of 60 projects with the longest names, and one project with its full RAG history of
 * the longest commentaries, its approvals and its linked risks.
 */
import { describe, expect, it } from 'vitest';
import { cardBytes, CARD_BYTE_LIMIT, renderCard } from '../../src/cards/render.js';
import { HISTORY_SHOWN, APPROVALS_SHOWN } from '../../src/commands/project/read.js';
import { PORTFOLIO_ROWS, portfolioReply, projectDetailReply, RISKS_SHOWN } from '../../src/commands/project/views.js';
import type { Reply } from '../../src/commands/types.js';
import type { Pence } from '../../src/domain/money.js';
import { partnershipIdFor, type Partnership } from '../../src/domain/partnership.js';
import { projectIdOf, projectList, type ProjectSummary } from '../../src/domain/portfolio.js';
import { DEFAULT_RISK_SETTINGS, formatRiskId, listRisks } from '../../src/domain/risk.js';
import type { ProjectRecord } from '../../src/storage/projects.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const partnership: Partnership = {
  id: partnershipIdFor('Cheshire ICT Shared Service', '6f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70'),
  name: 'Cheshire ICT Shared Service',
  tenantId: '6f1c2a7e-3b4d-4e8f-9a10-2b3c4d5e6f70',
  councils: [
    { code: 'CEC', shareBasisPoints: 5000 },
    { code: 'CWAC', shareBasisPoints: 5000 },
  ],
  createdAt: '2026-04-01T09:00:00Z',
  createdBy: 'Alex Morgan',
};
const person = { id: `29:1${'p'.repeat(60)}`, name: 'Alexandra Montgomery-Fitzwilliam' };
const bytes = (reply: Reply) => cardBytes(renderCard(reply.card!.template, reply.card!.data, reply.text));

describe('the portfolio cards at their largest', () => {
  it(`list ${PORTFOLIO_ROWS} of 60 projects, Red first, and say how to narrow the list`, () => {
    const summaries: ProjectSummary[] = Array.from({ length: 60 }, (_, i) => ({
      id: projectIdOf(i + 1),
      name: `Replacement of the shared network estate across both councils, phase ${i}`.padEnd(100, '.'),
      status: 'active',
      council: 'SHARED',
      manager: person,
      latestRag: i % 3 === 0 ? 'Red' : 'Green',
      reportedAt: '2026-10-01T09:00:00Z',
    }));
    const reply = portfolioReply(partnership, projectList(summaries, {}, NOW), {}, true, NOW);
    expect(bytes(reply)).toBeLessThanOrEqual(CARD_BYTE_LIMIT);
    expect(reply.text).toContain(`Showing ${PORTFOLIO_ROWS} of 60, Red first`);
  });

  it('show one project with its full history and approvals', () => {
    const project: ProjectRecord = {
      id: projectIdOf(12),
      name: 'N'.repeat(100),
      manager: person,
      sponsor: person,
      scope: 'S'.repeat(1000),
      budget: 123_456_789_00 as Pence,
      start: '2026-04-01',
      end: '2029-03-31',
      council: 'SHARED',
      status: 'active',
      createdAt: '2026-03-01T09:00:00Z',
      createdBy: person,
      gateway: undefined,
      closed: undefined,
    };
    const input = {
      project,
      reports: Array.from({ length: HISTORY_SHOWN }, (_, i) => ({
        rag: 'Amber' as const,
        commentary: `Commentary — £ and ’ ${'x'.repeat(1000)}`.slice(0, 1000),
        reportedBy: person,
        reportedAt: new Date(Date.parse('2026-11-20T09:00:00Z') - i * 14 * 86_400_000).toISOString(),
      })),
      approvals: Array.from({ length: APPROVALS_SHOWN }, (_, i) => ({
        id: `A-${i + 1}`,
        title: 'T'.repeat(120),
        type: 'gateway' as const,
        due: '2026-12-01',
        requester: person,
        approvers: [person],
        awaitingIds: [],
        status: 'approved' as const,
      })),
      risks: listRisks(
        Array.from({ length: RISKS_SHOWN + 5 }, (_, i) => ({
          id: formatRiskId(i + 1),
          title: 'R'.repeat(300),
          category: 'cyber' as const,
          ownerId: person.id,
          ownerName: person.name,
          council: 'shared',
          project: project.id,
          status: 'open' as const,
          current: { likelihood: 5, impact: 5 } as const,
          inherent: { likelihood: 5, impact: 5 } as const,
          target: { likelihood: 1, impact: 1 } as const,
          nextReview: '2026-12-01',
          lastScoreChange: undefined,
        })),
        {},
        DEFAULT_RISK_SETTINGS,
        '2026-11-25',
      ),
      now: NOW,
    };
    const reply = projectDetailReply(input);
    const data = reply.card!.data as { risks: unknown[]; risksMore: string };
    expect(data.risks).toHaveLength(RISKS_SHOWN);
    expect(data.risksMore).toMatch(/^5 more linked open risks/);
    expect(bytes(reply)).toBeLessThanOrEqual(CARD_BYTE_LIMIT);
  });
});
