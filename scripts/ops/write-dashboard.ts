import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { PAYMENTS_DASHBOARD_FILE, paymentsDashboard } from './payments-dashboard';

/** `npm run dashboards`: writes ops/grafana/payments.json from its source, formatted as `npm run format:check` wants it. */
async function writeDashboard(): Promise<void> {
  const options = await resolveConfig(PAYMENTS_DASHBOARD_FILE);
  writeFileSync(PAYMENTS_DASHBOARD_FILE, await format(JSON.stringify(paymentsDashboard()), { ...options, filepath: PAYMENTS_DASHBOARD_FILE }));
  console.log(`wrote ${PAYMENTS_DASHBOARD_FILE}`);
}

writeDashboard().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
