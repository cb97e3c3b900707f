import express from 'express';
import type { AddressInfo } from 'node:net';
import { routeLabel, UNMATCHED_ROUTE } from './route-label';

/** Route labels from a real Express router, as the API's middleware reads them when a response closes. */
describe('routeLabel', () => {
  it('names the route template, never the path, and one label for every unmatched path', async () => {
    const labels: string[] = [];
    const app = express();
    app.use((request, response, next) => {
      response.once('close', () => labels.push(routeLabel(request)));
      next();
    });
    app.post('/v1/orders/:orderId/process', (_request, response) => {
      response.status(200).end();
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await fetch(`${base}/v1/orders/ORD01/process`, { method: 'POST' });
      await fetch(`${base}/v1/orders/ORD02/process`, { method: 'POST' });
      await fetch(`${base}/wp-admin/ORD03`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }

    expect(labels).toEqual(['/v1/orders/:orderId/process', '/v1/orders/:orderId/process', UNMATCHED_ROUTE]);
  });
});
