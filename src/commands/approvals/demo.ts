import { addDays, londonDate } from '../../domain/calendar.js';
import type { Approval, Approver } from '../../domain/approvals.js';
import type { ApprovalRepository } from '../../storage/approvals.js';
import { commitWithAudit } from '../../storage/audit.js';
import { demoAudit } from '../kit/demo.js';
import type { Services } from '../services.js';
import type { DemoContext } from '../types.js';
import { approvalSnapshot } from './request.js';

/**
 * The demo's approvers and one decided business case with its vote trail. The Playground's user is
 * an approver for every council (granted by the demo seed); two of its people approve for one
 * council each, so a joint decision needs one of them or the user for each council.
 */

export const daysAgo = (now: Date, days: number, hour = 10) =>
  new Date(Date.parse(`${addDays(londonDate(now), -days)}T${String(hour).padStart(2, '0')}:00:00Z`)).toISOString();

/** The demo's approvers: the user for every council, the first two people for CEC and CWAC. */
function demoApprovers(demo: DemoContext): Approver[] {
  const [forCec, forCwac] = demo.people;
  return [
    { id: demo.actor.id, name: demo.actor.name, councils: undefined },
    ...(forCec ? [{ id: forCec.id, name: forCec.name, councils: ['CEC'] }] : []),
    ...(forCwac ? [{ id: forCwac.id, name: forCwac.name, councils: ['CWAC'] }] : []),
  ];
}

export async function seedApprovalDemo(services: Services, approvals: ApprovalRepository, demo: DemoContext) {
  const { partnership, now } = demo;
  for (const approver of demoApprovers(demo).slice(1)) {
    const council = approver.councils?.[0];
    if (await services.roles.get(partnership.id, approver.id, 'approver', council)) continue;
    await services.roles.grant(
      partnership.id,
      {
        userId: approver.id,
        userName: approver.name,
        aadObjectId: demo.people.find((p) => p.id === approver.id)?.aadObjectId,
        role: 'approver',
        council,
        grantedBy: 'demo data',
        grantedAt: now.toISOString(),
      },
      demoAudit(demo, `role approver for ${approver.name}`, { role: 'approver', council }),
    );
  }
  if ((await approvals.list(partnership.id, now)).length > 0) return;
  const [user, cec, cwac] = demoApprovers(demo);
  const { id, action } = await approvals.take(partnership.id);
  const businessCase: Approval = {
    id,
    type: 'business-case',
    title: 'New tenancy build: full business case',
    details:
      'Build one Microsoft 365 tenancy for both councils: £1.2m over two years, paid back in four years from licence and support savings.',
    concerns: { kind: 'project', id: 'P-1' },
    requester: { id: demo.actor.id, name: demo.actor.name },
    requestedAt: daysAgo(now, 30),
    policy: 'majority',
    approvers: [user!, ...(cec ? [cec] : []), ...(cwac ? [cwac] : [])],
    councils: partnership.councils.map((c) => c.code),
    due: addDays(londonDate(now), -16),
    withdrawn: undefined,
    votes: [
      ...(cec
        ? [
            {
              approverId: cec.id,
              decision: 'approve' as const,
              comment: 'Savings case is sound.',
              at: daysAgo(now, 27, 11),
            },
          ]
        : []),
      ...(cwac
        ? [
            {
              approverId: cwac.id,
              decision: 'approve' as const,
              comment: 'Approved, subject to the data migration plan coming to the next board.',
              at: daysAgo(now, 25, 15),
            },
          ]
        : []),
    ],
    abstentions: [],
  };
  const actions = [action, ...(await approvals.createActions(partnership.id, businessCase, now))];
  await commitWithAudit(
    services.tables,
    partnership.id,
    actions,
    demoAudit(demo, `approval ${businessCase.id}`, approvalSnapshot(businessCase)),
    'demo approvals laid meanwhile',
  );
}
