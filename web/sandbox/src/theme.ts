/**
 * The sandbox's look: Slack's colours where they help a newcomer recognise the workspace (an
 * aubergine sidebar, a green Send), and the admin app's contrast fixes (web/src/app.tsx), since
 * axe-core checks this page in the end-to-end test too.
 */
import { type CSSVariablesResolver, createTheme, Notification } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'teal',
  // Filled buttons take this shade of every colour: 9 keeps white text above WCAG AA's 4.5:1
  // (Mantine's default, 6, falls short), in both schemes since Slack's buttons look the same.
  primaryShade: { light: 9, dark: 9 },
  defaultRadius: 'md',
  components: {
    // Mantine's close button on a notification has no name of its own, and the text under a
    // title is gray 6 (3.3:1 on white): the time machine's sentences use both.
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } },
      styles: { description: { color: 'var(--mantine-color-dimmed)' } },
    }),
  },
});

/**
 * The renderer paints Slack's primary buttons green; Mantine's green 9 is 4.4:1 under white
 * text, Slack's own green (#007a5a) 5.4:1. Filled colours are set per scheme, so both get it.
 */
const slackGreen = {
  '--mantine-color-green-filled': '#007a5a',
  '--mantine-color-green-filled-hover': '#006048',
};

export const contrastVariables: CSSVariablesResolver = (current) => ({
  variables: {},
  light: {
    ...slackGreen,
    '--mantine-color-dimmed': current.colors.gray[7] ?? '#495057',
    '--mantine-color-yellow-light-color': '#7a4300',
    '--mantine-color-teal-light-color': '#05564a',
    '--mantine-color-error': current.colors.red[9] ?? '#c92a2a',
    '--sandbox-ephemeral-bg': '#f3f0e6',
  },
  dark: {
    ...slackGreen,
    '--mantine-color-dimmed': current.colors.dark[1] ?? '#b8b8b8',
    '--mantine-color-error': current.colors.red[3] ?? '#ff8787',
    '--sandbox-ephemeral-bg': '#2e2b22',
  },
});
