import { describe, expect, it } from "vitest";
import { PathTemplates, templateParameters } from "../../infra/local/meraki-simulator/path-templates.js";

const segments = (path: string): string[] => path.split("/").slice(1);

describe("PathTemplates", () => {
  const templates = new PathTemplates<string>();
  templates.add("/organizations", "list");
  templates.add("/organizations/{organizationId}/devices", "devices");
  templates.add("/organizations/{organizationId}/devices/statuses", "statuses");
  templates.add("/organizations/{organizationId}/devices/{serial}", "device");
  templates.add("/organizations/inventory/devices/{serial}", "inventory");

  it("matches a template and returns its parameter values in order", () => {
    expect(templates.match(segments("/organizations/123/devices/Q2AB-CDEF-GHJK"))).toEqual({
      value: "device",
      parameterValues: ["123", "Q2AB-CDEF-GHJK"],
    });
  });

  it("prefers a literal segment to a parameter", () => {
    expect(templates.match(segments("/organizations/123/devices/statuses"))).toEqual({
      value: "statuses",
      parameterValues: ["123"],
    });
  });

  it("falls back to the parameter when the literal branch has no match", () => {
    expect(templates.match(segments("/organizations/inventory/devices"))).toEqual({
      value: "devices",
      parameterValues: ["inventory"],
    });
  });

  it("matches nothing for a longer, shorter or prototype-named path", () => {
    expect(templates.match(segments("/organizations/123/devices/statuses/x"))).toBeUndefined();
    expect(templates.match(segments("/organizations/123"))).toBeUndefined();
    expect(templates.match(segments("/organizations/123/constructor"))).toBeUndefined();
    expect(templates.match(segments("/__proto__"))).toBeUndefined();
  });

  it("rejects a template with the shape of one already added", () => {
    expect(() => templates.add("/organizations/{id}/devices", "again")).toThrow(
      "path template /organizations/{id}/devices is already registered",
    );
  });

  it("rejects a segment that mixes text and a parameter", () => {
    expect(() => templates.add("/devices/{serial}.json", "x")).toThrow(
      "path template /devices/{serial}.json: unsupported segment {serial}.json",
    );
  });
});

describe("templateParameters", () => {
  it("lists the parameter names in order", () => {
    expect(templateParameters("/organizations/{organizationId}/devices/{serial}")).toEqual([
      "organizationId",
      "serial",
    ]);
  });
});
