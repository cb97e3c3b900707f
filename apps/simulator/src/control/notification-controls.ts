import type { NotificationFaults } from '../notifications/notification-faults';
import { readNotificationFaultRequest } from '../notifications/notification-faults';
import type { NotificationLog } from '../notifications/notification-log';
import { notificationSettingsView, readNotificationSettingsUpdate, type NotificationSettings } from '../notifications/notification-settings';
import type { RouteTable } from '../http/route-table';
import { CONTROL_PREFIX, controlError, type ControlHandler } from './control-routes';

export interface NotificationControlDependencies {
  settings: NotificationSettings;
  faults: NotificationFaults;
  log: NotificationLog;
}

/** Signature details, the pending-settle delay, notification faults, and the list of notifications. */
export function addNotificationControls(routes: RouteTable<ControlHandler>, { settings, faults, log }: NotificationControlDependencies): void {
  routes
    .add('PUT', `${CONTROL_PREFIX}/notifications`, ({ body }) => {
      const reading = readNotificationSettingsUpdate(body);
      if (reading.kind === 'invalid') return controlError(400, 'invalid_notification_settings', reading.message);
      Object.assign(settings, reading.update);
      return { status: 200, body: notificationSettingsView(settings) };
    })
    .add('GET', `${CONTROL_PREFIX}/notifications`, ({ query }) => ({
      status: 200,
      body: {
        notifications: log.list({ orderId: query.get('order_id') ?? undefined, dataId: query.get('data_id') ?? undefined }).map((record) => ({ ...record })),
      },
    }))
    .add('POST', `${CONTROL_PREFIX}/notification-faults`, ({ body }) => {
      const reading = readNotificationFaultRequest(body);
      if (reading.kind === 'invalid') return controlError(400, 'invalid_notification_fault', reading.message);
      faults.add(reading.fault, reading.times);
      return { status: 201, body: { faults: faults.list() } };
    })
    .add('GET', `${CONTROL_PREFIX}/notification-faults`, () => ({ status: 200, body: { faults: faults.list() } }))
    .add('DELETE', `${CONTROL_PREFIX}/notification-faults`, () => ({ status: 200, body: { deleted: faults.clear() } }));
}
