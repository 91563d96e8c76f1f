import { describe, expect, it } from 'vitest';
import { familyScenarios, kpiScenarios, type Scenario, type Seeded } from '../../bench/scenarios.js';

/** The benchmark counts only answers its checks accept: they must accept the cards of a full run's sizes. */
const seeded = { place: { partnershipName: 'Cheshire ICT Shared Service' } } as unknown as Seeded;
const card = {};

function named(scenarios: readonly Scenario[], name: string): Scenario {
  const found = scenarios.find((s) => s.name === name);
  if (!found) throw new Error(`no scenario ${name} among ${scenarios.map((s) => s.name).join(', ')}`);
  return found;
}

describe('the benchmark’s checks of an answer', () => {
  it('take the list of 2,000 KPIs, its count written with a thousands comma as the card writes it', () => {
    const list = named(kpiScenarios([10, 200, 2000]), 'kpi (2,000 KPIs)');
    const text = 'KPIs — Cheshire ICT Shared Service\n2,000 KPIs: 1058 Green, 271 Amber, 421 Red · as at 26 Nov 2026';
    expect(list.check({ ms: 1, text, card }, seeded)).toBeUndefined();
    expect(list.check({ ms: 1, text: 'Something went wrong', card }, seeded)).toContain('the KPI list of 2000');
  });

  it('take the register of 2,000 risks with its heat map', () => {
    const sizes = { risks: [10, 2000] as const, budget: { lines: 5, periods: 2 }, votes: 0, approvers: 2, channels: 1 };
    const register = named(familyScenarios(sizes), 'risk list (2,000 risks)');
    const text =
      'Risk register — Cheshire ICT Shared Service\n2,000 open risks: 482 Red · as at 26 Nov 2026\nHeat map (open risks by current score):\n…';
    expect(register.check({ ms: 1, text, card }, seeded)).toBeUndefined();
  });
});
