import { approvalFamily } from './approvals/index.js';
import { auditFamily } from './audit.js';
import { helpFamily } from './help.js';
import { kpiFamily } from './kpi/index.js';
import { projectFamily } from './project/index.js';
import { Registry } from './registry.js';
import { roleFamily } from './role.js';
import type { Services } from './services.js';
import { setupFamily } from './setup.js';
import type { FamilyFactory } from './types.js';

/** Every command family, in the order help lists them: a new family is its own files and one line here. */
export const FAMILIES: readonly FamilyFactory[] = [
  setupFamily,
  kpiFamily,
  approvalFamily,
  projectFamily,
  roleFamily,
  auditFamily,
];

/** The registry of every family, with help (which reads the registry itself) first. */
export function buildRegistry(services: Services): Registry {
  const registry: Registry = new Registry([helpFamily(() => registry), ...FAMILIES.map((family) => family(services))]);
  return registry;
}
