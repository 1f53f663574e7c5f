import { describe, expect, test } from "vitest";
import { appLink, nodeLinks, queueLink, tierLinks } from "@/components/links/deep-link-urls";

const links = {
  grafana: "https://growbin.app/grafana/d/k8s/cluster",
  argocd: "https://growbin.app/argocd/",
  rabbitmq: "https://growbin.app/rabbitmq",
  ec2Console: "https://ap-northeast-2.console.aws.amazon.com/ec2/home?region=ap-northeast-2",
};

describe("deep links", () => {
  test("a tier links to its namespaces in Grafana, Argo CD's applications, its queues and the cluster's instances", () => {
    expect(
      tierLinks(links, {
        cluster: "growbin-prod",
        id: "3",
        namespaces: ["messaging", "waste"],
        queues: ["q.waste"],
      }).map((l) => [l.tool, l.href]),
    ).toEqual([
      ["Grafana", "https://growbin.app/grafana/d/k8s/cluster?var-namespace=messaging&var-namespace=waste"],
      ["Argo CD", "https://growbin.app/argocd/applications"],
      ["RabbitMQ", "https://growbin.app/rabbitmq#/queues"],
      [
        "EC2 console",
        "https://ap-northeast-2.console.aws.amazon.com/ec2/home?region=ap-northeast-2#Instances:tag:Cluster=growbin-prod",
      ],
    ]);
  });

  test("a node links to its dashboard and its instance; an app and a queue to their own pages", () => {
    expect(nodeLinks(links, { node: "worker-2", instanceId: "i-0abc" }).map((l) => l.href)).toEqual([
      "https://growbin.app/grafana/d/k8s/cluster?var-node=worker-2",
      "https://ap-northeast-2.console.aws.amazon.com/ec2/home?region=ap-northeast-2#InstanceDetails:instanceId=i-0abc",
    ]);
    expect(appLink(links, "waste-service")?.href).toBe("https://growbin.app/argocd/applications/waste-service");
    expect(queueLink(links, "q.dlq")?.href).toBe("https://growbin.app/rabbitmq#/queues/%2F/q.dlq");
  });

  test("a link is hidden where no base URL is configured, and a non-http base is never used", () => {
    expect(tierLinks({}, { cluster: "c", id: "1", namespaces: ["monitoring"], queues: [] })).toEqual([]);
    expect(tierLinks({ rabbitmq: links.rabbitmq }, { cluster: "c", id: "1", namespaces: [], queues: [] })).toEqual([]); // tier 1 has no queues
    expect(nodeLinks({ grafana: "javascript:alert(1)" }, { node: "master" })).toEqual([]);
    expect(appLink({}, "x")).toBeNull();
  });
});
