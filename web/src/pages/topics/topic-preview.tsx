/**
 * The note as Slack will show it: the bot's own builder (src/bot/blocks/topic-message.ts), fed
 * the form's values, drawn by the Block Kit renderer. Importing the builder rather than copying
 * it is what keeps the preview exact when the message changes.
 */
import { Paper, Text } from '@mantine/core';
import { buildTopicMessage } from '../../../../src/bot/blocks/topic-message.ts';
import { type Language, voiceFor } from '../../../../src/bot/i18n/index.ts';
import type { TopicContent } from '../../api/topics.ts';
import { BlockKit } from '../../block-kit/index.ts';

export function TopicPreview({
  content,
  slug,
  language = 'en',
  label = 'Slack preview',
  testId = 'preview',
}: {
  content: TopicContent;
  slug: string;
  /** The language the note's own words (headings, buttons) are in: the text's language. */
  language?: Language;
  /** Names the region; a page with two previews (a translation's) names each apart. */
  label?: string;
  testId?: string;
}) {
  const message = buildTopicMessage(
    // A preview has no delivery: the ids only go into the buttons' values, which nobody sees.
    { id: 'preview', topic: { id: 'preview', slug, ...content } },
    [],
    // The note's own words in the language of the text shown, as a manager reading it sees them.
    voiceFor({ language }),
  );
  return (
    <Paper withBorder p="md" component="section" aria-label={label} data-testid={testId}>
      <Text size="xs" c="dimmed" mb="xs">
        Preview: the note as managers will see it in Slack
      </Text>
      <BlockKit blocks={message.blocks} disabled />
    </Paper>
  );
}
