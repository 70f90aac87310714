// Lookups over the dataset that every request needs, built once so routing stays O(1).

import {
  byKey,
  type ProductType,
  type SimClient,
  type SimDevice,
  type SimNetwork,
  type SimOrganization,
  type SimulatedDataset,
} from "./dataset.js";

export interface Catalog {
  /** Sorted by id, the order GET /organizations pages them in (not always the dataset's order). */
  organizations: SimOrganization[];
  organizationById: Map<string, SimOrganization>;
  networkById: Map<string, SimNetwork>;
  networksByOrg: Map<string, SimNetwork[]>;
  devicesByOrg: Map<string, SimDevice[]>;
  /** Devices per network, sorted by serial like the organisation's list. */
  devicesByNetwork: Map<string, SimDevice[]>;
  deviceBySerial: Map<string, SimDevice>;
  /** Appliances per organisation in network order, the order uplinksLossAndLatency lists them in. */
  appliancesByOrg: Map<string, SimDevice[]>;
  clientsByNetwork: Map<string, SimClient[]>;
  /** Per organisation and product type, sorted by serial like the organisation's list. */
  devicesByOrgAndType: Map<string, Map<ProductType, SimDevice[]>>;
}

/** One organisation's devices of one product type (cellular gateways, sensors, ...), by serial. */
export function devicesOfType(
  catalog: Catalog,
  organizationId: string,
  productType: ProductType,
): SimDevice[] {
  return catalog.devicesByOrgAndType.get(organizationId)?.get(productType) ?? [];
}

export function buildCatalog(dataset: SimulatedDataset): Catalog {
  const networksByOrg = groupBy(dataset.networks, (n) => n.organizationId);
  const devicesByOrg = groupBy(dataset.devices, (d) => d.organizationId);
  const appliancesByOrg = new Map<string, SimDevice[]>();
  for (const [orgId, networks] of networksByOrg) {
    const applianceByNetwork = new Map<string, SimDevice>();
    for (const device of devicesByOrg.get(orgId) ?? []) {
      if (device.productType === "appliance") applianceByNetwork.set(device.networkId, device);
    }
    appliancesByOrg.set(
      orgId,
      networks.flatMap((n) => applianceByNetwork.get(n.id) ?? []),
    );
  }
  return {
    // Ids grow by a fixed stride and may gain a digit, which code-unit order puts first.
    organizations: [...dataset.organizations].sort(byKey((o) => o.id)),
    organizationById: new Map(dataset.organizations.map((o) => [o.id, o])),
    networkById: new Map(dataset.networks.map((n) => [n.id, n])),
    networksByOrg,
    devicesByOrg,
    devicesByNetwork: groupBy(dataset.devices, (d) => d.networkId),
    deviceBySerial: new Map(dataset.devices.map((d) => [d.serial, d])),
    appliancesByOrg,
    clientsByNetwork: dataset.clientsByNetwork,
    devicesByOrgAndType: new Map(
      [...devicesByOrg].map(([orgId, devices]) => [orgId, groupBy(devices, (d) => d.productType)]),
    ),
  };
}

function groupBy<T, K extends string>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}
