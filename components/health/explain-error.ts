import type { SourceName } from "@/server/cluster/health/types";
import { SOURCE_TITLES } from "@/lib/health-sources";

// A health source's raw error ("404 services \"rabbitmq\" not found", "connect ECONNREFUSED …") as a
// sentence a newcomer can act on: what it means, then what to do. The raw text stays available as detail.

/** The sentence and the next step for one source's error. */
export type Explained = { text: string; next: string };

// Where each source's parts are deployed (seed summary, "How each component is deployed").
const WHERE: Partial<Record<SourceName, string>> = {
  rabbitmq: "RabbitMQ (namespace messaging)",
  argocd: "Argo CD (namespace argocd)",
  monitoring: "the monitoring stack (namespace monitoring)",
};

/** Explains a source's error; unknown errors keep their text, with a generic next step. */
export function explainSourceError(
  source: SourceName,
  error: string | undefined,
  provisioned: boolean | null = null,
): Explained {
  const title = SOURCE_TITLES[source];
  const raw = (error ?? "").trim();
  if (provisioned === false)
    return {
      text: `${title} cannot be read: the cluster is not provisioned yet.`,
      next: "Provision it from the overview; this fills in once its nodes are up.",
    };
  let m: RegExpExecArray | null;
  if ((m = /^404\b.*?(\S+) "([^"]+)" not found/i.exec(raw)) || /^404\b/.test(raw)) {
    const what = m ? `${m[1]} "${m[2]}"` : "what it looks for";
    return {
      text: `${title} is not installed on the cluster: the Kubernetes API has no ${what}.`,
      next: `Run Provision (or Verify) to install ${WHERE[source] ?? title}, or check that it was deployed.`,
    };
  }
  if (source === "ec2" && /ECONNREFUSED|connection refused/i.test(raw))
    return {
      text: "EC2 instances could not be read: nothing answers at the EC2 API endpoint.",
      next: "Check the cluster's region or EC2 endpoint and the worker's network; the tiers below are still read from Kubernetes.",
    };
  if (/ECONNREFUSED|connection refused/i.test(raw))
    return {
      text: `${title} could not be read: nothing answers at the cluster's API address.`,
      next: "Check that the cluster is up (its master node runs) and that the kubeconfig points at it.",
    };
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/i.test(raw))
    return {
      text: `${title} could not be read: the API server's host name does not resolve.`,
      next: "Check the server address in the kubeconfig and the portal host's DNS.",
    };
  if (/timed out|ETIMEDOUT|timeout/i.test(raw))
    return {
      text: `${title} did not answer in time.`,
      next: "The cluster may be overloaded or unreachable; the next refresh tries again.",
    };
  if (/^401\b|Unauthorized/i.test(raw))
    return {
      text: `The cluster refused the portal's credentials while reading ${title}.`,
      next: "Renew the certificate or token in the kubeconfig (see the README's configuration section).",
    };
  if (/^403\b|forbidden/i.test(raw))
    return {
      text: `The portal's cluster user may not read ${title}.`,
      next: "Give the kubeconfig's user read access (a ClusterRole with get/list) to it.",
    };
  if (/not read yet|no worker/i.test(raw))
    return {
      text: `${title} has not been read yet.`,
      next: "The worker reads health every few seconds; if this stays, check that a worker is running (npm start runs one).",
    };
  if (/credential|CredentialsProviderError|ExpiredToken|InvalidClientTokenId/i.test(raw))
    return {
      text: `AWS refused the portal's credentials while reading ${title}.`,
      next: "Give the worker valid AWS credentials (the SDK's default chain).",
    };
  if (/kubeconfig|cannot read|not YAML/i.test(raw))
    return {
      text: `The portal's kubeconfig for this cluster cannot be used.`,
      next: "Fix the kubeconfig file named in portal.config.json.",
    };
  return {
    text: `${title} could not be read${raw ? `: ${raw.replace(/\.$/, "")}` : ""}.`,
    next: "The next refresh tries again; if it persists, check the worker's log.",
  };
}
