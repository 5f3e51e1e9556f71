import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlHistory, historyPath, redactSecrets } from '../src/pipeline/history.js';

describe('redactSecrets', () => {
  it.each([
    ["create user ana password 'S3cret!pass'", "create user ana password '***'"],
    ["ALTER USER ana PASSWORD 'it''s secret'", "ALTER USER ana PASSWORD '***'"],
    [
      "copy staging.s_events from 's3://b/log' credentials 'aws_access_key_id=AKIAABCDEFGHIJKLMNOP;aws_secret_access_key=wJalrXUtnFEMI/K7MDENG' json 'auto'",
      "copy staging.s_events from 's3://b/log' credentials '***' json 'auto'",
    ],
    [
      "copy t from 's3://b/x' ACCESS_KEY_ID 'AKIAABCDEFGHIJKLMNOP' SECRET_ACCESS_KEY 'wJalr/K7MDENG' SESSION_TOKEN 'FwoGZX'",
      "copy t from 's3://b/x' ACCESS_KEY_ID '***' SECRET_ACCESS_KEY '***' SESSION_TOKEN '***'",
    ],
    ["create secret s3 (type s3, key_id 'AKIAXX', secret 'abc/def')", "create secret s3 (type s3, key_id '***', secret '***')"],
    ['select 1 -- AKIAABCDEFGHIJKLMNOP', 'select 1 -- ***'],
    ["select * from x where note = 'aws_secret_access_key=abc123'", "select * from x where note = 'aws_secret_access_key=***'"],
  ])('redacts %s', (sql, expected) => {
    const redacted = redactSecrets(sql);
    expect(redacted).toBe(expected);
  });

  it('leaves ordinary statements alone', () => {
    const sql = "select title, count(*) from analytics.f_songplays join analytics.d_songs using (song_id) where level = 'paid' group by 1";
    expect(redactSecrets(sql)).toBe(sql);
  });
});

describe('SqlHistory', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'sparkify-history-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('keeps multi-line entries across sessions, oldest first, in a 0600 file', async () => {
    const first = SqlHistory.load(home);
    expect(first.entries).toEqual([]);
    await first.add('select 1;');
    await first.add('select title\nfrom analytics.d_songs\nlimit 3;');
    const second = SqlHistory.load(home);
    expect(second.entries).toEqual(['select 1;', 'select title\nfrom analytics.d_songs\nlimit 3;']);
    expect((await stat(historyPath(home))).mode & 0o777).toBe(0o600);
  });

  it('never writes a secret to the file', async () => {
    const history = SqlHistory.load(home);
    await history.add("create user bob password 'Hunter2-Hunter2';");
    const text = await readFile(historyPath(home), 'utf8');
    expect(text).not.toContain('Hunter2');
    expect(history.entries).toEqual(["create user bob password '***';"]);
  });

  it('skips blanks and an immediate repeat', async () => {
    const history = SqlHistory.load(home);
    await history.add('select 1;');
    await history.add('  select 1;  ');
    await history.add('   ');
    await history.add('select 2;');
    await history.add('select 1;');
    expect(history.entries).toEqual(['select 1;', 'select 2;', 'select 1;']);
  });

  it('keeps the newest entries and compacts the file', async () => {
    const history = SqlHistory.load(home, { maxEntries: 3 });
    for (let i = 1; i <= 7; i += 1) await history.add(`select ${i};`);
    expect(history.entries).toEqual(['select 5;', 'select 6;', 'select 7;']);
    const lines = (await readFile(historyPath(home), 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(SqlHistory.load(home, { maxEntries: 3 }).entries).toEqual(['select 5;', 'select 6;', 'select 7;']);
  });

  it('skips lines it cannot read', async () => {
    await writeFile(historyPath(home), '"select 1;"\nnot json\n42\n"select 2;"\n');
    expect(SqlHistory.load(home).entries).toEqual(['select 1;', 'select 2;']);
  });

  it('searches backwards, case-insensitively', async () => {
    const history = SqlHistory.load(home);
    for (const sql of ['select * from d_users;', 'select count(*) from f_songplays;', 'SELECT level FROM d_users;']) await history.add(sql);
    expect(history.search('d_users')).toBe(2);
    expect(history.search('d_users', 2)).toBe(0);
    expect(history.search('D_USERS', 0)).toBe(-1);
    expect(history.search('songplays')).toBe(1);
    expect(history.search('nothing like it')).toBe(-1);
  });
});
