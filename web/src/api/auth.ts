/**
 * Sign-in, sessions and second factors: the calls under /api/v1/admin/auth, as TanStack Query
 * hooks. Every answer that carries a SessionInfo replaces the cached session, so the app moves
 * to the page its stage allows.
 */
import {
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken, unwrap } from './client.ts';
import type { SessionInfo } from './types.ts';

export const SESSION_KEY = ['session'] as const;

/**
 * The browser library's credential as the generated body type sees it: that type allows extra
 * members (an index signature), which the library's interfaces do not declare.
 */
type Plain<C> = Record<string, unknown> & {
  [K in keyof C]: C[K] extends object ? Record<string, unknown> & C[K] : C[K];
};

function plain<C extends object>(credential: C): Plain<C> {
  // Only the static type changes: the values are the library's own.
  return credential as Plain<C>;
}

/** Stores a fresh SessionInfo (and its CSRF token) as the current session. */
export function rememberSession(queryClient: QueryClient, session: SessionInfo): void {
  setCsrfToken(session.csrfToken);
  queryClient.setQueryData(SESSION_KEY, session);
}

/** Forgets everything cached about the signed-in person (sign-out, expiry, revocation). */
export function forgetSession(queryClient: QueryClient): void {
  setCsrfToken(undefined);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
  queryClient.setQueryData(SESSION_KEY, null);
}

/** The current session, or null when there is none (401 `unauthenticated`). */
export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<SessionInfo | null> => {
      try {
        const session = unwrap(await api.GET('/api/v1/admin/auth/session'));
        setCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useSetupNeeded() {
  return useQuery({
    queryKey: ['setup'],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/auth/setup')),
  });
}

/** Whether the sign-in page offers "Sign in with Slack" (configured on the server). */
export function useSlackSignIn() {
  return useQuery({
    queryKey: ['slack-sign-in'],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/auth/slack/status')).enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** A mutation whose answer is a SessionInfo that becomes the current session. */
function useSessionMutation<Input>(call: (input: Input) => Promise<SessionInfo>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (session) => rememberSession(queryClient, session),
  });
}

export function useSetup() {
  return useSessionMutation(
    async (body: { token: string; email: string; displayName: string; password: string }) =>
      unwrap(await api.POST('/api/v1/admin/auth/setup', { body })),
  );
}

export function useSignIn() {
  return useSessionMutation(async (body: { email: string; password: string }) =>
    unwrap(await api.POST('/api/v1/admin/auth/sign-in', { body })),
  );
}

export function useVerifyTotp() {
  return useSessionMutation(async (code: string) =>
    unwrap(await api.POST('/api/v1/admin/auth/totp/verify', { body: { code } })),
  );
}

export function useVerifyRecoveryCode() {
  return useSessionMutation(async (code: string) =>
    unwrap(await api.POST('/api/v1/admin/auth/recovery-codes/verify', { body: { code } })),
  );
}

/** A passkey as the second factor, or on its own (passwordless) when there is no session. */
export function usePasskeySignIn() {
  return useSessionMutation(async (_: undefined) => {
    const options = unwrap(
      await api.POST('/api/v1/admin/auth/passkeys/authentication/options', { body: {} }),
    );
    const response = await startAuthentication({
      optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
    });
    return unwrap(
      await api.POST('/api/v1/admin/auth/passkeys/authentication/verify', {
        body: { response: plain(response) },
      }),
    );
  });
}

export function useAcceptInvitation() {
  return useSessionMutation(
    async (body: { token: string; displayName: string; password: string }) =>
      unwrap(await api.POST('/api/v1/admin/auth/invitations/accept', { body })),
  );
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: async (email: string) =>
      unwrap(await api.POST('/api/v1/admin/auth/password-reset/request', { body: { email } })),
  });
}

export function useResetPassword() {
  return useMutation({
    mutationFn: async (body: { token: string; password: string }) =>
      unwrap(await api.POST('/api/v1/admin/auth/password-reset', { body })),
  });
}

export function useSignOut(everywhere = false) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      unwrap(
        everywhere
          ? await api.POST('/api/v1/admin/auth/sign-out-everywhere')
          : await api.POST('/api/v1/admin/auth/sign-out'),
      ),
    onSettled: () => forgetSession(queryClient),
  });
}

export function useMySessions() {
  return useQuery({
    queryKey: ['my-sessions'],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/auth/sessions')).sessions,
  });
}

export function useRevokeMySession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/api/v1/admin/auth/sessions/{id}', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['my-sessions'] }),
  });
}

/**
 * Proof that it is still you, which the API asks for before a factor is replaced once the
 * account has one: the password or a current code (see validation.ts `reauthenticationOf`).
 */
export type Reauthentication = { password?: string; code?: string };

export function useStartTotpEnrolment() {
  return useMutation({
    mutationFn: async (proof: Reauthentication = {}) =>
      unwrap(await api.POST('/api/v1/admin/auth/totp/enrolment', { body: proof })),
  });
}

/** Confirms TOTP; the session may have been elevated (and its cookie rotated), so refetch it. */
export function useConfirmTotpEnrolment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (code: string) =>
      unwrap(await api.POST('/api/v1/admin/auth/totp/enrolment/confirm', { body: { code } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SESSION_KEY }),
  });
}

export function useRegenerateRecoveryCodes() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (proof: Reauthentication) =>
      unwrap(await api.POST('/api/v1/admin/auth/recovery-codes', { body: proof })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SESSION_KEY }),
  });
}

export function usePasskeys(enabled: boolean) {
  return useQuery({
    queryKey: ['passkeys'],
    queryFn: async () => unwrap(await api.GET('/api/v1/admin/auth/passkeys')).passkeys,
    enabled,
  });
}

/**
 * Registers a passkey on this device; the answer may carry first recovery codes. `proof` is
 * needed once the account has a second factor (the options are refused without it).
 */
export function useRegisterPasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ name, proof = {} }: { name: string; proof?: Reauthentication }) => {
      const options = unwrap(
        await api.POST('/api/v1/admin/auth/passkeys/registration/options', { body: proof }),
      );
      const response = await startRegistration({
        optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
      });
      return unwrap(
        await api.POST('/api/v1/admin/auth/passkeys/registration/verify', {
          body: { response: plain(response), name },
        }),
      );
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
      await queryClient.invalidateQueries({ queryKey: ['passkeys'] });
    },
  });
}

export function useDeletePasskey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/api/v1/admin/auth/passkeys/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['passkeys'] });
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    },
  });
}
