/**
 * Export and import of the whole catalogue. An import is all or nothing: a bad file is refused
 * with every problem, each under its line (CSV) or topic (JSON) and field, and nothing changes.
 */
import { Anchor, Button, FileInput, Group, List, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { ApiError, describeError } from '../../api/client.ts';
import { type ImportCounts, topicsExportUrl, useImportTopics } from '../../api/topics.ts';
import { FormAlert } from '../../components/form-alert.tsx';

/** The API's problems in the order of the file: "line 3: title" before "line 12: summary". */
function sortedProblems(fields: Readonly<Record<string, string>>): [string, string][] {
  const position = (key: string) => Number(key.match(/\d+/)?.[0] ?? -1);
  return Object.entries(fields).sort(([a], [b]) => position(a) - position(b) || a.localeCompare(b));
}

export function TopicTransfer({ teamId, canEdit }: { teamId: string; canEdit: boolean }) {
  const [file, setFile] = useState<File | null>(null);
  const [counts, setCounts] = useState<ImportCounts | null>(null);
  const imported = useImportTopics(teamId);
  const failure = imported.error;
  const problems = failure instanceof ApiError ? sortedProblems(failure.fields) : [];

  const upload = async () => {
    if (!file) return;
    setCounts(null);
    const text = await file.text();
    const format = /\.csv$/i.test(file.name) || file.type === 'text/csv' ? 'csv' : 'json';
    imported.mutate({ text, format }, { onSuccess: setCounts });
  };

  if (!canEdit) {
    return <Text>Editors can export and import the catalogue.</Text>;
  }
  return (
    <Stack>
      <Title order={2} size="h4">
        Export
      </Title>
      <Text size="sm">Every topic of the workspace, retired ones too.</Text>
      <Group>
        <Anchor href={topicsExportUrl(teamId, 'json')} download>
          Download JSON
        </Anchor>
        <Anchor href={topicsExportUrl(teamId, 'csv')} download>
          Download CSV
        </Anchor>
      </Group>
      <Title order={2} size="h4" mt="md">
        Import
      </Title>
      <Text size="sm">
        A file exported here, edited. Topics are matched by slug: new slugs are created, changed
        topics get a new revision, and topics the file leaves out are kept. A file with any problem
        is refused whole.
      </Text>
      <Group align="flex-end">
        <FileInput
          label="Topic file (JSON or CSV)"
          accept=".json,.csv,application/json,text/csv"
          value={file}
          onChange={setFile}
          clearable
          clearButtonProps={{ 'aria-label': 'Clear the chosen file' }}
          w={320}
        />
        <Button onClick={upload} disabled={!file} loading={imported.isPending}>
          Import
        </Button>
      </Group>
      {counts && (
        <Text role="status" data-testid="import-counts">
          Imported: {counts.created} created, {counts.updated} updated, {counts.unchanged}{' '}
          unchanged.
        </Text>
      )}
      {failure && (
        <Stack gap="xs" data-testid="import-problems">
          <FormAlert
            message={
              // The list below says each problem: the alert need not repeat the first.
              problems.length > 0
                ? `${problems.length === 1 ? 'One problem' : `${problems.length} problems`} in the file, so nothing was imported:`
                : describeError(failure)
            }
          />
          {problems.length > 0 && (
            <List size="sm" aria-label="Problems in the file">
              {problems.map(([where, problem]) => (
                <List.Item key={where}>
                  <strong>{where}</strong>: {problem}
                </List.Item>
              ))}
            </List>
          )}
        </Stack>
      )}
    </Stack>
  );
}
