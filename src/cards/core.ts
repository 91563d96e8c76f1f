import { defineCard } from './define.js';

/** Cards every family uses, and those of help, setup, roles and the audit trail. */

export type Tone = 'default' | 'good' | 'attention' | 'warning' | 'accent';

export interface Fact {
  readonly title: string;
  readonly value: string;
}

export interface NoticeData {
  readonly tone: Tone;
  readonly title: string;
  readonly message: string;
  readonly facts?: readonly Fact[];
  readonly hint?: string;
}
export const noticeCard = defineCard<NoticeData>('notice');

export interface HelpData {
  readonly areas: ReadonlyArray<{
    area: string;
    families: ReadonlyArray<{ words: string; summary: string; commands: string }>;
  }>;
}
export const helpCard = defineCard<HelpData>('help');

export interface CommandHelpData {
  readonly title: string;
  /** What was wrong with what was typed, when this card answers a mistake: every problem found. */
  readonly problems: readonly string[];
  readonly hasProblems: boolean;
  readonly summary: string;
  readonly entries: ReadonlyArray<{ usage: string; summary: string; details?: string }>;
  readonly examples: readonly string[];
}
export const commandHelpCard = defineCard<CommandHelpData>('command-help');

export interface DidYouMeanData {
  readonly typed: string;
  readonly suggestions: ReadonlyArray<{ command: string; summary: string }>;
}
export const didYouMeanCard = defineCard<DidYouMeanData>('did-you-mean');

export interface WelcomeData {
  readonly bound: boolean;
  readonly partnershipName?: string;
  /** How a command starts here: `` in a personal chat, `@Governance Bot ` where Teams passes only mentions. */
  readonly prefix: string;
  /** `type` or `mention me and type`. */
  readonly ask: string;
  /** How to grant roles from here. */
  readonly roles: string;
  /** One line on how to talk to the bot here. */
  readonly how: string;
}
export const welcomeCard = defineCard<WelcomeData>('welcome');

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
export const setupShowCard = defineCard<SetupShowData>('setup-show');

export interface RoleListData {
  readonly partnershipName: string;
  readonly grants: ReadonlyArray<{ name: string; role: string; council: string; since: string }>;
  readonly hasGrants: boolean;
}
export const roleListCard = defineCard<RoleListData>('role-list');

export interface AuditData {
  readonly partnershipName: string;
  readonly entries: ReadonlyArray<{
    when: string;
    who: string;
    command: string;
    /** What and how: `kpi FTF changed`, `kpi MI 2026-09 added`. */
    change: string;
    /** Field by field: `target 2026/27` `≥ 80% → ≥ 85%`. */
    fields: ReadonlyArray<{ field: string; change: string }>;
  }>;
  readonly hasEntries: boolean;
}
export const auditCard = defineCard<AuditData>('audit');

export interface LinesData {
  readonly title: string;
  /** How many lines were done and how many not. */
  readonly summary: string;
  readonly lines: ReadonlyArray<{
    readonly number: string;
    readonly command: string;
    /** `Done` or `Not done`, in words. */
    readonly status: string;
    readonly outcome: string;
    readonly detail: string;
  }>;
}
/** The one answer to a message of several commands: each line with what came of it. */
export const linesCard = defineCard<LinesData>('lines');
