/**
 * Slack's mrkdwn in the Block Kit renderer (web/src/block-kit): the formatting people see in
 * Slack, rendered as React elements, and text written to inject markup, scripts or links to
 * other schemes rendered inert.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { MantineProvider } from '@mantine/core';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Mrkdwn, plainText } from '../../web/src/block-kit/index.ts';
import { parseMrkdwn } from '../../web/src/block-kit/mrkdwn-parse.ts';

/** The markup of `<Mrkdwn>`, without the style elements MantineProvider adds. */
function render(text: string, users?: Record<string, string>): string {
  return renderToString(
    createElement(MantineProvider, null, createElement(Mrkdwn, { text, users })),
  ).replace(/<style[^>]*>[\s\S]*?<\/style>/g, '');
}

/** The text a reader sees: tags dropped, React's escapes decoded. */
function visible(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Every `<a ...>` opening tag in the output. */
function anchors(html: string): string[] {
  return html.match(/<a\s[^>]*>/g) ?? [];
}

describe('formatting', () => {
  it('shows *bold*, _italic_, ~strike~ and `code` as such, nested too', () => {
    const html = render('*bold* and _italic_ and ~gone~ and `x = 1` and *bold _both_*');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>italic</em>');
    expect(html).toContain('<s>gone</s>');
    expect(html).toMatch(/<code[^>]*>x = 1<\/code>/);
    expect(html).toContain('<strong>bold <em>both</em></strong>');
    expect(visible(html)).not.toMatch(/[*_~`]/);
  });

  it('leaves markers inside words, and markers the bot escaped with a zero-width space, as text', () => {
    const html = render('snake_case_name, 2*3*4, and “\u200b*not bold\u200b*”');
    expect(html).not.toContain('<strong>');
    expect(html).not.toContain('<em>');
    expect(visible(html)).toContain('snake_case_name, 2*3*4');
    expect(visible(html)).toContain('*not bold\u200b*');
  });

  it('shows ```pre``` as a block without formatting inside it', () => {
    const html = render('Before\n```\n*not bold* <https://x.example|no>\n```\nAfter');
    expect(html).toMatch(/<pre[^>]*>\*not bold\* &lt;https:\/\/x.example\|no&gt;<\/pre>/);
    expect(html).not.toContain('<strong>');
  });

  it('keeps line breaks, and shows > quotes and •, - and 1. lists', () => {
    const html = render(
      'one\ntwo\n> quoted *line*\n• first\n    continued\n• second\n\n- dash\n\n1. alpha\n2. beta',
    );
    expect(html).toMatch(/one<\/span><br\/><span>two/);
    expect(html).toMatch(
      /<blockquote[^>]*><div><span>quoted <strong>line<\/strong><\/span><\/div><\/blockquote>/,
    );
    expect(html).toMatch(
      /<ul[^>]*><li><span>first<\/span><br\/><span>continued<\/span><\/li><li><span>second<\/span><\/li><\/ul>/,
    );
    expect(html).toMatch(/<ul[^>]*><li><span>dash<\/span><\/li><\/ul>/);
    expect(html).toMatch(
      /<ol start="1"[^>]*><li><span>alpha<\/span><\/li><li><span>beta<\/span><\/li><\/ol>/,
    );
  });

  it("unescapes Slack's &lt; &gt; &amp; once, so escaped text reads as typed", () => {
    expect(parseMrkdwn('a &lt; b &amp;&amp; c &gt; d, &amp;lt;')).toEqual([
      { kind: 'paragraph', lines: [[{ kind: 'text', text: 'a < b && c > d, &lt;' }]] },
    ]);
    const html = render('&lt;b&gt;not bold&lt;/b&gt;');
    expect(html).toContain('&lt;b&gt;not bold&lt;/b&gt;');
    expect(html).not.toContain('<b>');
  });
});

describe('links, mentions and emoji', () => {
  it('links <url|label> and bare <url>, opening a new tab without an opener', () => {
    const html = render(
      'See <https://example.com/a?b=1&amp;c=2|the guide> or <https://example.org>.',
    );
    const links = anchors(html);
    expect(links).toHaveLength(2);
    expect(links[0]).toContain('href="https://example.com/a?b=1&amp;c=2"');
    for (const link of links) {
      expect(link).toContain('target="_blank"');
      expect(link).toContain('rel="noopener noreferrer"');
    }
    expect(visible(html)).toBe('See the guide or https://example.org.');
  });

  it('links mailto: too', () => {
    expect(anchors(render('<mailto:ada@example.com|Write to Ada>'))[0]).toContain(
      'href="mailto:ada@example.com"',
    );
  });

  it('names users from the map, else by id, and shows channels and @here', () => {
    const users = { U123: 'Ada Lovelace' };
    expect(visible(render('Hi <@U123>, <@U999> and <@W1|old>', users))).toBe(
      'Hi @Ada Lovelace, @U999 and @old',
    );
    expect(visible(render('In <#C42|general> and <#C43>: <!here> <!channel>'))).toBe(
      'In #general and #C43: @here @channel',
    );
    expect(visible(render('<!subteam^S1|@managers> <!date^1392734382^{date}|Feb 18, 2014>'))).toBe(
      '@managers Feb 18, 2014',
    );
  });

  it('shows known :shortcodes: as emoji and leaves unknown ones and times as typed', () => {
    const html = render(':tada: done :white_check_mark: :no_such_emoji: at 09:00:30');
    expect(html).toContain('<span role="img" aria-label="tada">🎉</span>');
    expect(visible(html)).toBe('🎉 done ✅ :no_such_emoji: at 09:00:30');
  });

  it('maps shortcodes in plain_text unless emoji is false', () => {
    expect(plainText({ type: 'plain_text', text: ':wave: Hi', emoji: true })).toBe('👋 Hi');
    expect(plainText({ type: 'plain_text', text: ':wave: Hi' })).toBe('👋 Hi');
    expect(plainText({ type: 'plain_text', text: ':wave: Hi', emoji: false })).toBe(':wave: Hi');
    expect(plainText({ type: 'mrkdwn', text: '*Hi*' })).toBe('*Hi*');
    expect(plainText(undefined)).toBe('');
    expect(plainText({ text: 42 })).toBe('');
  });
});

describe('text written to attack the page', () => {
  it('never renders a script element', () => {
    for (const text of [
      '<script>alert(1)</script>',
      '&lt;script&gt;alert(1)&lt;/script&gt;',
      '`<script>alert(1)</script>`',
      '```<script>alert(1)</script>```',
      '*<script>alert(1)</script>*',
    ]) {
      expect(render(text), text).not.toMatch(/<script/i);
    }
  });

  it('shows links to other schemes as text, never as links', () => {
    for (const text of [
      '<javascript:alert(1)|click me>',
      '<JavaScript:alert(1)>',
      '< javascript:alert(1)|click me>',
      '<data:text/html;base64,PHNjcmlwdD4=|click me>',
      '<vbscript:msgbox(1)|click me>',
      '<file:///etc/passwd|click me>',
    ]) {
      const html = render(text);
      expect(anchors(html), text).toEqual([]);
      expect(html, text).not.toMatch(/href=/i);
    }
    expect(visible(render('<javascript:alert(1)|click me>'))).toBe('click me');
  });

  it('keeps attribute and tag injection inside text and encoded URLs', () => {
    const html = render(
      '<https://example.com/" onmouseover="alert(1)|x> <https://example.com|"><img src=x onerror=alert(1)>> <@U1>',
      { U1: '<img src=x onerror=alert(1)>' },
    );
    expect(html).not.toMatch(/<img/i);
    // No tag gained an event handler: the words stayed text, and quotes stayed inside the URL.
    for (const tag of html.match(/<[^>]*>/g) ?? []) expect(tag).not.toMatch(/\son\w+\s*=/i);
    expect(anchors(html)[0]).toContain('href="https://example.com/%22%20onmouseover=%22alert(1)"');
    expect(visible(html)).toContain('@<img src=x onerror=alert(1)>');
  });

  it('sets no HTML directly anywhere in the renderer', async () => {
    const folder = path.join(import.meta.dirname, '../../web/src/block-kit');
    for (const file of await readdir(folder)) {
      const source = await readFile(path.join(folder, file), 'utf8');
      expect(source, file).not.toMatch(/dangerouslySetInnerHTML|innerHTML|outerHTML/);
    }
  });
});
