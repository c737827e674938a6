import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../cdp/localHttps.js';
import { liveWorkers, type RunSetup } from '../cdp/run.js';

/**
 * The run's report endpoint, `https://localhost:<port>/reports/<name>`, fixed when the config
 * loads, for a `webServer` backend's `Reporting-Endpoints`. A browser the fixtures launched never
 * comes here: a host-resolver rule sends it to its own worker's collector server. A browser
 * without that rule (a remote server's, which refuses launch flags) does, and its upload is
 * forwarded to every worker's collector server, where the running test's collector takes it.
 */
export class CollectorFront {
  private constructor(
    private readonly run: RunSetup,
    private readonly server: Server,
  ) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void this.#handle(request, response));
  }

  static listen(run: RunSetup): CollectorFront {
    const server = createServer({ key: run.key, cert: run.certificate });
    server.listen(run.collectorPort, '127.0.0.1');
    server.unref();
    return new CollectorFront(run, server);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { body } = await readBody(request, 1024 * 1024);
    const workers = [...liveWorkers(this.run, 'collectors').values()];
    if (!workers.length) {
      response.writeHead(503, { 'Content-Type': 'text/plain' }).end('No test is running: the report collector receives while a test that uses it runs.\n');
      return;
    }
    const answers = await Promise.all(workers.map((port) => this.#forward(port, request, body).catch(() => undefined)));
    const answer = answers.find((a) => a && a.status < 300) ?? answers.find((a) => a !== undefined);
    if (!answer) {
      response.writeHead(502, { 'Content-Type': 'text/plain' }).end('No worker answered.\n');
      return;
    }
    response.writeHead(answer.status, answer.headers).end(answer.body);
  }

  #forward(port: number, request: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'origin', 'access-control-request-method', 'access-control-request-headers', 'user-agent']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    return new Promise((resolve, reject) => {
      const forwarded = httpsRequest(
        { host: '127.0.0.1', port, method: request.method, path: request.url, headers, ca: this.run.certificate, servername: 'localhost' },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => {
            const kept: Record<string, string> = {};
            for (const [name, value] of Object.entries(answer.headers)) if (typeof value === 'string' && name !== 'connection') kept[name] = value;
            resolve({ status: answer.statusCode ?? 502, headers: kept, body: Buffer.concat(chunks) });
          });
          answer.on('error', reject);
        },
      );
      forwarded.on('error', reject);
      forwarded.end(body);
    });
  }

  close(): void {
    this.server.close();
  }
}
