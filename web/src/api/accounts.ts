/** Admin accounts (invite, role, status, second-factor reset), their sessions and sign-ins. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from './client.ts';
import type { Role } from './types.ts';

export function useAccounts() {
  return useQuery({
    queryKey: ['accounts'],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/accounts')).accounts,
  });
}

export function useInvite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: { email: string; displayName: string; role: Role }) =>
      unwrap(await api.POST('/api/v1/admin/accounts', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['accounts'] }),
  });
}

export function useUpdateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: {
      id: string;
      changes: { role?: Role; status?: 'active' | 'deactivated'; displayName?: string };
    }) =>
      unwrap(
        await api.PATCH('/api/v1/admin/accounts/{id}', {
          params: { path: { id: input.id } },
          body: input.changes,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['accounts'] }),
  });
}

export function usePasswordResetLink() {
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(
        await api.POST('/api/v1/admin/accounts/{id}/password-reset-link', {
          params: { path: { id } },
        }),
      ),
  });
}

export function useResetSecondFactors() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(
        await api.POST('/api/v1/admin/accounts/{id}/second-factors/reset', {
          params: { path: { id } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['accounts'] }),
  });
}

export function useAccountSessions(id: string) {
  return useQuery({
    queryKey: ['accounts', id, 'sessions'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/admin/accounts/{id}/sessions', { params: { path: { id } } }))
        .sessions,
  });
}

export function useRevokeAccountSession(accountId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (sessionId: string) =>
      unwrap(
        await api.DELETE('/api/v1/admin/accounts/{id}/sessions/{sessionId}', {
          params: { path: { id: accountId, sessionId } },
        }),
      ),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: ['accounts', accountId, 'sessions'] }),
  });
}

export function useSignIns(id: string) {
  return useQuery({
    queryKey: ['accounts', id, 'sign-ins'],
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/admin/accounts/{id}/sign-ins', { params: { path: { id } } }))
        .signIns,
  });
}
