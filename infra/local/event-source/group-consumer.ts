/**
 * A consumer-group member with nothing automatic: no auto-commit, no offset store, explicit
 * assignment handling. The lower-level KafkaConsumer is used (not the KafkaJS-style API) because it
 * polls across all assigned partitions at once (one event may span partitions, as in AWS), returns at
 * most the number of records asked for, and leaves exactly which offsets are committed, and when, to
 * the caller.
 */
import KafkaJavascript, {
  type KafkaConsumer,
  type LibrdKafkaError,
  type Message,
  type Metadata,
  type TopicPartition,
  type TopicPartitionOffset,
} from "@confluentinc/kafka-javascript";
import { KafkaAuthenticationError } from "../../../shared/kafka/errors.js";
import { type KafkaConnection, kafkaClientConfig, saslFailureWatcher } from "../kafka/admin.js";
import { type CommitOffset, KafkaEventSourceError, OffsetCommitError } from "./errors.js";
import { clientLogger, type EventSourceLogger, forwardClientLog, type LibrdKafkaLogLine } from "./logger.js";

const { CODES } = KafkaJavascript;

/** Methods the binding has and its type declarations leave out. */
interface UndeclaredConsumerMethods {
  commitCb(offsets: TopicPartitionOffset[], cb: (error: LibrdKafkaError | null) => void): void;
  /** consume(n): wait the timeout for the first record only, then take what is already fetched. */
  setDefaultIsTimeoutOnlyForFirstMessage(only: boolean): void;
  rebalanceProtocol(): "NONE" | "EAGER" | "COOPERATIVE";
  incrementalAssign(partitions: TopicPartition[]): void;
  incrementalUnassign(partitions: TopicPartition[]): void;
}

type Consumer = KafkaConsumer & UndeclaredConsumerMethods;

export interface GroupConsumerOptions {
  connection: KafkaConnection;
  groupId: string;
  clientId: string;
  startingPosition: "TRIM_HORIZON" | "LATEST";
  connectTimeoutMs: number;
  logger: EventSourceLogger;
  /**
   * Called before partitions are taken away, on the JS thread but at any moment (the binding
   * dispatches rebalances asynchronously, so possibly while an invocation runs). Records polled from
   * them and not yet committed must be dropped, never committed: their new owner (or this member,
   * after a reassignment) reads them again from the committed offset.
   */
  onRevoked: (partitions: TopicPartition[]) => void;
}

/** How long a poll waits after a non-fatal consume error, so a lasting one does not spin. */
const CONSUME_ERROR_BACKOFF_MS = 1_000;

export class GroupConsumer {
  readonly #consumer: Consumer;
  readonly #options: GroupConsumerOptions;
  readonly #owned = new Map<string, TopicPartition>();
  #paused = false;
  /** What the rebalance callbacks did while the current poll was running; see poll(). */
  #duringPoll: { revoked: Set<string>; assigned: TopicPartition[] } | undefined;
  #closing: Promise<void> | undefined;
  #fail!: (error: Error) => void;
  #markAssigned!: () => void;
  /** Rejects when the client can no longer work: rejected credentials or a fatal client error. */
  readonly failed: Promise<never>;
  /** Resolves at the first assignment (possibly empty): the member has joined the group. */
  readonly assigned: Promise<void>;

  private constructor(options: GroupConsumerOptions) {
    this.#options = options;
    this.failed = new Promise<never>((_, reject) => {
      this.#fail = reject;
    });
    this.failed.catch(() => {}); // Raced by whoever waits on this member; never an unhandled rejection.
    this.assigned = new Promise<void>((resolve) => {
      this.#markAssigned = resolve;
    });

    const watcher = saslFailureWatcher(
      options.connection.bootstrapServers,
      `the event source (user "${options.connection.username}", group ${options.groupId})`,
      clientLogger(options.logger, { groupId: options.groupId }),
    );
    // The watcher's KafkaAuthenticationError already names the cluster, the user and the group.
    watcher.failed.catch((error: Error) => this.#fail(error));
    this.#consumer = new KafkaJavascript.KafkaConsumer(
      {
        ...kafkaClientConfig(options.connection),
        "client.id": options.clientId,
        "group.id": options.groupId,
        "enable.auto.commit": false,
        "enable.auto.offset.store": false,
        rebalance_cb: (error: LibrdKafkaError, assignment: TopicPartition[]) =>
          this.#onRebalance(error, assignment),
      },
      // A topic-level setting: in the global config, the (default) topic config would override it.
      { "auto.offset.reset": options.startingPosition === "LATEST" ? "latest" : "earliest" },
    ) as Consumer;
    this.#consumer.on("event.log", (line: LibrdKafkaLogLine) => forwardClientLog(line, watcher.logger));
    this.#consumer.on("event.error", (error) => this.#onClientError(error));
    this.#consumer.setDefaultIsTimeoutOnlyForFirstMessage(true);
  }

  /**
   * Connects and subscribes. Rejects with a KafkaAuthenticationError as soon as the broker refuses
   * the credentials (librdkafka itself would only time out, with a transport error).
   */
  static async connect(options: GroupConsumerOptions, topics: string[]): Promise<GroupConsumer> {
    const member = await GroupConsumer.#open(options);
    const partitions = await member.#partitionsOf(topics).catch(async (error: unknown) => {
      await member.close();
      throw error;
    });
    if (options.startingPosition === "LATEST") {
      await member.#pinLatest(partitions).catch((error: Error) => {
        options.logger.warn(
          "could not fix the LATEST starting offsets (has the group members already?); " +
            "librdkafka's auto.offset.reset=latest applies",
          { groupId: options.groupId, error: error.message },
        );
      });
    }
    member.#consumer.subscribe(topics);
    return member;
  }

  /**
   * Connects and reads the given partitions from the given offsets, outside any group assignment
   * (nothing rebalances, nothing is committed unless the caller commits): a range of records to
   * read again.
   */
  static async connectAt(options: GroupConsumerOptions, positions: CommitOffset[]): Promise<GroupConsumer> {
    const member = await GroupConsumer.#open(options);
    member.#consumer.assign(
      positions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset })),
    );
    for (const p of positions) member.#owned.set(key(p), { topic: p.topic, partition: p.partition });
    return member;
  }

  static async #open(options: GroupConsumerOptions): Promise<GroupConsumer> {
    const member = new GroupConsumer(options);
    const consumer = member.#consumer;
    const connected = new Promise<void>((resolve, reject) => {
      consumer.connect({ timeout: options.connectTimeoutMs }, (error) => (error ? reject(error) : resolve()));
    });
    connected.catch(() => {}); // Raced below.
    try {
      await Promise.race([connected, member.failed]);
    } catch (error) {
      // librdkafka ends a pending connect only at its own timeout; release the client after that.
      void connected.then(() => consumer.disconnect(() => undefined)).catch(() => undefined);
      if (error instanceof KafkaAuthenticationError) throw error;
      throw new KafkaEventSourceError(
        `could not connect to Kafka at ${options.connection.bootstrapServers} within ` +
          `${options.connectTimeoutMs} ms (group ${options.groupId}): ${(error as LibrdKafkaError).message}`,
        options.groupId,
        { cause: error },
      );
    }
    return member;
  }

  /**
   * Every partition of `topics`. A missing topic fails the start: the group would otherwise wait,
   * assigned nothing, until someone creates it (topics are created explicitly here, as on Confluent
   * Cloud).
   */
  async #partitionsOf(topics: string[]): Promise<TopicPartition[]> {
    const { connection, groupId, connectTimeoutMs } = this.#options;
    const metadata = await new Promise<Metadata>((resolve, reject) => {
      this.#consumer.getMetadata({ allTopics: true, timeout: connectTimeoutMs }, (error, data) =>
        error ? reject(error) : resolve(data),
      );
    });
    const missing = topics.filter((name) => !metadata.topics.some((t) => t.name === name));
    if (missing.length > 0) {
      throw new KafkaEventSourceError(
        `topic(s) ${missing.join(", ")} do not exist at ${connection.bootstrapServers} (group ${groupId}); ` +
          "create them first (createTopics in infra/local/kafka/admin.ts)",
        groupId,
      );
    }
    return metadata.topics
      .filter((t) => topics.includes(t.name))
      .flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.id })));
  }

  /**
   * LATEST as AWS means it: the end of each partition when the mapping is created, so every record
   * produced after start is delivered. librdkafka's auto.offset.reset=latest would instead take the
   * end at the first fetch after the group assignment, a moment later, and skip what arrived in
   * between. So the current end offsets are committed for partitions the group has no offset for yet,
   * before joining. Kafka accepts such commits while the group has no members; when it has some,
   * the commit is refused and the caller falls back to auto.offset.reset.
   */
  async #pinLatest(partitions: TopicPartition[]): Promise<void> {
    const { connectTimeoutMs } = this.#options;
    const consumer = this.#consumer;
    if (partitions.length === 0) return;
    const committed = await new Promise<TopicPartitionOffset[]>((resolve, reject) => {
      consumer.committed(partitions, connectTimeoutMs, (error, offsets) =>
        error ? reject(error) : resolve(offsets),
      );
    });
    const unstarted = committed.filter((p) => p.offset === undefined || p.offset < 0);
    const ends = await Promise.all(
      unstarted.map(
        (p) =>
          new Promise<CommitOffset>((resolve, reject) => {
            consumer.queryWatermarkOffsets(p.topic, p.partition, connectTimeoutMs, (error, offsets) =>
              error
                ? reject(error)
                : resolve({ topic: p.topic, partition: p.partition, offset: offsets.highOffset }),
            );
          }),
      ),
    );
    await this.commit(ends);
  }

  /** The partitions this member owns now. */
  get assignment(): TopicPartition[] {
    return [...this.#owned.values()];
  }

  /**
   * Up to `max` records, waiting at most `timeoutMs` for the first one. Rebalance callbacks run in
   * here. A non-fatal consume error (e.g. a subscribed topic that does not exist yet) is logged and
   * yields no records.
   */
  async poll(max: number, timeoutMs: number): Promise<Message[]> {
    this.#consumer.setDefaultConsumeTimeout(Math.max(0, Math.round(timeoutMs)));
    const duringPoll = { revoked: new Set<string>(), assigned: [] as TopicPartition[] };
    this.#duringPoll = duringPoll;
    try {
      const messages = await new Promise<Message[]>((resolve, reject) => {
        this.#consumer.consume(Math.max(1, max), (error, messages) =>
          error ? reject(error) : resolve(messages),
        );
      });
      // The binding runs rebalance callbacks on the JS thread while the consume call goes on in its
      // worker, which keeps taking records of a revoked partition until unassign() lands. Such records
      // belong to the old assignment: whoever owns the partition now reads them again from the
      // committed offset. Partitions assigned meanwhile were paused (see #onRebalance), so nothing
      // of the new assignment is among them.
      return duringPoll.revoked.size === 0
        ? messages
        : messages.filter((m) => !duringPoll.revoked.has(key(m)));
    } catch (error) {
      const cause = error as LibrdKafkaError;
      if (cause.isFatal) {
        const fatal = this.#fatalError(cause);
        this.#fail(fatal);
        throw fatal;
      }
      this.#options.logger.warn("kafka consume error; polling again", {
        groupId: this.#options.groupId,
        code: cause.code,
        error: cause.message,
      });
      await new Promise((resolve) => setTimeout(resolve, CONSUME_ERROR_BACKOFF_MS));
      return [];
    } finally {
      this.#duringPoll = undefined;
      const resumable = duringPoll.assigned.filter((p) => this.#owned.has(key(p)));
      if (!this.#paused && resumable.length > 0) this.#consumer.resume(resumable);
    }
  }

  /** Commits exactly these offsets (the next record to read per partition). */
  async commit(offsets: CommitOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await new Promise<void>((resolve, reject) => {
      try {
        this.#consumer.commitCb(
          offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })),
          (error) =>
            error ? reject(new OffsetCommitError(this.#options.groupId, offsets, error)) : resolve(),
        );
      } catch (error) {
        reject(new OffsetCommitError(this.#options.groupId, offsets, error));
      }
    });
  }

  /**
   * Stops fetching from every owned partition (and any assigned later) while the group membership
   * stays alive through polls: what a retry wait needs. Records fetched but not yet returned are
   * discarded by librdkafka and fetched again after resume().
   */
  pause(): void {
    this.#paused = true;
    if (this.#owned.size > 0) this.#consumer.pause(this.assignment);
  }

  resume(): void {
    this.#paused = false;
    if (this.#owned.size > 0) this.#consumer.resume(this.assignment);
  }

  /**
   * Leaves the group (its partitions go to the remaining members at once) and closes the client.
   * Nothing is committed here: with auto-commit off, only what the caller committed counts.
   */
  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      try {
        this.#consumer.disconnect(() => resolve());
      } catch {
        resolve(); // never connected: nothing to release
      }
    });
    return this.#closing;
  }

  #onRebalance(error: LibrdKafkaError, partitions: TopicPartition[]): void {
    const { groupId, logger, onRevoked } = this.#options;
    const cooperative = this.#consumer.rebalanceProtocol() === "COOPERATIVE";
    const names = partitions.map((p) => `${p.topic}[${p.partition}]`);
    try {
      if (error.code === CODES.ERRORS.ERR__ASSIGN_PARTITIONS) {
        if (cooperative) this.#consumer.incrementalAssign(partitions);
        else this.#consumer.assign(partitions);
        for (const p of partitions) this.#owned.set(key(p), { topic: p.topic, partition: p.partition });
        // Held back until the running poll has returned, so its result mixes no new records with old.
        if (this.#duringPoll) this.#duringPoll.assigned.push(...partitions);
        if ((this.#paused || this.#duringPoll) && partitions.length > 0) this.#consumer.pause(partitions);
        logger.info("kafka partitions assigned", { groupId, partitions: names });
        this.#markAssigned();
      } else if (error.code === CODES.ERRORS.ERR__REVOKE_PARTITIONS) {
        for (const p of partitions) this.#duringPoll?.revoked.add(key(p));
        onRevoked(partitions);
        if (cooperative) this.#consumer.incrementalUnassign(partitions);
        else this.#consumer.unassign();
        for (const p of partitions) this.#owned.delete(key(p));
        logger.info("kafka partitions revoked", { groupId, partitions: names });
      } else {
        // A failed rebalance: librdkafka's guidance is to drop the assignment and let the group retry.
        logger.warn("kafka rebalance failed; dropping the assignment", { groupId, error: error.message });
        for (const p of this.assignment) this.#duringPoll?.revoked.add(key(p));
        onRevoked(this.assignment);
        this.#consumer.unassign();
        this.#owned.clear();
      }
    } catch (cause) {
      // assign/unassign throw only when the client is closing; the group moves on without us.
      logger.warn("kafka rebalance handling failed", { groupId, error: (cause as Error).message });
    }
  }

  #onClientError(error: LibrdKafkaError): void {
    if (error.isFatal) this.#fail(this.#fatalError(error));
  }

  #fatalError(error: LibrdKafkaError): KafkaEventSourceError {
    return new KafkaEventSourceError(
      `the Kafka consumer of group ${this.#options.groupId} hit a fatal error: ${error.message}`,
      this.#options.groupId,
      { cause: error },
    );
  }
}

function key(p: TopicPartition): string {
  return `${p.topic}\u0000${p.partition}`;
}
