import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type onSendHookHandler } from 'fastify';
import { zodOnly } from '../../../cloud/zodOnly';

/**
 * The display's files (the renderer's build in `root`, `/` its index.html), served by
 * @fastify/static from a Fastify instance of their own made at the first request for one: a car
 * that nobody looks at (a fleet's, driven through its automation API) never loads @fastify/static
 * and what it requires (about 9 ms and 3.5 MiB of its start). The handler is the web host's route
 * for every path it has no other route for: the request has passed the host's Host and token
 * checks there, and the headers those set (the token's cookie) go with the answer, as do the
 * host's own (`onSend`, run by the files' instance too).
 */
export function displayFiles(
  root: string,
  onSend: onSendHookHandler,
): { serve(request: FastifyRequest, reply: FastifyReply): Promise<void>; close(): Promise<void> } {
  let files: Promise<FastifyInstance> | undefined;
  const open = async (): Promise<FastifyInstance> => {
    const { default: fastifyStatic } = await import('@fastify/static');
    const app = Fastify({ ...zodOnly, logger: false });
    app.addHook('onSend', onSend);
    await app.register(fastifyStatic, { root, index: 'index.html' });
    await app.ready();
    return app;
  };
  return {
    async serve(request, reply) {
      files ??= open();
      const app = await files;
      for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
      reply.hijack();
      app.routing(request.raw, reply.raw);
    },
    async close() {
      await (await files?.catch(() => undefined))?.close();
    },
  };
}
