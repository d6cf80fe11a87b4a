/**
 * One interactive (or image) element, wherever it sits. In an input block its value is the
 * view's state, kept by the owner; elsewhere (an actions block, a section's accessory) it keeps
 * its own, as Slack's client does, and every change is a block action.
 */
import { Button, Image, Textarea, TextInput } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { Checkboxes, ExternalSelect, RadioButtons, StaticSelect } from './choices.tsx';
import { useConfirm } from './confirm.tsx';
import type { FieldProps } from './field.ts';
import { initialValue, isSupportedElement, type Place, plainText } from './inspect.ts';
import { safeHref } from './mrkdwn-parse.ts';
import { Unsupported } from './placeholder.tsx';
import { type Json, record, string, typeOf } from './read.ts';
import type { BlockAction, BlockKitProps, ViewStateValue } from './types.ts';

/** What an element in an input block gets from its block. */
export interface InputSlot {
  label: ReactNode;
  description?: ReactNode;
  error?: string;
  value: ViewStateValue | undefined;
  onValue: (next: ViewStateValue) => void;
  /** dispatch_action: changes are block actions too. */
  dispatch: boolean;
}

export interface ElementProps extends Pick<BlockKitProps, 'onAction' | 'loadOptions' | 'users'> {
  element: unknown;
  place: Place;
  blockId: string;
  actionId: string;
  input?: InputSlot;
  disabled: boolean;
}

/** Slack's action_ts: seconds since the epoch, with six decimals. */
function actionTs(): string {
  return (Date.now() / 1000).toFixed(6);
}

function toAction(
  element: Json,
  blockId: string,
  actionId: string,
  value: ViewStateValue | undefined,
): BlockAction {
  const { type: _, value: text, ...fields } = value ?? { type: '' };
  // A button carries its own value; a text input (dispatching on Enter) carries what was typed.
  const carried = element.type === 'button' ? string(element.value) : (text ?? undefined);
  return {
    type: typeOf(element),
    action_id: actionId,
    block_id: blockId,
    ...(carried !== undefined && { value: carried }),
    ...fields,
    action_ts: actionTs(),
  };
}

/**
 * A field's value from its change event. Read without DOM types: this module is also compiled
 * by the server's tsconfig (no DOM library) when the renderer's tests import it.
 */
function eventValue(event: { currentTarget: unknown }): string {
  return string(record(event.currentTarget)?.value) ?? '';
}

function ButtonElement({
  element,
  onPress,
  disabled,
}: {
  element: Json;
  onPress: () => void;
  disabled: boolean;
}) {
  const label = plainText(element.text);
  const style = element.style;
  const look = {
    size: 'xs',
    variant: style === 'primary' || style === 'danger' ? 'filled' : 'default',
    color: style === 'primary' ? 'green' : style === 'danger' ? 'red' : undefined,
    'aria-label': string(element.accessibility_label),
    disabled,
  } as const;
  const href = safeHref(string(element.url) ?? '');
  if (href && (href.startsWith('http:') || href.startsWith('https:'))) {
    // A link button opens its page, and Slack still tells the app it was clicked.
    return (
      <Button
        {...look}
        component="a"
        href={href}
        target="_blank"
        rel="noopener noreferrer"
        onClick={onPress}
      >
        {label}
      </Button>
    );
  }
  return (
    <Button {...look} onClick={onPress}>
      {label}
    </Button>
  );
}

function ImageElement({ element, place }: { element: Json; place: Place }) {
  const src = safeHref(string(element.image_url) ?? '');
  const alt = string(element.alt_text) ?? '';
  if (!src || src.startsWith('mailto:')) return <span>{alt}</span>;
  const size = place === 'context' ? 20 : 72;
  return <Image src={src} alt={alt} w={size} h={size} radius="sm" fit="cover" />;
}

function DateOrTime(props: FieldProps & { kind: 'date' | 'time' }) {
  const { element, value, commit, kind } = props;
  const field = kind === 'date' ? 'selected_date' : 'selected_time';
  const placeholder = plainText(element.placeholder);
  return (
    <TextInput
      type={kind}
      // Compact beside an actions block's buttons, full size in a form.
      size={props.label ? 'sm' : 'xs'}
      label={props.label ?? placeholder}
      aria-label={props.label || placeholder ? undefined : props.name}
      description={props.description}
      error={props.error}
      disabled={props.disabled}
      value={value?.[field] ?? ''}
      onChange={(event) => {
        const text = eventValue(event);
        const picked = text === '' ? null : text;
        commit(
          kind === 'date'
            ? { type: 'datepicker', selected_date: picked }
            : { type: 'timepicker', selected_time: picked },
        );
      }}
    />
  );
}

function PlainTextInput(props: FieldProps & { onEnter?: () => void }) {
  const { element, value, commit } = props;
  const shared = {
    label: props.label,
    'aria-label': props.label ? undefined : props.name,
    description: props.description,
    error: props.error,
    disabled: props.disabled,
    placeholder: plainText(element.placeholder) || undefined,
    maxLength: typeof element.max_length === 'number' ? element.max_length : undefined,
    minLength: typeof element.min_length === 'number' ? element.min_length : undefined,
    value: value?.value ?? '',
    onChange: (event: { currentTarget: unknown }) => {
      const text = eventValue(event);
      // Slack reports an empty text input as null.
      commit({ type: 'plain_text_input', value: text === '' ? null : text });
    },
  };
  if (element.multiline === true) return <Textarea {...shared} autosize minRows={3} maxRows={12} />;
  return (
    <TextInput
      {...shared}
      onKeyDown={(event) => {
        if (event.key === 'Enter') props.onEnter?.();
      }}
    />
  );
}

export function Element(props: ElementProps) {
  const { place, blockId, actionId, input, onAction, users, disabled } = props;
  const element = record(props.element) ?? {};
  const type = typeOf(props.element);
  const [own, setOwn] = useState(() => initialValue(element));
  const { ask, dialog } = useConfirm(element.confirm, users);
  if (!isSupportedElement(place, type)) return <Unsupported kind="element" type={type} />;

  const fire = (value: ViewStateValue | undefined) =>
    onAction?.(toAction(element, blockId, actionId, value));
  const value = input ? (input.value ?? own) : own;
  const commit = (next: ViewStateValue) => {
    if (!input) {
      ask(() => {
        setOwn(next);
        fire(next);
      });
      return;
    }
    input.onValue(next);
    // A text input dispatches when Enter is pressed (Slack's default trigger), not per key.
    if (input.dispatch && type !== 'plain_text_input') ask(() => fire(next));
  };
  const field: FieldProps = {
    element,
    value,
    commit,
    label: input?.label,
    name: plainText(element.placeholder) || actionId,
    description: input?.description,
    error: input?.error,
    disabled,
    users,
  };

  let body: ReactNode;
  switch (type) {
    case 'button':
      body = (
        <ButtonElement
          element={element}
          disabled={disabled}
          onPress={() => ask(() => fire(undefined))}
        />
      );
      break;
    case 'image':
      body = <ImageElement element={element} place={place} />;
      break;
    case 'static_select':
      body = <StaticSelect {...field} />;
      break;
    case 'external_select':
      body = (
        <ExternalSelect
          {...field}
          query={(search) =>
            props.loadOptions?.({ action_id: actionId, block_id: blockId, value: search }) ??
            Promise.resolve([])
          }
        />
      );
      break;
    case 'radio_buttons':
      body = <RadioButtons {...field} />;
      break;
    case 'checkboxes':
      body = <Checkboxes {...field} />;
      break;
    case 'datepicker':
      body = <DateOrTime {...field} kind="date" />;
      break;
    case 'timepicker':
      body = <DateOrTime {...field} kind="time" />;
      break;
    case 'plain_text_input':
      body = (
        <PlainTextInput
          {...field}
          onEnter={input?.dispatch ? () => ask(() => fire(value)) : undefined}
        />
      );
      break;
    default:
      body = <Unsupported kind="element" type={type} />;
  }
  return (
    <>
      {body}
      {dialog}
    </>
  );
}
