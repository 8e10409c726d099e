import { createContext, type ReactNode, useContext } from 'react';
import type { Violation } from '../../contract/schemas/studio-api.ts';

/**
 * Issues to show beside the fields they name: `server` are the backend's answer to the last submit,
 * `client` the contract's verdict on the draft as it stands. Provided by the app around the composer.
 */
interface FieldIssuesValue {
  server: readonly Violation[];
  client: readonly Violation[];
}

const FieldIssuesContext = createContext<FieldIssuesValue>({ server: [], client: [] });

export function FieldIssuesProvider({ children, ...value }: FieldIssuesValue & { children: ReactNode }) {
  return <FieldIssuesContext.Provider value={value}>{children}</FieldIssuesContext.Provider>;
}

/** `image` matches `image` only; `camera_control` matches `camera_control.config` too. */
export function fieldMatches(field: string, prefix: string): boolean {
  return field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`);
}

const matching = (issues: readonly Violation[], prefixes: readonly string[], exact = false) =>
  issues.filter((i) => prefixes.some((p) => (exact ? i.field === p : fieldMatches(i.field, p))));

interface FieldIssuesProps {
  fields: readonly string[];
  /** Also show what the contract says about the draft now (for fields whose rules are not obvious). */
  showClient?: boolean;
  /** Only issues naming exactly these fields (`multi_prompt`'s sum, not each shot's). */
  exact?: boolean;
}

export function FieldIssues({ fields, showClient, exact }: FieldIssuesProps) {
  const { server, client } = useContext(FieldIssuesContext);
  const fromServer = matching(server, fields, exact);
  const seen = new Set(fromServer.map((i) => i.message));
  const fromClient = showClient ? matching(client, fields, exact).filter((i) => !seen.has(i.message)) : [];
  if (!fromServer.length && !fromClient.length) return null;
  return (
    <>
      {fromServer.length > 0 && (
        <ul className="field-issues field-issues--server" role="alert">
          {fromServer.map((i) => (
            <li key={`${i.field}:${i.rule}:${i.message}`}>{i.message}</li>
          ))}
        </ul>
      )}
      {fromClient.length > 0 && (
        <ul className="field-issues field-issues--client">
          {fromClient.map((i) => (
            <li key={`${i.field}:${i.rule}:${i.message}`}>{i.message}</li>
          ))}
        </ul>
      )}
    </>
  );
}
