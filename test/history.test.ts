import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqlHistory, historyPath } from '../src/pipeline/history.js';
import { redactSecrets } from '../src/pipeline/sql/redact.js';

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
    // DuckDB CREATE SECRET, every secret-bearing option
    ["CREATE SECRET h (TYPE http, BEARER_TOKEN 'eyJhbGciOi.xyz')", "CREATE SECRET h (TYPE http, BEARER_TOKEN '***')"],
    ["CREATE SECRET a (TYPE azure, CONNECTION_STRING 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=k3y==')", "CREATE SECRET a (TYPE azure, CONNECTION_STRING '***')"],
    ["CREATE SECRET a (TYPE azure, PROVIDER service_principal, TENANT_ID 't', CLIENT_ID 'c', CLIENT_SECRET 'cs')", "CREATE SECRET a (TYPE azure, PROVIDER service_principal, TENANT_ID 't', CLIENT_ID 'c', CLIENT_SECRET '***')"],
    ["CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'k', SECRET 's', SESSION_TOKEN 't', REGION 'us-west-2')", "CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID '***', SECRET '***', SESSION_TOKEN '***', REGION 'us-west-2')"],
    ["CREATE SECRET hf (TYPE huggingface, TOKEN 'hf_abc')", "CREATE SECRET hf (TYPE huggingface, TOKEN '***')"],
    ["CREATE SECRET p (TYPE postgres, HOST 'db', USER 'ana', PASSWORD 'pg-pass')", "CREATE SECRET p (TYPE postgres, HOST 'db', USER 'ana', PASSWORD '***')"],
    ["CREATE SECRET h (TYPE http, EXTRA_HTTP_HEADERS MAP {'Authorization': 'Bearer abc'})", "CREATE SECRET h (TYPE http, EXTRA_HTTP_HEADERS MAP {'***': '***'})"],
    // DuckDB ATTACH: connection strings, URIs, encryption keys
    ["ATTACH 'dbname=dw user=ana password=pg-pass host=db' AS pg (TYPE postgres)", "ATTACH 'dbname=dw user=ana password=*** host=db' AS pg (TYPE postgres)"],
    ["ATTACH 'postgresql://ana:pg-pass@db:5432/dw' AS pg (TYPE postgres)", "ATTACH 'postgresql://ana:***@db:5432/dw' AS pg (TYPE postgres)"],
    ["ATTACH 'host=db;user=ana;pwd=my-pass' AS m (TYPE mysql)", "ATTACH 'host=db;user=ana;pwd=***' AS m (TYPE mysql)"],
    ["ATTACH 'enc.duckdb' AS e (ENCRYPTION_KEY 'quack-key')", "ATTACH 'enc.duckdb' AS e (ENCRYPTION_KEY '***')"],
    // Redshift users: PASSWORD after a comment, as E'', $$ or a quoted identifier; DISABLE stays
    ["CREATE USER ana PASSWORD /* temp */ 'Abc12345'", "CREATE USER ana PASSWORD /* temp */ '***'"],
    ["select 1 -- password 'Sw0rdfish!'", "select 1 -- password '***'"],
    ["select 1 /* ALTER USER ana PASSWORD 'Sw0rdfish!' */", "select 1 /* ALTER USER ana PASSWORD '***' */"],
    ["CREATE USER ana PASSWORD -- temp\n'Abc12345'", "CREATE USER ana PASSWORD -- temp\n'***'"],
    ["ALTER USER ana PASSWORD E'Abc\\'12345'", "ALTER USER ana PASSWORD E'***'"],
    ['ALTER USER ana PASSWORD $$Abc12345$$', 'ALTER USER ana PASSWORD $$***$$'],
    ['ALTER USER ana PASSWORD $pw$Abc12345$pw$ VALID UNTIL \'2030-01-01\'', "ALTER USER ana PASSWORD $pw$***$pw$ VALID UNTIL '2030-01-01'"],
    ['ALTER USER ana PASSWORD "Abc12345"', 'ALTER USER ana PASSWORD "***"'],
    ["CREATE USER ana WITH PASSWORD = 'Abc12345'", "CREATE USER ana WITH PASSWORD = '***'"],
    ['ALTER USER ana PASSWORD DISABLE', 'ALTER USER ana PASSWORD DISABLE'],
    // Redshift COPY / UNLOAD credentials, an IAM role given with keys
    [
      "copy t from 's3://b/x' credentials 'aws_iam_role=arn:aws:iam::123456789012:role/r;aws_access_key_id=AKIAABCDEFGHIJKLMNOP;aws_secret_access_key=k'",
      "copy t from 's3://b/x' credentials '***'",
    ],
    [
      "unload ('select 1') to 's3://b/u' iam_role 'arn:aws:iam::123456789012:role/r' access_key_id 'AKIAABCDEFGHIJKLMNOP' secret_access_key 'k' session_token 't'",
      "unload ('select 1') to 's3://b/u' iam_role 'arn:aws:iam::123456789012:role/r' access_key_id '***' secret_access_key '***' session_token '***'",
    ],
    ["copy t from 's3://b/x' master_symmetric_key 'mk==' encrypted", "copy t from 's3://b/x' master_symmetric_key '***' encrypted"],
  ])('redacts %s', (sql, expected) => {
    const redacted = redactSecrets(sql);
    expect(redacted).toBe(expected);
  });

  it('leaves ordinary statements alone', () => {
    const sql = "select title, count(*) from analytics.f_songplays join analytics.d_songs using (song_id) where level = 'paid' group by 1";
    expect(redactSecrets(sql)).toBe(sql);
    for (const plain of ['select token, password_hash from users', "CREATE SECRET my_s3 (TYPE s3, PROVIDER credential_chain, REGION 'us-west-2')"]) {
      expect(redactSecrets(plain)).toBe(plain);
    }
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
