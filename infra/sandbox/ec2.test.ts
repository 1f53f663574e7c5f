import fs from "node:fs";
import https from "node:https";
import { DescribeInstancesCommand, EC2Client, EC2ServiceException } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, expect, test } from "vitest";
import { sandboxWithClients } from "./test-helpers";

let sb: Awaited<ReturnType<typeof sandboxWithClients>>;
let ec2: EC2Client;
// EC2 is served on the sandbox's TLS listener: the SDK trusts the cluster CA, as the aws CLI does with AWS_CA_BUNDLE.
const client = (accessKeyId: string, secretAccessKey: string) =>
  new EC2Client({
    endpoint: sb.endpoints.ec2.endpoint,
    region: sb.endpoints.ec2.region,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
    requestHandler: { httpsAgent: new https.Agent({ ca: fs.readFileSync(sb.endpoints.ca) }) },
  });
beforeAll(async () => {
  sb = await sandboxWithClients({ provisioned: true, cluster: "growbin-ec2" });
  ec2 = client(sb.endpoints.ec2.accessKeyId, sb.endpoints.ec2.secretAccessKey);
});
afterAll(async () => {
  ec2.destroy();
  await sb.close();
});

test("DescribeInstances by Cluster tag returns the 4 nodes with Terraform's tags, types and zones", async () => {
  const out = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: "tag:Cluster", Values: ["growbin-ec2"] }] }),
  );
  const inst = out.Reservations!.flatMap((r) => r.Instances!);
  expect(inst.length).toBe(4);
  const master = inst.find((i) => i.Tags!.some((t) => t.Key === "Node" && t.Value === "master"))!;
  expect(master.InstanceType).toBe("t3.large");
  expect(master.State!.Name).toBe("running");
  expect(master.Placement!.AvailabilityZone).toBe("ap-northeast-2a");
  expect(Object.fromEntries(master.Tags!.map((t) => [t.Key, t.Value]))).toMatchObject({
    Name: "growbin-ec2-master",
    Cluster: "growbin-ec2",
    Role: "master",
    Tier: "1",
  });
  const nodes = await sb.core.listNode();
  const providerIds = nodes.items.map((n) => n.spec!.providerID!.split("/").pop());
  expect(inst.map((i) => i.InstanceId).sort()).toEqual(providerIds.sort());
});

test("filters by instance-state-name and wildcards, and a stopped instance shows as stopped", async () => {
  const f = (await sb.admin("POST", "/faults", { kind: "instance-stopped", instance: "worker-1" })).body;
  const running = await ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        { Name: "instance-state-name", Values: ["running"] },
        { Name: "tag:Name", Values: ["growbin-ec2-*"] },
      ],
    }),
  );
  expect(running.Reservations!.length).toBe(3);
  const stopped = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: "instance-state-name", Values: ["stopped"] }] }),
  );
  expect(stopped.Reservations![0]!.Instances![0]!.State).toEqual({ Code: 80, Name: "stopped" });
  await sb.admin("POST", "/heal", { id: f.id });
  const after = await ec2.send(
    new DescribeInstancesCommand({ Filters: [{ Name: "instance-state-name", Values: ["running"] }] }),
  );
  expect(after.Reservations!.length).toBe(4);
});

test("requests signed with another key get AuthFailure; a wrong secret gets SignatureDoesNotMatch", async () => {
  const other = client("AKIAOTHERKEY0000", "x".repeat(40));
  await expect(other.send(new DescribeInstancesCommand({}))).rejects.toMatchObject({
    name: "AuthFailure",
    $metadata: { httpStatusCode: 401 },
  });
  const wrong = client(sb.endpoints.ec2.accessKeyId, "wrong-secret");
  await expect(wrong.send(new DescribeInstancesCommand({}))).rejects.toMatchObject({
    name: "SignatureDoesNotMatch",
    $metadata: { httpStatusCode: 403 },
  });
  other.destroy();
  wrong.destroy();
});

test("a bad filter or instance id gets EC2's error and the endpoint keeps serving", async () => {
  const err = await ec2
    .send(new DescribeInstancesCommand({ Filters: [{ Name: "bogus-filter", Values: ["x"] }] }))
    .catch((e) => e);
  expect(err).toBeInstanceOf(EC2ServiceException);
  expect(err.name).toBe("InvalidParameterValue");
  expect(err.message).toBe("The filter 'bogus-filter' is invalid");
  await expect(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["not-an-id"] }))).rejects.toMatchObject({
    name: "InvalidInstanceID.Malformed",
  });
  await expect(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] }))).rejects.toMatchObject({
    name: "InvalidInstanceID.NotFound",
  });
  await expect(ec2.send(new DescribeInstancesCommand({ MaxResults: 2 }))).rejects.toMatchObject({
    name: "InvalidParameterValue",
  });
  const paged = await ec2.send(new DescribeInstancesCommand({ MaxResults: 5 }));
  expect(paged.Reservations!.length).toBe(4);
});
