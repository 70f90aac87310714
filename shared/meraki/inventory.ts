// The inventory operations every telemetry kind shares: the organisations a key can see, and their
// networks and devices (for the names every record carries). Each item schema lists the properties
// of the spec's 200 schema (Dashboard API v1.73.0); the types are inferred from the schemas.

import type * as z from "zod";
import { defineOperation } from "./operation.js";
import { boolean, identity, item, list, number, object, text, textList } from "./spec-fields.js";

/** GET /organizations. */
export const getOrganizations = defineOperation({
  operationId: "getOrganizations",
  path: "/organizations",
  maxPerPage: 9000,
  scope: "key",
  item: item({
    id: identity,
    name: text,
    url: text,
    api: object({ enabled: boolean }),
    licensing: object({ model: text }),
    cloud: object({ region: object({ name: text, host: object({ name: text }) }) }),
    management: object({ details: list(object({ name: text, value: text })) }),
    privacy: object({}),
  }),
});

/** GET /organizations/{organizationId}/networks. */
export const getOrganizationNetworks = defineOperation({
  operationId: "getOrganizationNetworks",
  path: "/organizations/{organizationId}/networks",
  maxPerPage: 100_000,
  scope: "organization",
  item: item({
    id: identity,
    organizationId: text,
    name: text,
    productTypes: textList,
    timeZone: text,
    tags: textList,
    enrollmentString: text,
    url: text,
    notes: text,
    isBoundToConfigTemplate: boolean,
  }),
});

/** GET /organizations/{organizationId}/devices. */
export const getOrganizationDevices = defineOperation({
  operationId: "getOrganizationDevices",
  path: "/organizations/{organizationId}/devices",
  maxPerPage: 5000,
  scope: "organization",
  item: item({
    serial: identity,
    name: text,
    lat: number,
    lng: number,
    address: text,
    notes: text,
    tags: textList,
    networkId: text,
    model: text,
    imei: text,
    mac: text,
    lanIp: text,
    firmware: text,
    /** appliance, camera, cellularGateway, sensor, switch, systemsManager, wireless, ... */
    productType: text,
    details: list(object({ name: text, value: text })),
  }),
});

export type Organization = z.output<typeof getOrganizations.item>;
export type Network = z.output<typeof getOrganizationNetworks.item>;
export type Device = z.output<typeof getOrganizationDevices.item>;
