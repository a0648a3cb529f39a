// Admin HTTP endpoint on its own port: Prometheus metrics, liveness and readiness.
import Koa from 'koa';
import type { GatewayMetrics } from '../metrics';

export interface AdminEndpointOptions {
  metrics: GatewayMetrics;
  isReady: () => boolean;
  /** Extra GET routes by path prefix (e.g. route explanation), answered as JSON. */
  routes?: Array<{ prefix: string; handle: (path: string, query: URLSearchParams) => Promise<{ status: number; body: unknown }> }>;
}

export function createAdminEndpoint(options: AdminEndpointOptions): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(async (ctx) => {
    if (ctx.method !== 'GET') {
      ctx.status = 405;
      return;
    }
    if (ctx.path === '/metrics') {
      const { contentType, body } = await options.metrics.render();
      ctx.type = contentType;
      ctx.body = body;
      return;
    }
    if (ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
      return;
    }
    if (ctx.path === '/readyz') {
      const ready = options.isReady();
      ctx.status = ready ? 200 : 503;
      ctx.body = { status: ready ? 'ready' : 'starting' };
      return;
    }
    const route = options.routes?.find((candidate) => ctx.path.startsWith(candidate.prefix));
    if (!route) {
      ctx.status = 404;
      ctx.body = { error: `no admin resource at ${ctx.path}` };
      return;
    }
    let resource: string;
    try {
      resource = decodeURIComponent(ctx.path.slice(route.prefix.length));
    } catch {
      ctx.status = 400;
      ctx.body = { error: `${ctx.path} is not valid percent-encoding` };
      return;
    }
    const answer = await route.handle(resource, new URLSearchParams(ctx.querystring));
    ctx.status = answer.status;
    ctx.body = answer.body;
  });
  return app;
}
