import type { KpiOwner } from '../src/domain/kpi-assessment.js';
import type { KpiUnit, Polarity } from '../src/domain/kpi.js';
import { OFFICER } from './place.js';

/** What the benchmark's KPIs are about: the measures a shared ICT service reports, by scope. */

export const OWNERS: readonly KpiOwner[] = [
  OFFICER,
  { id: '29:1sam-finance-officer', name: 'Sam Jones', aadObjectId: 'b2f8d4c3-0002-4b7c-8d2e-22bb33cc44dd' },
  { id: '29:1jo-service-desk-lead', name: 'Jo Williams', aadObjectId: 'd4b0f6e5-0004-4d9e-8f40-44dd55ee66ff' },
  { id: '29:1priya-infrastructure-lead', name: 'Priya Shah', aadObjectId: 'c3a9e5d4-0003-4c8d-9e3f-33cc44dd55ee' },
];

export interface Stem {
  readonly name: string;
  readonly unit: KpiUnit;
  readonly polarity: Polarity;
  /** Typical value, in the unit (pence for £). */
  readonly base: number;
  readonly description: string;
}

/** 25 measures a shared ICT service reports, × 8 scopes = 200 distinct KPI names. */
export const STEMS: readonly Stem[] = [
  {
    name: 'First time fix',
    unit: '%',
    polarity: 'higher',
    base: 80,
    description: 'Service desk contacts resolved at the first contact.',
  },
  {
    name: 'Major incidents',
    unit: 'count',
    polarity: 'lower',
    base: 14,
    description: 'Priority 1 incidents in the month.',
  },
  {
    name: 'Portal channel shift',
    unit: '%',
    polarity: 'higher',
    base: 62,
    description: 'Contacts logged on the self-service portal rather than by telephone.',
  },
  {
    name: 'Calls answered in 60 seconds',
    unit: '%',
    polarity: 'higher',
    base: 85,
    description: 'Service desk calls answered within a minute.',
  },
  {
    name: 'Incidents resolved within SLA',
    unit: '%',
    polarity: 'higher',
    base: 90,
    description: 'Incidents closed within the agreed resolution time for their priority.',
  },
  {
    name: 'Days to fulfil a request',
    unit: 'days',
    polarity: 'lower',
    base: 5,
    description: 'Average working days from request to fulfilment.',
  },
  {
    name: 'Network availability',
    unit: '%',
    polarity: 'higher',
    base: 99.5,
    description: 'Core network availability in core hours.',
  },
  {
    name: 'Unplanned downtime',
    unit: 'hours',
    polarity: 'lower',
    base: 6,
    description: 'Hours of unplanned outage of tier 1 systems.',
  },
  {
    name: 'Customer satisfaction',
    unit: 'score',
    polarity: 'higher',
    base: 4.2,
    description: 'Average survey score out of 5 after a closed ticket.',
  },
  {
    name: 'Invoices paid in 30 days',
    unit: '%',
    polarity: 'higher',
    base: 95,
    description: 'Supplier invoices paid within 30 days of receipt.',
  },
  {
    name: 'Agency and overtime cost',
    unit: '£',
    polarity: 'lower',
    base: 1_500_000,
    description: 'Monthly spend on agency staff and overtime.',
  },
  {
    name: 'Open problem records',
    unit: 'count',
    polarity: 'lower',
    base: 24,
    description: 'Problem records open at month end.',
  },
  {
    name: 'Devices patched in 14 days',
    unit: '%',
    polarity: 'higher',
    base: 95,
    description: 'End-user devices with critical patches applied within 14 days.',
  },
  {
    name: 'Phishing test click rate',
    unit: '%',
    polarity: 'lower',
    base: 6,
    description: 'Share of staff who clicked the simulated phishing link.',
  },
  {
    name: 'Backup success rate',
    unit: '%',
    polarity: 'higher',
    base: 99,
    description: 'Scheduled backups completed and verified.',
  },
  {
    name: 'Sickness absence',
    unit: 'days',
    polarity: 'lower',
    base: 0.9,
    description: 'Working days lost to sickness per FTE in the month.',
  },
  {
    name: 'Projects reporting Green',
    unit: '%',
    polarity: 'higher',
    base: 70,
    description: 'Portfolio projects reporting Green at the monthly checkpoint.',
  },
  {
    name: 'Changes without incident',
    unit: '%',
    polarity: 'higher',
    base: 97,
    description: 'Changes implemented without causing an incident.',
  },
  {
    name: 'Laptops over five years old',
    unit: 'count',
    polarity: 'lower',
    base: 60,
    description: 'Laptops in use that are past their five-year life.',
  },
  {
    name: 'Licence spend',
    unit: '£',
    polarity: 'lower',
    base: 5_000_000,
    description: 'Monthly software licence spend.',
  },
  {
    name: 'Calls abandoned',
    unit: '%',
    polarity: 'lower',
    base: 8,
    description: 'Calls to the service desk abandoned before answer.',
  },
  {
    name: 'Cyber training completion',
    unit: '%',
    polarity: 'higher',
    base: 90,
    description: 'Staff who completed the annual cyber awareness course.',
  },
  {
    name: 'Time to restore a P1',
    unit: 'hours',
    polarity: 'lower',
    base: 4,
    description: 'Mean hours to restore service after a major incident.',
  },
  {
    name: 'FOI answered on time',
    unit: '%',
    polarity: 'higher',
    base: 90,
    description: 'Freedom of information requests on ICT answered within 20 working days.',
  },
  {
    name: 'Service desk backlog',
    unit: 'count',
    polarity: 'lower',
    base: 300,
    description: 'Tickets open at month end.',
  },
];

export const SCOPES: ReadonlyArray<{ label: string; council: string }> = [
  { label: 'CEC', council: 'CEC' },
  { label: 'CWAC', council: 'CWAC' },
  { label: 'shared estate', council: 'SHARED' },
  { label: 'schools', council: 'SHARED' },
  { label: 'adult social care', council: 'CEC' },
  { label: 'revenues and benefits', council: 'CWAC' },
  { label: 'highways', council: 'CEC' },
  { label: 'libraries', council: 'CWAC' },
];

export const NOTES = [
  'Dip after the service desk moved to the new portal; triage training booked for December.',
  'Two experienced analysts left in September; recruitment under way with the agency.',
  'Recovered after the October change freeze; the supplier fix is in production.',
  'Figures confirmed with the finance business partner at the monthly budget meeting.',
];
