/**
 * The register's rows and what is read from them: numbers that never clash under concurrent adds,
 * the summary rebuilt from the rows, seeding many risks for the bench, the digest section and the
 * reminders, and the demo data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { riskFamily } from '../../src/commands/risk/index.js';
import type { CommandFamily, DemoContext, UserRef } from '../../src/commands/types.js';
import type { Partnership } from '../../src/domain/partnership.js';
import { RiskRepository, seedRisks } from '../../src/storage/risks.js';
import { action, fact, lines } from '../support/cards.js';
import { meetAt } from '../support/concurrency.js';
import { heatCell, heading, issueRows, listUnder, riskRow, riskRows } from '../support/risk-cards.js';
import { riskRegister, type Register } from '../support/risk-register.js';
import { alex, jo, mentions, priya, sam } from '../support/teams.js';

async function partnershipOf(r: Register): Promise<Partnership> {
  const partnership = await r.bot.app.services.partnerships.get(r.partnershipId);
  if (!partnership) throw new Error('no partnership');
  return partnership;
}

describe('risk numbers', () => {
  let r: Register;
  beforeAll(async () => {
    r = await riskRegister('risk-race');
  });
  afterAll(() => r.close());

  it('gives twenty people adding risks at the same moment twenty different ids', async () => {
    const meeting = meetAt(RiskRepository.prototype, 'add', 20);
    let replies;
    try {
      replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          r.ask(sam, `risk add "Risk raised at the same moment ${i + 1}" likelihood=2 impact=3`),
        ),
      );
    } finally {
      meeting.restore();
    }
    const ids = replies.map((reply) => /^Risk added: (R-\d+) /.exec(heading(reply))?.[1]);
    expect(
      ids.every((id) => id !== undefined),
      replies.map((x) => heading(x)).join('\n'),
    ).toBe(true);
    expect(new Set(ids).size).toBe(20);
    expect([...ids].sort((a, b) => Number(a!.slice(2)) - Number(b!.slice(2)))).toEqual(
      Array.from({ length: 20 }, (_, i) => `R-${i + 1}`),
    );
    expect(await r.risks.list(r.partnershipId)).toHaveLength(20);
  });
});

describe('the register summary and bench seeding', () => {
  let r: Register;
  beforeAll(async () => {
    r = await riskRegister('risk-summary');
    await r.added(sam, 'risk add "Information management and data security" likelihood=5 impact=5');
    await r.ask(sam, 'risk update R-1 likelihood=4 "tools in place"');
  });
  afterAll(() => r.close());

  it('is rebuilt from the rows when it is missing, trend and all', async () => {
    const table = r.bot.app.services.tables.partnerships;
    for await (const row of table.listEntities({
      queryOptions: {
        filter: `PartitionKey eq '${r.partnershipId}' and RowKey ge 'summary|risk|' and RowKey lt 'summary|risk}'`,
      },
    })) {
      await table.deleteEntity(row.partitionKey!, row.rowKey!);
    }
    const register = await r.ask(jo, 'risk');
    expect(riskRow(register, 'R-1')).toMatchObject({ score: '4×5 = 20', band: 'Red', trend: '▼ falling' });
  });

  it('lays many risks straight into the rows for the bench, numbered on from the last', async () => {
    await seedRisks(r.bot.app.services.tables, r.partnershipId, 250, r.now());
    const entries = await r.risks.list(r.partnershipId);
    expect(entries).toHaveLength(251);
    expect(new Set(entries.map((e) => e.id)).size).toBe(251);
    expect(entries.some((e) => e.id === 'R-251')).toBe(true);
    const register = await r.ask(jo, 'risk list');
    expect(riskRows(register)).toHaveLength(15);
    expect(register.text).toContain('of 251.');
    expect(action(register, 'Show more')).toBeDefined();
    expect(await r.added(sam, 'risk add "After the seed" likelihood=1 impact=1')).toBe('R-252');
  });
});

describe('the digest section and reminders', () => {
  let r: Register;
  let family: CommandFamily;
  let since: Date;
  beforeAll(async () => {
    r = await riskRegister('risk-digest');
    family = riskFamily(r.bot.app.services);
    await r.ask(alex, 'risk appetite delivery=6');
    await r.added(
      sam,
      mentions`risk add "Information management and data security" likelihood=4 impact=5 category=cyber owner=${jo}`,
    );
    await r.added(sam, 'risk add "Commissioned hours fall" likelihood=3 impact=4 category=financial');
    await r.added(sam, 'risk add "Tenancy build late" likelihood=3 impact=3 category=delivery');
    await r.added(sam, mentions`risk add "Network outage" likelihood=1 impact=2 category=delivery owner=${priya}`);
    await r.ask(sam, 'issue add "Funding model assumes 100,000 commissioned hours" severity=high');
    r.advance(100); // 5 Mar 2027: the Red risk's review (due 25 Dec) is overdue; the Amber ones are reviewed now
    since = r.now();
    await r.ask(sam, 'risk review R-2');
    await r.ask(sam, 'risk review R-3');
    await r.ask(sam, 'risk update R-2 likelihood=5 "two schools left"');
  });
  afterAll(() => r.close());

  it('lists Red risks, those above appetite, those that became Red since the last digest, and overdue reviews', async () => {
    const [section] = await family.digest!({ partnership: await partnershipOf(r), now: r.now(), since });
    expect(section).toMatchObject({ key: 'risk', title: 'Risks and issues', rag: 'Red' });
    expect(section!.summary).toBe(
      '4 open risks: 2 Red, 1 Amber, 1 Green; 3 above appetite; 1 review overdue; 1 open issue (1 high)',
    );
    expect(section!.items).toEqual([
      {
        text: 'R-1 Information management and data security: 4×5 = 20 Red — above the cyber appetite of 12; review overdue since 25 Dec 2026 (owner Jo Williams)',
        rag: 'Red',
      },
      {
        text: 'R-2 Commissioned hours fall: 5×4 = 20 Red — became Red since the last digest; above the financial appetite of 12 (owner Sam Jones)',
        rag: 'Red',
      },
      {
        text: 'R-3 Tenancy build late: 3×3 = 9 Amber — above the delivery appetite of 6 (owner Sam Jones)',
        rag: 'Amber',
      },
    ]);
  });

  it('calls nothing newly Red without a last digest to compare with', async () => {
    const [section] = await family.digest!({ partnership: await partnershipOf(r), now: r.now(), since: undefined });
    expect(section!.items.map((i) => i.text).join('\n')).not.toContain('became Red');
  });

  it('reminds the owner of each risk whose review is overdue', async () => {
    const reminders = await family.reminders!({ partnership: await partnershipOf(r), now: r.now(), since });
    expect(reminders).toEqual([
      {
        kind: 'review',
        // A mention carries the Teams user id and name; the AAD object id is not in it.
        person: { id: jo.id, name: 'Jo Williams' },
        text: 'Review R-1 Information management and data security (4×5 = 20 Red): it was due 25 Dec 2026. Type risk review R-1 "note" when done.',
      },
    ]);
  });
});

describe('the demo register', () => {
  let r: Register;
  let demo: DemoContext;
  beforeAll(async () => {
    r = await riskRegister('risk-demo');
    const person = (p: typeof sam): UserRef => ({ kind: 'user', id: p.id, name: p.name, aadObjectId: p.aadObjectId });
    demo = {
      partnership: await partnershipOf(r),
      actor: { id: alex.id, name: alex.name, aadObjectId: alex.aadObjectId },
      now: r.now(),
      people: [person(sam), person(jo)],
      committeeChannels: [],
    };
    await riskFamily(r.bot.app.services).seedDemo!(demo);
  });
  afterAll(() => r.close());

  it('has one Red risk, cyber security above appetite, with its four mitigations and controls', async () => {
    const register = await r.ask(jo, 'risk');
    expect(lines(register)[1]).toMatch(/^7 open risks: 1 Red, 4 Amber, 2 Green · 1 above appetite · 1 review overdue/);
    expect(riskRows(register)[0]).toMatchObject({
      id: 'R-1',
      title: 'Information management and data security, including cyber security',
      score: '4×5 = 20',
      band: 'Red',
      appetite: 'Above appetite (6)',
      trend: '▼ falling',
    });
    expect(heatCell(register, 4, 5).text).toBe('1 R');
    const detail = await r.ask(jo, 'risk show R-1');
    expect(listUnder(detail, 'Actions planned').map((a) => a.split(' — ')[0])).toEqual([
      'A-2 · Strengthen security governance across both councils',
      'A-3 · Deploy tools to monitor and capture phishing exploits',
      'A-1 · Bring in new security and compliance capabilities',
      'A-4 · Appoint a security operations centre (SOC) partner to monitor and analyse security logs',
    ]);
    expect(listUnder(detail, 'Controls in place')).toHaveLength(3);
    expect(listUnder(detail, 'Score history')).toHaveLength(2);
  });

  it('has one overdue review, and the funding model issue raised from the commissioned hours risk', async () => {
    const overdue = await r.ask(jo, 'risk list overdue');
    expect(riskRows(overdue).map((row) => row.title)).toEqual(['Loss of experienced service desk analysts']);
    const issues = await r.ask(jo, 'issue');
    expect(issueRows(issues)).toEqual([
      expect.objectContaining({ id: 'I-1', title: 'Funding model assumes 100,000 commissioned hours', rag: 'Red' }),
    ]);
    expect(fact(await r.ask(jo, 'issue show I-1'), 'From risk')).toBe(
      'R-2 Commissioned project hours fall below the 100,000 the budget assumes',
    );
  });

  it('is laid once: seeding again changes nothing', async () => {
    await riskFamily(r.bot.app.services).seedDemo!(demo);
    expect(await r.risks.list(r.partnershipId)).toHaveLength(7);
  });
});
