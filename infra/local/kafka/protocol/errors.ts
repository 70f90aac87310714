import { KafkaError } from "../../../../shared/kafka/errors.js";

/** A broker answered in a way this project's own protocol requests do not expect. */
export class KafkaProtocolError extends KafkaError {}
