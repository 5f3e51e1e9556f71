import { describe, expect, it } from 'vitest';
import { complete, insertionOf, type Catalog, type CompletionKind } from '../src/pipeline/completion.js';
import { fuzzyScore } from '../src/pipeline/fuzzy.js';

const catalog: Catalog = {
  schemas: ['analytics', 'main', 'staging'],
  tables: [
    { schema: 'analytics', name: 'd_songs' },
    { schema: 'analytics', name: 'd_users' },
    { schema: 'analytics', name: 'f_songplays' },
    { schema: 'staging', name: 's_songs' },
  ],
  columns: [
    { schema: 'analytics', table: 'd_songs', column: 'song_id', type: 'varchar' },
    { schema: 'analytics', table: 'd_songs', column: 'title', type: 'varchar' },
    { schema: 'analytics', table: 'd_users', column: 'user_id', type: 'integer' },
    { schema: 'analytics', table: 'd_users', column: 'level', type: 'varchar' },
    { schema: 'analytics', table: 'f_songplays', column: 'songplay_id', type: 'bigint' },
    { schema: 'analytics', table: 'f_songplays', column: 'song_id', type: 'varchar' },
    { schema: 'analytics', table: 'f_songplays', column: 'user_id', type: 'integer' },
    { schema: 'analytics', table: 'f_songplays', column: 'level', type: 'varchar' },
    { schema: 'staging', table: 's_songs', column: 'title', type: 'varchar' },
    { schema: 'staging', table: 's_songs', column: 'artist_name', type: 'varchar' },
  ],
};

function at(textWithCursor: string) {
  const cursor = textWithCursor.indexOf('|');
  return complete(textWithCursor.replace('|', ''), cursor, catalog);
}

/** The names offered at the cursor, best first, of the kinds given (all kinds when none). */
function names(textWithCursor: string, ...kinds: CompletionKind[]): string[] {
  return (at(textWithCursor)?.items ?? []).filter((item) => kinds.length === 0 || kinds.includes(item.kind)).map((item) => item.label);
}

const first = (textWithCursor: string) => at(textWithCursor)?.items[0];

describe('complete', () => {
  it('completes a keyword in the case it was typed', () => {
    expect(at('sel|')).toMatchObject({ start: 0, end: 3 });
    expect(first('sel|')).toEqual({ label: 'select', kind: 'keyword' });
    expect(first('SEL|')?.label).toBe('SELECT');
  });

  it('offers a schema, inserted with its dot', () => {
    expect(at('select * from ana|')).toMatchObject({ start: 14, items: [{ label: 'analytics', kind: 'schema' }] });
    expect(insertionOf(first('select * from ana|')!)).toBe('analytics.');
  });

  it("lists a schema's tables after schema.", () => {
    const result = at('select * from analytics.|');
    expect(result?.items.map((item) => item.label)).toEqual(['d_songs', 'd_users', 'f_songplays']);
    expect(result?.items.every((item) => item.kind === 'table')).toBe(true);
    expect(result?.start).toBe(24);
    expect(names('select * from analytics.d_|')).toEqual(['d_songs', 'd_users']);
    expect(first('select * from analytics.f|')?.label).toBe('f_songplays');
  });

  it('lists the columns of a table or an alias, with their types', () => {
    expect(names('select f.| from analytics.f_songplays f')).toEqual(['level', 'song_id', 'songplay_id', 'user_id']);
    expect(at('select f.| from analytics.f_songplays f')?.items[0]).toEqual({ label: 'level', kind: 'column', detail: 'varchar' });
    expect(names('select u.l| from analytics.f_songplays f join analytics.d_users as u on f.user_id = u.user_id')).toEqual(['level']);
    expect(first('select s_songs.a| from staging.s_songs')?.label).toBe('artist_name');
    expect(first('select analytics.d_songs.t| from analytics.d_songs')?.label).toBe('title');
  });

  it('finds aliases in a FROM list of several tables', () => {
    expect(names('select s.| from analytics.d_users u, analytics.d_songs s')).toEqual(['song_id', 'title']);
  });

  it('offers the columns of the tables the statement names, not others', () => {
    // title starts with the letters; artist_name has them inside.
    expect(names('select ti| from staging.s_songs', 'column')).toEqual(['title', 'artist_name']);
    expect(names('select user_i| from analytics.d_songs', 'column')).toEqual([]);
  });

  it('falls back to every column when the statement names no table', () => {
    expect(first('select artist_n|')?.label).toBe('artist_name');
  });

  it('draws functions from the list of what the local engine runs, with their signatures', () => {
    expect(at('select date_tr|')?.items[0]).toMatchObject({ label: 'date_trunc', kind: 'function' });
    expect(at('select date_tr|')?.items[0].detail).toMatch(/^DATE_TRUNC\(/);
    // LISTAGG is rewritten for the local engine; a DuckDB-only function is not offered.
    expect(names('select lista|', 'function')).toEqual(['listagg']);
    expect(names('select string_ag|', 'function')).toEqual([]);
  });

  it('orders a prefix before a word start before letters anywhere', () => {
    // "so": song_id and songplay_id start with it; the tables have it at a word start.
    expect(names('select so| from analytics.f_songplays', 'column', 'table')).toEqual(['song_id', 'songplay_id', 'd_songs', 'f_songplays', 's_songs']);
    // "ds": only letters in order, the closer together the better.
    expect(names('select * from ds|')).toEqual(['d_songs', 'd_users']);
    expect(fuzzyScore('us', 'user_id')! > fuzzyScore('us', 'd_users')!).toBe(true);
    expect(fuzzyScore('us', 'd_users')! > fuzzyScore('us', 'focus')!).toBe(true);
    expect(fuzzyScore('fsp', 'f_songplays')).toBeDefined();
    expect(fuzzyScore('xyz', 'f_songplays')).toBeUndefined();
  });

  it('replaces the whole word under the cursor', () => {
    const text = 'select * from analytics.d_so';
    const result = complete(`${text}ngs_old`, text.length, catalog);
    expect(result).toMatchObject({ start: 24, end: text.length + 7, items: [{ label: 'd_songs' }] });
  });

  it('completes nothing inside a string or a comment', () => {
    expect(at("select * from analytics.d_users where level = 'pa|")).toBeUndefined();
    expect(at("select 'd_|' from analytics.d_users")).toBeUndefined();
    expect(at('select 1 -- from analytics.d_|')).toBeUndefined();
    expect(at('select /* analytics.d_| */ 1')).toBeUndefined();
    expect(at('select /* open comment analytics.d_|')).toBeUndefined();
    // Right after a closed string or comment, completion is back.
    expect(names("select 'x' as le|", 'keyword')).toContain('left');
    expect(names('select /* x */ analytics.d_u|')).toEqual(['d_users']);
  });

  it('returns undefined when nothing fits', () => {
    expect(at('select zzz|')).toBeUndefined();
    expect(at('select * from nosuch.|')).toBeUndefined();
    expect(at('select 12|')).toBeUndefined();
  });
});

describe('complete after from/join', () => {
  it('offers only schemas and tables', () => {
    expect(names('select * from s|')).toEqual(['s_songs', 'staging', 'd_songs', 'f_songplays', 'd_users', 'analytics']);
    expect(new Set(at('select * from s|')?.items.map((item) => item.kind))).toEqual(new Set(['table', 'schema']));
    expect(first('select * from analytics.f_songplays f join d_u|')?.label).toBe('d_users');
  });
});

describe('loadCatalog', () => {
  it('reads schemas (empty ones too), tables and columns (types named as Redshift names them) from a real DuckDB warehouse', async () => {
    const { DuckDbWarehouse } = await import('../src/pipeline/warehouse/duckdb.js');
    const { loadCatalog } = await import('../src/pipeline/completion.js');
    const warehouse = await DuckDbWarehouse.open({ path: ':memory:' });
    try {
      await warehouse.execute('create schema staging');
      await warehouse.execute('create schema analytics');
      await warehouse.execute('create table analytics.d_time (start_time timestamp, hour integer)');
      await warehouse.execute('create view analytics.v_hours as select hour from analytics.d_time');
      const loaded = await loadCatalog(warehouse);
      expect(loaded.schemas).toEqual(expect.arrayContaining(['analytics', 'staging', 'main']));
      expect(loaded.schemas).not.toContain('information_schema');
      expect(loaded.tables).toEqual([{ schema: 'analytics', name: 'd_time' }, { schema: 'analytics', name: 'v_hours', kind: 'view' }]);
      expect(loaded.columns).toEqual([
        { schema: 'analytics', table: 'd_time', column: 'start_time', type: 'timestamp without time zone' },
        { schema: 'analytics', table: 'd_time', column: 'hour', type: 'integer' },
        { schema: 'analytics', table: 'v_hours', column: 'hour', type: 'integer' },
      ]);
      expect(complete('select * from analytics.d_t', 27, loaded)?.items[0]).toEqual({ label: 'd_time', kind: 'table' });
      expect(complete('select * from analytics.v_', 26, loaded)?.items).toEqual([{ label: 'v_hours', kind: 'view' }]);
    } finally {
      await warehouse.close();
    }
  });
});

describe('complete on a search path', () => {
  const onPath: Catalog = {
    ...catalog,
    schemas: [...catalog.schemas, 'sparkify'],
    tables: [...catalog.tables, { schema: 'sparkify', name: 'runs' }, { schema: 'staging', name: 'd_users' }, { schema: 'main', name: 'notes' }],
    searchPath: ['analytics', 'staging', 'public'],
  };
  const on = (textWithCursor: string) => {
    const cursor = textWithCursor.indexOf('|');
    return complete(textWithCursor.replace('|', ''), cursor, onPath);
  };

  it('inserts the bare name of a table on the path', () => {
    expect(on('select * from s_so|')?.items[0].label).toBe('s_songs');
    // The local engine's main is Redshift's public.
    expect(on('select * from no|')?.items[0].label).toBe('notes');
  });

  it('qualifies a table off the path, found by its own name', () => {
    expect(on('select * from ru|')?.items).toEqual([{ label: 'sparkify.runs', kind: 'table' }]);
  });

  it('qualifies a table a schema earlier on the path shadows', () => {
    expect(on('select * from d_us|')?.items.map((item) => item.label)).toEqual(['d_users', 'staging.d_users']);
  });
});
