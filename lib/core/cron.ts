/**
 * The CronJob `schedule` grammar exactly as the API server checks it: Kubernetes validates with
 * robfig/cron v3 `ParseStandard` (five fields or a descriptor) and, on create, refuses any
 * schedule containing `TZ` (the `timeZone` field replaced `TZ=`/`CRON_TZ=` prefixes, 1.25+).
 * Written here rather than taken from an npm cron library because none of them matches that
 * grammar: they accept seconds fields, `L`/`W`/`#`, or day-of-week 7, which the API server refuses.
 */

/** The five fields of a standard schedule, in order, as named in messages. */
export const CRON_FIELDS = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'] as const;
export type CronField = (typeof CRON_FIELDS)[number];

interface FieldBounds {
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
  /** What is valid, in words. */
  readonly valid: string;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const BOUNDS: Readonly<Record<CronField, FieldBounds>> = {
  minute: { min: 0, max: 59, valid: '0-59' },
  hour: { min: 0, max: 23, valid: '0-23' },
  'day-of-month': { min: 1, max: 31, valid: '1-31' },
  month: { min: 1, max: 12, names: Object.fromEntries(MONTH_NAMES.map((n, i) => [n, i + 1])), valid: '1-12 or jan-dec' },
  'day-of-week': { min: 0, max: 6, names: Object.fromEntries(DAY_NAMES.map((n, i) => [n, i])), valid: '0-6 (0 is Sunday) or sun-sat' },
};

/**
 * Go's strings.Fields splits on unicode.IsSpace: JavaScript's `\s` without U+FEFF and with U+0085
 * (NEL), so a byte-order mark is part of a field and a NEL separates fields, as on the API server.
 */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

const SYNTAX = 'a value, a range a-b, a step */n, a-b/n or a/n, or a comma-separated list of these';

/** The descriptors robfig/cron accepts, as the five-field schedule each stands for. */
const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const EVERY = '@every ';
const DESCRIPTOR_LIST = '@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly or @every <duration> (such as @every 1h30m)';

/** One field's matching values, and whether it was written with `*` or `?` (robfig's star bit). */
interface FieldSet {
  readonly values: ReadonlySet<number>;
  readonly star: boolean;
}

type Parsed = { readonly kind: 'every'; readonly seconds: number } | { readonly kind: 'fields'; readonly fields: Readonly<Record<CronField, FieldSet>> };

/**
 * Problems with a CronJob schedule, each naming the field that is wrong and what is valid; empty
 * when the API server would accept it.
 */
export function cronScheduleProblems(schedule: string): string[] {
  return parse(schedule).problems;
}

/**
 * The longest time between two consecutive runs of a valid schedule, in seconds, on the schedule's
 * own wall clock (a daylight-saving change in the CronJob's `timeZone` can stretch one interval by
 * an hour). Computed over the 400-year Gregorian cycle, so `0 0 29 2 *` gives the eight years
 * around a skipped century leap day. `undefined` when the schedule is invalid or never runs
 * (`0 0 30 2 *`).
 */
export function cronLongestIntervalSeconds(schedule: string): number | undefined {
  return intervals(schedule)?.longest;
}

/**
 * The shortest time between two consecutive runs of a valid schedule, in seconds, on its own wall
 * clock (every 15 minutes: 900; `0 6 * * mon-fri`: 86400, Monday to Tuesday). `undefined` when the schedule is invalid
 * or never runs.
 */
export function cronShortestIntervalSeconds(schedule: string): number | undefined {
  return intervals(schedule)?.shortest;
}

/**
 * Walking the 400-year cycle costs milliseconds per schedule, and an app repeats a few schedules
 * across many ScheduledJobs and alerts: results are kept per schedule string (bounded).
 */
const intervalCache = new Map<string, Gaps | undefined>();
const INTERVAL_CACHE_MAX = 1000;

function intervals(schedule: string): Gaps | undefined {
  if (intervalCache.has(schedule)) return intervalCache.get(schedule);
  const { parsed, problems } = parse(schedule);
  const result =
    problems.length > 0 || parsed === undefined
      ? undefined
      : parsed.kind === 'every'
        ? { shortest: parsed.seconds, longest: parsed.seconds }
        : gaps(parsed.fields);
  if (intervalCache.size >= INTERVAL_CACHE_MAX) intervalCache.clear();
  intervalCache.set(schedule, result);
  return result;
}

function parse(input: unknown): { parsed?: Parsed; problems: string[] } {
  if (typeof input !== 'string') return { problems: [`schedule must be a string, got ${typeof input}`] };
  if (input.length === 0) return { problems: [`schedule is empty: give five fields (${CRON_FIELDS.join(' ')}) or a descriptor such as @daily`] };
  const problems: string[] = [];
  let spec = input;
  if (input.includes('TZ')) {
    problems.push('schedule must not set a time zone (TZ= or CRON_TZ=): the API server refuses it on create; use the timeZone field instead');
    // robfig strips a leading TZ=<zone> before parsing the rest; check the rest as it would.
    if (/^(CRON_)?TZ=/.test(input)) {
      const space = input.indexOf(' ');
      if (space < 0) return { problems };
      spec = input.slice(space).trim();
    }
  }
  if (spec.startsWith('@')) {
    const parsed = parseDescriptor(spec, problems);
    return { parsed, problems };
  }
  const parts = spec.split(GO_SPACE).filter((p) => p.length > 0);
  if (parts.length !== 5) {
    const seconds = parts.length === 6 ? '; a seconds field is not supported' : '';
    problems.push(
      `schedule has ${parts.length} field${parts.length === 1 ? '' : 's'}: give exactly five (${CRON_FIELDS.join(' ')}) or a descriptor such as @daily${seconds}`,
    );
    return { problems };
  }
  const fields = {} as Record<CronField, FieldSet>;
  CRON_FIELDS.forEach((name, i) => {
    const set = parseField(name, parts[i], problems);
    if (set) fields[name] = set;
  });
  return problems.length > 0 ? { problems } : { parsed: { kind: 'fields', fields }, problems };
}

function parseDescriptor(spec: string, problems: string[]): Parsed | undefined {
  if (Object.prototype.hasOwnProperty.call(DESCRIPTORS, spec)) return parse(DESCRIPTORS[spec]).parsed;
  if (spec.startsWith(EVERY)) {
    const text = spec.slice(EVERY.length);
    const nanos = parseGoDuration(text);
    if (typeof nanos === 'string') {
      problems.push(`@every duration ${JSON.stringify(text)} ${nanos}: give a Go duration such as 90s, 15m or 1h30m (units ns, us, ms, s, m, h)`);
      return undefined;
    }
    // robfig's Every(): under a second becomes one second; the rest is truncated to whole seconds.
    const seconds = nanos < 1_000_000_000n ? 1 : Number(nanos / 1_000_000_000n);
    return { kind: 'every', seconds };
  }
  problems.push(`descriptor ${JSON.stringify(spec)} is unknown (descriptors are lower-case, with nothing after them): use ${DESCRIPTOR_LIST}`);
  return undefined;
}

function parseField(name: CronField, text: string, problems: string[]): FieldSet | undefined {
  const bounds = BOUNDS[name];
  const values = new Set<number>();
  let star = false;
  let ok = true;
  // Go's strings.FieldsFunc on ',': empty list items are skipped, not errors.
  for (const expr of text.split(',').filter((e) => e.length > 0)) {
    const result = parseRange(bounds, expr);
    if (typeof result === 'string') {
      problems.push(`${name} ${JSON.stringify(expr)}: ${result}; ${name} takes ${bounds.valid}, written as ${SYNTAX}`);
      ok = false;
      continue;
    }
    for (let v = result.start; v <= result.end; v += result.step) values.add(v);
    star = star || result.star;
  }
  return ok ? { values, star } : undefined;
}

function parseRange(bounds: FieldBounds, expr: string): { start: number; end: number; step: number; star: boolean } | string {
  const result = parseRangeParts(bounds, expr);
  // Quartz-style L, W and # are common in examples found online; say so instead of "not a number".
  if (typeof result === 'string' && (expr.includes('#') || expr.split(/[-/]/).some((t) => /^([0-9]*[LW]|LW)$/i.test(t)))) {
    return 'L, W and # (last, nearest weekday, nth weekday) are not part of the grammar the API server uses';
  }
  return result;
}

function parseRangeParts(bounds: FieldBounds, expr: string): { start: number; end: number; step: number; star: boolean } | string {
  const rangeAndStep = expr.split('/');
  if (rangeAndStep.length > 2) return "more than one '/'";
  const lowAndHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  let star = false;
  // robfig checks only the first item for * or ?, so "*-5" is read as "*".
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
    star = true;
  } else {
    if (lowAndHigh.length > 2) return "more than one '-'";
    const low = intOrName(lowAndHigh[0], bounds);
    if (typeof low === 'string') return low;
    start = low;
    end = low;
    if (lowAndHigh.length === 2) {
      const high = intOrName(lowAndHigh[1], bounds);
      if (typeof high === 'string') return high;
      end = high;
    }
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const parsed = goAtoi(rangeAndStep[1]);
    if (parsed === undefined) return `step ${JSON.stringify(rangeAndStep[1])} is not a number`;
    if (parsed < 0) return `step ${parsed} is negative`;
    step = parsed;
    // "N/step" means N to the maximum.
    if (lowAndHigh.length === 1) end = bounds.max;
    // A real step clears the star: "*/2" restricts the day fields, "*/1" does not.
    if (step > 1) star = false;
  }
  if (start < bounds.min) return `${start} is below the minimum ${bounds.min}`;
  if (end > bounds.max) return `${end} is above the maximum ${bounds.max}`;
  if (start > end) return `the range starts at ${start}, after its end ${end}`;
  if (step === 0) return 'a step of 0 never advances: the step must be at least 1';
  return { start, end, step, star };
}

function intOrName(text: string, bounds: FieldBounds): number | string {
  const named = bounds.names?.[text.toLowerCase()];
  if (named !== undefined && Object.prototype.hasOwnProperty.call(bounds.names, text.toLowerCase())) return named;
  const n = goAtoi(text);
  if (n === undefined) return `${JSON.stringify(text)} is not a number${bounds.names ? ' or a name' : ''}`;
  if (n < 0) return `${n} is negative`;
  return n;
}

/** Go's strconv.Atoi: optional sign, ASCII digits only, within int64. */
function goAtoi(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const big = BigInt(text);
  if (big > 9223372036854775807n || big < -9223372036854775808n) return undefined;
  // Anything beyond 2^53 is out of every field's range anyway; clamp keeps comparisons right.
  return Number(big);
}

const UNIT_NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign
  μs: 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_INT64 = 9223372036854775807n;

/**
 * Go's time.ParseDuration, in nanoseconds, or what is wrong. Grammar: an optional sign, then one
 * or more decimal numbers each with a unit (`1h30m`, `1.5h`, `.5s`); `0` alone needs no unit.
 */
export function parseGoDuration(text: string): bigint | string {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return 'is empty';
  let total = 0n;
  while (s !== '') {
    const m = /^([0-9]*)(\.([0-9]*))?/.exec(s)!;
    const whole = m[1];
    const fraction = m[3] ?? '';
    if (whole === '' && fraction === '') return 'is not a number followed by a unit';
    s = s.slice(m[0].length);
    const unitMatch = /^[^0-9.]*/.exec(s)!;
    const unit = unitMatch[0];
    if (unit === '') return `has a number without a unit`;
    const nanos = UNIT_NANOS[unit];
    if (nanos === undefined || !Object.prototype.hasOwnProperty.call(UNIT_NANOS, unit)) return `has an unknown unit ${JSON.stringify(unit)}`;
    s = s.slice(unit.length);
    let value = BigInt(whole || '0') * nanos;
    if (fraction !== '') value += (BigInt(fraction) * nanos) / 10n ** BigInt(fraction.length);
    total += value;
    if (total > MAX_INT64 + 1n) return 'is too long (over about 292 years)';
  }
  if (!negative && total > MAX_INT64) return 'is too long (over about 292 years)';
  return negative ? -total : total;
}

/** Days in the 400-year Gregorian cycle, a whole number of weeks, after which the calendar repeats. */
const CYCLE_DAYS = 146_097;

interface Gaps {
  readonly shortest: number;
  readonly longest: number;
}

function gaps(fields: Readonly<Record<CronField, FieldSet>>): Gaps | undefined {
  const minutes = [...fields.minute.values].sort((a, b) => a - b);
  const hours = [...fields.hour.values].sort((a, b) => a - b);
  const times = hours.flatMap((h) => minutes.map((m) => (h * 60 + m) * 60));
  if (times.length === 0) return undefined;
  let longest = 0;
  let shortest = Infinity;
  for (let i = 1; i < times.length; i++) {
    longest = Math.max(longest, times[i] - times[i - 1]);
    shortest = Math.min(shortest, times[i] - times[i - 1]);
  }
  // dayGap grows with the number of days, so the fewest days between matching days gives the shortest.
  let fewestDays = Infinity;

  const dom = fields['day-of-month'];
  const dow = fields['day-of-week'];
  const inDom = membership(dom.values, 32);
  const inDow = membership(dow.values, 7);
  const inMonth = membership(fields.month.values, 13);
  // robfig: when either day field is a star both must match, otherwise either may.
  const and = dom.star || dow.star;
  let first: number | undefined;
  let previous: number | undefined;
  let day = 0;
  let weekday = 6; // 2000-01-01 was a Saturday
  for (let year = 2000; year < 2400; year++) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    for (let month = 1; month <= 12; month++) {
      const length = month === 2 ? (leap ? 29 : 28) : MONTH_DAYS[month];
      if (!inMonth[month]) {
        day += length;
        weekday = (weekday + length) % 7;
        continue;
      }
      for (let d = 1; d <= length; d++, day++, weekday = weekday === 6 ? 0 : weekday + 1) {
        const match = and ? inDom[d] && inDow[weekday] : inDom[d] || inDow[weekday];
        if (!match) continue;
        if (previous !== undefined) {
          longest = Math.max(longest, dayGap(day - previous, times));
          fewestDays = Math.min(fewestDays, day - previous);
        }
        first ??= day;
        previous = day;
      }
    }
  }
  if (first === undefined || previous === undefined) return undefined;
  const wrap = first + CYCLE_DAYS - previous;
  fewestDays = Math.min(fewestDays, wrap);
  return { longest: Math.max(longest, dayGap(wrap, times)), shortest: Math.min(shortest, dayGap(fewestDays, times)) };
}

const MONTH_DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function membership(values: ReadonlySet<number>, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (const v of values) if (v < size) out[v] = 1;
  return out;
}

/** From the last run on one matching day to the first run on a matching day `days` later. */
function dayGap(days: number, times: readonly number[]): number {
  return days * 86_400 - times[times.length - 1] + times[0];
}
