import { approvalFamily } from './approvals/index.js';
import { auditFamily } from './audit.js';
import { budgetFamily } from './budget/index.js';
import { digestFamily } from './digest/index.js';
import { helpFamily } from './help.js';
import { kpiFamily } from './kpi/index.js';
import { projectFamily } from './project/index.js';
import { Registry } from './registry.js';
import { riskFamily } from './risk/index.js';
import { roleFamily } from './role.js';
import type { FamilyFactory, Services } from './services.js';
import { setupFamily } from './setup.js';

/** Every command family, in the order help lists them: a new family is its own files and one line here. */
export const FAMILIES: readonly FamilyFactory[] = [
  setupFamily,
  kpiFamily,
  riskFamily,
  budgetFamily,
  approvalFamily,
  projectFamily,
  roleFamily,
  auditFamily,
];

/** The registry of every family, with help first and the digest (both read the registry itself) last. */
export function buildRegistry(services: Services): Registry {
  const registry: Registry = new Registry([
    helpFamily(() => registry),
    ...FAMILIES.map((family) => family(services)),
    digestFamily(services, () => registry.registered),
  ]);
  return registry;
}
