import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { zodOnly } from '../../cloud/zodOnly';

describe("the app's servers without Fastify's JSON-schema compilers", () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answer a route that declares no schema, its JSON reply as JSON.stringify writes it', async () => {
    const server = (app = Fastify(zodOnly));
    server.post('/echo', async (request) => ({ got: request.body, at: 'ünïcode' }));
    const reply = await server.inject({ method: 'POST', url: '/echo', payload: { a: [1, 'b'] } });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.body).toBe(JSON.stringify({ got: { a: [1, 'b'] }, at: 'ünïcode' }));
  });

  it('refuse, at ready and saying why, a route that declares a request schema', async () => {
    app = Fastify(zodOnly);
    app.post('/checked', { schema: { body: { type: 'object', required: ['a'] } } }, async () => ({}));
    await expect(app.ready()).rejects.toThrow(/declare no JSON schema.*zod/);
  });

  it('refuse a route that declares a response schema', async () => {
    app = Fastify(zodOnly);
    app.get('/shaped', { schema: { response: { 200: { type: 'object' } } } }, async () => ({}));
    await expect(app.ready()).rejects.toThrow(/declare no JSON schema/);
  });
});
