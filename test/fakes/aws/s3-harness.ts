// Starts the fake S3 on a loopback port for one test file, with S3 clients of
// the real SDK that reach it path-style, virtual-host style or anonymously.
import { Agent } from 'node:http';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { TEST_CREDENTIALS } from './data-api-harness.js';
import { S3Fake, type S3FakeOptions } from './s3.js';
import { startFakeAws, type FakeService, type RunningFake } from './server.js';

export interface S3Harness {
  fake: S3Fake;
  server: RunningFake;
  url: string;
  /** A client with the test credentials and no retries unless asked, path-style on 127.0.0.1. */
  client(config?: S3ClientConfig): S3Client;
  /** A client that addresses buckets by host name (bucket.localhost:PORT), every name resolved to loopback. */
  virtualHostClient(config?: S3ClientConfig): S3Client;
  /** A client that sends unsigned requests, as for a public bucket. */
  anonymousClient(config?: S3ClientConfig): S3Client;
  /** Environment for a child process (the built CLI) to reach this S3. */
  env: Record<string, string>;
  close(): Promise<void>;
}

const credentials = { accessKeyId: TEST_CREDENTIALS.AWS_ACCESS_KEY_ID, secretAccessKey: TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY };

export async function startS3(options: S3FakeOptions & { extraServices?: FakeService[] } = {}): Promise<S3Harness> {
  const fake = new S3Fake(options);
  const server = await startFakeAws({ services: [fake, ...(options.extraServices ?? [])] });
  const clients: S3Client[] = [];
  const make = (config: S3ClientConfig) => {
    const client = new S3Client({ region: 'us-west-2', maxAttempts: 1, ...config });
    clients.push(client);
    return client;
  };
  return {
    fake,
    server,
    url: server.url,
    client: (config = {}) => make({ endpoint: server.url, forcePathStyle: true, credentials, ...config }),
    virtualHostClient: (config = {}) => {
      const agent = new Agent({ lookup: (_host, _options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]) });
      return make({ endpoint: `http://localhost:${server.port}`, forcePathStyle: false, credentials, requestHandler: { httpAgent: agent }, ...config });
    },
    anonymousClient: (config = {}) => make({ endpoint: server.url, forcePathStyle: true, credentials, signer: { sign: (request) => Promise.resolve(request) }, ...config }),
    env: { ...TEST_CREDENTIALS, AWS_ENDPOINT_URL_S3: server.url },
    async close() {
      for (const client of clients) client.destroy();
      await server.close();
    },
  };
}
