import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pence } from '../../src/domain/money.js';
import {
  canChangeStatus,
  describeGaps,
  GATEWAY_FIELDS,
  gatewayCheck,
  gatewayGaps,
  isStale,
  latestReport,
  nameSimilarity,
  parseProjectId,
  projectIdOf,
  projectList,
  projectNumber,
  projectProblems,
  significantWords,
  similarProjects,
  staleBefore,
  summariseProject,
  type GatewayFields,
  type Project,
  type ProjectSummary,
  type RagReport,
} from '../../src/domain/portfolio.js';

const pm = { id: 'pm', name: 'Pat Manager' };
const sponsor = { id: 'sp', name: 'Sol Sponsor' };

const complete: GatewayFields = {
  manager: pm,
  sponsor,
  scope: 'Replace the core network switches at both data centres',
  budget: pence(25_000_000),
  start: '2026-04-01',
  end: '2027-03-31',
};

const report = (rag: RagReport['rag'], reportedAt: string): RagReport => ({
  rag,
  commentary: 'on track',
  reportedBy: pm,
  reportedAt,
});

const project = (n: number, name: string, extra: Partial<Project> = {}): Project => ({
  ...complete,
  id: projectIdOf(n),
  name,
  council: 'SHARED',
  status: 'active',
  reports: [],
  createdAt: '2026-04-01T09:00:00.000Z',
  createdBy: pm,
  ...extra,
});

describe('project ids', () => {
  it('numbers projects P-1, P-2, … and reads them back however typed', () => {
    expect(projectIdOf(2)).toBe('P-2');
    expect(parseProjectId('p2')).toBe('P-2');
    expect(parseProjectId('P-002')).toBe('P-2');
    expect(projectNumber(projectIdOf(10))).toBe(10);
    for (const text of ['P-0', 'P', 'R-2', 'P-2a']) expect(parseProjectId(text)).toBeUndefined();
    expect(() => projectIdOf(-1)).toThrow(RangeError);
  });
});

describe('the portfolio gateway', () => {
  it('admits a project with a manager, sponsor, scope, budget and timeline', () => {
    expect(gatewayCheck(complete)).toEqual({ passes: true, missing: [], problems: [] });
  });

  it('lists everything missing, with the form to give it in', () => {
    const empty: GatewayFields = {
      manager: undefined,
      sponsor: undefined,
      scope: undefined,
      budget: undefined,
      start: undefined,
      end: undefined,
    };
    expect(gatewayGaps(empty).map((gap) => gap.field)).toEqual([...GATEWAY_FIELDS]);
    expect(gatewayGaps(empty).map((gap) => gap.form)).toEqual([
      'manager=@name',
      'sponsor=@name',
      'scope="what the project will deliver"',
      'budget=£250k',
      'start=2026-04-01',
      'end=2027-03-31',
    ]);
  });

  it('counts a blank scope as missing, and a zero budget as given', () => {
    expect(gatewayGaps({ ...complete, scope: '   ' }).map((gap) => gap.field)).toEqual(['scope']);
    expect(gatewayGaps({ ...complete, budget: pence(0) })).toEqual([]);
  });

  it('says what is missing in words', () => {
    const gaps = gatewayGaps({ ...complete, manager: undefined, budget: undefined, end: undefined });
    expect(describeGaps(gaps)).toBe(
      'a project manager (manager=@name), a budget (budget=£250k) and an end date (end=2027-03-31)',
    );
    expect(describeGaps(gaps.slice(0, 1))).toBe('a project manager (manager=@name)');
  });

  it('refuses an end before the start, but allows a project of one day', () => {
    expect(projectProblems({ start: '2026-04-01', end: '2026-03-31' })).toEqual([
      { kind: 'end-before-start', reason: 'the end date 2026-03-31 is before the start date 2026-04-01' },
    ]);
    expect(projectProblems({ start: '2026-04-01', end: '2026-04-01' })).toEqual([]);
    expect(gatewayCheck({ ...complete, end: '2026-01-01' }).passes).toBe(false);
  });

  it('refuses a date that is not one and a negative budget', () => {
    expect(projectProblems({ start: '2026-02-30', budget: pence(-100) }).map((p) => p.reason)).toEqual([
      'start=2026-02-30 is not a date: write it as start=2026-04-01',
      'a budget cannot be negative',
    ]);
  });

  it('lets a proposed project become active only through the gateway', () => {
    const proposed = { ...complete, status: 'proposed' as const };
    expect(canChangeStatus(proposed, 'active')).toEqual({ ok: true });
    expect(canChangeStatus({ ...proposed, sponsor: undefined }, 'active')).toEqual({
      ok: false,
      reason: 'the gateway needs a sponsor (sponsor=@name)',
    });
    expect(canChangeStatus({ ...proposed, end: '2026-01-01' }, 'active')).toEqual({
      ok: false,
      reason: 'the end date 2026-01-01 is before the start date 2026-04-01',
    });
    expect(canChangeStatus(proposed, 'rejected')).toEqual({ ok: true });
    expect(canChangeStatus({ ...complete, status: 'active' }, 'closed')).toEqual({ ok: true });
    expect(canChangeStatus({ ...complete, status: 'closed' }, 'active')).toEqual({
      ok: false,
      reason: 'a project that is closed cannot become active',
    });
  });
});

describe('possible duplicates', () => {
  const existing = [
    project(1, 'Tenancy build (new)'),
    project(2, 'Data Centre move'),
    project(3, 'Laptop refresh'),
    project(4, 'WiFi upgrade'),
    project(5, 'Finance & HR system'),
    project(6, 'Email migration'),
  ];
  const closest = (name: string) => similarProjects(name, existing).map((s) => s.project.name);

  it('finds the same words in another order', () => {
    expect(closest('New tenancy build')).toEqual(['Tenancy build (new)']);
  });

  it('sets aside case, punctuation, & for and, and small words', () => {
    expect(significantWords('The Finance & HR System')).toEqual(['finance', 'hr', 'system']);
    expect(closest('the finance and HR system')).toEqual(['Finance & HR system']);
    expect(closest('Wi-Fi upgrade')).toEqual(['WiFi upgrade']);
    expect(closest('Tenancy build project')).toEqual(['Tenancy build (new)']);
  });

  it('forgives a small misspelling relative to the length', () => {
    expect(closest('Data center move')).toEqual(['Data Centre move']);
    expect(closest('Tennancy bulid new')).toEqual(['Tenancy build (new)']);
  });

  it('does not flag projects that share only one word of two', () => {
    expect(closest('Desktop refresh')).toEqual([]);
    expect(closest('Telephony migration')).toEqual([]);
    expect(closest('Cyber security')).toEqual([]);
  });

  it('puts the closest first and stops at the limit', () => {
    const many = [
      project(7, 'Network refresh phase 2'),
      project(8, 'Network refresh'),
      project(9, 'Network refresh 3'),
    ];
    const found = similarProjects('Network refresh', many, 2);
    expect(found.map((s) => s.project.id)).toEqual(['P-8', 'P-9']);
    expect(found[0]?.score).toBe(1);
  });

  it('finds a name identical to an existing one whatever its case, order and punctuation', () => {
    const word = fc.stringMatching(/^[a-z]{3,9}$/).filter((w) => !['and', 'for', 'the', 'with', 'from'].includes(w));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), fc.func(fc.integer()), (words, key) => {
        const shuffled = [...words].sort((x, y) => key(x) - key(y));
        const typed = `${shuffled.map((w) => w.toUpperCase()).join(' - ')}!`;
        expect(nameSimilarity(words.join(' '), typed)).toEqual({ score: 1, possibleDuplicate: true });
      }),
    );
  });
});

describe('RAG reports', () => {
  it('takes the newest report whatever order they are kept in', () => {
    const reports = [
      report('Green', '2026-09-01T09:00:00Z'),
      report('Red', '2026-10-01T09:00:00Z'),
      report('Amber', '2026-09-15T09:00:00Z'),
    ];
    expect(latestReport(reports)?.rag).toBe('Red');
    expect(latestReport([])).toBeUndefined();
  });

  it('is stale when more than 14 days old: fresh through the 14th day after, in London (BST)', () => {
    const madeOn1October = '2026-10-01T09:00:00Z';
    // 23:59 on 15 October in London is still within 14 days; midnight starting 16 October is not.
    expect(isStale(madeOn1October, new Date('2026-10-15T22:59:00Z'))).toBe(false);
    expect(isStale(madeOn1October, new Date('2026-10-15T23:00:00Z'))).toBe(true);
    expect(staleBefore(new Date('2026-10-15T23:00:00Z')).toISOString()).toBe('2026-10-01T23:00:00.000Z');
  });

  it('is stale when more than 14 days old in winter (GMT)', () => {
    const madeOn1December = '2026-12-01T23:30:00Z';
    expect(isStale(madeOn1December, new Date('2026-12-15T23:59:59Z'))).toBe(false);
    expect(isStale(madeOn1December, new Date('2026-12-16T00:00:00Z'))).toBe(true);
  });
});

describe('project list', () => {
  const now = new Date('2026-10-20T09:00:00Z');
  const rows: ProjectSummary[] = [
    summariseProject(project(1, 'Tenancy build', { reports: [report('Green', '2026-10-15T09:00:00Z')] })),
    summariseProject(project(2, 'Data centre move', { reports: [report('Red', '2026-09-01T09:00:00Z')] })),
    summariseProject(project(3, 'Laptop refresh', { status: 'proposed' })),
    summariseProject(
      project(4, 'Email migration', { status: 'closed', reports: [report('Green', '2026-01-01T09:00:00Z')] }),
    ),
    summariseProject(project(5, 'WiFi upgrade', { reports: [report('Amber', '2026-10-19T09:00:00Z')] })),
    summariseProject(project(6, 'Old intranet', { status: 'rejected' })),
  ];

  it('summarises a project with its latest RAG and who manages it', () => {
    expect(rows[1]).toEqual({
      id: 'P-2',
      name: 'Data centre move',
      status: 'active',
      council: 'SHARED',
      manager: pm,
      latestRag: 'Red',
      reportedAt: '2026-09-01T09:00:00Z',
    });
  });

  it('shows the live portfolio by default: active first, Red first, then proposed', () => {
    expect(projectList(rows, {}, now).map((r) => r.id)).toEqual(['P-2', 'P-5', 'P-1', 'P-3']);
  });

  it('filters by status and by RAG', () => {
    expect(projectList(rows, { status: 'closed' }, now).map((r) => r.id)).toEqual(['P-4']);
    expect(projectList(rows, { rag: 'Green' }, now).map((r) => r.id)).toEqual(['P-1']);
    expect(projectList(rows, { status: 'closed', rag: 'Green' }, now).map((r) => r.id)).toEqual(['P-4']);
    expect(projectList(rows, { status: 'active', rag: 'Amber' }, now).map((r) => r.id)).toEqual(['P-5']);
  });

  it('marks an active project whose latest report is stale, and no closed one', () => {
    const stale = (filter: Parameters<typeof projectList>[1]) =>
      projectList(rows, filter, now).map((r) => [r.id, r.stale]);
    expect(stale({})).toEqual([
      ['P-2', true],
      ['P-5', false],
      ['P-1', false],
      ['P-3', false],
    ]);
    expect(stale({ status: 'closed' })).toEqual([['P-4', false]]);
  });
});
