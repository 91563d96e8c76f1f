import { describe, expect, it } from 'vitest';
import { linesReply, LINES_PAGE_SIZE } from '../../src/commands/budget/line-views.js';
import { benefitsText, paybackText } from '../../src/commands/budget/programme-views.js';
import { forecastHeadline, forecastReply, thresholdsText, varianceText } from '../../src/commands/budget/views.js';
import { CARD_BYTE_LIMIT, cardBytes, renderCard } from '../../src/cards/render.js';
import { DEFAULT_RAG_THRESHOLDS, forecastCard, noActuals, type BudgetLineSummary } from '../../src/domain/budget.js';
import { DEMO_PROGRAMME } from '../../src/domain/budget-demo.js';
import { parseMoney, pence, type Pence } from '../../src/domain/money.js';
import { SHARED, type Partnership, type PartnershipId } from '../../src/domain/partnership.js';
import { paybackOf } from '../../src/domain/programme.js';
import type { Reply } from '../../src/commands/types.js';

const money = (text: string): Pence => parseMoney(text)!;
const partnership: Partnership = {
  id: 'views.test' as PartnershipId,
  name: 'Cheshire ICT Shared Service',
  tenantId: 'tenant',
  councils: [
    { code: 'CEC', shareBasisPoints: 5000 },
    { code: 'CWAC', shareBasisPoints: 5000 },
  ],
  createdAt: '2026-04-01T00:00:00Z',
  createdBy: 'Alex',
};
const size = (reply: Reply) => cardBytes(renderCard(reply.card!.template, reply.card!.data, reply.text));

describe('budget figures in words', () => {
  it('say overspend and underspend for spending, shortfall and surplus for income', () => {
    expect(varianceText('net', money('£845k'))).toBe('£845k overspend');
    expect(varianceText('staffing', money('-£1,040,616'))).toBe('£1.04m underspend');
    expect(varianceText('income', money('£1.89m'))).toBe('£1.89m income shortfall');
    expect(varianceText('income', money('-£20k'))).toBe('£20k income surplus');
    expect(varianceText('other', pence(0))).toBe('on budget');
  });

  it('head the card with the position as the committee says it', () => {
    expect(forecastHeadline(money('£845,000'))).toBe('Forecast overspend £845k');
    expect(forecastHeadline(money('-£1,040,616'), 'staffing', (p) => `£${p / 100}`)).toBe(
      'Forecast underspend £1040616',
    );
    expect(forecastHeadline(pence(0))).toBe('Forecast on budget');
  });

  it('state the thresholds in force, each part in its own words', () => {
    expect(thresholdsText(DEFAULT_RAG_THRESHOLDS)).toBe(
      'Amber from 1% of budget or £50k adverse, Red from 5% of budget or £100k, whichever comes first',
    );
  });

  it('describe benefits and payback as a programme board reads them', () => {
    expect(benefitsText(DEMO_PROGRAMME)).toBe('£800k in 2024/25, then £2.67m a year from 2025/26');
    expect(paybackText(paybackOf(DEMO_PROGRAMME))).toBe('2026/27, 4 years');
    expect(paybackText(paybackOf({ ...DEMO_PROGRAMME, benefits: [] }))).toMatch(/^not within the years counted/);
  });
});

describe('budget cards at their largest', () => {
  const longName = 'Managed print, scanning and document services across both councils’ estates ✓';
  const lines: BudgetLineSummary[] = Array.from({ length: 500 }, (_, i) => ({
    code: `L${i}`,
    name: `${longName} ${i}`,
    category: i % 4 === 0 ? 'income' : 'contracts',
    council: SHARED,
    fyStart: 2026,
    originalBudget: money('£1,234,567.89'),
    revisedBudget: money('£1,234,567.89'),
    actuals: noActuals().map((_, p) => (p < 7 ? money(`£${100_000 + i * 17 + p}`) : null)),
    officerForecast:
      i % 3 === 0
        ? {
            amount: money('£1.3m'),
            reason: longName.repeat(3),
            recordedAt: '2026-11-01T00:00:00Z',
            recordedBy: 'Finance',
          }
        : undefined,
  }));
  const figures = forecastCard(lines, {
    fyStart: 2026,
    now: new Date('2026-11-25T12:00:00Z'),
    councils: partnership.councils,
  });

  it('keep the forecast card under the Teams limit with 500 lines and long reasons', () => {
    const reply = forecastReply({ partnership, figures, thresholds: DEFAULT_RAG_THRESHOLDS, previous: undefined });
    expect(size(reply)).toBeLessThan(CARD_BYTE_LIMIT);
  });

  it('page the lines, each page under the limit, with a button for the next', () => {
    const first = linesReply({ partnership, figures, category: undefined, offset: 0 });
    expect(size(first)).toBeLessThan(CARD_BYTE_LIMIT);
    expect(first.text).toContain(`Showing 1–${LINES_PAGE_SIZE} of 500.`);
    const data = first.card!.data as { more?: { offset: number; year: string } };
    expect(data.more).toMatchObject({ offset: LINES_PAGE_SIZE, year: '2026/27' });
    const last = linesReply({ partnership, figures, category: undefined, offset: 480 });
    expect((last.card!.data as { more?: unknown }).more).toBeUndefined();
  });
});
