import type { App } from '@slack/bolt';
import { type ListenerDeps, onEvent, publishHome } from '../shared.ts';

/** Opening the Home tab shows where the manager stands. Bolt acknowledges events itself. */
export function registerAppHome(app: App, deps: ListenerDeps): void {
  const { logger } = deps;
  app.event(
    'app_home_opened',
    onEvent<'app_home_opened'>(
      logger,
      'publishing the App Home',
      ({ event }) => (event.tab === 'home' ? event.user : undefined),
      ({ client }, call) => publishHome(client, deps, call),
    ),
  );
}
