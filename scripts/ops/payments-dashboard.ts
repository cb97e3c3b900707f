import { join } from 'node:path';
import { LegendDisplayMode, LegendPlacement, VizLegendOptionsBuilder } from '@grafana/grafana-foundation-sdk/common';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { DashboardBuilder, DatasourceVariableBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { repoRoot } from '../lib/paths';

/** Where the dashboard is committed; `npm run dashboards` writes it, a unit test checks it is current. */
export const PAYMENTS_DASHBOARD_FILE = join(repoRoot, 'ops/grafana/payments.json');

/** Every query reads the Prometheus the importer picks for this variable. */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

/** The checkout routes' template prefix (the route label, docs/operations.md "Metrics"). */
const PAYMENT_ROUTES = 'route=~"/v1/.*"';

/** Attempts that brought no answer and are retried (upstream_attempts_total's outcomes). */
const UNANSWERED = 'outcome=~"retryable_status|unreadable_answer|timeout|network_error"';

/** Panel ids, unique within the dashboard (Grafana keys panel links and state by them); the builders leave them 0. */
let lastPanelId = 0;
function nextPanelId(): number {
  lastPanelId += 1;
  return lastPanelId;
}

function row(title: string): RowBuilder {
  return new RowBuilder(title).id(nextPanelId());
}

/** A target: PromQL and how its series are named in the legend. */
function query(expr: string, legend: string): DataqueryBuilder {
  return new DataqueryBuilder().datasource(DATASOURCE).expr(expr).legendFormat(legend);
}

function panel(title: string, description: string, unit: string, targets: DataqueryBuilder[]): TimeseriesPanelBuilder {
  return new TimeseriesPanelBuilder()
    .id(nextPanelId())
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .min(0)
    .height(8)
    .span(12)
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom))
    .targets(targets);
}

/** The payments dashboard, built with Grafana's typed builders so the compiler checks it against Grafana's schema. */
export function paymentsDashboard(): Dashboard {
  lastPanelId = 0;
  const rate = '[$__rate_interval]';
  const quantile = (q: number, metric: string, matchers: string, by: string) =>
    `histogram_quantile(${q}, sum by (le${by}) (rate(${metric}_bucket${matchers === '' ? '' : `{${matchers}}`}${rate})))`;
  return new DashboardBuilder('Payments')
    .uid('payment-orchestrator')
    .description('Payment writes, the upstream, follow-ups, notifications, callbacks and Temporal task queues (docs/operations.md, "Dashboards and alerts")')
    .tags(['payments', 'temporal'])
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('browser')
    .withVariable(new DatasourceVariableBuilder('datasource').label('Prometheus').type('prometheus'))
    .withRow(row('Payment writes (API)'))
    .withPanel(
      panel('Runs started and attached', 'How each write settled its idempotency key: a new run, the key’s run, or neither', 'reqps', [
        query(`sum by (decision) (rate(payment_run_decisions_total${rate}))`, '{{decision}}'),
      ]),
    )
    .withPanel(panel('Answers by status', 'Checkout answers by HTTP status', 'reqps', [query(`sum by (status) (rate(http_requests_total{${PAYMENT_ROUTES}}${rate}))`, '{{status}}')]))
    .withPanel(
      panel('Answers by outcome', 'Payment write answers: the upstream’s verdict, or why there was none (423 still_running, gave_up …)', 'reqps', [
        query(`sum by (outcome) (rate(payment_write_outcomes_total${rate}))`, '{{outcome}}'),
      ]),
    )
    .withPanel(
      panel('Latency', 'Arrival to response sent, waiting for the run included', 's', [
        query(quantile(0.5, 'http_request_duration_seconds', PAYMENT_ROUTES, ''), 'p50'),
        query(quantile(0.95, 'http_request_duration_seconds', PAYMENT_ROUTES, ''), 'p95'),
        query(quantile(0.99, 'http_request_duration_seconds', PAYMENT_ROUTES, ''), 'p99'),
        query('sum(payment_result_waits_in_flight)', 'waiting now'),
      ]).overrideByName('waiting now', [{ id: 'unit', value: 'short' }]),
    )
    .withRow(row('Upstream (worker)'))
    .withPanel(
      panel('Upstream attempts by outcome', 'Calls to Mercado Pago (or the simulator) by outcome', 'reqps', [
        query(`sum by (outcome) (rate(upstream_attempts_total${rate}))`, '{{outcome}}'),
      ]),
    )
    .withPanel(
      panel('Retries and give-ups', 'Attempts that brought no answer (each is retried), and answers that gave up after UPSTREAM_RETRY_BUDGET_MS', 'reqps', [
        query(`sum by (operation) (rate(upstream_attempts_total{${UNANSWERED}}${rate}))`, 'retried: {{operation}}'),
        query(`sum by (operation) (rate(payment_write_outcomes_total{outcome="gave_up"}${rate}))`, 'gave up: {{operation}}'),
      ]),
    )
    .withPanel(
      panel('Upstream attempt latency (p95)', 'One attempt, from sending to its whole answer', 's', [
        query(quantile(0.95, 'upstream_attempt_duration_seconds', '', ', operation'), '{{operation}}'),
      ]),
    )
    .withRow(row('After the answer'))
    .withPanel(
      panel(
        'Follow-ups awaiting and settled',
        'Reads of orders and Wallet Connect payments still awaiting their final state, and follow-ups that ended, by outcome (unsettled: the horizon passed). How many await right now: the Web UI, PaymentOutcome="awaiting_final_state"',
        'short',
        [
          query(
            `sum(increase(temporal_activity_execution_latency_seconds_count{activity_type=~"readUpstreamOrder|readUpstreamAdvancedPayment", workflow_type=~"orderFollowUpWorkflow|advancedPaymentFollowUpWorkflow"}${rate}))`,
            'reads of awaiting payments',
          ),
          query(`sum by (outcome) (increase(follow_ups_total${rate}))`, 'settled: {{outcome}}'),
        ],
      ),
    )
    .withPanel(
      panel('Notifications by result', 'Mercado Pago’s signed notifications: accepted … (200), bad_signature and stale (401), unavailable (500)', 'reqps', [
        query(`sum by (result) (rate(webhook_notifications_total${rate}))`, '{{result}}'),
      ]),
    )
    .withPanel(
      panel('Callbacks delivered, pending and failed', 'Deliveries to clients’ callback URLs: refused_status and network_error attempts failed and leave a retry pending', 'reqps', [
        query(`sum by (result) (rate(callback_deliveries_total{result!="not_configured"}${rate}))`, '{{result}}'),
      ]),
    )
    .withRow(row('Temporal (worker)'))
    .withPanel(
      panel('Schedule-to-start (p95)', 'How long tasks wait in the task queue for a worker: growing means too few workers or pollers', 's', [
        query(quantile(0.95, 'temporal_workflow_task_schedule_to_start_latency_seconds', '', ', task_queue'), 'workflow tasks: {{task_queue}}'),
        query(quantile(0.95, 'temporal_activity_schedule_to_start_latency_seconds', '', ', task_queue'), 'activity tasks: {{task_queue}}'),
      ]),
    )
    .withPanel(
      panel('Task slots available', 'Free execution slots per worker kind (all workers summed)', 'short', [
        query('sum by (worker_type) (temporal_worker_task_slots_available)', '{{worker_type}}'),
      ]),
    )
    .build();
}
