// Date and time strings as Redshift reads them (MDY order, compact
// YYYYMMDD, month names, a trailing zone abbreviation) turned into the ISO
// form DuckDB reads. Strings already in ISO form are left alone.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Zone abbreviations Redshift knows, as minutes east of UTC (fixed offsets, as in PostgreSQL). */
export const ZONE_ABBREVIATIONS: Record<string, number> = {
  UTC: 0, GMT: 0, Z: 0, UT: 0,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600, BST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180, IST: 330, JST: 540,
};

export interface ParsedDateTime {
  /** YYYY-MM-DD */
  date?: string;
  /** HH:MM:SS[.ffffff] */
  time?: string;
  /** Minutes east of UTC, when the string names a zone or an offset. */
  offset?: number;
}

const pad = (n: number | string, width = 2) => String(n).padStart(width, '0');

function parseTime(text: string): { time: string; offset?: number } | undefined {
  const m = text.match(/^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(am|pm)?\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?|([A-Za-z]{1,5}))?$/i);
  if (!m) return undefined;
  let hour = Number(m[1]);
  if (m[5]?.toLowerCase() === 'pm' && hour < 12) hour += 12;
  if (m[5]?.toLowerCase() === 'am' && hour === 12) hour = 0;
  const time = `${pad(hour)}:${m[2]}:${m[3] ?? '00'}${m[4] ?? ''}`;
  if (m[6]) return { time, offset: (m[6] === '-' ? -1 : 1) * (Number(m[7]) * 60 + Number(m[8] ?? 0)) };
  if (m[9]) {
    const offset = ZONE_ABBREVIATIONS[m[9].toUpperCase()];
    return offset === undefined ? undefined : { time, offset };
  }
  return { time };
}

function parseDate(text: string): string | undefined {
  let m = text.match(/^(\d{4})-?(\d{2})-?(\d{2})$/) ?? text.match(/^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/);
  if (m) return `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
  // Redshift's default DateStyle is MDY: 1.12.1997 and 12/24/2003 read month first.
  m = text.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
  if (m) return `${m[3]}-${pad(m[1])}-${pad(m[2])}`;
  m = text.match(/^([A-Za-z]{3})[a-z]*\.?\s*(\d{1,2}),?\s*(\d{4})$/);
  if (m && MONTHS.includes(m[1].toLowerCase())) return `${m[3]}-${pad(MONTHS.indexOf(m[1].toLowerCase()) + 1)}-${pad(m[2])}`;
  m = text.match(/^(\d{1,2})\s*-?([A-Za-z]{3})[a-z]*-?\s*(\d{4})$/);
  if (m && MONTHS.includes(m[2].toLowerCase())) return `${m[3]}-${pad(MONTHS.indexOf(m[2].toLowerCase()) + 1)}-${pad(m[1])}`;
  return undefined;
}

/** Reads a Redshift date, time or timestamp string; undefined when it is none of them. */
export function parseDateTime(text: string): ParsedDateTime | undefined {
  const s = text.trim();
  const time = parseTime(s);
  if (time) return time;
  const date = parseDate(s);
  if (date) return { date };
  const split = s.match(/^(.*?\d)(?:\s+|T)(\d{1,2}:\d{2}.*)$/);
  if (!split) return undefined;
  const datePart = parseDate(split[1].replace(/,$/, ''));
  const timePart = parseTime(split[2]);
  return datePart && timePart ? { date: datePart, ...timePart } : undefined;
}

/** ISO text for a parsed value: the date, the time and, when `withOffset`, the offset. */
export function isoText(value: ParsedDateTime, withOffset: boolean): string {
  const parts = [value.date, value.time].filter(Boolean).join(' ');
  if (!withOffset || value.offset === undefined) return parts;
  const sign = value.offset < 0 ? '-' : '+';
  const abs = Math.abs(value.offset);
  return `${parts}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The ISO text DuckDB reads for a Redshift literal of the given type, or undefined to leave it as written. */
export function normalizeDateTimeLiteral(text: string, type: 'date' | 'time' | 'timestamp' | 'timestamptz'): string | undefined {
  if (/^(now|today|tomorrow|yesterday|epoch|infinity|-infinity)$/i.test(text.trim())) return undefined;
  const parsed = parseDateTime(text);
  if (!parsed) return undefined;
  if (type === 'date') return parsed.date;
  if (type === 'time') return parsed.time;
  if (!parsed.date) return undefined;
  // A zone on a plain TIMESTAMP literal is ignored, as Redshift does.
  return isoText({ ...parsed, time: parsed.time ?? '00:00:00' }, type === 'timestamptz');
}
