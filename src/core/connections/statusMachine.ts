import { ConnectionDefinition, ConnectionStatus, Transition } from '../registry/connectionDefinitions';

export const connectionStatuses: readonly ConnectionStatus[] = ['discovered', 'registered', 'connected', 'ignored', 'maintenance', 'disconnected', 'deleted', 'not found'];

export class InvalidTransitionError extends Error {
  constructor(
    readonly from: ConnectionStatus,
    readonly to: ConnectionStatus,
    message: string,
  ) {
    super(message);
  }
}

/** Who asks for a change: a user picks from the allowed transitions; the system also sets "not found" and back. */
export type Actor = 'user' | 'system';

/** The transitions out of a status that this actor may take, each with the sentence the user confirms. */
export function allowedTransitions(definition: ConnectionDefinition, from: ConnectionStatus, actor: Actor = 'user'): Transition[] {
  return definition.transitions.filter((t) => t.from === from && (actor === 'system' || !t.systemOnly));
}

/** The transition from -> to, or a clear refusal. Enforced for every kind, not only Kubernetes. */
export function checkTransition(definition: ConnectionDefinition, from: ConnectionStatus, to: ConnectionStatus, actor: Actor = 'user'): Transition {
  const transition = definition.transitions.find((t) => t.from === from && t.to === to);
  if (!transition) {
    const allowed = allowedTransitions(definition, from, actor).map((t) => t.to);
    throw new InvalidTransitionError(
      from,
      to,
      `A ${definition.displayName} connection cannot go from "${from}" to "${to}". ` +
        (allowed.length ? `From "${from}" it can go to: ${allowed.map((s) => `"${s}"`).join(', ')}.` : `"${from}" is final.`),
    );
  }
  if (transition.systemOnly && actor !== 'system') {
    throw new InvalidTransitionError(from, to, `"${to}" is set by Meshery when it sees the object ${to === 'not found' ? 'disappear from' : 'come back to'} the cluster; it cannot be chosen.`);
  }
  return transition;
}
