/** Roles a person holds in one partnership. Everyone in a bound conversation is a viewer. */

export const ROLES = ['admin', 'approver', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  readonly userId: string;
  readonly userName: string;
  readonly aadObjectId: string | undefined;
  readonly role: Exclude<Role, 'viewer'>;
  /** A council code when the role is held for one council only (e.g. an approver for CEC). */
  readonly council: string | undefined;
  readonly grantedBy: string;
  readonly grantedAt: string;
}

export function isRole(word: string): word is Role {
  return (ROLES as readonly string[]).includes(word);
}

/** An admin can do everything; editors and approvers each hold their own right. */
export function holdsRole(held: ReadonlySet<Role>, required: Role): boolean {
  if (required === 'viewer') return true;
  return held.has('admin') || held.has(required);
}

export function describeRole(role: Role): string {
  switch (role) {
    case 'admin':
      return 'admin (sets up the partnership and grants roles)';
    case 'approver':
      return 'approver (decides gateway items and business cases)';
    case 'editor':
      return 'editor (records KPIs, risks and budget figures)';
    case 'viewer':
      return 'viewer (reads everything in the partnership)';
  }
}
