// Starts the control-plane fakes (optionally with other fakes on the same
// port) for one test file, and runs the built CLI against them with static
// test credentials and nothing from the machine's own AWS config.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CLI, REPO, type CliResult } from '../../helpers/cli.js';
import type { ControlPlaneOptions, ControlPlaneState } from './control-plane.js';
import { createControlPlaneServices } from './control-plane-services.js';
import { clusterForDataApi } from './control-plane-redshift.js';
import { createDataApiService, type DataApiFakeOptions } from './data-api.js';
import { S3Fake } from './s3.js';
import { startFakeAws, type FakeService, type RunningFake } from './server.js';

/** Static fake credentials; tests grep output and config for the secret to prove it never leaks. */
export const FAKE_ACCESS_KEY_ID = 'AKIAFAKECONTROLPLANE1';
export const FAKE_SECRET_ACCESS_KEY = 'fakeSecretKey/ControlPlane+9f8e7d6c5b4a';

export interface ControlPlaneHarness {
  url: string;
  server: RunningFake;
  state: ControlPlaneState;
  /** Environment for the CLI: this fake, test credentials, a private SPARKIFY_HOME. */
  env(home: string, extra?: Record<string, string | undefined>): Record<string, string | undefined>;
  /** POST to a control route, over HTTP as any client would. */
  control(path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

/** The control plane, with a Data API that answers for its clusters when `dataApi` is given. */
export async function startControlPlane(options: ControlPlaneOptions & { dataApi?: DataApiFakeOptions } = {}): Promise<ControlPlaneHarness> {
  const services = createControlPlaneServices(options);
  const state = services[0].state;
  // The Data API comes with S3 over the same buckets, as on AWS: a full run lists the prefixes the cluster's COPY reads.
  const dataApi: FakeService[] = options.dataApi
    ? [
        createDataApiService({
          clusters: (identifier) => clusterForDataApi(state, identifier),
          workgroupDatabase: (name) => state.namespaces.get(state.workgroups.get(name)?.namespaceName ?? '')?.dbName,
          ...options.dataApi,
        }),
        new S3Fake({ buckets: options.dataApi.buckets }),
      ]
    : [];
  const server = await startFakeAws({ services: [...dataApi, ...services] });
  return {
    url: server.url,
    server,
    state,
    env: (home, extra = {}) => ({
      SPARKIFY_HOME: home,
      AWS_ENDPOINT_URL: server.url,
      AWS_ACCESS_KEY_ID: FAKE_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: FAKE_SECRET_ACCESS_KEY,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
      AWS_CONFIG_FILE: join(home, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...extra,
    }),
    async control(path, body) {
      const response = await fetch(`${server.url}/_fake/redshift${path}`, {
        method: 'POST',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return response.json();
    },
    close: () => server.close(),
  };
}

export interface RunningCli {
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches; rejects if the process ends first or the time runs out. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<void>;
  done: Promise<CliResult>;
  interrupt(): void;
}

/** The built CLI as a background process, for commands that keep running (watch, wait). */
export function startCli(args: string[], env: Record<string, string | undefined>): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end();
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
      for (const listener of listeners) listener();
    });
  });
  let ended = false;
  void done.then(() => (ended = true));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    done,
    interrupt: () => child.kill('SIGINT'),
    waitForStdout(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`timed out waiting for ${pattern} in:\n${stdout}\n${stderr}`)), timeoutMs);
        const check = (): void => {
          if (pattern.test(stdout)) finish();
          else if (ended || child.exitCode !== null) finish(new Error(`process ended before ${pattern}:\n${stdout}\n${stderr}`));
        };
        function finish(error?: Error): void {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        }
        listeners.add(check);
        check();
      });
    },
  };
}
