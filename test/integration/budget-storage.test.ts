/**
 * The budget repository's promises, against Azurite: the summary kept with every change reads the
 * same as one rebuilt from the rows; a year is laid whole only as it adds up; the benchmark's
 * 500 lines × 12 months are seeded straight into the rows and read back from the summary.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { forecastCard, PERIODS_IN_YEAR } from '../../src/domain/budget.js';
import { DEMO_BUDGET_LINES, DEMO_BUDGET_YEAR, DEMO_COUNCILS, DEMO_VIREMENT } from '../../src/domain/budget-demo.js';
import { pence } from '../../src/domain/money.js';
import type { PartnershipId } from '../../src/domain/partnership.js';
import type { AuditEntry } from '../../src/storage/audit.js';
import { BudgetRepository } from '../../src/storage/budget.js';
import { importBudgetYear, seedBudgetForBenchmark } from '../../src/storage/budget-import.js';
import { ensureTables, openStorage, type Storage } from '../../src/storage/tables.js';

const AT = '2026-11-25T12:00:00.000Z';
const audit: AuditEntry = {
  at: AT,
  actorId: 'test',
  actorAadObjectId: undefined,
  actorName: 'test',
  command: 'test',
  subject: 'budget',
  before: null,
  after: null,
  conversationId: 'test',
};
const by = { name: 'Finance officer', id: '29:finance' };

let storage: Storage;
beforeAll(async () => {
  storage = openStorage(inject('storageConnectionString'), `b${randomBytes(5).toString('hex')}`);
  await ensureTables(storage);
});

const partition = () => `budget-store.${randomBytes(4).toString('hex')}` as PartnershipId;

describe('the budget repository', () => {
  let budget: BudgetRepository;
  beforeAll(() => {
    budget = new BudgetRepository(storage.tables);
  });

  it('keeps a summary that reads as one rebuilt from the rows, after every kind of change', async () => {
    const pid = partition();
    await importBudgetYear(
      storage.tables,
      pid,
      DEMO_BUDGET_YEAR,
      DEMO_BUDGET_LINES,
      [{ ...DEMO_VIREMENT, by: 'Alex' }],
      { ...by, at: AT },
      audit,
    );
    const read = await budget.read(pid, DEMO_BUDGET_YEAR, ['STAFF', 'SUPPLY']);
    await budget.recordActuals(
      pid,
      read,
      [
        { code: 'STAFF', index: 7, amount: pence(131_000_000) },
        { code: 'SUPPLY', index: 7, amount: pence(9_500_000) },
      ],
      by,
      AT,
      audit,
    );
    const licences = await budget.read(pid, DEMO_BUDGET_YEAR, ['LICS']);
    await budget.setForecast(pid, licences, 'LICS', undefined, by, '2026-11-25T12:00:01.000Z', audit);
    const lines = await budget.read(pid, DEMO_BUDGET_YEAR, ['STAFF', 'SUPPLY']);
    await budget.vire(
      pid,
      lines,
      { from: 'STAFF', to: 'SUPPLY', amount: pence(5_000_000), reason: 'Training', by: 'Alex', at: AT },
      { from: pence(1_675_000_000), to: pence(125_000_000) },
      () => audit,
    );

    const kept = await budget.lines(pid, DEMO_BUDGET_YEAR);
    const rebuilt = [...(await budget.rebuildSummary(pid, DEMO_BUDGET_YEAR))].sort((a, b) =>
      a.code.localeCompare(b.code),
    );
    expect(rebuilt).toEqual(kept);
    expect(kept.find((l) => l.code === 'LICS')?.officerForecast).toBeUndefined();
    expect(kept.find((l) => l.code === 'STAFF')).toMatchObject({
      originalBudget: pence(1_650_000_000),
      revisedBudget: pence(1_675_000_000),
    });
    expect((await budget.virementsOf(pid, DEMO_BUDGET_YEAR)).map((v) => v.number)).toEqual([1, 2]);
  });

  it('lays the demo year as the domain has it, the £845,000 overspend included', async () => {
    const pid = partition();
    await importBudgetYear(
      storage.tables,
      pid,
      DEMO_BUDGET_YEAR,
      DEMO_BUDGET_LINES,
      [{ ...DEMO_VIREMENT, by: 'Alex' }],
      { ...by, at: AT },
      audit,
    );
    const stored = await budget.lines(pid, DEMO_BUDGET_YEAR);
    expect(stored).toEqual([...DEMO_BUDGET_LINES].sort((a, b) => a.code.localeCompare(b.code)));
    const card = forecastCard(stored, { fyStart: DEMO_BUDGET_YEAR, now: new Date(AT), councils: DEMO_COUNCILS });
    expect(card.totals.variance).toBe(pence(84_500_000));
    expect((await budget.years(pid)).map((y) => y.fyStart)).toEqual([DEMO_BUDGET_YEAR]);
  });

  it('refuses a year whose revised budgets are not the virements given', async () => {
    await expect(
      importBudgetYear(storage.tables, partition(), DEMO_BUDGET_YEAR, DEMO_BUDGET_LINES, [], { ...by, at: AT }, audit),
    ).rejects.toThrow(/revised budget of STAFF is not its original budget moved by the virements/);
  });

  it('notes positions month by month, the latest note of a month winning', async () => {
    const pid = partition();
    await budget.notePosition(pid, 2026, 6, { net: pence(100), councils: { CEC: pence(50) }, at: AT });
    await budget.notePosition(pid, 2026, 6, { net: pence(200), councils: { CEC: pence(100) }, at: AT });
    await budget.notePosition(pid, 2026, 7, { net: pence(300), councils: {}, at: AT });
    const year = await budget.year(pid, 2026);
    expect(year?.positions.get(6)?.net).toBe(200);
    expect(year?.positions.get(7)?.net).toBe(300);
  });
});

describe('seeding the benchmark', () => {
  it('lays 500 lines × 12 months straight into the rows, and reads them back from the summary', async () => {
    const pid = partition();
    const seeded = await seedBudgetForBenchmark(storage.tables, pid, {
      fyStart: 2025,
      councils: ['CEC', 'CWAC'],
      at: AT,
    });
    expect(seeded).toEqual({ lines: 500, actuals: 500 * PERIODS_IN_YEAR });
    const budget = new BudgetRepository(storage.tables);
    const lines = await budget.lines(pid, 2025);
    expect(lines).toHaveLength(500);
    expect(lines.every((l) => l.actuals.every((a) => a !== null))).toBe(true);
    const card = forecastCard(lines, {
      fyStart: 2025,
      now: new Date(AT),
      councils: [
        { code: 'CEC', shareBasisPoints: 5000 },
        { code: 'CWAC', shareBasisPoints: 5000 },
      ],
    });
    expect(card.periodsToDate).toBe(12);
    expect(card.drivers).toHaveLength(5);
    expect(card.councils.reduce((sum, c) => sum + c.variance, 0)).toBe(card.totals.variance);
  }, 60_000);
});

afterAll(async () => {
  await Promise.all(Object.values(storage.tables).map((t) => t.deleteTable().catch(() => undefined)));
});
