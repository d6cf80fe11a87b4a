/**
 * Slack mrkdwn as React elements. Every piece of text becomes a React text node (escaped by
 * React), links carry only http, https or mailto URLs, and nothing is set as raw HTML: a message
 * can't inject markup, scripts or attributes into the page.
 */
import { Anchor, Box, Code, Text } from '@mantine/core';
import type { CSSProperties, JSX, ReactNode } from 'react';
import { plainText } from './inspect.ts';
import { type Inline, type Line, type MrkdwnBlock, parseMrkdwn } from './mrkdwn-parse.ts';
import { textObject } from './read.ts';

type Users = Readonly<Record<string, string>> | undefined;

const mentionStyle: CSSProperties = {
  background: 'var(--mantine-color-blue-light)',
  color: 'var(--mantine-color-blue-light-color)',
  borderRadius: 3,
  padding: '0 2px',
};
const quoteStyle: CSSProperties = {
  margin: 0,
  paddingLeft: 'var(--mantine-spacing-sm)',
  borderLeft: '4px solid var(--mantine-color-default-border)',
};
const listStyle: CSSProperties = { margin: 0, paddingLeft: '1.5em' };
const blockStyle: CSSProperties = { display: 'block' };

function userLabel(id: string, label: string | undefined, users: Users): string {
  const name = users && Object.hasOwn(users, id) ? users[id] : undefined;
  return `@${name ?? label ?? id}`;
}

function renderInline(nodes: readonly Inline[], users: Users): ReactNode[] {
  return nodes.map((node, index) => {
    const key = index;
    switch (node.kind) {
      case 'text':
        return node.text;
      case 'bold':
        return <strong key={key}>{renderInline(node.children, users)}</strong>;
      case 'italic':
        return <em key={key}>{renderInline(node.children, users)}</em>;
      case 'strike':
        return <s key={key}>{renderInline(node.children, users)}</s>;
      case 'code':
        return <Code key={key}>{node.text}</Code>;
      case 'link':
        return (
          <Anchor key={key} href={node.href} target="_blank" rel="noopener noreferrer">
            {node.label}
          </Anchor>
        );
      case 'user':
        return (
          <span key={key} style={mentionStyle}>
            {userLabel(node.id, node.label, users)}
          </span>
        );
      case 'channel':
        return (
          <span key={key} style={mentionStyle}>
            #{node.label ?? node.id}
          </span>
        );
      case 'special':
        return (
          <span key={key} style={mentionStyle}>
            {node.label}
          </span>
        );
      case 'emoji':
        return (
          <span key={key} role="img" aria-label={node.name}>
            {node.emoji}
          </span>
        );
    }
    return null;
  });
}

function renderLines(lines: readonly Line[], users: Users): ReactNode[] {
  return lines.flatMap((line, index) => [
    // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their place.
    ...(index > 0 ? [<br key={`br${index}`} />] : []),
    // biome-ignore lint/suspicious/noArrayIndexKey: as above.
    <span key={`line${index}`}>{renderInline(line, users)}</span>,
  ]);
}

/**
 * `inline`: inside a label or other phrasing content, where block elements are not allowed,
 * every block is a span shown as a block.
 */
function renderBlocks(blocks: readonly MrkdwnBlock[], users: Users, inline: boolean): ReactNode[] {
  return blocks.map((block, index) => {
    const key = index;
    switch (block.kind) {
      case 'paragraph':
        return inline ? (
          <span key={key} style={blockStyle}>
            {renderLines(block.lines, users)}
          </span>
        ) : (
          <div key={key}>{renderLines(block.lines, users)}</div>
        );
      case 'pre':
        return inline ? (
          <Code key={key} style={{ ...blockStyle, whiteSpace: 'pre-wrap' }}>
            {block.text}
          </Code>
        ) : (
          <Code key={key} block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {block.text}
          </Code>
        );
      case 'quote':
        return (
          <Box
            key={key}
            component={inline ? 'span' : 'blockquote'}
            style={{ ...blockStyle, ...quoteStyle }}
          >
            {renderBlocks(block.blocks, users, inline)}
          </Box>
        );
      case 'list': {
        const items = block.items.map((item, number) =>
          inline ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: items have no identity but their place.
            <span key={number} style={blockStyle}>
              {block.ordered ? `${block.start + number}. ` : '• '}
              {renderLines(item, users)}
            </span>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: as above.
            <li key={number}>{renderLines(item, users)}</li>
          ),
        );
        if (inline) return <span key={key}>{items}</span>;
        return block.ordered ? (
          <ol key={key} start={block.start} style={listStyle}>
            {items}
          </ol>
        ) : (
          <ul key={key} style={listStyle}>
            {items}
          </ul>
        );
      }
    }
    return null;
  });
}

/** Mrkdwn for places where only phrasing content is allowed (an option's label). */
export function InlineMrkdwn({ text, users }: { text: string; users?: Users }) {
  return <span>{renderBlocks(parseMrkdwn(text), users, true)}</span>;
}

/** A mrkdwn text, as Slack shows it: formatting, links, mentions, emoji, quotes and lists. */
export function Mrkdwn({
  text,
  users,
}: {
  text: string;
  users?: Readonly<Record<string, string>>;
}): JSX.Element {
  return (
    <Box style={{ overflowWrap: 'anywhere', display: 'flex', flexDirection: 'column', gap: 4 }}>
      {renderBlocks(parseMrkdwn(text), users, false)}
    </Box>
  );
}

/** A text object: mrkdwn formatted, plain_text as written (with its emoji). */
export function TextObjectView({ value, users }: { value: unknown; users?: Users }) {
  const text = textObject(value);
  if (!text) return null;
  if (text.type === 'mrkdwn') return <Mrkdwn text={text.text} users={users} />;
  return (
    <Text inherit style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {plainText(value)}
    </Text>
  );
}
