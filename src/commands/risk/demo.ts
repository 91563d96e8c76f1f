import { addDays, addMonths, londonDate } from '../../domain/calendar.js';
import { SHARED } from '../../domain/partnership.js';
import type { ProjectId } from '../../domain/portfolio.js';
import {
  formatActionId,
  formatSequenceId,
  reviewDue,
  type ControlEffectiveness,
  type PlannedAction,
  type Risk,
  type RiskCategory,
  type RiskOwner,
  type RiskScore,
  type RiskSettings,
} from '../../domain/risk.js';
import type { IssueRepository } from '../../storage/issues.js';
import type { RiskRepository } from '../../storage/risks.js';
import { demoAudit } from '../kit/demo.js';
import type { DemoContext } from '../types.js';

/**
 * The register of the mid-year business plan review: one Red risk, information management and data
 * security (above the cyber appetite of 6), with the four mitigations the review names as actions
 * and what is in place as controls; amber and green risks across both councils, one of them
 * overdue for review; and the issue of the funding model's 100,000 commissioned hours.
 */

const s = (likelihood: 1 | 2 | 3 | 4 | 5, impact: 1 | 2 | 3 | 4 | 5): RiskScore => ({ likelihood, impact });

interface DemoRisk {
  readonly title: string;
  readonly description: string;
  readonly category: RiskCategory;
  readonly council: string;
  readonly inherent: RiskScore;
  readonly current: RiskScore;
  readonly target: RiskScore;
  /** Days since the last review. */
  readonly reviewedDaysAgo: number;
}

const CYBER: DemoRisk = {
  title: 'Information management and data security, including cyber security',
  description:
    'A breach or attack on the shared estate exposes council data or stops services for both councils: phishing, ransomware, gaps in monitoring of security logs.',
  category: 'cyber',
  council: SHARED,
  inherent: s(5, 5),
  current: s(4, 5),
  target: s(2, 4),
  reviewedDaysAgo: 20,
};

const CONTROLS: ReadonlyArray<[string, ControlEffectiveness]> = [
  ['Cyber security tools in use across the CEC and CWAC estate', 'good'],
  ['Security governance group reviews policy and incidents every month', 'partial'],
  ['Mandatory data protection and phishing awareness training for all staff', 'partial'],
];

const MITIGATIONS: ReadonlyArray<[string, number]> = [
  ['Bring in new security and compliance capabilities', 2],
  ['Strengthen security governance across both councils', 1],
  ['Deploy tools to monitor and capture phishing exploits', 1],
  ['Appoint a security operations centre (SOC) partner to monitor and analyse security logs', 4],
];

const OTHERS: readonly DemoRisk[] = [
  {
    title: 'Commissioned project hours fall below the 100,000 the budget assumes',
    description: 'Fewer commissioned hours mean less project income and an overspend at outturn.',
    category: 'financial',
    council: SHARED,
    inherent: s(4, 4),
    current: s(4, 3),
    target: s(2, 3),
    reviewedDaysAgo: 30,
  },
  {
    title: 'Loss of experienced service desk analysts',
    description: 'Leavers take knowledge with them; first time fix falls while new starters are trained.',
    category: 'workforce',
    council: 'CEC',
    inherent: s(4, 3),
    current: s(3, 3),
    target: s(2, 3),
    reviewedDaysAgo: 120,
  },
  {
    title: 'Delay to the new CWAC tenancy build',
    description: 'User migration slips if the design and build workstream runs late.',
    category: 'delivery',
    council: 'CWAC',
    inherent: s(3, 4),
    current: s(2, 4),
    target: s(1, 4),
    reviewedDaysAgo: 10,
  },
  {
    title: 'Citrix and AppSense contract savings not confirmed',
    description: 'Savings assumed for next year’s business plan depend on contract reviews still under way.',
    category: 'supplier',
    council: SHARED,
    inherent: s(3, 3),
    current: s(3, 2),
    target: s(1, 2),
    reviewedDaysAgo: 45,
  },
  {
    title: 'Network outage at a main office site',
    description: 'A single network failure stops work at one site for several hours.',
    category: 'delivery',
    council: 'CWAC',
    inherent: s(3, 3),
    current: s(2, 2),
    target: s(2, 2),
    reviewedDaysAgo: 60,
  },
  {
    title: 'Portal channel shift stalls',
    description: 'Telephone contacts stop falling, so the service desk cannot release capacity.',
    category: 'delivery',
    council: SHARED,
    inherent: s(2, 3),
    current: s(1, 3),
    target: s(1, 3),
    reviewedDaysAgo: 90,
  },
];

/** Demo risks and the demo projects they threaten, by title and by name. */
const PROJECT_LINKS: ReadonlyArray<readonly [risk: string, project: string]> = [
  [CYBER.title, 'SOC partner procurement'],
  ['Delay to the new CWAC tenancy build', 'New tenancy build'],
  ['Portal channel shift stalls', 'Service desk portal relaunch'],
];

/**
 * Links the demo risks to the demo projects they threaten. The portfolio is laid after the
 * register (families seed in their order), so the project demo calls this once its projects exist;
 * a risk that names a project already, or a project not there, is left as it is.
 */
export async function linkDemoRisks(
  risks: RiskRepository,
  projects: ReadonlyArray<{ readonly id: ProjectId; readonly name: string }>,
  demo: DemoContext,
): Promise<void> {
  const pid = demo.partnership.id;
  const entries = await risks.list(pid);
  for (const [title, name] of PROJECT_LINKS) {
    const entry = entries.find((e) => e.title === title && e.project === undefined);
    const project = projects.find((p) => p.name === name);
    if (!entry || !project) continue;
    const stored = (await risks.get(pid, entry.id))!;
    await risks.change(
      pid,
      stored,
      { risk: { ...stored.risk, project: project.id }, closure: stored.closure, counters: stored.counters },
      {},
      demoAudit(demo, `risk ${entry.id}`, { project: project.id }),
    );
  }
}

/** The demo register and issue log; a partnership that has risks already is left as it is. */
export async function seedRiskDemo(risks: RiskRepository, issues: IssueRepository, demo: DemoContext): Promise<void> {
  const { partnership, actor, now } = demo;
  const pid = partnership.id;
  if ((await risks.list(pid)).length > 0) return;
  const today = londonDate(now);
  const people: RiskOwner[] = [actor, ...demo.people].map((p) => ({
    id: p.id,
    name: p.name,
    aadObjectId: p.aadObjectId,
  }));
  const ownerAt = (i: number) => people[i % people.length]!;
  const { settings, etag } = await risks.settings(pid);
  const demoSettings: RiskSettings = { ...settings, appetite: { ...settings.appetite, cyber: 6 } };
  await risks.saveSettings(pid, etag, demoSettings, demoAudit(demo, 'risk appetite', { cyber: 6 }));

  const add = (risk: DemoRisk, owner: RiskOwner, current: RiskScore, addedOn: string) =>
    risks.add(
      pid,
      (id): Risk => {
        const reviewed = { lastReview: addDays(today, -risk.reviewedDaysAgo), current };
        return {
          id,
          title: risk.title,
          description: risk.description,
          category: risk.category,
          owner,
          council: risk.council,
          project: undefined,
          status: 'open',
          inherent: risk.inherent,
          target: risk.target,
          ...reviewed,
          nextReview: reviewDue(reviewed, demoSettings),
          createdAt: now.toISOString(),
          createdBy: 'demo data',
        };
      },
      { at: addedOn, by: actor.name, why: 'from the business plan risk log' },
      (r) => demoAudit(demo, `risk ${r.id}`, { title: r.title }),
    );

  // The cyber risk was added at its inherent score and re-scored once the new tools were in place.
  const addedOn = new Date(now.getTime() - 90 * 86_400_000).toISOString();
  const cyber = await add(CYBER, ownerAt(0), CYBER.inherent, addedOn);
  const rescoredOn = new Date(now.getTime() - CYBER.reviewedDaysAgo * 86_400_000).toISOString();
  let stored = (await risks.get(pid, cyber.id))!;
  const rescored: Risk = { ...stored.risk, current: CYBER.current };
  await risks.change(
    pid,
    stored,
    {
      risk: { ...rescored, nextReview: reviewDue(rescored, demoSettings) },
      closure: undefined,
      counters: stored.counters,
    },
    {
      record: {
        at: rescoredOn,
        by: actor.name,
        why: 'New tools manage cyber security across both estates',
        changes: [{ which: 'current', from: CYBER.inherent, to: CYBER.current }],
      },
    },
    demoAudit(demo, `risk ${cyber.id}`, { current: '4×5' }),
  );
  for (const [i, [text, effectiveness]] of CONTROLS.entries()) {
    stored = (await risks.get(pid, cyber.id))!;
    const counters = { ...stored.counters, controls: stored.counters.controls + 1 };
    const control = {
      id: formatSequenceId('C', counters.controls),
      text,
      owner: ownerAt(i),
      effectiveness,
      addedOn: today,
      addedBy: actor.name,
    };
    await risks.change(
      pid,
      stored,
      { ...stored, counters },
      { control },
      demoAudit(demo, `risk ${cyber.id} control`, { text }),
    );
  }
  for (const [i, [text, months]] of MITIGATIONS.entries()) {
    stored = (await risks.get(pid, cyber.id))!;
    const counters = { ...stored.counters, actions: stored.counters.actions + 1 };
    const action: PlannedAction = {
      id: formatActionId(counters.actions),
      text,
      owner: ownerAt(i + 1),
      due: addMonths(today, months),
      done: undefined,
      addedOn: today,
      addedBy: actor.name,
    };
    await risks.change(
      pid,
      stored,
      { ...stored, counters },
      { action },
      demoAudit(demo, `risk ${cyber.id} action`, { text }),
    );
  }

  const added: Risk[] = [];
  for (const [i, risk] of OTHERS.entries()) added.push(await add(risk, ownerAt(i + 1), risk.current, addedOn));

  const hours = added[0]!;
  const issue = await issues.add(
    pid,
    (id) => ({
      id,
      title: 'Funding model assumes 100,000 commissioned hours',
      description:
        'The budget rests on 100,000 commissioned hours a year; every hour fewer is income lost and pressure on the outturn. The model is to be replaced through the Gemini programme.',
      severity: 'high',
      owner: ownerAt(0),
      council: SHARED,
      status: 'open',
      linkedRisk: hours.id,
      raisedOn: addDays(today, -30),
      targetDate: addMonths(today, 6),
      resolvedOn: undefined,
      resolution: undefined,
      createdBy: actor.name,
    }),
    (i) => demoAudit(demo, `issue ${i.id}`, { title: i.title }),
  );
  const storedIssue = (await issues.get(pid, issue.id))!;
  await issues.change(
    pid,
    storedIssue,
    { issue: storedIssue.issue, actions: 1 },
    {
      id: formatActionId(1),
      text: 'Replace the funding model as part of the Gemini programme',
      owner: ownerAt(0),
      due: addMonths(today, 6),
      done: undefined,
      addedOn: today,
      addedBy: actor.name,
    },
    demoAudit(demo, `issue ${issue.id} action`, { action: 'A-1' }),
  );
}
