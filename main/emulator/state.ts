import { createHash } from 'node:crypto';
import type { Message, MessageType } from './validate.ts';

type Traits = Record<string, unknown>;

export interface Entity {
  traits: Traits;
  /** How many messages were applied to it. */
  updates: number;
}

export interface UserEntity extends Entity {
  accountIds: string[];
  organizationIds: string[];
}

export interface AccountEntity extends Entity {
  organizationId: string | null;
  /** Created only because a user named it. */
  placeholder: boolean;
}

export interface TrackEvent {
  event: string;
  userId: string | null;
  accountId: string | null;
  organizationId: string | null;
  properties: Record<string, unknown>;
  timestamp: string | null;
}

export interface StateOptions {
  /** Whether a trait sent as null removes it (unknown for this API; on by default). */
  nullClears: boolean;
  /** Whether a messageId is unique per message type (the documentation's example reuses one across types) or globally. */
  dedupScope: 'type' | 'global';
}

/** What the emulated workspace holds: entities, events, and the messages it has already seen. */
export class WorkspaceState {
  organizations = new Map<string, Entity>();
  accounts = new Map<string, AccountEntity>();
  users = new Map<string, UserEntity>();
  customObjectInstances = new Map<
    string,
    Entity & { customObjectId: string; externalId: string; name: string | null }
  >();
  tracks: TrackEvent[] = [];
  /** Every message applied, in order, for tests that count exactly-once delivery. */
  applied: { type: MessageType; messageId: string | null }[] = [];
  duplicates = 0;
  readonly #seen = new Set<string>();
  readonly #options: StateOptions;

  constructor(options: StateOptions) {
    this.#options = options;
  }

  /** Applies a message unless it was seen before; returns whether it was applied. */
  apply(type: MessageType, message: Message): boolean {
    const key = this.#dedupKey(type, message);
    if (key !== null && this.#seen.has(key)) {
      this.duplicates++;
      return false;
    }
    if (key !== null) this.#seen.add(key);
    this.applied.push({ type, messageId: typeof message.messageId === 'string' ? message.messageId : null });
    const id = (field: string) => {
      const value = message[field];
      return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
    };
    const traits = (message.traits ?? {}) as Traits;
    switch (type) {
      case 'organization':
        this.#upsert(this.organizations, id('organizationId') ?? '', traits, () => ({ traits: {}, updates: 0 }));
        break;
      case 'account': {
        const account = this.#upsertAccount(id('accountId') ?? '', traits);
        account.placeholder = false;
        if (id('organizationId')) account.organizationId = id('organizationId');
        break;
      }
      case 'user': {
        const user = this.#upsert(this.users, id('userId') ?? '', traits, () => ({
          traits: {},
          updates: 0,
          accountIds: [],
          organizationIds: [],
        }));
        const accountId = id('accountId');
        if (accountId) {
          // An account the workspace does not know yet is created by the user that names it.
          if (!this.accounts.has(accountId)) this.#upsertAccount(accountId, {}).placeholder = true;
          user.accountIds = [...user.accountIds.filter((a) => a !== accountId), accountId];
        }
        const organizationId = id('organizationId');
        if (organizationId && !user.organizationIds.includes(organizationId)) user.organizationIds.push(organizationId);
        break;
      }
      case 'unlink': {
        const user = this.users.get(id('userId') ?? '');
        if (user) user.accountIds = user.accountIds.filter((a) => a !== id('accountId'));
        break;
      }
      case 'track': {
        const userId = id('userId');
        // A user's event without an account goes to the account the user was last linked to.
        const accountId = id('accountId') ?? (userId ? (this.users.get(userId)?.accountIds.at(-1) ?? null) : null);
        this.tracks.push({
          event: String(message.event),
          userId,
          accountId,
          organizationId: id('organizationId'),
          properties: (message.properties ?? {}) as Record<string, unknown>,
          timestamp: id('timestamp'),
        });
        break;
      }
      case 'customobjectinstance': {
        const customObjectId = id('customObjectId') ?? '';
        const externalId = id('externalId') ?? '';
        const instance = this.#upsert(this.customObjectInstances, `${customObjectId}/${externalId}`, traits, () => ({
          traits: {},
          updates: 0,
          customObjectId,
          externalId,
          name: null,
        }));
        if (id('name')) instance.name = id('name');
        break;
      }
    }
    return true;
  }

  snapshot(): Record<string, unknown> {
    const plain = <V>(map: Map<string, V>) => Object.fromEntries(map);
    return {
      organizations: plain(this.organizations),
      accounts: plain(this.accounts),
      users: plain(this.users),
      customObjectInstances: plain(this.customObjectInstances),
      tracks: this.tracks,
      applied: this.applied,
      duplicates: this.duplicates,
    };
  }

  #dedupKey(type: MessageType, message: Message): string | null {
    if (typeof message.messageId === 'string' || typeof message.messageId === 'number') {
      return this.#options.dedupScope === 'type' ? `${type}:${message.messageId}` : String(message.messageId);
    }
    if (typeof message.timestamp === 'string') {
      // Without a messageId, Vitally uses "a hash of the message".
      return `hash:${createHash('sha256')
        .update(JSON.stringify({ type, ...message }))
        .digest('hex')}`;
    }
    return null;
  }

  #upsertAccount(accountId: string, traits: Traits): AccountEntity {
    return this.#upsert(this.accounts, accountId, traits, () => ({
      traits: {},
      updates: 0,
      organizationId: null,
      placeholder: false,
    }));
  }

  #upsert<E extends Entity>(map: Map<string, E>, key: string, traits: Traits, create: () => E): E {
    let entity = map.get(key);
    if (!entity) map.set(key, (entity = create()));
    for (const [name, value] of Object.entries(traits)) {
      if (value === null && this.#options.nullClears) delete entity.traits[name];
      else entity.traits[name] = value;
    }
    entity.updates++;
    return entity;
  }
}
