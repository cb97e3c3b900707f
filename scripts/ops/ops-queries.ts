import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { parse } from 'yaml';
import { PROMETHEUS_DIR, RULE_FILES } from './promtool';

/** One PromQL expression of the rules or the dashboard, named for messages. */
export interface OpsQuery {
  where: string;
  expr: string;
}

/** A metric a query selects, with the labels its matchers name. */
export interface Selector {
  metric: string;
  labels: string[];
}

interface RuleFile {
  groups: { name: string; rules: ({ record: string; expr: string } | { alert: string; expr: string })[] }[];
}

function ruleFiles(): RuleFile[] {
  return RULE_FILES.map((file) => parse(readFileSync(join(PROMETHEUS_DIR, file), 'utf8')) as RuleFile);
}

/** Every rule's expression. */
export function ruleQueries(): OpsQuery[] {
  return ruleFiles().flatMap((file) => file.groups.flatMap((group) => group.rules.map((rule) => ({ where: `rule ${'record' in rule ? rule.record : rule.alert}`, expr: rule.expr }))));
}

/** The series the recording rules write: queries may name them without any app exporting them. */
export function recordedNames(): Set<string> {
  return new Set(ruleFiles().flatMap((file) => file.groups.flatMap((group) => group.rules.flatMap((rule) => ('record' in rule ? [rule.record] : [])))));
}

/** Grafana's interval macros, as Grafana replaces them before sending a query to Prometheus. */
const GRAFANA_MACROS = /\$__(rate_interval|interval|range)\b/g;

/** Every panel target's expression, with Grafana's macros replaced by a duration. */
export function dashboardQueries(dashboard: Dashboard): OpsQuery[] {
  return (dashboard.panels ?? []).flatMap((panel) =>
    'targets' in panel
      ? (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title ?? ''}"`, expr: String((target as { expr?: unknown }).expr).replace(GRAFANA_MACROS, '5m') }))
      : [],
  );
}

/**
 * The metrics an expression selects, read with Prometheus's own PromQL grammar (the one its web UI
 * uses), so function names, label names and durations are never taken for metrics. A syntax
 * error throws: a query Prometheus would refuse names nothing.
 */
export function selectorsOf(query: OpsQuery): Selector[] {
  const tree = parser.parse(query.expr);
  const selectors: Selector[] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError) throw new Error(`${query.where}: PromQL syntax error at ${cursor.from} in ${query.expr}`);
    if (cursor.name !== 'VectorSelector') continue;
    const node = cursor.node;
    const identifier = node.getChild('Identifier');
    if (identifier === null) throw new Error(`${query.where}: a selector without a metric name in ${query.expr}`);
    const matchers = node.getChild('LabelMatchers');
    const labels = (matchers === null ? [] : matchers.getChildren('UnquotedLabelMatcher')).flatMap((matcher) => {
      const name = matcher.getChild('LabelName');
      return name === null ? [] : [query.expr.slice(name.from, name.to)];
    });
    selectors.push({ metric: query.expr.slice(identifier.from, identifier.to), labels });
  } while (cursor.next());
  return selectors;
}
