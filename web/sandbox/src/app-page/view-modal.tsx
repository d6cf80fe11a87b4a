/**
 * The modal the bot has open (views.open / views.push / views.update): the top of the person's
 * stack. Submitting sends view_submission with the values entered; the bot's `errors` answer is
 * shown under the inputs; closing sends the closing (view_closed when the view asks for it).
 */
import { Button, Group, Modal } from '@mantine/core';
import { useState } from 'react';
import { BlockKit, plainText } from '../../../src/block-kit/index.ts';
import { type Container, type Person, sandboxApi, type View } from '../api/client.ts';
import { showError, useSandboxAction } from '../api/queries.ts';
import { optionsLoader, useSurfaceState } from './surface-blocks.tsx';

export function ViewModal({
  person,
  modals,
  users,
}: {
  person: Person;
  modals: View[];
  users: Record<string, string>;
}) {
  const top = modals.at(-1);
  // Hidden at once on Close; shown again only if the server refuses to close it.
  const [closing, setClosing] = useState<string>();
  const close = useSandboxAction(sandboxApi.close, {
    onError: (error) => {
      setClosing(undefined);
      showError(error);
    },
  });
  const view = top && top.id !== closing ? top : undefined;
  const closeView = () => {
    if (!view) return;
    setClosing(view.id);
    close.mutate([person.userId, view.id]);
  };

  return (
    <Modal
      opened={view !== undefined}
      onClose={closeView}
      title={view ? plainText(view.title) || 'Blindspot' : undefined}
      // Without Mantine's ×: its name would clash with the view's own Close button, and Escape
      // or the overlay close the modal as Slack's × does.
      withCloseButton={false}
      size="lg"
      styles={{ title: { fontWeight: 700 } }}
    >
      {view && (
        <ModalBody key={view.id} person={person} view={view} users={users} onClose={closeView} />
      )}
    </Modal>
  );
}

function ModalBody({
  person,
  view,
  users,
  onClose,
}: {
  person: Person;
  view: View;
  users: Record<string, string>;
  onClose: () => void;
}) {
  const container: Container = { type: 'view', viewId: view.id };
  const [state, setState] = useSurfaceState(view.blocks, view.id, view.hash ?? view.blocks);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const action = useSandboxAction(sandboxApi.action);
  const submit = useSandboxAction(sandboxApi.submit, {
    onSuccess: (result) => setErrors(result?.errors ?? {}),
  });
  const busy = action.isPending || submit.isPending;

  return (
    <>
      <BlockKit
        blocks={view.blocks}
        users={users}
        state={state}
        onStateChange={setState}
        onAction={(blockAction) => action.mutate([person.userId, container, blockAction, state])}
        loadOptions={optionsLoader(person.userId, container)}
        errors={errors}
        disabled={busy}
      />
      <Group justify="flex-end" mt="lg" gap="sm">
        <Button variant="default" onClick={onClose}>
          {plainText(view.close) || 'Cancel'}
        </Button>
        {view.submit && (
          <Button
            loading={submit.isPending}
            disabled={action.isPending}
            onClick={() => submit.mutate([person.userId, view.id, state])}
          >
            {plainText(view.submit) || 'Submit'}
          </Button>
        )}
      </Group>
    </>
  );
}
