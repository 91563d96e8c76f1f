/** One typed data shape per card template in the top-level cards/ folder. */

export type Tone = 'default' | 'good' | 'attention' | 'warning' | 'accent';

export interface Fact {
  readonly title: string;
  readonly value: string;
}

export interface HelpData {
  readonly areas: ReadonlyArray<{ area: string; commands: ReadonlyArray<{ usage: string; summary: string }> }>;
}

export interface CommandHelpData {
  readonly title: string;
  /** What was wrong with what was typed, when this card answers a mistake. */
  readonly problem?: string;
  readonly summary: string;
  readonly entries: ReadonlyArray<{ usage: string; summary: string; details?: string }>;
  readonly examples: readonly string[];
}

export interface DidYouMeanData {
  readonly typed: string;
  readonly suggestions: ReadonlyArray<{ command: string; summary: string }>;
}

export interface NoticeData {
  readonly tone: Tone;
  readonly title: string;
  readonly message: string;
  readonly facts?: readonly Fact[];
  readonly hint?: string;
}

export interface WelcomeData {
  readonly bound: boolean;
  readonly partnershipName?: string;
}

export interface SetupShowData {
  readonly name: string;
  readonly councils: ReadonlyArray<{ code: string; share: string }>;
  readonly conversations: ReadonlyArray<{ label: string; kind: string }>;
  readonly committeeChannels: ReadonlyArray<{ label: string }>;
  readonly hasCommitteeChannels: boolean;
  readonly here: string;
  readonly yourRoles: string;
  readonly admins: string;
}

export interface RoleListData {
  readonly partnershipName: string;
  readonly grants: ReadonlyArray<{ name: string; role: string; council: string; since: string }>;
  readonly hasGrants: boolean;
}

export interface AuditData {
  readonly partnershipName: string;
  readonly entries: ReadonlyArray<{ when: string; who: string; command: string; change: string }>;
  readonly hasEntries: boolean;
}

export interface KpiRowData {
  readonly code: string;
  readonly name: string;
  readonly value: string;
  readonly target: string;
  readonly status: string;
  readonly color: 'good' | 'warning' | 'attention' | 'default';
  readonly trend: string;
  readonly sparkline: string;
  readonly period: string;
}

export interface KpiSummaryData {
  readonly title: string;
  readonly subtitle: string;
  readonly counts: { green: number; amber: number; red: number; noData: number; total: number };
  readonly rows: readonly KpiRowData[];
  readonly hasRows: boolean;
  readonly emptyMessage: string;
  /** Which rows this page shows (`21–40`) of how many, when there is more than one page. */
  readonly range?: string;
  readonly total?: number;
  readonly more?: { filter: string; council: string; offset: number };
}

export interface KpiDetailData {
  readonly code: string;
  readonly name: string;
  readonly description: string;
  readonly facts: readonly Fact[];
  readonly status: string;
  readonly color: 'good' | 'warning' | 'attention' | 'default';
  readonly latest: string;
  readonly sparkline: string;
  readonly commentary: string;
  readonly lastYear: string;
  readonly readings: ReadonlyArray<{ period: string; value: string; status: string; color: string; by: string }>;
  readonly hasReadings: boolean;
}

export interface KpiFormData {
  readonly errors: readonly string[];
  readonly hasErrors: boolean;
  readonly values: Record<string, string>;
  readonly councilChoices: ReadonlyArray<{ title: string; value: string }>;
}

export interface CardCatalogue {
  help: HelpData;
  'command-help': CommandHelpData;
  'did-you-mean': DidYouMeanData;
  notice: NoticeData;
  welcome: WelcomeData;
  'setup-show': SetupShowData;
  'role-list': RoleListData;
  audit: AuditData;
  'kpi-summary': KpiSummaryData;
  'kpi-detail': KpiDetailData;
  'kpi-form': KpiFormData;
}

export type CardName = keyof CardCatalogue;
export type CardData<N extends CardName> = CardCatalogue[N];
