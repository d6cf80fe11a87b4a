/**
 * Block Kit as Slack shows it, for the sandbox's messages, modals and App Home and the admin's
 * topic preview. It renders the blocks the bot sends (see inspect.ts for the list); anything
 * else gets a visible placeholder, and no block, however malformed, throws.
 */
import { Box, Divider, Flex, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { type JSX, useState } from 'react';
import { Element } from './element.tsx';
import { initialState, plainText, SUPPORTED_BLOCKS } from './inspect.ts';
import { Mrkdwn, TextObjectView } from './mrkdwn.tsx';
import { Unsupported } from './placeholder.tsx';
import { actionIdOf, blockIdOf, type Json, list, record, string, typeOf } from './read.ts';
import type { BlockKitProps, ViewStateValue, ViewStateValues } from './types.ts';

/** An entry of a record, never one inherited from Object's prototype (a block_id may be 'constructor'). */
function ownValue<T>(object: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return object && Object.hasOwn(object, key) ? object[key] : undefined;
}

type Shared = Omit<BlockKitProps, 'blocks' | 'state' | 'onStateChange' | 'errors'> & {
  disabled: boolean;
};

function Section({ block, blockId, shared }: { block: Json; blockId: string; shared: Shared }) {
  const fields = list(block.fields);
  return (
    <Flex gap="sm" wrap="wrap" align="flex-start">
      <Stack gap={6} style={{ flex: '1 1 14rem', minWidth: 0 }}>
        {block.text !== undefined && <TextObjectView value={block.text} users={shared.users} />}
        {fields.length > 0 && (
          <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" verticalSpacing={6}>
            {fields.map((field, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fields have no identity but their place.
              <TextObjectView key={index} value={field} users={shared.users} />
            ))}
          </SimpleGrid>
        )}
      </Stack>
      {block.accessory !== undefined && (
        <Box style={{ flex: '0 1 auto', maxWidth: '100%' }}>
          <Element
            {...shared}
            element={block.accessory}
            place="accessory"
            blockId={blockId}
            actionId={actionIdOf(record(block.accessory), 0)}
          />
        </Box>
      )}
    </Flex>
  );
}

function Context({ block, shared }: { block: Json; shared: Shared }) {
  return (
    <Group gap={8} wrap="wrap" fz="xs" c="dimmed" align="center">
      {list(block.elements).map((element, index) => {
        const type = typeOf(element);
        const key = `${index}-${type}`;
        if (type === 'mrkdwn')
          return (
            <Mrkdwn key={key} text={string(record(element)?.text) ?? ''} users={shared.users} />
          );
        if (type === 'plain_text') return <span key={key}>{plainText(element)}</span>;
        return (
          <Element key={key} {...shared} element={element} place="context" blockId="" actionId="" />
        );
      })}
    </Group>
  );
}

function Actions({ block, blockId, shared }: { block: Json; blockId: string; shared: Shared }) {
  return (
    <Group gap="xs" wrap="wrap" align="flex-end">
      {list(block.elements).map((element, index) => (
        <Element
          // Keyed by what it is too, so a message whose buttons changed starts the new ones afresh.
          // biome-ignore lint/suspicious/noArrayIndexKey: an element's place is part of its identity.
          key={`${index}-${typeOf(element)}-${actionIdOf(record(element), index)}`}
          {...shared}
          element={element}
          place="actions"
          blockId={blockId}
          actionId={actionIdOf(record(element), index)}
        />
      ))}
    </Group>
  );
}

function InputBlock(props: {
  block: Json;
  blockId: string;
  shared: Shared;
  value: ViewStateValue | undefined;
  onValue: (actionId: string, next: ViewStateValue) => void;
  error: string | undefined;
}) {
  const { block, blockId, shared } = props;
  const element = record(block.element);
  const actionId = actionIdOf(element, 0);
  const hint = plainText(block.hint);
  const label = (
    <>
      {plainText(block.label)}
      {block.optional === true && (
        <Text span c="dimmed" size="sm" fw={400}>
          {' '}
          (optional)
        </Text>
      )}
    </>
  );
  return (
    <Element
      {...shared}
      element={block.element}
      place="input"
      blockId={blockId}
      actionId={actionId}
      input={{
        label,
        description: hint || undefined,
        error: props.error,
        value: props.value,
        onValue: (next) => props.onValue(actionId, next),
        dispatch: block.dispatch_action === true,
      }}
    />
  );
}

/** Blocks, laid out as Slack lays them out, and interactive. */
export function BlockKit(props: BlockKitProps): JSX.Element {
  const { blocks, state, onStateChange, errors } = props;
  // Uncontrolled when the owner passes no state (a message with an input block, say).
  const [own, setOwn] = useState<ViewStateValues>(() => initialState(blocks));
  const values = state ?? own;
  const shared: Shared = {
    onAction: props.onAction,
    loadOptions: props.loadOptions,
    users: props.users,
    disabled: props.disabled === true,
  };
  const setValue = (blockId: string, actionId: string, next: ViewStateValue) => {
    const updated: ViewStateValues = {
      ...values,
      [blockId]: { ...ownValue(values, blockId), [actionId]: next },
    };
    if (state === undefined) setOwn(updated);
    onStateChange?.(updated);
  };

  return (
    <Stack gap="sm" fz="sm" style={{ minWidth: 0 }}>
      {list(blocks).map((raw, index) => {
        const type = typeOf(raw);
        const block = record(raw);
        const blockId = blockIdOf(block, index);
        const key = `${index}-${type}-${blockId}`;
        if (!block || !SUPPORTED_BLOCKS.has(type))
          return <Unsupported key={key} kind="block" type={type} />;
        switch (type) {
          case 'section':
            return <Section key={key} block={block} blockId={blockId} shared={shared} />;
          case 'header':
            return (
              <Text key={key} fw={700} fz="lg" style={{ overflowWrap: 'anywhere' }}>
                {plainText(block.text)}
              </Text>
            );
          case 'divider':
            return <Divider key={key} />;
          case 'context':
            return <Context key={key} block={block} shared={shared} />;
          case 'actions':
            return <Actions key={key} block={block} blockId={blockId} shared={shared} />;
          default: {
            const actionId = actionIdOf(record(block.element), 0);
            return (
              <InputBlock
                key={key}
                block={block}
                blockId={blockId}
                shared={shared}
                value={ownValue(ownValue(values, blockId), actionId)}
                onValue={(id, next) => setValue(blockId, id, next)}
                error={ownValue(errors, blockId)}
              />
            );
          }
        }
      })}
    </Stack>
  );
}
