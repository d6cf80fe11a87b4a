/** Workspace members as users.info describes them, with time zones computed as Slack does. */
import type { UsersInfoResponse } from '@slack/web-api';
import type { SlackStandInIdentity, SlackUserSeed } from './types.ts';

export const DEFAULT_TIME_ZONE = 'America/Los_Angeles';

/** Slack's user object for a seeded member. */
export function userObject(
  user: SlackUserSeed,
  workspace: { identity: SlackStandInIdentity; startedAtSeconds: number },
  includeLocale: boolean,
): NonNullable<UsersInfoResponse['user']> {
  const now = new Date();
  const tz = user.tz ?? DEFAULT_TIME_ZONE;
  const realName = user.realName ?? `User ${user.id}`;
  const [firstName = realName, ...otherNames] = realName.split(' ');
  const isBot = user.isBot ?? false;
  return {
    id: user.id,
    team_id: user.teamId ?? workspace.identity.teamId,
    name: user.name ?? realName.toLowerCase().replaceAll(/\s+/g, '.'),
    deleted: user.deleted ?? false,
    color: '9f69e7',
    real_name: realName,
    tz,
    tz_label: user.tzLabel ?? timeZoneLabel(tz, now),
    tz_offset: user.tzOffset ?? timeZoneOffsetSeconds(tz, now),
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: '',
      display_name_normalized: '',
      first_name: firstName,
      last_name: otherNames.join(' '),
      title: '',
      phone: '',
      skype: '',
      status_text: user.status?.text ?? '',
      status_emoji: user.status?.emoji ?? '',
      status_expiration: user.status?.expiration ?? 0,
      avatar_hash: 'g0000000000',
      image_48: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=48`,
      image_72: `https://secure.gravatar.com/avatar/${user.id}.jpg?s=72`,
      team: user.teamId ?? workspace.identity.teamId,
      ...(user.email ? { email: user.email } : {}),
      ...(isBot ? { bot_id: workspace.identity.botId, api_app_id: workspace.identity.appId } : {}),
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: isBot,
    is_app_user: false,
    updated: workspace.startedAtSeconds,
    is_email_confirmed: !isBot,
    who_can_share_contact_card: 'EVERYONE',
    ...(includeLocale ? { locale: user.locale ?? 'en-US' } : {}),
  };
}

export function timeZoneLabel(timeZone: string, at: Date): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'long' }).formatToParts(
    at,
  );
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
}

export function timeZoneOffsetSeconds(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    timeZoneName: 'longOffset',
  }).formatToParts(at);
  const name = parts.find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) return 0;
  const [, sign, hours, minutes] = match;
  return (sign === '-' ? -1 : 1) * (Number(hours) * 3600 + Number(minutes) * 60);
}
