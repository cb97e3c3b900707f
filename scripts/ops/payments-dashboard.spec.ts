import { readFileSync } from 'node:fs';
import { dashboardQueries, recordedNames, ruleQueries, selectorsOf } from './ops-queries';
import { PAYMENTS_DASHBOARD_FILE, paymentsDashboard } from './payments-dashboard';

describe('the Grafana dashboard in ops/grafana', () => {
  it('is the JSON that Grafana’s typed builders make of scripts/ops/payments-dashboard.ts (`npm run dashboards` rewrites it)', () => {
    // The builders' types are Grafana's dashboard schema (the foundation SDK is generated from it),
    // so `npm run typecheck` checks the source, and this the committed file against the source.
    expect(JSON.parse(readFileSync(PAYMENTS_DASHBOARD_FILE, 'utf8'))).toEqual(JSON.parse(JSON.stringify(paymentsDashboard())));
  });

  it('has unique panel ids and a Prometheus query in every panel but the rows', () => {
    const panels = paymentsDashboard().panels ?? [];
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    const withoutQuery = panels.filter((panel) => panel.type !== 'row' && dashboardQueries({ panels: [panel] } as ReturnType<typeof paymentsDashboard>).length === 0);
    expect(withoutQuery).toEqual([]);
  });
});

describe('the metrics the rules and the panels name', () => {
  it('are read with PromQL’s grammar: function names, labels and durations are not metrics', () => {
    const expr = 'histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{route=~"/v1/.*"}[5m]))) / on (route) sum by (route) (x:y:rate5m offset 5m)';
    expect(selectorsOf({ where: 'test', expr })).toEqual([
      { metric: 'http_request_duration_seconds_bucket', labels: ['route'] },
      { metric: 'x:y:rate5m', labels: [] },
    ]);
  });

  it('refuses a query Prometheus would refuse', () => {
    expect(() => selectorsOf({ where: 'panel "broken"', expr: 'sum by (outcome) (rate(upstream_attempts_total[5m])' })).toThrow('panel "broken": PromQL syntax error');
  });

  it('are found in every rule and panel, and the recorded ones are recorded by a rule', () => {
    const queries = [...ruleQueries(), ...dashboardQueries(paymentsDashboard())];
    for (const query of queries) expect({ where: query.where, selectors: selectorsOf(query).length > 0 }).toEqual({ where: query.where, selectors: true });
    const recorded = recordedNames();
    const unrecorded = queries.flatMap((query) => selectorsOf(query).filter((selector) => selector.metric.includes(':') && !recorded.has(selector.metric)));
    expect(unrecorded).toEqual([]);
  });
});
