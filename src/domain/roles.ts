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

/** What one person may do in one partnership: their grants, each for one council or for all. */
export class Access {
  constructor(
    private readonly grants: ReadonlyArray<Pick<RoleGrant, 'role' | 'council'>>,
    private readonly bootstrapAdmin = false,
  ) {}

  /**
   * An admin may do everything and everyone linked is a viewer. Otherwise the role must be held for
   * every council, or for `council` when one is named; with none named, any grant of the role will do.
   */
  holds(role: Role, council?: string): boolean {
    if (role === 'viewer' || this.bootstrapAdmin) return true;
    return this.grants.some(
      (g) =>
        g.role === 'admin' ||
        (g.role === role && (council === undefined || g.council === undefined || g.council === council)),
    );
  }

  /**
   * Editors for every council may change any item; an editor for one council, that council's
   * items only; items shared by every council need an editor for every council.
   */
  mayEdit(council: string): boolean {
    return this.holds('editor', council);
  }

  /** The roles held, for showing: `admin`, `approver for CEC`, or `viewer`. */
  describe(): string {
    const shown = this.grants.map((g) => (g.council ? `${g.role} for ${g.council}` : g.role));
    if (this.bootstrapAdmin && !this.grants.some((g) => g.role === 'admin')) shown.unshift('admin');
    return shown.length > 0 ? [...new Set(shown)].join(', ') : 'viewer';
  }
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
