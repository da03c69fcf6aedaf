// Requests made from another machine (run inside the peer network namespace by test/e2e/lan.test.ts).
// argv[2]: JSON list of { method, url, headers?, body?, websocket? }; prints one JSON list of results:
// { status } for an HTTP answer, { opened: true } for a WebSocket, or { error: code } (e.g. ECONNREFUSED).
import http from 'node:http';
import WebSocket from 'ws';

const requests = JSON.parse(process.argv[2]);
const results = [];
for (const request of requests) {
  if (request.websocket) {
    results.push(
      await new Promise((resolve) => {
        const socket = new WebSocket(request.url, { headers: request.headers ?? {} });
        socket.once('open', () => {
          socket.close();
          resolve({ opened: true });
        });
        socket.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
        socket.once('error', (error) => resolve({ error: error.code ?? error.message }));
      }),
    );
    continue;
  }
  // node:http, not fetch: a spoofed Host header must go out as written.
  results.push(
    await new Promise((resolve) => {
      const outgoing = http.request(request.url, { method: request.method ?? 'GET', headers: request.headers ?? {}, timeout: 5000 }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode, body: body.slice(0, 2000), headers: response.headers }));
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
      outgoing.on('error', (error) => resolve({ error: error.code ?? error.message }));
      outgoing.end(request.body);
    }),
  );
}
console.log(JSON.stringify(results));
