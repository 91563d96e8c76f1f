import { describe, expect, it } from 'vitest';
import { auditLines, figure, money, showValue } from '../../src/commands/audit-trail.js';

describe('values in the audit', () => {
  it('show money and figures as the cards show them, thousands and all', () => {
    expect(showValue(money(84_500_000))).toBe('£845,000');
    expect(showValue(figure(7900, 'hours'))).toBe('7,900 hours');
    expect(showValue(figure(72.5, '%'))).toBe('72.5%');
  });

  it('keep quotes, braces and colons in text as typed', () => {
    expect(showValue('Sam said "fixed" {phase 2}: done')).toBe('Sam said "fixed" {phase 2}: done');
  });

  it('show a long text up to 300 characters, and say where it was cut', () => {
    expect(showValue('a'.repeat(300))).toBe('a'.repeat(300));
    const cut = showValue('b'.repeat(400));
    expect(cut).toHaveLength(300);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('show an entry written before values were typed as it was stored, nothing stripped', () => {
    expect(showValue({ value: '£845,000', commentary: 'a "b"' })).toBe('value: £845,000; commentary: a "b"');
  });
});

describe('an audit entry, field by field', () => {
  it('lists every field of what was added or removed', () => {
    expect(auditLines(null, { value: figure(3, 'count'), commentary: '' })).toEqual({
      what: 'added',
      lines: [
        { field: 'value', change: '3' },
        { field: 'commentary', change: '—' },
      ],
    });
    expect(auditLines({ name: 'First time fix' }, null).what).toBe('removed');
  });

  it('lists only the fields a change changed, before and after', () => {
    expect(
      auditLines(
        { name: 'First time fix', target: figure(80, '%') },
        { name: 'First time fix', target: figure(85, '%') },
      ),
    ).toEqual({ what: 'changed', lines: [{ field: 'target', change: '80% → 85%' }] });
  });
});
