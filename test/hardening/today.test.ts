import fs from 'node:fs';
import path from 'node:path';
import { EXAMPLE, EXAMPLE_CUSTOMER, srq, tempDir } from '../helpers/cli';
import { pdfText } from '../helpers/pdf';
import { isCalendarDay, localDay, today } from '../../src/today';

/**
 * One "today" for every command: the local calendar day (src/today.ts). Run near midnight UTC
 * under time zones 25 hours apart, `review` stamps and `status` reports the same day, the one on
 * the user's clock; a customer document takes no date from it at all (same inputs, same bytes).
 * The expected days are written by hand.
 */

const CASES: { tz: string; now: string; day: string; long: string }[] = [
  // UTC+14: already the next day.
  {
    tz: 'Pacific/Kiritimati',
    now: '2026-11-22T23:30:00Z',
    day: '2026-11-23',
    long: '23 November 2026',
  },
  // UTC-11: still the same day.
  {
    tz: 'Pacific/Pago_Pago',
    now: '2026-11-22T23:30:00Z',
    day: '2026-11-22',
    long: '22 November 2026',
  },
  // UTC-11 just after midnight UTC: the day before.
  {
    tz: 'Pacific/Pago_Pago',
    now: '2026-11-23T00:30:00Z',
    day: '2026-11-22',
    long: '22 November 2026',
  },
  { tz: 'UTC', now: '2026-11-23T00:30:00Z', day: '2026-11-23', long: '23 November 2026' },
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe.each(CASES)('TZ=$tz at $now: today is $day', ({ tz, now, day, long }) => {
  let dir: string;
  const env = { TZ: tz, SRQ_NOW: now };
  beforeAll(() => {
    dir = tempDir('srq-today-');
    dirs.push(dir);
    fs.copyFileSync(EXAMPLE, path.join(dir, 'example-cloud.yaml'));
    fs.copyFileSync(EXAMPLE_CUSTOMER, path.join(dir, 'example-customer.yaml'));
  });

  test('status reports it', () => {
    const r = srq(['status', 'example-cloud.yaml', '--json'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { today: string }).today).toBe(day);
  });

  test('a customer document is not dated with it: the same bytes as on another day', () => {
    const r = srq(['build', 'example-customer.yaml', '-o', 'customer.pdf'], { cwd: dir, env });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const other = srq(['build', 'example-customer.yaml', '-o', 'other.pdf'], {
      cwd: dir,
      env: { TZ: 'UTC', SRQ_NOW: '2031-07-04T12:00:00Z' },
    });
    expect(other.code).toBe(0);
    const pdf = fs.readFileSync(path.join(dir, 'customer.pdf'));
    expect(pdf.equals(fs.readFileSync(path.join(dir, 'other.pdf')))).toBe(true);
    const text = pdfText(pdf).text;
    expect(text).not.toContain(long);
    // The provider statement's issue date (document.issued: 2026-11-02) dates it.
    expect(text).toContain('Date: 2 November 2026');
  });

  test('review --yes stamps it as the issue date (after the others read the file)', () => {
    const r = srq(['review', 'example-cloud.yaml', '--yes'], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`issued ${day}`);
    expect(fs.readFileSync(path.join(dir, 'example-cloud.yaml'), 'utf8')).toMatch(
      new RegExp(`^ {2}issued: ${day}$`, 'm'),
    );
  });
});

describe('src/today.ts', () => {
  test('localDay is the local calendar day; an override must be a real day', () => {
    expect(localDay(new Date(2026, 10, 22, 23, 59))).toBe('2026-11-22');
    expect(today(new Date(2026, 0, 1), '2027-02-28')).toBe('2027-02-28');
    expect(() => today(new Date(), '2027-02-29')).toThrow(/write it as YYYY-MM-DD/);
    expect(() => today(new Date(), 'tomorrow')).toThrow(RangeError);
  });

  test('years 0001-0099 are real calendar days, 29 February only in leap years', () => {
    expect(isCalendarDay('0099-12-31')).toBe(true);
    expect(isCalendarDay('0001-01-01')).toBe(true);
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2100-02-29')).toBe(false);
    expect(isCalendarDay('2026-13-01')).toBe(false);
  });
});
