import fc from 'fast-check';
import { cronLongestIntervalSeconds, cronScheduleProblems, cronShortestIntervalSeconds, parseGoDuration } from '../../lib/core/cron';

const SYNTAX = 'written as a value, a range a-b, a step */n, a-b/n or a/n, or a comma-separated list of these';
const MINUTE = `minute takes 0-59, ${SYNTAX}`;
const HOUR = `hour takes 0-23, ${SYNTAX}`;
const DOM = `day-of-month takes 1-31, ${SYNTAX}`;
const MONTH = `month takes 1-12 or jan-dec, ${SYNTAX}`;
const DOW = `day-of-week takes 0-6 (0 is Sunday) or sun-sat, ${SYNTAX}`;
const LWH = 'L, W and # (last, nearest weekday, nth weekday) are not part of the grammar the API server uses';
const TZ = 'schedule must not set a time zone (TZ= or CRON_TZ=): the API server refuses it on create; use the timeZone field instead';

describe('cronScheduleProblems: what robfig/cron v3 ParseStandard and the CronJob validation accept', () => {
  test.each([
    ['*/1 * * * *'], // the seeds' echo-cj
    ['0 2 * * *'],
    ['0-59 0-23 1-31 1-12 0-6'], // every bound
    ['5,10,,15 * * * *'], // empty list items are skipped
    ['1-10/3 */4 1/10 */2 1-5'],
    ['5/15 * * * *'], // N/step: N to the maximum
    ['*/100 * * * *'], // a step beyond the range gives just the start
    ['0 0 1 jan,JUL,Dec *'], // month names, any case
    ['0 0 * * MON-fri'], // day names, any case
    ['0 0 * jan-mar/2 sun'],
    ['? ? ? ? ?'], // ? is *
    ['*-5 * * * *'], // robfig reads only the first item of a "*" range
    ['+5 * * * *'], // Go's Atoi accepts a plus sign
    ['05 07 * * *'],
    ['  0   0\t* * *  '], // any white space between and around fields
    ['0\u00a00\u0085*\u3000* *'], // Go's unicode.IsSpace: no-break space, NEL, ideographic space
    ['0 0 30 2 *'], // valid, although it never runs
    ['@yearly'],
    ['@annually'],
    ['@monthly'],
    ['@weekly'],
    ['@daily'],
    ['@midnight'],
    ['@hourly'],
    ['@every 1h30m'],
    ['@every 1.5h'],
    ['@every .5s'],
    ['@every 0'],
    ['@every 500ms'],
    ['@every 1µs'],
    ['@every -5m'], // Go parses it; robfig rounds it up to one second
  ])('accepts %j', (schedule) => expect(cronScheduleProblems(schedule)).toEqual([]));

  test.each([
    ['61 * * * *', `minute "61": 61 is above the maximum 59; ${MINUTE}`],
    ['* 24 * * *', `hour "24": 24 is above the maximum 23; ${HOUR}`],
    ['* * 0 * *', `day-of-month "0": 0 is below the minimum 1; ${DOM}`],
    ['* * 32 * *', `day-of-month "32": 32 is above the maximum 31; ${DOM}`],
    ['* * * 13 *', `month "13": 13 is above the maximum 12; ${MONTH}`],
    ['* * * 0 *', `month "0": 0 is below the minimum 1; ${MONTH}`],
    ['* * * * 7', `day-of-week "7": 7 is above the maximum 6; ${DOW}`],
    ['* * * * 5-7', `day-of-week "5-7": 7 is above the maximum 6; ${DOW}`],
    ['*/0 * * * *', `minute "*/0": a step of 0 never advances: the step must be at least 1; ${MINUTE}`],
    ['* 1-5/0 * * *', `hour "1-5/0": a step of 0 never advances: the step must be at least 1; ${HOUR}`],
    ['* */-1 * * *', `hour "*/-1": step -1 is negative; ${HOUR}`],
    ['*/x * * * *', `minute "*/x": step "x" is not a number; ${MINUTE}`],
    ['*/2/3 * * * *', `minute "*/2/3": more than one '/'; ${MINUTE}`],
    ['1-2-3 * * * *', `minute "1-2-3": more than one '-'; ${MINUTE}`],
    ['10-5 * * * *', `minute "10-5": the range starts at 10, after its end 5; ${MINUTE}`],
    ['-5 * * * *', `minute "-5": "" is not a number; ${MINUTE}`],
    ['* * * foo *', `month "foo": "foo" is not a number or a name; ${MONTH}`],
    ['* * * * monday', `day-of-week "monday": "monday" is not a number or a name; ${DOW}`],
    ['* * * jan-mon *', `month "jan-mon": "mon" is not a number or a name; ${MONTH}`],
    ['* * * * jan', `day-of-week "jan": "jan" is not a number or a name; ${DOW}`],
    ['0 0 L * *', `day-of-month "L": ${LWH}; ${DOM}`],
    ['0 0 15W * *', `day-of-month "15W": ${LWH}; ${DOM}`],
    ['0 0 LW * *', `day-of-month "LW": ${LWH}; ${DOM}`],
    ['0 0 * * 5L', `day-of-week "5L": ${LWH}; ${DOW}`],
    ['0 0 * * MON#2', `day-of-week "MON#2": ${LWH}; ${DOW}`],
    ['0 0 * * 1#1', `day-of-week "1#1": ${LWH}; ${DOW}`],
    ['99999999999999999999 * * * *', `minute "99999999999999999999": "99999999999999999999" is not a number; ${MINUTE}`],
    [
      '0 0 * * * *',
      'schedule has 6 fields: give exactly five (minute hour day-of-month month day-of-week) or a descriptor such as @daily; a seconds field is not supported',
    ],
    ['* * * *', 'schedule has 4 fields: give exactly five (minute hour day-of-month month day-of-week) or a descriptor such as @daily'],
    ['\ufeff0 0 * * *', `minute "\ufeff0": "\ufeff0" is not a number; ${MINUTE}`], // a byte-order mark is not white space to Go
    [' @daily', 'schedule has 1 field: give exactly five (minute hour day-of-month month day-of-week) or a descriptor such as @daily'],
    ['', 'schedule is empty: give five fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily'],
    ['TZ=UTC 0 * * * *', TZ],
    ['CRON_TZ=Europe/Berlin @daily', TZ],
    ['TZ=UTC', TZ],
  ])('refuses %j', (schedule, message) => expect(cronScheduleProblems(schedule)).toEqual([message]));

  const UNKNOWN =
    'is unknown (descriptors are lower-case, with nothing after them): use @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration> (such as @every 1h30m)';
  const DURATION = 'give a Go duration such as 90s, 15m or 1h30m (units ns, us, ms, s, m, h)';
  test.each([
    ['@Daily', `descriptor "@Daily" ${UNKNOWN}`],
    ['@daily ', `descriptor "@daily " ${UNKNOWN}`],
    ['@reboot', `descriptor "@reboot" ${UNKNOWN}`],
    ['@every', `descriptor "@every" ${UNKNOWN}`],
    ['@every 90', `@every duration "90" has a number without a unit: ${DURATION}`],
    ['@every 1d', `@every duration "1d" has an unknown unit "d": ${DURATION}`],
    ['@every 1h ', `@every duration "1h " has an unknown unit "h ": ${DURATION}`],
    ['@every ', `@every duration "" is empty: ${DURATION}`],
    ['@every .h', `@every duration ".h" is not a number followed by a unit: ${DURATION}`],
    ['@every 3000000h', `@every duration "3000000h" is too long (over about 292 years): ${DURATION}`],
  ])('refuses the descriptor %j', (schedule, message) => expect(cronScheduleProblems(schedule)).toEqual([message]));

  test('lists every wrong field, not just the first', () => {
    expect(cronScheduleProblems('60 24 0 13 7')).toEqual([
      `minute "60": 60 is above the maximum 59; ${MINUTE}`,
      `hour "24": 24 is above the maximum 23; ${HOUR}`,
      `day-of-month "0": 0 is below the minimum 1; ${DOM}`,
      `month "13": 13 is above the maximum 12; ${MONTH}`,
      `day-of-week "7": 7 is above the maximum 6; ${DOW}`,
    ]);
    expect(cronScheduleProblems('1,61,2,70 * * * *')).toEqual([
      `minute "61": 61 is above the maximum 59; ${MINUTE}`,
      `minute "70": 70 is above the maximum 59; ${MINUTE}`,
    ]);
  });

  test('refuses TZ anywhere, as the API server does on create, and still checks the fields', () => {
    expect(cronScheduleProblems('TZ=UTC 61 * * * *')).toEqual([TZ, `minute "61": 61 is above the maximum 59; ${MINUTE}`]);
    expect(cronScheduleProblems('0 TZ * * *')).toEqual([TZ, `hour "TZ": "TZ" is not a number; ${HOUR}`]);
  });

  test('fails cleanly, without a TypeError, on a non-string from plain JavaScript', () => {
    expect(cronScheduleProblems(5 as unknown as string)).toEqual(['schedule must be a string, got number']);
    expect(cronScheduleProblems(undefined as unknown as string)).toEqual(['schedule must be a string, got undefined']);
  });
});

describe('parseGoDuration: time.ParseDuration', () => {
  test.each([
    ['0', 0n],
    ['1h30m', 5_400_000_000_000n],
    ['1.5h', 5_400_000_000_000n],
    ['-1.5h', -5_400_000_000_000n],
    ['+2s', 2_000_000_000n],
    ['1h1m1s1ms1us1ns', 3_661_001_001_001n],
    ['1μs', 1_000n],
    ['2562047h47m16.854775807s', 9_223_372_036_854_775_807n],
  ])('%s is %s ns', (text, nanos) => expect(parseGoDuration(text)).toBe(nanos));
  test.each([
    ['', 'is empty'],
    ['-', 'is empty'],
    ['1', 'has a number without a unit'],
    ['1hh', 'has an unknown unit "hh"'],
    ['2562047h47m16.854775808s', 'is too long (over about 292 years)'],
  ])('refuses %j', (text, message) => expect(parseGoDuration(text)).toBe(message));
});

describe('cronLongestIntervalSeconds', () => {
  const MIN = 60;
  const HOUR_S = 3600;
  const DAY = 86400;
  test.each([
    ['*/1 * * * *', MIN],
    ['*/15 * * * *', 15 * MIN],
    ['*/25 * * * *', 25 * MIN], // 0, 25, 50, then 0 again after 10 minutes
    ['5/15 * * * *', 15 * MIN], // 5, 20, 35, 50, then 05 after 15 minutes
    ['0 9-17 * * *', 16 * HOUR_S], // 17:00 to 09:00
    ['0 0 * * *', DAY],
    ['@daily', DAY],
    ['@hourly', HOUR_S],
    ['@weekly', 7 * DAY],
    ['0 0 * * mon-fri', 3 * DAY], // Friday to Monday
    ['@monthly', 31 * DAY],
    ['@yearly', 366 * DAY],
    ['0 0 1 jan,jul *', 184 * DAY], // July to January
    ['0 0 29 2 *', 2921 * DAY], // 2096 to 2104: 2100 is no leap year
    ['0 9 1 * 1', 7 * DAY], // both day fields restricted: either matches
    ['0 9 1 * *', 31 * DAY],
    ['0 9 */1 * 1', 7 * DAY], // */1 keeps the star: both must match
    ['0 9 */2 * 1', 2 * DAY], // */2 clears it: the 1st, 3rd, ... or a Monday
    ['@every 1h30m', 5400],
    ['@every 1500ms', 1], // whole seconds, truncated
    ['@every 10ms', 1], // at least a second
  ])('%s: %d s', (schedule, seconds) => expect(cronLongestIntervalSeconds(schedule)).toBe(seconds));

  test('undefined for a schedule that never runs or is invalid', () => {
    expect(cronLongestIntervalSeconds('0 0 30 2 *')).toBeUndefined();
    expect(cronLongestIntervalSeconds('0 0 31 4,6,9,11 *')).toBeUndefined();
    expect(cronLongestIntervalSeconds(', * * * *')).toBeUndefined();
    expect(cronLongestIntervalSeconds('61 * * * *')).toBeUndefined();
  });
});

describe('cronShortestIntervalSeconds', () => {
  const MIN = 60;
  const HOUR_S = 3600;
  const DAY = 86400;
  test.each([
    ['*/1 * * * *', MIN],
    ['*/25 * * * *', 10 * MIN], // 50 to the next hour's 0
    ['0,50 * * * *', 10 * MIN],
    ['0 9-17 * * *', HOUR_S],
    ['0 9,17 * * *', 8 * HOUR_S],
    ['@daily', DAY],
    ['0 0 * * mon-fri', DAY],
    ['0 23 * * 1,2', DAY], // Monday 23:00 to Tuesday 23:00
    ['30 23 * * 1', 7 * DAY],
    ['@monthly', 28 * DAY], // February, in a year that is not a leap year
    ['0 0 1 jan,jul *', 181 * DAY], // January to July
    ['0 0 29 2 *', 4 * 366 * DAY - 3 * DAY], // four years apart, one of them a leap year
    ['0 9 */2 * 1', DAY], // a Monday the day before an odd day
    ['@every 1h30m', 5400],
  ])('%s: %d s', (schedule, seconds) => expect(cronShortestIntervalSeconds(schedule)).toBe(seconds));

  test('undefined for a schedule that never runs or is invalid', () => {
    expect(cronShortestIntervalSeconds('0 0 30 2 *')).toBeUndefined();
    expect(cronShortestIntervalSeconds('*/0 * * * *')).toBeUndefined();
  });
});

describe('cronLongestIntervalSeconds against a reference on JavaScript dates', () => {
  /** The longest gap by walking every day of the 400-year cycle with Date, robfig's day rule, and the day's times. */
  function reference(minutes: number[], hours: number[], dom: number[] | '*', months: number[] | '*', dow: number[] | '*'): number | undefined {
    const times = hours.flatMap((h) => minutes.map((m) => (h * 60 + m) * 60)).sort((a, b) => a - b);
    const runs: number[] = [];
    const start = Date.UTC(2000, 0, 1);
    for (let t = start; t < Date.UTC(2400, 0, 1); t += 86_400_000) {
      const d = new Date(t);
      if (months !== '*' && !months.includes(d.getUTCMonth() + 1)) continue;
      const domMatch = dom === '*' || dom.includes(d.getUTCDate());
      const dowMatch = dow === '*' || dow.includes(d.getUTCDay());
      if (dom === '*' || dow === '*' ? domMatch && dowMatch : domMatch || dowMatch) runs.push((t - start) / 1000);
    }
    if (runs.length === 0) return undefined;
    let longest = 0;
    for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
    const cycle = (Date.UTC(2400, 0, 1) - start) / 1000;
    for (let i = 0; i < runs.length; i++) {
      const next = i + 1 < runs.length ? runs[i + 1] : runs[0] + cycle;
      longest = Math.max(longest, next - runs[i] - times[times.length - 1] + times[0]);
    }
    return longest;
  }
  const list = (xs: number[] | '*') => (xs === '*' ? '*' : xs.join(','));

  test.each([
    [[0], [6], '*', '*', [1, 2, 3, 4, 5]],
    [[30], [2], [29], [2], '*'],
    [[0, 30], [9, 17], [1, 15], '*', [0]],
    [[5], [23], [31], [1, 3, 5, 7, 8, 10, 12], '*'],
    [[0], [0], [13], '*', [5]], // Friday the 13th, or either
    [[0], [12], '*', [2], [1]],
    [[15], [3, 4], [30, 31], [4, 6, 9, 11], [6]],
  ] as const)('%j %j %j %j %j', (minutes, hours, dom, months, dow) => {
    const schedule = `${list([...minutes])} ${list([...hours])} ${list(dom === '*' ? '*' : [...dom])} ${list(months === '*' ? '*' : [...months])} ${list(dow === '*' ? '*' : [...dow])}`;
    expect(cronLongestIntervalSeconds(schedule)).toBe(
      reference([...minutes], [...hours], dom === '*' ? '*' : [...dom], months === '*' ? '*' : [...months], dow === '*' ? '*' : [...dow]),
    );
  });

  test('agrees on random schedules (seeded)', () => {
    const subset = (min: number, max: number) => fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 3 }).map((xs) => xs.sort((a, b) => a - b));
    const field = (min: number, max: number) => fc.oneof(fc.constant<'*'>('*'), subset(min, max));
    fc.assert(
      fc.property(subset(0, 59), subset(0, 23), field(1, 31), field(1, 12), field(0, 6), (minutes, hours, dom, months, dow) => {
        const schedule = `${list(minutes)} ${list(hours)} ${list(dom)} ${list(months)} ${list(dow)}`;
        expect([schedule, cronLongestIntervalSeconds(schedule)]).toEqual([schedule, reference(minutes, hours, dom, months, dow)]);
      }),
      { numRuns: 8, seed: 20261202 },
    );
  });
});
