// The EC2 Query API's DescribeInstances, answering in the XML EC2 returns, behind SigV4.
import { createHash, randomUUID } from "node:crypto";
import type http from "node:http";
import type { Ctx } from "./context";
import { verifySigV4 } from "./sigv4";
import type { Instance } from "./types";

// The region the sandbox pretends to be.
export const REGION = "ap-northeast-2";
const STATE_CODE: Record<Instance["state"], number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

const x = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function ec2Error(res: http.ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${x(message)}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`;
  res.writeHead(status, { "Content-Type": "text/xml;charset=UTF-8", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// The tags Terraform puts on each node's instance.
export function instanceTags(i: Instance, cluster: string): [string, string][] {
  return [
    ["Name", `${cluster}-${i.node}`],
    ["Cluster", cluster],
    ["Role", i.role],
    ["Tier", i.tier],
    ["Node", i.node],
  ];
}

function glob(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
}

type Filter = { name: string; values: RegExp[] };

function fieldOf(i: Instance, name: string, cluster: string): string[] | undefined {
  const tags = instanceTags(i, cluster);
  if (name.startsWith("tag:")) return tags.filter(([k]) => k === name.slice(4)).map(([, v]) => v);
  const f: Record<string, () => string[]> = {
    "instance-state-name": () => [i.state],
    "instance-state-code": () => [String(STATE_CODE[i.state])],
    "instance-id": () => [i.instanceId],
    "instance-type": () => [i.instanceType],
    "availability-zone": () => [i.zone],
    "private-ip-address": () => [i.privateIp],
    "tag-key": () => tags.map(([k]) => k),
    "tag-value": () => tags.map(([, v]) => v),
    "reservation-id": () => [i.reservationId],
  };
  return f[name]?.();
}

function parseParams(p: URLSearchParams, cluster: string) {
  const filters: Filter[] = [];
  const ids: string[] = [];
  for (const [k, v] of p) {
    let m = /^Filter\.(\d+)\.Name$/.exec(k);
    if (m) {
      const values = [...p].filter(([vk]) => vk.startsWith(`Filter.${m![1]}.Value.`)).map(([, vv]) => glob(vv));
      if (!values.length)
        throw new Ec2Error("InvalidParameterCombination", `The filter '${v}' requires at least one value`);
      if (fieldOf({ state: "running" } as Instance, v, cluster) === undefined && !v.startsWith("tag:"))
        throw new Ec2Error("InvalidParameterValue", `The filter '${v}' is invalid`);
      filters.push({ name: v, values });
      continue;
    }
    m = /^Filter\.(\d+)\.Value\.\d+$/.exec(k);
    if (m && !p.has(`Filter.${m[1]}.Name`)) throw new Ec2Error("InvalidParameterValue", "The filter 'null' is invalid");
    if (/^InstanceId\.\d+$/.test(k)) {
      if (!/^i-[0-9a-f]{8}([0-9a-f]{9})?$/.test(v))
        throw new Ec2Error("InvalidInstanceID.Malformed", `Invalid id: "${v}"`);
      ids.push(v);
    }
  }
  const maxRaw = p.get("MaxResults");
  const max = maxRaw === null ? 0 : Number(maxRaw);
  if (maxRaw !== null && (!Number.isInteger(max) || max < 5 || max > 1000))
    throw new Ec2Error(
      "InvalidParameterValue",
      `Value ( ${maxRaw} ) for parameter maxResults is invalid. Expecting a value greater than 5.`,
    );
  if (max && ids.length)
    throw new Ec2Error(
      "InvalidParameterCombination",
      "The parameter instancesSet cannot be used with the parameter maxResults",
    );
  return { filters, ids, max, next: p.get("NextToken") };
}

function instanceXml(i: Instance, cluster: string): string {
  const h = createHash("sha1").update(i.instanceId).digest("hex");
  const running = i.state === "running";
  const tags = instanceTags(i, cluster)
    .map(([k, v]) => `<item><key>${x(k)}</key><value>${x(v)}</value></item>`)
    .join("");
  const stateReason =
    i.state === "stopped"
      ? "<stateReason><code>Client.UserInitiatedShutdown</code><message>Client.UserInitiatedShutdown: User initiated shutdown</message></stateReason>"
      : i.state === "terminated"
        ? "<stateReason><code>Client.UserInitiatedShutdown</code><message>Client.UserInitiatedShutdown: User initiated shutdown</message></stateReason>"
        : "";
  return (
    `<item><instanceId>${i.instanceId}</instanceId><imageId>ami-0c9c942bd7bf113a2</imageId><instanceState><code>${STATE_CODE[i.state]}</code><name>${i.state}</name></instanceState>` +
    `<privateDnsName>${i.state === "terminated" ? "" : `ip-${i.privateIp.replaceAll(".", "-")}.${REGION}.compute.internal`}</privateDnsName><dnsName/><reason/><amiLaunchIndex>0</amiLaunchIndex><productCodes/>` +
    `<instanceType>${i.instanceType}</instanceType><launchTime>${i.launchTime.replace("Z", ".000Z")}</launchTime><placement><availabilityZone>${i.zone}</availabilityZone><groupName/><tenancy>default</tenancy></placement>` +
    `<monitoring><state>disabled</state></monitoring>` +
    (i.state === "terminated"
      ? ""
      : `<subnetId>subnet-0${h.slice(0, 16)}</subnetId><vpcId>vpc-0a1b2c3d4e5f60718</vpcId><privateIpAddress>${i.privateIp}</privateIpAddress>`) +
    (running
      ? `<ipAddress>3.${parseInt(h.slice(0, 2), 16)}.${parseInt(h.slice(2, 4), 16)}.${parseInt(h.slice(4, 6), 16)}</ipAddress>`
      : "") +
    `<sourceDestCheck>true</sourceDestCheck><groupSet><item><groupId>sg-0${h.slice(16, 32)}</groupId><groupName>${x(cluster)}-${i.role}</groupName></item></groupSet>${stateReason}` +
    `<architecture>x86_64</architecture><rootDeviceType>ebs</rootDeviceType><rootDeviceName>/dev/sda1</rootDeviceName>` +
    (i.state === "terminated"
      ? "<blockDeviceMapping/>"
      : `<blockDeviceMapping><item><deviceName>/dev/sda1</deviceName><ebs><volumeId>vol-0${h.slice(20, 36)}</volumeId><status>attached</status><attachTime>${i.launchTime.replace("Z", ".000Z")}</attachTime><deleteOnTermination>true</deleteOnTermination></ebs></item></blockDeviceMapping>`) +
    `<virtualizationType>hvm</virtualizationType><clientToken/><tagSet>${tags}</tagSet><hypervisor>xen</hypervisor><ebsOptimized>false</ebsOptimized><enaSupport>true</enaSupport>` +
    `<cpuOptions><coreCount>1</coreCount><threadsPerCore>2</threadsPerCore></cpuOptions><metadataOptions><state>applied</state><httpTokens>required</httpTokens><httpPutResponseHopLimit>2</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint></metadataOptions></item>`
  );
}

// Serves POST /ec2 (the Query protocol); only DescribeInstances exists in the sandbox.
export async function handleEc2(
  ctx: Ctx,
  keys: { accessKeyId: string; secretAccessKey: string },
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Buffer,
): Promise<void> {
  const sig = verifySigV4(req, body, keys, REGION);
  if (sig) return ec2Error(res, sig.status, sig.code, sig.message);
  const url = new URL(req.url ?? "/", "http://x");
  const p = new URLSearchParams(req.method === "POST" ? body.toString("utf8") : url.search);
  const action = p.get("Action");
  if (action !== "DescribeInstances")
    return ec2Error(res, 400, "InvalidAction", `The action ${action ?? "null"} is not valid for this web service.`);
  const cluster = ctx.cluster.config.cluster;
  try {
    const { filters, ids, max, next } = parseParams(p, cluster);
    const all = ctx.cluster.instances;
    for (const id of ids)
      if (!all.some((i) => i.instanceId === id))
        throw new Ec2Error("InvalidInstanceID.NotFound", `The instance ID '${id}' does not exist`);
    let found = all.filter(
      (i) =>
        (!ids.length || ids.includes(i.instanceId)) &&
        filters.every((f) => (fieldOf(i, f.name, cluster) ?? []).some((v) => f.values.some((re) => re.test(v)))),
    );
    let start = 0;
    if (next) {
      start = Number(
        Buffer.from(next, "base64")
          .toString("utf8")
          .replace(/^sandbox:/, ""),
      );
      if (!Number.isInteger(start) || start < 0) throw new Ec2Error("InvalidParameterValue", "The token is invalid");
    }
    const total = found.length;
    if (max) found = found.slice(start, start + max);
    const nextToken =
      max && start + max < total
        ? `<nextToken>${Buffer.from(`sandbox:${start + max}`).toString("base64")}</nextToken>`
        : "";
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${randomUUID()}</requestId><reservationSet>` +
      found
        .map(
          (i) =>
            `<item><reservationId>${i.reservationId}</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>${instanceXml(i, cluster)}</instancesSet></item>`,
        )
        .join("") +
      `</reservationSet>${nextToken}</DescribeInstancesResponse>`;
    res.writeHead(200, { "Content-Type": "text/xml;charset=UTF-8", "Content-Length": Buffer.byteLength(xml) });
    res.end(xml);
  } catch (e) {
    if (e instanceof Ec2Error) return ec2Error(res, 400, e.code, e.message);
    throw e;
  }
}
