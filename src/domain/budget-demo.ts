/**
 * Demo figures modelled on the 2023/24 mid-year review of the Cheshire ICT shared service: a forecast
 * overspend of £845,000, made of £1.890m of income under-achieved (projects, from fewer commissioned
 * hours, and schools) and inflation on contracts, offset by a £1,040,616 staffing underspend and
 * savings; all lines shared 50/50 between the two councils. The figures are at September (P6): the
 * committee met in November, when October's actuals were not yet entered.
 */
import type { BudgetLineSummary, OfficerForecast } from './budget.js';
import { SHARED } from './partnership.js';
import { pence, type Pence } from './money.js';
import type { Council } from './partnership.js';
import type { Programme } from './programme.js';

export const DEMO_BUDGET_YEAR = 2023;

/** The day of the mid-year committee. */
export const DEMO_BUDGET_NOW = '2023-11-24T10:00:00Z';

export const DEMO_COUNCILS: readonly Council[] = [
  { code: 'CEC', shareBasisPoints: 5000 },
  { code: 'CWAC', shareBasisPoints: 5000 },
];

/** Pounds as typed, to pence. */
const gbp = (pounds: number): Pence => pence(pounds * 100);

/** P1 … P6 entered in pounds, P7 … P12 not yet. */
const firstHalf = (...pounds: number[]): (Pence | null)[] => [
  ...pounds.map(gbp),
  ...Array.from({ length: 12 - pounds.length }, () => null),
];

const forecast = (pounds: number, reason: string, recordedAt: string): OfficerForecast => ({
  amount: gbp(pounds),
  reason,
  recordedAt,
  recordedBy: 'ICT finance business partner',
});

export const DEMO_BUDGET_LINES: readonly BudgetLineSummary[] = [
  {
    code: 'STAFF',
    name: 'ICT staffing',
    category: 'staffing',
    council: SHARED,
    fyStart: DEMO_BUDGET_YEAR,
    originalBudget: gbp(16_500_000),
    // The pay offer, funded by a virement from the network and data centre budget.
    revisedBudget: gbp(16_800_000),
    actuals: firstHalf(1_309_000, 1_311_500, 1_316_250, 1_312_942, 1_315_000, 1_315_000),
    officerForecast: undefined,
  },
  {
    code: 'NETDC',
    name: 'Network and data centre',
    category: 'contracts',
    council: SHARED,
    fyStart: DEMO_BUDGET_YEAR,
    originalBudget: gbp(3_400_000),
    revisedBudget: gbp(3_100_000),
    actuals: firstHalf(258_000, 259_500, 257_800, 258_700, 257_500, 258_500),
    officerForecast: undefined,
  },
  {
    code: 'LICS',
    name: 'Software licences and support',
    category: 'contracts',
    council: SHARED,
    fyStart: DEMO_BUDGET_YEAR,
    originalBudget: gbp(7_400_000),
    revisedBudget: gbp(7_400_000),
    actuals: firstHalf(2_150_000, 310_000, 295_000, 1_240_000, 280_000, 305_000),
    officerForecast: forecast(7_612_000, 'Renewals priced up with inflation', '2023-10-18T09:30:00Z'),
  },
  {
    code: 'CITRIX',
    name: 'Citrix and AppSense',
    category: 'contracts',
    council: SHARED,
    fyStart: DEMO_BUDGET_YEAR,
    originalBudget: gbp(1_150_000),
    revisedBudget: gbp(1_150_000),
    actuals: firstHalf(575_000, 0, 0, 0, 0, 0),
    officerForecast: forecast(1_000_000, 'Savings from the contract review, to be confirmed', '2023-10-18T09:45:00Z'),
  },
  {
    code: 'SUPPLY',
    name: 'Supplies and services',
    category: 'other',
    council: SHARED,
    fyStart: DEMO_BUDGET_YEAR,
    originalBudget: gbp(1_200_000),
    revisedBudget: gbp(1_200_000),
    actuals: firstHalf(92_400, 95_108, 94_300, 96_000, 93_500, 95_500),
    officerForecast: undefined,
  },
  {
    code: 'PROJINC',
    name: 'Income from projects',
    category: 'income',
    council: SHARED,
    fyStart: DEMO_BUDGET_YEAR,
    // 100,000 commissioned hours at £65 an hour, as the business model assumes.
    originalBudget: gbp(6_500_000),
    revisedBudget: gbp(6_500_000),
    actuals: firstHalf(380_000, 395_000, 410_000, 405_000, 398_000, 412_000),
    officerForecast: forecast(
      4_940_000,
      '76,000 commissioned hours expected against 100,000 in the business model',
      '2023-10-20T14:00:00Z',
    ),
  },
  {
    code: 'SCHINC',
    name: 'Income from schools',
    category: 'income',
    council: SHARED,
    fyStart: DEMO_BUDGET_YEAR,
    originalBudget: gbp(1_450_000),
    revisedBudget: gbp(1_450_000),
    actuals: firstHalf(410_000, 0, 0, 0, 0, 150_000),
    officerForecast: forecast(1_120_000, 'Fewer schools buying the ICT service offer', '2023-10-20T14:10:00Z'),
  },
];

/** The pay offer's budget, moved to staffing from the network and data centre line. */
export const DEMO_VIREMENT = {
  from: 'NETDC',
  to: 'STAFF',
  amount: gbp(300_000),
  reason: 'Pay offer funded from the network and data centre budget',
  at: '2023-07-12T11:00:00Z',
} as const;

/** The month before the figures, for the direction since last month: the same lines with P1 … P5 entered. */
export const DEMO_PREVIOUS_PERIODS = 5;

/** The Gemini programme, which replaces the funding model: £5.1m, benefits building to £2.67m a year, paying back in year 4. */
export const DEMO_PROGRAMME: Programme = {
  name: 'Gemini',
  totalBudget: gbp(5_100_000),
  spendToDate: gbp(1_450_000),
  startYear: 2023,
  benefits: [
    { fyStart: 2024, amount: gbp(800_000) },
    { fyStart: 2025, amount: gbp(2_670_000) },
  ],
  costPhasing: undefined,
};
