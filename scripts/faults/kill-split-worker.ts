import { killDuringFanOut } from './kill-fan-out.ts';

export const killSplitWorker = killDuringFanOut({
  id: 'kill-split-worker',
  title: 'kill -9 of the worker (split deployment) mid fan-out, restarted after 5 s',
  deployment: 'split',
  victim: 'worker',
});
