import { describe, expect, it } from 'vitest';
import { complete, type Catalog } from '../src/pipeline/completion.js';

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

describe('complete', () => {
  it('completes a keyword in the case it was typed', () => {
    expect(at('sel|')).toMatchObject({ start: 0, end: 3, candidates: ['select'], replacement: 'select' });
    expect(at('SEL|')?.replacement).toBe('SELECT');
  });

  it('completes a schema with its dot', () => {
    expect(at('select * from ana|')).toMatchObject({ start: 14, candidates: ['analytics'], replacement: 'analytics.' });
  });

  it("lists a schema's tables after schema.", () => {
    const result = at('select * from analytics.|');
    expect(result?.candidates).toEqual(['d_songs', 'd_users', 'f_songplays']);
    expect(result?.start).toBe(24);
    expect(at('select * from analytics.d_|')).toMatchObject({ candidates: ['d_songs', 'd_users'], replacement: 'd_' });
    expect(at('select * from analytics.f|')?.replacement).toBe('f_songplays');
  });

  it('lists the columns of a table or an alias', () => {
    expect(at('select f.| from analytics.f_songplays f')?.candidates).toEqual(['level', 'song_id', 'songplay_id', 'user_id']);
    expect(at('select u.l| from analytics.f_songplays f join analytics.d_users as u on f.user_id = u.user_id')?.candidates).toEqual(['level']);
    expect(at('select s_songs.a| from staging.s_songs')?.replacement).toBe('artist_name');
    expect(at('select analytics.d_songs.t| from analytics.d_songs')?.replacement).toBe('title');
  });

  it('offers the columns of the tables the statement names before others', () => {
    const result = at('select ti| from staging.s_songs');
    expect(result?.candidates).toEqual(['title']);
    expect(at('select user_i| from analytics.d_songs')).toBeUndefined();
  });

  it('falls back to every column when the statement names no table', () => {
    expect(at('select artist_n|')?.replacement).toBe('artist_name');
  });

  it('replaces the whole word under the cursor', () => {
    const text = 'select * from analytics.d_so';
    const result = complete(`${text}ngs_old`, text.length, catalog);
    expect(result).toMatchObject({ start: 24, end: text.length + 7, replacement: 'd_songs' });
  });

  it('returns undefined when nothing fits', () => {
    expect(at('select zzz|')).toBeUndefined();
    expect(at('select * from nosuch.|')).toBeUndefined();
  });
});

describe('complete after from/join', () => {
  it('offers only schemas and tables', () => {
    expect(at('select * from s|')?.candidates).toEqual(['s_songs', 'staging']);
    expect(at('select * from analytics.f_songplays f join d_u|')?.replacement).toBe('d_users');
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
      const loaded = await loadCatalog(warehouse);
      expect(loaded.schemas).toEqual(expect.arrayContaining(['analytics', 'staging', 'main']));
      expect(loaded.schemas).not.toContain('information_schema');
      expect(loaded.tables).toEqual([{ schema: 'analytics', name: 'd_time' }]);
      expect(loaded.columns).toEqual([
        { schema: 'analytics', table: 'd_time', column: 'start_time', type: 'timestamp without time zone' },
        { schema: 'analytics', table: 'd_time', column: 'hour', type: 'integer' },
      ]);
      expect(complete('select * from analytics.d_t', 27, loaded)?.replacement).toBe('d_time');
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
    expect(on('select * from s_so|')?.replacement).toBe('s_songs');
    // The local engine's main is Redshift's public.
    expect(on('select * from no|')?.replacement).toBe('notes');
  });

  it('qualifies a table off the path, found by its own name', () => {
    expect(on('select * from ru|')).toMatchObject({ replacement: 'sparkify.runs', candidates: ['sparkify.runs'] });
  });

  it('qualifies a table a schema earlier on the path shadows', () => {
    expect(on('select * from d_us|')?.candidates).toEqual(['d_users', 'staging.d_users']);
  });
});
