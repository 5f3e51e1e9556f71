// The CSV reader for Data API results: RFC 4180 quoting, NULL apart from an
// empty string, and values typed by their column as the JSON fields type them.
import { describe, expect, it } from 'vitest';
import { csvToRows, parseCsvRecords } from '../src/pipeline/warehouse/redshift-csv.js';
import { SparkifyError } from '../src/pipeline/errors.js';

describe('parseCsvRecords', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsvRecords('1,"a,b","say ""hi""","two\nlines"\n2,plain,x,y\n')).toEqual([
      ['1', 'a,b', 'say "hi"', 'two\nlines'],
      ['2', 'plain', 'x', 'y'],
    ]);
  });

  it('reads an empty unquoted field as NULL and a quoted empty one as an empty string', () => {
    expect(parseCsvRecords(',"",NULL\n"",,\n')).toEqual([
      [null, '', 'NULL'],
      ['', null, null],
    ]);
  });

  it('reads one-column rows of NULL, CRLF line ends and a last line without its line break', () => {
    expect(parseCsvRecords('\n\n')).toEqual([[null], [null]]);
    expect(parseCsvRecords('a,b\r\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsvRecords('a,')).toEqual([['a', null]]);
    expect(parseCsvRecords('')).toEqual([]);
  });

  it('refuses an unterminated quoted field', () => {
    expect(() => parseCsvRecords('"open\n')).toThrow(SparkifyError);
  });
});

describe('csvToRows', () => {
  const columns = [
    { name: 'i', type: 'int4' },
    { name: 'd', type: 'float8' },
    { name: 'n', type: 'numeric' },
    { name: 'f', type: 'bool' },
    { name: 't', type: 'timestamp' },
    { name: 's', type: 'varchar' },
  ];

  it('types each field by its column: numbers, booleans, decimals as text, timestamps as the local engine prints them', () => {
    expect(csvToRows('7,-0.25,2.250,true,2018-11-01 21:01:47.000,007\n8,1e3,0,f,2018-11-01 21:01:46.790,\n', columns)).toEqual([
      [7, -0.25, '2.250', true, '2018-11-01 21:01:47', '007'],
      [8, 1000, '0', false, '2018-11-01 21:01:46.79', null],
    ]);
  });

  it('refuses a row whose field count does not match the columns', () => {
    expect(() => csvToRows('1,2\n', columns)).toThrow(/2 fields for a result of 6 columns/);
  });

  it("drops the first page's header line, and keeps a row that only looks like one", () => {
    const two = [
      { name: 'a', type: 'varchar' },
      { name: 'b', type: 'varchar' },
    ];
    expect(csvToRows('a,b\nx,y\n', two, { totalRows: 1, more: false })).toEqual([['x', 'y']]);
    expect(csvToRows('a,b\n', two, { totalRows: 0, more: false })).toEqual([]);
    // No header sent: the one row whose values are the column names is a row (TotalNumRows says so).
    expect(csvToRows('a,b\n', two, { totalRows: 1, more: false })).toEqual([['a', 'b']]);
    expect(csvToRows('a,b\nx,y\n', two, { totalRows: 9, more: true })).toEqual([['x', 'y']]);
    // Later pages are rows only.
    expect(csvToRows('a,b\nx,y\n', two)).toEqual([
      ['a', 'b'],
      ['x', 'y'],
    ]);
  });
});
