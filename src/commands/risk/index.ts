import { ApprovalRepository } from '../../storage/approvals.js';
import { IssueRepository } from '../../storage/issues.js';
import { ProjectRepository } from '../../storage/projects.js';
import { RiskRepository } from '../../storage/risks.js';
import type { Services } from '../services.js';
import type { CommandFamily } from '../types.js';
import { seedRiskDemo } from './demo.js';
import { riskDigest, riskReminders } from './digest.js';
import { issueEntries } from './issue-entries.js';
import type { RiskKit } from './read.js';
import { riskEntries } from './risk-entries.js';

/** The risk register and the issue log: one family answering `risk` and `issue`, over one set of rows. */
export function riskFamily(services: Services): CommandFamily {
  const kit: RiskKit = {
    services,
    risks: new RiskRepository(services.tables),
    issues: new IssueRepository(services.tables),
    approvals: new ApprovalRepository(services.tables),
    projects: new ProjectRepository(services.tables),
  };
  const risks = riskEntries(kit);
  const issues = issueEntries(kit);
  return {
    words: ['risk', 'issue'],
    area: 'Risks and issues',
    summary: 'The risk register (scores, appetite, heat map, controls, actions, reviews) and the issue log',
    commands: [...risks.commands, ...issues.commands],
    verbs: [...risks.verbs, ...issues.verbs],
    seedDemo: (demo) => seedRiskDemo(kit.risks, kit.issues, demo),
    digest: (request) => riskDigest(kit, request),
    reminders: (request) => riskReminders(kit, request),
  };
}
