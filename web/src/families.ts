/**
 * A family of topics as people read it. The API names families by their id (`category`, such
 * as 'judging-people-fairly'); pages show the name from docs/content.md's family table, and a
 * family an editor added shows its id's words ('praise-and-process' → 'Praise and process').
 */
const NAMES: Readonly<Record<string, string>> = {
  'clarity-and-direction': 'Clarity and direction',
  'judging-people-fairly': 'Judging people fairly',
  'listening-and-communication': 'Listening and communication',
  'recognition-and-feedback': 'Recognition and feedback',
  'team-climate-and-growth': 'Team climate and growth',
  'decisions-under-uncertainty': 'Decisions under uncertainty',
  'energy-and-attention': 'Your energy and attention',
};

export function familyName(id: string): string {
  const named = NAMES[id];
  if (named) return named;
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Select options for families: the id as the value, the name as the label, sorted by name. */
export function familyOptions(ids: Iterable<string>): { value: string; label: string }[] {
  return [...new Set(ids)]
    .map((id) => ({ value: id, label: familyName(id) }))
    .sort((a, b) => a.label.localeCompare(b.label));
}
