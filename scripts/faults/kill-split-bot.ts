import { killDuringFanOut } from './kill-fan-out.ts';

export const killSplitBot = killDuringFanOut({
  id: 'kill-split-bot',
  title: 'kill -9 of the bot (split deployment) mid fan-out, restarted after 5 s',
  deployment: 'split',
  victim: 'bot',
});
