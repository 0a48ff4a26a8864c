/**
 * One HTTP request on its own TCP connection (no keep-alive pool), so a fault the proxy applies
 * to "the next connection" hits exactly this request. Network failures reject; HTTP errors resolve.
 */
import http from 'node:http';

export function rawRequest(url: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}${path}`,
      {
        method,
        agent: false,
        headers: { authorization: `Bearer ${token}`, ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
        timeout: 10_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('error', reject);
        response.on('aborted', () => reject(new Error('response aborted')));
        response.on('end', () => {
          if (!response.complete) return reject(new Error('response cut short'));
          const text = Buffer.concat(chunks).toString();
          try {
            resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          } catch (error) {
            reject(error as Error);
          }
        });
      },
    );
    request.on('error', reject);
    request.on('timeout', () => request.destroy(new Error('request timed out')));
    if (payload) request.write(payload);
    request.end();
  });
}

/** What a workstation does with a push: on a network failure or 5xx, send the very same request again. */
export async function withRetry<T extends { status: number }>(attempt: () => Promise<T>, tries = 8): Promise<{ result: T; failures: number }> {
  let failures = 0;
  for (;;) {
    try {
      const result = await attempt();
      if (result.status < 500 || failures + 1 >= tries) return { result, failures };
    } catch (error) {
      if (failures + 1 >= tries) throw error;
    }
    failures++;
    await new Promise((r) => setTimeout(r, 50 * failures));
  }
}
