// One loopback HTTP server that stands in for every AWS service sparkify
// talks to. The real SDK clients reach it through `endpoint` /
// AWS_ENDPOINT_URL. Services register here; each says which requests are its
// own (by X-Amz-Target prefix for JSON 1.1 services, by the SigV4 credential
// scope's service name for Query-protocol ones).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body's bytes as sent (S3 objects need not be text). */
  rawBody: Buffer;
  /** `RedshiftData.ExecuteStatement` style target (JSON 1.1), if any. */
  target?: string;
  /** Service name from the SigV4 Authorization header scope (`redshift`, `iam`, `sts`, ...). */
  signingService?: string;
  /** Query-protocol parameters (form-encoded body), if any. */
  form?: URLSearchParams;
}

export interface FakeResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
  /** Destroy the socket instead of answering (a dropped connection). */
  drop?: boolean;
  /** Send the headers and only this many bytes of the body, then destroy the socket (a truncated answer). */
  truncateAt?: number;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface FakeService {
  name: string;
  handles(request: FakeRequest): boolean;
  handle(request: FakeRequest): Promise<FakeResponse> | FakeResponse;
  /** Test-control routes under /_fake/<name>/... (state dumps, clocks, faults). */
  control?(path: string, body: unknown): unknown;
  close?(): Promise<void>;
}

export interface RunningFake {
  url: string;
  port: number;
  server: Server;
  services: FakeService[];
  close(): Promise<void>;
}

function parseSigningService(authorization: string | undefined): string | undefined {
  const match = authorization?.match(/Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/);
  return match?.[1];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeAws(options: { port?: number; services: FakeService[] }): Promise<RunningFake> {
  const services = options.services;
  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InternalServerException', message: String((error as Error)?.message ?? error) }));
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const body = rawBody.toString('utf8');
    const path = req.url ?? '/';
    if (path.startsWith('/_fake/')) {
      const [, , name, ...rest] = path.split('/');
      const service = services.find((s) => s.name === name);
      if (!service?.control) {
        res.writeHead(404).end();
        return;
      }
      const result = await service.control('/' + rest.join('/'), body ? JSON.parse(body) : undefined);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result ?? null));
      return;
    }
    const contentType = String(req.headers['content-type'] ?? '');
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body,
      rawBody,
      target: typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined,
      signingService: parseSigningService(req.headers.authorization),
      form: contentType.includes('x-www-form-urlencoded') ? new URLSearchParams(body) : undefined,
    };
    const service = services.find((s) => s.handles(request));
    if (!service) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `no fake for ${request.target ?? request.signingService ?? path}` }));
      return;
    }
    const response = await service.handle(request);
    if (response.delayMs) await new Promise((r) => setTimeout(r, response.delayMs));
    if (response.drop) {
      req.socket.destroy();
      return;
    }
    res.writeHead(response.status, response.headers ?? {});
    if (response.truncateAt !== undefined) {
      res.write(Buffer.from(response.body).subarray(0, response.truncateAt), () => req.socket.destroy());
      return;
    }
    res.end(response.body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    services,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const service of services) await service.close?.();
    },
  };
}
