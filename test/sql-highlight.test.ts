// Reading a draft for drawing: kinds of text from the tokens, bracket pairs,
// what is left open; and the colour depth the environment asks for.
import { describe, expect, it } from 'vitest';
import { markDraft, matchingBracket } from '../src/pipeline/sql/highlight.js';
import { colorDepth } from '../src/ui/color.js';

const kinds = (text: string) => markDraft(text).spans.map((span) => `${span.kind}:${text.slice(span.start, span.end)}`);

describe('markDraft', () => {
  it('names the kind of each token', () => {
    expect(kinds("SELECT left(title, 3), 1.5e3 FROM d_songs -- x")).toEqual([
      'keyword:SELECT', 'function:left', 'plain:(', 'identifier:title', 'plain:,', 'number:3', 'plain:)', 'plain:,',
      'number:1.5e3', 'keyword:FROM', 'identifier:d_songs', 'comment:-- x',
    ]);
    // LEFT before JOIN is the keyword; a function the local engine does not run is a name.
    expect(kinds('a left join b')).toContain('keyword:left');
    expect(kinds('string_agg(x)')[0]).toBe('identifier:string_agg');
    expect(kinds("x::int <> 'a''b' || $$c$$")).toEqual(['identifier:x', 'operator:::', 'identifier:int', 'operator:<>', "string:'a''b'", 'operator:||', 'string:$$c$$']);
  });

  it('keeps a comment or a string that spans lines whole', () => {
    expect(kinds('select /* one\ntwo */ 1')).toEqual(['keyword:select', 'comment:/* one\ntwo */', 'number:1']);
    expect(kinds("select 'a\nb'")).toEqual(['keyword:select', "string:'a\nb'"]);
  });

  it('pairs brackets, skipping those in strings and comments, and finds the one at the cursor', () => {
    const text = "f((a), ')', [b]) -- (";
    const marks = markDraft(text);
    expect(marks.unclosed).toEqual([]);
    expect(matchingBracket(marks, text.indexOf('(a'))).toEqual([2, 4]);
    // The bracket under the cursor first, else the one just before it.
    expect(matchingBracket(marks, text.indexOf('b]') + 1)).toEqual([14, 12]);
    expect(matchingBracket(marks, text.indexOf(') --') + 1)).toEqual([15, 1]);
    expect(matchingBracket(marks, text.indexOf(', [') + 1)).toBeUndefined();
  });

  it('marks brackets without a partner and quotes never closed', () => {
    expect(markDraft('select (1, [2)').unclosed).toEqual([7, 11, 13]);
    expect(markDraft("select 'abc").unclosed).toEqual([7]);
    expect(markDraft("select 'it''s").unclosed).toEqual([7]);
    expect(markDraft('select "Name').unclosed).toEqual([7]);
    expect(markDraft('select /* note').unclosed).toEqual([7]);
    expect(markDraft("select 'it''s' /* a */ \"N\"").unclosed).toEqual([]);
  });

  it('says what opens each thing left open, in text order', () => {
    expect(markDraft('select (1, [2)').left).toEqual([
      { at: 7, opener: '(' },
      { at: 11, opener: '[' },
      { at: 13, opener: ')' },
    ]);
    expect(markDraft("select E'a\\n").left).toEqual([{ at: 7, opener: "E'" }]);
    expect(markDraft('select $body$ x').left).toEqual([{ at: 7, opener: '$body$' }]);
    expect(markDraft('select "Name, /* note').left).toEqual([{ at: 7, opener: '"' }]);
    expect(markDraft('select 1 /* note').left).toEqual([{ at: 9, opener: '/*' }]);
  });
});

describe('colorDepth', () => {
  it.each([
    [{ TERM: 'xterm-256color' }, 256],
    [{ TERM: 'screen-256color', COLORTERM: 'truecolor' }, 16_777_216],
    [{ TERM: 'xterm' }, 16],
    [{ TERM: 'dumb' }, 0],
    [{ TERM: 'xterm-256color', NO_COLOR: '1' }, 0],
    [{ TERM: 'xterm-256color', NO_COLOR: '' }, 256],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, 16],
    [{ TERM: 'xterm', FORCE_COLOR: '2' }, 256],
    [{ TERM: 'dumb', FORCE_COLOR: '3' }, 16_777_216],
    [{ TERM: 'xterm-256color', FORCE_COLOR: '0' }, 0],
  ])('%o → %d', (env, depth) => {
    expect(colorDepth(env)).toBe(depth);
  });
});
