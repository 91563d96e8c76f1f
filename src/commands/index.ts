import { auditFamily } from './audit.js';
import { helpFamily } from './help.js';
import { kpiFamily } from './kpi.js';
import { Registry } from './registry.js';
import { roleFamily } from './role.js';
import type { Services } from './services.js';
import { setupFamily } from './setup.js';

/** Families the partnership will get later: people ask for them already, so the bot says so plainly. */
const PLANNED = {
  risk: 'The risk register',
  issue: 'The issue log',
  budget: 'Budget monitoring',
  approval: 'Approvals',
  approve: 'Approvals',
  reject: 'Approvals',
  project: 'The project portfolio',
  status: 'The status summary',
  digest: 'Scheduled digests',
};

/** Every command family, in one place: a new family is one module and one line here. */
export function buildRegistry(services: Services): Registry {
  const registry: Registry = new Registry(
    [
      helpFamily(() => registry),
      setupFamily(services),
      roleFamily(services),
      auditFamily(services),
      kpiFamily(services),
    ],
    PLANNED,
  );
  return registry;
}
