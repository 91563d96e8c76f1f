import { dayText } from '../../cards/views.js';
import { approversFromGrants, type Approval } from '../../domain/approvals.js';
import { addDays, londonDate } from '../../domain/calendar.js';
import { formatMoney, parseMoney } from '../../domain/money.js';
import { SHARED } from '../../domain/partnership.js';
import type { Person } from '../../domain/people.js';
import type { RagReport } from '../../domain/portfolio.js';
import type { Rag } from '../../domain/rag.js';
import { commitWithAudit } from '../../storage/audit.js';
import type { ProjectRecord } from '../../storage/projects.js';
import { daysAgo } from '../approvals/demo.js';
import { approvalSnapshot } from '../approvals/request.js';
import { demoAudit } from '../kit/demo.js';
import type { DemoContext } from '../types.js';
import { linkDemoRisks } from '../risk/demo.js';
import { projectSnapshot, type ProjectKit } from './add.js';
import type { BatchAction } from '../../storage/tables.js';

/**
 * The demo portfolio: five projects with fortnightly RAG reports (the new tenancy build, the user
 * migration, the service desk portal with a stale report, a closed Wi-Fi refresh) and the SOC partner
 * procurement proposed at the gateway, approved for CWAC and waiting for CEC: the Playground's user,
 * an approver for every council, decides it with one click.
 */

interface DemoProject {
  readonly name: string;
  readonly scope: string;
  readonly budget: string;
  readonly start: number;
  readonly end: number;
  readonly council: string;
  readonly status: ProjectRecord['status'];
  /** Days ago, RAG, commentary. */
  readonly reports: ReadonlyArray<readonly [number, Rag, string]>;
}

const PORTFOLIO: readonly DemoProject[] = [
  {
    name: 'New tenancy build',
    scope: 'One Microsoft 365 tenancy for both councils, with shared identity, mail and Teams.',
    budget: '£1.2m',
    start: -200,
    end: 330,
    council: SHARED,
    status: 'active',
    reports: [
      [48, 'Green', 'Design signed off by both councils.'],
      [34, 'Amber', 'Licence agreement delayed by procurement; two weeks lost.'],
      [20, 'Amber', 'Licences signed; recovering the two weeks by February.'],
      [6, 'Green', 'Back on plan: identity build complete, mail in test.'],
    ],
  },
  {
    name: 'User migration',
    scope: 'Move 4,800 staff mailboxes, files and devices into the new tenancy, council by council.',
    budget: '£640k',
    start: -120,
    end: 240,
    council: SHARED,
    status: 'active',
    reports: [
      [46, 'Green', 'Pilot group of 120 CEC staff moved without incident.'],
      [32, 'Amber', 'Mailbox moves slower than planned: 60 a night against 150.'],
      [18, 'Amber', 'Extra migration slots agreed; still three weeks behind.'],
      [4, 'Red', 'CWAC file shares need re-permissioning first: wave 2 moves to March.'],
    ],
  },
  {
    name: 'Service desk portal relaunch',
    scope: 'A new self-service portal with a catalogue, knowledge articles and live chat.',
    budget: '£180k',
    start: -150,
    end: 60,
    council: SHARED,
    status: 'active',
    reports: [
      [44, 'Green', 'Catalogue of 60 requests live.'],
      [24, 'Green', 'Live chat in pilot with the CEC service desk.'],
    ],
  },
  {
    name: 'Wi-Fi refresh at Westfields',
    scope: 'Replace the wireless network at the Westfields offices.',
    budget: '£95k',
    start: -300,
    end: -40,
    council: 'CEC',
    status: 'closed',
    reports: [
      [70, 'Green', 'All floors cut over.'],
      [56, 'Green', 'Old access points removed and recycled.'],
    ],
  },
  {
    name: 'SOC partner procurement',
    scope: 'Procure a security operations centre partner to monitor both councils around the clock.',
    budget: '£420k',
    start: 30,
    end: 760,
    council: SHARED,
    status: 'proposed',
    reports: [],
  },
];

export async function seedProjectDemo(kit: ProjectKit, demo: DemoContext): Promise<void> {
  const { partnership, now } = demo;
  if ((await kit.projects.list(partnership.id)).length > 0) return;
  const today = londonDate(now);
  const people: Person[] = [demo.actor, ...demo.people].map((p) => ({ id: p.id, name: p.name }));
  const person = (i: number): Person => people[i % people.length]!;
  const laid: ProjectRecord[] = [];
  for (const [i, spec] of PORTFOLIO.entries()) {
    const { id, action } = await kit.projects.take(partnership.id);
    const gateway = spec.status === 'proposed' ? await kit.approvals.take(partnership.id) : undefined;
    const project: ProjectRecord = {
      id,
      name: spec.name,
      manager: person(3 + i),
      sponsor: person(2),
      scope: spec.scope,
      budget: parseMoney(spec.budget)!,
      start: addDays(today, spec.start),
      end: addDays(today, spec.end),
      council: spec.council,
      status: spec.status,
      createdAt: daysAgo(now, 210 - i * 10),
      createdBy: { id: demo.actor.id, name: demo.actor.name },
      gateway: gateway?.id,
      closed:
        spec.status === 'closed'
          ? { reason: 'Delivered: every floor on the new network.', at: daysAgo(now, 40), by: demo.actor.name }
          : undefined,
    };
    const actions: BatchAction[] = [action, ...(await kit.projects.createActions(partnership.id, project))];
    await commitWithAudit(
      kit.services.tables,
      partnership.id,
      actions,
      demoAudit(demo, `project ${id}`, projectSnapshot(project)),
      'demo',
    );
    for (const [days, rag, commentary] of spec.reports) {
      const report: RagReport = { rag, commentary, reportedBy: project.manager!, reportedAt: daysAgo(now, days, 9) };
      await commitWithAudit(
        kit.services.tables,
        partnership.id,
        await kit.projects.reportActions(partnership.id, project, report),
        demoAudit(demo, `project ${id} RAG`, { rag }),
        'demo',
      );
    }
    if (gateway) await seedGateway(kit, demo, project, gateway);
    laid.push(project);
  }
  await linkDemoRisks(kit.risks, laid, demo);
}

/** The proposed project's gateway: the board, per council, approved for CWAC and waiting for CEC. */
async function seedGateway(
  kit: ProjectKit,
  demo: DemoContext,
  project: ProjectRecord,
  gateway: { id: Approval['id']; action: BatchAction },
): Promise<void> {
  const { partnership, now } = demo;
  const approvers = approversFromGrants(await kit.services.roles.list(partnership.id));
  const forCwac = approvers.find((a) => a.councils?.length === 1 && a.councils[0] === 'CWAC');
  const approval: Approval = {
    id: gateway.id,
    type: 'gateway',
    title: `Gateway: ${project.name}`,
    details: `${project.scope}\nBudget ${formatMoney(project.budget!)} · ${dayText(project.start!)} to ${dayText(project.end!)} · manager ${project.manager?.name} · sponsor ${project.sponsor?.name}`,
    concerns: { kind: 'project', id: project.id },
    requester: { id: demo.actor.id, name: demo.actor.name },
    requestedAt: daysAgo(now, 3),
    policy: 'per-council',
    approvers,
    councils: partnership.councils.map((c) => c.code),
    due: addDays(londonDate(now), 7),
    withdrawn: undefined,
    votes: forCwac
      ? [
          {
            approverId: forCwac.id,
            decision: 'approve',
            comment: 'CWAC supports this: our cyber insurer asks for round-the-clock monitoring.',
            at: daysAgo(now, 1, 14),
          },
        ]
      : [],
    abstentions: [],
  };
  await commitWithAudit(
    kit.services.tables,
    partnership.id,
    [gateway.action, ...(await kit.approvals.createActions(partnership.id, approval, now))],
    demoAudit(demo, `approval ${approval.id}`, approvalSnapshot(approval)),
    'demo',
  );
}
