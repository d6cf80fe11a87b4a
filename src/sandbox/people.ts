/**
 * The sandbox's made-up workspace: a few managers in different time zones, so a newcomer sees
 * how local times work, and the bot. Slack-shaped ids, so every path treats them as real ones.
 */
export interface SandboxPerson {
  userId: string;
  name: string;
  title: string;
  timeZone: string;
}

export const SANDBOX_TEAM = {
  teamId: 'T0SANDBOX1',
  teamName: 'Blindspot sandbox',
  teamDomain: 'blindspot-sandbox',
  appId: 'A0SANDBOX1',
  botId: 'B0SANDBOX1',
  botUserId: 'U0SANDBOT1',
  botName: 'Blindspot',
} as const;

export const SANDBOX_PEOPLE: readonly SandboxPerson[] = [
  {
    userId: 'U0SBADA001',
    name: 'Ada Osei',
    title: 'Engineering manager',
    timeZone: 'Europe/London',
  },
  { userId: 'U0SBRAVI01', name: 'Ravi Iyer', title: 'Head of data', timeZone: 'Asia/Kolkata' },
  { userId: 'U0SBMAYA01', name: 'Maya Torres', title: 'Design lead', timeZone: 'America/New_York' },
  { userId: 'U0SBKENJI1', name: 'Kenji Sato', title: 'Support manager', timeZone: 'Asia/Tokyo' },
];

export function personById(userId: string): SandboxPerson | undefined {
  return SANDBOX_PEOPLE.find((person) => person.userId === userId);
}
