/**
 * Which workspace the topic pages work on. Topics belong to a Slack workspace, a session to
 * none, so the pages carry the choice in the address (?team=T0123), which keeps it across
 * pages, reloads and shared links; without it, the first active workspace is used.
 */
import { Select, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useWorkspaces, type Workspace } from '../../api/topics.ts';
import { QueryState } from '../../components/query-state.tsx';
import { navigate, useLocation } from '../../router.tsx';

function label(workspace: Workspace): string {
  const name = workspace.name ? `${workspace.name} (${workspace.teamId})` : workspace.teamId;
  return workspace.status === 'active' ? name : `${name}, uninstalled`;
}

/** An app path within the chosen workspace: `/topics/42` → `/topics/42?team=T0123`. */
export function inWorkspace(path: string, teamId: string): string {
  return `${path}?team=${encodeURIComponent(teamId)}`;
}

/** Renders `children` with the chosen workspace's team id, and a picker when there are several. */
export function WithWorkspace({ children }: { children: (teamId: string) => ReactNode }) {
  const workspaces = useWorkspaces();
  const { path, search } = useLocation();
  return (
    <QueryState query={workspaces}>
      {(list) => {
        const first = list[0];
        if (!first) {
          return (
            <Text>
              No Slack workspace has installed Blindspot yet. Topics appear here once one has.
            </Text>
          );
        }
        const wanted = search.get('team');
        const chosen = list.find((workspace) => workspace.teamId === wanted) ?? first;
        return (
          <>
            {list.length > 1 && (
              <Select
                label="Workspace"
                maw={360}
                mb="md"
                allowDeselect={false}
                data={list.map((workspace) => ({
                  value: workspace.teamId,
                  label: label(workspace),
                }))}
                value={chosen.teamId}
                onChange={(teamId) => teamId && navigate(inWorkspace(path, teamId))}
              />
            )}
            {children(chosen.teamId)}
          </>
        );
      }}
    </QueryState>
  );
}
