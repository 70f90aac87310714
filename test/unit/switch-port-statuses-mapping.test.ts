import { describe, expect, it } from "vitest";
import { recordId } from "../../shared/kafka/record.js";
import {
  type SwitchPortsRow,
  switchPortEnvelope,
  switchPortRecords,
  switchPortStatuses,
} from "../../shared/kinds/switch-port-statuses.js";

const SCHEMA = "semaphore.switch-port-status.v1";

const input = {
  organization: { id: "2930418", name: "My organization" },
  networks: new Map([["L_12345", { id: "L_12345", name: "Example Network" }]]),
  devices: new Map([
    [
      "Q555-5555-5555",
      {
        serial: "Q555-5555-5555",
        name: "Closet",
        model: "MS120-8",
        mac: "01:23:45:67:ab:cd",
        networkId: "L_12345",
      },
    ],
  ]),
  window: { start: "2026-11-22T09:45:00Z", end: "2026-11-22T10:00:00Z" },
  sweepId: "2026-11-22T10:00:00Z",
  observedAt: "2026-11-22T10:00:01Z",
  topic: "meraki.switch.port-statuses",
};

const port = {
  portId: "1",
  enabled: true,
  status: "Connected",
  isUplink: false,
  errors: ["PoE overload", "Very high proportion of CRC errors"],
  warnings: ["High proportion of CRC errors"],
  speed: "10 Gbps",
  duplex: "full",
  spanningTree: { statuses: ["Learning"] },
  poe: { isAllocated: false },
  securePort: { active: true, authenticationStatus: "Authentication in progress" },
};

const row: SwitchPortsRow = {
  name: "Example Switch",
  serial: "Q555-5555-5555",
  mac: "01:23:45:67:ab:cd",
  network: { name: "Example Network", id: "L_12345" },
  model: "MS120-8",
  ports: [port],
};

describe("switchPortRecords", () => {
  it("maps a port to the envelope, keyed serial:portId", () => {
    const { records, dropped } = switchPortRecords([row], input);
    const id = recordId(SCHEMA, "2930418", "Q555-5555-5555:1", input.window.start);
    expect(dropped).toEqual({});
    expect(records).toHaveLength(1);
    expect(records[0]!.key).toBe("Q555-5555-5555:1");
    expect(records[0]!.topic).toBe("meraki.switch.port-statuses");
    expect(records[0]!.headers).toEqual({
      "content-type": "application/json",
      schema: SCHEMA,
      "record-id": id,
    });
    const envelope = JSON.parse(records[0]!.value);
    expect(envelope).toEqual({
      schema: SCHEMA,
      id,
      sweepId: input.sweepId,
      observedAt: input.observedAt,
      window: input.window,
      source: {
        organizationId: "2930418",
        organizationName: "My organization",
        networkId: "L_12345",
        networkName: "Example Network",
        serial: "Q555-5555-5555",
        deviceName: "Example Switch",
        model: "MS120-8",
        mac: "01:23:45:67:ab:cd",
      },
      data: {
        portId: "1",
        enabled: true,
        status: "Connected",
        isUplink: false,
        errors: ["PoE overload", "Very high proportion of CRC errors"],
        warnings: ["High proportion of CRC errors"],
        speed: "10 Gbps",
        duplex: "full",
        spanningTreeStatuses: ["Learning"],
        poeAllocated: false,
        securePort: { active: true, authenticationStatus: "Authentication in progress" },
      },
    });
    expect(switchPortEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("makes one record per port of every switch, each with its own id", () => {
    const { records } = switchPortRecords(
      [
        { ...row, ports: [port, { ...port, portId: "2" }] },
        { ...row, serial: "Q666-6666-6666", ports: [port] },
      ],
      input,
    );
    expect(records.map((r) => r.key)).toEqual(["Q555-5555-5555:1", "Q555-5555-5555:2", "Q666-6666-6666:1"]);
    expect(new Set(records.map((r) => r.headers["record-id"])).size).toBe(3);
  });

  it("keeps what the API reported as null as null", () => {
    const bare = { portId: "7", enabled: null, status: null, errors: null, poe: null, securePort: null };
    const envelope = JSON.parse(switchPortRecords([{ ...row, ports: [bare] }], input).records[0]!.value);
    expect(envelope.data).toEqual({
      portId: "7",
      enabled: null,
      status: null,
      isUplink: null,
      errors: null,
      warnings: null,
      speed: null,
      duplex: null,
      spanningTreeStatuses: null,
      poeAllocated: null,
      securePort: { active: null, authenticationStatus: null },
    });
    expect(switchPortEnvelope.safeParse(envelope).success).toBe(true);
  });

  it("names the switch from the inventory when the row does not, and null what neither knows", () => {
    const unnamed = { ...row, name: null, model: null, mac: null, network: null };
    const unknown = { ...unnamed, serial: "Q999-0000-0000" };
    const [known, missing] = switchPortRecords([unnamed, unknown], input).records.map((r) =>
      JSON.parse(r.value),
    );
    expect(known.source).toMatchObject({
      networkId: "L_12345",
      networkName: "Example Network",
      deviceName: "Closet",
      model: "MS120-8",
      mac: "01:23:45:67:ab:cd",
    });
    expect(missing.source).toMatchObject({
      networkId: null,
      networkName: null,
      deviceName: null,
      model: null,
      mac: null,
    });
  });

  it("drops and counts switches without a serial or ports, and ports without an id", () => {
    const { records, dropped } = switchPortRecords(
      [
        row,
        { ...row, serial: null },
        { ...row, serial: "Q2", ports: [] },
        { ...row, serial: "Q3", ports: [{ ...port, portId: null }, null] },
      ],
      input,
    );
    expect(records.map((r) => r.key)).toEqual(["Q555-5555-5555:1"]);
    expect(dropped).toEqual({ "null-serial": 1, "no-ports": 1, "no-port-id": 2 });
  });

  it("gives the same record id for the same port and slot, and another for the next slot", () => {
    const a = switchPortRecords([row], input).records[0]!.headers["record-id"];
    const retried = switchPortRecords([row], { ...input, sweepId: "retry" }).records[0]!.headers["record-id"];
    const next = switchPortRecords([row], {
      ...input,
      window: { start: "2026-11-22T10:00:00Z", end: "2026-11-22T10:15:00Z" },
    }).records[0]!.headers["record-id"];
    expect(retried).toBe(a);
    expect(next).not.toBe(a);
  });
});

describe("switch-port-statuses line fields", () => {
  const envelope = JSON.parse(switchPortRecords([row], input).records[0]!.value);
  const fields = Object.fromEntries(
    Object.entries(switchPortStatuses.consumer.fields).map(([name, of]) => [name, of(envelope, undefined)]),
  );

  it("write flags as 1 or 0 and lists joined", () => {
    expect(fields).toMatchObject({
      enabled: 1,
      isUplink: 0,
      poeAllocated: 0,
      errorCount: 2,
      errors: "PoE overload; Very high proportion of CRC errors",
      warnings: "High proportion of CRC errors",
      securePortStatus: "Authentication in progress",
    });
  });
});
