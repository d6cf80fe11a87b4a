/**
 * What the single-scenario sections (`--only clicks`, `--only reads`) start: the Slack
 * stand-in, the all-in-one service against it with fresh secrets, and the same steady runs
 * (10 connections, a 3 s warm-up), all stopped by `cleanUp`.
 */
import { randomBytes } from 'node:crypto';
import { type SlackStandIn, startSlackStandIn } from '../../src/slack-emulator/index.ts';
import { apiCaller, cleanupsOnExit, log, steadyRuns } from './harness.ts';
import { type RunningDeployment, startDeployment } from './service.ts';

export const SECTION_WARM_UP_SECONDS = 3;

export interface SectionOptions {
  repoRoot: string;
  seconds: number;
  nodeOptions?: string;
  env: Record<string, string>;
  /** The stand-in's latency for every Web API call. */
  slackLatencyMs?: number;
}

/** A single-scenario section's options: the service's, and the rates to run it at. */
export interface RatedSectionOptions extends SectionOptions {
  rates: readonly number[];
}

export interface SectionService {
  standIn: SlackStandIn;
  deployment: RunningDeployment;
  /** Calls the API as the bot does, for the stand-in's workspace. */
  api: ReturnType<typeof apiCaller>;
  serviceToken: string;
  apiSigningSecret: string;
  /** Slack's signing secret, for requests built as Slack sends them. */
  signingSecret: string;
  steady: ReturnType<typeof steadyRuns>['steady'];
  settle: ReturnType<typeof steadyRuns>['settle'];
  defer: (name: string, run: () => Promise<unknown>) => void;
  cleanUp: () => Promise<void>;
}

export async function startSectionService(options: SectionOptions): Promise<SectionService> {
  const { steps, cleanUp } = cleanupsOnExit(15 * 60_000);
  const defer = (name: string, run: () => Promise<unknown>) => {
    steps.push({ name, run });
  };
  const { steady, settle } = steadyRuns({
    runSeconds: options.seconds,
    warmUpSeconds: SECTION_WARM_UP_SECONDS,
    connections: 10,
    settleMs: 2_000,
  });
  try {
    const standIn = await startSlackStandIn({ latencyMs: options.slackLatencyMs });
    defer('Slack stand-in', () => standIn.close());
    const signingSecret = randomBytes(16).toString('hex');
    const serviceToken = randomBytes(32).toString('base64url');
    const apiSigningSecret = randomBytes(32).toString('base64url');
    log('starting the service (all-in-one)…');
    const deployment = await startDeployment(
      'all-in-one',
      {
        repoRoot: options.repoRoot,
        slackApiUrl: standIn.url,
        slackBotToken: `xoxb-bench-${randomBytes(8).toString('hex')}`,
        slackSigningSecret: signingSecret,
        apiServiceToken: serviceToken,
        apiSigningSecret,
        nodeOptions: options.nodeOptions,
        env: options.env,
      },
      defer,
    );
    const service = deployment.api;
    log(
      `${service.name}: ${service.command}, pid ${service.pid}; ${deployment.databaseDescription}`,
    );
    const api = apiCaller(service.url, serviceToken, apiSigningSecret, standIn.identity.teamId);
    return {
      standIn,
      deployment,
      api,
      serviceToken,
      apiSigningSecret,
      signingSecret,
      steady,
      settle,
      defer,
      cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
