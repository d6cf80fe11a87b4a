import { Box, Text } from '@mantine/core';

/**
 * What shows instead of a block or element the renderer doesn't know: visible, so a bot change
 * that uses a new Block Kit feature is noticed, and harmless, so it never breaks the page.
 */
export function Unsupported({ kind, type }: { kind: 'block' | 'element'; type: string }) {
  return (
    <Box
      data-block-kit-unsupported={`${kind}:${type}`}
      p="xs"
      style={{
        border: '1px dashed var(--mantine-color-default-border)',
        borderRadius: 'var(--mantine-radius-sm)',
      }}
    >
      <Text size="sm" c="dimmed">
        This {kind} ({type}) isn't shown in the sandbox.
      </Text>
    </Box>
  );
}
