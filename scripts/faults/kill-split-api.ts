import { killDuringFanOut } from './kill-fan-out.ts';

export const killSplitApi = killDuringFanOut({
  id: 'kill-split-api',
  title: 'kill -9 of the api (split deployment) mid fan-out, restarted after 5 s',
  deployment: 'split',
  victim: 'api',
});
