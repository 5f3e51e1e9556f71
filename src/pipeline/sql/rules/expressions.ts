// Rules for types and expressions anywhere in a statement.
import { UnsupportedSqlError } from '../../errors.js';
import { quoteLiteral, unquote, type Token } from '../tokenizer.js';
import { isPunct, isWord, nextCode } from '../tokens.js';
import type { RewriteRule } from './rule.js';

export const varcharMaxRule: RewriteRule = {
  name: 'varchar-max',
  does: 'VARCHAR(MAX) becomes VARCHAR',
  apply(tokens) {
    const out: Token[] = [];
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]!;
      out.push(t);
      if (!isWord(t, 'VARCHAR', 'VARYING', 'CHAR', 'CHARACTER', 'NVARCHAR')) continue;
      const open = nextCode(tokens, k + 1);
      const inner = nextCode(tokens, open + 1);
      const close = nextCode(tokens, inner + 1);
      if (isPunct(tokens[open], '(') && isWord(tokens[inner], 'MAX') && isPunct(tokens[close], ')')) k = close;
    }
    return out;
  },
};

const DATE_PARTS: Record<string, string> = {
  millennium: 'millennium', millennia: 'millennium', mil: 'millennium', mils: 'millennium',
  century: 'century', centuries: 'century', c: 'century', cent: 'century', cents: 'century',
  decade: 'decade', decades: 'decade', dec: 'decade', decs: 'decade',
  year: 'year', years: 'year', y: 'year', yr: 'year', yrs: 'year',
  quarter: 'quarter', quarters: 'quarter', qtr: 'quarter', qtrs: 'quarter',
  month: 'month', months: 'month', mon: 'month', mons: 'month',
  week: 'week', weeks: 'week', w: 'week',
  day: 'day', days: 'day', d: 'day',
  dayofweek: 'dow', dow: 'dow', dw: 'dow', weekday: 'dow',
  dayofyear: 'doy', doy: 'doy', dy: 'doy', yearday: 'doy',
  hour: 'hour', hours: 'hour', h: 'hour', hr: 'hour', hrs: 'hour',
  minute: 'minute', minutes: 'minute', m: 'minute', min: 'minute', mins: 'minute',
  second: 'second', seconds: 'second', s: 'second', sec: 'second', secs: 'second',
  millisecond: 'millisecond', milliseconds: 'millisecond', ms: 'millisecond', msec: 'millisecond', msecs: 'millisecond', msecond: 'millisecond', mseconds: 'millisecond', millisec: 'millisecond', millisecs: 'millisecond', millisecon: 'millisecond',
  microsecond: 'microsecond', microseconds: 'microsecond', microsec: 'microsecond', microsecs: 'microsecond', microsecond_: 'microsecond', usecond: 'microsecond', useconds: 'microsecond', us: 'microsecond', usec: 'microsecond', usecs: 'microsecond',
  epoch: 'epoch',
};

const DATEPART_FUNCTIONS: Record<string, string> = {
  DATEADD: 'sparkify_dateadd',
  DATE_ADD: 'sparkify_dateadd',
  DATEDIFF: 'date_diff',
  DATE_DIFF: 'date_diff',
  DATEPART: 'date_part',
  DATE_PART: 'date_part',
};

export const datePartsRule: RewriteRule = {
  name: 'dateparts',
  does: 'dateadd/datediff/datepart(part, ...) take the bare date part (or its abbreviations) as Redshift does',
  apply(tokens) {
    const out: Token[] = [];
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]!;
      const target = t.type === 'word' ? DATEPART_FUNCTIONS[t.text.toUpperCase()] : undefined;
      if (target) {
        const open = nextCode(tokens, k + 1);
        const part = nextCode(tokens, open + 1);
        const comma = nextCode(tokens, part + 1);
        const partToken = tokens[part];
        if (isPunct(tokens[open], '(') && partToken && isPunct(tokens[comma], ',') && (partToken.type === 'word' || partToken.type === 'string')) {
          const raw = partToken.type === 'string' ? unquote(partToken.text) : partToken.text;
          const canonical = DATE_PARTS[raw.toLowerCase()];
          if (!canonical) throw new UnsupportedSqlError(`the date part '${raw}' in ${t.text}`);
          out.push({ type: 'word', text: target }, { type: 'punct', text: '(' }, { type: 'string', text: quoteLiteral(canonical) });
          k = part;
          continue;
        }
      }
      out.push(t);
    }
    return out;
  },
};

export const sysdateRule: RewriteRule = {
  name: 'sysdate',
  does: 'bare SYSDATE (Redshift writes it without parentheses) calls the sysdate() macro',
  apply(tokens) {
    return tokens.map((t, k) => (isWord(t, 'SYSDATE') && !isPunct(tokens[nextCode(tokens, k + 1)], '(') ? { type: 'word', text: 'sysdate()' } : t));
  },
};
