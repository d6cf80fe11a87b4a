/**
 * The elements that choose among options: static and external selects, radio buttons and
 * checkboxes. Each reports the chosen option objects exactly as the app sent them, as Slack does.
 */
import { Checkbox, type ComboboxItem, Radio, Select, Stack } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { FieldProps } from './field.ts';
import { plainText } from './inspect.ts';
import { InlineMrkdwn } from './mrkdwn.tsx';
import { list, menuOptions, toOptions } from './read.ts';
import type { Option } from './types.ts';

/** How long typing must pause before an external select asks the app for options. */
const SEARCH_DEBOUNCE_MS = 250;
/** Slack's default for external_select's min_query_length. */
const DEFAULT_MIN_QUERY_LENGTH = 3;

function item(option: Option): ComboboxItem {
  return { value: option.value, label: plainText(option.text) };
}

function unique(options: readonly Option[]): Option[] {
  const seen = new Set<string>();
  return options.filter((option) => !seen.has(option.value) && seen.add(option.value));
}

/** Labels, size and width: full size with a visible label in an input block, compact elsewhere. */
function selectFrame(props: FieldProps) {
  const placeholder = plainText(props.element.placeholder);
  return {
    label: props.label,
    'aria-label': props.label ? undefined : props.name,
    placeholder: placeholder || 'Select an option',
    description: props.description,
    error: props.error,
    disabled: props.disabled,
    size: props.label ? 'sm' : 'xs',
    allowDeselect: false,
    ...(!props.label && { w: 220, maw: '100%' }),
  } as const;
}

export function StaticSelect(props: FieldProps) {
  const { element, value, commit } = props;
  const { options, groups } = menuOptions(element);
  const all = [...options, ...groups.flatMap((group) => group.options)];
  const data = [
    ...options.map(item),
    ...groups.map((group) => ({ group: group.label, items: group.options.map(item) })),
  ];
  return (
    <Select
      {...selectFrame(props)}
      data={data}
      searchable
      value={value?.selected_option?.value ?? null}
      onChange={(picked) =>
        commit({
          type: 'static_select',
          selected_option: all.find((option) => option.value === picked) ?? null,
        })
      }
    />
  );
}

/**
 * A select whose options come from the app as the person types (Slack's block_suggestion).
 * The app has already filtered them, so the menu shows them all as they come.
 */
export function ExternalSelect(
  props: FieldProps & { query: (search: string) => Promise<readonly unknown[]> },
) {
  const { element, value, commit } = props;
  const selected = value?.selected_option ?? null;
  const min =
    typeof element.min_query_length === 'number'
      ? element.min_query_length
      : DEFAULT_MIN_QUERY_LENGTH;
  const [search, setSearch] = useState(selected ? plainText(selected.text) : '');
  const [wanted, setWanted] = useState<string | null>(null);
  const [found, setFound] = useState<Option[]>([]);
  const [status, setStatus] = useState<'idle' | 'loading' | 'failed'>('idle');
  // The latest query function, without restarting the debounce each time the owner re-renders.
  const query = useRef(props.query);
  useEffect(() => {
    query.current = props.query;
  });

  useEffect(() => {
    if (wanted === null || wanted.length < min) return;
    let current = true;
    setStatus('loading');
    const timer = setTimeout(() => {
      query.current(wanted).then(
        (options) => {
          if (!current) return;
          setFound(unique(toOptions(list(options))));
          setStatus('idle');
        },
        () => {
          if (!current) return;
          setFound([]);
          setStatus('failed');
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [wanted, min]);

  const options = unique([...found, ...(selected ? [selected] : [])]);
  const labels = new Set(options.map((option) => plainText(option.text)));
  const nothingFound =
    status === 'failed'
      ? 'Could not load the options. Try again.'
      : status === 'loading'
        ? 'Searching…'
        : search.length < min
          ? `Type at least ${min} characters`
          : 'No matches';
  return (
    <Select
      {...selectFrame(props)}
      data={options.map(item)}
      searchable
      filter={({ options: all }) => all}
      nothingFoundMessage={nothingFound}
      searchValue={search}
      onSearchChange={(next) => {
        setSearch(next);
        // Mantine also reports the search it already has (on mount, when it syncs with the value)
        // and an option's label when one is chosen: neither is a query. Asking on mount raced the
        // modal's submission, and asked about a window that had closed.
        if (next !== search && !labels.has(next)) setWanted(next);
      }}
      onDropdownOpen={() => {
        if (min === 0 && wanted === null) setWanted('');
      }}
      value={selected?.value ?? null}
      onChange={(picked) => {
        // A choice ends the search: a query still waiting out its debounce would ask about a
        // window the person may be about to submit and close.
        setWanted(null);
        commit({
          type: 'external_select',
          selected_option: options.find((option) => option.value === picked) ?? null,
        });
      }}
    />
  );
}

function OptionLabel({ option, users }: { option: Option; users: FieldProps['users'] }) {
  return option.text.type === 'mrkdwn' ? (
    <InlineMrkdwn text={option.text.text} users={users} />
  ) : (
    plainText(option.text)
  );
}

/** An option's description (a text object), as a radio's or checkbox's description. */
function optionDescription(option: Option): string | undefined {
  return plainText(option.description) || undefined;
}

function groupFrame(props: FieldProps) {
  return {
    label: props.label,
    'aria-label': props.label ? undefined : props.name,
    description: props.description,
    error: props.error,
    disabled: props.disabled,
  };
}

export function RadioButtons(props: FieldProps) {
  const { element, value, commit, users } = props;
  const options = unique(toOptions(element.options));
  return (
    <Radio.Group
      {...groupFrame(props)}
      value={value?.selected_option?.value ?? null}
      onChange={(picked) =>
        commit({
          type: 'radio_buttons',
          selected_option: options.find((option) => option.value === picked) ?? null,
        })
      }
    >
      <Stack gap={6} mt={props.label ? 6 : 0}>
        {options.map((option) => (
          <Radio
            key={option.value}
            value={option.value}
            label={<OptionLabel option={option} users={users} />}
            description={optionDescription(option)}
            disabled={props.disabled}
          />
        ))}
      </Stack>
    </Radio.Group>
  );
}

export function Checkboxes(props: FieldProps) {
  const { element, value, commit, users } = props;
  const options = unique(toOptions(element.options));
  return (
    <Checkbox.Group
      {...groupFrame(props)}
      value={(value?.selected_options ?? []).map((option) => option.value)}
      onChange={(picked) =>
        commit({
          type: 'checkboxes',
          // In the menu's order, as Slack reports them.
          selected_options: options.filter((option) => picked.includes(option.value)),
        })
      }
    >
      <Stack gap={6} mt={props.label ? 6 : 0}>
        {options.map((option) => (
          <Checkbox
            key={option.value}
            value={option.value}
            label={<OptionLabel option={option} users={users} />}
            description={optionDescription(option)}
            disabled={props.disabled}
          />
        ))}
      </Stack>
    </Checkbox.Group>
  );
}
