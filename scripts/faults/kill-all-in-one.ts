import { killDuringFanOut } from './kill-fan-out.ts';

export const killAllInOne = killDuringFanOut({
  id: 'kill-all-in-one',
  title: 'kill -9 of the all-in-one process mid fan-out, restarted after 5 s',
  deployment: 'all-in-one',
  victim: 'service',
});
