/**
 * Deleting a host from the dashboard: a modal that says what goes, asks for
 * the API key and sends it with the one DELETE request. The key lives only in
 * this dialog's state and is dropped when it closes: it is the same key that
 * lets agents write reports, so it is never put in localStorage or
 * sessionStorage, where any script on the page, or the next person at the
 * browser, could read it back.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import { navigate } from '../lib/router.js';

export function DeleteHostDialog(props: { alias: string; open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    const el = dialog.current!;
    if (props.open && !el.open) el.showModal();
    if (!props.open && el.open) el.close();
    if (!props.open) {
      setKey('');
      setError(null);
    }
  }, [props.open]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSending(true);
    setError(null);
    try {
      await api.deleteHost(props.alias, key);
      setKey('');
      navigate('/');
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setSending(false);
    }
  };

  return (
    <dialog ref={dialog} class="confirm" aria-labelledby="delete-title" onClose={props.onClose}>
      <form onSubmit={submit}>
        <h2 id="delete-title">
          Delete <bdi>{props.alias}</bdi>?
        </h2>
        <p>
          This removes the host, its containers and all of its history from the server. It cannot be undone. While the
          host's agent still runs, the host comes back with its next report: stop the agent first.
        </p>
        <label class="field">
          <span>API key</span>
          <input
            type="password"
            autocomplete="off"
            required
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
        </label>
        <p class="sub">Sent with this request only; the dashboard does not keep it.</p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={sending}>
            Delete
          </button>
        </div>
      </form>
    </dialog>
  );
}
