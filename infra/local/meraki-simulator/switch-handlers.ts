// getOrganizationSwitchPortsStatusesBySwitch: every switch of the organisation with its ports'
// statuses (switch-ports.ts) as its status now makes them (availability.ts), `{items, meta}`, 3 - 20
// switches a page. The filters simulated are networkIds[] and serials[].

import { availabilityOf } from "./availability.js";
import { type Catalog, devicesOfType } from "./catalog.js";
import type { DeviceStatus, SimDevice, SimOrganization } from "./dataset.js";
import { itemsPage } from "./items-page.js";
import type { HandlerContext, Reply } from "./operation.js";
import type { PageLimits } from "./pagination.js";
import { stringSet } from "./query.js";
import { switchPortStatuses } from "./switch-ports.js";

/** "Acceptable range is 3 - 20. Default is 10." */
const SWITCH_PORTS_PAGE: PageLimits = { min: 3, max: 20, default: 10 };

export function organizationSwitchPortsStatusesBySwitch(
  catalog: Catalog,
  org: SimOrganization,
  ctx: HandlerContext,
): Reply {
  const networkIds = stringSet(ctx.query, "networkIds");
  const serials = stringSet(ctx.query, "serials");
  const switches = devicesOfType(catalog, org.id, "switch").filter(
    (d) =>
      (networkIds === undefined || networkIds.has(d.networkId)) &&
      (serials === undefined || serials.has(d.serial)),
  );
  const availability = availabilityOf(catalog, org, ctx);
  return itemsPage(
    switches,
    (d) => d.serial,
    (d) => renderSwitch(catalog, d, availability.statusAt(d, ctx.nowMs), ctx.seed),
    ctx,
    SWITCH_PORTS_PAGE,
  );
}

function renderSwitch(catalog: Catalog, device: SimDevice, status: DeviceStatus, seed: number): object {
  const network = catalog.networkById.get(device.networkId);
  return {
    name: device.name,
    serial: device.serial,
    mac: device.mac,
    network: { name: network?.name ?? "", id: device.networkId },
    model: device.model,
    ports: switchPortStatuses(device, status, catalog.clientsByNetwork.get(device.networkId) ?? [], seed),
  };
}
