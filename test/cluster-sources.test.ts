// Which S3 locations a new cluster's role may read, and the policy for them.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/pipeline/errors.js';
import { defaultRoleName, parseS3Location, resolveS3Sources, sourceLocations, sourceReadPolicy, trustPolicy } from '../src/pipeline/provision/role.js';

describe('source locations', () => {
  it('parses s3:// URIs, bucket/prefix and bare buckets', () => {
    expect(parseS3Location('s3://udacity-dend/song_data')).toEqual({ bucket: 'udacity-dend', prefix: 'song_data' });
    expect(parseS3Location('my-bucket/a/b/')).toEqual({ bucket: 'my-bucket', prefix: 'a/b/' });
    expect(parseS3Location('my-bucket')).toEqual({ bucket: 'my-bucket', prefix: '' });
    expect(() => parseS3Location('s3://Bad_Bucket/x')).toThrow(UsageError);
  });

  it('defaults to the course bucket, noting its region when the cluster is elsewhere', () => {
    expect(resolveS3Sources({}, {}, 'us-west-2')).toEqual({
      songData: 's3://udacity-dend/song_data',
      logData: 's3://udacity-dend/log_data',
      logJsonpaths: 's3://udacity-dend/log_json_path.json',
    });
    expect(resolveS3Sources({}, {}, 'us-east-1').sourceRegion).toBe('us-west-2');
  });

  it('takes flags over S3 sources in the config, and ignores local folders there', () => {
    const config = { songData: 's3://mine/songs', logData: 's3://mine/logs', sourceRegion: 'eu-west-1' };
    expect(resolveS3Sources({ logData: 's3://other/events' }, config, 'us-east-1')).toEqual({
      songData: 's3://mine/songs',
      logData: 's3://other/events',
      sourceRegion: 'eu-west-1',
    });
    expect(resolveS3Sources({}, { songData: '/home/me/song_data', logData: '/home/me/log_data' }).songData).toBe('s3://udacity-dend/song_data');
    expect(() => resolveS3Sources({ songData: './song_data' }, {})).toThrow('--song-data must be an s3:// location for a cluster');
  });

  it('grants GetObject under each prefix and ListBucket limited to those prefixes', () => {
    const locations = sourceLocations(resolveS3Sources({}, {}), ['s3://extra-bucket']);
    expect(sourceReadPolicy(locations)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadSourceObjects',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: [
            'arn:aws:s3:::udacity-dend/song_data*',
            'arn:aws:s3:::udacity-dend/log_data*',
            'arn:aws:s3:::udacity-dend/log_json_path.json*',
            'arn:aws:s3:::extra-bucket/*',
          ],
        },
        {
          Sid: 'ListSourcePrefixes1',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: 'arn:aws:s3:::udacity-dend',
          Condition: { StringLike: { 's3:prefix': ['song_data*', 'log_data*', 'log_json_path.json*'] } },
        },
        { Sid: 'ListSourcePrefixes2', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::extra-bucket' },
      ],
    });
    expect(() => sourceReadPolicy([])).toThrow('no source locations');
  });

  it('trusts Redshift only, and names roles within IAM limits', () => {
    expect(trustPolicy().Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'redshift.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(defaultRoleName('sparkify-dwh')).toBe('sparkify-dwh-s3-read');
    expect(defaultRoleName('dwh')).toBe('sparkify-dwh-s3-read');
    expect(defaultRoleName('a'.repeat(63))).toHaveLength(64);
  });
});
